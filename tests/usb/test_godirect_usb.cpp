// The Go Direct libusb driver against an emulated device speaking the real protocol (umockdev,
// in process): the command sequence, streaming at the device's rate, units, zero-length, short
// and garbage reports, stalls, a device that never answers, unplug and replug.

#include "input/drivers/godirect/driver.hpp"
#include "tests/usb/mock_godirect.hpp"
#include "tests/usb/usb_test_support.hpp"

#include <catch2/catch.hpp>

using qv::Channel;
using qv::Sample;
using qv::input::GoDirectOptions;
using qv::input::GoDirectSource;
using qv::input::SourceState;
using qv::test::CollectingSink;
using qv::test::InEvent;
using qv::test::MockGoDirect;
using qv::test::require_mock;
using qv::test::wait_until;
using namespace std::chrono_literals;

namespace {

constexpr std::uint16_t kVendor = 0x08F7;
constexpr std::uint16_t kProduct = 0x0010;

GoDirectOptions fast_options() {
    GoDirectOptions o;
    o.period_us = 5'000; // 200 Hz
    o.response_timeout = 300ms;
    return o;
}

void check_values(const std::vector<Sample>& s, double scale = 1.0) {
    for (std::size_t k = 0; k < s.size(); ++k) {
        INFO("sample " << k);
        CHECK(s[k].channel == Channel::Force);
        CHECK(s[k].value == Approx(MockGoDirect::value_of(static_cast<int>(k)) * scale));
        if (k > 0) {
            CHECK(s[k].t_us >= s[k - 1].t_us);
        }
    }
}

} // namespace

TEST_CASE("godirect usb: the command sequence, identity and streaming at the device's rate") {
    MockGoDirect dev("GDX-FOR 072007B3");
    require_mock(dev);
    constexpr int kReports = 100;
    dev.set_max_reports(kReports);
    CollectingSink sink;
    GoDirectSource source(kVendor, kProduct, fast_options());
    const auto t0 = std::chrono::steady_clock::now();
    INFO(source.last_error());
    REQUIRE(source.start(sink));
    CHECK(source.state() == SourceState::Streaming);

    const auto& id = source.identity();
    CHECK(id.driver == "godirect");
    CHECK(id.model == "GDX-FOR");
    CHECK(id.serial == MockGoDirect::kSerial);
    CHECK(id.firmware == "1.2.345");
    CHECK(id.is_measurement);
    CHECK(source.force_sensor() == 1);
    CHECK(source.force_unit() == "N");
    CHECK(source.period_us() == 5'000);
    CHECK(source.caps().rate_hz == Approx(200));

    // What the device received, in order, each with a good checksum and a counting-down counter.
    const auto cmds = dev.received();
    const std::vector<std::uint8_t> expected{0x1A, 0x55, 0x56, 0x51, 0x50, 0x50, 0x1B, 0x18};
    REQUIRE(cmds.size() == expected.size());
    for (std::size_t i = 0; i < cmds.size(); ++i) {
        INFO("command " << i);
        CHECK(cmds[i].command == expected[i]);
        CHECK(cmds[i].checksum_ok);
        CHECK(cmds[i].counter == static_cast<std::uint8_t>(0xFE - i));
    }
    CHECK(cmds[4].payload == std::vector<std::uint8_t>{1});
    CHECK(cmds[5].payload == std::vector<std::uint8_t>{2});
    CHECK(dev.period_us() == 5'000);
    CHECK(dev.start_mask() == 0x2);
    CHECK(dev.counters().out_reports == 8); // interrupt OUT, not SET_REPORT
    CHECK(dev.counters().set_reports == 0);

    REQUIRE(wait_until([&] { return sink.size() >= kReports; }, 5s));
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    source.stop();
    CHECK(source.state() == SourceState::Stopped);
    const auto samples = sink.samples();
    REQUIRE(samples.size() == kReports);
    check_values(samples);
    // 100 packets at 5 ms: about half a second, not a burst and not a crawl.
    CHECK(elapsed > 0.4);
    CHECK(elapsed < 2.5);
    const double span_s = static_cast<double>(samples.back().t_us - samples.front().t_us) / 1e6;
    CHECK(span_s == Approx(0.495).margin(0.3));
    CHECK(source.rejected_reports() == 0);
    CHECK(source.last_error().empty());

    // stop() said STOP and DISCONNECT, and gave the interface back to usbhid.
    const auto after = dev.received();
    REQUIRE(after.size() == 10);
    CHECK(after[8].command == 0x19);
    CHECK(after[9].command == 0x54);
    const auto c = dev.counters();
    CHECK(c.detaches == 1);
    CHECK(c.attaches == 1);
    CHECK(c.kernel_driver_bound);
    CHECK_FALSE(c.claimed);
    CHECK(c.max_in_flight >= 2);
}

TEST_CASE("godirect usb: several rows per packet and a force unit in pounds") {
    MockGoDirect dev("GDX-HD 1A2B3C");
    require_mock(dev);
    dev.set_force_unit("lbf");
    dev.set_rows_per_packet(3);
    dev.set_max_reports(20);
    CollectingSink sink;
    GoDirectSource source(kVendor, kProduct, fast_options());
    INFO(source.last_error());
    REQUIRE(source.start(sink));
    CHECK(source.identity().model == "GDX-HD");
    CHECK(source.force_unit() == "lbf");
    REQUIRE(wait_until([&] { return sink.size() >= 60; }, 5s));
    source.stop();
    const auto samples = sink.samples();
    REQUIRE(samples.size() == 60);
    check_values(samples, 4.4482216152605);
}

TEST_CASE("godirect usb: commands go out by SET_REPORT when there is no OUT endpoint") {
    MockGoDirect dev("GDX-FP 0K1023A4", false);
    require_mock(dev);
    dev.set_max_reports(10);
    CollectingSink sink;
    GoDirectSource source(kVendor, kProduct, fast_options());
    INFO(source.last_error());
    REQUIRE(source.start(sink));
    CHECK(source.identity().model == "GDX-FP");
    REQUIRE(wait_until([&] { return sink.size() >= 10; }, 3s));
    source.stop();
    CHECK(dev.counters().set_reports == 10);
    CHECK(dev.counters().out_reports == 0);
}

TEST_CASE("godirect usb: zero-length, short and garbage reports are skipped and counted") {
    MockGoDirect dev;
    require_mock(dev);
    dev.set_max_reports(40);
    for (int i = 5; i < 35; i += 5) {
        dev.fault_at(i, InEvent{InEvent::Kind::Bytes, {}, 0}); // zero-length: ignored
    }
    dev.fault_at(10, InEvent{InEvent::Kind::Bytes, {0x30, 0x20, 0x06}, 0}); // short
    dev.fault_at(20, InEvent{InEvent::Kind::Bytes, std::vector<std::uint8_t>(64, 0xEE), 0});
    dev.fault_at(30, InEvent{InEvent::Kind::Bytes, {0x05, 0x99, 0x98, 0x97, 0x96, 0x95}, 0});
    CollectingSink sink;
    GoDirectSource source(kVendor, kProduct, fast_options());
    INFO(source.last_error());
    REQUIRE(source.start(sink));
    REQUIRE(wait_until([&] { return sink.size() >= 40; }, 5s));
    CHECK(source.state() == SourceState::Streaming);
    source.stop();
    const auto samples = sink.samples();
    REQUIRE(samples.size() == 40);
    check_values(samples);
    CHECK(source.rejected_reports() == 3);
}

TEST_CASE("godirect usb: a stall and a transmission error are survived") {
    MockGoDirect dev;
    require_mock(dev);
    dev.set_max_reports(30);
    dev.fault_at(10, InEvent{InEvent::Kind::Stall, {}, 0});
    dev.fault_at(20, InEvent{InEvent::Kind::Error, {}, 0});
    CollectingSink sink;
    GoDirectSource source(kVendor, kProduct, fast_options());
    INFO(source.last_error());
    REQUIRE(source.start(sink));
    REQUIRE(wait_until([&] { return sink.size() >= 30; }, 5s));
    CHECK(source.state() == SourceState::Streaming);
    source.stop();
    check_values(sink.samples());
    CHECK(dev.counters().clear_halts == 1);
}

TEST_CASE("godirect usb: a device that never answers INIT fails with words") {
    MockGoDirect dev;
    require_mock(dev);
    dev.ignore_command(0x1A);
    CollectingSink sink;
    GoDirectOptions o = fast_options();
    o.response_timeout = 200ms;
    GoDirectSource source(kVendor, kProduct, o);
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_FALSE(source.start(sink));
    const auto took = std::chrono::steady_clock::now() - t0;
    CHECK(source.state() == SourceState::Failed);
    INFO(source.last_error());
    CHECK(source.last_error().find("did not answer INIT within 200 ms") != std::string::npos);
    CHECK(took < 1500ms);
    CHECK(sink.size() == 0);
    const auto c = dev.counters();
    CHECK(c.kernel_driver_bound); // given back even on failure
    CHECK_FALSE(c.claimed);
    source.stop();
    CHECK(source.state() == SourceState::Failed);
}

TEST_CASE("godirect usb: a device without the ids fails with words") {
    MockGoDirect dev;
    require_mock(dev);
    CollectingSink sink;
    GoDirectSource source(kVendor, 0x0011, fast_options());
    CHECK_FALSE(source.start(sink));
    CHECK(source.state() == SourceState::Failed);
    CHECK(source.last_error().find("08f7:0011") != std::string::npos);
}

TEST_CASE("godirect usb: unplug while streaming keeps the samples before it, and replug restarts") {
    MockGoDirect dev;
    require_mock(dev);
    dev.set_max_reports(40);
    dev.fault_at(25, InEvent{InEvent::Kind::Unplug, {}, 0});
    CollectingSink sink;
    GoDirectSource source(kVendor, kProduct, fast_options());
    INFO(source.last_error());
    REQUIRE(source.start(sink));
    REQUIRE(wait_until([&] { return source.state() == SourceState::Disconnected; }, 5s));
    CHECK(source.last_error().find("disconnected") != std::string::npos);
    source.stop();
    CHECK(source.state() == SourceState::Disconnected);
    const auto before = sink.samples();
    REQUIRE(before.size() == 25);
    check_values(before);

    // The device comes back: a new start works with a fresh command sequence.
    dev.replug();
    dev.set_max_reports(10);
    CollectingSink again;
    INFO(source.last_error());
    REQUIRE(source.start(again));
    CHECK(source.state() == SourceState::Streaming);
    REQUIRE(wait_until([&] { return again.size() >= 10; }, 3s));
    source.stop();
    CHECK(source.state() == SourceState::Stopped);
    check_values(again.samples());
    CHECK(dev.received().front().command == 0x1A);
}
