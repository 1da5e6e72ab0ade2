#pragma once
// The glue between the store and the adaptation engine: it rebuilds what the engine needs from
// what was stored (sessions, reps, pain, red flags), asks the engine for today's dose, and
// stores the decision with its reason and the engine's memory.

#include "engine/progression.hpp"
#include "engine/staircase.hpp"
#include "game/context.hpp"
#include "profiles/squat_store.hpp"

#include <string>

namespace qv::game {

/// How a child's dose was fitted into short levels (docs/child-mode.md). A child's level is one
/// set: the get-ready countdown, the holds (or squats) and the rests between them.
struct ChildFit {
    bool applied = false;   ///< the profile is a child's: the dose below was fitted
    double level_s = 0;     ///< planned length of one level, seconds
    bool shortened = false; ///< fewer holds per level than the plan, to stay under max_level_s
    bool joined = false;    ///< sets joined into longer levels (never more holds in all)
    bool below_min = false; ///< the clinician's plan keeps a level shorter than min_level_s
};

/// The planned length of one level (set) of quad sets: get ready, holds, rests between holds.
double level_seconds(const QuadSetDose& dose, double get_ready_s);
/// The same for squats: get ready, each squat's down, pause and up, rests between squats.
double level_seconds(const SquatDose& dose, double get_ready_s);

/// A child's quad-set dose: each level (set) planned to last min_level_s..max_level_s of
/// tuning [child]. Too long: the rest between holds is cut to max_rest_s, then holds per level
/// are fewer. Too short: sets are joined into longer levels (never more holds in all, never
/// more per set than `cap_reps`), then rests between holds grow up to max_rest_s. The rest
/// between levels is held within min_set_rest_s..max_set_rest_s. Hold time, % MVC and the band
/// never change and no cap is crossed, so the clinician's caps win over the shortest level.
QuadSetDose child_quadset_dose(const QuadSetDose& dose, int cap_reps,
                               const content::ChildParams& child, double get_ready_s,
                               ChildFit* fit = nullptr);
/// The same for a child's squats (each squat's tempo, depth and corridor never change).
SquatDose child_squat_dose(const SquatDose& dose, int cap_reps, const content::ChildParams& child,
                           double get_ready_s, ChildFit* fit = nullptr);
/// The dose to play: child_quadset_dose for a child's profile, else `dose` unchanged.
QuadSetDose dose_for_profile(const Context& ctx, const QuadSetDose& dose, int cap_reps,
                             ChildFit* fit = nullptr);

/// Today's prescription and why it is what it is.
struct TodayPlan {
    QuadSetDose dose;                   ///< what the outer loop prescribes today
    std::string reason;                 ///< the latest decision's one line, in the player's words
    bool locked = false;                ///< progression locked: contact the clinician
    engine::StaircaseParams stair;      ///< the inner loop's bounds for this dose
    engine::StaircaseState stair_state; ///< where the inner loop left off last time
    ChildFit child;                     ///< how a child's dose was fitted into short levels
    int cap_reps = 0;                   ///< the plan's cap on holds per set
};

/// Today's controlled-squat prescription and why it is what it is.
struct SquatTodayPlan {
    /// What the outer loop prescribes today (sets, reps, depth within the clinician's depth cap,
    /// tempo, rests), with the inner loop's two knobs (corridor, tempo_tol_s) already set from
    /// stair_state. Corridor and set rest come from the plan's squat level in content.
    SquatDose dose;
    std::string level_id;                    ///< the squat level the plan started from
    std::string reason;                      ///< the latest squat decision's one line
    bool locked = false;                     ///< progression locked (per profile, with quad sets)
    bool enabled = true;                     ///< squats are part of the plan (squat_enabled)
    engine::SquatStaircaseParams stair;      ///< the inner loop's bounds; in the force-pad modes
                                             ///< set stair.tempo_measured = false before use
    engine::SquatStaircaseState stair_state; ///< where the inner loop left off last time
    ChildFit child;                          ///< how a child's squats were fitted into levels
};

/// Loads (creating from the content's default level when there is none) the profile's plan,
/// lets the outer loop decide on the sessions since its last decision, stores that decision and
/// the new state, and returns today's plan (for a child, its dose fitted into short levels by
/// dose_for_profile; the stored plan keeps the unfitted dose). Storage errors go to
/// ctx.storage_error.
TodayPlan plan_today(Context& ctx);

/// Keeps the inner loop's state for the next session.
void save_staircase(Context& ctx, const engine::StaircaseState& state);

/// plan_today for controlled squats: loads the profile's squat plan (creating it from the
/// content's squat_default_level, capped at squat_max_level_without_plan, when there is none),
/// rebuilds the recent squat sessions' outcomes from squat_sets_of and the pain entries, lets the
/// outer loop decide (reps, then depth; never past cap_sets, cap_reps or the depth cap), stores
/// the decision (variables "squat_reps", "squat_depth") with its reason and the engine's state,
/// and returns today's squat plan. The lock is shared with quad sets (the profile's plan): a lock
/// decided here locks the plan, and reds of either exercise count toward it. Storage errors go
/// to ctx.storage_error. A child's squats are fitted into short levels (child_squat_dose).
SquatTodayPlan plan_squats_today(Context& ctx);

/// Keeps the squat inner loop's state (both staircases) for the next session.
void save_squat_staircases(Context& ctx, const engine::SquatStaircaseState& state);

/// The profile's squat plan when none was saved: the content's default squat level, caps from
/// the highest squat level allowed without a clinician's plan (depth cap at most its depth).
profiles::SquatPlanRecord default_squat_plan(const Context& ctx, std::int64_t profile_id);

/// The profile's pain thresholds for the traffic light: its plan's (PlanRecord::thresholds),
/// each one not set there from tuning ([adaptation], and [pain] stop_set_at as the red line).
engine::PainThresholds pain_thresholds_for(const Context& ctx);

/// The in-session stop lines of the current profile: its plan's stop_set_at and stop_session_at
/// when set, else tuning's [pain]. The play screens use these, never tuning directly.
PainRuleParams pain_rules_for(const Context& ctx);

/// The day number (days since 1970-01-01 in local time) of an ISO 8601 UTC timestamp.
int local_day(const std::string& iso8601_utc);

/// The English-independent words of a decision, from the content texts ("reason.<code>").
std::string decision_text(const Context& ctx, const engine::Decision& decision);
/// The same for a squat decision ("reason.squat.<code>" when the texts have it, else
/// "reason.<code>"; changes from "reason.squat_change.*").
std::string decision_text(const Context& ctx, const engine::SquatDecision& decision);

} // namespace qv::game
