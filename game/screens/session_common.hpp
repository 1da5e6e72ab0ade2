#pragma once
// What every exercise's play screen does the same way around its own rules: opening the session
// record with the check-in answers, writing pain ratings and in-session red flags, and watching
// the storage thread's commits. Quad sets and squats share these so the safety rules cannot drift
// apart between games.

#include "game/context.hpp"

#include <string>

namespace qv::game {

/// Inserts the session (source identity, calibration, level) with its "before" pain and the
/// check-in; sets ctx.draft.session_id. Errors go to ctx.storage_error.
void begin_session_record(Context& ctx, const std::string& level_id);

/// Stores a pain rating taken during play on the scale the profile uses.
void record_pain_during(Context& ctx, const std::string& scale, int score);

/// Stores "my knee gave way" as an in-session red flag of the current session.
void record_gave_way(Context& ctx);

/// Collects finished set commits; a failed one is shown in the banner.
void check_commits(Context& ctx);

} // namespace qv::game
