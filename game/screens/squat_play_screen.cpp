// Playing controlled squats: the player follows a moving target down, holds, and comes back up,
// in one of two games (a rider on a track whose hills are the squat, or a diver following a
// pearl). Both games run the same rules (game/rules/squat.hpp) on the same readings, so the dose
// and the scoring never depend on the game picked. The clinician's depth cap is drawn across the
// scene and going past it warns at once, by sight and by sound.

#include "core/log.hpp"
#include "engine/red_flags.hpp"
#include "game/adaptation.hpp"
#include "game/audio.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/rules/squat.hpp"
#include "game/scene/squat_scene.hpp"
#include "game/screens/screens.hpp"
#include "game/screens/session_common.hpp"
#include "game/sensor_guard.hpp"
#include "game/widgets.hpp"
#include "input/drivers/keyboard/keyboard.hpp"
#include "input/drivers/replay/recorded_source.hpp"
#include "input/drivers/simulator/simulator.hpp"
#include "profiles/squat_store.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>

namespace qv::game {

namespace {

constexpr double kTraceHz = 100.0;
constexpr float kPi = std::numbers::pi_v<float>;

/// The game being played: the draft's when it is a squat game, else the first squat game.
const content::GameTheme& theme_of(const Context& ctx) {
    if (const auto* g = ctx.content.game(ctx.draft.game); g != nullptr && g->exercise == "squat") {
        return *g;
    }
    static const content::GameTheme fallback{"rider",  "squat",  "rider",  0x9FD3C7,
                                             0xEAF7F2, 0x6B8E23, 0xE07A5F, true};
    const auto games = ctx.content.games_for("squat");
    return games.empty() ? fallback : *games.front();
}

/// Today's squat dose: the plan's, else the content's default squat level.
SquatDose squat_dose_of(const Context& ctx) {
    if (ctx.draft.squat_dose.sets > 0) {
        return ctx.draft.squat_dose;
    }
    const auto* level = ctx.content.squat_level(ctx.content.tuning.squat_default_level);
    if (level == nullptr && !ctx.content.squat_levels.empty()) {
        level = &ctx.content.squat_levels.front();
    }
    return level != nullptr ? level->dose : SquatDose{1, 5, 30, 3, 0, 2, 2, 30, 0.75, 8, 45};
}

/// The deepest value shown: below the cap, so the cap line is always in view.
double display_max(const SquatDose& d) {
    return std::max(d.depth_cap_deg, d.depth_deg) + 15.0;
}

class SquatPlay final : public Screen {
  public:
    explicit SquatPlay(Context& ctx)
        : Screen(ctx), theme_(theme_of(ctx)), dose_(squat_dose_of(ctx)),
          rules_(dose_, ctx.draft.squat_mode, ctx.content.tuning.squat),
          scene_(display_max(dose_), theme_.scene == "diver", ctx.drivers.seed),
          pain_(ctx.profile->child) {
        // Keyboard and virtual patient: knee flexion in degrees, like a goniometer.
        input::Source* src = input::underlying(ctx_.input.source());
        if (auto* kb = dynamic_cast<input::KeyboardSource*>(src)) {
            kb->set_channel(Channel::KneeAngle);
        } else if (auto* sim = dynamic_cast<input::SimulatorSource*>(src)) {
            sim->set_channel(Channel::KneeAngle);
        }
        ctx_.draft.squat_reps.clear();
        if (ctx_.draft.squat_stair) {
            stairs_.emplace(*ctx_.draft.squat_stair, ctx_.draft.squat_stair_state);
            rules_.set_precision(stairs_->corridor(), stairs_->tempo_tol_s());
        }
        const std::string level = ctx_.draft.level_id.empty()
                                      ? ctx_.content.tuning.squat_default_level
                                      : ctx_.draft.level_id;
        begin_session_record(ctx_, level);
        set_start_ = profiles::now_iso8601();
    }

    std::string name() const override {
        switch (mode_) {
        case Mode::Paused:
            return "paused";
        case Mode::PainRating:
            return "pain_rating";
        case Mode::PainStopped:
            return "pain_stopped";
        case Mode::PainNoted:
            return "pain_noted";
        case Mode::SensorLost:
            return "sensor_lost";
        case Mode::Playing:
            break;
        }
        switch (rules_.phase()) {
        case rules::SquatPhase::GetReady:
            return "squat_ready";
        case rules::SquatPhase::Rep:
            return "squat_rep";
        case rules::SquatPhase::Rest:
        case rules::SquatPhase::SetRest:
            return "squat_rest";
        case rules::SquatPhase::Done:
            return "squat_done";
        }
        return "squat";
    }

    void step(double dt) override {
        t_ += dt;
        cap_flash_s_ = std::max(0.0, cap_flash_s_ - dt);
        forces_.clear();
        angles_.clear();
        ctx_.input.poll(forces_, angles_); // what arrived before a loss is still scored
        watch_sensor(dt);
        if (mode_ == Mode::Playing) {
            for (const auto& a : angles_) {
                quality_.count(a.flags);
                rules_.update(a.t_us - paused_us_, a.deg);
                record_trace(a);
                handle_events();
            }
        }
        scene_.set_value(ctx_.input.latest_angle().deg);
        scene_.step(dt);
        update_cue();
        check_commits(ctx_);
        if (rules_.phase() == rules::SquatPhase::Done && mode_ == Mode::Playing && !finished_) {
            finished_ = true;
            finish();
        }
    }

    void draw(Gfx& gfx) override {
        draw_world(gfx);
        draw_hud(gfx);
        switch (mode_) {
        case Mode::SensorLost:
            guard_.draw_card(gfx);
            break;
        case Mode::Paused:
            dim(gfx);
            draw_card(gfx, 340, 200, 600, 260);
            gfx.text(ctx_.t("play.paused"), 640, 230, FontSize::Title, palette::ink, Align::Center,
                     true);
            gfx.paragraph(ctx_.t("play.paused_help"), 640, 320, 520, FontSize::Body,
                          palette::ink_soft, Align::Center);
            break;
        case Mode::PainRating:
            dim(gfx);
            draw_card(gfx, 80, 150, 1120, 380);
            gfx.text(ctx_.t("pain.during_title"), 640, 170, FontSize::Large, palette::ink,
                     Align::Center, true);
            pain_.draw(gfx, pain_.child() ? 230 : 270, ctx_.t("scale.nrs_low"),
                       ctx_.t("scale.nrs_high"));
            break;
        case Mode::PainStopped:
        case Mode::PainNoted:
            dim(gfx);
            draw_card(gfx, 240, 180, 800, 320);
            gfx.text(ctx_.t(mode_ == Mode::PainStopped ? "pain.stopped_title" : "pain.noted_title"),
                     640, 210, FontSize::Large, palette::ink, Align::Center, true);
            gfx.paragraph(message_, 640, 290, 700, FontSize::Body, palette::ink, Align::Center);
            break;
        case Mode::Playing:
            break;
        }
        if (!ctx_.storage_error.empty()) {
            draw_banner(gfx, ctx_.storage_error);
        }
        draw_hints(gfx, hints());
    }

    bool handle(const SDL_Event& e) override {
        switch (mode_) {
        case Mode::Playing:
            if (e.type == SDL_KEYDOWN && e.key.repeat == 0 && e.key.keysym.sym == SDLK_p) {
                pause(Mode::PainRating);
                pain_.reset();
                return true;
            }
            if (is_back(e)) {
                pause(Mode::Paused);
                return true;
            }
            return false;
        case Mode::Paused:
            if (is_confirm(e) || is_back(e)) {
                resume();
                return true;
            }
            if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_q) {
                end_by_player();
                return true;
            }
            return false;
        case Mode::SensorLost:
            if (guard_.handle(e)) {
                return true;
            }
            if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_q) {
                end_by_player();
                return true;
            }
            return false;
        case Mode::PainRating: {
            if (is_back(e)) {
                resume();
                return true;
            }
            if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_g) {
                knee_gave_way();
                return true;
            }
            const bool used = pain_.handle(e);
            if (pain_.confirmed()) {
                pain_rated(pain_.value());
            }
            return used;
        }
        case Mode::PainStopped:
        case Mode::PainNoted:
            if (is_confirm(e)) {
                resume();
                return true;
            }
            return false;
        }
        return false;
    }

  private:
    enum class Mode { Playing, Paused, PainRating, PainStopped, PainNoted, SensorLost };

    void pause(Mode mode) {
        mode_ = mode;
        pause_started_ = ctx_.clock.now_us(); // readings are discarded while paused
    }
    void resume() {
        paused_us_ += ctx_.clock.now_us() - pause_started_;
        mode_ = Mode::Playing;
    }

    void end_by_player() {
        ctx_.draft.ended_by_player = true;
        rules_.stop_set(ctx_.t("play.ended_by_player"), true);
        resume();
        handle_events();
    }

    void watch_sensor(double dt) {
        switch (guard_.step(dt)) {
        case SensorGuard::Status::Ok:
            break;
        case SensorGuard::Status::Lost:
            if (mode_ == Mode::Playing) {
                pause(Mode::SensorLost);
            } else if (mode_ == Mode::Paused) {
                mode_ = Mode::SensorLost;
            }
            break;
        case SensorGuard::Status::Switched:
            if (auto* kb =
                    dynamic_cast<input::KeyboardSource*>(input::underlying(ctx_.input.source()))) {
                kb->set_channel(Channel::KneeAngle);
            }
            quality_.switched_from = guard_.lost_driver();
            [[fallthrough]];
        case SensorGuard::Status::Reconnected:
            if (mode_ == Mode::SensorLost) {
                resume();
            }
            break;
        }
    }

    void pain_rated(int score) {
        record_pain_during(ctx_, pain_.scale(), score);
        const auto stop = engine::in_session_check(score, false, pain_rules_for(ctx_));
        if (stop != engine::InSessionStop::Continue) {
            const bool end_session = stop == engine::InSessionStop::StopSession;
            rules_.stop_set(ctx_.tf("pain.stop_reason", score), end_session);
            ctx_.draft.stopped_for_pain = true;
            message_ = ctx_.tf(end_session ? "pain.stopped_session" : "pain.stopped_set", score);
            ctx_.draft.stop_message = message_;
            ctx_.audio.play("pain_stop");
            mode_ = Mode::PainStopped;
            handle_events();
        } else {
            message_ = ctx_.tf("pain.noted", score);
            mode_ = Mode::PainNoted;
        }
    }

    /// "My knee gave way" is a red flag: the session ends and the event is kept.
    void knee_gave_way() {
        record_gave_way(ctx_);
        rules_.stop_set(ctx_.t("pain.gave_way_reason"), true);
        ctx_.draft.stopped_red_flag = true;
        message_ = ctx_.t("pain.gave_way");
        ctx_.draft.stop_message = message_;
        ctx_.audio.play("pain_stop");
        mode_ = Mode::PainStopped;
        handle_events();
    }

    void record_trace(const input::AngleReading& a) {
        if (trace_.values.empty()) {
            trace_.rate_hz = kTraceHz;
            trace_.t0_us = a.t_us;
            next_trace_us_ = a.t_us;
        }
        while (a.t_us >= next_trace_us_) {
            trace_.values.push_back(static_cast<float>(a.deg));
            next_trace_us_ += static_cast<Micros>(1e6 / kTraceHz);
        }
    }

    void handle_events() {
        for (const auto& ev : rules_.take_events()) {
            using K = rules::SquatEvent::Kind;
            switch (ev.kind) {
            case K::EnteredCorridor:
                ctx_.audio.play("band_enter");
                break;
            case K::DepthCapExceeded:
                // Warn at once, by sight (the flashing cap line and words) and by sound.
                cap_flash_s_ = 2.0;
                ctx_.audio.play("cap_warning");
                break;
            case K::RepCompleted:
                if (ev.rep) {
                    last_rep_ = *ev.rep;
                    if (stairs_) { // the inner loop: corridor and tempo tolerance only
                        stairs_->record(*ev.rep);
                        rules_.set_precision(stairs_->corridor(), stairs_->tempo_tol_s());
                    }
                    if (ev.rep->success) {
                        ctx_.audio.play("hold_complete");
                        scene_.burst(12);
                    }
                }
                break;
            case K::RestEnded:
                ctx_.audio.play("rest_end");
                break;
            case K::SetCompleted:
                commit_set(ev.set_index);
                break;
            case K::RepCued:
            case K::RepStarted:
            case K::LeftCorridor:
            case K::SessionCompleted:
                break;
            }
        }
    }

    void commit_set(int set_index) {
        profiles::SquatSetRecord set;
        set.session_id = ctx_.draft.session_id;
        set.set_index = set_index;
        set.mode = rules_.mode();
        set.dose = rules_.dose();
        set.game = theme_.id;
        set.quality_json = quality_.json(ctx_.input.source(), ctx_.input.dropped());
        quality_ = SetQuality{ctx_.input.dropped()};
        set.started_at = set_start_;
        set.ended_at = profiles::now_iso8601();
        set.stop_reason = rules_.stop_reason(set_index);
        for (const auto& r : rules_.reps()) {
            if (r.set_index == set_index) {
                set.reps.push_back(r);
            }
        }
        set.trace = std::move(trace_);
        trace_ = {};
        set_start_ = set.ended_at;
        ++ctx_.draft.sets_done;
        if (ctx_.draft.session_id != 0) {
            auto done = std::make_shared<std::promise<Result<std::int64_t>>>();
            ctx_.draft.pending_commits.push_back(done->get_future());
            ctx_.worker.submit([done, set = std::move(set)](profiles::Store& store) {
                done->set_value(profiles::commit_squat_set(store, set));
            });
        }
        ctx_.audio.play("set_complete");
    }

    void update_cue() {
        input::PatientCue cue;
        cue.kind = input::PatientCue::Kind::Squat;
        cue.depth_deg = rules_.dose().depth_deg;
        if (mode_ == Mode::Playing && rules_.phase() == rules::SquatPhase::Rep) {
            cue.target_angle_deg = rules_.target_now();
        }
        set_patient_cue(ctx_, cue);
    }

    void finish() {
        if (stairs_) {
            save_squat_staircases(ctx_, stairs_->state());
        }
        ctx_.draft.squat_reps = rules_.reps();
        ctx_.draft.stars = rules_.stars();
        set_patient_cue(ctx_, {});
        ctx_.screens.replace(make_after(ctx_));
    }

    // ---- drawing ----
    void dim(Gfx& gfx) { gfx.rect(0, 0, Gfx::kWidth, Gfx::kHeight, palette::ink.with_alpha(110)); }

    /// The target `ahead_s` seconds from now along what the screen shows: the rest of this
    /// squat, then standing (0) until the next one.
    double target_ahead(double ahead_s) const {
        if (rules_.phase() != rules::SquatPhase::Rep) {
            return 0.0;
        }
        const double t = rules_.rep_time_s() + ahead_s;
        return t < 0 || t > rules_.trajectory().duration_s() ? 0.0
                                                             : rules_.trajectory().target_at(t);
    }

    void draw_world(Gfx& gfx) {
        const bool diver = theme_.scene == "diver";
        gfx.vertical_gradient(0, 0, Gfx::kWidth, Gfx::kHeight, Color::hex(theme_.sky_top),
                              Color::hex(theme_.sky_bottom));
        const float x0 = SquatScene::player_x_px();
        const float pps = SquatScene::pixels_per_second();
        const double corridor = rules_.corridor();
        if (diver) {
            draw_sea(gfx);
        } else {
            draw_hills(gfx);
        }
        // The corridor around the path ahead (and a little behind), then the path itself.
        for (float x = x0 - 140; x < Gfx::kWidth; x += 6) {
            const double target = target_ahead((x - x0) / pps);
            const float top = scene_.y_for(target - corridor);
            const float bottom = scene_.y_for(target + corridor);
            gfx.rect(x, top, 6, bottom - top, Color::hex(theme_.accent, 60));
        }
        if (diver) {
            for (float x = x0 + 30; x < Gfx::kWidth; x += 22) {
                gfx.circle(x, scene_.y_for(target_ahead((x - x0) / pps)), 4,
                           Color::hex(theme_.accent, 200));
            }
        } else {
            draw_track(gfx);
        }
        draw_cap(gfx);
        for (const auto& p : scene_.particles()) {
            const auto fade =
                static_cast<std::uint8_t>(std::clamp(220.0 * (1.0 - p.age_s / 2.2), 0.0, 220.0));
            if (diver) {
                gfx.arc(p.x_px, p.y_px, p.radius_px, 2, 0, 2 * kPi,
                        palette::paper.with_alpha(fade));
            } else {
                gfx.circle(p.x_px, p.y_px, p.radius_px, Color::hex(0xB89B72, fade));
            }
        }
        // The target now: a glowing pearl for the diver, a ghost wheel on the track for the rider.
        const float ty =
            scene_.y_for(rules_.phase() == rules::SquatPhase::Rep ? rules_.target_now() : 0.0);
        const bool on_target = rules_.in_corridor() && rules_.phase() == rules::SquatPhase::Rep;
        if (diver) {
            const auto pulse = static_cast<float>(0.5 + 0.5 * std::sin(t_ * 5));
            gfx.circle(x0 + 70, ty, 22 + 6 * pulse, Color::hex(theme_.accent, 70));
            gfx.circle(x0 + 70, ty, 14, Color::hex(theme_.accent));
            gfx.circle(x0 + 66, ty - 4, 4, palette::paper.with_alpha(200));
            draw_diver(gfx, on_target);
        } else {
            draw_rider(gfx, on_target);
        }
    }

    void draw_hills(Gfx& gfx) {
        // Far hills drifting slowly: they say "outdoors", the track in front is what matters.
        const auto scroll = static_cast<float>(std::fmod(t_ * 20.0, 400.0));
        for (int i = -1; i < 5; ++i) {
            const float cx = static_cast<float>(i) * 400 - scroll + 200;
            gfx.circle(cx, 760, 300, Color::hex(theme_.ground, 70));
        }
    }

    void draw_sea(Gfx& gfx) {
        // The surface at "standing straight", light rays, and the sea floor at the bottom.
        const float surface = scene_.y_for(0) - 30;
        gfx.rect(0, 0, Gfx::kWidth, surface, Color::hex(0xBFE3F5));
        for (float x = 0; x < Gfx::kWidth; x += 40) {
            const auto wave = static_cast<float>(6 * std::sin(t_ * 2 + x * 0.02));
            gfx.circle(x, surface + wave, 24, Color::hex(0xBFE3F5));
        }
        for (int i = 0; i < 5; ++i) {
            const float x = 150.0f + static_cast<float>(i) * 260;
            gfx.triangle(x, surface, x + 60, surface, x + 180, Gfx::kHeight,
                         palette::paper.with_alpha(22));
        }
        const float floor = SquatScene::bottom_y_px() + 40;
        gfx.rect(0, floor, Gfx::kWidth, Gfx::kHeight - floor, Color::hex(theme_.ground));
    }

    void draw_track(Gfx& gfx) {
        const float x0 = SquatScene::player_x_px();
        const float pps = SquatScene::pixels_per_second();
        // The ground under the track, as columns down to the bottom of the screen.
        for (float x = 0; x < Gfx::kWidth; x += 4) {
            const float y = scene_.y_for(target_ahead((x - x0) / pps)) + 26;
            gfx.rect(x, y, 4, Gfx::kHeight - y, Color::hex(theme_.ground));
        }
        // The track's surface line.
        float px = 0, py = scene_.y_for(target_ahead((0 - x0) / pps)) + 26;
        for (float x = 8; x <= Gfx::kWidth; x += 8) {
            const float y = scene_.y_for(target_ahead((x - x0) / pps)) + 26;
            gfx.line(px, py, x, y, 5, Color::hex(0x4E3B2A));
            px = x;
            py = y;
        }
    }

    /// The clinician's depth cap: a dashed line across the scene with its words, flashing while
    /// the player is past it.
    void draw_cap(Gfx& gfx) {
        const float y = scene_.y_for(rules_.depth_cap_deg());
        const bool warn = cap_flash_s_ > 0 && std::fmod(cap_flash_s_, 0.5) > 0.2;
        const Color line = warn ? palette::stop : palette::ink;
        const auto dash = static_cast<float>(std::fmod(t_ * 30.0, 36.0));
        for (float x = -dash; x < Gfx::kWidth; x += 36) {
            gfx.rect(x, y - 3, 22, 6, line);
        }
        // A stop sign shape: the cap is read by its shape and words, not its colour.
        const float sx = 1180, sr = 22;
        for (int i = 0; i < 8; ++i) {
            const float a0 = kPi / 8 + static_cast<float>(i) * kPi / 4;
            const float a1 = a0 + kPi / 4;
            gfx.triangle(sx, y, sx + sr * std::cos(a0), y + sr * std::sin(a0),
                         sx + sr * std::cos(a1), y + sr * std::sin(a1), palette::stop);
        }
        gfx.rect(sx - 12, y - 3, 24, 6, palette::paper);
        gfx.text(ctx_.tf("squat.cap_label", std::lround(rules_.depth_cap_deg())), 1150, y + 10,
                 FontSize::Small, palette::ink, Align::Right, true);
        if (cap_flash_s_ > 0) {
            draw_card(gfx, 390, 250, 500, 110);
            gfx.text(ctx_.t("squat.too_deep"), 640, 262, FontSize::Large, palette::stop,
                     Align::Center, true);
            gfx.text(ctx_.t("squat.too_deep_help"), 640, 314, FontSize::Body, palette::ink,
                     Align::Center);
        }
    }

    Color avatar_color() const {
        const content::Avatar* avatar =
            ctx_.profile ? ctx_.content.avatar(ctx_.profile->avatar) : nullptr;
        return avatar ? Color::hex(avatar->color) : palette::warm;
    }

    void draw_rider(Gfx& gfx, bool on_target) {
        const float x = scene_.body_x_px(), y = scene_.body_y_px(), tilt = scene_.body_tilt();
        const float r = 26;
        if (on_target) {
            gfx.circle(x, y, r + 14, Color::hex(theme_.accent, 90));
        }
        // Wheel with turning spokes.
        gfx.circle(x, y, r, palette::ink);
        gfx.circle(x, y, r - 5, Color::hex(0xE8EEF5));
        for (int i = 0; i < 4; ++i) {
            const float a = scene_.wheel_angle() + static_cast<float>(i) * kPi / 4;
            gfx.line(x - (r - 6) * std::cos(a), y - (r - 6) * std::sin(a),
                     x + (r - 6) * std::cos(a), y + (r - 6) * std::sin(a), 2, palette::ink_soft);
        }
        // The rider on a unicycle: body, head and arms out for balance, leaning with the motion.
        const float bx = x + 60 * std::sin(tilt), by = y - 60 * std::cos(tilt);
        gfx.line(x, y, bx, by, 9, avatar_color());
        gfx.circle(bx + 6 * std::sin(tilt), by - 18, 16, Color::hex(0xF3D9B1));
        gfx.circle(bx + 6 * std::sin(tilt) + 6, by - 22, 3, palette::ink);
        gfx.line(bx - 30, by + 8, bx + 30, by + 2, 5, avatar_color());
    }

    void draw_diver(Gfx& gfx, bool on_target) {
        const float x = scene_.body_x_px(), y = scene_.body_y_px(), tilt = scene_.body_tilt();
        if (on_target) {
            gfx.circle(x, y, 50, Color::hex(theme_.accent, 80));
        }
        // Fins, body and a round helmet with a window.
        const float fx = x - 48 * std::cos(tilt), fy = y - 48 * std::sin(tilt);
        const auto kick = static_cast<float>(8 * std::sin(t_ * 6));
        gfx.triangle(fx, fy, fx - 28, fy - 14 + kick, fx - 28, fy + 14 + kick, palette::ink);
        gfx.line(x - 40 * std::cos(tilt), y - 40 * std::sin(tilt), x, y, 20, avatar_color());
        gfx.circle(x + 12, y, 24, Color::hex(0xC9A227));
        gfx.circle(x + 16, y - 2, 14, Color::hex(0xBFE3F5));
        gfx.circle(x + 12, y - 5, 4, palette::paper);
    }

    std::string instruction(std::string& help) const {
        switch (rules_.phase()) {
        case rules::SquatPhase::GetReady:
            help = ctx_.t("squat.get_ready_help");
            return ctx_.tf("play.get_ready",
                           static_cast<int>(std::ceil(rules_.phase_remaining_s())));
        case rules::SquatPhase::Rep:
            switch (rules_.trajectory().phase_at(rules_.rep_time_s())) {
            case rules::TrajectoryPhase::Down:
                help = ctx_.tf("squat.down_help", rules_.dose().down_s);
                return ctx_.t("squat.down");
            case rules::TrajectoryPhase::Pause:
                help = ctx_.t("squat.pause_help");
                return ctx_.t("squat.pause");
            case rules::TrajectoryPhase::Up:
                help = ctx_.tf("squat.up_help", rules_.dose().up_s);
                return ctx_.t("squat.up");
            case rules::TrajectoryPhase::Done:
                help = ctx_.t("squat.stand_help");
                return ctx_.t("squat.stand");
            }
            return {};
        case rules::SquatPhase::Rest:
        case rules::SquatPhase::SetRest:
            help = ctx_.t("play.rest_help");
            return ctx_.tf(rules_.phase() == rules::SquatPhase::Rest ? "play.rest"
                                                                     : "play.set_rest",
                           static_cast<int>(std::ceil(rules_.phase_remaining_s())));
        case rules::SquatPhase::Done:
            return ctx_.t("play.done");
        }
        return {};
    }

    /// One line about the last squat's tempo and depth, in words.
    std::string feedback() const {
        if (!last_rep_) {
            return {};
        }
        const auto& r = *last_rep_;
        const auto& d = rules_.dose();
        if (r.violations > 0) {
            return ctx_.t("squat.feedback_deep");
        }
        if (!r.success && r.depth_reached < 0.5 * d.depth_deg) {
            return ctx_.t("squat.feedback_shallow");
        }
        return r.tempo_ok ? ctx_.t("squat.feedback_good")
                          : ctx_.tf("squat.feedback_tempo", d.down_s, d.up_s);
    }

    void draw_hud(Gfx& gfx) {
        const auto& d = rules_.dose();
        draw_card(gfx, 24, 20, 330, 132);
        gfx.text(ctx_.tf("play.set_of", rules_.set_index() + 1, d.sets), 46, 34, FontSize::Body,
                 palette::ink_soft);
        gfx.text(ctx_.tf("squat.rep_of", std::min(rules_.rep_index() + 1, d.reps), d.reps), 46, 66,
                 FontSize::Large, palette::ink, Align::Left, true);
        float dx = 46;
        for (const auto& r : rules_.reps()) {
            if (r.set_index != rules_.set_index()) {
                continue;
            }
            gfx.circle(dx + 9, 128, 9, r.success ? palette::accent : Color::hex(0xC9D1DC));
            gfx.text(r.success ? "\u2713" : "\u2013", dx + 9, 116, FontSize::Small, palette::paper,
                     Align::Center, true);
            dx += 24;
        }
        std::string help;
        const std::string big = instruction(help);
        gfx.text(big, 700, 40, FontSize::Title, palette::ink, Align::Center, true);
        gfx.text(help, 700, 108, FontSize::Body, palette::ink_soft, Align::Center);
        const std::string fb = feedback();
        if (!fb.empty() && rules_.phase() != rules::SquatPhase::Rep) {
            draw_card(gfx, 420, 170, 560, 50);
            gfx.text(fb, 700, 180, FontSize::Body, palette::ink, Align::Center, true);
        }
        draw_card(gfx, 1060, 20, 196, 118);
        gfx.text(ctx_.t("squat.knee_bend"), 1158, 30, FontSize::Small, palette::ink_soft,
                 Align::Center);
        gfx.text(std::to_string(std::lround(ctx_.input.latest_angle().deg)) + "\u00b0", 1158, 58,
                 FontSize::Title, palette::ink, Align::Center, true);
        guard_.draw_indicator(gfx, 1256, 146);
    }

    std::vector<std::pair<std::string, std::string>> hints() const {
        std::vector<std::pair<std::string, std::string>> h;
        switch (mode_) {
        case Mode::Playing:
            if (source_is_keyboard(ctx_)) {
                h.push_back({"\u2193", ctx_.t("hint.bend")});
                h.push_back({"\u2191", ctx_.t("hint.straighten")});
            }
            h.push_back({"P", ctx_.t("hint.pain")});
            h.push_back({"Esc", ctx_.t("hint.pause")});
            break;
        case Mode::Paused:
            h = {{"Enter", ctx_.t("hint.continue")}, {"Q", ctx_.t("hint.end_session")}};
            break;
        case Mode::PainRating:
            h = {{pain_.child() ? "\u2190\u2192" : "0-10 / \u2190\u2192", ctx_.t("hint.rate")},
                 {"Enter", ctx_.t("hint.ok")},
                 {"G", ctx_.t("hint.gave_way")},
                 {"Esc", ctx_.t("hint.cancel")}};
            break;
        case Mode::PainStopped:
        case Mode::PainNoted:
            h = {{"Enter", ctx_.t("hint.continue")}};
            break;
        case Mode::SensorLost:
            h = {{"K", ctx_.t("hint.keyboard")}, {"Q", ctx_.t("hint.end_session")}};
            break;
        }
        return h;
    }

    const content::GameTheme& theme_;
    SquatDose dose_;
    rules::SquatSession rules_;
    SquatScene scene_;
    Mode mode_ = Mode::Playing;
    PainScale pain_;
    std::string message_;
    Micros paused_us_ = 0;
    Micros pause_started_ = 0;
    profiles::SquatTrace trace_;
    Micros next_trace_us_ = 0;
    std::string set_start_;
    std::vector<input::ForceReading> forces_;
    std::vector<input::AngleReading> angles_;
    std::optional<SquatRepScore> last_rep_;
    std::optional<engine::SquatStaircases> stairs_;
    double cap_flash_s_ = 0;
    bool finished_ = false;
    SensorGuard guard_{ctx_};
    SetQuality quality_{ctx_.input.dropped()};
    double t_ = 0;
};

} // namespace

std::unique_ptr<Screen> make_squat_play(Context& ctx) {
    return std::make_unique<SquatPlay>(ctx);
}

} // namespace qv::game

namespace qv::game {

namespace {

/// Today's squats with one button to start: the dose (depth, tempo, reps) and why it is what it
/// is. Squats in knee-angle mode need no force calibration.
class SquatPlan final : public Screen {
  public:
    explicit SquatPlan(Context& ctx) : Screen(ctx) {
        // The outer loop decides today's squats from the sessions since its last decision.
        const SquatTodayPlan today = plan_squats_today(ctx_);
        auto& d = ctx_.draft;
        d.squat_dose = today.dose;
        d.level_id = today.level_id;
        d.plan_reason = today.reason;
        d.plan_locked = today.locked;
        d.squat_stair = today.stair;
        d.squat_stair->tempo_measured = d.squat_mode == SquatMode::KneeAngle;
        d.squat_stair_state = today.stair_state;
    }
    std::string name() const override { return "squat_plan"; }
    void step(double dt) override { t_ += dt; }
    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        const SquatDose& d = ctx_.draft.squat_dose;
        const auto* level = ctx_.content.squat_level(ctx_.draft.level_id);
        draw_title(gfx, ctx_.t("plan.title"));
        draw_card(gfx, 190, 130, 900, 470);
        gfx.text(level != nullptr ? ctx_.tf("squat.plan_level", level->id, level->name)
                                  : ctx_.t("plan.yours"),
                 640, 150, FontSize::Large, palette::accent, Align::Center, true);
        gfx.text(ctx_.tf("squat.plan_dose", d.sets, d.reps, std::lround(d.depth_deg)), 640, 206,
                 FontSize::Body, palette::ink, Align::Center, true);
        gfx.text(ctx_.tf("squat.plan_tempo", d.down_s, d.pause_s, d.up_s), 640, 246, FontSize::Body,
                 palette::ink_soft, Align::Center);
        const std::string why = !ctx_.draft.plan_reason.empty() ? ctx_.draft.plan_reason
                                : level != nullptr              ? level->description
                                                                : std::string();
        gfx.paragraph(why, 640, 290, 780, FontSize::Body,
                      ctx_.draft.plan_locked ? palette::stop : palette::ink, Align::Center);
        gfx.paragraph(ctx_.tf("squat.plan_how", std::lround(d.depth_cap_deg)), 640, 380, 780,
                      FontSize::Small, palette::ink_soft, Align::Center);
        gfx.rounded_rect(490, 505, 300, 70, 35, palette::accent);
        gfx.text(ctx_.t("plan.start"), 640, 523, FontSize::Body, palette::paper, Align::Center,
                 true);
        draw_hints(gfx, {{"Enter", ctx_.t("plan.start")}, {"Esc", ctx_.t("hint.back")}});
    }
    bool handle(const SDL_Event& e) override {
        if (is_back(e)) {
            ctx_.screens.reset(make_profile_home(ctx_));
            return true;
        }
        if (is_confirm(e)) {
            ctx_.screens.replace(make_squat_play(ctx_));
            return true;
        }
        return false;
    }

  private:
    double t_ = 0;
};

} // namespace

std::unique_ptr<Screen> make_squat_plan(Context& ctx) {
    return std::make_unique<SquatPlan>(ctx);
}

} // namespace qv::game
