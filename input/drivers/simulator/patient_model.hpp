#pragma once
// A virtual patient's quadriceps, as the simulator source plays it: reaction delay, a muscle-like
// rise and fall, tracking of a target with feedback, fatigue over repeated holds and recovery in
// rest, force noise whose spread grows with effort, and slow zero drift of the load cell.
// For controlled squats the same patient bends the knee after a target angle (with reaction
// delay, tracking lag, sensor noise and seeded habits: too fast, too deep, stopping halfway), and
// stands on a force pad whose reading follows the body's vertical acceleration.

#include "core/rng.hpp"
#include "core/sample.hpp"
#include "core/tuning.hpp"

#include <deque>

namespace qv::input {

/// What the game is asking the patient to do right now (what the screen shows).
struct PatientCue {
    enum class Kind {
        Relax,  ///< quad set: relax
        Hold,   ///< quad set: press with target_n
        Max,    ///< calibration: push as hard as possible
        Squat,  ///< controlled squat: stand, and bend the knee to target_angle_deg
        OffPad, ///< force-pad squats: step off the pad while its zero is taken (it reads no load)
    };
    Kind kind = Kind::Relax;
    double target_n = 0;         ///< tared force the screen asks for (Hold only)
    double target_angle_deg = 0; ///< Squat: knee flexion the moving target shows now
    double depth_deg = 0;        ///< Squat: the bottom of the current squat as shown
    bool chair = false; ///< Squat: sit-to-stand; a target of depth_deg means seated on the chair
    bool both_feet = false; ///< Squat: stand with both feet on the pad (body-weight measurement)
};

/// How the virtual patient does one squat.
enum class SquatBehaviour {
    Follow,      ///< tracks the target as shown
    TooFast,     ///< ignores the pace: own down and up of fast_tempo_s each
    TooDeep,     ///< aims deep_factor times the target
    StopHalfway, ///< stays at halfway_share of the depth until the next squat is cued
};

/// The chances that a squat is done in a faulty way (drawn per squat from the model's seed).
struct SquatHabits {
    double too_fast = 0;
    double too_deep = 0;
    double stop_halfway = 0;
    /// Standing on the pad, the body sways: the load swings by this % of body weight (a slow
    /// oscillation), so a body-weight measurement does not find a still window when it is large.
    double sway_pct = 0;
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

    /// The chances of faulty squats from now on (default: every squat follows the target).
    void set_squat_habits(const SquatHabits& habits) { habits_ = habits; }
    /// How the current (or last) squat is being done.
    SquatBehaviour squat_behaviour() const { return behaviour_; }
    /// Knee flexion now, degrees (without sensor noise).
    double true_angle_deg() const { return angle_deg_; }
    /// The knee-angle sensor's reading of the last step, degrees (with noise while squatting).
    double angle_reading_deg() const { return angle_reading_; }
    /// Force under the affected foot now, newtons (without offset and noise).
    double true_foot_load_n() const { return foot_n_; }

  private:
    // Moves the knee and the body for one step of a Squat cue.
    void step_squat(double dt, const PatientCue& cue);

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
    // squats
    SquatHabits habits_;
    SquatBehaviour behaviour_ = SquatBehaviour::Follow;
    double angle_deg_ = 0;
    double angle_reading_ = 0;
    double prev_target_deg_ = 0;
    double squat_t_s_ = 0; // time since the current squat's target left the top
    double com_d_ = 0;     // downward displacement of the centre of mass, m
    double com_v_ = 0;     // its velocity, m/s
    bool com_init_ = false;
    double foot_n_ = 0;
};

} // namespace qv::input
