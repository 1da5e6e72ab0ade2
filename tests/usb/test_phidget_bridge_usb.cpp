// The PhidgetBridge libusb driver against an emulated 1046 (umockdev, in process): the OUT
// report, streaming at the data interval, the two-point calibration flow on live ratios,
// saturation, short reports, unplug and replug.

#include "input/drivers/phidget_bridge/driver.hpp"
#include "tests/usb/mock_phidget_bridge.hpp"
#include "tests/usb/usb_test_support.hpp"

#include <catch2/catch.hpp>

using qv::Channel;
using qv::kFlagNone;
using qv::kFlagSaturated;
using qv::input::PhidgetBridgeOptions;
using qv::input::PhidgetBridgeSource;
using qv::input::SourceState;
using qv::test::CollectingSink;
using qv::test::InEvent;
using qv::test::MockPhidgetBridge;
using qv::test::require_mock;
using qv::test::wait_until;
namespace pb = qv::input::phidget_bridge;
using namespace std::chrono_literals;

namespace {

constexpr std::uint16_t kVendor = 0x06C2;
constexpr std::uint16_t kProduct = 0x003B;

// Waits for `n` more readings than the statistics hold now.
bool wait_readings(PhidgetBridgeSource& s, std::uint64_t n) {
    return wait_until([&] { return s.ratio_stats().count >= n; }, 3s);
}

} // namespace

TEST_CASE("phidget usb: the OUT report, streaming at the interval, no force until calibrated") {
    MockPhidgetBridge dev;
    require_mock(dev);
    dev.set_ratio(0.0004); // 0.4 mV/V
    CollectingSink sink;
    PhidgetBridgeSource source(kVendor, kProduct); // channel 0, gain x128, 8 ms
    CHECK(source.identity().driver == "phidget-bridge");
    CHECK(source.identity().is_measurement);
    CHECK(source.caps().rate_hz == Approx(125));
    const auto t0 = std::chrono::steady_clock::now();
    INFO(source.last_error());
    REQUIRE(source.start(sink));
    CHECK(source.state() == SourceState::Streaming);
    CHECK(source.identity().serial == MockPhidgetBridge::kSerial);
    CHECK_FALSE(source.calibrated());

    // Enable channel 0, gain code 7 in its (high) nibble, 1 x 8 ms; sent by SET_REPORT.
    const auto outs = dev.out_reports();
    REQUIRE(outs.size() == 1);
    CHECK(outs[0] == std::vector<std::uint8_t>{0x01, 0x70, 0x00, 0x01, 0x00, 0, 0, 0});
    CHECK(dev.counters().set_reports == 1);
    CHECK(dev.interval_ms() == 8);

    REQUIRE(wait_readings(source, 50));
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(elapsed > 0.35); // 50 readings at 8 ms: 0.4 s
    CHECK(elapsed < 2.0);
    const auto stats = source.ratio_stats();
    CHECK(stats.last_mv_per_v == Approx(0.4).epsilon(1e-3));
    CHECK(stats.mean_mv_per_v == Approx(0.4).epsilon(1e-3));
    CHECK(stats.out_of_range == 0);
    CHECK(sink.size() == 0); // a ratio is not newtons
    source.stop();
    CHECK(source.state() == SourceState::Stopped);
    CHECK(dev.counters().kernel_driver_bound);
}

TEST_CASE("phidget usb: zero, then a known weight, then force in newtons") {
    MockPhidgetBridge dev(true); // this one has an interrupt OUT endpoint
    require_mock(dev);
    CollectingSink sink;
    PhidgetBridgeSource source(kVendor, kProduct);
    INFO(source.last_error());
    REQUIRE(source.start(sink));
    CHECK(dev.counters().out_reports == 1);
    CHECK(dev.counters().set_reports == 0);

    // 1. Nothing on the load cell.
    dev.set_ratio(0.00005);
    source.reset_ratio_stats();
    std::this_thread::sleep_for(30ms); // readings in flight from before the change
    source.reset_ratio_stats();
    REQUIRE(wait_readings(source, 10));
    const double zero = source.ratio_stats().mean_mv_per_v / 1000.0;
    // 2. A 20 kg weight.
    dev.set_ratio(0.00105);
    std::this_thread::sleep_for(30ms);
    source.reset_ratio_stats();
    REQUIRE(wait_readings(source, 10));
    const double loaded = source.ratio_stats().mean_mv_per_v / 1000.0;
    const auto cal = pb::make_calibration_from_mass(zero, loaded, 20.0);
    REQUIRE(cal);
    CHECK(cal->newtons_per_ratio == Approx(20 * 9.80665 / 0.001).epsilon(1e-3));
    source.set_calibration(*cal);
    CHECK(source.calibrated());

    // 3. Half the weight reads about 98 N.
    dev.set_ratio(0.00055);
    std::this_thread::sleep_for(30ms);
    const std::size_t before = sink.size();
    REQUIRE(wait_until([&] { return sink.size() >= before + 20; }, 3s));
    source.stop();
    const auto samples = sink.samples();
    const auto& last = samples.back();
    CHECK(last.channel == Channel::Force);
    CHECK(last.value == Approx(10 * 9.80665).epsilon(2e-3));
    CHECK(last.flags == kFlagNone);
    for (std::size_t k = 1; k < samples.size(); ++k) {
        CHECK(samples[k].t_us >= samples[k - 1].t_us);
    }
}

TEST_CASE("phidget usb: the error bit flags saturation, short and garbage reports are skipped") {
    MockPhidgetBridge dev;
    require_mock(dev);
    dev.set_ratio(0.0002);
    dev.set_max_reports(30);
    dev.fault_at(5, InEvent{InEvent::Kind::Bytes, {}, 0});                  // zero-length
    dev.fault_at(10, InEvent{InEvent::Kind::Bytes, {0x11, 0x00, 0x70}, 0}); // short header
    dev.fault_at(15, InEvent{InEvent::Kind::Bytes, {0x11, 0x00, 0x70, 0x00, 0, 0, 0x80}, 0});
    dev.fault_at(20, InEvent{InEvent::Kind::Bytes, {0x11, 0x00, 0xF0, 0x00, 0, 0, 1, 2, 3}, 0});
    dev.fault_at(25, InEvent{InEvent::Kind::Stall, {}, 0});
    CollectingSink sink;
    PhidgetBridgeSource source(kVendor, kProduct);
    source.set_calibration(pb::TwoPointCalibration{0.0, 100'000.0}); // 100 N per mV/V
    INFO(source.last_error());
    REQUIRE(source.start(sink));
    REQUIRE(wait_until([&] { return sink.size() >= 20; }, 3s));
    dev.set_error_bit(true);
    REQUIRE(wait_until([&] { return dev.reports_sent() >= 30 && dev.idle(); }, 3s));
    REQUIRE(wait_until([&] { return sink.size() >= 30; }, 1s));
    CHECK(source.state() == SourceState::Streaming);
    source.stop();
    const auto samples = sink.samples();
    REQUIRE(samples.size() == 30);
    CHECK(samples.front().value == Approx(20.0).epsilon(1e-3));
    CHECK(samples.front().flags == kFlagNone);
    CHECK(samples.back().flags == kFlagSaturated);
    CHECK(source.rejected_reports() == 3);
    CHECK(dev.counters().clear_halts == 1);
}

TEST_CASE("phidget usb: unplug keeps the samples before it, and replug restarts") {
    MockPhidgetBridge dev;
    require_mock(dev);
    dev.set_ratio(0.0001);
    dev.set_max_reports(40);
    dev.fault_at(15, InEvent{InEvent::Kind::Unplug, {}, 0});
    CollectingSink sink;
    PhidgetBridgeSource source(kVendor, kProduct);
    source.set_calibration(pb::TwoPointCalibration{0.0, 100'000.0});
    INFO(source.last_error());
    REQUIRE(source.start(sink));
    REQUIRE(wait_until([&] { return source.state() == SourceState::Disconnected; }, 3s));
    CHECK(source.last_error().find("disconnected") != std::string::npos);
    source.stop();
    CHECK(sink.size() == 15);

    dev.replug();
    dev.set_max_reports(5);
    CollectingSink again;
    REQUIRE(source.start(again));
    REQUIRE(wait_until([&] { return again.size() >= 5; }, 3s));
    source.stop();
    CHECK(source.state() == SourceState::Stopped);
    CHECK(again.samples().back().value == Approx(10.0).epsilon(1e-3));
    CHECK(dev.out_reports().size() == 1); // configured again after the replug
}

TEST_CASE("phidget usb: a missing board fails with words") {
    MockPhidgetBridge dev;
    require_mock(dev);
    CollectingSink sink;
    PhidgetBridgeOptions o;
    o.data_interval_ms = 4; // refused before any USB traffic
    PhidgetBridgeSource bad(kVendor, kProduct, o);
    CHECK_FALSE(bad.start(sink));
    CHECK(bad.last_error().find("4 ms") != std::string::npos);
    PhidgetBridgeSource other(kVendor, 0x0033);
    CHECK_FALSE(other.start(sink));
    CHECK(other.state() == SourceState::Failed);
    CHECK(other.last_error().find("06c2:0033") != std::string::npos);
}
