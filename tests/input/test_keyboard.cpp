#include "core/clock.hpp"
#include "input/drivers/keyboard/keyboard.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

using namespace qv;
using namespace qv::input;

namespace {

// Collects everything a source delivers.
class VectorSink final : public SampleSink {
  public:
    bool push(const Sample& sample) override {
        samples.push_back(sample);
        return true;
    }
    std::vector<Sample> samples;
};

KeyboardModelParams params(double tremor_pct = 0.0) {
    KeyboardModelParams p;
    p.max_force_n = 400;
    p.rise_s = 0.3;
    p.fall_s = 0.2;
    p.tremor_pct = tremor_pct;
    p.effort_step = 0.1;
    p.start_effort = 0.5;
    p.rate_hz = 100;
    return p;
}

constexpr Micros kPeriod = 10'000;

// Time of the first sample at or above `level`, or -1.
Micros first_at_or_above(const std::vector<Sample>& s, double level) {
    for (const Sample& x : s) {
        if (x.value >= level) {
            return x.t_us;
        }
    }
    return -1;
}

// Time of the first sample at or below `level` at or after `from`, or -1.
Micros first_at_or_below(const std::vector<Sample>& s, double level, Micros from) {
    for (const Sample& x : s) {
        if (x.t_us >= from && x.value <= level) {
            return x.t_us;
        }
    }
    return -1;
}

} // namespace

TEST_CASE("KeyboardSource says it is a keyboard, not a measurement", "[keyboard]") {
    KeyboardSource kb(params(), 1);
    CHECK(kb.identity().driver == "keyboard");
    CHECK(kb.identity().model == "Keyboard");
    CHECK_FALSE(kb.identity().is_measurement);
    const SourceCaps caps = kb.caps();
    CHECK(caps.force);
    CHECK_FALSE(caps.knee_angle);
    CHECK(caps.rate_hz == 100);
    CHECK(kb.max_force_n() == 400);
    CHECK(kb.last_error().empty());
}

TEST_CASE("KeyboardSource streams only between start and stop", "[keyboard]") {
    KeyboardSource kb(params(), 1);
    VectorSink sink;
    CHECK(kb.state() == SourceState::Stopped);
    kb.advance_to(50'000);
    CHECK(sink.samples.empty());
    REQUIRE(kb.start(sink));
    CHECK(kb.state() == SourceState::Streaming);
    kb.advance_to(100'000);
    kb.advance_to(200'000);
    CHECK(sink.samples.size() == 11);
    kb.stop();
    CHECK(kb.state() == SourceState::Stopped);
    kb.advance_to(300'000);
    CHECK(sink.samples.size() == 11);
    kb.stop(); // twice is harmless
    CHECK(kb.state() == SourceState::Stopped);
}

TEST_CASE("KeyboardSource emits on exact multiples of the period from the first call, never "
          "twice for one time",
          "[keyboard]") {
    KeyboardSource kb(params(), 1);
    VectorSink sink;
    kb.start(sink);
    for (Micros t : {Micros{3'000}, Micros{3'000}, Micros{120'500}, Micros{60'000}, Micros{120'500},
                     Micros{123'000}, Micros{1'003'000}, Micros{0}}) {
        kb.advance_to(t);
    }
    REQUIRE(sink.samples.size() == 101);
    for (std::size_t i = 0; i < sink.samples.size(); ++i) {
        CHECK(sink.samples[i].t_us == 3'000 + static_cast<Micros>(i) * kPeriod);
        CHECK(sink.samples[i].channel == Channel::Force);
    }
}

TEST_CASE("KeyboardSource continues its timeline after a restart without repeating times",
          "[keyboard]") {
    KeyboardSource kb(params(), 1);
    VectorSink sink;
    kb.start(sink);
    kb.advance_to(0);
    kb.advance_to(100'000);
    kb.stop();
    kb.start(sink);
    kb.advance_to(100'000); // already emitted: nothing
    kb.advance_to(50'000);  // earlier: nothing
    CHECK(sink.samples.size() == 11);
    kb.advance_to(205'000); // anchors a new grid here
    kb.advance_to(230'000);
    REQUIRE(sink.samples.size() == 14);
    CHECK(sink.samples[11].t_us == 205'000);
    CHECK(sink.samples[13].t_us == 225'000);
}

SCENARIO("KeyboardSource force rises and falls like a muscle", "[keyboard]") {
    GIVEN("the push key held at 50 % effort of 400 N from t = 0") {
        KeyboardSource kb(params(), 1);
        VectorSink sink;
        kb.start(sink);
        kb.set_pushing(true);
        CHECK(kb.pushing());
        kb.advance_to(0);
        kb.advance_to(3'000'000);
        const double target = 200.0;
        THEN("it starts at zero and reaches 63 % of the target after rise_s") {
            CHECK(sink.samples.front().value == 0.0f);
            const Micros t63 = first_at_or_above(sink.samples, (1.0 - std::exp(-1.0)) * target);
            CHECK(t63 >= 300'000 - kPeriod);
            CHECK(t63 <= 300'000 + kPeriod);
            CHECK(sink.samples.back().value == Approx(target).margin(0.1));
            for (std::size_t i = 1; i < sink.samples.size(); ++i) {
                CHECK(sink.samples[i].value >= sink.samples[i - 1].value);
            }
        }
        WHEN("the key is released") {
            kb.set_pushing(false);
            kb.advance_to(5'000'000);
            THEN("it falls to 37 % after fall_s and toward zero") {
                const double start = sink.samples[300].value;
                const Micros t37 =
                    first_at_or_below(sink.samples, std::exp(-1.0) * start, 3'000'001);
                CHECK(t37 >= 3'200'000 - kPeriod);
                CHECK(t37 <= 3'200'000 + kPeriod);
                CHECK(sink.samples.back().value < 0.01f);
                CHECK(sink.samples.back().value >= 0.0f);
            }
        }
    }
}

TEST_CASE("KeyboardSource effort moves in steps and is clamped to 0..1", "[keyboard]") {
    KeyboardSource kb(params(), 1);
    CHECK(kb.effort() == 0.5);
    kb.nudge_effort(2);
    CHECK(kb.effort() == Approx(0.7));
    kb.nudge_effort(10);
    CHECK(kb.effort() == 1.0);
    kb.nudge_effort(-3);
    CHECK(kb.effort() == Approx(0.7));
    kb.nudge_effort(-30);
    CHECK(kb.effort() == 0.0);
    kb.nudge_effort(1);
    CHECK(kb.effort() == Approx(0.1));

    KeyboardModelParams wild = params();
    wild.start_effort = 3.0;
    CHECK(KeyboardSource(wild, 1).effort() == 1.0);
}

TEST_CASE("KeyboardSource drives toward the effort chosen while pushing", "[keyboard]") {
    KeyboardSource kb(params(), 1);
    VectorSink sink;
    kb.start(sink);
    kb.nudge_effort(3); // 0.8
    kb.set_pushing(true);
    kb.advance_to(0);
    kb.advance_to(3'000'000);
    CHECK(sink.samples.back().value == Approx(320.0).margin(0.1));
}

TEST_CASE("KeyboardSource tremor is seeded and never makes force negative", "[keyboard]") {
    auto run = [](std::uint64_t seed, double tremor) {
        KeyboardSource kb(params(tremor), seed);
        VectorSink sink;
        kb.start(sink);
        kb.set_pushing(true);
        for (Micros t = 0; t <= 1'000'000; t += 7'000) {
            kb.advance_to(t);
        }
        kb.set_pushing(false);
        kb.advance_to(3'000'000);
        return sink.samples;
    };
    const auto a = run(42, 5.0);
    const auto b = run(42, 5.0);
    const auto c = run(43, 5.0);
    REQUIRE(a.size() == b.size());
    bool identical = true;
    bool differs = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        identical = identical && a[i].t_us == b[i].t_us && a[i].value == b[i].value;
        differs = differs || a[i].value != c[i].value;
    }
    CHECK(identical);
    CHECK(differs);

    const auto wild = run(7, 80.0);
    bool non_negative = true;
    bool some_zero_while_pushing = false;
    for (const Sample& s : wild) {
        non_negative = non_negative && s.value >= 0.0f;
        some_zero_while_pushing =
            some_zero_while_pushing || (s.t_us > 100'000 && s.t_us < 1'000'000 && s.value == 0);
    }
    CHECK(non_negative);
    CHECK(some_zero_while_pushing); // 80 % tremor does pull some samples to the floor

    // Tremor around the plateau is about tremor_pct of the force.
    double sum = 0;
    double sq = 0;
    int n = 0;
    for (const Sample& s : a) {
        if (s.t_us >= 700'000 && s.t_us <= 1'000'000) {
            sum += s.value;
            sq += static_cast<double>(s.value) * s.value;
            ++n;
        }
    }
    const double mean = sum / n;
    const double sd = std::sqrt(sq / n - mean * mean);
    CHECK(sd > 0.02 * mean);
    CHECK(sd < 0.10 * mean);
}
