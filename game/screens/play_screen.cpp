// The quad-set game: force lifts a balloon; hold it in the golden band for the hold time.

#include "core/log.hpp"
#include "engine/red_flags.hpp"
#include "game/adaptation.hpp"
#include "game/audio.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/rules/quadset.hpp"
#include "game/scene/quadset_scene.hpp"
#include "game/scene/tower_scene.hpp"
#include "game/screens/screens.hpp"
#include "game/screens/session_common.hpp"
#include "game/screens/tower_draw.hpp"
#include "game/sensor_guard.hpp"
#include "game/widgets.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace qv::game {

namespace {

constexpr double kTraceHz = 100.0;

/// Today's dose from the plan (the level's when none was set, e.g. a screenshot run).
QuadSetDose dose_of(const Context& ctx) {
    if (ctx.draft.dose.sets > 0) {
        return ctx.draft.dose;
    }
    const auto* l = ctx.content.level(ctx.profile->level_id);
    return l ? l->dose : ctx.content.quadset_levels.front().dose;
}

double display_max(const Context& ctx, const QuadSetDose& d) {
    if (ctx.profile && ctx.profile->child) { // child mode: less sky above, a taller band
        return std::min(120.0, d.band_high_pct * ctx.content.tuning.child.band_view_factor);
    }
    return std::min(120.0, std::max(d.band_high_pct * 1.6, d.band_high_pct + 15.0));
}

/// The quad-set game chosen for this session (its id goes into sets.game); the balloon for none
/// or an id that is not a quad-set game. Every game plays the same rules, dose and scoring.
const content::GameTheme* quadset_game(const Context& ctx) {
    const auto* g = ctx.content.game(ctx.draft.game);
    return g != nullptr && g->exercise == "quad_set" ? g : ctx.content.game("balloon");
}

class Play final : public Screen {
  public:
    explicit Play(Context& ctx)
        : Screen(ctx), dose_(dose_of(ctx)), rules_(dose_, ctx.content.tuning.quadset),
          scene_(display_max(ctx, dose_), ctx.drivers.seed), pain_(ctx.profile->child),
          staircase_(ctx.draft.stair, ctx.draft.stair_state) {
        // The inner loop sets the band's precision from where it left off last time.
        const auto start = engine::with_band_half_width(dose_, staircase_.value());
        rules_.set_band(start.band_low_pct, start.band_high_pct);
        if (ctx_.draft.calibration) {
            input::Calibration cal;
            cal.zero_n = ctx_.draft.calibration->zero_n;
            cal.mvc_n = ctx_.draft.calibration->mvc_n;
            ctx_.input.set_calibration(cal);
        }
        begin_session_record(ctx_, ctx_.draft.level_id.empty() ? ctx_.profile->level_id
                                                               : ctx_.draft.level_id);
        set_start_ = profiles::now_iso8601();
    }
    std::string name() const override {
        if (mode_ == Mode::PainRating) {
            return "pain_rating";
        }
        if (mode_ == Mode::PainStopped) {
            return "pain_stopped";
        }
        if (mode_ == Mode::PainNoted) {
            return "pain_noted";
        }
        if (mode_ == Mode::Paused) {
            return "paused";
        }
        if (mode_ == Mode::SensorLost) {
            return "sensor_lost";
        }
        switch (rules_.phase()) {
        case rules::QuadSetPhase::GetReady:
            return "play_ready";
        case rules::QuadSetPhase::Hold:
            return "play_hold";
        case rules::QuadSetPhase::Rest:
        case rules::QuadSetPhase::SetRest:
            return "play_rest";
        case rules::QuadSetPhase::Done:
            return "play_done";
        }
        return "play";
    }

    void step(double dt) override {
        t_ += dt;
        readings_.clear();
        // Rests between holds are known rest moments: the hub re-zeroes (or flags drift) there.
        ctx_.input.set_at_rest(mode_ == Mode::Playing &&
                               (rules_.phase() == rules::QuadSetPhase::Rest ||
                                rules_.phase() == rules::QuadSetPhase::SetRest));
        ctx_.input.poll(readings_); // what arrived before a loss is still scored below
        watch_sensor(dt);
        if (mode_ == Mode::Playing) {
            for (const auto& r : readings_) {
                const Micros t = r.t_us - paused_us_;
                quality_.count(r.flags);
                rules_.update(t, r.pct_mvc, r.tared_n);
                record_trace(r);
                handle_events();
            }
        }
        if (tower_) {
            tower_->set_effort(ctx_.input.latest().pct_mvc);
            tower_->step(dt);
        } else {
            scene_.set_effort(ctx_.input.latest().pct_mvc);
            scene_.step(dt);
        }
        update_cue();
        check_commits(ctx_);
        if (rules_.phase() == rules::QuadSetPhase::Done && mode_ == Mode::Playing && !finished_) {
            finished_ = true;
            finish();
        }
    }

    void draw(Gfx& gfx) override {
        draw_world(gfx);
        draw_hud(gfx);
        if (mode_ == Mode::SensorLost) {
            guard_.draw_card(gfx);
        } else if (mode_ == Mode::Paused) {
            dim(gfx);
            draw_card(gfx, 340, 200, 600, 260);
            gfx.text(ctx_.t("play.paused"), 640, 230, FontSize::Title, palette::ink, Align::Center,
                     true);
            gfx.paragraph(ctx_.t("play.paused_help"), 640, 320, 520, FontSize::Body,
                          palette::ink_soft, Align::Center);
        } else if (mode_ == Mode::PainRating) {
            dim(gfx);
            draw_card(gfx, 80, 150, 1120, 380);
            gfx.text(ctx_.t("pain.during_title"), 640, 170, FontSize::Large, palette::ink,
                     Align::Center, true);
            pain_.draw(gfx, pain_.child() ? 230 : 270, ctx_.t("scale.nrs_low"),
                       ctx_.t("scale.nrs_high"));
        } else if (mode_ == Mode::PainStopped || mode_ == Mode::PainNoted) {
            dim(gfx);
            draw_card(gfx, 240, 180, 800, 320);
            gfx.text(ctx_.t(mode_ == Mode::PainStopped ? "pain.stopped_title" : "pain.noted_title"),
                     640, 210, FontSize::Large, palette::ink, Align::Center, true);
            gfx.paragraph(message_, 640, 290, 700, FontSize::Body, palette::ink, Align::Center);
        }
        if (!ctx_.storage_error.empty()) {
            draw_banner(gfx, ctx_.storage_error);
        }
        draw_hints(gfx, hints());
    }

    bool handle(const SDL_Event& e) override {
        switch (mode_) {
        case Mode::SensorLost:
            if (guard_.handle(e)) {
                return true;
            }
            if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_q) {
                end_by_player();
                return true;
            }
            return false;
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

    /// The keyboard's own scale: full effort is 100 %.
    input::Calibration keyboard_calibration() const {
        input::Calibration cal;
        cal.mvc_n = ctx_.drivers.keyboard.max_force_n;
        return cal;
    }

    void end_by_player() {
        ctx_.draft.ended_by_player = true;
        rules_.stop_set(ctx_.t("play.ended_by_player"), true);
        resume();
        handle_events();
    }

    /// Pauses when the sensor stops answering (what it sent before stays scored and traced) and
    /// carries on when it is back or the player chose the keyboard.
    void watch_sensor(double dt) {
        switch (guard_.step(dt)) {
        case SensorGuard::Status::Ok:
            break;
        case SensorGuard::Status::Lost:
            if (mode_ == Mode::Playing || mode_ == Mode::Paused) {
                if (mode_ == Mode::Playing) {
                    pause(Mode::SensorLost);
                }
                mode_ = Mode::SensorLost;
            }
            break;
        case SensorGuard::Status::Switched:
            // The sensor's calibration means nothing for the keyboard: its 100 % is full effort.
            ctx_.input.set_calibration(keyboard_calibration());
            quality_.switched_from = guard_.lost_driver();
            [[fallthrough]];
        case SensorGuard::Status::Reconnected:
            if (mode_ == Mode::SensorLost) {
                resume();
            }
            break;
        }
    }

    void pause(Mode mode) {
        mode_ = mode;
        pause_started_ = ctx_.clock.now_us(); // readings are discarded while paused
    }
    void resume() {
        paused_us_ += ctx_.clock.now_us() - pause_started_;
        mode_ = Mode::Playing;
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

    void record_trace(const input::ForceReading& r) {
        if (trace_.force_n.empty()) {
            trace_.rate_hz = kTraceHz;
            trace_.t0_us = r.t_us;
            next_trace_us_ = r.t_us;
        }
        while (r.t_us >= next_trace_us_) {
            trace_.force_n.push_back(static_cast<float>(r.tared_n));
            next_trace_us_ += static_cast<Micros>(1e6 / kTraceHz);
        }
    }

    void handle_events() {
        for (const auto& ev : rules_.take_events()) {
            using K = rules::QuadSetEvent::Kind;
            switch (ev.kind) {
            case K::EnteredBand:
                ctx_.audio.play("band_enter");
                break;
            case K::RepCompleted:
                if (ev.rep && ev.rep->success) {
                    ctx_.audio.play("hold_complete");
                    if (tower_) {
                        tower_->drop_block(); // onto the tower; a miss drops nothing
                    } else {
                        scene_.burst(14);
                    }
                }
                if (ev.rep) { // the inner loop: precision only, never % MVC or hold time
                    staircase_.record(ev.rep->success);
                    const auto next = engine::with_band_half_width(dose_, staircase_.value());
                    rules_.set_band(next.band_low_pct, next.band_high_pct);
                }
                break;
            case K::RestEnded:
                ctx_.audio.play("rest_end");
                break;
            case K::SetCompleted:
                commit_set(ev.set_index);
                break;
            case K::SessionCompleted:
                break;
            case K::RepStarted:
            case K::LeftBand:
                break;
            }
        }
    }

    void commit_set(int set_index) {
        profiles::SetRecord set;
        set.session_id = ctx_.draft.session_id;
        set.set_index = set_index;
        set.dose = dose_;
        set.started_at = set_start_;
        set.ended_at = profiles::now_iso8601();
        set.stop_reason = rules_.stop_reason(set_index);
        set.game = game_ != nullptr ? game_->id : "balloon"; // the game actually played
        set.quality_json = quality_.json(ctx_.input.source(), ctx_.input.dropped());
        quality_ = SetQuality{ctx_.input.dropped()};
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
            ctx_.draft.pending_commits.push_back(ctx_.worker.commit_set(std::move(set)));
        }
        ctx_.audio.play("set_complete");
    }

    void update_cue() {
        input::PatientCue cue;
        if (mode_ == Mode::Playing && rules_.phase() == rules::QuadSetPhase::Hold &&
            ctx_.draft.calibration) {
            cue.kind = input::PatientCue::Kind::Hold;
            cue.target_n = rules_.target_pct() / 100.0 * ctx_.draft.calibration->mvc_n;
        }
        set_patient_cue(ctx_, cue);
    }

    void finish() {
        save_staircase(ctx_, staircase_.state());
        ctx_.draft.reps = rules_.reps();
        ctx_.draft.stars = rules_.stars();
        set_patient_cue(ctx_, {});
        ctx_.screens.replace(make_after(ctx_));
    }

    // ---- drawing ----
    void dim(Gfx& gfx) { gfx.rect(0, 0, Gfx::kWidth, Gfx::kHeight, palette::ink.with_alpha(110)); }

    void draw_world(Gfx& gfx) {
        if (tower_) {
            const auto& d = rules_.dose(); // the band as the inner loop set it
            const bool hold = rules_.phase() == rules::QuadSetPhase::Hold;
            draw_tower_world(gfx, *tower_,
                             {game_, d.band_low_pct, d.band_high_pct,
                              ctx_.tf("play.band_label", d.band_low_pct, d.band_high_pct), hold,
                              hold && rules_.in_band(), rules_.hold_progress(), t_});
            return;
        }
        draw_backdrop(gfx, scene_.scroll_px() / 20.0);
        const float ground = QuadSetScene::ground_y_px();
        gfx.rect(0, ground, Gfx::kWidth, Gfx::kHeight - ground, palette::grass_dark);
        // Target band.
        const auto& d = rules_.dose(); // the band as the inner loop set it
        const float top = scene_.y_for_pct(d.band_high_pct),
                    bottom = scene_.y_for_pct(d.band_low_pct);
        const bool in_band = rules_.in_band() && rules_.phase() == rules::QuadSetPhase::Hold;
        gfx.rect(0, top, Gfx::kWidth, bottom - top, Color::hex(in_band ? 0xFFE48A : 0xFFF3CC, 215));
        const auto dash_off = static_cast<float>(std::fmod(scene_.scroll_px(), 40.0));
        for (float x = -dash_off; x < Gfx::kWidth; x += 40) {
            gfx.rect(x, top - 2, 24, 4, palette::warm);
            gfx.rect(x, bottom - 2, 24, 4, palette::warm);
        }
        gfx.text(ctx_.tf("play.band_label", d.band_low_pct, d.band_high_pct), 24, top + 8,
                 FontSize::Small, palette::ink_soft, Align::Left, true);
        // Stars from completed holds.
        for (const auto& s : scene_.stars()) {
            const auto fade =
                static_cast<std::uint8_t>(255 * std::clamp(1.0 - (s.age_s - 2.5) / 1.0, 0.0, 1.0));
            gfx.star(s.x_px, s.y_px, 11, palette::gold.with_alpha(fade), s.angle);
        }
        draw_balloon(gfx, in_band);
    }

    void draw_balloon(Gfx& gfx, bool in_band) {
        const float x = scene_.balloon_x_px(), y = scene_.balloon_y_px();
        const content::Avatar* avatar =
            ctx_.profile ? ctx_.content.avatar(ctx_.profile->avatar) : nullptr;
        const Color main = avatar ? Color::hex(avatar->color) : palette::warm;
        const Color accent = avatar ? Color::hex(avatar->accent) : palette::gold;
        if (in_band) {
            const auto pulse = static_cast<float>(0.5 + 0.5 * std::sin(t_ * 6));
            gfx.circle(x, y, 78 + 6 * pulse, palette::gold.with_alpha(90));
        }
        // Ropes and basket.
        gfx.line(x - 30, y + 40, x - 16, y + 86, 3, palette::ink_soft);
        gfx.line(x + 30, y + 40, x + 16, y + 86, 3, palette::ink_soft);
        gfx.rounded_rect(x - 22, y + 84, 44, 30, 6, Color::hex(0xA9713B));
        gfx.circle(x, y, 56, main);
        gfx.rounded_rect(x - 14, y - 54, 28, 108, 14, accent);
        gfx.circle(x - 20, y - 22, 12, palette::paper.with_alpha(90));
        if (avatar) {
            draw_avatar(gfx, *avatar, x, y + 76, 14);
        }
        // Hold progress ring.
        if (rules_.phase() == rules::QuadSetPhase::Hold) {
            const float tau = 2 * std::numbers::pi_v<float>;
            gfx.arc(x, y, 70, 10, 0, tau, palette::paper.with_alpha(150));
            gfx.arc(x, y, 70, 10, 0, tau * static_cast<float>(rules_.hold_progress()),
                    palette::accent);
        }
    }

    /// A play text in the chosen game's own words when it has them (game.<id>.<key>).
    std::string game_text(const std::string& key) const {
        const std::string own = game_ != nullptr ? "game." + game_->id + "." + key : "";
        return ctx_.t(ctx_.content.texts.count(own) != 0 ? own : "play." + key);
    }

    void draw_hud(Gfx& gfx) {
        const auto& d = rules_.dose(); // the band as the inner loop set it
        draw_card(gfx, 24, 20, 330, 132);
        gfx.text(ctx_.tf("play.set_of", rules_.set_index() + 1, d.sets), 46, 34, FontSize::Body,
                 palette::ink_soft);
        gfx.text(ctx_.tf("play.hold_of", std::min(rules_.rep_index() + 1, d.reps), d.reps), 46, 66,
                 FontSize::Large, palette::ink, Align::Left, true);
        // One dot per hold of this set: a tick for done, a dash for missed (shape, not just
        // colour).
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

        // The instruction of the moment, large and central.
        std::string big, small;
        switch (rules_.phase()) {
        case rules::QuadSetPhase::GetReady:
            big =
                ctx_.tf("play.get_ready", static_cast<int>(std::ceil(rules_.phase_remaining_s())));
            small = ctx_.t("play.get_ready_help");
            break;
        case rules::QuadSetPhase::Hold:
            if (rules_.in_band()) {
                big = ctx_.tf("play.holding", d.hold_s * (1.0 - rules_.hold_progress()));
                small = game_text("holding_help");
            } else {
                big = ctx_.t(ctx_.input.latest().pct_mvc > d.band_high_pct ? "play.too_hard"
                                                                           : "play.push");
                small = game_text("push_help");
            }
            break;
        case rules::QuadSetPhase::Rest:
            big = ctx_.tf("play.rest", static_cast<int>(std::ceil(rules_.phase_remaining_s())));
            small = ctx_.t("play.rest_help");
            break;
        case rules::QuadSetPhase::SetRest:
            big = ctx_.tf("play.set_rest", static_cast<int>(std::ceil(rules_.phase_remaining_s())));
            small = ctx_.t("play.rest_help");
            break;
        case rules::QuadSetPhase::Done:
            big = ctx_.t("play.done");
            break;
        }
        gfx.text(big, 760, 40, FontSize::Title, palette::ink, Align::Center, true);
        gfx.text(small, 760, 108, FontSize::Body, palette::ink_soft, Align::Center);

        // Live force readout and source label.
        draw_card(gfx, 1060, 20, 196, 118);
        gfx.text(ctx_.t("play.force"), 1158, 30, FontSize::Small, palette::ink_soft, Align::Center);
        gfx.text(std::to_string(std::lround(ctx_.input.latest().pct_mvc)) + " %", 1158, 58,
                 FontSize::Title, palette::ink, Align::Center, true);
        guard_.draw_indicator(gfx, 1256, 146);
        // Data-quality notes: the sensor at its limit in this set, or its zero drifted.
        const char* note = quality_.saturated > 0       ? "sensor_note.saturated"
                           : ctx_.input.drift_warning() ? "sensor_note.drift"
                                                        : nullptr;
        if (note != nullptr) {
            gfx.text("\u26a0 " + ctx_.t(note), 1256, 176, FontSize::Small, palette::ink,
                     Align::Right, true);
        }
    }

    std::vector<std::pair<std::string, std::string>> hints() const {
        std::vector<std::pair<std::string, std::string>> h;
        switch (mode_) {
        case Mode::Playing:
            if (source_is_keyboard(ctx_)) {
                h.push_back({"Space", ctx_.t("hint.push")});
                h.push_back({"\u2191\u2193",
                             ctx_.tf("hint.effort", std::lround(keyboard_effort(ctx_) * 100))});
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

    QuadSetDose dose_;
    rules::QuadSetSession rules_;
    QuadSetScene scene_;
    const content::GameTheme* game_ = quadset_game(ctx_);
    std::unique_ptr<TowerScene> tower_ = // the tower game's world; null: the balloon's
        game_ != nullptr && game_->scene == "tower"
            ? std::make_unique<TowerScene>(display_max(ctx_, dose_), ctx_.drivers.seed)
            : nullptr;
    Mode mode_ = Mode::Playing;
    PainScale pain_;
    engine::Staircase staircase_;
    std::string message_;
    Micros paused_us_ = 0;
    Micros pause_started_ = 0;
    profiles::Trace trace_;
    Micros next_trace_us_ = 0;
    std::string set_start_;
    std::vector<input::ForceReading> readings_;
    bool finished_ = false;
    SetQuality quality_{ctx_.input.dropped()};
    SensorGuard guard_{ctx_};
    double t_ = 0;
};

} // namespace

std::unique_ptr<Screen> make_play(Context& ctx) {
    return std::make_unique<Play>(ctx);
}

} // namespace qv::game
