// PhidgetBridge 1046: the OUT report, the IN report's ratio maths at every gain, out-of-range
// and error paths, and the two-point calibration.

#include "input/drivers/phidget_bridge/protocol.hpp"
#include "tests/protocols/support.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

using namespace qv;
using namespace qv::input::phidget_bridge;
using qv::test::Bytes;

namespace {

Errc code_of(const std::optional<DecodeError>& e) {
    REQUIRE(e.has_value());
    INFO(e->message);
    return e->code;
}

// An 18-byte IN report: flags, errors, two gain bytes, two unused bytes, four 24-bit values.
Bytes in_report(std::uint8_t flags, std::uint8_t errors, std::uint8_t gains01, std::uint8_t gains23,
                std::array<std::uint32_t, 4> raw) {
    Bytes b{flags, errors, gains01, gains23, 0x00, 0x00};
    for (std::uint32_t r : raw) {
        b.push_back(static_cast<std::uint8_t>((r >> 16) & 0xFF));
        b.push_back(static_cast<std::uint8_t>((r >> 8) & 0xFF));
        b.push_back(static_cast<std::uint8_t>(r & 0xFF));
    }
    return b;
}

constexpr std::uint32_t kZero = 0x800000;

} // namespace

TEST_CASE("phidget: the OUT report packs enables, gain nibbles and the interval", "[phidget]") {
    BridgeConfig config;
    config.enabled = {true, false, true, false};
    config.gain = {Gain::x128, Gain::x8, Gain::x1, Gain::x64};
    config.data_interval_ms = 16;
    std::array<std::uint8_t, kOutSize> out{};
    REQUIRE_FALSE(build_out_report(config, out));
    CHECK(Bytes(out.begin(), out.end()) == Bytes{0x05, 0x73, 0x06, 0x02, 0x00});

    config.enabled = {true, true, true, true};
    config.gain = {Gain::x16, Gain::x32, Gain::x64, Gain::x128};
    config.data_interval_ms = 1000;
    REQUIRE_FALSE(build_out_report(config, out));
    CHECK(Bytes(out.begin(), out.end()) == Bytes{0x0F, 0x45, 0x67, 0x7D, 0x00});

    config.data_interval_ms = 8;
    REQUIRE_FALSE(build_out_report(config, out));
    CHECK(out[3] == 0x01);
    config.data_interval_ms = 23; // rounded down to 16 ms
    REQUIRE_FALSE(build_out_report(config, out));
    CHECK(out[3] == 0x02);
}

TEST_CASE("phidget: OUT report values out of range are refused", "[phidget]") {
    std::array<std::uint8_t, kOutSize> out{0xAA, 0xAA, 0xAA, 0xAA, 0xAA};
    BridgeConfig config;
    config.data_interval_ms = 7;
    CHECK(code_of(build_out_report(config, out)) == Errc::BadValue);
    config.data_interval_ms = 1001;
    CHECK(code_of(build_out_report(config, out)) == Errc::BadValue);
    config.data_interval_ms = 8;
    config.gain[2] = static_cast<Gain>(2);
    CHECK(code_of(build_out_report(config, out)) == Errc::BadValue);
    CHECK(out[0] == 0xAA); // untouched on error
}

TEST_CASE("phidget: gains by code and factor", "[phidget]") {
    CHECK(gain_from_code(0) == Gain::x1);
    CHECK(gain_from_code(3) == Gain::x8);
    CHECK(gain_from_code(7) == Gain::x128);
    CHECK_FALSE(gain_from_code(1));
    CHECK_FALSE(gain_from_code(2));
    CHECK_FALSE(gain_from_code(8));
    CHECK(gain_from_factor(64) == Gain::x64);
    CHECK_FALSE(gain_from_factor(2));
    CHECK(gain_factor(Gain::x32) == 32);
}

TEST_CASE("phidget: ratio = (raw - 0x800000) / 0x800000 / gain", "[phidget]") {
    struct Case {
        Gain gain;
        std::uint32_t raw;
        double ratio;
    };
    const auto c = GENERATE(
        Case{Gain::x1, 0xC00000, 0.5}, Case{Gain::x1, kZero, 0.0},
        Case{Gain::x8, 0x900000, 0.125 / 8}, Case{Gain::x16, 0x700000, -0.125 / 16},
        Case{Gain::x32, 0x800001, 1.0 / 8388608.0 / 32}, Case{Gain::x64, 0x000000, -1.0 / 64},
        Case{Gain::x128, 0xFFFFFF, 8388607.0 / 8388608.0 / 128});
    CAPTURE(gain_factor(c.gain), c.raw);
    CHECK(ratio_from_raw(c.raw, c.gain) == Approx(c.ratio).margin(1e-15));

    // The same through an IN report on channel 3 (gain nibble low in the second gain byte).
    const auto code = static_cast<std::uint8_t>(c.gain);
    InputReport r;
    REQUIRE_FALSE(parse_in_report(in_report(0x88, 0x00, 0x00, code, {0, 0, 0, c.raw}), r));
    const ChannelReading& ch = r.channels[3];
    CHECK(ch.enabled);
    CHECK(ch.new_data);
    CHECK(ch.gain == c.gain);
    CHECK(ch.raw == c.raw);
    CHECK(ch.ratio == Approx(c.ratio).margin(1e-15));
}

TEST_CASE("phidget: an IN report with all four channels", "[phidget]") {
    InputReport r;
    REQUIRE_FALSE(parse_in_report(
        in_report(0xFF, 0x00, 0x03, 0x47, {0xC00000, 0x900000, 0x700000, 0x810000}), r));
    CHECK(r.channels[0].gain == Gain::x1);
    CHECK(r.channels[1].gain == Gain::x8);
    CHECK(r.channels[2].gain == Gain::x16);
    CHECK(r.channels[3].gain == Gain::x128);
    CHECK(r.channels[0].ratio == Approx(0.5));
    CHECK(r.channels[1].ratio == Approx(0.015625));
    CHECK(r.channels[2].ratio == Approx(-0.0078125));
    CHECK(r.channels[3].ratio == Approx(65536.0 / 8388608.0 / 128));
    for (const ChannelReading& ch : r.channels) {
        CHECK(ch.enabled);
        CHECK(ch.new_data);
        CHECK_FALSE(ch.out_of_range);
    }
}

TEST_CASE("phidget: channels without new data are not read", "[phidget]") {
    InputReport r;
    // Channel 0 enabled without new data, channel 1 new data: only channel 1 has a value.
    REQUIRE_FALSE(
        parse_in_report(in_report(0x23, 0x00, 0x00, 0x00, {0xC00000, 0xA00000, 0, 0}), r));
    CHECK(r.channels[0].enabled);
    CHECK_FALSE(r.channels[0].new_data);
    CHECK(r.channels[0].ratio == 0.0);
    CHECK(r.channels[1].new_data);
    CHECK(r.channels[1].ratio == Approx(0.25));
    CHECK_FALSE(r.channels[2].enabled);
    // A header alone is a valid report when nothing is new.
    REQUIRE_FALSE(parse_in_report(Bytes{0x0F, 0x00, 0x00, 0x00, 0x00, 0x00}, r));
    CHECK(r.channels[3].enabled);
}

TEST_CASE("phidget: out of range by the error bit or beyond 99.5 % with gain", "[phidget]") {
    InputReport r;
    // Channel 0: gain 1, near full scale but inside: fine. Channel 1: error bit.
    // Channel 2: gain 128 at full scale: beyond 0.995 / 128. Channel 3: gain 8, 99 %: fine.
    const std::uint32_t ninety_nine = kZero + static_cast<std::uint32_t>(0.99 * kZero);
    REQUIRE_FALSE(parse_in_report(
        in_report(0xFF, 0x02, 0x00, 0x73, {0xFFFFFF, 0x900000, 0xFFFFFF, ninety_nine}), r));
    CHECK_FALSE(r.channels[0].out_of_range);
    CHECK(r.channels[1].error);
    CHECK(r.channels[1].out_of_range);
    CHECK(r.channels[2].out_of_range);
    CHECK_FALSE(r.channels[3].out_of_range);
    CHECK(ratio_limit(Gain::x1) == 1.0);
    CHECK(ratio_limit(Gain::x128) == Approx(0.995 / 128));
}

TEST_CASE("phidget: malformed IN reports are typed errors", "[phidget]") {
    InputReport r;
    CHECK(code_of(parse_in_report(Bytes{}, r)) == Errc::TooShort);
    CHECK(code_of(parse_in_report(Bytes{0x11, 0x00, 0x00, 0x00, 0x00}, r)) == Errc::TooShort);
    // New data on channel 0 but the report ends after the header.
    CHECK(code_of(parse_in_report(Bytes{0x11, 0x00, 0x00, 0x00, 0x00, 0x00}, r)) == Errc::TooShort);
    // New data on channel 2 but only two values follow.
    CHECK(code_of(parse_in_report(Bytes{0x44, 0, 0, 0, 0, 0, 0x80, 0, 0, 0x80, 0, 0, 0x80}, r)) ==
          Errc::TooShort);
    // A gain code the board does not have, on a channel with new data.
    CHECK(code_of(parse_in_report(in_report(0x22, 0x00, 0x02, 0x00, {0, kZero, 0, 0}), r)) ==
          Errc::BadGain);
    // The same code on a channel without new data is ignored.
    CHECK_FALSE(parse_in_report(in_report(0x22, 0x00, 0x20, 0x00, {0, kZero, 0, 0}), r));
}

TEST_CASE("phidget: a two-point calibration", "[phidget][calibration]") {
    const double kg10 = 10 * 9.80665;
    const Result<TwoPointCalibration> cal = make_calibration(0.0001, 0.0011, kg10);
    REQUIRE(cal);
    CHECK(cal->newtons_per_ratio == Approx(98066.5));
    CHECK(cal->newtons(0.0001) == Approx(0.0).margin(1e-9));
    CHECK(cal->newtons(0.0011) == Approx(kg10));
    CHECK(cal->newtons(0.0006) == Approx(kg10 / 2));
    // A load cell wired the other way round gives a negative slope and still reads positive.
    const Result<TwoPointCalibration> reversed = make_calibration(0.0001, -0.0009, kg10);
    REQUIRE(reversed);
    CHECK(reversed->newtons(-0.0009) == Approx(kg10));
}

TEST_CASE("phidget: calibrations that cannot be right are refused", "[phidget][calibration]") {
    CHECK_FALSE(make_calibration(0.0001, 0.0011, 0.0));
    CHECK_FALSE(make_calibration(0.0001, 0.0011, -5.0));
    CHECK_FALSE(make_calibration(0.0001, 0.0001, 50.0));
    CHECK_FALSE(make_calibration(std::numeric_limits<double>::quiet_NaN(), 0.001, 50.0));
    const auto e = make_calibration(0.0002, 0.0002, 50.0);
    REQUIRE_FALSE(e);
    CHECK(e.error().message.find("did not change") != std::string::npos);
}

TEST_CASE("phidget: force samples through the calibration", "[phidget][calibration]") {
    const auto cal = make_calibration(0.0, 0.001, 100.0);
    REQUIRE(cal);
    ForceDecoder d(1, *cal);
    std::vector<Sample> out;
    // Gain 128: raw offset 0x010000 is a ratio of 6.1035e-5 V/V, i.e. 6.1035 N.
    REQUIRE_FALSE(d.feed(in_report(0x22, 0x00, 0x07, 0x00, {0, 0x810000, 0, 0}), 1'000, out));
    REQUIRE(out.size() == 1);
    CHECK(out[0].t_us == 1'000);
    CHECK(out[0].channel == Channel::Force);
    CHECK(out[0].value == Approx(6.1035156f));
    CHECK(out[0].flags == kFlagNone);
    // No new data on channel 1: nothing.
    REQUIRE_FALSE(d.feed(in_report(0x12, 0x00, 0x07, 0x00, {0, 0x810000, 0, 0}), 2'000, out));
    CHECK(out.size() == 1);
    // Out of range: flagged saturated.
    REQUIRE_FALSE(d.feed(in_report(0x22, 0x02, 0x07, 0x00, {0, 0x810000, 0, 0}), 3'000, out));
    REQUIRE(out.size() == 2);
    CHECK(out[1].flags == kFlagSaturated);
    // Zero-length reports are ignored; a broken report is an error and emits nothing.
    CHECK_FALSE(d.feed({}, 4'000, out));
    CHECK(code_of(d.feed(Bytes{0x22, 0x00}, 5'000, out)) == Errc::TooShort);
    CHECK(out.size() == 2);
}

TEST_CASE("phidget: a calibration from a known mass", "[phidget][calibration]") {
    // 0.02 mV/V unloaded, 1.02 mV/V under 20 kg: 196.133 N per 1 mV/V.
    const auto cal = make_calibration_from_mass(0.00002, 0.00102, 20.0);
    REQUIRE(cal);
    CHECK(cal->newtons_per_ratio == Approx(196'133.0));
    CHECK(cal->newtons(0.00052) == Approx(98.0665));
    CHECK(cal->newtons(0.00002) == Approx(0.0).margin(1e-9));
    CHECK_FALSE(make_calibration_from_mass(0.00002, 0.00102, 0.0));
    CHECK_FALSE(make_calibration_from_mass(0.00002, 0.00102, -1.0));
    CHECK_FALSE(make_calibration_from_mass(0.00002, 0.00002, 20.0));
}
