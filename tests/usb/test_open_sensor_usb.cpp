// The open sensor's libusb driver against an emulated device (umockdev, in process): streaming,
// zero-length packets, garbage, stalls, unplug and the kernel driver hand-over.

#include "input/drivers/open_sensor/driver.hpp"
#include "input/drivers/open_sensor/protocol.hpp"
#include "tests/usb/mock_open_sensor.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

using qv::Channel;
using qv::Sample;
using qv::input::OpenSensorSource;
using qv::input::SourceState;
using qv::test::DeviceEvent;
using qv::test::MockOpenSensor;
namespace os = qv::input::open_sensor;

namespace {

constexpr double kRateHz = 500;

// Collects what the driver delivers; push() runs on the driver's event thread.
class CollectSink : public qv::input::SampleSink {
  public:
    bool push(const Sample& sample) override {
        std::lock_guard lock(mutex_);
        samples_.push_back(sample);
        return true;
    }
    std::vector<Sample> samples() {
        std::lock_guard lock(mutex_);
        return samples_;
    }
    std::vector<Sample> channel(Channel c) {
        std::vector<Sample> out;
        for (const Sample& s : samples()) {
            if (s.channel == c) {
                out.push_back(s);
            }
        }
        return out;
    }

  private:
    std::mutex mutex_;
    std::vector<Sample> samples_;
};

// The testbed exists, so umockdev can tell whether its preload library is active; without it
// the test cannot run here and says so with the skip code.
void require_mock(MockOpenSensor& dev) {
    if (!dev.ok()) {
        std::fprintf(stderr, "SKIPPED: %s\n", dev.error().c_str());
        std::fflush(stderr);
        std::_Exit(qv::test::kSkipCode);
    }
}

bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

DeviceEvent report(std::uint16_t seq, std::int32_t force_mn, std::int16_t angle = os::kNoAngle) {
    os::Report r;
    r.sequence = seq;
    r.force_mn = force_mn;
    r.angle_cdeg = angle;
    r.status = angle == os::kNoAngle ? 0 : os::kStatusAnglePresent;
    const auto bytes = os::encode_report(r);
    return {DeviceEvent::Kind::Bytes, {bytes.begin(), bytes.end()}};
}

DeviceEvent zero_length() {
    return {DeviceEvent::Kind::Bytes, {}};
}

// Force of report i in millinewtons: distinct, signed, not a round number.
std::int32_t force_of(int i) {
    return 1234 * i - 5000;
}

void check_forces(const std::vector<Sample>& forces, const std::vector<int>& indices) {
    REQUIRE(forces.size() == indices.size());
    for (std::size_t k = 0; k < forces.size(); ++k) {
        INFO("sample " << k);
        CHECK(forces[k].value ==
              Approx(static_cast<double>(force_of(indices[k])) / 1000.0).margin(1e-4));
        if (k > 0) {
            CHECK(forces[k].t_us > forces[k - 1].t_us);
        }
    }
}

// Runs a whole scenario: start, let the script play out, stop.
struct Run {
    explicit Run(MockOpenSensor& d) : dev(d), source(0x1209, 0x0001) {}
    void start() {
        INFO(source.last_error());
        REQUIRE(source.start(sink));
        REQUIRE(source.state() == SourceState::Streaming);
    }
    void play(std::size_t expected_force_samples) {
        REQUIRE(wait_for([&] { return dev.script_done(); }, std::chrono::seconds(5)));
        REQUIRE(
            wait_for([&] { return sink.channel(Channel::Force).size() >= expected_force_samples; },
                     std::chrono::seconds(2)));
    }
    MockOpenSensor& dev;
    CollectSink sink;
    OpenSensorSource source;
};

} // namespace

TEST_CASE("open sensor usb: normal streaming delivers every report in order") {
    MockOpenSensor dev(kRateHz);
    require_mock(dev);
    constexpr int kReports = 200;
    std::vector<DeviceEvent> script;
    std::vector<int> indices;
    for (int i = 0; i < kReports; ++i) {
        const auto angle = i % 2 == 0 ? static_cast<std::int16_t>(1000 + i)
                                      : static_cast<std::int16_t>(os::kNoAngle);
        script.push_back(report(static_cast<std::uint16_t>(i), force_of(i), angle));
        indices.push_back(i);
    }
    dev.script(std::move(script));

    Run run(dev);
    run.start();
    const auto& id = run.source.identity();
    CHECK(id.driver == "open-sensor");
    CHECK(id.model == MockOpenSensor::kProduct);
    CHECK(id.serial == MockOpenSensor::kSerial);
    CHECK(id.firmware == "1.2.3");
    CHECK(id.is_measurement);
    CHECK(run.source.caps().force);
    CHECK(run.source.caps().knee_angle);
    CHECK(run.source.caps().rate_hz == Approx(500));

    run.play(kReports);
    run.source.stop();
    CHECK(run.source.state() == SourceState::Stopped);
    check_forces(run.sink.channel(Channel::Force), indices);
    const auto angles = run.sink.channel(Channel::KneeAngle);
    REQUIRE(angles.size() == kReports / 2);
    CHECK(angles[1].value == Approx(10.02).margin(1e-4));
    CHECK(run.source.lost_reports() == 0);
    CHECK(run.source.rejected_reports() == 0);
    const auto c = dev.counters();
    CHECK(c.max_in_flight >= 2);
    CHECK(c.discards >= 1); // stop() cancelled the transfers still in flight
    CHECK(run.source.last_error().empty());
}

TEST_CASE("open sensor usb: zero-length packets between reports are ignored") {
    MockOpenSensor dev(kRateHz);
    require_mock(dev);
    std::vector<DeviceEvent> script;
    std::vector<int> indices;
    for (int i = 0; i < 50; ++i) {
        script.push_back(report(static_cast<std::uint16_t>(i), force_of(i)));
        script.push_back(zero_length());
        indices.push_back(i);
    }
    dev.script(std::move(script));
    Run run(dev);
    run.start();
    run.play(indices.size());
    run.source.stop();
    check_forces(run.sink.channel(Channel::Force), indices);
    CHECK(run.sink.samples().size() == indices.size());
    CHECK(run.source.rejected_reports() == 0);
    CHECK(run.source.lost_reports() == 0);
}

TEST_CASE("open sensor usb: short and garbage reports are rejected and streaming continues") {
    MockOpenSensor dev(kRateHz);
    require_mock(dev);
    std::vector<DeviceEvent> script;
    std::vector<int> indices;
    for (int i = 0; i < 10; ++i) {
        script.push_back(report(static_cast<std::uint16_t>(i), force_of(i)));
        indices.push_back(i);
    }
    script.push_back({DeviceEvent::Kind::Bytes, {0x01, 0x0C, 0x0A}});             // short
    script.push_back({DeviceEvent::Kind::Bytes, {0xEE, 0xFF, 0x00, 0x13, 0x37}}); // garbage
    script.push_back({DeviceEvent::Kind::Bytes, {0x01, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}});
    for (int i = 10; i < 20; ++i) {
        script.push_back(report(static_cast<std::uint16_t>(i), force_of(i)));
        indices.push_back(i);
    }
    dev.script(std::move(script));
    Run run(dev);
    run.start();
    run.play(indices.size());
    run.source.stop();
    check_forces(run.sink.channel(Channel::Force), indices);
    CHECK(run.source.rejected_reports() == 3);
    CHECK(run.source.lost_reports() == 0);
    CHECK(run.source.state() == SourceState::Stopped);
}

TEST_CASE("open sensor usb: a stalled endpoint is cleared and streaming recovers") {
    MockOpenSensor dev(kRateHz);
    require_mock(dev);
    std::vector<DeviceEvent> script;
    std::vector<int> indices;
    for (int i = 0; i < 20; ++i) {
        if (i == 10) {
            script.push_back({DeviceEvent::Kind::Stall, {}});
            script.push_back({DeviceEvent::Kind::Error, {}});
        }
        script.push_back(report(static_cast<std::uint16_t>(i), force_of(i)));
        indices.push_back(i);
    }
    dev.script(std::move(script));
    Run run(dev);
    run.start();
    run.play(indices.size());
    CHECK(run.source.state() == SourceState::Streaming);
    run.source.stop();
    check_forces(run.sink.channel(Channel::Force), indices);
    const auto c = dev.counters();
    CHECK(c.clear_halts == 1);
    CHECK(c.submits_while_halted == 0); // the halt is cleared before the transfer goes out again
    CHECK(run.source.lost_reports() == 0);
}

TEST_CASE("open sensor usb: unplug while streaming keeps every sample before it") {
    MockOpenSensor dev(kRateHz);
    require_mock(dev);
    std::vector<DeviceEvent> script;
    std::vector<int> indices;
    for (int i = 0; i < 30; ++i) {
        script.push_back(report(static_cast<std::uint16_t>(i), force_of(i)));
        indices.push_back(i);
    }
    script.push_back({DeviceEvent::Kind::Unplug, {}});
    dev.script(std::move(script));
    Run run(dev);
    run.start();
    run.play(indices.size());
    REQUIRE(wait_for([&] { return run.source.state() == SourceState::Disconnected; },
                     std::chrono::seconds(3)));
    CHECK(run.source.last_error().find("disconnected") != std::string::npos);
    run.source.stop();
    CHECK(run.source.state() == SourceState::Disconnected);
    check_forces(run.sink.channel(Channel::Force), indices);
}

TEST_CASE("open sensor usb: the kernel driver is detached for the session and re-attached") {
    MockOpenSensor dev(kRateHz);
    require_mock(dev);
    dev.script({report(0, force_of(0)), report(1, force_of(1))});
    REQUIRE(dev.counters().kernel_driver_bound);
    Run run(dev);
    run.start();
    auto c = dev.counters();
    CHECK_FALSE(c.kernel_driver_bound);
    CHECK(c.detaches == 1);
    CHECK(c.claims == 1);
    CHECK(c.busy_claims == 0);
    CHECK(c.attaches == 0);
    run.play(2);
    run.source.stop();
    run.source.stop(); // safe twice
    c = dev.counters();
    CHECK(c.kernel_driver_bound);
    CHECK_FALSE(c.claimed);
    CHECK(c.releases == 1);
    CHECK(c.attaches == 1);
    CHECK(c.detaches == 1);
}

TEST_CASE("open sensor usb: a missing device fails with words") {
    MockOpenSensor dev(kRateHz);
    require_mock(dev);
    CollectSink sink;
    OpenSensorSource source(0x1209, 0x0002); // not the emulated device
    CHECK_FALSE(source.start(sink));
    CHECK(source.state() == SourceState::Failed);
    CHECK(source.last_error().find("1209:0002") != std::string::npos);
    source.stop();
}
