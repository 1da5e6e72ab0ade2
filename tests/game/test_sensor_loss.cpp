// A sensor that stops answering in the middle of play: the game pauses and says so, keeps what
// was measured, carries on by itself when the sensor is back, or on the keyboard when asked, and
// labels the keyboard's data as such.

#include "game/screens/screens.hpp"
#include "input/drivers/keyboard/keyboard.hpp"
#include "input/source.hpp"
#include "tests/game/game_fixture.hpp"

#include <atomic>
#include <memory>

using namespace qv;
using qv::test::Game;
using qv::test::run;

namespace {

/// The shared state of an emulated USB sensor: plugged in or not, and a steady push.
struct FakeDevice {
    std::atomic<bool> plugged{true};
    std::atomic<bool> unplug_now{false};
    int starts = 0;
};

/// A sensor on the manual clock that pushes a steady force until it is unplugged, then reports
/// Disconnected the way the USB drivers do.
class FakeSensor final : public input::ClockedSource {
  public:
    FakeSensor(FakeDevice& device, double force_n) : device_(device), force_n_(force_n) {
        identity_.driver = "fake-sensor";
        identity_.model = "Test load cell";
        identity_.is_measurement = true;
    }
    const SourceIdentity& identity() const override { return identity_; }
    input::SourceCaps caps() const override { return {true, false, 100}; }
    bool start(input::SampleSink& sink) override {
        if (!device_.plugged) {
            error_ = "no such device";
            state_ = input::SourceState::Failed;
            return false;
        }
        ++device_.starts;
        sink_ = &sink;
        state_ = input::SourceState::Streaming;
        return true;
    }
    void stop() override {
        if (state_ == input::SourceState::Streaming) {
            state_ = input::SourceState::Stopped;
        }
    }
    input::SourceState state() const override { return state_; }
    std::string last_error() const override { return error_; }
    void advance_to(Micros t_us) override {
        if (device_.unplug_now.exchange(false)) {
            state_ = input::SourceState::Disconnected;
            error_ = "disconnected";
        }
        if (state_ != input::SourceState::Streaming || sink_ == nullptr) {
            return;
        }
        if (next_us_ == 0) {
            next_us_ = t_us; // a device streams from when it was opened, not from time zero
        }
        for (; next_us_ <= t_us; next_us_ += 10'000) {
            sink_->push({next_us_, Channel::Force, static_cast<float>(force_n_), kFlagNone});
        }
    }

  private:
    FakeDevice& device_;
    double force_n_;
    SourceIdentity identity_;
    input::SampleSink* sink_ = nullptr;
    input::SourceState state_ = input::SourceState::Stopped;
    std::string error_;
    Micros next_us_ = 0;
};

/// Play at Q2's dose on the fake sensor, pushing in the middle of the band.
void start_play_on_fake(Game& g, FakeDevice& device) {
    g.ctx.drivers.factory = [&g, &device](std::string_view id) -> std::unique_ptr<input::Source> {
        if (id == "keyboard") {
            return std::make_unique<input::KeyboardSource>(g.loaded.content.tuning.keyboard, 1);
        }
        if (id == "fake-sensor" && device.plugged) {
            auto s = std::make_unique<FakeSensor>(device, 100.0);
            return s;
        }
        return nullptr;
    };
    REQUIRE(g.ctx.use_source("fake-sensor"));
    g.ctx.draft.driver_id = "fake-sensor";
    g.ctx.draft.pain_before = 1;
    g.ctx.draft.dose = g.loaded.content.level("Q2")->dose;
    g.ctx.draft.stair.floor = 1;
    g.ctx.draft.stair.ceiling = 8;
    g.ctx.draft.stair_state.value = 5;
    profiles::CalibrationRecord cal;
    cal.zero_n = 0;
    cal.mvc_n = 400; // 100 N is 25 %: inside Q2's band
    g.ctx.draft.calibration = cal;
    g.start(game::make_play(g.ctx));
    REQUIRE(g.ctx.draft.session_id != 0);
}

} // namespace

SCENARIO("an unplugged sensor pauses play, and play resumes when it is back", "[play][sensor]") {
    Game g;
    FakeDevice device;
    start_play_on_fake(g, device);
    run(g, 8); // get ready, then into the first hold
    REQUIRE(g.top() == "play_hold");

    WHEN("the sensor is unplugged during a hold") {
        device.plugged = false;
        device.unplug_now = true;
        run(g, 0.1);
        THEN("the game pauses and says why") {
            CHECK(g.top() == "sensor_lost");
        }
        AND_WHEN("it stays away for a while") {
            run(g, 5);
            THEN("the game keeps waiting, without a crash or a lost session") {
                CHECK(g.top() == "sensor_lost");
                CHECK(g.count("SELECT count(*) FROM sessions WHERE status = 'in_progress'") == 1);
            }
            AND_WHEN("it is plugged back in") {
                device.plugged = true;
                run(g, 1.5);
                THEN("play carries on by itself with the same sensor") {
                    CHECK(g.top().rfind("play_", 0) == 0);
                    CHECK(device.starts == 2);
                    REQUIRE(g.ctx.input.source() != nullptr);
                    CHECK(g.ctx.input.source()->identity().driver == "fake-sensor");
                }
            }
        }
    }
}

SCENARIO("while the sensor is away, K carries on with the keyboard and labels its data",
         "[play][sensor]") {
    Game g;
    FakeDevice device;
    start_play_on_fake(g, device);
    run(g, 8);
    device.plugged = false;
    device.unplug_now = true;
    run(g, 0.5);
    REQUIRE(g.top() == "sensor_lost");
    g.press({SDLK_k});
    run(g, 0.1);
    CHECK(g.top().rfind("play_", 0) == 0);
    REQUIRE(g.ctx.input.source() != nullptr);
    CHECK(g.ctx.input.source()->identity().driver == "keyboard");
    CHECK(g.ctx.draft.driver_id == "keyboard");

    // End the session from the pause menu: the set in progress is committed with its label.
    g.press({SDLK_ESCAPE, SDLK_q});
    run(g, 0.5);
    g.worker->flush();
    CHECK(g.count("SELECT count(*) FROM sets WHERE json_extract(quality_json, '$.source') = "
                  "'keyboard' AND json_extract(quality_json, '$.switched_from') = 'fake-sensor' "
                  "AND json_extract(quality_json, '$.is_measurement') = 0") == 1);
    // What the sensor measured before it went away is kept in the set's trace.
    CHECK(g.count("SELECT count(*) FROM traces WHERE sample_count > 0") == 1);
}

SCENARIO("an unplug during calibration pauses it, and it starts over when the sensor is back",
         "[calibrate][sensor]") {
    Game g;
    FakeDevice device;
    g.ctx.drivers.factory = [&device](std::string_view id) -> std::unique_ptr<input::Source> {
        if (id == "fake-sensor" && device.plugged) {
            return std::make_unique<FakeSensor>(device, 3.0);
        }
        return nullptr;
    };
    REQUIRE(g.ctx.use_source("fake-sensor"));
    g.ctx.draft.driver_id = "fake-sensor";
    g.start(game::make_calibrate(g.ctx));
    run(g, 0.5);
    REQUIRE(g.top() == "calibrate_rest");
    device.plugged = false;
    device.unplug_now = true;
    run(g, 2);
    CHECK(g.top() == "calibrate_sensor_lost");
    CHECK(g.count("SELECT count(*) FROM calibrations") == 0);
    device.plugged = true;
    run(g, 1.5);
    CHECK(g.top() == "calibrate_rest");
    CHECK(device.starts == 2);
    run(g, 10); // a steady 3 N: the zero is taken on the replugged sensor
    CHECK(g.top() == "calibrate_ready");
}
