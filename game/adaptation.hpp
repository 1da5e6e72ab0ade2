#pragma once
// The glue between the store and the adaptation engine: it rebuilds what the engine needs from
// what was stored (sessions, reps, pain, red flags), asks the engine for today's dose, and
// stores the decision with its reason and the engine's memory.

#include "engine/progression.hpp"
#include "engine/staircase.hpp"
#include "game/context.hpp"

#include <string>

namespace qv::game {

/// Today's prescription and why it is what it is.
struct TodayPlan {
    QuadSetDose dose;                   ///< what the outer loop prescribes today
    std::string reason;                 ///< the latest decision's one line, in the player's words
    bool locked = false;                ///< progression locked: contact the clinician
    engine::StaircaseParams stair;      ///< the inner loop's bounds for this dose
    engine::StaircaseState stair_state; ///< where the inner loop left off last time
};

/// Loads (creating from the content's default level when there is none) the profile's plan,
/// lets the outer loop decide on the sessions since its last decision, stores that decision and
/// the new state, and returns today's plan. Storage errors go to ctx.storage_error.
TodayPlan plan_today(Context& ctx);

/// Keeps the inner loop's state for the next session.
void save_staircase(Context& ctx, const engine::StaircaseState& state);

/// The day number (days since 1970-01-01 in local time) of an ISO 8601 UTC timestamp.
int local_day(const std::string& iso8601_utc);

/// The English-independent words of a decision, from the content texts ("reason.<code>").
std::string decision_text(const Context& ctx, const engine::Decision& decision);

} // namespace qv::game
