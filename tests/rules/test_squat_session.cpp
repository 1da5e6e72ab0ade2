// Controlled-squat rules: rep detection and scoring on synthetic and simulated signals, the
// depth cap, the force-pad modes (body weight, load share, sit-to-stand) and determinism.

#include "core/rng.hpp"
#include "game/rules/squat.hpp"
#include "input/drivers/simulator/patient_model.hpp"
#include "tests/rules/squat_support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <vector>

using namespace qv;
using namespace qv::rules;
using namespace qv::rules::test;
using Kind = SquatEvent::Kind;

namespace {

constexpr Micros kStepUs = 10'000; // readings at 100 Hz
constexpr double kStepS = 0.01;

// A synthetic player: the value at time t_s, given the seconds since the current Rep phase was
// cued (negative outside a Rep), seeing the session as the screen shows it.
using Player = std::function<double(double since_cue_s, double t_s)>;

struct Run {
    std::vector<SquatEvent> events;
    int count(Kind k) const {
        return static_cast<int>(std::count_if(events.begin(), events.end(),
                                              [k](const SquatEvent& e) { return e.kind == k; }));
    }
};

// Feeds `player` to `s` at 100 Hz until Done or `max_s`.
Run play(SquatSession& s, const Player& player, double max_s = 600) {
    Run run;
    double cue_t = -1;
    for (int i = 0; i * kStepS <= max_s && s.phase() != SquatPhase::Done; ++i) {
        const double t = i * kStepS;
        const double since = cue_t >= 0 ? t - cue_t : -1;
        s.update(static_cast<Micros>(i) * kStepUs, player(since, t));
        for (SquatEvent& e : s.take_events()) {
            if (e.kind == Kind::RepCued)
                cue_t = t;
            if (e.kind == Kind::RepCompleted || e.kind == Kind::SetCompleted)
                cue_t = -1;
            run.events.push_back(std::move(e));
        }
    }
    return run;
}

// Follows the trajectory `delay_s` late, times `gain`, plus noise of `noise_deg`.
Player follower(const SquatTrajectory& traj, double delay_s, double gain = 1.0,
                double noise_deg = 0.0, std::uint64_t seed = 1) {
    auto rng = std::make_shared<Rng>(seed);
    return [=](double since, double) {
        const double base = since < 0 ? 0.0 : gain * traj.angle_at(since - delay_s);
        return noise_deg > 0 ? base + rng->normal(0.0, noise_deg) : base;
    };
}

SquatDose three_reps(int level = 1) {
    SquatDose d = rung(level).dose;
    d.sets = 1;
    d.reps = 3;
    return d;
}

} // namespace

SCENARIO("a clean squat that follows the trajectory scores as a success at tempo",
         "[squat][session]") {
    const int level = GENERATE(0, 1, 2, 3, 4);
    GIVEN("a player who follows the trajectory of " << rung(level).id << " 0.3 s late") {
        const SquatDose d = three_reps(level);
        SquatSession s(d, SquatMode::KneeAngle, squat_params());
        const Run run = play(s, follower(s.trajectory(), 0.3));
        THEN("every squat is detected, at tempo, in the corridor, to depth") {
            REQUIRE(s.reps().size() == 3);
            CHECK(run.count(Kind::RepStarted) == 3);
            CHECK(run.count(Kind::DepthCapExceeded) == 0);
            for (const SquatRepScore& r : s.reps()) {
                CHECK(r.success);
                CHECK(r.tempo_ok);
                CHECK(r.rmse < 0.5); // the alignment removes the reaction time
                CHECK(r.depth_reached == Approx(s.trajectory().depth_deg()).margin(0.5));
                CHECK(r.time_in_corridor_s == Approx(r.duration_s).margin(0.05));
                // from the start threshold down to the top threshold up
                const SquatTrajectory& traj = s.trajectory();
                CHECK(r.duration_s ==
                      Approx(traj.time_up_to(3) - traj.time_down_to(5)).margin(0.05));
                CHECK(r.violations == 0);
            }
            CHECK(s.stars() == 3);
            CHECK(s.phase() == SquatPhase::Done);
        }
    }
}

TEST_CASE("a noisy but faithful squat still succeeds, with an RMSE near the noise",
          "[squat][session]") {
    SquatSession s(three_reps(1), SquatMode::KneeAngle, squat_params());
    play(s, follower(s.trajectory(), 0.25, 1.0, 0.7, 7));
    REQUIRE(s.reps().size() == 3);
    for (const SquatRepScore& r : s.reps()) {
        CHECK(r.success);
        CHECK(r.rmse > 0.5);
        CHECK(r.rmse < 1.5);
    }
}

TEST_CASE("too fast, too deep and stopped halfway are each scored unsuccessful",
          "[squat][session]") {
    const SquatDose d = three_reps(1); // S2: 45 degrees, 3 s down, 2 s up, cap 45
    SECTION("too fast: down and up in one second each") {
        SquatSession s(d, SquatMode::KneeAngle, squat_params());
        const double depth = s.trajectory().depth_deg();
        play(s, [&](double since, double) {
            if (since < 0.3)
                return 0.0;
            const double t = since - 0.3;
            const double tau = std::clamp(t < 1 ? t : 2 - t, 0.0, 1.0);
            return depth * tau * tau * (3 - 2 * tau);
        });
        REQUIRE(s.reps().size() == 3);
        for (const SquatRepScore& r : s.reps()) {
            CHECK(r.depth_reached == Approx(depth).margin(1));
            CHECK_FALSE(r.tempo_ok);
            CHECK_FALSE(r.success);
            CHECK(r.down_s < 1.5);
        }
    }
    SECTION("too deep: past the cap, a warning at once and a violation per squat") {
        SquatSession s(d, SquatMode::KneeAngle, squat_params());
        const Run run = play(s, follower(s.trajectory(), 0.3, 1.5));
        REQUIRE(s.reps().size() == 3);
        CHECK(run.count(Kind::DepthCapExceeded) == 3);
        CHECK(s.violations() == 3);
        for (const SquatRepScore& r : s.reps()) {
            CHECK(r.violations == 1);
            CHECK(r.depth_reached > 60);
            CHECK_FALSE(r.success);
        }
        CHECK(s.stars() == 0);
    }
    SECTION("stopped halfway: never comes back up, the rep times out") {
        SquatSession s(d, SquatMode::KneeAngle, squat_params());
        const double half = s.trajectory().depth_deg() / 2;
        const double timeout = s.trajectory().duration_s() * 2.0 + 3;
        const double t_half = s.trajectory().time_down_to(half);
        play(s, [&](double since, double) {
            // bends to halfway and stays there until the next squat is cued
            if (since < 0.3)
                return 0.0;
            return since - 0.3 >= t_half ? half : s.trajectory().angle_at(since - 0.3);
        });
        REQUIRE(s.reps().size() == 3);
        for (const SquatRepScore& r : s.reps()) {
            CHECK_FALSE(r.success);
            CHECK_FALSE(r.tempo_ok);
            CHECK(r.depth_reached == Approx(half).margin(0.5));
            // from the detected start to the timeout
            const double start = 0.3 + s.trajectory().time_down_to(5);
            CHECK(r.duration_s == Approx(timeout - start).margin(0.05));
        }
    }
    SECTION("never going down: no squat is detected and every rep times out") {
        SquatSession s(d, SquatMode::KneeAngle, squat_params());
        const Run run = play(s, [](double, double) { return 1.0; });
        REQUIRE(s.reps().size() == 3);
        CHECK(run.count(Kind::RepStarted) == 0);
        for (const SquatRepScore& r : s.reps())
            CHECK_FALSE(r.success);
        CHECK(s.stars() == 0);
    }
}

TEST_CASE("the depth cap warns once per crossing, with hysteresis, in any phase",
          "[squat][session][cap]") {
    SquatSession s(three_reps(1), SquatMode::KneeAngle, squat_params()); // cap 45, margin 3
    std::vector<double> values;
    // flicker around the cap: one crossing
    for (int i = 0; i < 50; ++i)
        values.push_back(i % 2 == 0 ? 44.5 : 45.5);
    // below cap - margin re-arms; the next crossing counts again
    values.push_back(41.0);
    values.push_back(46.0);
    values.push_back(43.0); // not far enough below to re-arm
    values.push_back(47.0);
    int warnings = 0;
    Micros t = 0;
    for (double v : values) {
        s.update(t, v);
        t += kStepUs;
        for (const SquatEvent& e : s.take_events())
            if (e.kind == Kind::DepthCapExceeded) {
                ++warnings;
                CHECK(e.value > 45);
            }
    }
    CHECK(warnings == 2);
    CHECK(s.violations() == 2);
    CHECK(s.phase() == SquatPhase::GetReady); // warned even before the first squat
}

TEST_CASE("a capped shallow squat is still detected", "[squat][session][cap]") {
    SquatDose d = three_reps(1);
    d.depth_deg = 8;
    d.depth_cap_deg = 8;
    SquatSession s(d, SquatMode::KneeAngle, squat_params());
    const Run run = play(s, follower(s.trajectory(), 0.2));
    CHECK(run.count(Kind::RepStarted) == 3);
    for (const SquatRepScore& r : s.reps())
        CHECK(r.success);
}

TEST_CASE("sets, rests, stops and precision changes follow the quad-set shape",
          "[squat][session]") {
    SquatDose d = rung(1).dose; // 2 sets
    d.reps = 2;
    SquatSession s(d, SquatMode::KneeAngle, squat_params());
    SECTION("a full session has both sets and one SessionCompleted") {
        const Run run = play(s, follower(s.trajectory(), 0.3));
        CHECK(run.count(Kind::SetCompleted) == 2);
        CHECK(run.count(Kind::SessionCompleted) == 1);
        CHECK(s.reps().size() == 4);
        CHECK(s.reps()[2].set_index == 1);
        CHECK(s.reps()[3].rep_index == 1);
    }
    SECTION("a stop ends the set with its reason; an unfinished squat is not scored") {
        s.update(0, 0);
        s.update(4 * 1'000'000, 20); // in the first squat
        REQUIRE(s.phase() == SquatPhase::Rep);
        s.stop_set("pain 7/10", false);
        CHECK(s.phase() == SquatPhase::SetRest);
        CHECK(s.stop_reason(0) == "pain 7/10");
        CHECK(s.reps().empty());
        CHECK_FALSE(s.stopped_early());
        s.stop_set("pain 8/10", true);
        CHECK(s.phase() == SquatPhase::Done);
        CHECK(s.stopped_early());
    }
    SECTION("precision set during a squat applies from the next one") {
        s.update(0, 0);
        s.update(3'500'000, 0);
        REQUIRE(s.phase() == SquatPhase::Rep);
        s.set_precision(3, 0.5);
        CHECK(s.corridor() == 6);
        s.set_precision(-1, 0.5); // ignored
        play(s, follower(s.trajectory(), 0.3), 20);
        CHECK(s.corridor() == 3);
        CHECK(s.dose().tempo_tol_s == 0.5);
    }
}

TEST_CASE("non-finite readings are skipped and counted", "[squat][session]") {
    SquatSession s(three_reps(1), SquatMode::KneeAngle, squat_params());
    s.update(0, NAN);
    s.update(10'000, INFINITY);
    CHECK(s.rejected_readings() == 2);
    s.update(20'000, 0);
    CHECK(s.value_now() == 0);
}

// ---- force pad ----------------------------------------------------------------------------

TEST_CASE("body weight is the mean of a still window; moving or implausible fails",
          "[squat][bodyweight]") {
    const SquatRuleParams p = squat_params();
    Rng rng(3);
    SECTION("standing still on the pad") {
        BodyWeightProcedure bw(p);
        for (int i = 0; i < 400 && bw.state() == BodyWeightProcedure::State::Measuring; ++i)
            bw.update(i * kStepUs, 750 + rng.normal(0, 3));
        REQUIRE(bw.state() == BodyWeightProcedure::State::Done);
        CHECK(bw.body_weight_n() == Approx(750).margin(2));
        CHECK(bw.progress() == 1.0);
    }
    SECTION("swaying never settles: timeout") {
        BodyWeightProcedure bw(p);
        for (int i = 0; i < 2500; ++i)
            bw.update(i * kStepUs, 750 + 60 * std::sin(i * 0.05));
        CHECK(bw.state() == BodyWeightProcedure::State::Failed);
        CHECK(bw.failure() == BodyWeightProcedure::Failure::Timeout);
    }
    SECTION("still, but too light to be a person") {
        BodyWeightProcedure bw(p);
        for (int i = 0; i < 2500; ++i)
            bw.update(i * kStepUs, 40 + rng.normal(0, 0.1));
        CHECK(bw.state() == BodyWeightProcedure::State::Failed);
        CHECK(bw.failure() == BodyWeightProcedure::Failure::Implausible);
    }
    CHECK(load_share_pct(375, 750) == 50);
    CHECK(load_share_pct(375, 0) == 0);
}

namespace {

// The share under one foot of a person loading `share` of body weight who squats to 60 degrees
// at the trajectory's pace: share x (1 - a/g), a the downward acceleration of the centre of mass
// (which drops 0.4 m x (1 - cos knee angle)).
Player load_player(const SquatTrajectory& traj, double share_pct, bool moves, double noise,
                   std::uint64_t seed = 5) {
    auto rng = std::make_shared<Rng>(seed);
    return [=](double since, double) {
        double accel = 0;
        if (moves && since >= 0) {
            const double h = 1e-2;
            const auto drop = [&](double t) {
                return 0.4 * (1 - std::cos(60.0 * traj.depth_profile_at(t) * M_PI / 180));
            };
            accel = (drop(since + h) - 2 * drop(since) + drop(since - h)) / (h * h);
        }
        return share_pct * (1 - accel / 9.81) + rng->normal(0, noise);
    };
}

} // namespace

TEST_CASE("load share: even loading with a real squat succeeds; standing still or leaning does "
          "not",
          "[squat][load]") {
    SquatDose d = three_reps(0);
    d.down_s = 1.5; // a brisk tempo makes the inertial signature clear
    d.up_s = 1.5;
    SquatSession s(d, SquatMode::LoadShare, squat_params());
    SECTION("even loading, moving") {
        const Run run = play(s, load_player(s.trajectory(), 50, true, 0.2));
        REQUIRE(s.reps().size() == 3);
        CHECK(run.count(Kind::RepStarted) == 3);
        for (const SquatRepScore& r : s.reps()) {
            CHECK(r.success);
            CHECK(r.rmse < 3.5); // the inertial swing itself
            CHECK(r.duration_s == Approx(s.trajectory().duration_s()).margin(0.02));
            CHECK(r.down_s == 0); // the pad cannot measure the tempo
        }
    }
    SECTION("even loading but never squatting: no inertial signature, no success") {
        play(s, load_player(s.trajectory(), 50, false, 0.05));
        REQUIRE(s.reps().size() == 3);
        for (const SquatRepScore& r : s.reps()) {
            CHECK(r.time_in_corridor_s > 0);
            CHECK_FALSE(r.success);
        }
    }
    SECTION("shifting weight off the leg while bending and back while rising counts") {
        // Many patients unload the painful leg as they bend: the share sags with the depth and
        // comes back, with no reload above the standing level (the virtual patient does this).
        const auto traj = s.trajectory();
        auto rng = std::make_shared<Rng>(9);
        play(s, [traj, rng](double since, double) {
            const double sag = since >= 0 ? 3.0 * traj.depth_profile_at(since) : 0.0;
            return 50 - sag + rng->normal(0, 0.05);
        });
        REQUIRE(s.reps().size() == 3);
        for (const SquatRepScore& r : s.reps()) {
            CHECK(r.success);
        }
    }
    SECTION("a sag that never comes back is not a squat") {
        const auto traj = s.trajectory();
        play(s, [traj](double since, double) {
            return since >= 0 ? 50 - 3.0 * std::min(1.0, since) : 50.0;
        });
        REQUIRE(s.reps().size() == 3);
        for (const SquatRepScore& r : s.reps()) {
            CHECK_FALSE(r.success);
        }
    }
    SECTION("offloading the affected leg: out of the corridor") {
        play(s, load_player(s.trajectory(), 38, true, 0.2));
        REQUIRE(s.reps().size() == 3);
        for (const SquatRepScore& r : s.reps()) {
            CHECK_FALSE(r.success);
            CHECK(r.rmse == Approx(12).margin(1.5));
            CHECK(r.depth_reached < 45);
        }
    }
}

TEST_CASE("sit-to-stand counts seated -> standing -> seated with hysteresis", "[squat][sit]") {
    SquatDose d = three_reps(0);
    d.up_s = 2;
    d.pause_s = 2;
    d.down_s = 2;
    SquatSession s(d, SquatMode::SitToStand, squat_params()); // low 20 %, high 35 %
    const auto shape = [](double since) {
        // seated 10 %, rise over 2 s to 50 %, stand 2 s, sit over 2 s; flicker at each edge
        if (since < 0.5)
            return 10.0;
        const double t = since - 0.5;
        if (t < 2)
            return 10 + 40 * t / 2;
        if (t < 4)
            return 50.0 + (std::fmod(t, 0.1) < 0.05 ? 0.5 : -0.5);
        if (t < 6)
            return 50 - 40 * (t - 4) / 2;
        return 10.0;
    };
    const Run run = play(s, [&](double since, double) {
        const double v = since < 0 ? 10.0 : shape(since);
        return v;
    });
    REQUIRE(s.reps().size() == 3);
    CHECK(run.count(Kind::RepStarted) == 3);
    for (const SquatRepScore& r : s.reps()) {
        CHECK(r.success);
        CHECK(r.tempo_ok);
        CHECK(r.up_s == Approx(0.75).margin(0.05));    // 20 % -> 35 % of a 10 -> 50 % rise over 2 s
        CHECK(r.duration_s == Approx(5).margin(0.05)); // leaving 20 % to back at 20 %
        CHECK(r.depth_reached == Approx(50.5).margin(0.1));
    }
    SECTION("standing up halfway and sitting back down is not a rep") {
        SquatSession half(d, SquatMode::SitToStand, squat_params());
        play(half, [](double since, double) {
            return since < 0 ? 10.0 : 10 + 20 * std::sin(std::min(since, 3.0) * M_PI / 3);
        });
        REQUIRE(half.reps().size() == 3);
        for (const SquatRepScore& r : half.reps())
            CHECK_FALSE(r.success);
    }
}

// ---- the virtual patient ------------------------------------------------------------------

namespace {

input::PatientCue squat_cue(const SquatSession& s, bool chair = false) {
    input::PatientCue cue;
    cue.kind = input::PatientCue::Kind::Squat;
    const double depth = s.trajectory().depth_deg();
    cue.depth_deg = depth;
    cue.chair = chair;
    if (s.phase() == SquatPhase::Rep)
        cue.target_angle_deg = depth * s.trajectory().depth_profile_at(s.rep_time_s());
    else if (chair)
        cue.target_angle_deg = depth; // sit while resting
    return cue;
}

SimPatientParams patient() {
    SimPatientParams p;
    p.true_mvc_n = 320;
    p.reaction_s = 0.35;
    p.rise_s = 0.25;
    p.tracking_gain = 2.5;
    p.noise_cv_low = 0.015;
    p.noise_cv_high = 0.05;
    p.rate_hz = 100;
    p.angle_lag_s = 0.12;
    p.angle_noise_deg = 0.5;
    p.body_weight_n = 750;
    p.com_drop_m = 0.4;
    p.affected_share = 0.5;
    p.offload_at_90 = 0;
    p.seated_share = 0.12;
    p.seat_angle_deg = 85;
    p.chair_contact_deg = 10;
    p.load_noise_pct = 0.3;
    p.fast_tempo_s = 1.0;
    p.deep_factor = 1.5;
    p.halfway_share = 0.5;
    return p;
}

// Plays a knee-angle session with the virtual patient; returns the reps.
std::vector<SquatRepScore> simulate_knee(const SquatDose& d, const input::SquatHabits& habits,
                                         std::uint64_t seed, int* cap_warnings = nullptr) {
    SquatSession s(d, SquatMode::KneeAngle, squat_params());
    input::PatientModel m(patient(), seed);
    m.set_squat_habits(habits);
    for (int i = 0; i < 60'000 && s.phase() != SquatPhase::Done; ++i) {
        m.step(kStepS, squat_cue(s));
        s.update(static_cast<Micros>(i) * kStepUs, m.angle_reading_deg());
        for (const SquatEvent& e : s.take_events())
            if (e.kind == Kind::DepthCapExceeded && cap_warnings != nullptr)
                ++*cap_warnings;
    }
    return s.reps();
}

} // namespace

TEST_CASE("the virtual patient's squats are detected and scored by behaviour",
          "[squat][simulated]") {
    SquatDose d = three_reps(1);
    d.reps = 5;
    SECTION("following") {
        const auto reps = simulate_knee(d, {}, 11);
        REQUIRE(reps.size() == 5);
        for (const SquatRepScore& r : reps) {
            CHECK(r.success);
            CHECK(r.tempo_ok);
            CHECK(r.rmse < 3);
        }
    }
    SECTION("too fast") {
        const auto reps = simulate_knee(d, {1, 0, 0}, 12);
        REQUIRE(reps.size() == 5);
        for (const SquatRepScore& r : reps) {
            CHECK_FALSE(r.tempo_ok);
            CHECK_FALSE(r.success);
        }
    }
    SECTION("too deep") {
        int warnings = 0;
        const auto reps = simulate_knee(d, {0, 1, 0}, 13, &warnings);
        REQUIRE(reps.size() == 5);
        CHECK(warnings == 5);
        for (const SquatRepScore& r : reps) {
            CHECK(r.violations == 1);
            CHECK_FALSE(r.success);
        }
    }
    SECTION("stopping halfway") {
        const auto reps = simulate_knee(d, {0, 0, 1}, 14);
        REQUIRE(reps.size() == 5);
        for (const SquatRepScore& r : reps) {
            CHECK_FALSE(r.success);
            CHECK(r.depth_reached < 30);
        }
    }
}

TEST_CASE("the same seed and the same session give identical scores", "[squat][determinism]") {
    SquatDose d = three_reps(2);
    const input::SquatHabits habits{0.3, 0.3, 0.2};
    const auto a = simulate_knee(d, habits, 99);
    const auto b = simulate_knee(d, habits, 99);
    const auto c = simulate_knee(d, habits, 100);
    REQUIRE(a.size() == b.size());
    bool any_difference = a.size() != c.size();
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].rmse == b[i].rmse);
        CHECK(a[i].depth_reached == b[i].depth_reached);
        CHECK(a[i].down_s == b[i].down_s);
        CHECK(a[i].success == b[i].success);
        if (i < c.size() && c[i].rmse != a[i].rmse)
            any_difference = true;
    }
    CHECK(any_difference);
}

TEST_CASE("the virtual patient on a force pad: body weight, load share and sit-to-stand",
          "[squat][simulated][load]") {
    const SquatRuleParams params = squat_params();
    input::PatientModel m(patient(), 21);
    // Both feet on the pad: the body weight.
    input::PatientCue both;
    both.kind = input::PatientCue::Kind::Squat;
    both.both_feet = true;
    BodyWeightProcedure bw(params);
    Micros t = 0;
    for (int i = 0; i < 3000 && bw.state() == BodyWeightProcedure::State::Measuring; ++i) {
        bw.update(t, m.step(kStepS, both));
        t += kStepUs;
    }
    REQUIRE(bw.state() == BodyWeightProcedure::State::Done);
    CHECK(bw.body_weight_n() == Approx(750).margin(5));

    SECTION("load share: squats with even loading") {
        SquatDose d = three_reps(3); // S4: 60 degrees
        d.down_s = 1.5;
        d.up_s = 1.5;
        SquatSession s(d, SquatMode::LoadShare, params);
        for (int i = 0; i < 30'000 && s.phase() != SquatPhase::Done; ++i) {
            const double f = m.step(kStepS, squat_cue(s));
            s.update(t, load_share_pct(f, bw.body_weight_n()));
            t += kStepUs;
        }
        REQUIRE(s.reps().size() == 3);
        for (const SquatRepScore& r : s.reps())
            CHECK(r.success);
    }
    SECTION("sit-to-stand from a chair") {
        SquatDose d = three_reps(0);
        d.pause_s = 1;
        SquatSession s(d, SquatMode::SitToStand, params);
        for (int i = 0; i < 30'000 && s.phase() != SquatPhase::Done; ++i) {
            const double f = m.step(kStepS, squat_cue(s, true));
            s.update(t, load_share_pct(f, bw.body_weight_n()));
            t += kStepUs;
        }
        REQUIRE(s.reps().size() == 3);
        int successes = 0;
        for (const SquatRepScore& r : s.reps())
            successes += r.success ? 1 : 0;
        CHECK(successes == 3);
    }
}
