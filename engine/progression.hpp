#pragma once
// The outer loop (CLINICAL.md, "Adaptation engine"): between sessions it moves one dose variable
// by one step, only after two calm, completed, successful sessions; amber holds, red steps back,
// two reds within a week lock progression. The same rules serve quad sets (QuadSetDose: reps,
// hold, % MVC) and controlled squats (SquatDose: reps, depth): the types are templates over the
// dose with aliases per exercise (Decision, SquatDecision, ...). Every decision carries its inputs
// and a reason code with numbers; the words come from content (or from describe() for logs and the
// simulator).

#include "core/exercise.hpp"
#include "engine/pain.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace qv::engine {

/// A dose variable the outer loop may move.
enum class Variable : std::uint8_t {
    None,      ///< nothing moved
    Reps,      ///< volume: reps per set, then more sets (value = total reps per session)
    Hold,      ///< hold time, seconds; quad sets only
    Intensity, ///< centre of the target band, % MVC; quad sets only
    Depth,     ///< squat depth, degrees; not part of a quad-set dose (always "at cap" there)
};

/// What a decision does to the dose.
enum class Action : std::uint8_t {
    Progress, ///< one variable one step up
    Hold,     ///< same dose again
    StepBack, ///< one step back
    Lock,     ///< progression locked: contact the clinician (the dose may also step back)
    AtCap,    ///< every variable is at the plan's cap: same dose
};

/// Why. The game turns the code and the numbers into words from its texts.
enum class Reason : std::uint8_t {
    CalmTwoSessions,    ///< progress: two calm, completed, successful sessions
    AllAtCap,           ///< at cap: nothing left to progress within the plan
    NotEnoughSessions,  ///< hold: fewer sessions than needed so far (observed = count)
    AlreadyDecided,     ///< hold: no new session since the last decision
    LongBreak,          ///< hold: the sessions are too far apart (observed = days)
    PainAmber,          ///< hold: a session's light was amber (rule says which)
    MissingMorning,     ///< hold: a next-morning report is missing
    RecentRed,          ///< hold: the earlier session of the pair was red
    DoseNotCompleted,   ///< hold: a session did not complete the prescribed dose
    SuccessBelowTarget, ///< hold: success (observed) below the needed share (limit)
    PainRed,            ///< step back: the last session was red (rule says which)
    RedAtFloor,         ///< hold: red, but the dose is already at the ladder's floor
    TwoRedsInWeek,      ///< lock: a second red within the window (observed = reds)
    Locked,             ///< lock: still locked until the clinician unlocks
    AbovePlanCap,       ///< step back: the plan's caps were lowered below the dose
};

/// The plan's hard limits (the clinician's caps) and the ladder's floor.
struct PlanCaps {
    int max_sets = 3;
    int max_reps = 10;             ///< per set
    double max_hold_s = 10;        ///< seconds
    double max_band_high_pct = 50; ///< upper edge of the band, % MVC
    int min_sets = 1;              ///< floor
    int min_reps = 5;              ///< floor, per set
    double min_hold_s = 3;         ///< floor, seconds
    double min_band_low_pct = 10;  ///< floor of the band's lower edge, % MVC
    double max_band_low_pct = 0;   ///< cap on the band's lower edge, % MVC; 0 = no separate cap
};

/// Deepest squat any plan may prescribe, degrees of knee flexion (CLINICAL.md: never below 90).
inline constexpr double kMaxSquatDepthDeg = 90;

/// The squat plan's hard limits (the clinician's caps) and the ladder's floor.
struct SquatCaps {
    int max_sets = 3;
    int max_reps = 10;         ///< per set
    double max_depth_deg = 45; ///< the clinician's depth cap; it always wins (never above 90)
    int min_sets = 1;          ///< floor
    int min_reps = 5;          ///< floor, per set
    double min_depth_deg = 15; ///< floor of the depth, degrees
};

/// What the outer loop needs to know about a dose type: its caps and its rep score.
template <typename Dose> struct DoseTraits;
template <> struct DoseTraits<QuadSetDose> {
    using Caps = PlanCaps;
    using RepScore = QuadSetRepScore;
};
template <> struct DoseTraits<SquatDose> {
    using Caps = SquatCaps;
    using RepScore = SquatRepScore;
};
/// The caps of a dose type (PlanCaps for quad sets, SquatCaps for squats).
template <typename Dose> using CapsOf = typename DoseTraits<Dose>::Caps;

/// How the outer loop decides. Defaults are documented in docs/adaptation.md.
struct ProgressionParams {
    double success_target = 0.80;       ///< adults (same as the inner loop's target)
    double child_success_target = 0.85; ///< children
    double success_margin = 0.10;       ///< progress needs success >= target - margin
    double late_share = 1.0 / 3.0;      ///< the part of a set where fatigue excuses misses
    int sessions_needed = 2;            ///< calm sessions in a row before a step
    int max_gap_days = 7;               ///< sessions further apart do not count as "in a row"
    int red_lock_count = 2;             ///< this many reds ...
    int red_window_days = 7;            ///< ... less than this many days apart lock progression
    double volume_step = 0.10;          ///< total reps +10 % (at least one rep)
    double hold_step = 0.10;            ///< hold +10 %, rounded to whole seconds
    double min_hold_step_s = 1;         ///< at least one second
    double intensity_step = 0.10;       ///< band scaled by +10 % ...
    double min_intensity_step_pct = 1;  ///< ... and the centre moves at least 1 % MVC
    double depth_step_deg = 5;          ///< squat depth +5 degrees (never past the depth cap)
    /// Order in which variables progress: the first one not at its cap moves.
    std::vector<Variable> order = default_order();

    /// Reps, then hold, then % MVC, then depth (CLINICAL.md). Quad sets have no depth and squats
    /// no hold or % MVC: a variable a dose does not have is always "at cap" for it.
    static std::vector<Variable> default_order();
};

/// Everything the outer loop needs for one profile and exercise.
template <typename Dose> struct BasicEngineConfig {
    CapsOf<Dose> caps;
    ProgressionParams progression;
    PainThresholds pain;
    bool child = false; ///< children's pain thresholds and success target
};
using EngineConfig = BasicEngineConfig<QuadSetDose>;
using SquatEngineConfig = BasicEngineConfig<SquatDose>;

/// What one finished (or stopped, or skipped for a red flag) session tells the outer loop.
template <typename Dose> struct BasicSessionOutcome {
    int id = 0;             ///< increasing per session; a decision uses each session once
    int day = 0;            ///< day of the session (days since the plan started)
    Dose dose;              ///< the dose prescribed by the outer loop
    bool completed = false; ///< every prescribed rep of every set was done
    double success = 0;     ///< share of successful holds after fatigue excuses (0..1)
    PainReport pain;        ///< the ratings, baseline and trend; next morning filled in later
};
using SessionOutcome = BasicSessionOutcome<QuadSetDose>;
using SquatSessionOutcome = BasicSessionOutcome<SquatDose>;

/// Reps and successes of a session, with misses that fatigue explains left out.
struct SuccessSummary {
    int reps = 0;      ///< holds scored
    int successes = 0; ///< successful holds
    int excused = 0;   ///< late-set misses left out (fatigue)
    double share = 0;  ///< successes / (reps - excused); 0 without reps
};

/// Counts successes. In a set whose holds before its last third succeeded at least at `target`,
/// misses in the last third are excused (fatigue, not "too hard") and left out of the share.
SuccessSummary summarize_success(std::span<const QuadSetRepScore> reps, int reps_per_set,
                                 double target, double late_share = 1.0 / 3.0);
/// The same for squats (a late-set miss that fatigue explains is not "too hard" either).
SuccessSummary summarize_success(std::span<const SquatRepScore> reps, int reps_per_set,
                                 double target, double late_share = 1.0 / 3.0);

/// The outer loop's memory between sessions; store it with the profile.
template <typename Dose> struct BasicProgressionState {
    Dose dose;                       ///< the dose of the next session
    bool locked = false;             ///< progression locked until the clinician unlocks
    std::vector<int> red_days;       ///< days of recent red sessions
    std::vector<Dose> undo;          ///< doses before each progression not yet stepped back
    std::vector<Variable> undo_vars; ///< the variable each of those progressions moved
    int last_session_id = -1;        ///< the newest session a decision has used
};
using ProgressionState = BasicProgressionState<QuadSetDose>;
using SquatProgressionState = BasicProgressionState<SquatDose>;

/// The inputs a decision used, stored with it.
template <typename Dose> struct BasicDecisionInputs {
    int today = 0;
    std::vector<BasicSessionOutcome<Dose>> sessions; ///< the sessions looked at, oldest first
    std::vector<LightVerdict> lights;                ///< the light of each of them
    int reds_in_window = 0;                          ///< reds within the window, this one included
    double success_needed = 0;                       ///< target - margin
    bool was_locked = false;
    CapsOf<Dose> caps;
};
using DecisionInputs = BasicDecisionInputs<QuadSetDose>;

/// One decision of the outer loop: the action, the variable and its values, the reason with its
/// numbers, the doses before and after, and every input used.
template <typename Dose> struct BasicDecision {
    Action action = Action::Hold;
    Reason reason = Reason::NotEnoughSessions;
    Variable variable = Variable::None;
    double from = 0;     ///< value of `variable` before (see Variable for units)
    double to = 0;       ///< and after
    double observed = 0; ///< the number the reason is about (success, days, reds, rating)
    double limit = 0;    ///< what it was compared with
    PainRule rule = PainRule::Calm; ///< for pain reasons: the traffic-light rule
    Dose dose_before;
    Dose dose_after;
    bool locked = false; ///< progression is locked after this decision
    BasicDecisionInputs<Dose> inputs;
};
using Decision = BasicDecision<QuadSetDose>;
using SquatDecision = BasicDecision<SquatDose>;

/// The value of `variable` in `dose` (total reps, seconds, % MVC centre; 0 for Depth).
double variable_value(const QuadSetDose& dose, Variable variable);
/// One step up of `variable`, never past the caps (returns `dose` when already at the cap).
QuadSetDose step_up(const QuadSetDose& dose, Variable variable, const PlanCaps& caps,
                    const ProgressionParams& params);
/// One step down of `variable`, never below the floor (returns `dose` when at the floor).
QuadSetDose step_down(const QuadSetDose& dose, Variable variable, const PlanCaps& caps,
                      const ProgressionParams& params);
/// True when `variable` cannot go up any more.
bool at_cap(const QuadSetDose& dose, Variable variable, const PlanCaps& caps,
            const ProgressionParams& params);
/// The variable the next progression moves, or nullopt when every one is at its cap.
std::optional<Variable> next_variable(const QuadSetDose& dose, const PlanCaps& caps,
                                      const ProgressionParams& params);
/// The dose brought inside the caps and above the floor (band scaled, never widened).
QuadSetDose clamp_to_plan(const QuadSetDose& dose, const PlanCaps& caps);

/// The value of `variable` in a squat dose (total reps, depth in degrees; 0 for Hold and
/// Intensity, which squats do not have).
double variable_value(const SquatDose& dose, Variable variable);
/// One squat step up: volume as for quad sets (+10 %, as few sets as fit the cap on reps, never
/// past the cap on sets), depth + depth_step_deg never past the depth cap (the smallest of the
/// plan's, the dose's own and 90 degrees). Returns `dose` when already at the cap.
SquatDose step_up(const SquatDose& dose, Variable variable, const SquatCaps& caps,
                  const ProgressionParams& params);
/// One squat step down, never below the floor (returns `dose` when at the floor).
SquatDose step_down(const SquatDose& dose, Variable variable, const SquatCaps& caps,
                    const ProgressionParams& params);
/// True when `variable` of a squat dose cannot go up any more.
bool at_cap(const SquatDose& dose, Variable variable, const SquatCaps& caps,
            const ProgressionParams& params);
/// The variable the next squat progression moves (reps, then depth), or nullopt at every cap.
std::optional<Variable> next_variable(const SquatDose& dose, const SquatCaps& caps,
                                      const ProgressionParams& params);
/// The squat dose inside the caps and above the floor; its depth cap becomes the smallest of its
/// own, the plan's and 90 degrees, and the depth never passes it.
SquatDose clamp_to_plan(const SquatDose& dose, const SquatCaps& caps);

/// Decides the next dose from the sessions so far (`recent`, oldest first; only the newest
/// `sessions_needed` are looked at). Pure: the state is not changed (see apply()).
Decision decide(const ProgressionState& state, std::span<const SessionOutcome> recent, int today,
                const EngineConfig& config);
/// The same rules for controlled squats: progress reps, then depth.
SquatDecision decide(const SquatProgressionState& state,
                     std::span<const SquatSessionOutcome> recent, int today,
                     const SquatEngineConfig& config);
/// The state after `decision` (dose, lock, red days, undo stack, last session used).
ProgressionState apply(const ProgressionState& state, const Decision& decision);
/// The same for squats.
SquatProgressionState apply(const SquatProgressionState& state, const SquatDecision& decision);

/// The outer loop of one exercise: owns its configuration and state.
template <typename Dose> class BasicOuterLoop {
  public:
    /// Starts at `start` brought inside the plan.
    BasicOuterLoop(BasicEngineConfig<Dose> config, const Dose& start);
    /// Continues from a stored state.
    BasicOuterLoop(BasicEngineConfig<Dose> config, BasicProgressionState<Dose> state);

    /// Decides and applies the dose of the next session.
    BasicDecision<Dose> decide(std::span<const BasicSessionOutcome<Dose>> recent, int today);
    /// The clinician lifts a lock; the red history starts afresh.
    void unlock();
    /// The dose of the next session.
    const Dose& dose() const { return state_.dose; }
    /// The state to store.
    const BasicProgressionState<Dose>& state() const { return state_; }
    /// The configuration in use.
    const BasicEngineConfig<Dose>& config() const { return config_; }

  private:
    BasicEngineConfig<Dose> config_;
    BasicProgressionState<Dose> state_;
};
using OuterLoop = BasicOuterLoop<QuadSetDose>;
using SquatOuterLoop = BasicOuterLoop<SquatDose>;
extern template class BasicOuterLoop<QuadSetDose>;
extern template class BasicOuterLoop<SquatDose>;

} // namespace qv::engine
