#pragma once
// The game's view of input: owns the active source, the queue its samples cross, the force filter
// and the calibration, and turns raw samples into readings the game can use.

#include "core/clock.hpp"
#include "core/tuning.hpp"
#include "input/calibration.hpp"
#include "input/drift.hpp"
#include "input/filter.hpp"
#include "input/sample_queue.hpp"
#include "input/source.hpp"
#include "input/source_thread.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace qv::input {

/// One processed force sample.
struct ForceReading {
    Micros t_us = 0;       ///< when the source took it
    double raw_n = 0;      ///< as delivered
    double filtered_n = 0; ///< after validation, spike rejection and low-pass
    double tared_n = 0;    ///< filtered minus the calibration zero
    double pct_mvc = 0;    ///< tared as % of MVC (0 without a calibration)
    std::uint16_t flags = 0;
};

/// One knee-angle sample (controlled squats with a knee-angle sensor or the keyboard).
struct AngleReading {
    Micros t_us = 0; ///< when the source took it
    double deg = 0;  ///< knee flexion, degrees (0 = straight)
    std::uint16_t flags = 0;
};

/// Not thread-safe: used from the game thread only. The source's own thread (or a SourceThread
/// for clocked sources) feeds the queue.
class InputHub {
  public:
    InputHub(const Clock& clock, const FilterParams& filter);
    ~InputHub();
    InputHub(const InputHub&) = delete;
    InputHub& operator=(const InputHub&) = delete;

    /// Stops the current source and starts `source`. With `drive_in_real_time`, clocked sources
    /// get a SourceThread; otherwise the caller calls pump() (headless demo, tests).
    bool use(std::unique_ptr<Source> source, bool drive_in_real_time = true);
    /// The active source, or nullptr.
    Source* source() const { return source_.get(); }
    /// For sources not driven in real time: advance a clocked source to the clock's now.
    void pump();
    /// Drains the queue and filters; appends force readings in time order. Knee-angle samples
    /// are dropped (use the two-list poll for them).
    void poll(std::vector<ForceReading>& out);
    /// Drains the queue: force readings as above, and knee-angle samples (non-finite or
    /// physically impossible angles skipped and counted) into `angles`, each in time order.
    void poll(std::vector<ForceReading>& out, std::vector<AngleReading>& angles);
    /// Knee-angle samples skipped as impossible (not finite, or outside -30..180 degrees).
    std::uint64_t rejected_angles() const { return rejected_angles_; }
    /// Latest angle reading (zeroes before the first).
    const AngleReading& latest_angle() const { return latest_angle_; }

    /// Sets the calibration; the drift tracking starts over from its zero.
    void set_calibration(const Calibration& cal) {
        calibration_ = cal;
        drift_.reset();
    }
    void clear_calibration() {
        calibration_.reset();
        drift_.reset();
    }
    const std::optional<Calibration>& calibration() const { return calibration_; }

    /// Says whether the limb is known to be at rest now (the rests between holds). While it is,
    /// poll() watches the calibrated force for a steady stretch: within the drift threshold of
    /// the calibration zero the zero follows it (re-zero), beyond it the readings are flagged
    /// kFlagDriftWarning from then on (see DriftTracker). Without a calibration it does nothing.
    void set_at_rest(bool at_rest);
    /// True while the zero is known to have drifted past the threshold.
    bool drift_warning() const { return drift_.warning(); }
    /// Newtons the zero has been moved by re-zeroing at rest (tared_n uses zero_n + this).
    double zero_offset_n() const { return drift_.offset_n(); }
    /// The drift tracker, for the HUD, logs and tests.
    const DriftTracker& drift() const { return drift_; }
    /// Replaces the rest window and steadiness (the threshold comes from FilterParams).
    void set_drift_params(const DriftParams& params) { drift_.set_params(params); }

    /// Samples the queue could not take.
    std::uint64_t dropped() const { return queue_.dropped(); }
    const FilterStats& filter_stats() const { return filter_.stats(); }
    /// Latest reading (zeroes before the first).
    const ForceReading& latest() const { return latest_; }

  private:
    const Clock& clock_;
    SampleQueue queue_;
    ForceFilter filter_;
    std::unique_ptr<Source> source_;
    std::unique_ptr<SourceThread> thread_;
    std::optional<Calibration> calibration_;
    std::vector<Sample> scratch_;
    ForceReading latest_;
    std::vector<AngleReading> angle_scratch_;
    AngleReading latest_angle_;
    std::uint64_t rejected_angles_ = 0;
    DriftTracker drift_;
    bool at_rest_ = false;
    std::uint64_t dropped_seen_ = 0; ///< queue drops already marked with kFlagGapBefore
};

} // namespace qv::input
