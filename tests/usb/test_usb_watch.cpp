// USB presence and hot-plug against a umockdev testbed: the one-shot scan, and arrivals and
// departures seen while watching, by rescanning (forced) and by libusb hotplug callbacks.

#include "input/usb_watch.hpp"
#include "tests/usb/mock_hid.hpp"
#include "tests/usb/usb_test_support.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <umockdev.h>

using qv::input::connected_usb_devices;
using qv::input::UsbChange;
using qv::input::UsbId;
using qv::input::UsbWatcher;
using qv::input::UsbWatchMode;
using qv::input::UsbWatchOptions;
using qv::test::hid_device_description;
using qv::test::HidDeviceSpec;
using qv::test::wait_until;
using namespace std::chrono_literals;

namespace {

const std::vector<UsbId> kIds{{0x1209, 0x0001}, {0x08F7, 0x0010}, {0x06C2, 0x003B}};

HidDeviceSpec spec(std::uint16_t vendor, std::uint16_t product) {
    HidDeviceSpec s;
    s.vendor = vendor;
    s.product = product;
    s.product_name = "test";
    return s;
}

// A testbed with no device; devices come and go with add() and remove().
class Bed {
  public:
    Bed() : testbed_(umockdev_testbed_new()) {
        if (!umockdev_in_mock_environment()) {
            std::fprintf(stderr, "SKIPPED: not in a umockdev environment\n");
            std::fflush(stderr);
            std::_Exit(qv::test::kSkipCode);
        }
    }
    ~Bed() { g_object_unref(testbed_); }
    Bed(const Bed&) = delete;
    Bed& operator=(const Bed&) = delete;
    void add(const HidDeviceSpec& s, int devnum, const std::string& port) {
        GError* err = nullptr;
        const bool ok = umockdev_testbed_add_from_string(
            testbed_, hid_device_description(s, devnum, port).c_str(), &err);
        INFO((err != nullptr ? err->message : ""));
        g_clear_error(&err);
        REQUIRE(ok);
    }
    void remove(const std::string& port) {
        const std::string path = "/sys/devices/usb1/" + port;
        umockdev_testbed_uevent(testbed_, path.c_str(), "remove");
        umockdev_testbed_remove_device(testbed_, path.c_str());
    }

  private:
    UMockdevTestbed* testbed_;
};

// Collects the watcher's changes until `n` have arrived or the limit passes.
std::vector<UsbChange> changes(UsbWatcher& w, std::size_t n, std::chrono::milliseconds limit) {
    std::vector<UsbChange> all;
    wait_until(
        [&] {
            for (const UsbChange& c : w.poll_changes()) {
                all.push_back(c);
            }
            return all.size() >= n;
        },
        limit);
    return all;
}

void watch_arrival_and_departure(UsbWatchMode mode) {
    Bed bed;
    bed.add(spec(0x1209, 0x0001), 2, "1-1");
    UsbWatchOptions o;
    o.mode = mode;
    o.rescan_interval = 100ms;
    UsbWatcher w(kIds, o);
    INFO(w.last_error());
    REQUIRE(w.start());
    CHECK(w.using_hotplug() == (mode != UsbWatchMode::Polling));
    REQUIRE(w.connected().size() == 1); // the baseline, no event for it
    CHECK(w.poll_changes().empty());

    bed.add(spec(0x08F7, 0x0010), 3, "1-2");
    bed.add(spec(0x046D, 0xC52B), 4, "1-3"); // a mouse: not ours, never reported
    auto c = changes(w, 1, 3s);
    REQUIRE(c.size() == 1);
    CHECK(c[0].kind == UsbChange::Kind::Arrived);
    CHECK(c[0].device.id == UsbId{0x08F7, 0x0010});
    CHECK(c[0].device.bus == 1);
    CHECK(c[0].device.address == 3);
    CHECK(w.connected().size() == 2);

    bed.remove("1-2");
    c = changes(w, 1, 3s);
    REQUIRE(c.size() == 1);
    CHECK(c[0].kind == UsbChange::Kind::Left);
    CHECK(c[0].device.id == UsbId{0x08F7, 0x0010});
    REQUIRE(w.connected().size() == 1);
    CHECK(w.connected()[0].id == UsbId{0x1209, 0x0001});

    std::this_thread::sleep_for(250ms);
    CHECK(w.poll_changes().empty()); // nothing more (the mouse stays unreported)
    w.stop();
    w.stop();
}

} // namespace

TEST_CASE("usb watch: the one-shot scan lists only the ids asked for") {
    Bed bed;
    bed.add(spec(0x08F7, 0x0010), 2, "1-1");
    bed.add(spec(0x06C2, 0x003B), 3, "1-2");
    bed.add(spec(0x046D, 0xC52B), 4, "1-3");
    std::string error;
    auto found = connected_usb_devices(kIds, &error);
    CHECK(error.empty());
    REQUIRE(found.size() == 2);
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.address < b.address; });
    CHECK(found[0].id == UsbId{0x08F7, 0x0010});
    CHECK(found[1].id == UsbId{0x06C2, 0x003B});
    CHECK(found[1].address == 3);
    const std::vector<UsbId> none{{0x1234, 0x5678}};
    CHECK(connected_usb_devices(none).empty());
}

TEST_CASE("usb watch: arrival and departure by rescanning (forced polling)") {
    watch_arrival_and_departure(UsbWatchMode::Polling);
}

TEST_CASE("usb watch: arrival and departure by libusb hotplug callbacks") {
    watch_arrival_and_departure(UsbWatchMode::Hotplug);
}
