#include "game/child_mode.hpp"

#include "game/gfx.hpp"

#include <algorithm>
#include <cmath>

namespace qv::game {

EffortSummary summarize_effort(const Context& ctx) {
    const auto& d = ctx.draft;
    EffortSummary e;
    e.stopped_for_pain = d.stopped_for_pain;
    e.stopped_red_flag = d.stopped_red_flag;
    if (d.exercise == "squat") {
        e.squat = true;
        for (const auto& r : d.squat_reps) {
            ++e.attempted;
            e.done += r.success ? 1 : 0;
            e.at_tempo += r.tempo_ok ? 1 : 0;
            e.seconds += r.time_in_corridor_s;
        }
        return e;
    }
    double cv = 0;
    int in_band = 0;
    for (const auto& r : d.reps) {
        ++e.attempted;
        e.done += r.success ? 1 : 0;
        e.seconds += r.time_in_band_s;
        if (r.mean_pct > 0) {
            cv += r.steadiness_cv;
            ++in_band;
        }
    }
    if (in_band > 0) {
        const double zero = ctx.content.tuning.quadset.steadiness_zero_cv;
        e.steadiness = std::clamp(100.0 * (1.0 - cv / in_band / zero), 0.0, 100.0);
    }
    return e;
}

std::vector<std::string> praise_lines(const Context& ctx, const EffortSummary& e) {
    std::vector<std::string> out;
    if (e.stopped_red_flag) {
        out.push_back(ctx.t("child.praise.red_flag"));
    } else if (e.stopped_for_pain) {
        out.push_back(ctx.t("child.praise.pain_stop"));
    }
    const std::string kind = e.squat ? "child.praise.squat." : "child.praise.hold.";
    if (e.done == 1) {
        out.push_back(ctx.t(kind + "done_one"));
    } else if (e.done > 1) {
        out.push_back(ctx.tf(kind + "done", e.done));
    } else if (e.attempted > 0) {
        out.push_back(ctx.tf(kind + "tried", e.attempted));
    }
    const auto seconds = std::lround(e.seconds);
    if (seconds >= 1) {
        out.push_back(ctx.tf(kind + "seconds", seconds));
    }
    if (e.squat) {
        if (e.at_tempo > 0) {
            out.push_back(ctx.tf("child.praise.squat.tempo", e.at_tempo));
        }
    } else if (e.steadiness >= 0) {
        const auto& c = ctx.content.tuning.child;
        out.push_back(ctx.t(e.steadiness >= c.praise_very_steady_pct ? "child.praise.very_steady"
                            : e.steadiness >= c.praise_steady_pct    ? "child.praise.steady"
                                                                     : "child.praise.wobbly"));
    }
    return out;
}

void draw_token(Gfx& gfx, float cx, float cy, float r) {
    gfx.circle(cx, cy, r, palette::accent);
    gfx.circle(cx, cy, r * 0.86f, palette::paper);
    gfx.star(cx, cy + r * 0.04f, r * 0.72f, palette::gold);
}

} // namespace qv::game
