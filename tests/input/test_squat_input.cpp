// Squat input: the simulator and the keyboard on the knee-angle channel, the force pad's load
// pattern, and the hub's angle readings. Force behaviour stays the default.

#include "core/clock.hpp"
#include "input/drivers/keyboard/keyboard.hpp"
#include "input/drivers/simulator/patient_model.hpp"
#include "input/drivers/simulator/simulator.hpp"
#include "input/hub.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

using namespace qv;
using namespace qv::input;

namespace {

class VectorSink final : public SampleSink {
  public:
    bool push(const Sample& s) override {
        samples.push_back(s);
        return true;
    }
    std::vector<Sample> samples;
};

SimPatientParams patient() {
    SimPatientParams p;
    p.true_mvc_n = 320;
    p.reaction_s = 0.3;
    p.rise_s = 0.2;
    p.tracking_gain = 2.0;
    p.noise_cv_low = 0.02;
    p.noise_cv_high = 0.06;
    p.rate_hz = 100;
    p.angle_lag_s = 0.12;
    p.angle_noise_deg = 0.5;
    p.body_weight_n = 800;
    p.com_drop_m = 0.4;
    p.affected_share = 0.45;
    p.offload_at_90 = 0.1;
    p.seated_share = 0.12;
    p.seat_angle_deg = 85;
    p.chair_contact_deg = 10;
    p.load_noise_pct = 0;
    p.fast_tempo_s = 1.0;
    p.deep_factor = 1.5;
    p.halfway_share = 0.5;
    return p;
}

PatientCue squat(double angle, double depth = 45, bool chair = false) {
    PatientCue c;
    c.kind = PatientCue::Kind::Squat;
    c.target_angle_deg = angle;
    c.depth_deg = depth;
    c.chair = chair;
    return c;
}

KeyboardModelParams keys() {
    KeyboardModelParams p;
    p.max_force_n = 300;
    p.rise_s = 0.25;
    p.fall_s = 0.2;
    p.tremor_pct = 1.5;
    p.effort_step = 0.05;
    p.start_effort = 0.3;
    p.rate_hz = 100;
    p.angle_rate_deg_s = 20;
    p.angle_max_deg = 90;
    return p;
}

} // namespace

TEST_CASE("the virtual knee follows a target angle after its reaction time, with lag",
          "[simulator][squat]") {
    PatientModel m(patient(), 1);
    for (int i = 0; i < 25; ++i) // 0.25 s: before the reaction time
        m.step(0.01, squat(30));
    CHECK(m.true_angle_deg() == 0);
    for (int i = 0; i < 300; ++i)
        m.step(0.01, squat(30));
    CHECK(m.true_angle_deg() == Approx(30).margin(0.1));
    CHECK(std::abs(m.angle_reading_deg() - 30) < 3); // noise of 0.5 degrees
    CHECK(m.squat_behaviour() == SquatBehaviour::Follow);
}

TEST_CASE("seeded habits: too deep and stopping halfway", "[simulator][squat]") {
    SECTION("too deep aims deep_factor times the target") {
        PatientModel m(patient(), 2);
        m.set_squat_habits({0, 1, 0});
        for (int i = 0; i < 400; ++i)
            m.step(0.01, squat(40));
        CHECK(m.squat_behaviour() == SquatBehaviour::TooDeep);
        CHECK(m.true_angle_deg() == Approx(60).margin(0.2));
    }
    SECTION("stopping halfway stays down when the target comes back up") {
        PatientModel m(patient(), 3);
        m.set_squat_habits({0, 0, 1});
        for (int i = 0; i < 400; ++i)
            m.step(0.01, squat(40, 40));
        for (int i = 0; i < 400; ++i)
            m.step(0.01, squat(0, 40));
        CHECK(m.true_angle_deg() == Approx(20).margin(0.2));
    }
}

TEST_CASE("the force pad shows the inertial dip and overshoot of a squat", "[simulator][squat]") {
    PatientModel m(patient(), 4);
    for (int i = 0; i < 200; ++i) // standing still: affected_share of body weight
        m.step(0.01, squat(0));
    CHECK(m.true_foot_load_n() == Approx(0.45 * 800).margin(0.5));
    double lowest = 1e9;
    double highest = 0;
    // a brisk squat to 60 degrees: the target jumps, the knee follows with its lag
    for (int i = 0; i < 100; ++i) {
        m.step(0.01, squat(60, 60));
        lowest = std::min(lowest, m.true_foot_load_n());
        highest = std::max(highest, m.true_foot_load_n());
    }
    const double standing_at_60 = (0.45 - 0.1 * 0.5) * 800; // offloads as the knee bends
    CHECK(lowest < standing_at_60 - 10);                    // unloading while accelerating down
    CHECK(highest > 0.45 * 800); // never below ... and braking pushes back up
    for (int i = 0; i < 300; ++i)
        m.step(0.01, squat(60, 60));
    CHECK(m.true_foot_load_n() == Approx(standing_at_60).margin(1));
    // both feet on the pad: the whole body weight
    PatientCue both = squat(0);
    both.both_feet = true;
    for (int i = 0; i < 400; ++i)
        m.step(0.01, both);
    CHECK(m.true_foot_load_n() == Approx(800).margin(1));
}

TEST_CASE("seated on a chair the foot carries little; standing, about its share",
          "[simulator][squat]") {
    PatientModel m(patient(), 5);
    for (int i = 0; i < 400; ++i)
        m.step(0.01, squat(45, 45, true)); // the full target is the seat
    CHECK(m.true_angle_deg() == Approx(85).margin(0.5));
    CHECK(m.true_foot_load_n() == Approx(0.12 * 800).margin(5));
    for (int i = 0; i < 400; ++i)
        m.step(0.01, squat(0, 45, true));
    CHECK(m.true_foot_load_n() == Approx(0.45 * 800).margin(2));
}

TEST_CASE("SimulatorSource emits knee angles on request and force by default",
          "[simulator][squat]") {
    SimulatorSource src(patient(), 6);
    CHECK(src.channel() == Channel::Force);
    CHECK(src.caps().force);
    CHECK_FALSE(src.caps().knee_angle);
    VectorSink sink;
    REQUIRE(src.start(sink));
    src.set_cue(squat(30));
    src.advance_to(0); // anchors the sample grid
    src.advance_to(1'000'000);
    REQUIRE_FALSE(sink.samples.empty());
    CHECK(std::all_of(sink.samples.begin(), sink.samples.end(),
                      [](const Sample& s) { return s.channel == Channel::Force; }));
    // Standing on the pad: about the affected share of body weight.
    CHECK(sink.samples.back().value == Approx(0.45 * 800).margin(40));

    src.set_channel(Channel::KneeAngle);
    CHECK(src.caps().knee_angle);
    sink.samples.clear();
    src.advance_to(4'000'000);
    REQUIRE(sink.samples.size() == 300);
    CHECK(std::all_of(sink.samples.begin(), sink.samples.end(),
                      [](const Sample& s) { return s.channel == Channel::KneeAngle; }));
    CHECK(sink.samples.back().value == Approx(30).margin(3));
    CHECK_FALSE(src.identity().is_measurement);
    src.stop();
}

TEST_CASE("the same seed and cues give the same squat samples", "[simulator][squat][determinism]") {
    const auto run = [](std::uint64_t seed) {
        PatientModel m(patient(), seed);
        m.set_squat_habits({0.3, 0.3, 0.3});
        std::vector<double> out;
        for (int i = 0; i < 2000; ++i) {
            const double t = i * 0.01;
            const double target = 40 * std::max(0.0, std::sin(t));
            out.push_back(m.step(0.01, squat(target, 40)));
            out.push_back(m.angle_reading_deg());
        }
        return out;
    };
    CHECK(run(8) == run(8));
    CHECK(run(8) != run(9));
}

TEST_CASE("quad-set cues leave the model's force exactly as before squats existed",
          "[simulator][squat]") {
    // The squat code draws no random numbers outside Squat cues: a model that never squats
    // gives the same readings whatever its squat settings.
    SimPatientParams other = patient();
    other.angle_noise_deg = 5;
    other.load_noise_pct = 3;
    PatientModel a(patient(), 10);
    PatientModel b(other, 10);
    PatientCue hold{PatientCue::Kind::Hold, 100};
    for (int i = 0; i < 500; ++i)
        CHECK(a.step(0.01, hold) == b.step(0.01, hold));
}

SCENARIO("the keyboard bends and straightens the knee at a bounded rate", "[keyboard][squat]") {
    GIVEN("a keyboard source in knee-angle mode") {
        KeyboardSource kb(keys(), 1);
        VectorSink sink;
        REQUIRE(kb.start(sink));
        kb.set_channel(Channel::KneeAngle);
        CHECK(kb.caps().knee_angle);
        kb.advance_to(0);
        WHEN("Down is held for 2 s") {
            kb.set_bending(true);
            kb.advance_to(2'000'000);
            THEN("the knee bends at 20 degrees per second, on the knee-angle channel") {
                CHECK(kb.angle_deg() == Approx(40).margin(0.01));
                CHECK(sink.samples.back().channel == Channel::KneeAngle);
                CHECK(sink.samples.back().value == Approx(40).margin(0.01));
                CHECK(kb.identity().driver == "keyboard");
                CHECK_FALSE(kb.identity().is_measurement);
            }
            AND_WHEN("it is held far longer, then Up is held too, then only Up") {
                kb.advance_to(10'000'000);
                CHECK(kb.angle_deg() == 90); // angle_max_deg
                kb.set_straightening(true);
                kb.advance_to(11'000'000);
                CHECK(kb.angle_deg() == 90); // both keys cancel
                kb.set_bending(false);
                kb.advance_to(20'000'000);
                CHECK(kb.angle_deg() == 0); // never below straight
            }
        }
        kb.stop();
    }
    GIVEN("a keyboard source left in its default mode") {
        KeyboardSource kb(keys(), 1);
        VectorSink sink;
        REQUIRE(kb.start(sink));
        kb.set_bending(true); // no effect on force
        kb.set_pushing(true);
        kb.advance_to(0);
        kb.advance_to(1'000'000);
        THEN("it is a force source as before") {
            CHECK(kb.caps().force);
            CHECK(sink.samples.back().channel == Channel::Force);
            CHECK(sink.samples.back().value > 50);
        }
        kb.stop();
    }
}

TEST_CASE("the hub delivers knee angles beside force readings and drops impossible ones",
          "[hub][squat]") {
    ManualClock clock;
    FilterParams fp;
    fp.lowpass_hz = 8;
    fp.spike_threshold_n = 60;
    fp.max_force_n = 3000;
    fp.drift_threshold_n = 8;
    InputHub hub(clock, fp);
    auto kb = std::make_unique<KeyboardSource>(keys(), 1);
    KeyboardSource* raw = kb.get();
    raw->set_channel(Channel::KneeAngle);
    REQUIRE(hub.use(std::move(kb), false));
    raw->set_bending(true);
    clock.set(0);
    hub.pump();
    clock.set(1'000'000);
    hub.pump();
    std::vector<ForceReading> forces;
    std::vector<AngleReading> angles;
    hub.poll(forces, angles);
    CHECK(forces.empty());
    REQUIRE(angles.size() == 101);
    CHECK(angles.back().deg == Approx(20).margin(0.01));
    CHECK(hub.latest_angle().deg == angles.back().deg);
    CHECK(std::is_sorted(
        angles.begin(), angles.end(),
        [](const AngleReading& a, const AngleReading& b) { return a.t_us < b.t_us; }));
    // The one-list poll drops angles, as it always dropped non-force samples.
    clock.set(2'000'000);
    hub.pump();
    hub.poll(forces);
    CHECK(forces.empty());
    CHECK(hub.rejected_angles() == 0);
}

namespace {

// A source whose samples the test pushes by hand.
class HandSource final : public Source {
  public:
    const SourceIdentity& identity() const override { return id_; }
    SourceCaps caps() const override { return {true, true, 100}; }
    bool start(SampleSink& sink) override {
        sink_ = &sink;
        return true;
    }
    void stop() override { sink_ = nullptr; }
    SourceState state() const override {
        return sink_ != nullptr ? SourceState::Streaming : SourceState::Stopped;
    }
    std::string last_error() const override { return {}; }
    void push(Micros t, Channel c, float v) { sink_->push(Sample{t, c, v, kFlagNone}); }

  private:
    SourceIdentity id_{"hand", "", "", "", false};
    SampleSink* sink_ = nullptr;
};

} // namespace

TEST_CASE("impossible knee angles are counted and skipped; force still flows", "[hub][squat]") {
    ManualClock clock;
    FilterParams fp;
    fp.lowpass_hz = 8;
    fp.spike_threshold_n = 60;
    fp.max_force_n = 3000;
    fp.drift_threshold_n = 8;
    InputHub hub(clock, fp);
    auto src = std::make_unique<HandSource>();
    HandSource* raw = src.get();
    REQUIRE(hub.use(std::move(src), false));
    raw->push(0, Channel::KneeAngle, 10);
    raw->push(10, Channel::KneeAngle, NAN);
    raw->push(20, Channel::KneeAngle, 400);
    raw->push(30, Channel::KneeAngle, -90);
    raw->push(40, Channel::Force, 100);
    raw->push(50, Channel::KneeAngle, 12);
    std::vector<ForceReading> forces;
    std::vector<AngleReading> angles;
    hub.poll(forces, angles);
    REQUIRE(angles.size() == 2);
    CHECK(angles[0].deg == 10);
    CHECK(angles[1].deg == 12);
    CHECK(forces.size() == 1);
    CHECK(hub.rejected_angles() == 3);
}
