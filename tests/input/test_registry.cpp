#include "input/drivers/keyboard/keyboard.hpp"
#include "input/registry.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

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
    const DriverContext ctx = context();
    for (const DriverInfo& d : drivers()) {
        INFO(d.id);
        const std::unique_ptr<Source> source = d.create(ctx);
        REQUIRE(source);
        CHECK(source->identity().driver == d.id);
        CHECK(source->identity().is_measurement == d.measures);
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
