#include "core/clock.hpp"
#include "core/rng.hpp"
#include "input/calibration.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <vector>

using namespace qv;
using namespace qv::input;

namespace {

constexpr Micros kPeriod = 10'000; // 100 Hz

CalibrationParams params() {
    CalibrationParams p;
    p.rest_window_s = 2.0;
    p.rest_max_sd_n = 0.5;
    p.rest_timeout_s = 5.0;
    p.push_s = 3.0;
    p.push_rest_s = 2.0;
    p.attempts = 3;
    p.peak_window_s = 1.0;
    p.min_mvc_n = 20.0;
    p.max_mvc_n = 1000.0;
    p.retest_days = 14.0;
    return p;
}

// Tared force of one push lasting 3 s: a 0.5 s ramp to `level`, then a plateau.
double push_shape(double t_in_push_s, double level) {
    return level * std::min(1.0, t_in_push_s / 0.5);
}

// Feeds the MVC procedure pushes of the given levels on the 3 s push / 2 s rest schedule, with
// a raw zero of `zero` and an optional extra term, until it is done or time runs out.
void run_mvc(MvcProcedure& mvc, const std::vector<double>& levels, double zero,
             const std::function<double(double)>& extra = {}) {
    for (Micros t = 0; t <= from_seconds(20) && mvc.phase() != MvcPhase::Done; t += kPeriod) {
        const double s = to_seconds(t);
        const int cycle = static_cast<int>(s / 5.0);
        const double in_cycle = s - 5.0 * cycle;
        double tared = 0;
        if (cycle < static_cast<int>(levels.size()) && in_cycle < 3.0) {
            tared = push_shape(in_cycle, levels[static_cast<std::size_t>(cycle)]);
        }
        if (extra) {
            tared += extra(s);
        }
        mvc.feed(t, zero + tared);
    }
}

} // namespace

TEST_CASE("percent_mvc is tared force over MVC, zero without an MVC", "[calibration]") {
    Calibration cal{30.0, 250.0, {250.0}};
    CHECK(percent_mvc(125.0, cal) == 50.0);
    CHECK(percent_mvc(0.0, cal) == 0.0);
    CHECK(percent_mvc(-25.0, cal) == -10.0);
    CHECK(percent_mvc(125.0, Calibration{30.0, 0.0, {}}) == 0.0);
    CHECK(percent_mvc(125.0, Calibration{30.0, -5.0, {}}) == 0.0);
}

SCENARIO("Tare takes the mean of a still window", "[calibration]") {
    GIVEN("a leg at rest with a slow drift well below the threshold and a little noise") {
        TareProcedure tare(params());
        Rng rng(11);
        Micros done_at = -1;
        for (Micros t = 0; t <= from_seconds(6); t += kPeriod) {
            tare.feed(t, 50.0 + 0.2 * to_seconds(t) + rng.normal(0.0, 0.1));
            if (t == from_seconds(1)) {
                CHECK(tare.progress() == Approx(0.5));
                CHECK_FALSE(tare.done());
            }
            if (tare.done()) {
                done_at = t;
                break;
            }
        }
        THEN("the zero is set when the first full window is seen") {
            CHECK(done_at == from_seconds(2));
            REQUIRE_FALSE(tare.failed());
            REQUIRE(tare.zero_n());
            // Mean of 50 + 0.2 t over 0..2 s is 50.2.
            CHECK(*tare.zero_n() == Approx(50.2).margin(0.05));
            CHECK(tare.progress() == 1.0);
            CHECK(tare.current_sd() < 0.5);
        }
    }
    GIVEN("a leg that moves for 2.5 s and then keeps still") {
        TareProcedure tare(params());
        Rng rng(12);
        for (Micros t = 0; t <= from_seconds(6) && !tare.done(); t += kPeriod) {
            const double s = to_seconds(t);
            tare.feed(t, s < 2.5 ? 40.0 + 20.0 * std::sin(6.0 * s) : 42.0 + rng.normal(0, 0.1));
            if (t == from_seconds(3)) {
                CHECK(tare.current_sd() > 5.0);
                CHECK_FALSE(tare.done());
            }
        }
        THEN("the sliding window finds the still part") {
            REQUIRE_FALSE(tare.failed());
            REQUIRE(tare.zero_n());
            CHECK(*tare.zero_n() == Approx(42.0).margin(0.1));
        }
    }
}

TEST_CASE("Tare fails at the timeout when the signal never keeps still", "[calibration]") {
    TareProcedure tare(params());
    Rng rng(13);
    Micros t = 0;
    for (; t <= from_seconds(10) && !tare.done(); t += kPeriod) {
        tare.feed(t, 40.0 + rng.normal(0.0, 3.0));
    }
    CHECK(tare.done());
    CHECK(tare.failed());
    CHECK_FALSE(tare.zero_n());
    CHECK(t - kPeriod == from_seconds(5)); // the last sample fed was at the timeout
    CHECK(tare.current_sd() > 2.0);
}

SCENARIO("MVC is the best of three pushes", "[calibration]") {
    GIVEN("three pushes of 200, 250 and 240 N above a zero of 20 N") {
        MvcProcedure mvc(params(), 20.0);
        CHECK(mvc.phase() == MvcPhase::Push);
        CHECK(mvc.phase_remaining_s() == 3.0);
        run_mvc(mvc, {200, 250, 240}, 20.0);
        THEN("MVC is 250 N with every attempt's peak") {
            REQUIRE(mvc.phase() == MvcPhase::Done);
            REQUIRE(mvc.result());
            CHECK(mvc.error().empty());
            CHECK(mvc.result()->mvc_n == Approx(250.0).margin(1.0));
            CHECK(mvc.result()->zero_n == 20.0);
            REQUIRE(mvc.result()->attempts_n.size() == 3);
            CHECK(mvc.result()->attempts_n[0] == Approx(200.0).margin(1.0));
            CHECK(mvc.result()->attempts_n[1] == Approx(250.0).margin(1.0));
            CHECK(mvc.result()->attempts_n[2] == Approx(240.0).margin(1.0));
            CHECK(mvc.peaks_n() == mvc.result()->attempts_n);
            CHECK(mvc.attempt() == 2);
        }
    }
}

TEST_CASE("MVC phases follow push, rest, push, rest, push, with no rest after the last",
          "[calibration]") {
    MvcProcedure mvc(params(), 0.0);
    struct Expect {
        Micros t_us;
        MvcPhase phase;
        int attempt;
        double remaining_s;
    };
    const std::vector<Expect> schedule{
        {0, MvcPhase::Push, 0, 3.0},          {2'500'000, MvcPhase::Push, 0, 0.5},
        {3'000'000, MvcPhase::Rest, 0, 2.0},  {4'990'000, MvcPhase::Rest, 0, 0.01},
        {5'000'000, MvcPhase::Push, 1, 3.0},  {8'000'000, MvcPhase::Rest, 1, 2.0},
        {10'000'000, MvcPhase::Push, 2, 3.0}, {12'990'000, MvcPhase::Push, 2, 0.01},
        {13'000'000, MvcPhase::Done, 2, 0.0},
    };
    std::size_t checked = 0;
    for (Micros t = 0; t <= from_seconds(13); t += kPeriod) {
        mvc.feed(t, 150.0);
        CHECK(mvc.current_n() == 150.0);
        for (const Expect& e : schedule) {
            if (t == e.t_us) {
                INFO("t = " << e.t_us << " us");
                ++checked;
                CHECK(mvc.phase() == e.phase);
                CHECK(mvc.attempt() == e.attempt);
                CHECK(mvc.phase_remaining_s() == Approx(e.remaining_s).margin(1e-9));
            }
        }
    }
    CHECK(checked == schedule.size());
    CHECK(mvc.peaks_n().size() == 3);
    REQUIRE(mvc.result());
    CHECK(mvc.result()->mvc_n == 150.0);
    // Done is final.
    mvc.feed(from_seconds(14), 500.0);
    CHECK(mvc.phase() == MvcPhase::Done);
    CHECK(mvc.result()->mvc_n == 150.0);
}

TEST_CASE("A spike shorter than the peak window does not set the MVC", "[calibration]") {
    MvcProcedure mvc(params(), 10.0);
    // 50 ms of +400 N in the middle of the second push.
    run_mvc(mvc, {200, 200, 200}, 10.0,
            [](double s) { return s >= 6.5 && s < 6.55 ? 400.0 : 0.0; });
    REQUIRE(mvc.result());
    // 5 of the 101 samples of a 1 s window carry the spike: 200 + 5 * 400 / 101 = 219.8.
    CHECK(mvc.result()->mvc_n < 225.0);
    CHECK(mvc.result()->mvc_n > 199.0);
    CHECK(mvc.result()->attempts_n[0] == Approx(200.0).margin(0.5));
}

TEST_CASE("A push too weak to count is rejected with a message saying so", "[calibration]") {
    MvcProcedure mvc(params(), 5.0);
    run_mvc(mvc, {8, 12, 10}, 5.0);
    REQUIRE(mvc.phase() == MvcPhase::Done);
    CHECK_FALSE(mvc.result());
    CHECK(mvc.error() == "no push detected: best 12 N, need at least 20 N");
    CHECK(mvc.peaks_n().size() == 3);
}

TEST_CASE("An implausibly strong result is rejected as a sensor problem", "[calibration]") {
    MvcProcedure mvc(params(), 5.0);
    run_mvc(mvc, {300, 1500, 400}, 5.0);
    REQUIRE(mvc.phase() == MvcPhase::Done);
    CHECK_FALSE(mvc.result());
    CHECK(mvc.error() == "implausible maximum: best 1500 N, more than 1000 N is not possible; "
                         "check the sensor");
}

TEST_CASE("MVC keeps its schedule across a gap in the samples", "[calibration]") {
    MvcProcedure mvc(params(), 0.0);
    mvc.feed(0, 100.0);
    // Nothing arrives until 11 s: push 0 and 1 and both rests are over; push 2 is running.
    mvc.feed(from_seconds(11), 100.0);
    CHECK(mvc.phase() == MvcPhase::Push);
    CHECK(mvc.attempt() == 2);
    CHECK(mvc.phase_remaining_s() == Approx(2.0));
    CHECK(mvc.peaks_n() == std::vector<double>{100.0, 0.0});
}
