// The paced squat trajectory: every rung of the ladder, the cap, phases and the force-pad modes.

#include "game/rules/squat.hpp"
#include "tests/rules/squat_support.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace qv;
using namespace qv::rules;
using namespace qv::rules::test;

TEST_CASE("every ladder level gives a smooth trajectory down to its depth and back",
          "[squat][trajectory]") {
    const Rung r = rung(GENERATE(0, 1, 2, 3, 4));
    CAPTURE(r.id);
    const SquatTrajectory traj(r.dose, SquatMode::KneeAngle);
    const SquatDose& d = r.dose;
    CHECK(traj.duration_s() == Approx(d.down_s + d.pause_s + d.up_s));
    CHECK(traj.depth_deg() == Approx(std::min(d.depth_deg, d.depth_cap_deg)));
    // Straight at both ends, at depth for the whole pause, halfway at half of each movement.
    CHECK(traj.target_at(0) == Approx(0).margin(1e-9));
    CHECK(traj.target_at(traj.duration_s()) == Approx(0).margin(1e-9));
    CHECK(traj.target_at(d.down_s) == Approx(traj.depth_deg()));
    CHECK(traj.target_at(d.down_s + d.pause_s) == Approx(traj.depth_deg()));
    CHECK(traj.target_at(d.down_s / 2) == Approx(traj.depth_deg() / 2));
    CHECK(traj.target_at(d.down_s + d.pause_s + d.up_s / 2) == Approx(traj.depth_deg() / 2));
    // Monotonic down, monotonic up, never past the depth, no jump larger than the
    // minimum-jerk peak speed (1.875 x depth / time) allows in 10 ms.
    const double max_step_down = 1.875 * traj.depth_deg() / d.down_s * 0.01 + 1e-9;
    const double max_step_up = 1.875 * traj.depth_deg() / d.up_s * 0.01 + 1e-9;
    double prev = traj.target_at(0);
    for (double t = 0.01; t <= traj.duration_s() + 1e-9; t += 0.01) {
        const double now = traj.target_at(t);
        CHECK(now <= traj.depth_deg() + 1e-9);
        if (t <= d.down_s)
            CHECK((now >= prev && now - prev <= max_step_down));
        else if (t >= d.down_s + d.pause_s)
            CHECK((now <= prev && prev - now <= max_step_up));
        prev = now;
    }
    CHECK(traj.phase_at(0.1) == TrajectoryPhase::Down);
    CHECK(traj.phase_at(d.down_s + d.pause_s + 0.1) == TrajectoryPhase::Up);
    CHECK(traj.phase_at(traj.duration_s()) == TrajectoryPhase::Done);
    if (d.pause_s > 0)
        CHECK(traj.phase_at(d.down_s + d.pause_s / 2) == TrajectoryPhase::Pause);
}

TEST_CASE("the clinician's cap always wins over the level's depth", "[squat][trajectory]") {
    const SquatDose deep = squat_dose(90, 3, 1, 2, 10, 3, 45);
    const double clearance = GENERATE(0.0, 3.0);
    const SquatTrajectory traj(deep, SquatMode::KneeAngle, 50, clearance);
    CHECK(traj.depth_deg() == 45 - clearance);
    double highest = 0;
    for (double t = 0; t <= traj.duration_s(); t += 0.001)
        highest = std::max(highest, traj.target_at(t));
    CHECK(highest == Approx(45 - clearance));
    CHECK(highest <= 45 - clearance);
    // A shallower level is not made shallower by the clearance.
    const SquatTrajectory shallow(squat_dose(30, 3, 0, 2), SquatMode::KneeAngle, 50, clearance);
    CHECK(shallow.depth_deg() == 30);
}

TEST_CASE("threshold crossing times invert the profile", "[squat][trajectory]") {
    const SquatTrajectory traj(rung(3).dose, SquatMode::KneeAngle);
    for (double deg : {1.0, 5.0, 30.0, 57.0}) {
        CAPTURE(deg);
        CHECK(traj.target_at(traj.time_down_to(deg)) == Approx(deg).margin(1e-6));
        CHECK(traj.target_at(traj.time_up_to(deg)) == Approx(deg).margin(1e-6));
        CHECK(traj.time_up_to(deg) > traj.time_down_to(deg));
    }
    CHECK(traj.time_down_to(0) == 0);
    CHECK(traj.time_up_to(0) == traj.duration_s());
}

TEST_CASE("the force-pad modes track even loading and expose the pace", "[squat][trajectory]") {
    const SquatDose d = rung(2).dose; // S3: 3 s down, 5 s hold, 2 s up
    const SquatTrajectory load(d, SquatMode::LoadShare, 50);
    for (double t : {0.0, 1.0, 4.0, 9.0})
        CHECK(load.target_at(t) == 50);
    CHECK(load.depth_profile_at(1.5) == Approx(0.5));
    CHECK(load.depth_profile_at(5.0) == 1.0);
    CHECK(load.phase_at(5.0) == TrajectoryPhase::Pause);

    // Sit-to-stand starts seated: up first, then standing, then down.
    const SquatTrajectory sit(d, SquatMode::SitToStand, 50);
    CHECK(sit.depth_profile_at(0) == 1.0);
    CHECK(sit.phase_at(0.5) == TrajectoryPhase::Up);
    CHECK(sit.depth_profile_at(d.up_s) == Approx(0).margin(1e-9));
    CHECK(sit.phase_at(d.up_s + 1) == TrajectoryPhase::Pause);
    CHECK(sit.phase_at(d.up_s + d.pause_s + 1) == TrajectoryPhase::Down);
    CHECK(sit.depth_profile_at(sit.duration_s()) == Approx(1));
}

TEST_CASE("a broken dose gives a flat, empty trajectory rather than a crash",
          "[squat][trajectory]") {
    SquatDose d = squat_dose(NAN, -3, 0, 0);
    const SquatTrajectory traj(d, SquatMode::KneeAngle);
    CHECK(traj.duration_s() == 0);
    CHECK(traj.target_at(1) == 0);
    CHECK(std::isfinite(traj.depth_profile_at(0.5)));
}
