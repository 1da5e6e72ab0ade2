#pragma once
// Load-cell zero drift (SENSORS.md: HX711 warm-up and zero drift): at moments when the limb is
// known to be at rest (the rests between holds), a steady stretch of force shows where the zero
// is now. A small offset from the calibration zero is drift the game absorbs by re-zeroing; an
// offset beyond the threshold is not absorbed silently: the readings are flagged
// kFlagDriftWarning until a later rest is back within the threshold (or a new calibration).
// Pure computation; the hub owns one.

#include "core/sample.hpp"

#include <utility>
#include <vector>

namespace qv::input {

/// When the tracker re-zeroes and when it warns.
struct DriftParams {
    double threshold_n = 8; ///< offset from the calibration zero above which it warns
    double window_s = 1.5;  ///< how long the force must be steady to count as a rest level
    double max_sd_n = 3;    ///< largest standard deviation over the window that is "steady"
};

/// Follows the zero of one force channel across rests.
class DriftTracker {
  public:
    /// What a rest sample led to.
    enum class Verdict {
        None,     ///< not a full steady window yet
        Rezeroed, ///< a steady window within the threshold: the zero now follows it
        Drifted,  ///< a steady window beyond the threshold: warning raised, zero kept
    };

    explicit DriftTracker(const DriftParams& params) : p_(params) {}

    /// Feeds a filtered (untared) force sample taken while the limb is known to be at rest.
    /// `calibration_zero_n` is the zero the calibration measured.
    Verdict feed_rest(Micros t_us, double filtered_n, double calibration_zero_n);
    /// The rest is over: the next rest starts a new window.
    void end_rest() { window_.clear(); }
    /// Newtons to add to the calibration zero (the re-zero so far; 0 until the first).
    double offset_n() const { return offset_n_; }
    /// The offset of the latest steady rest window from the calibration zero.
    double last_rest_offset_n() const { return last_rest_offset_n_; }
    /// True from a steady rest beyond the threshold until one within it.
    bool warning() const { return warning_; }
    /// Rest windows that re-zeroed, and that warned, since the last reset.
    int rezeroes() const { return rezeroes_; }
    int warnings() const { return warnings_; }
    /// Forgets everything (a new calibration or a new source).
    void reset();
    const DriftParams& params() const { return p_; }
    void set_params(const DriftParams& params) { p_ = params; }

  private:
    DriftParams p_;
    std::vector<std::pair<Micros, double>> window_;
    double offset_n_ = 0;
    double last_rest_offset_n_ = 0;
    bool warning_ = false;
    int rezeroes_ = 0;
    int warnings_ = 0;
};

} // namespace qv::input
