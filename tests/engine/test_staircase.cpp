#include "core/rng.hpp"
#include "engine/staircase.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using qv::engine::band_half_width;
using qv::engine::Staircase;
using qv::engine::StaircaseParams;
using qv::engine::with_band_half_width;

namespace {

StaircaseParams params(double target) {
    StaircaseParams p;
    p.target_success = target;
    p.step_harder = 1.0;
    p.min_step_harder = 0.25;
    p.reversals_per_halving = 4;
    p.floor = 0.5;
    p.ceiling = 20;
    return p;
}

} // namespace

TEST_CASE("staircase: the easier step is p/(1-p) times the harder step") {
    CHECK(Staircase(params(0.80), 10).step_easier() == Approx(4.0));
    CHECK(Staircase(params(0.85), 10).step_easier() == Approx(0.85 / 0.15));
    Staircase s(params(0.80), 10);
    s.record(true);
    CHECK(s.value() == Approx(9.0));
    s.record(false);
    CHECK(s.value() == Approx(13.0));
}

TEST_CASE("staircase: the step halves after every 4 reversals, down to its minimum") {
    Staircase s(params(0.80), 10);
    for (int i = 0; i < 4; ++i) {
        s.record(true);
        s.record(false);
    }
    // 7 reversals so far: one halving.
    CHECK(s.state().reversals == 7);
    CHECK(s.state().step_harder == Approx(0.5));
    s.record(true); // 8th reversal
    CHECK(s.state().step_harder == Approx(0.25));
    for (int i = 0; i < 20; ++i) {
        s.record(false);
        s.record(true);
    }
    CHECK(s.state().step_harder == Approx(0.25));
}

TEST_CASE("staircase: the knob stays between the plan's floor and ceiling") {
    Staircase s(params(0.80), 50);
    CHECK(s.value() == 20);
    for (int i = 0; i < 5; ++i)
        s.record(false);
    CHECK(s.value() == 20);
    for (int i = 0; i < 100; ++i)
        s.record(true);
    CHECK(s.value() == 0.5);
}

TEST_CASE("staircase: continues from a stored state") {
    Staircase a(params(0.80), 10);
    a.record(true);
    a.record(false);
    Staircase b(params(0.80), a.state());
    a.record(true);
    b.record(true);
    CHECK(a.value() == b.value());
    CHECK(a.state().reversals == b.state().reversals);
}

TEST_CASE("staircase: converges to the target success on a simulated player") {
    // Success probability is logistic in the band half-width: p(w) = 1 / (1 + exp(-(w - 5))).
    const double target = GENERATE(0.80, 0.85);
    const std::uint64_t seed = GENERATE(1u, 2u, 3u);
    qv::Rng rng(seed);
    Staircase s(params(target), 12);
    int successes = 0;
    int counted = 0;
    double value_sum = 0;
    for (int trial = 0; trial < 6000; ++trial) {
        const double w = s.value();
        const double p = 1.0 / (1.0 + std::exp(-(w - 5.0)));
        const bool ok = rng.chance(p);
        if (trial >= 1000) {
            successes += ok ? 1 : 0;
            value_sum += w;
            ++counted;
        }
        s.record(ok);
    }
    const double rate = static_cast<double>(successes) / counted;
    const double expected_w = 5.0 + std::log(target / (1.0 - target));
    INFO("target " << target << " seed " << seed << " rate " << rate);
    CHECK(rate == Approx(target).margin(0.03));
    CHECK(value_sum / counted == Approx(expected_w).margin(0.6));
}

TEST_CASE("band half-width keeps the band's centre") {
    qv::QuadSetDose d;
    d.band_low_pct = 20;
    d.band_high_pct = 30;
    d.hold_s = 10;
    const auto narrow = with_band_half_width(d, 2);
    CHECK(narrow.band_low_pct == Approx(23));
    CHECK(narrow.band_high_pct == Approx(27));
    CHECK(narrow.hold_s == 10);
    CHECK(band_half_width(narrow) == Approx(2));
    const auto wide = with_band_half_width(d, 40);
    CHECK(wide.band_low_pct == 0);
}
