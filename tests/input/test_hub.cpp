#include "core/clock.hpp"
#include "input/drivers/keyboard/keyboard.hpp"
#include "input/drivers/simulator/simulator.hpp"
#include "input/hub.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace qv;
using namespace qv::input;

namespace {

FilterParams filter_params() {
    FilterParams p;
    p.lowpass_hz = 8;
    p.spike_threshold_n = 60;
    p.max_force_n = 2000;
    p.drift_threshold_n = 5;
    return p;
}

KeyboardModelParams keyboard_params(double rate_hz = 100) {
    KeyboardModelParams p;
    p.max_force_n = 400;
    p.rise_s = 0.3;
    p.fall_s = 0.2;
    p.tremor_pct = 1;
    p.effort_step = 0.1;
    p.start_effort = 0.5;
    p.rate_hz = rate_hz;
    return p;
}

// What happened to the scripted sources, outliving them.
struct Journal {
    std::vector<std::string> events;
};

// A clocked source that delivers a fixed script of samples when their time comes, and writes
// start / stop / destroy into a journal.
class ScriptedSource final : public ClockedSource {
  public:
    ScriptedSource(std::string name, std::shared_ptr<Journal> journal, std::vector<Sample> script,
                   bool fail_start = false)
        : name_(std::move(name)), journal_(std::move(journal)), script_(std::move(script)),
          fail_start_(fail_start) {
        identity_.driver = name_;
    }
    ~ScriptedSource() override { journal_->events.push_back(name_ + " destroyed"); }

    const SourceIdentity& identity() const override { return identity_; }
    SourceCaps caps() const override { return {true, true, 100}; }
    bool start(SampleSink& sink) override {
        journal_->events.push_back(name_ + " start");
        if (fail_start_) {
            state_ = SourceState::Failed;
            return false;
        }
        sink_ = &sink;
        state_ = SourceState::Streaming;
        return true;
    }
    void stop() override {
        journal_->events.push_back(name_ + " stop");
        sink_ = nullptr;
        state_ = SourceState::Stopped;
    }
    SourceState state() const override { return state_; }
    std::string last_error() const override { return fail_start_ ? "refused" : ""; }
    void advance_to(Micros t_us) override {
        while (sink_ != nullptr && next_ < script_.size() && script_[next_].t_us <= t_us) {
            sink_->push(script_[next_++]);
        }
    }

  private:
    std::string name_;
    std::shared_ptr<Journal> journal_;
    std::vector<Sample> script_;
    bool fail_start_;
    SourceIdentity identity_;
    SampleSink* sink_ = nullptr;
    SourceState state_ = SourceState::Stopped;
    std::size_t next_ = 0;
};

Sample sample(Micros t, Channel channel, float value) {
    Sample s;
    s.t_us = t;
    s.channel = channel;
    s.value = value;
    return s;
}

} // namespace

SCENARIO("The keyboard held for two seconds becomes readings in % MVC", "[hub]") {
    GIVEN("a hub on a manual clock with the keyboard, pumped by hand, and a calibration") {
        ManualClock clock(0);
        InputHub hub(clock, filter_params());
        auto owned = std::make_unique<KeyboardSource>(keyboard_params(), 3);
        KeyboardSource* kb = owned.get();
        REQUIRE(hub.use(std::move(owned), false));
        CHECK(hub.source() == kb);
        CHECK(kb->state() == SourceState::Streaming);
        hub.set_calibration(Calibration{5.0, 250.0, {240.0, 250.0}});
        REQUIRE(hub.calibration());

        WHEN("the push key is held while the clock advances 2 s in frames") {
            kb->set_pushing(true);
            std::vector<ForceReading> readings;
            for (int frame = 0; frame <= 120; ++frame) {
                clock.set(static_cast<Micros>(frame) * 2'000'000 / 120);
                hub.pump();
                hub.poll(readings);
            }
            THEN("there is one reading per sample, each in % of the calibration's MVC") {
                CHECK(readings.size() == 201);
                for (std::size_t i = 0; i < readings.size(); ++i) {
                    const ForceReading& r = readings[i];
                    REQUIRE(r.t_us == static_cast<Micros>(i) * 10'000);
                    CHECK(r.tared_n == r.filtered_n - 5.0);
                    CHECK(r.pct_mvc == 100.0 * (r.filtered_n - 5.0) / 250.0);
                }
                // 50 % effort of 400 N = 200 N; tared 195 N; 78 % of 250 N.
                CHECK(readings.back().filtered_n == Approx(200.0).margin(6.0));
                CHECK(readings.back().pct_mvc == Approx(78.0).margin(2.5));
                CHECK(hub.latest().t_us == readings.back().t_us);
                CHECK(hub.latest().pct_mvc == readings.back().pct_mvc);
                CHECK(hub.dropped() == 0);
                CHECK(hub.filter_stats().accepted == 201);
            }
            AND_WHEN("the calibration is cleared") {
                hub.clear_calibration();
                kb->set_pushing(false);
                clock.advance(100'000);
                hub.pump();
                std::vector<ForceReading> more;
                hub.poll(more);
                THEN("readings are untared and carry no % MVC") {
                    REQUIRE(more.size() == 10);
                    for (const ForceReading& r : more) {
                        CHECK(r.tared_n == r.filtered_n);
                        CHECK(r.pct_mvc == 0.0);
                    }
                }
            }
        }
    }
}

TEST_CASE("Switching sources stops the old one before the new one starts", "[hub]") {
    ManualClock clock(0);
    auto journal = std::make_shared<Journal>();
    {
        InputHub hub(clock, filter_params());
        REQUIRE(hub.use(std::make_unique<ScriptedSource>(
                            "a", journal,
                            std::vector<Sample>{sample(0, Channel::Force, 1.0f),
                                                sample(10'000, Channel::Force, 2.0f)}),
                        false));
        clock.set(10'000);
        hub.pump();
        std::vector<ForceReading> out;
        hub.poll(out);
        CHECK(out.size() == 2);
        CHECK(hub.latest().raw_n == 2.0);

        REQUIRE(hub.use(std::make_unique<ScriptedSource>(
                            "b", journal, std::vector<Sample>{sample(0, Channel::Force, 7.0f)}),
                        false));
        CHECK(hub.source()->identity().driver == "b");
        CHECK(hub.latest().t_us == 0);
        CHECK(hub.latest().raw_n == 0.0);
        hub.pump();
        out.clear();
        hub.poll(out);
        // The new source starts from a fresh filter: time 0 is accepted again.
        REQUIRE(out.size() == 1);
        CHECK(out[0].raw_n == 7.0);
        CHECK(out[0].filtered_n == 7.0);
        CHECK(journal->events ==
              std::vector<std::string>{"a start", "a stop", "a destroyed", "b start"});
    }
    // The hub's destructor stops the active source.
    CHECK(journal->events == std::vector<std::string>{"a start", "a stop", "a destroyed", "b start",
                                                      "b stop", "b destroyed"});
}

TEST_CASE("Samples the old source left in the queue are not read as the new source's", "[hub]") {
    ManualClock clock(0);
    InputHub hub(clock, filter_params());
    auto journal = std::make_shared<Journal>();
    hub.use(std::make_unique<ScriptedSource>(
                "old", journal, std::vector<Sample>{sample(0, Channel::Force, 100.0f)}),
            false);
    clock.set(100);
    hub.pump(); // queued, never polled
    hub.use(std::make_unique<ScriptedSource>("new", journal,
                                             std::vector<Sample>{sample(50, Channel::Force, 3.0f)}),
            false);
    hub.pump();
    std::vector<ForceReading> out;
    hub.poll(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].raw_n == 3.0);
}

TEST_CASE("A source that fails to start is reported and kept for its error", "[hub]") {
    ManualClock clock(0);
    InputHub hub(clock, filter_params());
    auto journal = std::make_shared<Journal>();
    CHECK_FALSE(hub.use(
        std::make_unique<ScriptedSource>("broken", journal, std::vector<Sample>{}, true), false));
    REQUIRE(hub.source() != nullptr);
    CHECK(hub.source()->state() == SourceState::Failed);
    CHECK(hub.source()->last_error() == "refused");
    CHECK_FALSE(hub.use(nullptr, false));
    CHECK(hub.source() == nullptr);
    hub.pump(); // nothing to pump: harmless
    std::vector<ForceReading> out;
    hub.poll(out);
    CHECK(out.empty());
}

TEST_CASE("The hub turns only force samples into readings and filters bad ones", "[hub]") {
    ManualClock clock(0);
    InputHub hub(clock, filter_params());
    auto journal = std::make_shared<Journal>();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    hub.use(std::make_unique<ScriptedSource>(
                "mixed", journal,
                std::vector<Sample>{
                    sample(0, Channel::Force, 10.0f), sample(0, Channel::KneeAngle, 30.0f),
                    sample(10'000, Channel::KneeAngle, 31.0f), sample(10'000, Channel::Force, nan),
                    sample(20'000, Channel::Force, 5000.0f), sample(20'000, Channel::Force, 11.0f),
                    sample(15'000, Channel::Force, 12.0f)}),
            false);
    clock.set(1'000'000);
    hub.pump();
    std::vector<ForceReading> out;
    hub.poll(out);
    REQUIRE(out.size() == 2);
    CHECK(out[0].t_us == 0);
    CHECK(out[1].t_us == 20'000);
    CHECK(out[1].raw_n == 5000.0);
    CHECK((out[1].flags & kFlagSaturated) != 0);
    CHECK(hub.filter_stats().not_finite == 1);
    CHECK(hub.filter_stats().repeated == 1);
    CHECK(hub.filter_stats().out_of_order == 1);
    CHECK(hub.filter_stats().saturated == 1);
    CHECK(hub.filter_stats().accepted == 2);
}

TEST_CASE("A full queue reports exactly the samples it dropped", "[hub]") {
    ManualClock clock(0);
    InputHub hub(clock, filter_params());
    REQUIRE(hub.use(std::make_unique<KeyboardSource>(keyboard_params(1000), 1), false));
    hub.pump();            // anchors the sample grid at t = 0 (one sample)
    clock.set(10'000'000); // ten seconds pass without a poll
    hub.pump();            // 10,000 more samples; the queue holds 8,192
    CHECK(hub.dropped() == 10'001 - 8'192);
    std::vector<ForceReading> out;
    hub.poll(out);
    CHECK(out.size() == 8'192);
    CHECK(out.front().t_us == 0);
}

TEST_CASE("The hub drives a clocked source in real time on its own thread", "[hub][thread]") {
    SteadyClock clock;
    InputHub hub(clock, filter_params());
    SimPatientParams p;
    p.true_mvc_n = 320;
    p.reaction_s = 0.1;
    p.rise_s = 0.1;
    p.tracking_gain = 2;
    p.noise_cv_low = 0.02;
    p.noise_cv_high = 0.06;
    p.fatigue_rate = 0.006;
    p.recovery_rate = 0.01;
    p.drift_n_per_min = 1;
    p.rate_hz = 200;
    auto owned = std::make_unique<SimulatorSource>(p, 4);
    SimulatorSource* sim = owned.get();
    REQUIRE(hub.use(std::move(owned), true));
    sim->set_cue(PatientCue{PatientCue::Kind::Hold, 100});
    hub.pump(); // driven by the thread: pump must not add a second producer
    std::vector<ForceReading> out;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (out.size() < 20 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        hub.poll(out);
    }
    REQUIRE(out.size() >= 20);
    for (std::size_t i = 1; i < out.size(); ++i) {
        REQUIRE(out[i].t_us > out[i - 1].t_us);
        REQUIRE((out[i].t_us - out[0].t_us) % 5'000 == 0);
    }
    // Switching away stops the thread and the source; nothing arrives afterwards.
    REQUIRE(hub.use(std::make_unique<KeyboardSource>(keyboard_params(), 1), false));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    out.clear();
    hub.poll(out);
    CHECK(out.empty());
}
