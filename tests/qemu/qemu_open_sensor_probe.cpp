// The program under test of the QEMU real-kernel tier (docs/testing-usb.md). It runs inside the
// guest, in three roles:
//
//   qemu_open_sensor_probe gadget --count N --rate-hz R [--device /dev/hidg0]
//       the device: writes N v1 input reports (docs/open-sensor.md) to the configfs HID
//       gadget's /dev/hidg0, one write() per report, R reports a second.
//   qemu_open_sensor_probe descriptor --device PATH
//       writes open_sensor::kReportDescriptor to PATH in one write() (the gadget's report_desc).
//   qemu_open_sensor_probe host --count N --streaming-file F --streamed-file G
//       the game's side: checks that the kernel's usbhid owns the sensor's interface, starts
//       OpenSensorSource (which detaches usbhid and claims the interface), touches F once it
//       streams; halfway it stops the source (usbhid must be bound again) and starts it again;
//       checks the N reports arrive in order with the expected values, touches G, then waits
//       for the source to see the unplug the guest's init performs.
//
// The host role prints one line, `QV-QEMU-PROBE: ok key=value...` or `QV-QEMU-PROBE: fail
// reason=... key=value...`, and exits 0 or 1. Only what the guest can see is checked: no mocks.

#include "core/log.hpp"
#include "input/drivers/open_sensor/driver.hpp"
#include "input/drivers/open_sensor/protocol.hpp"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
namespace os = qv::input::open_sensor;
using qv::Channel;
using qv::Sample;
using qv::input::OpenSensorSource;
using qv::input::SourceState;

namespace {

constexpr std::uint16_t kVendor = 0x1209;
constexpr std::uint16_t kProduct = 0x0001;

// Force of report i in millinewtons: distinct, signed, not round.
std::int32_t force_of(int i) {
    return 1234 * i - 5000;
}

// Knee angle of report i: present on even reports only, in hundredths of a degree.
std::int16_t angle_of(int i) {
    return i % 2 == 0 ? static_cast<std::int16_t>(100 * (i % 120)) : os::kNoAngle;
}

os::Report report_of(int i) {
    os::Report r;
    r.sequence = static_cast<std::uint16_t>(i);
    r.force_mn = force_of(i);
    r.angle_cdeg = angle_of(i);
    r.status = r.angle_cdeg == os::kNoAngle ? 0 : os::kStatusAnglePresent;
    return r;
}

struct Options {
    std::string role;
    int count = 200;
    double rate_hz = 100;
    std::string device = "/dev/hidg0";
    std::string streaming_file;
    std::string streamed_file;
    int timeout_s = 30;
};

std::optional<Options> parse_args(int argc, char** argv) {
    if (argc < 2) {
        return std::nullopt;
    }
    Options o;
    o.role = argv[1];
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const std::string value = argv[i + 1];
        if (key == "--count") {
            o.count = std::atoi(value.c_str());
        } else if (key == "--rate-hz") {
            o.rate_hz = std::atof(value.c_str());
        } else if (key == "--device") {
            o.device = value;
        } else if (key == "--streaming-file") {
            o.streaming_file = value;
        } else if (key == "--streamed-file") {
            o.streamed_file = value;
        } else if (key == "--timeout-s") {
            o.timeout_s = std::atoi(value.c_str());
        } else {
            return std::nullopt;
        }
    }
    if ((argc - 2) % 2 != 0 || o.count <= 0 || o.count > 60000 || o.rate_hz <= 0 ||
        o.timeout_s <= 0) {
        return std::nullopt;
    }
    return o;
}

// ---- gadget role -------------------------------------------------------------------------------

int run_gadget(const Options& o) {
    const int fd = ::open(o.device.c_str(), O_WRONLY);
    if (fd < 0) {
        std::printf("QV-QEMU-GADGET: fail cannot open %s: %s\n", o.device.c_str(),
                    std::strerror(errno));
        return 1;
    }
    const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(1.0 / o.rate_hz));
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < o.count; ++i) {
        std::this_thread::sleep_until(t0 + i * period);
        const auto bytes = os::encode_report(report_of(i));
        // One write() is one report: f_hid queues it as one IN transfer.
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n != static_cast<ssize_t>(bytes.size())) {
            std::printf("QV-QEMU-GADGET: fail write %d returned %zd: %s\n", i, n,
                        n < 0 ? std::strerror(errno) : "short write");
            ::close(fd);
            return 1;
        }
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("QV-QEMU-GADGET: wrote %d reports in %.2f s\n", o.count, secs);
    ::close(fd);
    return 0;
}

// Writes the report descriptor the protocol defines, in one write() as configfs wants.
int run_descriptor(const Options& o) {
    const int fd = ::open(o.device.c_str(), O_WRONLY | O_TRUNC);
    if (fd < 0) {
        std::printf("QV-QEMU-GADGET: fail cannot open %s: %s\n", o.device.c_str(),
                    std::strerror(errno));
        return 1;
    }
    const ssize_t n = ::write(fd, os::kReportDescriptor.data(), os::kReportDescriptor.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(os::kReportDescriptor.size())) {
        std::printf("QV-QEMU-GADGET: fail writing the report descriptor returned %zd\n", n);
        return 1;
    }
    return 0;
}

// ---- host role ---------------------------------------------------------------------------------

class CollectSink : public qv::input::SampleSink {
  public:
    bool push(const Sample& sample) override {
        std::lock_guard lock(mutex_);
        samples_.push_back(sample);
        return true;
    }
    std::vector<Sample> channel(Channel c) {
        std::lock_guard lock(mutex_);
        std::vector<Sample> out;
        for (const Sample& s : samples_) {
            if (s.channel == c) {
                out.push_back(s);
            }
        }
        return out;
    }
    std::size_t size(Channel c) { return channel(c).size(); }

  private:
    std::mutex mutex_;
    std::vector<Sample> samples_;
};

std::string read_line(const fs::path& p) {
    std::ifstream in(p);
    std::string s;
    std::getline(in, s);
    return s;
}

// The sysfs directory of the sensor's first interface (e.g. /sys/bus/usb/devices/1-1:1.0).
std::optional<fs::path> sensor_interface() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/sys/bus/usb/devices", ec)) {
        const fs::path dev = entry.path();
        if (read_line(dev / "idVendor") != fmt::format("{:04x}", kVendor) ||
            read_line(dev / "idProduct") != fmt::format("{:04x}", kProduct)) {
            continue;
        }
        const fs::path itf = dev.parent_path() / (dev.filename().string() + ":1.0");
        if (fs::exists(itf, ec)) {
            return itf;
        }
    }
    return std::nullopt;
}

// The name of the kernel driver bound to an interface, "none" when none is.
std::string bound_driver(const fs::path& itf) {
    std::error_code ec;
    const fs::path target = fs::read_symlink(itf / "driver", ec);
    return ec ? std::string("none") : target.filename().string();
}

bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

void touch(const std::string& path) {
    if (!path.empty()) {
        std::ofstream(path) << "1\n";
    }
}

const char* state_name(SourceState s) {
    switch (s) {
    case SourceState::Stopped:
        return "stopped";
    case SourceState::Streaming:
        return "streaming";
    case SourceState::Disconnected:
        return "disconnected";
    case SourceState::Failed:
        return "failed";
    }
    return "?";
}

// Everything the result line says; filled as the run goes.
struct Result {
    std::string before = "none"; // driver bound before start()
    std::string during = "none"; // driver bound while streaming
    std::size_t forces = 0;
    std::size_t angles = 0;
    std::uint64_t lost = 0;
    std::uint64_t rejected = 0;
    std::string firmware;
    double rate_hz = 0; // caps().rate_hz: from bInterval when the identity report is missing
    double stream_s = 0;
    double unplug_ms = -1;
    bool reattached = false; // usbhid bound again after stop()
    bool restarted = false;  // a second start() detached it again and streamed on
    std::string final_state = "stopped";

    std::string fields() const {
        return fmt::format("usbhid_bound={} driver_while_streaming={} samples={} angles={} "
                           "lost={} rejected={} reattached={} restarted={} identity={} "
                           "rate_hz={:g} stream_s={:.2f} unplug_ms={:.0f} state={}",
                           before == "usbhid" ? 1 : 0, during, forces, angles, lost, rejected,
                           reattached ? 1 : 0, restarted ? 1 : 0,
                           firmware.empty() ? "none" : firmware, rate_hz, stream_s, unplug_ms,
                           final_state);
    }
};

int finish(const Result& r, const std::string& failure) {
    if (failure.empty()) {
        std::printf("QV-QEMU-PROBE: ok %s\n", r.fields().c_str());
        std::fflush(stdout);
        return 0;
    }
    std::printf("QV-QEMU-PROBE: fail reason=\"%s\" %s\n", failure.c_str(), r.fields().c_str());
    std::fflush(stdout);
    return 1;
}

// Checks every sample against the report the gadget wrote; empty when all match.
std::string check_samples(const std::vector<Sample>& forces, const std::vector<Sample>& angles,
                          int count) {
    if (forces.size() != static_cast<std::size_t>(count)) {
        return fmt::format("expected {} force samples, got {}", count, forces.size());
    }
    for (std::size_t k = 0; k < forces.size(); ++k) {
        const double want = force_of(static_cast<int>(k)) / 1000.0;
        if (std::fabs(static_cast<double>(forces[k].value) - want) > 1e-3) {
            return fmt::format("force sample {} is {} N, expected {} N", k, forces[k].value, want);
        }
        if (forces[k].flags != qv::kFlagNone) {
            return fmt::format("force sample {} has flags 0x{:x}", k, forces[k].flags);
        }
        if (k > 0 && forces[k].t_us <= forces[k - 1].t_us) {
            return fmt::format("force sample {} is not later than the one before", k);
        }
    }
    const std::size_t want_angles = static_cast<std::size_t>(count + 1) / 2;
    if (angles.size() != want_angles) {
        return fmt::format("expected {} angle samples, got {}", want_angles, angles.size());
    }
    for (std::size_t k = 0; k < angles.size(); ++k) {
        const double want = angle_of(static_cast<int>(2 * k)) / 100.0;
        if (std::fabs(static_cast<double>(angles[k].value) - want) > 1e-3) {
            return fmt::format("angle sample {} is {} deg, expected {}", k, angles[k].value, want);
        }
    }
    return {};
}

int run_host(const Options& o) {
    Result r;
    const auto limit = std::chrono::seconds(o.timeout_s);

    const auto itf = sensor_interface();
    if (!itf) {
        return finish(r, "no 1209:0001 interface in /sys/bus/usb/devices");
    }
    r.before = bound_driver(*itf);
    if (r.before != "usbhid") {
        return finish(r, fmt::format("{} is bound to {}, not usbhid", itf->string(), r.before));
    }

    CollectSink sink;
    OpenSensorSource source(kVendor, kProduct);
    const auto t0 = std::chrono::steady_clock::now();
    if (!source.start(sink)) {
        return finish(r, "start failed: " + source.last_error());
    }
    r.firmware = source.identity().firmware;
    r.rate_hz = source.caps().rate_hz;
    r.during = bound_driver(*itf);
    touch(o.streaming_file);
    if (r.during == "usbhid") {
        source.stop();
        return finish(r, "usbhid is still bound after start()");
    }

    // Halfway, stop: the driver must give the interface back to usbhid (a real USBDEVFS_CONNECT),
    // and a second start() must take it again and carry on where the device is.
    const auto half = static_cast<std::size_t>(o.count / 2);
    const bool first = wait_for(
        [&] {
            return sink.size(Channel::Force) >= half || source.state() != SourceState::Streaming;
        },
        limit);
    r.lost = source.lost_reports();
    r.rejected = source.rejected_reports();
    if (!first || source.state() != SourceState::Streaming) {
        r.forces = sink.size(Channel::Force);
        r.final_state = state_name(source.state());
        const std::string err = source.last_error();
        source.stop();
        return finish(r, fmt::format("the first half did not arrive ({})", err));
    }
    source.stop();
    if (source.state() != SourceState::Stopped) {
        return finish(r, fmt::format("state after stop() is {}", state_name(source.state())));
    }
    r.reattached =
        wait_for([&] { return bound_driver(*itf) == "usbhid"; }, std::chrono::seconds(5));
    if (!r.reattached) {
        return finish(r, fmt::format("after stop() {} is bound to {}, not usbhid again",
                                     itf->string(), bound_driver(*itf)));
    }
    if (!source.start(sink)) {
        return finish(r, "the second start failed: " + source.last_error());
    }
    if (bound_driver(*itf) == "usbhid") {
        source.stop();
        return finish(r, "usbhid is still bound after the second start()");
    }
    r.restarted = true;

    const bool all = wait_for(
        [&] {
            return sink.size(Channel::Force) >= static_cast<std::size_t>(o.count) ||
                   source.state() != SourceState::Streaming;
        },
        limit);
    r.stream_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // A report past the count would be a duplicate or junk: give it a moment to show up.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto forces = sink.channel(Channel::Force);
    const auto angles = sink.channel(Channel::KneeAngle);
    r.forces = forces.size();
    r.angles = angles.size();
    r.lost += source.lost_reports();
    r.rejected += source.rejected_reports();
    if (!all || source.state() != SourceState::Streaming) {
        r.final_state = state_name(source.state());
        const std::string err = source.last_error();
        source.stop();
        return finish(r, fmt::format("streaming ended early or timed out ({})", err));
    }
    if (auto bad = check_samples(forces, angles, o.count); !bad.empty()) {
        source.stop();
        return finish(r, bad);
    }
    if (r.lost != 0 || r.rejected != 0) {
        source.stop();
        return finish(r, "reports were lost or rejected");
    }

    // The guest's init unbinds the gadget now: a real unplug.
    touch(o.streamed_file);
    const auto t1 = std::chrono::steady_clock::now();
    const bool gone = wait_for([&] { return source.state() == SourceState::Disconnected; }, limit);
    if (gone) {
        r.unplug_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1)
                .count();
    }
    r.final_state = state_name(source.state());
    const std::string err = source.last_error();
    source.stop();
    if (!gone) {
        return finish(r, "the source did not report the unplug");
    }
    if (err.find("disconnected") == std::string::npos) {
        return finish(r, "last_error does not mention the disconnect: " + err);
    }
    return finish(r, {});
}

} // namespace

int main(int argc, char** argv) {
    const auto options = parse_args(argc, argv);
    if (!options ||
        (options->role != "gadget" && options->role != "host" && options->role != "descriptor")) {
        std::fprintf(stderr,
                     "usage: qemu_open_sensor_probe gadget --count N --rate-hz R [--device D]\n"
                     "       qemu_open_sensor_probe descriptor --device PATH\n"
                     "       qemu_open_sensor_probe host --count N [--streaming-file F] "
                     "[--streamed-file G] [--timeout-s S]\n");
        return 2;
    }
    // The driver's log lines (detach, identity, disconnect) go to the guest's console.
    qv::log::set_level(spdlog::level::info);
    if (options->role == "descriptor") {
        return run_descriptor(*options);
    }
    return options->role == "gadget" ? run_gadget(*options) : run_host(*options);
}
