#include "input/drivers/keyboard/keyboard.hpp"
#include "input/registry.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <set>
#include <string>
#include <utility>

using namespace qv::input;

namespace {

DriverContext context() {
    DriverContext ctx;
    ctx.keyboard.max_force_n = 400;
    ctx.keyboard.rise_s = 0.3;
    ctx.keyboard.fall_s = 0.2;
    ctx.keyboard.tremor_pct = 1;
    ctx.keyboard.effort_step = 0.1;
    ctx.keyboard.start_effort = 0.5;
    ctx.keyboard.rate_hz = 100;
    ctx.patient.true_mvc_n = 320;
    ctx.patient.reaction_s = 0.3;
    ctx.patient.rise_s = 0.2;
    ctx.patient.tracking_gain = 2;
    ctx.patient.noise_cv_low = 0.02;
    ctx.patient.noise_cv_high = 0.06;
    ctx.patient.fatigue_rate = 0.006;
    ctx.patient.recovery_rate = 0.01;
    ctx.patient.drift_n_per_min = 2;
    ctx.patient.rate_hz = 250;
    ctx.seed = 99;
    return ctx;
}

} // namespace

TEST_CASE("The registry lists the keyboard and the simulator", "[registry]") {
    const DriverInfo* keyboard = find_driver("keyboard");
    REQUIRE(keyboard != nullptr);
    CHECK(keyboard->transport == Transport::Sdl);
    CHECK_FALSE(keyboard->measures);
    CHECK(keyboard->usb_vendor == 0);
    CHECK(keyboard->usb_product == 0);
    CHECK_FALSE(keyboard->description.empty());

    const DriverInfo* simulator = find_driver("simulator");
    REQUIRE(simulator != nullptr);
    CHECK(simulator->transport == Transport::Virtual);
    CHECK_FALSE(simulator->measures);
    CHECK(simulator->usb_vendor == 0);
    CHECK(simulator->usb_product == 0);

    CHECK(find_driver("no-such-driver") == nullptr);
    CHECK(find_driver("") == nullptr);
    CHECK(find_driver("Keyboard") == nullptr); // ids are exact
}

TEST_CASE("Every registry row is well formed", "[registry]") {
    std::set<std::string> ids;
    for (const DriverInfo& d : drivers()) {
        INFO(d.id);
        CHECK_FALSE(d.id.empty());
        CHECK(ids.insert(std::string(d.id)).second); // unique
        CHECK(find_driver(d.id) == &d);
        REQUIRE(d.make != nullptr);
        if (d.transport == Transport::Usb) {
            CHECK(d.usb_vendor != 0);
        } else {
            CHECK(d.usb_vendor == 0);
            CHECK(d.usb_product == 0);
        }
    }
    CHECK(ids.size() >= 2);
}

TEST_CASE("Each row creates a source labelled with its own id", "[registry]") {
    DriverContext ctx = context();
    const char* root = std::getenv("QV_SOURCE_DIR");
    REQUIRE(root != nullptr);
    ctx.replay_file = std::string(root) + "/tests/protocols/recordings/example.qvrec";
    for (const DriverInfo& d : drivers()) {
        INFO(d.id);
        const std::unique_ptr<Source> source = d.create(ctx);
        REQUIRE(source);
        CHECK(source->identity().driver == d.id);
        // A replay is a measurement when its recording was one; a joystick board once it has
        // its two-point calibration (tests/input/test_joystick.cpp).
        if (d.id != "replay" && d.id != "joystick") {
            CHECK(source->identity().is_measurement == d.measures);
        }
        CHECK(source->state() == SourceState::Stopped);
    }
}

TEST_CASE("create() passes the context's parameters to the source", "[registry]") {
    const DriverContext ctx = context();
    const auto keyboard = find_driver("keyboard")->create(ctx);
    CHECK(keyboard->caps().rate_hz == 100);
    auto* kb = dynamic_cast<KeyboardSource*>(keyboard.get());
    REQUIRE(kb != nullptr);
    CHECK(kb->max_force_n() == 400);
    CHECK(kb->effort() == 0.5);
    const auto simulator = find_driver("simulator")->create(ctx);
    CHECK(simulator->caps().rate_hz == 250);
    CHECK(dynamic_cast<ClockedSource*>(simulator.get()) != nullptr);
}

TEST_CASE("The open sensor's row carries the pid.codes test id", "[registry]") {
    const DriverInfo* open = find_driver("open-sensor");
    REQUIRE(open != nullptr);
    CHECK(open->transport == Transport::Usb);
    CHECK(open->measures);
    CHECK(open->usb_vendor == 0x1209);
    CHECK(open->usb_product == 0x0001);
    CHECK(drivers().front().transport == Transport::Usb); // real sensors are tried first
}

TEST_CASE("The Go Direct and PhidgetBridge rows carry their USB ids", "[registry]") {
    const DriverInfo* godirect = find_driver("godirect");
    REQUIRE(godirect != nullptr);
    CHECK(godirect->transport == Transport::Usb);
    CHECK(godirect->measures);
    CHECK(godirect->usb_vendor == 0x08F7);
    CHECK(godirect->usb_product == 0x0010);
    const DriverInfo* phidget = find_driver("phidget-bridge");
    REQUIRE(phidget != nullptr);
    CHECK(phidget->transport == Transport::Usb);
    CHECK(phidget->measures);
    CHECK(phidget->usb_vendor == 0x06C2);
    CHECK(phidget->usb_product == 0x003B);

    // USB rows come first, and no two rows share a device id.
    bool seen_other = false;
    std::set<std::pair<int, int>> usb_ids;
    for (const DriverInfo& d : drivers()) {
        INFO(d.id);
        if (d.transport == Transport::Usb) {
            CHECK_FALSE(seen_other);
            CHECK(usb_ids.insert({d.usb_vendor, d.usb_product}).second);
        } else {
            seen_other = true;
        }
    }
    CHECK(usb_ids.size() == 3);
}
