#include "core/clock.hpp"
#include "input/filter.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

using namespace qv;
using namespace qv::input;

namespace {

FilterParams params(double lowpass_hz, double spike_n, double max_n) {
    FilterParams p;
    p.lowpass_hz = lowpass_hz;
    p.spike_threshold_n = spike_n;
    p.max_force_n = max_n;
    p.drift_threshold_n = 5;
    return p;
}

Sample force(Micros t_us, float value, std::uint16_t flags = kFlagNone) {
    Sample s;
    s.t_us = t_us;
    s.channel = Channel::Force;
    s.value = value;
    s.flags = flags;
    return s;
}

} // namespace

// ---- SpikeFilter ----

TEST_CASE("SpikeFilter replaces a lone spike by the median of the last five", "[filter]") {
    SpikeFilter f(20.0);
    bool spike = true;
    for (double x : {10.0, 11.0, 9.0, 10.0}) {
        CHECK(f.apply(x, &spike) == x);
        CHECK_FALSE(spike);
    }
    // window 10 11 9 10 100 -> median 10
    CHECK(f.apply(100.0, &spike) == 10.0);
    CHECK(spike);
    // window 11 9 10 100 12 -> median 11; 12 is within 20 of it
    CHECK(f.apply(12.0, &spike) == 12.0);
    CHECK_FALSE(spike);
}

TEST_CASE("SpikeFilter lets a real step through once it holds the majority", "[filter]") {
    SpikeFilter f(50.0);
    bool spike = false;
    for (int i = 0; i < 5; ++i) {
        f.apply(0.0, &spike);
    }
    std::vector<double> out;
    std::vector<bool> flagged;
    for (int i = 0; i < 5; ++i) {
        out.push_back(f.apply(200.0, &spike));
        flagged.push_back(spike);
    }
    CHECK(out == std::vector<double>{0.0, 0.0, 200.0, 200.0, 200.0});
    CHECK(flagged == std::vector<bool>{true, true, false, false, false});
}

TEST_CASE("SpikeFilter judges only with three or more samples, and reset forgets", "[filter]") {
    SpikeFilter f(5.0);
    bool spike = true;
    CHECK(f.apply(0.0, &spike) == 0.0);
    CHECK_FALSE(spike);
    CHECK(f.apply(100.0, &spike) == 100.0);
    CHECK_FALSE(spike);
    // window 0 100 1 -> median 1: 1 is fine
    CHECK(f.apply(1.0, &spike) == 1.0);
    CHECK_FALSE(spike);
    // window 0 100 1 30 -> median (1 + 30) / 2 = 15.5; 30 is more than 5 away
    CHECK(f.apply(30.0, &spike) == 15.5);
    CHECK(spike);
    f.reset();
    CHECK(f.apply(90.0, &spike) == 90.0);
    CHECK_FALSE(spike);
}

TEST_CASE("SpikeFilter with a threshold of zero is disabled", "[filter]") {
    SpikeFilter f(0.0);
    bool spike = true;
    for (double x : {0.0, 0.0, 0.0, 0.0, 1000.0}) {
        CHECK(f.apply(x, &spike) == x);
        CHECK_FALSE(spike);
    }
}

// ---- LowPass ----

TEST_CASE("LowPass primes on the first sample: a constant input has no transient", "[filter]") {
    LowPass f(8.0);
    CHECK(f.apply(5.0, 0.0) == 5.0);
    for (int i = 0; i < 100; ++i) {
        CHECK(f.apply(5.0, 0.005) == Approx(5.0).margin(1e-9));
    }
}

TEST_CASE("LowPass settles a step to the step value (unity DC gain)", "[filter]") {
    LowPass f(8.0);
    f.apply(0.0, 0.0);
    double y = 0;
    double peak = 0;
    for (int i = 0; i < 400; ++i) {
        y = f.apply(1.0, 0.005);
        peak = std::max(peak, y);
    }
    CHECK(y == Approx(1.0).margin(1e-9));
    // A second-order Butterworth overshoots a step by about 4 %.
    CHECK(peak > 1.02);
    CHECK(peak < 1.06);
}

TEST_CASE("LowPass attenuates 50 Hz by more than 20 dB at 200 Hz with an 8 Hz cutoff", "[filter]") {
    LowPass f(8.0);
    const double dt = 1.0 / 200.0;
    double max_out = 0;
    for (int i = 0; i < 1000; ++i) {
        const double x = 10.0 * std::sin(2.0 * std::numbers::pi * 50.0 * i * dt + 0.3);
        const double y = f.apply(x, i == 0 ? 0.0 : dt);
        if (i >= 200) {
            max_out = std::max(max_out, std::fabs(y));
        }
    }
    CHECK(max_out < 10.0 * 0.1); // -20 dB in amplitude
}

TEST_CASE("LowPass passes a slow sine almost unchanged and is -3 dB at the cutoff", "[filter]") {
    const double dt = 1.0 / 200.0;
    auto amplitude = [&](double hz) {
        LowPass f(8.0);
        double max_out = 0;
        for (int i = 0; i < 4000; ++i) {
            const double y = f.apply(std::sin(2.0 * std::numbers::pi * hz * i * dt), dt);
            if (i >= 2000) {
                max_out = std::max(max_out, std::fabs(y));
            }
        }
        return max_out;
    };
    CHECK(amplitude(0.5) == Approx(1.0).margin(0.01));
    CHECK(amplitude(8.0) == Approx(std::sqrt(0.5)).margin(0.01));
}

TEST_CASE("LowPass with a zero cutoff passes samples unchanged", "[filter]") {
    LowPass f(0.0);
    for (double x : {1.0, 50.0, -3.0, 1e6}) {
        CHECK(f.apply(x, 0.01) == x);
    }
}

// ---- ForceFilter ----

TEST_CASE("ForceFilter passes clean samples through byte for byte when smoothing is off",
          "[filter]") {
    ForceFilter f(params(0, 50, 2000));
    const std::vector<float> values{0.0f, 1.25f, 2.5f, 3.0f, 2.75f, 3.5f};
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto out = f.apply(force(static_cast<Micros>(i) * 10'000, values[i], kFlagNotTared));
        REQUIRE(out);
        CHECK(out->value == values[i]);
        CHECK(out->t_us == static_cast<Micros>(i) * 10'000);
        CHECK(out->flags == kFlagNotTared);
    }
    CHECK(f.stats().accepted == values.size());
}

TEST_CASE("ForceFilter rejects NaN and infinities and counts them", "[filter]") {
    ForceFilter f(params(0, 0, 2000));
    CHECK(f.apply(force(0, 1.0f)));
    CHECK_FALSE(f.apply(force(10, std::numeric_limits<float>::quiet_NaN())));
    CHECK_FALSE(f.apply(force(20, std::numeric_limits<float>::infinity())));
    CHECK_FALSE(f.apply(force(30, -std::numeric_limits<float>::infinity())));
    // A rejected sample does not consume its timestamp.
    const auto next = f.apply(force(10, 2.0f));
    REQUIRE(next);
    CHECK(next->value == 2.0f);
    CHECK(f.stats().not_finite == 3);
    CHECK(f.stats().accepted == 2);
}

TEST_CASE("ForceFilter rejects out-of-order and repeated timestamps and counts them", "[filter]") {
    ForceFilter f(params(0, 0, 2000));
    CHECK(f.apply(force(1000, 1.0f)));
    CHECK_FALSE(f.apply(force(1000, 2.0f)));
    CHECK_FALSE(f.apply(force(999, 3.0f)));
    CHECK_FALSE(f.apply(force(0, 4.0f)));
    const auto out = f.apply(force(1001, 5.0f));
    REQUIRE(out);
    CHECK(out->value == 5.0f);
    CHECK(f.stats().repeated == 1);
    CHECK(f.stats().out_of_order == 2);
    CHECK(f.stats().accepted == 2);
}

TEST_CASE("ForceFilter clamps beyond max_force_n both ways and flags saturation", "[filter]") {
    ForceFilter f(params(0, 0, 1000));
    const auto high = f.apply(force(0, 1500.0f));
    const auto edge = f.apply(force(1, 1000.0f));
    const auto low = f.apply(force(2, -2500.0f, kFlagLowSupply));
    REQUIRE(high);
    REQUIRE(edge);
    REQUIRE(low);
    CHECK(high->value == 1000.0f);
    CHECK(high->flags == kFlagSaturated);
    CHECK(edge->value == 1000.0f);
    CHECK(edge->flags == kFlagNone);
    CHECK(low->value == -1000.0f);
    CHECK(low->flags == (kFlagSaturated | kFlagLowSupply));
    CHECK(f.stats().saturated == 2);
}

TEST_CASE("ForceFilter replaces spikes and flags them", "[filter]") {
    ForceFilter f(params(0, 50, 2000));
    const std::vector<float> in{100, 101, 99, 100, 900, 102, 101};
    const std::vector<float> expected{100, 101, 99, 100, 100, 102, 101};
    std::vector<float> got;
    std::vector<std::uint16_t> flags;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const auto out = f.apply(force(static_cast<Micros>(i) * 10'000, in[i]));
        REQUIRE(out);
        got.push_back(out->value);
        flags.push_back(out->flags);
    }
    CHECK(got == expected);
    CHECK(flags == std::vector<std::uint16_t>{0, 0, 0, 0, kFlagSpike, 0, 0});
    CHECK(f.stats().spikes == 1);
    CHECK(f.stats().accepted == in.size());
}

TEST_CASE("ForceFilter smooths with the low-pass and reset starts afresh", "[filter]") {
    ForceFilter f(params(8, 0, 2000));
    auto first = f.apply(force(0, 0.0f));
    REQUIRE(first);
    CHECK(first->value == 0.0f);
    auto step = f.apply(force(5000, 100.0f));
    REQUIRE(step);
    CHECK(step->value > 0.0f);
    CHECK(step->value < 20.0f);
    for (Micros t = 10'000; t < 2'000'000; t += 5000) {
        step = f.apply(force(t, 100.0f));
    }
    CHECK(step->value == Approx(100.0f).margin(1e-3));
    f.reset();
    CHECK(f.stats().accepted == 0);
    // After a reset earlier times are accepted and the first value primes the filter again.
    const auto again = f.apply(force(0, 42.0f));
    REQUIRE(again);
    CHECK(again->value == 42.0f);
}
