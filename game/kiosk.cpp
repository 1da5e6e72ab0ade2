#include "game/kiosk.hpp"

#include "core/log.hpp"
#include "game/context.hpp"
#include "game/screen.hpp"
#include "game/screens/screens.hpp"
#include "input/hub.hpp"

#include <algorithm>
#include <cmath>

namespace qv::game {

Kiosk::Kiosk(const content::KioskParams& params, const profiles::KioskSettings& settings)
    : params_(params), settings_(settings) {}

bool Kiosk::is_person(const SDL_Event& e) {
    switch (e.type) {
    case SDL_KEYDOWN:
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEWHEEL:
    case SDL_FINGERDOWN:
    case SDL_CONTROLLERBUTTONDOWN:
    case SDL_JOYBUTTONDOWN:
    case SDL_JOYHATMOTION:
    case SDL_TEXTINPUT:
        return true;
    default:
        return false;
    }
}

void Kiosk::note_signal(const input::InputHub& hub) {
    const double force = hub.latest().filtered_n;
    const double angle = hub.latest_angle().deg;
    if (!std::isfinite(force) || !std::isfinite(angle)) {
        return;
    }
    if (!have_signal_) {
        have_signal_ = true;
        last_force_n_ = force;
        last_angle_deg_ = angle;
        return;
    }
    if (std::abs(force - last_force_n_) >= params_.activity_force_n ||
        std::abs(angle - last_angle_deg_) >= params_.activity_angle_deg) {
        last_force_n_ = force;
        last_angle_deg_ = angle;
        note_input();
    }
}

KioskIdle Kiosk::step(double dt, bool visiting) {
    if (!visiting) {
        idle_s_ = 0;
        return KioskIdle::Active;
    }
    idle_s_ += dt;
    const double left = seconds_left();
    if (left <= 0) {
        idle_s_ = 0;
        return KioskIdle::TimedOut;
    }
    return left <= params_.warning_s ? KioskIdle::Warning : KioskIdle::Active;
}

double Kiosk::seconds_left() const {
    return std::max(0.0, settings_.idle_timeout_s - idle_s_);
}

void end_kiosk_visit(Context& ctx, const char* why) {
    auto logger = log::get("kiosk");
    // Sets already handed to the storage thread land before anything else changes.
    ctx.worker.flush();
    auto& d = ctx.draft;
    for (auto& f : d.pending_commits) {
        if (f.valid()) {
            if (auto r = f.get(); !r) {
                logger->error("a set of the visit was not stored: {}", r.error().message);
            }
        }
    }
    d.pending_commits.clear();
    if (d.session_id != 0) {
        const auto s = ctx.store.session(d.session_id);
        if (s && s->status == profiles::SessionStatus::InProgress) {
            if (auto r =
                    ctx.store.finish_session(d.session_id, profiles::SessionStatus::Aborted, 0, -1);
                !r) {
                logger->error("the session of the visit was not closed: {}", r.error().message);
            }
        }
    }
    if (ctx.profile && ctx.profile->guest && ctx.kiosk != nullptr) {
        const auto what = ctx.kiosk->settings().guest_data;
        if (auto r = profiles::end_guest_visit(ctx.store, ctx.profile->id, what); !r) {
            logger->error("the guest's visit was not ended: {}", r.error().message);
        }
    }
    logger->info("visit ended ({}): back to the attract screen", why);
    ctx.input.use(nullptr);
    ctx.profile.reset();
    ctx.draft = SessionDraft{};
    ctx.screens.reset(make_kiosk_attract(ctx));
}

} // namespace qv::game
