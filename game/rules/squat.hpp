#pragma once
// The rules of a controlled-squat session, independent of graphics: the paced trajectory a
// player follows, a get-ready countdown, squats detected from the signal (not from the clock
// alone), guided rests, sets, scoring against the trajectory, the clinician's depth cap, and
// stops. Fed with readings in time order (knee flexion in degrees, or % body weight on the
// affected leg); reports what happened as events. How each mode detects a squat and what the
// force-pad modes cannot know: docs/squats.md.

#include "core/exercise.hpp"
#include "core/sample.hpp"
#include "core/tuning.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace qv::rules {

/// Where a squat's trajectory is at a moment.
enum class TrajectoryPhase {
    Down,  ///< bending (knee-angle and load-share); sitting down (sit-to-stand)
    Pause, ///< at the bottom; standing (sit-to-stand)
    Up,    ///< straightening; standing up (sit-to-stand)
    Done,  ///< the trajectory has ended
};

/// The paced movement of one squat, built from a dose: down over down_s with a minimum-jerk
/// profile, hold for pause_s, back up over up_s. The depth is the dose's depth limited by the
/// clinician's cap. Sit-to-stand starts seated: up first, then standing (pause), then down.
class SquatTrajectory {
  public:
    /// `load_target_pct` is the target share of body weight in the force-pad modes; the depth
    /// stays `cap_clearance_deg` below the cap (at most half the cap).
    SquatTrajectory(const SquatDose& dose, SquatMode mode, double load_target_pct = 50.0,
                    double cap_clearance_deg = 0.0);

    /// Length of one squat, seconds.
    double duration_s() const { return down_s_ + pause_s_ + up_s_; }
    /// The depth the trajectory goes to: min(depth_deg, depth_cap_deg - clearance), degrees.
    double depth_deg() const { return depth_; }
    SquatMode mode() const { return mode_; }
    /// How deep the movement is `t_s` into the squat: 0 at the top (standing), 1 at the bottom
    /// (or seated). The game paces the tempo with it in every mode.
    double depth_profile_at(double t_s) const;
    /// Knee flexion the trajectory asks for at `t_s`, degrees (depth_profile_at x depth).
    double angle_at(double t_s) const { return depth_ * depth_profile_at(t_s); }
    /// The tracked target at `t_s`: flexion in degrees in knee-angle mode; in the force-pad modes
    /// the even-loading share of body weight (constant).
    double target_at(double t_s) const;
    /// The phase at `t_s` (Done at and after duration_s()).
    TrajectoryPhase phase_at(double t_s) const;
    /// First time the flexion reaches `deg` on the way down (knee-angle order); 0 when deg <= 0.
    double time_down_to(double deg) const;
    /// Time on the way up at which the flexion is back down to `deg`; duration_s() when deg <= 0.
    double time_up_to(double deg) const;

  private:
    SquatMode mode_;
    double depth_ = 0;
    double down_s_ = 0;
    double pause_s_ = 0;
    double up_s_ = 0;
    double load_target_ = 50;
};

/// Where the session is.
enum class SquatPhase {
    GetReady, ///< countdown before a set's first squat
    Rep,      ///< a squat is cued: follow the trajectory
    Rest,     ///< guided rest between squats (skipped when rest_s is 0)
    SetRest,  ///< longer rest between sets
    Done,     ///< all sets finished or the session was stopped
};

/// Something the game may want to react to (sound, particles, storage).
struct SquatEvent {
    enum class Kind {
        RepCued,    ///< a Rep phase began: the trajectory starts moving
        RepStarted, ///< the squat was detected (paced modes: the window opened)
        EnteredCorridor,
        LeftCorridor,
        DepthCapExceeded, ///< flexion passed the clinician's cap; `value` holds it
        RepCompleted,     ///< rep scored; `rep` holds the score (success or not)
        RestEnded,
        SetCompleted, ///< `set_index` finished (or stopped early: see stop_reason())
        SessionCompleted,
    };
    Kind kind;
    int set_index = 0;
    int rep_index = 0;
    std::optional<SquatRepScore> rep;
    double value = 0;
};

/// One session of controlled squats at a fixed dose. Not thread-safe.
///
/// Readings: knee flexion in degrees (KneeAngle), or % body weight under the affected foot
/// (LoadShare, SitToStand; see load_share_pct()). Non-finite readings are skipped and counted.
class SquatSession {
  public:
    SquatSession(const SquatDose& dose, SquatMode mode, const SquatRuleParams& params);

    /// Feeds one reading. The first call starts the clock of the session.
    void update(Micros t_us, double value);

    /// Ends the current set now (e.g. pain). Its unfinished rep is not scored. Moves on to the
    /// set rest (or Done when it was the last set, or when `end_session`).
    void stop_set(const std::string& reason, bool end_session);

    /// Changes the corridor half-width and the tempo tolerance (the inner loop's precision
    /// knobs). Take effect at once between squats, or from the next squat when one is cued.
    /// Values that are not positive and finite are ignored.
    void set_precision(double corridor, double tempo_tol_s);

    /// Events since the last call, in order.
    std::vector<SquatEvent> take_events();

    SquatPhase phase() const { return phase_; }
    SquatMode mode() const { return mode_; }
    int set_index() const { return set_; }
    int rep_index() const { return rep_; }
    const SquatDose& dose() const { return dose_; }
    const SquatTrajectory& trajectory() const { return traj_; }
    /// Seconds into the current squat's trajectory as the screen shows it: since the Rep phase
    /// began (the cue). 0 outside a Rep.
    double rep_time_s() const;
    /// The trajectory time the rules score against: in knee-angle mode, once the squat is
    /// detected, shifted so the trajectory's start crossing meets the detected one (reaction
    /// time is not tracking error); otherwise rep_time_s().
    double aligned_time_s() const;
    /// What the screen shows the player should be at now (degrees, or % body weight).
    double target_now() const;
    /// Half-width of the corridor around the target, in the tracked unit.
    double corridor() const { return dose_.corridor; }
    /// Inside the corridor right now (with hysteresis), around the aligned target.
    bool in_corridor() const { return in_corridor_; }
    /// True once the current squat has been detected from the signal.
    bool rep_detected() const { return detected_; }
    double depth_cap_deg() const { return dose_.depth_cap_deg; }
    /// The latest reading.
    double value_now() const { return last_value_; }
    /// Seconds left in GetReady, Rest or SetRest; in a Rep, of the trajectory.
    double phase_remaining_s() const;

    /// Scores of every rep so far, in order.
    const std::vector<SquatRepScore>& reps() const { return reps_; }
    /// Why set `set_index` stopped early; empty when it ran as planned or has not finished.
    std::string stop_reason(int set_index) const;
    /// True when a stop ended the session early.
    bool stopped_early() const { return stopped_session_; }
    /// Stars 0..3 for everything done so far (see SquatRuleParams).
    int stars() const;
    /// Depth-cap crossings in the whole session, in or out of a squat.
    int violations() const { return total_violations_; }
    /// Readings skipped because they were not finite.
    int rejected_readings() const { return rejected_; }

  private:
    struct Point {
        double t_s; // seconds after the detected start (or the window start)
        double v;
    };
    enum class SitState { WaitSeated, Seated, Rising, Standing, Lowering };

    void enter(SquatPhase phase, Micros t_us);
    void advance_to(Micros t_us);
    Micros phase_end() const;
    void end_set(Micros t_us, bool end_session);
    void finish_rep(Micros t_us, bool completed);
    void emit(SquatEvent::Kind kind, std::optional<SquatRepScore> rep = std::nullopt,
              double value = 0);
    bool counting() const;
    void set_corridor_state(bool now_in);
    void update_corridor(double value, double target);
    void check_cap(double value);
    void apply_knee(Micros t_us, double value);
    void apply_load(Micros t_us, double value);
    void apply_sit(Micros t_us, double value);
    void add_error(double value, double target);
    SquatRepScore score_knee(Micros t_end, bool completed) const;
    Micros crossing(Micros t_us, double value, double level) const;
    double start_deg() const;
    double top_deg() const;
    // Trajectory time of a moment t_rel_s after the detected start (knee-angle mode).
    double aligned_from_detect(double t_rel_s) const;

    SquatDose dose_;
    SquatMode mode_;
    SquatRuleParams p_;
    SquatTrajectory traj_;
    SquatPhase phase_ = SquatPhase::GetReady;
    int set_ = 0;
    int rep_ = 0;
    bool started_ = false;
    Micros now_ = 0;
    Micros phase_start_ = 0;
    Micros last_t_ = 0;
    double last_value_ = 0;
    int rejected_ = 0;

    // the current rep
    bool detected_ = false;
    bool armed_ = false;     // knee: has been at the top during this Rep phase
    Micros t_detect_ = 0;    // detected start (interpolated crossing)
    double t_cross_s_ = 0;   // where the trajectory crosses the start threshold
    bool mid_found_ = false; // the squat has passed half the depth ...
    double t_mid_s_ = 0;     // ... this long after the detected start
    bool in_corridor_ = false;
    double time_in_corridor_s_ = 0;
    double sq_err_sum_ = 0;
    int err_n_ = 0;
    double peak_ = 0;
    int rep_violations_ = 0;
    std::vector<Point> points_;
    // force-pad modes
    double ema_ = 0;
    bool ema_init_ = false;
    double baseline_ = 0;
    bool dip_seen_ = false;
    double trough_ = 0; // load share: the lowest smoothed share since the dip
    bool moved_ = false;
    SitState sit_ = SitState::WaitSeated;
    Micros t_stand_ = 0;
    Micros t_leave_high_ = 0;

    // depth cap
    bool cap_armed_ = true;
    int total_violations_ = 0;

    std::vector<SquatRepScore> reps_;
    std::optional<std::pair<double, double>> pending_precision_;
    std::vector<std::string> stop_reasons_;
    std::vector<SquatEvent> events_;
    bool stopped_session_ = false;
};

/// Measures body weight from the force pad while the person stands still with both feet on it
/// (before stepping the other foot onto the floor for the squats): the mean of the first window of
/// bw_window_s whose standard deviation is at most bw_max_sd_pct of its mean and whose mean is
/// plausible. Fed with tared newtons in time order.
class BodyWeightProcedure {
  public:
    enum class State { Measuring, Done, Failed };
    enum class Failure { None, Timeout, Implausible };

    explicit BodyWeightProcedure(const SquatRuleParams& params);
    /// Feeds one tared force reading. Ignored once Done or Failed; non-finite values skipped.
    void update(Micros t_us, double force_n);
    State state() const { return state_; }
    /// Why it failed (Timeout: never still long enough; Implausible: still, but outside
    /// bw_min_n..bw_max_n until the timeout).
    Failure failure() const { return failure_; }
    /// The body weight, newtons (0 until Done).
    double body_weight_n() const { return body_weight_n_; }
    /// 0..1: how much of the current still window is filled.
    double progress() const;

  private:
    SquatRuleParams p_;
    State state_ = State::Measuring;
    Failure failure_ = Failure::None;
    bool started_ = false;
    bool implausible_seen_ = false;
    Micros t0_ = 0;
    std::vector<std::pair<Micros, double>> window_;
    double body_weight_n_ = 0;
};

/// Tared force under the affected foot as % of body weight (0 when the body weight is unknown).
double load_share_pct(double force_n, double body_weight_n);

} // namespace qv::rules
