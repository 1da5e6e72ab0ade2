#pragma once
// Child mode's pieces that several screens share (docs/child-mode.md): the praise that says
// what the child actually did, and the token every finished session, and every stop for pain,
// earns. The tokens themselves are counted from the store (game/progress.hpp, count_tokens).

#include "game/context.hpp"

#include <string>
#include <vector>

namespace qv::game {

class Gfx;

/// What a child did in the session just played, in numbers (from ctx.draft).
struct EffortSummary {
    bool squat = false;
    int attempted = 0;      ///< holds (or squats) tried
    int done = 0;           ///< holds completed (squats on the path)
    double seconds = 0;     ///< quad sets: seconds in the band; squats: seconds on the path
    double steadiness = -1; ///< quad sets: 0..100 %, -1 when never in the band
    int at_tempo = 0;       ///< squats at the right speed
    bool stopped_for_pain = false;
    bool stopped_red_flag = false;
};

/// The summary of ctx.draft's reps (steadiness as the results screen computes it).
EffortSummary summarize_effort(const Context& ctx);

/// Informative praise for a child: one short sentence per thing actually done (how many holds,
/// how long, how steady; for squats how many and how many at the right speed), never a score.
/// A stop for pain or a red flag leads with why stopping was right.
std::vector<std::string> praise_lines(const Context& ctx, const EffortSummary& effort);

/// The child's token: a gold star on a round badge, the same for finishing and for stopping
/// when it hurt. Centred at cx, cy with radius r.
void draw_token(Gfx& gfx, float cx, float cy, float r);

} // namespace qv::game
