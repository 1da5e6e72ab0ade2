// The squat inner loop: two staircases (corridor half-width, tempo tolerance) that together
// settle near the target share of successful squats on a simulated player.

#include "core/rng.hpp"
#include "engine/staircase.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace qv::engine;
using qv::SquatDose;
using qv::SquatRepScore;

namespace {

SquatStaircaseParams params(double target, bool tempo_measured = true) {
    SquatStaircaseParams p;
    p.target_success = target;
    p.tempo_measured = tempo_measured;
    p.corridor_share = 0.7;
    p.corridor.step_harder = 1.0;
    p.corridor.min_step_harder = 0.25;
    p.corridor.floor = 1;
    p.corridor.ceiling = 15;
    p.tempo.step_harder = 0.1;
    p.tempo.min_step_harder = 0.025;
    p.tempo.floor = 0.2;
    p.tempo.ceiling = 2.0;
    return p;
}

double logistic(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

// A squat by a simulated player: it stays in the corridor long enough with a probability
// logistic in the corridor (50 % at 5 degrees), and keeps tempo with a probability logistic in
// the tolerance (50 % at 0.6 s). Independent, like the staircases assume.
SquatRepScore squat(qv::Rng& rng, double corridor, double tol) {
    SquatRepScore r;
    r.duration_s = 5;
    const bool in = rng.chance(logistic(corridor - 5.0));
    r.time_in_corridor_s = in ? 4.5 : 2.0;
    r.tempo_ok = rng.chance(logistic((tol - 0.6) / 0.1));
    r.down_s = 3;
    r.up_s = 2;
    r.success = in && r.tempo_ok;
    return r;
}

} // namespace

TEST_CASE("squat staircases: each knob aims at the square root of the target") {
    SquatStaircases s(params(0.81), 6, 0.75);
    CHECK(s.knob_target() == Approx(0.9));
    SquatStaircases pad(params(0.8, false), 6, 0.75);
    CHECK(pad.knob_target() == Approx(0.8));
}

TEST_CASE("squat staircases: a corridor miss widens the corridor only, a tempo miss loosens "
          "tempo only") {
    SquatStaircases s(params(0.8), 6, 0.75);
    SquatRepScore miss_corridor;
    miss_corridor.duration_s = 5;
    miss_corridor.time_in_corridor_s = 1;
    miss_corridor.tempo_ok = true;
    s.record(miss_corridor);
    CHECK(s.corridor() > 6);
    CHECK(s.tempo_tol_s() < 0.75);

    SquatStaircases t(params(0.8), 6, 0.75);
    SquatRepScore miss_tempo;
    miss_tempo.duration_s = 5;
    miss_tempo.time_in_corridor_s = 5;
    miss_tempo.tempo_ok = false;
    t.record(miss_tempo);
    CHECK(t.corridor() < 6);
    CHECK(t.tempo_tol_s() > 0.75);
}

TEST_CASE("squat staircases: without measured tempo the tempo knob stays put") {
    SquatStaircases s(params(0.8, false), 6, 0.75);
    SquatRepScore r;
    r.duration_s = 5;
    r.time_in_corridor_s = 5;
    r.tempo_ok = false; // the force pad cannot know
    for (int i = 0; i < 20; ++i)
        s.record(r);
    CHECK(s.tempo_tol_s() == 0.75);
    CHECK(s.corridor() < 6);
}

TEST_CASE("squat staircases: stay within floors and ceilings, apply only the two knobs, resume") {
    SquatStaircases s(params(0.8), 40, 5);
    CHECK(s.corridor() == 15);
    CHECK(s.tempo_tol_s() == 2.0);
    SquatDose d;
    d.sets = 2;
    d.reps = 10;
    d.depth_deg = 45;
    d.down_s = 3;
    d.up_s = 2;
    const SquatDose out = s.apply(d);
    CHECK(out.corridor == 15);
    CHECK(out.tempo_tol_s == 2.0);
    CHECK(out.depth_deg == 45);
    CHECK(out.down_s == 3);
    CHECK(out.sets == 2);
    SquatRepScore fail;
    fail.duration_s = 5;
    for (int i = 0; i < 50; ++i)
        s.record(fail);
    CHECK(s.corridor() == 15);
    CHECK(s.tempo_tol_s() == 2.0);
    const SquatStaircases resumed(params(0.8), s.state());
    CHECK(resumed.corridor() == s.corridor());
    CHECK(resumed.state().corridor.trials == 50);
}

TEST_CASE("squat staircases: converge on a simulated player") {
    const double target = GENERATE(0.80, 0.85);
    const std::uint64_t seed = GENERATE(1u, 2u, 3u);
    qv::Rng rng(seed);
    SquatStaircases s(params(target), 12, 1.5);
    int successes = 0;
    int counted = 0;
    double corridor_sum = 0;
    double tol_sum = 0;
    for (int trial = 0; trial < 8000; ++trial) {
        const SquatRepScore r = squat(rng, s.corridor(), s.tempo_tol_s());
        if (trial >= 2000) {
            successes += r.success ? 1 : 0;
            corridor_sum += s.corridor();
            tol_sum += s.tempo_tol_s();
            ++counted;
        }
        s.record(r);
    }
    const double rate = static_cast<double>(successes) / counted;
    const double knob = std::sqrt(target);
    const double logit = std::log(knob / (1.0 - knob));
    INFO("target " << target << " seed " << seed << " rate " << rate);
    CHECK(rate == Approx(target).margin(0.04));
    // The knobs' means sit near the player's threshold for the per-knob target (skewed a little
    // toward easier by the large easier steps).
    CHECK(corridor_sum / counted == Approx(5.0 + logit).margin(1.2));
    CHECK(tol_sum / counted == Approx(0.6 + 0.1 * logit).margin(0.12));
}
