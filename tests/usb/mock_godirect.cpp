#include "tests/usb/mock_godirect.hpp"

#include <bit>
#include <cstring>

namespace qv::test {

namespace {

using Bytes = std::vector<std::uint8_t>;

void put_string(Bytes& b, const std::string& s, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
        b.push_back(i < s.size() ? static_cast<std::uint8_t>(s[i]) : 0);
    }
}

void put_le(Bytes& b, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) {
        b.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xFF));
    }
}

std::uint8_t sum_except_3(const Bytes& p) {
    unsigned sum = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        sum += i == 3 ? 0u : p[i];
    }
    return static_cast<std::uint8_t>(sum);
}

Bytes sensor_info(std::uint8_t number, const std::string& description, const std::string& unit) {
    Bytes p{number, 0};
    put_le(p, 1000u + number, 4); // sensor id
    p.push_back(0);               // real
    p.push_back(0);               // periodic
    put_string(p, description, 60);
    put_string(p, unit, 32);
    put_le(p, std::bit_cast<std::uint64_t>(0.1), 8);
    put_le(p, std::bit_cast<std::uint64_t>(-50.0), 8);
    put_le(p, std::bit_cast<std::uint64_t>(50.0), 8);
    put_le(p, 1000, 4);       // min period 1 ms
    put_le(p, 1ull << 33, 8); // max period
    put_le(p, 10000, 4);      // typical period
    put_le(p, 1000, 4);       // granularity
    put_le(p, 0, 4);          // mutual exclusion
    return p;
}

} // namespace

MockGoDirect::MockGoDirect(std::string product, bool with_out_endpoint)
    : MockHidDevice(HidDeviceSpec{0x08F7, 0x0010, "Vernier Software & Technology",
                                  std::move(product), kSerial, 64, 1,
                                  static_cast<std::uint16_t>(with_out_endpoint ? 64 : 0), 34}) {}

void MockGoDirect::set_force_unit(std::string unit) {
    std::lock_guard lock(mutex_);
    unit_ = std::move(unit);
}

void MockGoDirect::ignore_command(std::uint8_t command) {
    std::lock_guard lock(mutex_);
    ignored_.insert(command);
}

void MockGoDirect::set_rows_per_packet(int rows) {
    std::lock_guard lock(mutex_);
    rows_ = std::max(1, rows);
}

std::vector<ReceivedCommand> MockGoDirect::received() {
    std::lock_guard lock(mutex_);
    return received_;
}

std::uint32_t MockGoDirect::period_us() {
    std::lock_guard lock(mutex_);
    return period_us_;
}

std::uint32_t MockGoDirect::start_mask() {
    std::lock_guard lock(mutex_);
    return mask_;
}

void MockGoDirect::on_replug() {
    received_.clear();
    period_us_ = 0;
    mask_ = 0;
    ignored_.clear();
}

// A response: [0x58, length, counter, checksum, command, counter, payload...], in reports of
// at most 63 bytes after their count byte.
void MockGoDirect::respond(const ReceivedCommand& c, Bytes payload) {
    Bytes p{0x58,     static_cast<std::uint8_t>(6 + payload.size()), c.counter, 0, c.command,
            c.counter};
    p.insert(p.end(), payload.begin(), payload.end());
    p[3] = sum_except_3(p);
    for (std::size_t at = 0; at < p.size(); at += 63) {
        const std::size_t n = std::min<std::size_t>(63, p.size() - at);
        Bytes r(64, 0);
        r[0] = static_cast<std::uint8_t>(n);
        std::memcpy(r.data() + 1, p.data() + at, n);
        push_in(InEvent{InEvent::Kind::Bytes, std::move(r), 0});
    }
}

void MockGoDirect::on_out_report(const Bytes& report) {
    if (report.empty() || report[0] < 5 || report[0] > 63 || report.size() < 1u + report[0]) {
        return;
    }
    const Bytes p(report.begin() + 1, report.begin() + 1 + report[0]);
    ReceivedCommand c;
    c.command = p[4];
    c.counter = p[2];
    c.payload.assign(p.begin() + 5, p.end());
    c.checksum_ok = p[0] == 0x58 && p[1] == p.size() && sum_except_3(p) == p[3];
    received_.push_back(c);
    if (ignored_.count(c.command) != 0) {
        return;
    }
    switch (c.command) {
    case 0x1A: // INIT
    case 0x54: // DISCONNECT
        respond(c, {0x00});
        break;
    case 0x55: { // GET_DEVICE_INFO
        const std::string name = spec().product_name;
        Bytes d;
        put_string(d, name.substr(0, name.find(' ')), 16);
        put_string(d, kSerial, 16);
        put_string(d, name, 32);
        put_le(d, 1, 2);
        put_le(d, 2022, 2);
        d.push_back(3);
        d.push_back(14);
        d.push_back(1); // firmware 1.2.345
        d.push_back(2);
        put_le(d, 345, 2);
        d.insert(d.end(), 14, 0);
        put_string(d, "Go Direct Force and Acceleration", 64);
        respond(c, d);
        break;
    }
    case 0x56: // GET_DEFAULT_SENSORS_MASK: sensor 1 (force)
        respond(c, {0x02, 0x00, 0x00, 0x00});
        break;
    case 0x51: // GET_SENSOR_AVAILABLE_MASK: sensors 1 (force) and 2 (acceleration)
        respond(c, {0x06, 0x00, 0x00, 0x00});
        break;
    case 0x50: { // GET_SENSOR_INFO
        const std::uint8_t n = c.payload.empty() ? 0 : c.payload[0];
        if (n == 1) {
            respond(c, sensor_info(1, "Force", unit_));
        } else if (n == 2) {
            respond(c, sensor_info(2, "X-axis acceleration", "m/s²"));
        } else {
            Bytes none(148, 0);
            none[0] = n;
            respond(c, none);
        }
        break;
    }
    case 0x1B: // SET_MEASUREMENT_PERIOD: 0xFF 0x00 u32
        if (c.payload.size() >= 6) {
            period_us_ = static_cast<std::uint32_t>(c.payload[2] | (c.payload[3] << 8) |
                                                    (c.payload[4] << 16)) |
                         (static_cast<std::uint32_t>(c.payload[5]) << 24);
        }
        respond(c, {0x00});
        break;
    case 0x18: // START: 0xFF 0x01 u32 mask
        if (c.payload.size() >= 6) {
            mask_ = static_cast<std::uint32_t>(c.payload[2] | (c.payload[3] << 8) |
                                               (c.payload[4] << 16)) |
                    (static_cast<std::uint32_t>(c.payload[5]) << 24);
        }
        respond(c, {0x00});
        start_stream(static_cast<std::int64_t>(period_us_) * rows_);
        break;
    case 0x19: // STOP
        stop_stream();
        respond(c, {0x00});
        break;
    default:
        respond(c, {0x01});
        break;
    }
}

// A 0x06 normal real32 packet for the START mask with rows_ rows, as a 64-byte report.
Bytes MockGoDirect::stream_report(int index) {
    Bytes p{0x20, 0, 0, 0, 0x06};
    put_le(p, mask_ & 0xFFFF, 2);
    p.push_back(static_cast<std::uint8_t>(rows_));
    p.push_back(0);
    int sensors = 0;
    for (int s = 0; s < 16; ++s) {
        sensors += (mask_ >> s) & 1u ? 1 : 0;
    }
    for (int row = 0; row < rows_; ++row) {
        for (int s = 0; s < sensors; ++s) {
            const auto v = static_cast<float>(value_of(index * rows_ + row));
            put_le(p, std::bit_cast<std::uint32_t>(v), 4);
        }
    }
    p[1] = static_cast<std::uint8_t>(p.size());
    p[3] = sum_except_3(p);
    Bytes r(64, 0);
    r[0] = static_cast<std::uint8_t>(p.size());
    std::memcpy(r.data() + 1, p.data(), std::min<std::size_t>(63, p.size()));
    return r;
}

} // namespace qv::test
