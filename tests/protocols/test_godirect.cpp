// Vernier Go Direct: command bytes (counter and checksum) byte for byte, HID framing and
// reassembly, responses, every measurement packet type and every error path.

#include "input/drivers/godirect/protocol.hpp"
#include "tests/protocols/support.hpp"

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cstring>

using namespace qv;
using namespace qv::input::godirect;
using qv::test::Bytes;

namespace {

Errc code_of(const std::optional<DecodeError>& e) {
    REQUIRE(e.has_value());
    INFO(e->message);
    return e->code;
}

// Sets byte 3 to the 8-bit sum of the other bytes (computed here, independently of checksum()).
Bytes with_checksum(Bytes p) {
    unsigned sum = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        sum += i == 3 ? 0u : p[i];
    }
    p[3] = static_cast<std::uint8_t>(sum);
    return p;
}

// A command response packet: header, echoed command and counter, payload.
Bytes response(std::uint8_t command, std::uint8_t counter, const Bytes& payload) {
    Bytes p{0x58, static_cast<std::uint8_t>(6 + payload.size()), counter, 0, command, counter};
    p.insert(p.end(), payload.begin(), payload.end());
    return with_checksum(p);
}

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

void put_f64(Bytes& b, double v) {
    put_le(b, std::bit_cast<std::uint64_t>(v), 8);
}

// The 152-byte GET_DEVICE_INFO payload of a force plate.
Bytes device_info_payload() {
    Bytes p;
    put_string(p, "GDX-FP", 16);
    put_string(p, "0K1023A4", 16);
    put_string(p, "GDX-FP 0K1023A4", 32);
    put_le(p, 0x0001, 2); // manufacturer
    put_le(p, 2021, 2);   // year
    p.push_back(5);       // month
    p.push_back(17);      // day
    p.push_back(1);       // primary firmware 1.7.258
    p.push_back(7);
    put_le(p, 258, 2);
    p.push_back(2); // secondary firmware 2.3.4
    p.push_back(3);
    put_le(p, 4, 2);
    p.insert(p.end(), {0x11, 0x22, 0x33, 0x44, 0x55, 0x66}); // radio address
    put_le(p, 4096, 4);
    put_string(p, "Go Direct Force Plate", 64);
    REQUIRE(p.size() == 152);
    return p;
}

// The 148-byte GET_SENSOR_INFO payload of a force channel.
Bytes sensor_info_payload(std::uint8_t number, std::uint32_t id, const std::string& unit) {
    Bytes p{number, 0};
    put_le(p, id, 4);
    p.push_back(0); // real
    p.push_back(0); // periodic
    put_string(p, "Force", 60);
    put_string(p, unit, 32);
    put_f64(p, 0.5);          // uncertainty
    put_f64(p, -850.0);       // min
    put_f64(p, 3500.0);       // max
    put_le(p, 1000, 4);       // min period
    put_le(p, 1ull << 33, 8); // max period
    put_le(p, 10000, 4);      // typical period
    put_le(p, 1000, 4);       // granularity
    put_le(p, 0x4, 4);        // mutual exclusion
    REQUIRE(p.size() == 148);
    return p;
}

// Splits a packet into 64-byte IN reports (count byte, at most 63 bytes, zero padding).
std::vector<Bytes> reports_of(const Bytes& packet) {
    std::vector<Bytes> out;
    for (std::size_t at = 0; at < packet.size(); at += 63) {
        const std::size_t n = std::min<std::size_t>(63, packet.size() - at);
        Bytes r(64, 0);
        r[0] = static_cast<std::uint8_t>(n);
        std::memcpy(r.data() + 1, packet.data() + at, n);
        out.push_back(r);
    }
    return out;
}

Response parsed_response(const Bytes& packet) {
    Response r;
    const auto e = parse_response(packet, r);
    INFO((e ? e->message : std::string()));
    REQUIRE_FALSE(e);
    return r;
}

Measurement measurement(const Bytes& packet) {
    Measurement m;
    const auto e = parse_measurement(packet, m);
    INFO((e ? e->message : std::string()));
    REQUIRE_FALSE(e);
    return m;
}

} // namespace

// ---- commands --------------------------------------------------------------------------------

TEST_CASE("godirect: the command sequence of an open, byte for byte", "[godirect]") {
    CommandBuilder b;
    CHECK(b.init() == Bytes{0x58, 0x19, 0xFE, 0x3F, 0x1A, 0xA5, 0x4A, 0x06, 0x49,
                            0x07, 0x48, 0x08, 0x47, 0x09, 0x46, 0x0A, 0x45, 0x0B,
                            0x44, 0x0C, 0x43, 0x0D, 0x42, 0x0E, 0x41});
    CHECK(b.counter() == 0xFE);
    CHECK(b.get_status() == Bytes{0x58, 0x05, 0xFD, 0x6A, 0x10});
    CHECK(b.get_device_info() == Bytes{0x58, 0x05, 0xFC, 0xAE, 0x55});
    CHECK(b.get_available_mask() == Bytes{0x58, 0x05, 0xFB, 0xA9, 0x51});
    CHECK(b.get_default_mask() == Bytes{0x58, 0x05, 0xFA, 0xAD, 0x56});
    CHECK(b.get_sensor_info(1) == Bytes{0x58, 0x06, 0xF9, 0xA8, 0x50, 0x01});
    CHECK(b.set_measurement_period(10000) == Bytes{0x58, 0x0F, 0xF8, 0xB0, 0x1B, 0xFF, 0x00, 0x10,
                                                   0x27, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
    CHECK(b.start(0x02) == Bytes{0x58, 0x13, 0xF7, 0x7C, 0x18, 0xFF, 0x01, 0x02, 0x00, 0x00, 0x00,
                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
    CHECK(b.stop() == Bytes{0x58, 0x0B, 0xF6, 0x6D, 0x19, 0xFF, 0x00, 0xFF, 0xFF, 0xFF, 0xFF});
    CHECK(b.disconnect() == Bytes{0x58, 0x05, 0xF5, 0xA6, 0x54});
    CHECK(b.counter() == 0xF5);
}

TEST_CASE("godirect: the counter wraps from 0x00 to 0xFF and INIT resets it", "[godirect]") {
    CommandBuilder b;
    (void)b.init();
    for (int i = 0; i < 0xFE; ++i) {
        (void)b.get_status();
    }
    CHECK(b.counter() == 0x00);
    const Packet wrapped = b.get_status();
    CHECK(wrapped[2] == 0xFF);
    CHECK(wrapped == Bytes{0x58, 0x05, 0xFF, 0x6C, 0x10});
    CHECK(b.get_status()[2] == 0xFE);
    CHECK(b.init()[2] == 0xFE);
    CHECK(b.get_status()[2] == 0xFD);
}

TEST_CASE("godirect: every command checksums to its byte 3", "[godirect]") {
    CommandBuilder b;
    for (const Packet& p :
         {b.init(), b.get_status(), b.get_device_info(), b.get_available_mask(),
          b.get_default_mask(), b.get_sensor_info(31), b.set_measurement_period(0xFFFFFFFF),
          b.start(0xFFFFFFFF), b.stop(), b.disconnect()}) {
        CHECK(p[0] == 0x58);
        CHECK(p[1] == p.size());
        CHECK(checksum(p) == p[3]);
        CHECK(with_checksum(p) == p);
    }
}

TEST_CASE("godirect: commands travel in 64-byte reports led by their length", "[godirect]") {
    CommandBuilder b;
    const Packet init = b.init();
    const auto report = frame(init);
    REQUIRE(report);
    CHECK((*report)[0] == 25);
    CHECK(std::equal(init.begin(), init.end(), report->begin() + 1));
    CHECK(std::all_of(report->begin() + 26, report->end(), [](std::uint8_t x) { return x == 0; }));
    CHECK_FALSE(frame(Bytes(64, 0x58)));
    CHECK_FALSE(frame(Bytes{}));
    CHECK(frame(Bytes(63, 0x58)));
}

// ---- reassembly -------------------------------------------------------------------------------

TEST_CASE("godirect: one report, one packet", "[godirect][assembler]") {
    const Bytes packet{0x58, 0x07, 0xF7, 0x65, 0x18, 0xF7, 0x00};
    PacketAssembler a;
    std::vector<Packet> out;
    REQUIRE_FALSE(a.feed(reports_of(packet)[0], out));
    REQUIRE(out.size() == 1);
    CHECK(out[0] == packet);
    CHECK_FALSE(a.pending());
}

TEST_CASE("godirect: a 158-byte device info arrives in three reports", "[godirect][assembler]") {
    const Bytes packet = response(0x55, 0xFC, device_info_payload());
    REQUIRE(packet.size() == 158);
    const auto reports = reports_of(packet);
    REQUIRE(reports.size() == 3);
    PacketAssembler a;
    std::vector<Packet> out;
    REQUIRE_FALSE(a.feed(reports[0], out));
    CHECK(a.pending());
    REQUIRE_FALSE(a.feed(Bytes{}, out)); // a zero-length completion in between
    REQUIRE_FALSE(a.feed(reports[1], out));
    CHECK(out.empty());
    REQUIRE_FALSE(a.feed(reports[2], out));
    REQUIRE(out.size() == 1);
    CHECK(out[0] == packet);
    CHECK_FALSE(a.pending());
}

TEST_CASE("godirect: zero-length reports and empty counts are ignored", "[godirect][assembler]") {
    PacketAssembler a;
    std::vector<Packet> out;
    CHECK_FALSE(a.feed(Bytes{}, out));
    CHECK_FALSE(a.feed(Bytes(64, 0), out));
    CHECK(out.empty());
    CHECK_FALSE(a.pending());
}

TEST_CASE("godirect: malformed reports are typed errors and resynchronise",
          "[godirect][assembler]") {
    struct Case {
        const char* what;
        Bytes report;
        Errc code;
    };
    Bytes bad_sum{0x05, 0x58, 0x05, 0xFD, 0x00, 0x10};
    Bytes count_too_big(64, 0);
    count_too_big[0] = 64;
    const auto c = GENERATE_COPY(
        Case{"count above 63", count_too_big, Errc::BadLength},
        Case{"count beyond a short report", Bytes{0x14, 0x20, 0x15, 0x00}, Errc::TooShort},
        Case{"garbage first byte", Bytes{0x05, 0xFF, 0x05, 0x00, 0x00, 0x00}, Errc::UnknownPacket},
        Case{"no length byte", Bytes{0x01, 0x20}, Errc::TooShort},
        Case{"length field below the header", Bytes{0x04, 0x20, 0x04, 0x00, 0x00}, Errc::BadLength},
        Case{"more bytes than the packet", Bytes{0x07, 0x58, 0x05, 0xFD, 0x6A, 0x10, 0xAA, 0xBB},
             Errc::BadLength},
        Case{"wrong checksum", bad_sum, Errc::BadChecksum});
    INFO(c.what);
    PacketAssembler a;
    std::vector<Packet> out;
    CHECK(code_of(a.feed(c.report, out)) == c.code);
    CHECK(out.empty());
    CHECK_FALSE(a.pending());
    // The next good report is read normally.
    REQUIRE_FALSE(a.feed(Bytes{0x05, 0x58, 0x05, 0xFD, 0x6A, 0x10}, out));
    CHECK(out.size() == 1);
}

TEST_CASE("godirect: a continuation that overruns its packet is an error",
          "[godirect][assembler]") {
    const Bytes packet = response(0x50, 0xF9, sensor_info_payload(1, 5, "N"));
    auto reports = reports_of(packet);
    REQUIRE(reports.size() == 3);
    reports[2][0] = 40; // the last report claims more than the 28 bytes left
    PacketAssembler a;
    std::vector<Packet> out;
    REQUIRE_FALSE(a.feed(reports[0], out));
    REQUIRE_FALSE(a.feed(reports[1], out));
    CHECK(code_of(a.feed(reports[2], out)) == Errc::BadLength);
    CHECK(out.empty());
    CHECK_FALSE(a.pending());
}

TEST_CASE("godirect: checksum checking can be turned off", "[godirect][assembler]") {
    PacketAssembler a(false);
    std::vector<Packet> out;
    REQUIRE_FALSE(a.feed(Bytes{0x05, 0x58, 0x05, 0xFD, 0x00, 0x10}, out));
    CHECK(out.size() == 1);
}

// ---- responses --------------------------------------------------------------------------------

TEST_CASE("godirect: GET_STATUS", "[godirect][response]") {
    const Bytes packet{0x58, 0x12, 0xFD, 0xE0, 0x10, 0xFD, 0x00, 0x00, 0x01,
                       0x07, 0x02, 0x01, 0x02, 0x03, 0x04, 0x00, 0x57, 0x01};
    const Response r = parsed_response(packet);
    CHECK(r.command == 0x10);
    CHECK(r.counter == 0xFD);
    CHECK(r.payload.size() == 12);
    DeviceStatus s;
    REQUIRE_FALSE(parse_status(r, s));
    CHECK(s.status == 0);
    CHECK(s.primary_firmware == "1.7.258");
    CHECK(s.secondary_firmware == "2.3.4");
    CHECK(s.battery_percent == 87);
    CHECK(s.charger_state == 1);

    Response wrong = r;
    wrong.command = 0x55;
    CHECK(code_of(parse_status(wrong, s)) == Errc::WrongCommand);
    Response short_payload = r;
    short_payload.payload.resize(11);
    CHECK(code_of(parse_status(short_payload, s)) == Errc::TooShort);
    Response bad_battery = r;
    bad_battery.payload[10] = 150;
    CHECK(code_of(parse_status(bad_battery, s)) == Errc::BadValue);
}

TEST_CASE("godirect: GET_DEVICE_INFO tells the model apart", "[godirect][response]") {
    const Response r = parsed_response(response(0x55, 0xFC, device_info_payload()));
    DeviceInfo info;
    REQUIRE_FALSE(parse_device_info(r, info));
    CHECK(info.order_code == "GDX-FP");
    CHECK(info.serial_number == "0K1023A4");
    CHECK(info.name == "GDX-FP 0K1023A4");
    CHECK(info.primary_firmware == "1.7.258");
    CHECK(info.description == "Go Direct Force Plate");
    CHECK(model_from_product(info.name) == Model::ForcePlate);

    // Only the names: the rest is optional.
    Bytes names = device_info_payload();
    names.resize(64);
    DeviceInfo partial;
    REQUIRE_FALSE(parse_device_info(parsed_response(response(0x55, 0xFC, names)), partial));
    CHECK(partial.serial_number == "0K1023A4");
    CHECK(partial.primary_firmware.empty());
    CHECK(partial.description.empty());

    names.resize(63);
    CHECK(code_of(parse_device_info(parsed_response(response(0x55, 0xFC, names)), partial)) ==
          Errc::TooShort);
    CHECK(code_of(parse_device_info(parsed_response(response(0x10, 0xFC, device_info_payload())),
                                    partial)) == Errc::WrongCommand);
}

TEST_CASE("godirect: the two mask responses", "[godirect][response]") {
    const Response r =
        parsed_response(Bytes{0x58, 0x0A, 0xFB, 0xB0, 0x51, 0xFB, 0x07, 0x00, 0x00, 0x00});
    std::uint32_t mask = 0;
    REQUIRE_FALSE(parse_mask(r, Command::GetSensorAvailableMask, mask));
    CHECK(mask == 7);
    CHECK(code_of(parse_mask(r, Command::GetDefaultSensorsMask, mask)) == Errc::WrongCommand);
    CHECK(code_of(parse_mask(r, Command::GetStatus, mask)) == Errc::WrongCommand);
    const Response defaults = parsed_response(response(0x56, 0xFA, Bytes{0x02, 0, 0, 0}));
    REQUIRE_FALSE(parse_mask(defaults, Command::GetDefaultSensorsMask, mask));
    CHECK(mask == 2);
    const Response short_mask = parsed_response(response(0x56, 0xFA, Bytes{0x02, 0, 0}));
    CHECK(code_of(parse_mask(short_mask, Command::GetDefaultSensorsMask, mask)) == Errc::TooShort);
}

TEST_CASE("godirect: GET_SENSOR_INFO with unit, range and periods", "[godirect][response]") {
    const Response r = parsed_response(response(0x50, 0xF9, sensor_info_payload(1, 5012, "N")));
    SensorInfo s;
    REQUIRE_FALSE(parse_sensor_info(r, s));
    CHECK(s.number == 1);
    CHECK(s.sensor_id == 5012);
    CHECK(s.description == "Force");
    CHECK(s.unit == "N");
    CHECK(s.uncertainty == 0.5);
    CHECK(s.min_value == -850.0);
    CHECK(s.max_value == 3500.0);
    CHECK(s.min_period_us == 1000);
    CHECK(s.max_period_us == (1ull << 33));
    CHECK(s.typical_period_us == 10000);
    CHECK(s.period_granularity_us == 1000);
    CHECK(s.mutual_exclusion_mask == 0x4);

    CHECK(code_of(parse_sensor_info(
              parsed_response(response(0x50, 0xF9, sensor_info_payload(1, 0, "N"))), s)) ==
          Errc::BadValue);
    CHECK(code_of(parse_sensor_info(
              parsed_response(response(0x50, 0xF9, sensor_info_payload(40, 7, "N"))), s)) ==
          Errc::BadValue);
    Bytes cut = sensor_info_payload(1, 5012, "N");
    cut.resize(147);
    CHECK(code_of(parse_sensor_info(parsed_response(response(0x50, 0xF9, cut)), s)) ==
          Errc::TooShort);
}

TEST_CASE("godirect: command status bytes", "[godirect][response]") {
    const Response ok = parsed_response(Bytes{0x58, 0x07, 0xF7, 0x65, 0x18, 0xF7, 0x00});
    CHECK_FALSE(check_ok(ok, Command::Start));
    CHECK(code_of(check_ok(ok, Command::Stop)) == Errc::WrongCommand);
    const Response refused = parsed_response(response(0x18, 0xF7, Bytes{0x03}));
    CHECK(code_of(check_ok(refused, Command::Start)) == Errc::Refused);
    const Response empty = parsed_response(response(0x18, 0xF7, Bytes{}));
    CHECK(code_of(check_ok(empty, Command::Start)) == Errc::TooShort);
}

TEST_CASE("godirect: malformed responses", "[godirect][response]") {
    Response r;
    CHECK(code_of(parse_response(Bytes{0x58, 0x05, 0x00}, r)) == Errc::TooShort);
    CHECK(code_of(parse_response(Bytes{0x58, 0x05, 0xFD, 0x6A, 0x10}, r)) == Errc::TooShort);
    CHECK(code_of(parse_response(Bytes{0x58, 0x02, 0xFD, 0x6A, 0x10, 0x00}, r)) == Errc::BadLength);
    CHECK(code_of(parse_response(Bytes{0x58, 0x30, 0xFD, 0x6A, 0x10, 0x00}, r)) == Errc::TooShort);
    CHECK(code_of(parse_response(Bytes{0x20, 0x07, 0x00, 0x39, 0x0D, 0x05, 0x00}, r)) ==
          Errc::UnknownPacket);
}

// ---- measurements -----------------------------------------------------------------------------

TEST_CASE("godirect: 0x06 normal float32, one sensor, three rows", "[godirect][measurement]") {
    const Measurement m =
        measurement(Bytes{0x20, 0x15, 0x00, 0xE5, 0x06, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00,
                          0x20, 0x41, 0x00, 0x00, 0xA4, 0x41, 0x00, 0x00, 0xA0, 0xBF});
    CHECK(m.type == MeasurementType::NormalReal32);
    CHECK(m.sensors == std::vector<std::uint8_t>{1});
    CHECK(m.rows == 3);
    CHECK(m.values == std::vector<double>{10.0, 20.5, -1.25});
}

TEST_CASE("godirect: 0x06 normal float32 interleaves sensors row by row",
          "[godirect][measurement]") {
    const Measurement m = measurement(Bytes{0x20, 0x19, 0x00, 0x83, 0x06, 0x03, 0x00, 0x02, 0x00,
                                            0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40, 0x00,
                                            0x00, 0x40, 0x40, 0x00, 0x00, 0x80, 0x40});
    CHECK(m.sensors == std::vector<std::uint8_t>{0, 1});
    CHECK(m.rows == 2);
    CHECK(m.at(0, 0) == 1.0);
    CHECK(m.at(0, 1) == 2.0);
    CHECK(m.at(1, 0) == 3.0);
    CHECK(m.at(1, 1) == 4.0);
}

TEST_CASE("godirect: 0x07 wide float32 with a 32-bit mask", "[godirect][measurement]") {
    const Measurement m =
        measurement(Bytes{0x20, 0x13, 0x00, 0x1D, 0x07, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
                          0x00, 0xA0, 0x40, 0x00, 0x00, 0xC0, 0x40});
    CHECK(m.type == MeasurementType::WideReal32);
    CHECK(m.sensors == std::vector<std::uint8_t>{0, 16});
    CHECK(m.rows == 1);
    CHECK(m.values == std::vector<double>{5.0, 6.0});
}

TEST_CASE("godirect: 0x08 and 0x0A single-sensor float32", "[godirect][measurement]") {
    const Measurement single = measurement(Bytes{0x20, 0x10, 0x00, 0xB0, 0x08, 0x00, 0x01, 0x02,
                                                 0x00, 0x00, 0xF0, 0x40, 0x00, 0x00, 0x04, 0x41});
    CHECK(single.type == MeasurementType::SingleChannelReal32);
    CHECK(single.sensors == std::vector<std::uint8_t>{1});
    CHECK(single.values == std::vector<double>{7.5, 8.25});
    const Measurement aperiodic =
        measurement(Bytes{0x20, 0x0C, 0x00, 0x77, 0x0A, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x3F});
    CHECK(aperiodic.type == MeasurementType::AperiodicReal32);
    CHECK(aperiodic.values == std::vector<double>{0.5});
}

TEST_CASE("godirect: 0x09 and 0x0B single-sensor int32", "[godirect][measurement]") {
    const Measurement single = measurement(Bytes{0x20, 0x10, 0x00, 0x5F, 0x09, 0x00, 0x02, 0x02,
                                                 0xFE, 0xFF, 0xFF, 0xFF, 0xA0, 0x86, 0x01, 0x00});
    CHECK(single.type == MeasurementType::SingleChannelInt32);
    CHECK(single.sensors == std::vector<std::uint8_t>{2});
    CHECK(single.values == std::vector<double>{-2.0, 100000.0});
    const Measurement aperiodic =
        measurement(Bytes{0x20, 0x0C, 0x00, 0x64, 0x0B, 0x00, 0x02, 0x01, 0x2A, 0x00, 0x00, 0x00});
    CHECK(aperiodic.type == MeasurementType::AperiodicInt32);
    CHECK(aperiodic.values == std::vector<double>{42.0});
}

TEST_CASE("godirect: 0x0C start time, 0x0D dropped and 0x0E period carry no values",
          "[godirect][measurement]") {
    const Measurement start =
        measurement(Bytes{0x20, 0x09, 0x00, 0x3F, 0x0C, 0x01, 0x02, 0x03, 0x04});
    CHECK(start.type == MeasurementType::StartTime);
    CHECK(start.values.empty());
    CHECK(start.info == Bytes{0x01, 0x02, 0x03, 0x04});
    const Measurement dropped = measurement(Bytes{0x20, 0x07, 0x00, 0x39, 0x0D, 0x05, 0x00});
    CHECK(dropped.type == MeasurementType::Dropped);
    CHECK(dropped.info == Bytes{0x05, 0x00});
    const Measurement period =
        measurement(Bytes{0x20, 0x09, 0x00, 0x6E, 0x0E, 0x10, 0x27, 0x00, 0x00});
    CHECK(period.type == MeasurementType::Period);
    CHECK(period.info == Bytes{0x10, 0x27, 0x00, 0x00});
}

TEST_CASE("godirect: malformed measurements are typed errors", "[godirect][measurement]") {
    struct Case {
        const char* what;
        Bytes packet;
        Errc code;
    };
    const auto c = GENERATE(
        Case{"shorter than the header", Bytes{0x20, 0x04, 0x00}, Errc::TooShort},
        Case{"length field below the header", Bytes{0x20, 0x03, 0x00, 0x00, 0x06}, Errc::BadLength},
        Case{"length field beyond the bytes", Bytes{0x20, 0x15, 0x00, 0x00, 0x06, 0x02, 0x00},
             Errc::TooShort},
        Case{"normal header cut", Bytes{0x20, 0x08, 0x00, 0x00, 0x06, 0x02, 0x00, 0x01},
             Errc::TooShort},
        Case{"wide header cut", Bytes{0x20, 0x0A, 0x00, 0x00, 0x07, 0x01, 0, 0, 0, 0x01},
             Errc::TooShort},
        Case{"single header cut", Bytes{0x20, 0x07, 0x00, 0x00, 0x08, 0x00, 0x01}, Errc::TooShort},
        Case{"count larger than the packet",
             Bytes{0x20, 0x0D, 0x00, 0x00, 0x06, 0x02, 0x00, 0x05, 0x00, 0x00, 0x00, 0x20, 0x41},
             Errc::CountTooLarge},
        Case{"count x sensors larger than the packet",
             Bytes{0x20, 0x11, 0x00, 0x00, 0x06, 0x03, 0x00, 0x02, 0x00, 0x00, 0x00, 0x20, 0x41,
                   0x00, 0x00, 0x20, 0x41, 0xEE},
             Errc::CountTooLarge},
        Case{"single count larger than the packet",
             Bytes{0x20, 0x0C, 0x00, 0x00, 0x09, 0x00, 0x02, 0xFF, 0x01, 0x00, 0x00, 0x00},
             Errc::CountTooLarge},
        Case{"rows with an empty mask", Bytes{0x20, 0x09, 0x00, 0x00, 0x06, 0x00, 0x00, 0x01, 0x00},
             Errc::BadValue},
        Case{"sensor number above 31", Bytes{0x20, 0x08, 0x00, 0x00, 0x08, 0x00, 0x40, 0x00},
             Errc::BadValue},
        Case{"unknown type", Bytes{0x20, 0x05, 0x00, 0x00, 0x42}, Errc::UnknownPacket},
        Case{"a response", Bytes{0x58, 0x07, 0xF7, 0x65, 0x18, 0xF7, 0x00}, Errc::UnknownPacket});
    INFO(c.what);
    Measurement m;
    CHECK(code_of(parse_measurement(c.packet, m)) == c.code);
    CHECK(m.values.empty());
}

TEST_CASE("godirect: a packet with no rows is valid and empty", "[godirect][measurement]") {
    const Measurement m =
        measurement(with_checksum(Bytes{0x20, 0x09, 0x00, 0x00, 0x06, 0x02, 0x00, 0x00, 0x00}));
    CHECK(m.sensors == std::vector<std::uint8_t>{1});
    CHECK(m.rows == 0);
    CHECK(m.values.empty());
}

// ---- models and samples -----------------------------------------------------------------------

TEST_CASE("godirect: models by product string", "[godirect]") {
    CHECK(model_from_product("GDX-FP 0K1023A4") == Model::ForcePlate);
    CHECK(model_from_product("GDX-FOR 071001X6") == Model::ForceAcceleration);
    CHECK(model_from_product("GDX-HD 15300022") == Model::HandDynamometer);
    CHECK(model_from_product("  GDX-HD") == Model::HandDynamometer);
    CHECK(model_from_product("GDX-FORCE 1") == Model::Other);
    CHECK(model_from_product("GDX-F") == Model::Other);
    CHECK(model_from_product("GDX-TMP 0F1000A1") == Model::Other);
    CHECK(model_from_product("") == Model::Other);
    CHECK(model_name(Model::ForcePlate) == "GDX-FP");
    CHECK(model_name(Model::Other) == "Go Direct");
}

TEST_CASE("godirect: the force sensor is the lowest default one in newtons",
          "[godirect][samples]") {
    std::vector<SensorInfo> sensors(3);
    sensors[0].number = 1;
    sensors[0].unit = "N";
    sensors[1].number = 2;
    sensors[1].unit = "m/s²";
    sensors[2].number = 3;
    sensors[2].unit = "N";
    CHECK(pick_force_sensor(0b1000, sensors) == 3);
    CHECK(pick_force_sensor(0b0100, sensors) == 1); // the default measures acceleration
    CHECK(pick_force_sensor(0b1010, sensors) == 1);
    sensors[0].unit = "V";
    sensors[2].unit = "lb";
    CHECK_FALSE(pick_force_sensor(0xFFFFFFFF, sensors));
}

TEST_CASE("godirect: rows become samples one period apart, ending at the arrival",
          "[godirect][samples]") {
    SampleMapper mapper(1, 10'000);
    std::vector<Sample> out;
    Measurement m;
    m.type = MeasurementType::NormalReal32;
    m.sensors = {0, 1};
    m.rows = 3;
    m.values = {9, 100, 9, 101, 9, 102};
    mapper.feed(m, 100'000, out);
    REQUIRE(out.size() == 3);
    CHECK(out[0].t_us == 80'000);
    CHECK(out[1].t_us == 90'000);
    CHECK(out[2].t_us == 100'000);
    CHECK(out[0].value == 100.0f);
    CHECK(out[2].value == 102.0f);
    CHECK(out[0].channel == Channel::Force);
    CHECK(out[0].flags == kFlagNone);

    // A packet that arrives early never moves time backwards.
    mapper.feed(m, 105'000, out);
    REQUIRE(out.size() == 6);
    CHECK(out[3].t_us == 100'000);
    CHECK(out[5].t_us == 105'000);

    // Dropped: the next sample says so, the one after does not.
    Measurement dropped;
    dropped.type = MeasurementType::Dropped;
    mapper.feed(dropped, 110'000, out);
    CHECK(out.size() == 6);
    mapper.feed(m, 200'000, out);
    REQUIRE(out.size() == 9);
    CHECK(out[6].flags == kFlagGapBefore);
    CHECK(out[7].flags == kFlagNone);

    // Packets for other sensors give nothing.
    Measurement other;
    other.type = MeasurementType::SingleChannelReal32;
    other.sensors = {2};
    other.rows = 1;
    other.values = {5};
    mapper.feed(other, 300'000, out);
    CHECK(out.size() == 9);
}

TEST_CASE("godirect: force units convert to newtons, anything else does not", "[godirect]") {
    CHECK(newtons_per_unit("N") == 1.0);
    CHECK(newtons_per_unit(" N ") == 1.0);
    CHECK(newtons_per_unit("kN") == 1000.0);
    CHECK(newtons_per_unit("lbf") == Approx(4.4482216152605));
    CHECK(newtons_per_unit("lb") == Approx(4.4482216152605));
    CHECK(newtons_per_unit("kgf") == Approx(9.80665));
    CHECK_FALSE(newtons_per_unit("m/s²"));
    CHECK_FALSE(newtons_per_unit(""));
    CHECK_FALSE(newtons_per_unit("n"));
}

TEST_CASE("godirect: choosing the force sensor prefers newtons, then converts", "[godirect]") {
    auto sensor = [](std::uint8_t n, const char* unit) {
        SensorInfo s;
        s.number = n;
        s.unit = unit;
        return s;
    };
    const std::vector<SensorInfo> mixed{sensor(1, "lbf"), sensor(2, "N"), sensor(3, "m/s²")};
    CHECK(choose_force_sensor(0x2, mixed) == 2);
    CHECK(choose_force_sensor(0x0, mixed) == 2);
    const std::vector<SensorInfo> pounds{sensor(4, "m/s²"), sensor(5, "lbf"), sensor(6, "kgf")};
    CHECK(choose_force_sensor(1u << 6, pounds) == 6); // the default one
    CHECK(choose_force_sensor(0x0, pounds) == 5);     // else the lowest
    const std::vector<SensorInfo> none{sensor(0, "m/s²"), sensor(1, "deg")};
    CHECK_FALSE(choose_force_sensor(0x3, none));
}
