// The Quadventure open sensor protocol: input reports, the identity report, sequence gaps and
// every error path, with byte literals; and the report descriptor in docs/open-sensor.md.

#include "input/drivers/open_sensor/protocol.hpp"
#include "tests/protocols/support.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <sstream>

using namespace qv;
using namespace qv::input::open_sensor;
using qv::test::Bytes;

namespace {

// A v1 report: sequence, force in mN, angle in 0.01 degree, status.
Bytes report(std::uint16_t seq, std::int32_t force_mn, std::int16_t angle_cdeg,
             std::uint8_t status) {
    const auto f = static_cast<std::uint32_t>(force_mn);
    const auto a = static_cast<std::uint16_t>(angle_cdeg);
    return Bytes{0x01,
                 0x0C,
                 static_cast<std::uint8_t>(seq & 0xFF),
                 static_cast<std::uint8_t>(seq >> 8),
                 static_cast<std::uint8_t>(f & 0xFF),
                 static_cast<std::uint8_t>((f >> 8) & 0xFF),
                 static_cast<std::uint8_t>((f >> 16) & 0xFF),
                 static_cast<std::uint8_t>(f >> 24),
                 static_cast<std::uint8_t>(a & 0xFF),
                 static_cast<std::uint8_t>(a >> 8),
                 status,
                 0x00};
}

Errc code_of(const std::optional<DecodeError>& e) {
    REQUIRE(e.has_value());
    INFO(e->message);
    return e->code;
}

} // namespace

TEST_CASE("open sensor: a v1 report with force and angle", "[open_sensor]") {
    const Bytes bytes{0x01, 0x0C, 0x34, 0x12, 0x10, 0x27, 0x00, 0x00, 0xE8, 0x03, 0x08, 0x00};
    Report r;
    REQUIRE_FALSE(parse_report(bytes, r));
    CHECK(r.sequence == 0x1234);
    CHECK(r.force_mn == 10000);
    CHECK(r.angle_cdeg == 1000);
    REQUIRE(r.angle());
    CHECK(*r.angle() == 1000);

    StreamDecoder d;
    std::vector<Sample> out;
    REQUIRE_FALSE(d.feed(bytes, 5'000, out));
    REQUIRE(out.size() == 2);
    CHECK(out[0].channel == Channel::Force);
    CHECK(out[0].t_us == 5'000);
    CHECK(out[0].value == Approx(10.0f));
    CHECK(out[0].flags == kFlagNone);
    CHECK(out[1].channel == Channel::KneeAngle);
    CHECK(out[1].t_us == 5'000);
    CHECK(out[1].value == Approx(10.0f));
    CHECK(out[1].flags == kFlagNone);
}

TEST_CASE("open sensor: negative force and negative angle keep their sign", "[open_sensor]") {
    const Bytes bytes{0x01, 0x0C, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0C, 0xFE, 0x08, 0x00};
    StreamDecoder d;
    std::vector<Sample> out;
    REQUIRE_FALSE(d.feed(bytes, 0, out));
    REQUIRE(out.size() == 2);
    CHECK(out[0].value == Approx(-0.001f));
    CHECK(out[1].value == Approx(-5.0f)); // 0xFE0C = -500
}

TEST_CASE("open sensor: without the angle bit or with the sentinel there is no angle sample",
          "[open_sensor]") {
    StreamDecoder d;
    std::vector<Sample> out;
    // Angle bit clear, a plausible angle value: ignored.
    REQUIRE_FALSE(d.feed(report(1, 2500, 4500, 0x00), 0, out));
    // Angle bit set but the sentinel 0x8000: the goniometer is unplugged.
    REQUIRE_FALSE(d.feed(
        Bytes{0x01, 0x0C, 0x02, 0x00, 0xC4, 0x09, 0x00, 0x00, 0x00, 0x80, 0x08, 0x00}, 10, out));
    REQUIRE(out.size() == 2);
    CHECK(out[0].channel == Channel::Force);
    CHECK(out[0].value == Approx(2.5f));
    CHECK(out[1].channel == Channel::Force);
    CHECK(out[1].value == Approx(2.5f));
}

TEST_CASE("open sensor: status bits become sample flags", "[open_sensor]") {
    StreamDecoder d;
    std::vector<Sample> out;
    REQUIRE_FALSE(d.feed(report(7, 1000, 100, 0x0F), 0, out));
    REQUIRE(out.size() == 2);
    CHECK(out[0].flags == (kFlagSaturated | kFlagNotTared | kFlagLowSupply));
    // Saturation and tare are about the load cell; low supply affects both.
    CHECK(out[1].flags == kFlagLowSupply);
}

TEST_CASE("open sensor: a sequence gap flags the next samples and counts lost reports",
          "[open_sensor]") {
    StreamDecoder d;
    std::vector<Sample> out;
    REQUIRE_FALSE(d.feed(report(1, 0, 0, 0x08), 0, out));
    REQUIRE_FALSE(d.feed(report(2, 0, 0, 0x08), 1, out));
    REQUIRE_FALSE(d.feed(report(5, 0, 0, 0x08), 2, out));
    REQUIRE_FALSE(d.feed(report(6, 0, 0, 0x08), 3, out));
    REQUIRE(out.size() == 8);
    CHECK(out[2].flags == kFlagNone);
    CHECK(out[4].flags == kFlagGapBefore);
    CHECK(out[5].flags == kFlagGapBefore);
    CHECK(out[6].flags == kFlagNone);
    CHECK(d.lost_reports() == 2);
}

TEST_CASE("open sensor: the sequence wraps from 0xFFFF to 0 without a gap", "[open_sensor]") {
    StreamDecoder d;
    std::vector<Sample> out;
    REQUIRE_FALSE(d.feed(report(0xFFFE, 0, 0, 0), 0, out));
    REQUIRE_FALSE(d.feed(report(0xFFFF, 0, 0, 0), 1, out));
    REQUIRE_FALSE(d.feed(report(0x0000, 0, 0, 0), 2, out));
    REQUIRE_FALSE(d.feed(report(0x0002, 0, 0, 0), 3, out));
    REQUIRE(out.size() == 4);
    CHECK(out[2].flags == kFlagNone);
    CHECK(out[3].flags == kFlagGapBefore);
    CHECK(d.lost_reports() == 1);
}

TEST_CASE("open sensor: after reset() the first report starts a new stream", "[open_sensor]") {
    StreamDecoder d;
    std::vector<Sample> out;
    REQUIRE_FALSE(d.feed(report(10, 0, 0, 0), 0, out));
    d.reset();
    REQUIRE_FALSE(d.feed(report(500, 0, 0, 0), 1, out));
    CHECK(out[1].flags == kFlagNone);
    CHECK(d.lost_reports() == 0);
}

TEST_CASE("open sensor: a repeated sequence number is refused", "[open_sensor]") {
    StreamDecoder d;
    std::vector<Sample> out;
    REQUIRE_FALSE(d.feed(report(3, 0, 0, 0), 0, out));
    CHECK(code_of(d.feed(report(3, 0, 0, 0), 1, out)) == Errc::Duplicate);
    CHECK(out.size() == 1);
}

TEST_CASE("open sensor: zero-length reports are ignored", "[open_sensor]") {
    StreamDecoder d;
    std::vector<Sample> out;
    CHECK_FALSE(d.feed({}, 0, out));
    CHECK(out.empty());
    // A zero-length report between two reports does not count as a lost one.
    REQUIRE_FALSE(d.feed(report(1, 0, 0, 0), 0, out));
    REQUIRE_FALSE(d.feed({}, 1, out));
    REQUIRE_FALSE(d.feed(report(2, 0, 0, 0), 2, out));
    CHECK(out.size() == 2);
    CHECK(out[1].flags == kFlagNone);
}

TEST_CASE("open sensor: every malformed report is a typed error and emits nothing",
          "[open_sensor]") {
    struct Case {
        const char* what;
        Bytes bytes;
        Errc code;
    };
    const auto c = GENERATE(
        Case{"one byte", Bytes{0x01}, Errc::TooShort},
        Case{"header only", Bytes{0x01, 0x0C}, Errc::TooShort},
        Case{"cut after the force", Bytes{0x01, 0x0C, 0x01, 0x00, 0x10, 0x27, 0x00, 0x00},
             Errc::TooShort},
        Case{"length field below the v1 minimum",
             Bytes{0x01, 0x0B, 0x01, 0x00, 0x10, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00},
             Errc::BadLength},
        Case{"length field zero", Bytes{0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, Errc::BadLength},
        Case{"length field beyond the bytes",
             Bytes{0x01, 0x20, 0x01, 0x00, 0x10, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
             Errc::TooShort},
        Case{"version 2", Bytes{0x02, 0x0C, 0x01, 0x00, 0x10, 0x27, 0, 0, 0, 0, 0, 0},
             Errc::UnknownVersion},
        Case{"report id 0", Bytes{0x00, 0x0C, 0x01, 0x00, 0x10, 0x27, 0, 0, 0, 0, 0, 0},
             Errc::UnknownVersion},
        Case{"the identity report on the interrupt pipe",
             Bytes{0x40, 0x10, 1, 1, 0, 0, 80, 0, 1, 0, 0, 0, 0, 0, 0, 0}, Errc::UnknownVersion},
        Case{"garbage", Bytes{0xFF, 0xA5, 0x5A, 0x00, 0x13, 0x37}, Errc::UnknownVersion});
    INFO(c.what);
    StreamDecoder d;
    std::vector<Sample> out;
    CHECK(code_of(d.feed(c.bytes, 0, out)) == c.code);
    CHECK(out.empty());
}

TEST_CASE("open sensor: longer v1 reports and padding are read, the extra bytes skipped",
          "[open_sensor]") {
    // A later revision of v1 appends two bytes and says so in the length field.
    Bytes longer = report(9, 1500, 0, 0);
    longer[1] = 14;
    longer.push_back(0xAB);
    longer.push_back(0xCD);
    // Firmware that pads every report to 64 bytes.
    Bytes padded = report(10, 1600, 0, 0);
    padded.resize(64, 0xEE);

    StreamDecoder d;
    std::vector<Sample> out;
    REQUIRE_FALSE(d.feed(longer, 0, out));
    REQUIRE_FALSE(d.feed(padded, 1, out));
    REQUIRE(out.size() == 2);
    CHECK(out[0].value == Approx(1.5f));
    CHECK(out[1].value == Approx(1.6f));
    CHECK(out[1].flags == kFlagNone);
}

TEST_CASE("open sensor: encode_report and parse_report agree", "[open_sensor]") {
    Report in;
    in.sequence = 0xBEEF;
    in.force_mn = -123456;
    in.angle_cdeg = 9000;
    in.status = kStatusAnglePresent | kStatusNotTared;
    const auto bytes = encode_report(in);
    CHECK(Bytes(bytes.begin(), bytes.end()) ==
          Bytes{0x01, 0x0C, 0xEF, 0xBE, 0xC0, 0x1D, 0xFE, 0xFF, 0x28, 0x23, 0x0A, 0x00});
    Report out;
    REQUIRE_FALSE(parse_report(bytes, out));
    CHECK(out.sequence == in.sequence);
    CHECK(out.force_mn == in.force_mn);
    CHECK(out.angle_cdeg == in.angle_cdeg);
    CHECK(out.status == in.status);
}

TEST_CASE("open sensor: the identity feature report", "[open_sensor]") {
    const Bytes bytes{0x40, 0x10, 0x01, 0x01, 0x02, 0x03, 0x50, 0x00,
                      0x07, 0x00, 0xA0, 0x86, 0x01, 0x00, 0x00, 0x00};
    Identity id;
    REQUIRE_FALSE(parse_identity(bytes, id));
    CHECK(id.report_version == 1);
    CHECK(id.firmware() == "1.2.3");
    CHECK(id.rate_hz == 80);
    CHECK(id.capabilities == (kCapForce | kCapAngle | kCapTare));
    CHECK(id.full_scale_mn == 100000);
    const auto again = encode_identity(id);
    CHECK(Bytes(again.begin(), again.end()) == bytes);

    Identity untouched;
    Bytes zero_rate = bytes;
    zero_rate[6] = 0;
    CHECK(code_of(parse_identity(zero_rate, untouched)) == Errc::BadValue);
    Bytes bad_version = bytes;
    bad_version[2] = 0;
    CHECK(code_of(parse_identity(bad_version, untouched)) == Errc::BadValue);
    CHECK(code_of(parse_identity(Bytes{0x40, 0x10, 0x01}, untouched)) == Errc::TooShort);
    CHECK(code_of(parse_identity(Bytes{0x40, 0x08, 0, 0, 0, 0, 0, 0}, untouched)) ==
          Errc::BadLength);
    CHECK(code_of(parse_identity(report(1, 0, 0, 0), untouched)) == Errc::UnknownVersion);
    CHECK(untouched.rate_hz == 0);
}

TEST_CASE("open sensor: the tare command", "[open_sensor]") {
    const auto cmd = tare_command();
    CHECK(Bytes(cmd.begin(), cmd.end()) == Bytes{0x41, 0x01, 0x00});
}

TEST_CASE("open sensor: the report descriptor declares the report sizes the parser uses",
          "[open_sensor]") {
    // Walk the short items: a main item of Report Count x Report Size bits under a report id.
    std::map<std::pair<std::uint8_t, std::uint8_t>, std::size_t> bytes_by_id_and_kind;
    std::uint8_t id = 0;
    std::size_t size_bits = 0;
    std::size_t count = 0;
    int depth = 0;
    for (std::size_t i = 0; i < kReportDescriptor.size();) {
        const std::uint8_t prefix = kReportDescriptor[i];
        const std::size_t n = (prefix & 3) == 3 ? 4 : (prefix & 3);
        REQUIRE(i + 1 + n <= kReportDescriptor.size());
        std::uint32_t data = 0;
        for (std::size_t k = 0; k < n; ++k) {
            data |= static_cast<std::uint32_t>(kReportDescriptor[i + 1 + k]) << (8 * k);
        }
        switch (prefix & 0xFC) {
        case 0x84: // Report ID
            id = static_cast<std::uint8_t>(data);
            break;
        case 0x74: // Report Size
            size_bits = data;
            break;
        case 0x94: // Report Count
            count = data;
            break;
        case 0x80: // Input
        case 0x90: // Output
        case 0xB0: // Feature
            bytes_by_id_and_kind[{id, static_cast<std::uint8_t>(prefix & 0xFC)}] +=
                size_bits * count / 8;
            break;
        case 0xA0:
            ++depth;
            break;
        case 0xC0:
            --depth;
            break;
        default:
            break;
        }
        i += 1 + n;
    }
    CHECK(depth == 0);
    CHECK(kReportDescriptor.back() == 0xC0);
    // The sizes exclude the report id byte, which the parser counts.
    CHECK(bytes_by_id_and_kind.at({kReportIdV1, 0x80}) + 1 == kReportV1Size);
    CHECK(bytes_by_id_and_kind.at({kReportIdIdentity, 0xB0}) + 1 == kIdentitySize);
    CHECK(bytes_by_id_and_kind.at({kReportIdCommand, 0x90}) + 1 == kCommandSize);
}

TEST_CASE("open sensor: docs/open-sensor.md shows the descriptor byte for byte",
          "[open_sensor][docs]") {
    const std::string doc = qv::test::read_text(qv::test::source_dir() / "docs" / "open-sensor.md");
    REQUIRE_FALSE(doc.empty());
    const std::string marker = "<!-- hid-report-descriptor -->";
    const auto at = doc.find(marker);
    REQUIRE(at != std::string::npos);
    const auto open = doc.find("```", at);
    REQUIRE(open != std::string::npos);
    const auto body = doc.find('\n', open) + 1;
    const auto close = doc.find("```", body);
    REQUIRE(close != std::string::npos);
    // Each line: hex bytes, then a description.
    Bytes documented;
    std::istringstream lines(doc.substr(body, close - body));
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::string word;
        while (words >> word && word.size() == 2 &&
               word.find_first_not_of("0123456789ABCDEF") == std::string::npos) {
            documented.push_back(static_cast<std::uint8_t>(std::stoul(word, nullptr, 16)));
        }
    }
    CHECK(documented == Bytes(kReportDescriptor.begin(), kReportDescriptor.end()));
}
