#include "input/drivers/godirect/protocol.hpp"

#include <algorithm>
#include <bit>
#include <fmt/format.h>

namespace qv::input::godirect {

namespace {

// The fixed INIT payload Vernier's libraries send.
constexpr std::array<std::uint8_t, 20> kInitPayload{0xA5, 0x4A, 0x06, 0x49, 0x07, 0x48, 0x08,
                                                    0x47, 0x09, 0x46, 0x0A, 0x45, 0x0B, 0x44,
                                                    0x0C, 0x43, 0x0D, 0x42, 0x0E, 0x41};

// Payload sizes of the fixed-layout responses.
constexpr std::size_t kStatusSize = 12;
constexpr std::size_t kDeviceInfoNamesSize = 64;
constexpr std::size_t kDeviceInfoFirmwareEnd = 74;
constexpr std::size_t kDeviceInfoSize = 152;
constexpr std::size_t kSensorInfoSize = 148;

std::uint16_t u16_le(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}

std::uint32_t u32_le(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint32_t>(b[at]) | (static_cast<std::uint32_t>(b[at + 1]) << 8) |
           (static_cast<std::uint32_t>(b[at + 2]) << 16) |
           (static_cast<std::uint32_t>(b[at + 3]) << 24);
}

std::uint64_t u64_le(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint64_t>(u32_le(b, at)) |
           (static_cast<std::uint64_t>(u32_le(b, at + 4)) << 32);
}

double f64_le(std::span<const std::uint8_t> b, std::size_t at) {
    return std::bit_cast<double>(u64_le(b, at));
}

void put_u32_le(Packet& p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
        p.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xFF));
    }
}

// A fixed-size, NUL-padded string field, cut at the first NUL, trailing blanks removed.
std::string fixed_string(std::span<const std::uint8_t> b, std::size_t at, std::size_t size) {
    std::string s;
    for (std::size_t i = at; i < at + size && b[i] != 0; ++i) {
        s.push_back(static_cast<char>(b[i]));
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.pop_back();
    }
    return s;
}

DecodeError error(Errc code, std::string message) {
    return DecodeError{code, std::move(message)};
}

std::optional<DecodeError> expect_command(const Response& r, Command command) {
    if (r.command != static_cast<std::uint8_t>(command)) {
        return error(Errc::WrongCommand,
                     fmt::format("response is for command 0x{:02X}, expected 0x{:02X}", r.command,
                                 static_cast<std::uint8_t>(command)));
    }
    return std::nullopt;
}

std::optional<DecodeError> expect_payload(const Response& r, std::size_t size, const char* what) {
    if (r.payload.size() < size) {
        return error(Errc::TooShort, fmt::format("{} response has {} payload byte(s), {} needed",
                                                 what, r.payload.size(), size));
    }
    return std::nullopt;
}

// Checks magic and length field of a complete packet and returns its bytes (the length field
// may be shorter than the buffer; the rest is ignored).
std::optional<DecodeError> packet_bytes(std::span<const std::uint8_t> packet,
                                        std::span<const std::uint8_t>& bytes) {
    if (packet.size() < kHeaderSize) {
        return error(
            Errc::TooShort,
            fmt::format("packet of {} byte(s) is shorter than its 5-byte header", packet.size()));
    }
    const std::size_t length = packet[1];
    if (length < kHeaderSize) {
        return error(Errc::BadLength,
                     fmt::format("packet length field says {}, below the 5-byte header", length));
    }
    if (length > packet.size()) {
        return error(Errc::TooShort, fmt::format("packet length field says {} but only {} "
                                                 "byte(s) are there",
                                                 length, packet.size()));
    }
    bytes = packet.first(length);
    return std::nullopt;
}

std::string version(std::uint8_t major, std::uint8_t minor, std::uint16_t build) {
    return fmt::format("{}.{}.{}", major, minor, build);
}

} // namespace

Model model_from_product(std::string_view product) {
    const auto start = product.find_first_not_of(" \t");
    if (start == std::string_view::npos) {
        return Model::Other;
    }
    product.remove_prefix(start);
    const std::string_view word = product.substr(0, product.find_first_of(" \t"));
    if (word == "GDX-FP") {
        return Model::ForcePlate;
    }
    if (word == "GDX-FOR") {
        return Model::ForceAcceleration;
    }
    if (word == "GDX-HD") {
        return Model::HandDynamometer;
    }
    return Model::Other;
}

std::string_view model_name(Model model) {
    switch (model) {
    case Model::ForcePlate:
        return "GDX-FP";
    case Model::ForceAcceleration:
        return "GDX-FOR";
    case Model::HandDynamometer:
        return "GDX-HD";
    case Model::Other:
        break;
    }
    return "Go Direct";
}

std::uint8_t checksum(std::span<const std::uint8_t> packet) {
    unsigned sum = 0;
    for (std::size_t i = 0; i < packet.size(); ++i) {
        if (i != 3) {
            sum += packet[i];
        }
    }
    return static_cast<std::uint8_t>(sum & 0xFF);
}

std::optional<HidReport> frame(std::span<const std::uint8_t> packet) {
    if (packet.empty() || packet.size() > kMaxChunk) {
        return std::nullopt;
    }
    HidReport report{};
    report[0] = static_cast<std::uint8_t>(packet.size());
    std::copy(packet.begin(), packet.end(), report.begin() + 1);
    return report;
}

Packet CommandBuilder::build(Command command, std::span<const std::uint8_t> payload) {
    counter_ = static_cast<std::uint8_t>(counter_ - 1);
    Packet p{kCommandMagic, static_cast<std::uint8_t>(kHeaderSize + payload.size()), counter_, 0,
             static_cast<std::uint8_t>(command)};
    p.insert(p.end(), payload.begin(), payload.end());
    p[3] = checksum(p);
    return p;
}

Packet CommandBuilder::init() {
    counter_ = 0xFF;
    return build(Command::Init, kInitPayload);
}

Packet CommandBuilder::get_status() {
    return build(Command::GetStatus, {});
}

Packet CommandBuilder::get_device_info() {
    return build(Command::GetDeviceInfo, {});
}

Packet CommandBuilder::get_available_mask() {
    return build(Command::GetSensorAvailableMask, {});
}

Packet CommandBuilder::get_default_mask() {
    return build(Command::GetDefaultSensorsMask, {});
}

Packet CommandBuilder::get_sensor_info(std::uint8_t sensor) {
    const std::array<std::uint8_t, 1> payload{sensor};
    return build(Command::GetSensorInfo, payload);
}

Packet CommandBuilder::set_measurement_period(std::uint32_t period_us) {
    Packet payload{0xFF, 0x00};
    put_u32_le(payload, period_us);
    payload.insert(payload.end(), 4, 0x00);
    return build(Command::SetMeasurementPeriod, payload);
}

Packet CommandBuilder::start(std::uint32_t sensor_mask) {
    Packet payload{0xFF, 0x01};
    put_u32_le(payload, sensor_mask);
    payload.insert(payload.end(), 8, 0x00);
    return build(Command::Start, payload);
}

Packet CommandBuilder::stop() {
    const std::array<std::uint8_t, 6> payload{0xFF, 0x00, 0xFF, 0xFF, 0xFF, 0xFF};
    return build(Command::Stop, payload);
}

Packet CommandBuilder::disconnect() {
    return build(Command::Disconnect, {});
}

std::optional<DecodeError> PacketAssembler::feed(std::span<const std::uint8_t> report,
                                                 std::vector<Packet>& out) {
    if (report.empty() || report[0] == 0) {
        return std::nullopt;
    }
    const std::size_t count = report[0];
    if (count > kMaxChunk) {
        partial_.clear();
        return error(Errc::BadLength,
                     fmt::format("report claims {} valid bytes, at most {} fit", count, kMaxChunk));
    }
    if (count > report.size() - 1) {
        partial_.clear();
        return error(Errc::TooShort, fmt::format("report claims {} valid bytes but carries {}",
                                                 count, report.size() - 1));
    }
    const auto chunk = report.subspan(1, count);
    if (partial_.empty()) {
        if (chunk[0] != kCommandMagic && chunk[0] != kMeasurementMagic) {
            return error(Errc::UnknownPacket,
                         fmt::format("packet starts with 0x{:02X}, neither a response (0x58) nor "
                                     "a measurement (0x20)",
                                     chunk[0]));
        }
        if (chunk.size() < 2) {
            return error(Errc::TooShort, "packet start without its length byte");
        }
        if (chunk[1] < kHeaderSize) {
            return error(
                Errc::BadLength,
                fmt::format("packet length field says {}, below the 5-byte header", chunk[1]));
        }
    }
    partial_.insert(partial_.end(), chunk.begin(), chunk.end());
    const std::size_t expected = partial_[1];
    if (partial_.size() > expected) {
        const std::size_t got = partial_.size();
        partial_.clear();
        return error(Errc::BadLength,
                     fmt::format("reports carried {} bytes for a packet of {}", got, expected));
    }
    if (partial_.size() < expected) {
        return std::nullopt;
    }
    Packet packet;
    packet.swap(partial_);
    if (verify_ && checksum(packet) != packet[3]) {
        return error(Errc::BadChecksum,
                     fmt::format("packet checksum is 0x{:02X}, its bytes sum to 0x{:02X}",
                                 packet[3], checksum(packet)));
    }
    out.push_back(std::move(packet));
    return std::nullopt;
}

std::optional<DecodeError> parse_response(std::span<const std::uint8_t> packet, Response& out) {
    std::span<const std::uint8_t> bytes;
    if (auto e = packet_bytes(packet, bytes)) {
        return e;
    }
    if (bytes[0] == kMeasurementMagic) {
        return error(Errc::UnknownPacket, "a measurement packet is not a command response");
    }
    if (bytes.size() < kResponseHeaderSize) {
        return error(Errc::TooShort,
                     fmt::format("response of {} byte(s) lacks the echoed counter", bytes.size()));
    }
    Response r;
    r.command = bytes[4];
    r.counter = bytes[5];
    r.payload.assign(bytes.begin() + kResponseHeaderSize, bytes.end());
    out = std::move(r);
    return std::nullopt;
}

std::optional<DecodeError> check_ok(const Response& response, Command command) {
    if (auto e = expect_command(response, command)) {
        return e;
    }
    if (response.payload.empty()) {
        return error(Errc::TooShort, "response has no status byte");
    }
    if (response.payload[0] != 0) {
        return error(Errc::Refused,
                     fmt::format("device refused command 0x{:02X} with status {}",
                                 static_cast<std::uint8_t>(command), response.payload[0]));
    }
    return std::nullopt;
}

std::optional<DecodeError> parse_status(const Response& response, DeviceStatus& out) {
    if (auto e = expect_command(response, Command::GetStatus)) {
        return e;
    }
    if (auto e = expect_payload(response, kStatusSize, "status")) {
        return e;
    }
    const std::span<const std::uint8_t> p = response.payload;
    DeviceStatus s;
    s.status = p[0];
    s.primary_firmware = version(p[2], p[3], u16_le(p, 4));
    s.secondary_firmware = version(p[6], p[7], u16_le(p, 8));
    s.battery_percent = p[10];
    s.charger_state = p[11];
    if (s.battery_percent > 100) {
        return error(Errc::BadValue,
                     fmt::format("status reports a battery level of {} %", s.battery_percent));
    }
    out = std::move(s);
    return std::nullopt;
}

std::optional<DecodeError> parse_device_info(const Response& response, DeviceInfo& out) {
    if (auto e = expect_command(response, Command::GetDeviceInfo)) {
        return e;
    }
    if (auto e = expect_payload(response, kDeviceInfoNamesSize, "device info")) {
        return e;
    }
    const std::span<const std::uint8_t> p = response.payload;
    DeviceInfo info;
    info.order_code = fixed_string(p, 0, 16);
    info.serial_number = fixed_string(p, 16, 16);
    info.name = fixed_string(p, 32, 32);
    if (p.size() >= kDeviceInfoFirmwareEnd) {
        info.primary_firmware = version(p[70], p[71], u16_le(p, 72));
    }
    if (p.size() >= kDeviceInfoSize) {
        info.description = fixed_string(p, 88, 64);
    }
    out = std::move(info);
    return std::nullopt;
}

std::optional<DecodeError> parse_mask(const Response& response, Command command,
                                      std::uint32_t& out) {
    if (command != Command::GetSensorAvailableMask && command != Command::GetDefaultSensorsMask) {
        return error(Errc::WrongCommand, "only the two mask commands answer with a mask");
    }
    if (auto e = expect_command(response, command)) {
        return e;
    }
    if (auto e = expect_payload(response, 4, "mask")) {
        return e;
    }
    out = u32_le(response.payload, 0);
    return std::nullopt;
}

std::optional<DecodeError> parse_sensor_info(const Response& response, SensorInfo& out) {
    if (auto e = expect_command(response, Command::GetSensorInfo)) {
        return e;
    }
    if (auto e = expect_payload(response, kSensorInfoSize, "sensor info")) {
        return e;
    }
    const std::span<const std::uint8_t> p = response.payload;
    SensorInfo s;
    s.number = p[0];
    s.sensor_id = u32_le(p, 2);
    s.numeric_type = p[6];
    s.sampling_mode = p[7];
    s.description = fixed_string(p, 8, 60);
    s.unit = fixed_string(p, 68, 32);
    s.uncertainty = f64_le(p, 100);
    s.min_value = f64_le(p, 108);
    s.max_value = f64_le(p, 116);
    s.min_period_us = u32_le(p, 124);
    s.max_period_us = u64_le(p, 128);
    s.typical_period_us = u32_le(p, 136);
    s.period_granularity_us = u32_le(p, 140);
    s.mutual_exclusion_mask = u32_le(p, 144);
    if (s.number > 31) {
        return error(Errc::BadValue, fmt::format("sensor number {} is above 31", s.number));
    }
    if (s.sensor_id == 0) {
        return error(Errc::BadValue,
                     fmt::format("sensor {} has id 0: the device has no such sensor", s.number));
    }
    out = std::move(s);
    return std::nullopt;
}

std::optional<DecodeError> parse_measurement(std::span<const std::uint8_t> packet,
                                             Measurement& out) {
    std::span<const std::uint8_t> bytes;
    if (auto e = packet_bytes(packet, bytes)) {
        return e;
    }
    if (bytes[0] != kMeasurementMagic) {
        return error(
            Errc::UnknownPacket,
            fmt::format("packet starts with 0x{:02X}, not a measurement (0x20)", bytes[0]));
    }
    Measurement m;
    m.type = static_cast<MeasurementType>(bytes[4]);
    std::size_t first_value = 0;
    bool is_int = false;
    switch (m.type) {
    case MeasurementType::NormalReal32:
    case MeasurementType::WideReal32: {
        const bool wide = m.type == MeasurementType::WideReal32;
        first_value = wide ? 11 : 9;
        if (bytes.size() < first_value) {
            return error(Errc::TooShort,
                         fmt::format("{} measurement of {} byte(s) is shorter than its {}-byte "
                                     "header",
                                     wide ? "wide" : "normal", bytes.size(), first_value));
        }
        const std::uint32_t mask = wide ? u32_le(bytes, 5) : u16_le(bytes, 5);
        m.rows = bytes[wide ? 9 : 7];
        for (std::uint8_t i = 0; i < 32; ++i) {
            if ((mask >> i) & 1u) {
                m.sensors.push_back(i);
            }
        }
        if (m.sensors.empty() && m.rows > 0) {
            return error(Errc::BadValue, fmt::format("measurement has {} row(s) but an empty "
                                                     "sensor mask",
                                                     m.rows));
        }
        break;
    }
    case MeasurementType::SingleChannelReal32:
    case MeasurementType::AperiodicReal32:
    case MeasurementType::SingleChannelInt32:
    case MeasurementType::AperiodicInt32:
        is_int = m.type == MeasurementType::SingleChannelInt32 ||
                 m.type == MeasurementType::AperiodicInt32;
        first_value = 8;
        if (bytes.size() < first_value) {
            return error(Errc::TooShort,
                         fmt::format("single-sensor measurement of {} byte(s) is shorter than "
                                     "its 8-byte header",
                                     bytes.size()));
        }
        if (bytes[6] > 31) {
            return error(Errc::BadValue,
                         fmt::format("measurement names sensor {}, above 31", bytes[6]));
        }
        m.sensors.push_back(bytes[6]);
        m.rows = bytes[7];
        break;
    case MeasurementType::StartTime:
    case MeasurementType::Dropped:
    case MeasurementType::Period:
        m.info.assign(bytes.begin() + kHeaderSize, bytes.end());
        out = std::move(m);
        return std::nullopt;
    default:
        return error(Errc::UnknownPacket,
                     fmt::format("unknown measurement type 0x{:02X}", bytes[4]));
    }
    const std::size_t count = static_cast<std::size_t>(m.rows) * m.sensors.size();
    const std::size_t needed = first_value + 4 * count;
    if (needed > bytes.size()) {
        return error(Errc::CountTooLarge,
                     fmt::format("{} row(s) x {} sensor(s) need {} bytes, the packet has {}",
                                 m.rows, m.sensors.size(), needed, bytes.size()));
    }
    m.values.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint32_t raw = u32_le(bytes, first_value + 4 * i);
        m.values.push_back(is_int ? static_cast<double>(static_cast<std::int32_t>(raw))
                                  : static_cast<double>(std::bit_cast<float>(raw)));
    }
    out = std::move(m);
    return std::nullopt;
}

std::optional<std::uint8_t> pick_force_sensor(std::uint32_t default_mask,
                                              std::span<const SensorInfo> sensors) {
    std::optional<std::uint8_t> best_default;
    std::optional<std::uint8_t> best_any;
    for (const SensorInfo& s : sensors) {
        if (s.unit != "N" || s.number > 31) {
            continue;
        }
        if ((default_mask >> s.number) & 1u) {
            if (!best_default || s.number < *best_default) {
                best_default = s.number;
            }
        }
        if (!best_any || s.number < *best_any) {
            best_any = s.number;
        }
    }
    return best_default ? best_default : best_any;
}

std::optional<double> newtons_per_unit(std::string_view unit) {
    const auto first = unit.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return std::nullopt;
    }
    unit = unit.substr(first, unit.find_last_not_of(" \t") - first + 1);
    if (unit == "N") {
        return 1.0;
    }
    if (unit == "kN") {
        return 1000.0;
    }
    if (unit == "lbf" || unit == "lb") {
        return 4.4482216152605;
    }
    if (unit == "kgf" || unit == "kg") {
        return 9.80665;
    }
    return std::nullopt;
}

std::optional<std::uint8_t> choose_force_sensor(std::uint32_t default_mask,
                                                std::span<const SensorInfo> sensors) {
    if (auto n = pick_force_sensor(default_mask, sensors)) {
        return n;
    }
    std::optional<std::uint8_t> best_default;
    std::optional<std::uint8_t> best_any;
    for (const SensorInfo& s : sensors) {
        if (s.number > 31 || !newtons_per_unit(s.unit)) {
            continue;
        }
        if (((default_mask >> s.number) & 1u) && (!best_default || s.number < *best_default)) {
            best_default = s.number;
        }
        if (!best_any || s.number < *best_any) {
            best_any = s.number;
        }
    }
    return best_default ? best_default : best_any;
}

SampleMapper::SampleMapper(std::uint8_t force_sensor, Micros period_us)
    : sensor_(force_sensor), period_us_(std::max<Micros>(1, period_us)) {}

void SampleMapper::feed(const Measurement& m, Micros arrival_us, std::vector<Sample>& out) {
    if (m.type == MeasurementType::Dropped) {
        gap_ = true;
        return;
    }
    const auto it = std::find(m.sensors.begin(), m.sensors.end(), sensor_);
    if (it == m.sensors.end() || m.rows == 0) {
        return;
    }
    const auto index = static_cast<std::size_t>(it - m.sensors.begin());
    for (std::size_t row = 0; row < m.rows; ++row) {
        const auto behind = static_cast<Micros>(m.rows - 1 - row);
        const Micros t = std::max(arrival_us - behind * period_us_, last_t_);
        std::uint16_t flags = kFlagNone;
        if (gap_) {
            flags |= kFlagGapBefore;
            gap_ = false;
        }
        out.push_back(Sample{t, Channel::Force, static_cast<float>(m.at(row, index)), flags});
        last_t_ = t;
    }
}

} // namespace qv::input::godirect
