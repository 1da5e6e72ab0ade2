// Zero drift of a load cell: re-zeroed at known rest moments while small, flagged (and not
// absorbed) once it passes the threshold.

#include "core/clock.hpp"
#include "input/drift.hpp"
#include "input/hub.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <vector>

using namespace qv;
using namespace qv::input;

namespace {

/// A source the test pushes into directly: a load cell with a zero that drifts.
class DriftingCell final : public Source {
  public:
    const SourceIdentity& identity() const override { return identity_; }
    SourceCaps caps() const override { return {true, false, 100}; }
    bool start(SampleSink& sink) override {
        sink_ = &sink;
        return true;
    }
    void stop() override { sink_ = nullptr; }
    SourceState state() const override {
        return sink_ != nullptr ? SourceState::Streaming : SourceState::Stopped;
    }
    std::string last_error() const override { return {}; }
    /// `seconds` at 100 Hz of `force_n` on top of the drifting zero (drift_n_per_s).
    void play(double seconds, double force_n) {
        for (int i = 0; i < static_cast<int>(seconds * 100); ++i) {
            t_ += 10'000;
            const double zero = base_n + drift_n_per_s * to_seconds(t_);
            const double noise = 0.3 * std::sin(static_cast<double>(t_) * 1e-4);
            sink_->push({t_, Channel::Force, static_cast<float>(zero + force_n + noise), 0});
        }
    }
    double zero_now() const { return base_n + drift_n_per_s * to_seconds(t_); }
    double base_n = 20;
    double drift_n_per_s = 0;

  private:
    SourceIdentity identity_{"fake-cell", "Drifting load cell", "", "", true};
    SampleSink* sink_ = nullptr;
    Micros t_ = 0;
};

FilterParams filter_params() {
    FilterParams p;
    p.lowpass_hz = 8;
    p.spike_threshold_n = 60;
    p.max_force_n = 2000;
    p.drift_threshold_n = 8;
    return p;
}

struct Rig {
    ManualClock clock{0};
    InputHub hub{clock, filter_params()};
    DriftingCell* cell = nullptr;
    std::vector<ForceReading> out;
    Rig() {
        auto owned = std::make_unique<DriftingCell>();
        cell = owned.get();
        REQUIRE(hub.use(std::move(owned), false));
        Calibration cal;
        cal.zero_n = 20; // measured at the start
        cal.mvc_n = 300;
        hub.set_calibration(cal);
    }
    /// A hold of `force_n` for `hold_s`, then a rest of `rest_s` told to the hub.
    void rep(double force_n, double hold_s, double rest_s) {
        hub.set_at_rest(false);
        cell->play(hold_s, force_n);
        hub.poll(out);
        hub.set_at_rest(true);
        for (int i = 0; i < static_cast<int>(rest_s * 10); ++i) {
            cell->play(0.1, 0);
            hub.poll(out);
        }
        hub.set_at_rest(false);
    }
};

} // namespace

TEST_CASE("The tracker re-zeroes a steady rest within the threshold", "[drift]") {
    DriftTracker tracker({8, 1.0, 1.0});
    DriftTracker::Verdict v = DriftTracker::Verdict::None;
    for (int i = 0; i <= 100 && v == DriftTracker::Verdict::None; ++i) {
        v = tracker.feed_rest(i * 10'000, 23.0, 20.0);
    }
    CHECK(v == DriftTracker::Verdict::Rezeroed);
    CHECK(tracker.offset_n() == Approx(3.0));
    CHECK_FALSE(tracker.warning());
    CHECK(tracker.rezeroes() == 1);
}

TEST_CASE("The tracker waits for a steady window", "[drift]") {
    DriftTracker tracker({8, 1.0, 1.0});
    for (int i = 0; i <= 300; ++i) { // a leg still relaxing: the force keeps falling
        CHECK(tracker.feed_rest(i * 10'000, 60.0 - 0.2 * i, 20.0) == DriftTracker::Verdict::None);
    }
    CHECK(tracker.offset_n() == 0);
    // Half a window is not enough either.
    tracker.end_rest();
    for (int i = 400; i < 450; ++i) {
        CHECK(tracker.feed_rest(i * 10'000, 21.0, 20.0) == DriftTracker::Verdict::None);
    }
}

TEST_CASE("The tracker flags a large offset and does not absorb it", "[drift]") {
    DriftTracker tracker({8, 1.0, 1.0});
    DriftTracker::Verdict v = DriftTracker::Verdict::None;
    for (int i = 0; i <= 100 && v == DriftTracker::Verdict::None; ++i) {
        v = tracker.feed_rest(i * 10'000, 32.0, 20.0);
    }
    CHECK(v == DriftTracker::Verdict::Drifted);
    CHECK(tracker.warning());
    CHECK(tracker.offset_n() == 0);
    CHECK(tracker.last_rest_offset_n() == Approx(12.0));
    // A later rest back within the threshold clears the warning.
    tracker.end_rest();
    v = DriftTracker::Verdict::None;
    for (int i = 200; i <= 300 && v == DriftTracker::Verdict::None; ++i) {
        v = tracker.feed_rest(i * 10'000, 22.0, 20.0);
    }
    CHECK(v == DriftTracker::Verdict::Rezeroed);
    CHECK_FALSE(tracker.warning());
}

SCENARIO("A slowly drifting load cell in quad-set play", "[drift][hub]") {
    GIVEN("a zero drifting by 0.1 N/s (6 N a minute)") {
        Rig rig;
        rig.cell->drift_n_per_s = 0.1;
        WHEN("a minute of holds and rests is played") {
            for (int i = 0; i < 6; ++i) {
                rig.rep(100, 5, 5);
            }
            THEN("the rests re-zero it: the readings at rest stay near 0 N, no warning") {
                CHECK(rig.hub.drift().rezeroes() >= 5);
                CHECK_FALSE(rig.hub.drift_warning());
                CHECK(rig.hub.zero_offset_n() == Approx(rig.cell->zero_now() - 20).margin(1.0));
                CHECK(std::abs(rig.out.back().tared_n) < 1.0);
                for (const auto& r : rig.out) {
                    CHECK((r.flags & kFlagDriftWarning) == 0);
                }
            }
        }
        WHEN("no rest is ever known to be one") {
            rig.hub.set_at_rest(false);
            rig.cell->play(60, 0);
            rig.hub.poll(rig.out);
            THEN("the zero is left alone") {
                CHECK(rig.hub.zero_offset_n() == 0);
                CHECK(rig.out.back().tared_n == Approx(6.0).margin(0.5));
            }
        }
    }
    GIVEN("a zero that jumps by 15 N (beyond the 8 N threshold)") {
        Rig rig;
        rig.rep(100, 5, 5);
        rig.cell->base_n = 35;
        WHEN("the next rest comes") {
            const std::size_t before = rig.out.size();
            rig.rep(100, 5, 5);
            THEN("the readings are flagged and the offset is not absorbed") {
                CHECK(rig.hub.drift_warning());
                CHECK(rig.hub.zero_offset_n() == Approx(0).margin(1.0));
                CHECK(rig.out.back().tared_n == Approx(15).margin(1.0));
                CHECK((rig.out.back().flags & kFlagDriftWarning) != 0);
                CHECK((rig.out[before].flags & kFlagDriftWarning) == 0); // not before it was seen
            }
            AND_WHEN("the sensor is calibrated again") {
                Calibration cal;
                cal.zero_n = 35;
                cal.mvc_n = 300;
                rig.hub.set_calibration(cal);
                rig.rep(100, 5, 5);
                THEN("the warning is gone") {
                    CHECK_FALSE(rig.hub.drift_warning());
                    CHECK((rig.out.back().flags & kFlagDriftWarning) == 0);
                }
            }
        }
    }
}

TEST_CASE("Samples the queue dropped mark the next reading as after a gap", "[hub]") {
    ManualClock clock{0};
    InputHub hub{clock, filter_params()};
    auto owned = std::make_unique<DriftingCell>();
    auto* cell = owned.get();
    REQUIRE(hub.use(std::move(owned), false));
    std::vector<ForceReading> out;
    cell->play(1, 0);
    hub.poll(out);
    for (const auto& r : out) {
        CHECK((r.flags & kFlagGapBefore) == 0);
    }
    // Far more than the queue holds, without polling: the rest is dropped.
    cell->play(200, 0);
    REQUIRE(hub.dropped() > 0);
    out.clear();
    hub.poll(out);
    REQUIRE_FALSE(out.empty());
    CHECK((out.front().flags & kFlagGapBefore) != 0);
    for (std::size_t i = 1; i < out.size(); ++i) {
        CHECK((out[i].flags & kFlagGapBefore) == 0);
    }
}
