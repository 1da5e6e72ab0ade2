#include "core/clock.hpp"
#include "input/drivers/simulator/patient_model.hpp"
#include "input/drivers/simulator/simulator.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

using namespace qv;
using namespace qv::input;

namespace {

SimPatientParams params() {
    SimPatientParams p;
    p.true_mvc_n = 320;
    p.reaction_s = 0.3;
    p.rise_s = 0.2;
    p.tracking_gain = 2.0;
    p.noise_cv_low = 0.02;
    p.noise_cv_high = 0.06;
    p.fatigue_rate = 0.006;
    p.recovery_rate = 0.01;
    p.drift_n_per_min = 2.0;
    p.rate_hz = 100;
    return p;
}

constexpr double kDt = 0.01;

PatientCue hold(double target_n) {
    return PatientCue{PatientCue::Kind::Hold, target_n};
}
const PatientCue kRelax{PatientCue::Kind::Relax, 0};
const PatientCue kMax{PatientCue::Kind::Max, 0};

// Runs the model for `seconds` under one cue; returns the readings.
std::vector<double> run(PatientModel& m, const PatientCue& cue, double seconds) {
    std::vector<double> out;
    const int steps = static_cast<int>(std::lround(seconds / kDt));
    for (int i = 0; i < steps; ++i) {
        out.push_back(m.step(kDt, cue));
    }
    return out;
}

double mean(const std::vector<double>& v, std::size_t from = 0) {
    double sum = 0;
    for (std::size_t i = from; i < v.size(); ++i) {
        sum += v[i];
    }
    return sum / static_cast<double>(v.size() - from);
}

double sd(const std::vector<double>& v, std::size_t from = 0) {
    const double m = mean(v, from);
    double sq = 0;
    for (std::size_t i = from; i < v.size(); ++i) {
        sq += (v[i] - m) * (v[i] - m);
    }
    return std::sqrt(sq / static_cast<double>(v.size() - from));
}

// Collects everything a source delivers.
class VectorSink final : public SampleSink {
  public:
    bool push(const Sample& sample) override {
        samples.push_back(sample);
        return true;
    }
    std::vector<Sample> samples;
};

} // namespace

TEST_CASE("The virtual patient reacts to a cue only after the reaction time", "[patient]") {
    PatientModel m(params(), 3);
    run(m, kRelax, 1.0);
    CHECK(m.true_force_n() == 0.0);
    run(m, hold(96), 0.29);
    CHECK(m.true_force_n() == 0.0);
    run(m, hold(96), 0.05);
    CHECK(m.true_force_n() > 0.0);
}

TEST_CASE("A hold at 30 % of 320 N settles within 6 % of the target within 2 s", "[patient]") {
    for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
        INFO("seed " << seed);
        PatientModel m(params(), seed);
        run(m, kRelax, 1.0);
        const double target = 0.3 * 320.0;
        run(m, hold(target), 2.0);
        bool in_band = true;
        std::vector<double> tared;
        for (int i = 0; i < 300; ++i) {
            const double reading = m.step(kDt, hold(target));
            tared.push_back(reading - m.zero_offset_n());
            in_band = in_band && std::fabs(m.true_force_n() - target) <= 0.06 * target;
        }
        CHECK(in_band);
        CHECK(mean(tared) == Approx(target).epsilon(0.06));
        // The per-hold bias is persistent but small: never more than 3 %.
        CHECK(std::fabs(m.true_force_n() - target) <= 0.031 * target);
    }
}

TEST_CASE("Each new hold draws a new small bias", "[patient]") {
    PatientModel m(params(), 9);
    std::vector<double> settled;
    for (int rep = 0; rep < 6; ++rep) {
        run(m, hold(150), 5.0);
        settled.push_back(m.true_force_n());
        run(m, kRelax, 5.0);
    }
    double lo = settled.front();
    double hi = settled.front();
    for (double f : settled) {
        CHECK(std::fabs(f - 150.0) <= 0.031 * 150.0);
        lo = std::min(lo, f);
        hi = std::max(hi, f);
    }
    CHECK(hi - lo > 0.5); // not the same bias every time
}

SCENARIO("Repeated holds tire the virtual muscle and rest restores it", "[patient]") {
    GIVEN("ten 10 s holds at 50 % MVC with 10 s rests") {
        PatientModel m(params(), 5);
        std::vector<double> after_hold;
        for (int rep = 0; rep < 10; ++rep) {
            run(m, hold(160), 10.0);
            after_hold.push_back(m.capacity());
            run(m, kRelax, 10.0);
        }
        THEN("capacity falls from hold to hold") {
            int falls = 0;
            for (std::size_t i = 1; i < after_hold.size(); ++i) {
                falls += after_hold[i] < after_hold[i - 1] ? 1 : 0;
            }
            CHECK(falls >= 8);
            CHECK(after_hold.front() < 1.0);
            CHECK(after_hold.back() < 0.95);
            CHECK(after_hold.back() > 0.3);
        }
        AND_WHEN("the patient rests for ten minutes") {
            const double tired = m.capacity();
            run(m, kRelax, 600.0);
            THEN("capacity comes back") {
                CHECK(m.capacity() > tired + 0.1);
                CHECK(m.capacity() > 0.98);
                CHECK(m.capacity() <= 1.0);
            }
        }
    }
}

TEST_CASE("Capacity never falls below 0.3 however long the effort", "[patient]") {
    SimPatientParams p = params();
    p.fatigue_rate = 0.05;
    PatientModel m(p, 1);
    run(m, kMax, 120.0);
    CHECK(m.capacity() == Approx(0.3));
    CHECK(m.true_force_n() <= 0.3 * 320.0 + 1e-9);
}

TEST_CASE("Force noise grows with effort", "[patient]") {
    SimPatientParams p = params();
    p.drift_n_per_min = 0; // isolate the noise
    PatientModel m(p, 21);
    run(m, hold(0.2 * 320), 3.0);
    const auto low = run(m, hold(0.2 * 320), 3.0);
    run(m, kRelax, 5.0);
    run(m, hold(0.7 * 320), 3.0);
    const auto high = run(m, hold(0.7 * 320), 3.0);
    // Expected SD: (0.02 + 0.04 * 0.2) * 64 = 1.8 N and (0.02 + 0.04 * 0.7) * 224 = 10.8 N.
    CHECK(sd(low) == Approx(1.8).epsilon(0.2));
    CHECK(sd(high) == Approx(10.8).epsilon(0.2));
    // Relative spread (CV) grows too, not only the absolute SD.
    CHECK(sd(high) / mean(high) > 1.5 * sd(low) / mean(low));
}

TEST_CASE("A maximal push reaches at least 90 % of the true MVC when fresh", "[patient]") {
    PatientModel m(params(), 8);
    run(m, kRelax, 1.0);
    const auto readings = run(m, kMax, 3.0);
    double peak = 0;
    for (double r : readings) {
        peak = std::max(peak, r - m.zero_offset_n());
    }
    CHECK(m.true_force_n() >= 0.9 * 320);
    CHECK(peak >= 0.9 * 320);
    CHECK(peak < 1.3 * 320);
    run(m, kRelax, 3.0);
    CHECK(m.true_force_n() < 1.0);
}

TEST_CASE("Load-cell drift is a random walk of about drift_n_per_min per minute", "[patient]") {
    SimPatientParams p = params();
    double sum_sq = 0;
    constexpr int kPatients = 300;
    for (int seed = 0; seed < kPatients; ++seed) {
        PatientModel m(p, static_cast<std::uint64_t>(seed) + 1000);
        for (int i = 0; i < 600; ++i) {
            m.step(0.1, kRelax);
        }
        sum_sq += m.zero_offset_n() * m.zero_offset_n();
    }
    const double rms = std::sqrt(sum_sq / kPatients);
    CHECK(rms == Approx(2.0).epsilon(0.2));
}

TEST_CASE("The reading at rest is the drifting zero, never below it", "[patient]") {
    PatientModel m(params(), 4);
    for (int i = 0; i < 6000; ++i) {
        const double r = m.step(kDt, kRelax);
        REQUIRE(r >= m.zero_offset_n());
    }
    CHECK(m.zero_offset_n() != 0.0);
}

TEST_CASE("Same seed and same cues give identical readings", "[patient]") {
    auto script = [](std::uint64_t seed) {
        PatientModel m(params(), seed);
        std::vector<double> out;
        for (int i = 0; i < 3000; ++i) {
            const PatientCue cue = i < 500    ? kRelax
                                   : i < 1500 ? hold(120)
                                   : i < 2000 ? kMax
                                              : kRelax;
            out.push_back(m.step(kDt, cue));
        }
        return out;
    };
    CHECK(script(77) == script(77));
    CHECK(script(77) != script(78));
}

// ---- SimulatorSource ----

TEST_CASE("SimulatorSource says it is a virtual patient, not a measurement", "[simulator]") {
    SimulatorSource sim(params(), 1);
    CHECK(sim.identity().driver == "simulator");
    CHECK(sim.identity().model == "Virtual patient");
    CHECK_FALSE(sim.identity().is_measurement);
    CHECK(sim.caps().force);
    CHECK_FALSE(sim.caps().knee_angle);
    CHECK(sim.caps().rate_hz == 100);
    CHECK(sim.last_error().empty());
    CHECK(sim.capacity() == 1.0);
}

TEST_CASE("SimulatorSource follows cues on a deterministic sample grid", "[simulator]") {
    auto session = [](std::uint64_t seed) {
        SimulatorSource sim(params(), seed);
        VectorSink sink;
        CHECK(sim.state() == SourceState::Stopped);
        sim.advance_to(0);
        CHECK(sink.samples.empty());
        REQUIRE(sim.start(sink));
        CHECK(sim.state() == SourceState::Streaming);
        sim.advance_to(0);
        sim.advance_to(1'000'000);
        sim.set_cue(hold(160));
        CHECK(sim.cue().kind == PatientCue::Kind::Hold);
        CHECK(sim.cue().target_n == 160);
        for (Micros t = 1'000'000; t <= 5'000'000; t += 33'000) {
            sim.advance_to(t);
        }
        sim.advance_to(4'000'000); // earlier: nothing
        sim.advance_to(5'000'000);
        sim.stop();
        CHECK(sim.state() == SourceState::Stopped);
        sim.advance_to(6'000'000);
        return sink.samples;
    };
    const auto a = session(5);
    REQUIRE(a.size() == 501);
    for (std::size_t i = 0; i < a.size(); ++i) {
        REQUIRE(a[i].t_us == static_cast<Micros>(i) * 10'000);
    }
    CHECK(a[50].value < 5.0f);    // relaxed at 0.5 s
    CHECK(a[480].value > 130.0f); // holding about 160 N at 4.8 s
    CHECK(a[480].value < 190.0f);

    const auto b = session(5);
    bool identical = a.size() == b.size();
    for (std::size_t i = 0; identical && i < a.size(); ++i) {
        identical = a[i].t_us == b[i].t_us && a[i].value == b[i].value;
    }
    CHECK(identical);
}
