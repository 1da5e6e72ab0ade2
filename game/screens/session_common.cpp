#include "game/screens/session_common.hpp"

#include "core/log.hpp"

#include <algorithm>
#include <chrono>

namespace qv::game {

void begin_session_record(Context& ctx, const std::string& level_id) {
    const auto* src = ctx.input.source();
    profiles::SessionRecord s;
    s.profile_id = ctx.profile->id;
    s.started_at = profiles::now_iso8601();
    if (src != nullptr) {
        s.source = src->identity();
    }
    s.calibration_id = ctx.draft.calibration ? ctx.draft.calibration->id : 0;
    s.level_id = level_id;
    auto id = ctx.store.begin_session(s);
    if (!id) {
        ctx.storage_error = id.error().message;
        return;
    }
    ctx.draft.session_id = id.value();
    profiles::PainEntry pain;
    pain.profile_id = ctx.profile->id;
    pain.session_id = id.value();
    pain.moment = profiles::PainMoment::Before;
    pain.scale = ctx.draft.pain_scale;
    pain.score = std::max(0, ctx.draft.pain_before);
    pain.recorded_at = s.started_at;
    if (auto r = ctx.store.add_pain(pain); !r) {
        ctx.storage_error = r.error().message;
    }
    if (!ctx.draft.morning_vs_usual.empty()) {
        if (auto r = ctx.store.add_checkin({id.value(), ctx.draft.morning_vs_usual}); !r) {
            ctx.storage_error = r.error().message;
        }
    }
}

void record_pain_during(Context& ctx, const std::string& scale, int score) {
    profiles::PainEntry pain;
    pain.profile_id = ctx.profile->id;
    pain.session_id = ctx.draft.session_id;
    pain.moment = profiles::PainMoment::During;
    pain.scale = scale;
    pain.score = score;
    pain.recorded_at = profiles::now_iso8601();
    if (auto r = ctx.store.add_pain(pain); !r) {
        ctx.storage_error = r.error().message;
    }
}

void record_gave_way(Context& ctx) {
    profiles::RedFlagCheck check;
    check.profile_id = ctx.profile->id;
    check.session_id = ctx.draft.session_id;
    check.moment = "in_session";
    check.flags = {"giving_way"};
    if (auto r = ctx.store.add_red_flag_check(check); !r) {
        ctx.storage_error = r.error().message;
    }
}

void check_commits(Context& ctx) {
    auto& pending = ctx.draft.pending_commits;
    for (auto it = pending.begin(); it != pending.end();) {
        if (it->wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
            ++it;
            continue;
        }
        if (auto r = it->get(); !r) {
            ctx.storage_error = ctx.tf("storage.set_failed", r.error().message);
        } else {
            log::get("game")->info("set {} of session {} committed", r.value(),
                                   ctx.draft.session_id);
        }
        it = pending.erase(it);
    }
}

} // namespace qv::game
