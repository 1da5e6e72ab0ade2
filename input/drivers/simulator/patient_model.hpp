#pragma once
// A virtual patient's quadriceps, as the simulator source plays it: reaction delay, a muscle-like
// rise and fall, tracking of a target with feedback, fatigue over repeated holds and recovery in
// rest, force noise whose spread grows with effort, and slow zero drift of the load cell.

#include "core/rng.hpp"
#include "core/sample.hpp"
#include "core/tuning.hpp"

#include <deque>

namespace qv::input {

/// What the game is asking the patient to do right now (what the screen shows).
struct PatientCue {
    enum class Kind { Relax, Hold, Max };
    Kind kind = Kind::Relax;
    double target_n = 0; ///< tared force the screen asks for (Hold only)
};

/// Deterministic for a given seed and sequence of cues and times.
class PatientModel {
  public:
    PatientModel(const SimPatientParams& params, std::uint64_t seed);
    /// Moves the model forward by dt_s under `cue` and returns the raw load-cell reading, newtons
    /// (includes the drifting zero offset and noise).
    double step(double dt_s, const PatientCue& cue);
    /// 0..1: remaining share of capacity (1 = fresh).
    double capacity() const { return capacity_; }
    /// The load cell's current zero offset, newtons.
    double zero_offset_n() const { return drift_n_; }
    /// Force the muscle produces now (without sensor offset and noise), newtons.
    double true_force_n() const { return force_n_; }

  private:
    SimPatientParams p_;
    Rng rng_;
    double t_s_ = 0;
    double force_n_ = 0;
    double capacity_ = 1.0;
    double drift_n_ = 0;
    double tracking_bias_ = 0;
    std::deque<std::pair<double, PatientCue>> pending_; // cues waiting out the reaction delay
    PatientCue active_;
    PatientCue last_seen_;
    bool have_seen_ = false;
};

} // namespace qv::input
