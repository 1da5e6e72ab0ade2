// Playing controlled squats: the player follows a moving target down, holds, and comes back up,
// in one of two games (a rider on a track whose hills are the squat, or a diver following a
// pearl). Both games run the same rules (game/rules/squat.hpp) on the same readings, so the dose
// and the scoring never depend on the game picked. With a knee-angle sensor (or the keyboard's
// knee) the clinician's depth cap is drawn across the scene and going past it warns at once, by
// sight and by sound. With a force pad (load share, sit-to-stand) the tracked value is the share
// of body weight on the affected leg: the pad is weighed first (SquatWeigh), the corridor is even
// loading, a pacer figure paces the tempo, and no cap line is drawn: the pad cannot see the knee.

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
#include "input/calibration.hpp"
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
/// Sit-to-stand: the play area spans 0..100 % body weight (seated to standing, even loading in
/// the middle). Load share: 20..80 %, so the corridor around even loading is easy to see.
constexpr double kShareMax = 100.0;
constexpr double kLoadAxisLow = 20.0;
constexpr double kLoadAxisSpan = 60.0;
/// Height of the pacer's card under the readout (force-pad modes).
constexpr float kPacerH = 214.0f;
/// Newtons per kilogram, to show a body weight the way people know it.
constexpr double kGravity = 9.81;

bool is_force_mode(SquatMode m) {
    return m != SquatMode::KneeAngle;
}

/// The text key naming a squat mode.
std::string mode_key(SquatMode m) {
    return "squat_pad.mode_" + std::string(squat_mode_name(m));
}

/// The squat modes the active source can play, the default first. A force sensor plays the
/// force-pad modes (load share first); the keyboard and the virtual patient can be a knee or a
/// pad, so they offer all three with the knee first (the keyboard fallback stays the knee).
std::vector<SquatMode> modes_for(const Context& ctx) {
    const input::Source* src = input::underlying(ctx.input.source());
    const std::string& id = ctx.draft.driver_id;
    const bool either =
        id == "keyboard" || id == "simulator" ||
        (id.empty() && (dynamic_cast<const input::KeyboardSource*>(src) != nullptr ||
                        dynamic_cast<const input::SimulatorSource*>(src) != nullptr));
    if (either) {
        return {SquatMode::KneeAngle, SquatMode::LoadShare, SquatMode::SitToStand};
    }
    if (src != nullptr && src->caps().knee_angle) {
        return {SquatMode::KneeAngle};
    }
    return {SquatMode::LoadShare, SquatMode::SitToStand};
}

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

/// The deepest value shown: below the cap, so the cap line is always in view. Force-pad modes
/// show 0..100 % body weight.
double display_max(const SquatDose& d, SquatMode mode) {
    switch (mode) {
    case SquatMode::LoadShare:
        return kLoadAxisSpan;
    case SquatMode::SitToStand:
        return kShareMax;
    case SquatMode::KneeAngle:
        break;
    }
    return std::max(d.depth_cap_deg, d.depth_deg) + 15.0;
}

class SquatPlay final : public Screen {
  public:
    explicit SquatPlay(Context& ctx)
        : Screen(ctx), theme_(theme_of(ctx)), dose_(squat_dose_of(ctx)),
          rules_(dose_, ctx.draft.squat_mode, ctx.content.tuning.squat),
          force_(is_force_mode(ctx.draft.squat_mode)),
          scene_(display_max(dose_, ctx.draft.squat_mode), theme_.scene == "diver",
                 ctx.drivers.seed, force_),
          pain_(ctx.profile->child) {
        // Keyboard and virtual patient: knee flexion in degrees, like a goniometer; in the
        // force-pad modes a load cell under the affected foot.
        input::Source* src = input::underlying(ctx_.input.source());
        const Channel channel = force_ ? Channel::Force : Channel::KneeAngle;
        if (auto* kb = dynamic_cast<input::KeyboardSource*>(src)) {
            kb->set_channel(channel);
        } else if (auto* sim = dynamic_cast<input::SimulatorSource*>(src)) {
            sim->set_channel(channel);
        }
        if (force_) {
            use_pad_reference();
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
        if (mode_ == Mode::Playing && force_) {
            for (const auto& f : forces_) {
                quality_.count(f.flags);
                const double share = rules::load_share_pct(f.tared_n, body_weight_n_);
                rules_.update(f.t_us - paused_us_, share);
                note_share(share);
                record_trace(f.t_us, share);
                handle_events();
            }
        } else if (mode_ == Mode::Playing) {
            for (const auto& a : angles_) {
                quality_.count(a.flags);
                rules_.update(a.t_us - paused_us_, a.deg);
                record_trace(a.t_us, a.deg);
                handle_events();
            }
        }
        scene_.set_value(value_now() - axis_low());
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
                kb->set_channel(force_ ? Channel::Force : Channel::KneeAngle);
            }
            if (force_) {
                use_pad_reference(); // the keyboard's full effort now stands for body weight
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

    /// The trace in the set's unit: degrees, or % body weight in the force-pad modes.
    void record_trace(Micros t_us, double value) {
        if (trace_.values.empty()) {
            trace_.rate_hz = kTraceHz;
            trace_.t0_us = t_us;
            next_trace_us_ = t_us;
        }
        while (t_us >= next_trace_us_) {
            trace_.values.push_back(static_cast<float>(value));
            next_trace_us_ += static_cast<Micros>(1e6 / kTraceHz);
        }
    }

    /// Force-pad modes: what the shares refer to. A pad uses the body weight weighed on it and
    /// its zero; the keyboard has nobody to weigh, so its full effort stands for body weight.
    void use_pad_reference() {
        if (const auto* kb =
                dynamic_cast<input::KeyboardSource*>(input::underlying(ctx_.input.source()))) {
            body_weight_n_ = kb->max_force_n();
            ctx_.input.clear_calibration();
        } else {
            body_weight_n_ = ctx_.draft.squat_body_weight_n;
            ctx_.input.set_calibration(input::Calibration{ctx_.draft.squat_pad_zero_n, 0, {}});
        }
        ctx_.draft.squat_body_weight_n = body_weight_n_;
        if (!(body_weight_n_ > 0)) {
            log::get("game")->error("force-pad squats without a body weight: shares read 0");
        }
    }

    /// The tracked value now: knee flexion, or the share of body weight on the affected leg.
    double value_now() const {
        return force_ ? rules::load_share_pct(ctx_.input.latest().tared_n, body_weight_n_)
                      : ctx_.input.latest_angle().deg;
    }

    /// Force-pad modes: the mean share of the squat in progress (for the words after it); in
    /// sit-to-stand only while standing.
    void note_share(double share) {
        if (rules_.phase() != rules::SquatPhase::Rep) {
            return;
        }
        if (rules_.mode() == SquatMode::SitToStand &&
            share < ctx_.content.tuning.squat.sit_high_pct) {
            return;
        }
        share_sum_ += share;
        ++share_n_;
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
                    last_mean_share_ = share_n_ > 0 ? share_sum_ / share_n_ : -1.0;
                    share_sum_ = 0;
                    share_n_ = 0;
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
        set.body_weight_n = force_ ? body_weight_n_ : 0.0;
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

    /// Tells the virtual patient what the screen shows: the path (knee), or the pacer (pad; in
    /// sit-to-stand it sits on the chair between stand-ups).
    void update_cue() {
        input::PatientCue cue;
        cue.kind = input::PatientCue::Kind::Squat;
        const bool rep = mode_ == Mode::Playing && rules_.phase() == rules::SquatPhase::Rep;
        if (!force_) {
            cue.depth_deg = rules_.dose().depth_deg;
            if (rep) {
                cue.target_angle_deg = rules_.target_now();
            }
        } else {
            const bool sit = rules_.mode() == SquatMode::SitToStand;
            cue.depth_deg = rules_.trajectory().depth_deg();
            cue.chair = sit;
            cue.target_angle_deg = cue.depth_deg * pacer_depth();
        }
        set_patient_cue(ctx_, cue);
    }

    /// The pacer's depth now, 0 standing .. 1 at the bottom (or seated): the trajectory during a
    /// squat; between squats standing, or seated in sit-to-stand.
    double pacer_depth() const {
        if (mode_ == Mode::Playing && rules_.phase() == rules::SquatPhase::Rep) {
            return rules_.trajectory().depth_profile_at(rules_.rep_time_s());
        }
        return rules_.mode() == SquatMode::SitToStand ? 1.0 : 0.0;
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
    /// squat, then standing (0) until the next one. Load share: even loading throughout.
    /// Sit-to-stand: the load pattern of a stand-up, from the seated level up to even loading
    /// while standing and back down.
    double target_ahead(double ahead_s) const {
        const auto& p = ctx_.content.tuning.squat;
        if (rules_.mode() == SquatMode::LoadShare) {
            return p.load_target_pct;
        }
        const double rest = rules_.mode() == SquatMode::SitToStand ? seated_share() : 0.0;
        if (rules_.phase() != rules::SquatPhase::Rep) {
            return rest;
        }
        const double t = rules_.rep_time_s() + ahead_s;
        if (t < 0 || t > rules_.trajectory().duration_s()) {
            return rest;
        }
        if (rules_.mode() == SquatMode::SitToStand) {
            const double up = 1.0 - rules_.trajectory().depth_profile_at(t);
            return rest + (p.load_target_pct - rest) * up;
        }
        return rules_.trajectory().target_at(t);
    }

    /// Where the play area's axis starts: 0, or the lowest share shown in load-share mode.
    double axis_low() const { return rules_.mode() == SquatMode::LoadShare ? kLoadAxisLow : 0.0; }
    /// Screen y of a tracked value (degrees, or % body weight).
    float y_of(double value) const { return scene_.y_for(value - axis_low()); }

    /// Sit-to-stand: the share drawn for "seated", halfway below the seated threshold.
    double seated_share() const { return 0.5 * ctx_.content.tuning.squat.sit_low_pct; }

    /// Where the corridor is drawn `ahead_s` from now: around the path (knee), around even
    /// loading (load share), around even loading where the pattern says standing (sit-to-stand).
    bool corridor_ahead(double ahead_s) const {
        return rules_.mode() != SquatMode::SitToStand ||
               target_ahead(ahead_s) >= ctx_.content.tuning.squat.sit_high_pct;
    }

    void draw_world(Gfx& gfx) {
        const bool diver = theme_.scene == "diver";
        gfx.vertical_gradient(0, 0, Gfx::kWidth, Gfx::kHeight, Color::hex(theme_.sky_top),
                              Color::hex(theme_.sky_bottom));
        const float x0 = SquatScene::player_x_px();
        const float pps = SquatScene::pixels_per_second();
        if (diver) {
            draw_sea(gfx);
        } else {
            draw_hills(gfx);
        }
        // The corridor around the path ahead (and a little behind), then the path itself. In the
        // force-pad modes the corridor is a lane across the whole scene, drawn over the track
        // with its edges marked, so even loading is the first thing one sees.
        if (!force_) {
            draw_corridor(gfx, x0 - 140, 60, false);
        }
        if (diver) {
            for (float x = x0 + 30; x < Gfx::kWidth; x += 22) {
                gfx.circle(x, y_of(target_ahead((x - x0) / pps)), 4,
                           Color::hex(theme_.accent, 200));
            }
        } else {
            draw_track(gfx);
        }
        if (force_) {
            draw_corridor(gfx, 0, 100, true);
        }
        if (force_) {
            draw_share_labels(gfx);
        } else {
            draw_cap(gfx);
        }
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
        const float ty = y_of(force_                                     ? target_ahead(0)
                              : rules_.phase() == rules::SquatPhase::Rep ? rules_.target_now()
                                                                         : 0.0);
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

    /// The corridor from x = `from` to the right edge, around the target ahead; with `edges`
    /// its upper and lower edges drawn as lines.
    void draw_corridor(Gfx& gfx, float from, std::uint8_t alpha, bool edges) {
        const float x0 = SquatScene::player_x_px();
        const float pps = SquatScene::pixels_per_second();
        const double corridor = rules_.corridor();
        const Color fill = Color::hex(theme_.accent, alpha);
        const Color edge = Color::hex(theme_.accent, 230);
        for (float x = from; x < Gfx::kWidth; x += 6) {
            const double ahead = (x - x0) / pps;
            if (!corridor_ahead(ahead)) {
                continue;
            }
            const double target = target_ahead(ahead);
            const float a = y_of(target - corridor);
            const float b = y_of(target + corridor);
            gfx.rect(x, std::min(a, b), 6, std::abs(b - a), fill);
            if (edges) {
                gfx.rect(x, std::min(a, b) - 2, 6, 3, edge);
                gfx.rect(x, std::max(a, b) - 1, 6, 3, edge);
            }
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
        const float surface = SquatScene::top_y_px() - 30;
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
            const float y = y_of(target_ahead((x - x0) / pps)) + 26;
            gfx.rect(x, y, 4, Gfx::kHeight - y, Color::hex(theme_.ground));
        }
        // The track's surface line.
        float px = 0, py = y_of(target_ahead((0 - x0) / pps)) + 26;
        for (float x = 8; x <= Gfx::kWidth; x += 8) {
            const float y = y_of(target_ahead((x - x0) / pps)) + 26;
            gfx.line(px, py, x, y, 5, Color::hex(0x4E3B2A));
            px = x;
            py = y;
        }
    }

    /// The clinician's depth cap: a dashed line across the scene with its words, flashing while
    /// the player is past it.
    void draw_cap(Gfx& gfx) {
        const float y = y_of(rules_.depth_cap_deg());
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

    /// Force-pad modes: the words on the corridor (even loading, its %) at the left edge, and
    /// in sit-to-stand where "seated" is. No cap line: the pad cannot see the knee bend.
    void draw_share_labels(Gfx& gfx) {
        const auto& p = ctx_.content.tuning.squat;
        // Which way is which: more weight on the leg moves the player up.
        pill(gfx, "\u2191 " + ctx_.t("squat_pad.axis_more"), SquatScene::top_y_px() - 40, false);
        pill(gfx, "\u2193 " + ctx_.t("squat_pad.axis_less"), SquatScene::bottom_y_px() - 12, false);
        pill(gfx, ctx_.tf("squat_pad.even_label", std::lround(p.load_target_pct)),
             y_of(p.load_target_pct) - 18, true);
        if (rules_.mode() == SquatMode::SitToStand) {
            pill(gfx, ctx_.t("squat_pad.seated_label"), y_of(seated_share()) - 18, false);
        }
    }

    /// A label on a light pill at the left edge of the play area, its top at `y`.
    void pill(Gfx& gfx, const std::string& text, float y, bool bold) {
        const float w = static_cast<float>(gfx.measure(text, FontSize::Small, bold).x);
        gfx.rounded_rect(14, y, w + 24, 36, 18, palette::paper.with_alpha(bold ? 225 : 190));
        gfx.text(text, 26, y + 6, FontSize::Small, bold ? palette::ink : palette::ink_soft,
                 Align::Left, bold);
    }

    /// Force-pad modes: a figure squatting (or standing up from a chair) at the tempo. The pad
    /// cannot measure the tempo: the game paces it. The figure moves between two poses, standing
    /// and the bottom of the movement (a mini squat, or seated on the chair).
    void draw_pacer(Gfx& gfx) {
        const bool sit = rules_.mode() == SquatMode::SitToStand;
        const float x = 1060, y = 150, w = 196, h = kPacerH;
        draw_card(gfx, x, y, w, h);
        gfx.text(ctx_.t(sit ? "squat_pad.pacer_sit" : "squat_pad.pacer"), x + w / 2, y + 8,
                 FontSize::Small, palette::ink_soft, Align::Center);
        const auto d = static_cast<float>(std::clamp(pacer_depth(), 0.0, 1.0));
        const float floor = y + h - 16, shin = 36, thigh = 36, trunk = 46;
        const float ax = x + w / 2 + (sit ? 30 : 10); // the ankle, on the pad
        struct Pose {
            float kx, ky, hx, hy, sx, sy;
        };
        const Pose stand{
            ax, floor - shin, ax, floor - shin - thigh, ax, floor - shin - thigh - trunk};
        const Pose bottom = sit ? Pose{ax + 4,       floor - shin,    ax - thigh,
                                       floor - shin, ax - thigh + 10, floor - shin - trunk}
                                : Pose{ax + 14, floor - shin + 3,
                                       ax - 16, floor - shin - thigh + 12,
                                       ax,      floor - shin - thigh + 12 - trunk + 3};
        const auto mix = [d](float a, float b) { return a + (b - a) * d; };
        const float kx = mix(stand.kx, bottom.kx), ky = mix(stand.ky, bottom.ky);
        const float hx = mix(stand.hx, bottom.hx), hy = mix(stand.hy, bottom.hy);
        const float sx = mix(stand.sx, bottom.sx), sy = mix(stand.sy, bottom.sy);
        if (sit) { // the chair the figure sits on
            const Color wood = Color::hex(0x8B5E3C);
            const float seat_y = floor - shin + 8, left = ax - thigh - 14, right = ax - 8;
            gfx.rect(left, seat_y, right - left, 6, wood);
            gfx.line(left + 3, seat_y, left + 3, floor, 4, wood);
            gfx.line(right - 3, seat_y, right - 3, floor, 4, wood);
            gfx.line(left + 2, seat_y, left + 2, seat_y - trunk, 5, wood);
        }
        gfx.rect(x + 16, floor, w - 32, 3, palette::ink_soft);
        gfx.rect(ax - 16, floor - 4, 40, 5, palette::accent); // the pad under the foot
        const Color body = avatar_color();
        gfx.line(ax, floor - 4, kx, ky, 8, body);
        gfx.line(kx, ky, hx, hy, 9, body);
        gfx.line(hx, hy, sx, sy, 9, body);
        gfx.line(sx, sy + 8, sx + 28, sy + 16 + 6 * d, 5, body); // arms forward for balance
        gfx.circle(sx + 2, sy - 13, 12, Color::hex(0xF3D9B1));
        gfx.rect(ax - 6, floor - 9, 20, 6, palette::ink); // the shoe
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
        if (force_ && rules_.phase() == rules::SquatPhase::GetReady) {
            help = ctx_.t(rules_.mode() == SquatMode::SitToStand ? "squat_pad.get_ready_help_sit"
                                                                 : "squat_pad.get_ready_help");
            return ctx_.tf("play.get_ready",
                           static_cast<int>(std::ceil(rules_.phase_remaining_s())));
        }
        if (force_ && rules_.phase() == rules::SquatPhase::Rep) {
            return pad_instruction(help);
        }
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

    /// Force-pad modes during a squat: follow the pacer, weight even.
    std::string pad_instruction(std::string& help) const {
        const auto& d = rules_.dose();
        if (rules_.mode() == SquatMode::SitToStand) {
            switch (rules_.trajectory().phase_at(rules_.rep_time_s())) {
            case rules::TrajectoryPhase::Up:
                help = ctx_.tf("squat_pad.sit_up_help", d.up_s);
                return ctx_.t("squat_pad.sit_up");
            case rules::TrajectoryPhase::Pause:
                help = ctx_.t("squat_pad.sit_stand_help");
                return ctx_.t("squat_pad.sit_stand");
            case rules::TrajectoryPhase::Down:
                help = ctx_.tf("squat_pad.sit_down_help", d.down_s);
                return ctx_.t("squat_pad.sit_down");
            case rules::TrajectoryPhase::Done:
                break;
            }
            // The pacer is seated again; the rep ends when the pad feels the sitting down.
            help = ctx_.t("squat_pad.sit_wait_help");
            return ctx_.t("squat_pad.sit_down");
        }
        switch (rules_.trajectory().phase_at(rules_.rep_time_s())) {
        case rules::TrajectoryPhase::Down:
            help = ctx_.tf("squat_pad.down_help", d.down_s);
            return ctx_.t("squat.down");
        case rules::TrajectoryPhase::Pause:
            help = ctx_.t("squat_pad.pause_help");
            return ctx_.t("squat.pause");
        case rules::TrajectoryPhase::Up:
            help = ctx_.tf("squat_pad.up_help", d.up_s);
            return ctx_.t("squat.up");
        case rules::TrajectoryPhase::Done:
            break;
        }
        help = ctx_.t("squat_pad.stand_help");
        return ctx_.t("squat.stand");
    }

    /// Force-pad modes: one line about the last squat, in words: even loading, or which way to
    /// shift the weight, or that the pad did not feel a squat (a stand-up).
    std::string pad_feedback(const SquatRepScore& r) const {
        const auto& p = ctx_.content.tuning.squat;
        const double c = rules_.corridor();
        if (r.success) {
            return ctx_.t("squat_pad.feedback_even");
        }
        if (rules_.mode() == SquatMode::SitToStand && r.pause_s <= 0) {
            return ctx_.t("squat_pad.feedback_no_stand");
        }
        if (last_mean_share_ >= 0 && last_mean_share_ < p.load_target_pct - c) {
            return ctx_.t("squat_pad.feedback_more");
        }
        if (last_mean_share_ > p.load_target_pct + c) {
            return ctx_.t("squat_pad.feedback_less");
        }
        // Weight even, yet no success: the load share rules did not feel a squat.
        return ctx_.t(rules_.mode() == SquatMode::SitToStand ? "squat_pad.feedback_steady"
                                                             : "squat_pad.feedback_no_squat");
    }

    /// One line about the last squat's tempo and depth, in words.
    std::string feedback() const {
        if (!last_rep_) {
            return {};
        }
        const auto& r = *last_rep_;
        if (force_) {
            return pad_feedback(r);
        }
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
        const std::string rep_of = ctx_.tf(
            rules_.mode() == SquatMode::SitToStand ? "squat_pad.sit_rep_of" : "squat.rep_of",
            std::min(rules_.rep_index() + 1, d.reps), d.reps);
        const auto rep_w = static_cast<float>(gfx.measure(rep_of, FontSize::Large, true).x);
        draw_card(gfx, 24, 20, std::max(330.0f, rep_w + 48), 132);
        gfx.text(ctx_.tf("play.set_of", rules_.set_index() + 1, d.sets), 46, 34, FontSize::Body,
                 palette::ink_soft);
        gfx.text(rep_of, 46, 66, FontSize::Large, palette::ink, Align::Left, true);
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
        if (force_) {
            gfx.text(ctx_.t("squat_pad.on_leg"), 1158, 30, FontSize::Small, palette::ink_soft,
                     Align::Center);
            gfx.text(std::to_string(std::lround(std::max(0.0, value_now()))) + " %", 1158, 58,
                     FontSize::Title, palette::ink, Align::Center, true);
            draw_pacer(gfx);
            // Honest about the cap: the pad measures weight, never the knee bend.
            const std::string cap =
                ctx_.tf("squat_pad.no_cap_line", std::lround(rules_.depth_cap_deg()));
            const float w = static_cast<float>(gfx.measure(cap, FontSize::Small).x);
            const float cy = 150 + kPacerH + 10;
            gfx.rounded_rect(1256 - w - 24, cy, w + 24, 34, 17, palette::paper.with_alpha(230));
            gfx.text(cap, 1256 - 12, cy + 6, FontSize::Small, palette::ink, Align::Right);
            guard_.draw_indicator(gfx, 1256, cy + 46);
        } else {
            gfx.text(ctx_.t("squat.knee_bend"), 1158, 30, FontSize::Small, palette::ink_soft,
                     Align::Center);
            gfx.text(std::to_string(std::lround(ctx_.input.latest_angle().deg)) + "\u00b0", 1158,
                     58, FontSize::Title, palette::ink, Align::Center, true);
            guard_.draw_indicator(gfx, 1256, 146);
        }
    }

    std::vector<std::pair<std::string, std::string>> hints() const {
        std::vector<std::pair<std::string, std::string>> h;
        switch (mode_) {
        case Mode::Playing:
            if (source_is_keyboard(ctx_) && force_) {
                h.push_back({"Space", ctx_.t("squat_pad.hint_weight")});
                h.push_back({"\u2191\u2193",
                             ctx_.tf("hint.effort", std::lround(keyboard_effort(ctx_) * 100))});
            } else if (source_is_keyboard(ctx_)) {
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
    bool force_; ///< a force-pad mode: readings are % body weight on the affected leg
    SquatScene scene_;
    double body_weight_n_ = 0; ///< force-pad modes: what 100 % is
    double share_sum_ = 0;     ///< the squat in progress: sum and count of its shares
    int share_n_ = 0;
    double last_mean_share_ = -1; ///< the last squat's mean share (-1: none)
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

/// Force-pad squats start by weighing the player on the pad: first its zero with nobody on it
/// (the input module's TareProcedure), then the body weight standing still with both feet on it
/// (rules::BodyWeightProcedure). Too much movement, or a weight that cannot be a person's, ends
/// in a clear message and a retry. No maximum push: squats need no MVC.
class SquatWeigh final : public Screen {
  public:
    explicit SquatWeigh(Context& ctx)
        : Screen(ctx), tare_(ctx.content.tuning.calibration), weigh_(ctx.content.tuning.squat) {
        ctx_.input.clear_calibration(); // raw newtons: this screen takes the pad's own zero
        set_patient_cue(ctx_, {input::PatientCue::Kind::OffPad});
    }
    std::string name() const override {
        if (guard_.lost()) {
            return "squat_weigh_sensor_lost";
        }
        switch (stage_) {
        case Stage::Zero:
            return "squat_zero";
        case Stage::Weigh:
            return "squat_weigh";
        case Stage::Done:
            return "squat_weigh_done";
        case Stage::Failed:
            return "squat_weigh_failed";
        }
        return "squat_weigh";
    }

    void step(double dt) override {
        t_ += dt;
        readings_.clear();
        ctx_.input.poll(readings_);
        switch (guard_.step(dt)) {
        case SensorGuard::Status::Ok:
            break;
        case SensorGuard::Status::Lost:
            return; // a weight cut short by an unplug means nothing
        case SensorGuard::Status::Reconnected:
            restart(Stage::Zero); // a replugged load cell has a new zero
            return;
        case SensorGuard::Status::Switched:
            // The keyboard has nobody to weigh: back to the plan, which starts it at once.
            set_patient_cue(ctx_, {});
            ctx_.screens.pop();
            return;
        }
        for (const auto& r : readings_) {
            latest_n_ = r.filtered_n;
            if (stage_ == Stage::Zero) {
                tare_.feed(r.t_us, r.filtered_n);
                if (tare_.failed()) {
                    fail(ctx_.t("squat_pad.failed_zero"));
                } else if (tare_.zero_n()) {
                    zero_n_ = *tare_.zero_n();
                    stage_ = Stage::Weigh;
                    stand_on_pad(true);
                    ctx_.audio.play("rest_end");
                }
            } else if (stage_ == Stage::Weigh) {
                weigh_.update(r.t_us, r.filtered_n - zero_n_);
                if (weigh_.state() == rules::BodyWeightProcedure::State::Done) {
                    stage_ = Stage::Done;
                    stand_on_pad(false);
                    ctx_.audio.play("set_complete");
                } else if (weigh_.state() == rules::BodyWeightProcedure::State::Failed) {
                    const bool implausible =
                        weigh_.failure() == rules::BodyWeightProcedure::Failure::Implausible;
                    fail(implausible ? ctx_.tf("squat_pad.failed_implausible",
                                               std::lround(latest_n_ - zero_n_))
                                     : ctx_.t("squat_pad.failed_not_still"));
                }
            }
        }
    }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_title(gfx, ctx_.t("squat_pad.weigh_title"));
        draw_card(gfx, 190, 130, 900, 450);
        const float cx = 640;
        switch (stage_) {
        case Stage::Zero:
            draw_measuring(gfx, "squat_pad.zero", "squat_pad.zero_help", tare_.progress(),
                           latest_n_);
            break;
        case Stage::Weigh:
            draw_measuring(gfx, "squat_pad.weigh", "squat_pad.weigh_help", weigh_.progress(),
                           latest_n_ - zero_n_);
            break;
        case Stage::Done: {
            const double n = weigh_.body_weight_n();
            gfx.text(ctx_.t("squat_pad.done"), cx, 160, FontSize::Large, palette::accent,
                     Align::Center, true);
            gfx.text(ctx_.tf("squat_pad.done_weight", std::lround(n / kGravity), std::lround(n)),
                     cx, 230, FontSize::Title, palette::ink, Align::Center, true);
            gfx.paragraph(ctx_.t(ctx_.draft.squat_mode == SquatMode::SitToStand
                                     ? "squat_pad.done_help_sit"
                                     : "squat_pad.done_help"),
                          cx, 330, 780, FontSize::Body, palette::ink, Align::Center);
            break;
        }
        case Stage::Failed:
            gfx.text(ctx_.t("squat_pad.failed"), cx, 160, FontSize::Large, palette::stop,
                     Align::Center, true);
            gfx.paragraph(error_, cx, 240, 780, FontSize::Body, palette::ink, Align::Center);
            break;
        }
        std::vector<std::pair<std::string, std::string>> hints;
        if (stage_ == Stage::Done || stage_ == Stage::Failed) {
            hints.push_back({"Enter", ctx_.t(stage_ == Stage::Done ? "hint.next" : "hint.retry")});
        }
        hints.push_back({"Esc", ctx_.t("hint.back")});
        guard_.draw_indicator(gfx, 1256, 92);
        if (guard_.lost()) {
            guard_.draw_card(gfx);
            hints = {{"K", ctx_.t("hint.keyboard")}, {"Esc", ctx_.t("hint.back")}};
        }
        draw_hints(gfx, hints);
    }

    bool handle(const SDL_Event& e) override {
        if (guard_.handle(e)) {
            return true;
        }
        if (is_back(e)) {
            set_patient_cue(ctx_, {});
            ctx_.screens.pop(); // back to today's squats
            return true;
        }
        if (!is_confirm(e)) {
            return false;
        }
        if (stage_ == Stage::Done) {
            ctx_.draft.squat_body_weight_n = weigh_.body_weight_n();
            ctx_.draft.squat_pad_zero_n = zero_n_;
            ctx_.screens.pop();
            ctx_.screens.replace(make_squat_play(ctx_));
        } else if (stage_ == Stage::Failed) {
            // A failed zero starts over; a failed weighing keeps the zero and weighs again.
            restart(zero_failed_ ? Stage::Zero : Stage::Weigh);
        }
        return true;
    }

  private:
    enum class Stage { Zero, Weigh, Done, Failed };

    /// Ring, progress and the live reading while a still window is being looked for.
    void draw_measuring(Gfx& gfx, const std::string& title, const std::string& help,
                        double progress, double newtons) {
        const float cx = 640;
        gfx.text(ctx_.t(title), cx, 160, FontSize::Large, palette::ink, Align::Center, true);
        gfx.paragraph(ctx_.t(help), cx, 215, 780, FontSize::Body, palette::ink_soft, Align::Center);
        const auto p = static_cast<float>(std::clamp(progress, 0.0, 1.0));
        gfx.arc(cx, 410, 80, 18, 0, 2 * kPi, palette::accent_soft);
        gfx.arc(cx, 410, 80, 18, 0, 2 * kPi * p, palette::accent);
        gfx.text(std::to_string(static_cast<int>(p * 100)) + " %", cx, 390, FontSize::Large,
                 palette::ink, Align::Center, true);
        gfx.text(ctx_.tf("squat_pad.reading", std::lround(newtons)), cx, 510, FontSize::Body,
                 palette::ink_soft, Align::Center);
    }

    /// The virtual patient: both feet on the pad while weighed, else the affected foot only.
    void stand_on_pad(bool both_feet) {
        input::PatientCue cue;
        cue.kind = input::PatientCue::Kind::Squat;
        cue.both_feet = both_feet;
        set_patient_cue(ctx_, cue);
    }

    void fail(const std::string& why) {
        zero_failed_ = stage_ == Stage::Zero;
        stage_ = Stage::Failed;
        error_ = why;
        ctx_.audio.play("pain_stop");
    }

    void restart(Stage stage) {
        stage_ = stage;
        error_.clear();
        weigh_ = rules::BodyWeightProcedure(ctx_.content.tuning.squat);
        if (stage == Stage::Zero) {
            tare_ = input::TareProcedure(ctx_.content.tuning.calibration);
            set_patient_cue(ctx_, {input::PatientCue::Kind::OffPad});
        } else {
            stand_on_pad(true);
        }
    }

    input::TareProcedure tare_;
    rules::BodyWeightProcedure weigh_;
    Stage stage_ = Stage::Zero;
    bool zero_failed_ = false;
    double zero_n_ = 0;
    double latest_n_ = 0;
    std::string error_;
    std::vector<input::ForceReading> readings_;
    SensorGuard guard_{ctx_};
    double t_ = 0;
};

/// Today's squats with one button to start: the dose (depth, tempo, reps), why it is what it
/// is, and the squat mode (M or Left/Right when the source can play more than one). Squats need
/// no force calibration; the force-pad modes weigh the player first (SquatWeigh).
class SquatPlan final : public Screen {
  public:
    explicit SquatPlan(Context& ctx) : Screen(ctx), modes_(modes_for(ctx)) {
        // The outer loop decides today's squats from the sessions since its last decision.
        const SquatTodayPlan today = plan_squats_today(ctx_);
        child_ = today.child;
        auto& d = ctx_.draft;
        d.squat_dose = today.dose;
        d.level_id = today.level_id;
        d.plan_reason = today.reason;
        d.plan_locked = today.locked;
        d.squat_stair = today.stair;
        d.squat_stair_state = today.stair_state;
        if (std::find(modes_.begin(), modes_.end(), d.squat_mode) == modes_.end()) {
            d.squat_mode = modes_.front();
        }
        sync_mode();
    }
    std::string name() const override { return "squat_plan"; }
    void step(double dt) override { t_ += dt; }
    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        const SquatDose& d = ctx_.draft.squat_dose;
        const SquatMode mode = ctx_.draft.squat_mode;
        const auto* level = ctx_.content.squat_level(ctx_.draft.level_id);
        const auto cap = std::lround(d.depth_cap_deg);
        draw_title(gfx, ctx_.t("plan.title"));
        draw_card(gfx, 190, 124, 900, 486);
        const std::string heading = level == nullptr ? ctx_.t("plan.yours")
                                    : child_.applied // simpler words: the level's name only
                                        ? level->name
                                        : ctx_.tf("squat.plan_level", level->id, level->name);
        const FontSize size =
            !child_.applied && gfx.measure(heading, FontSize::Large, true).x <= 860
                ? FontSize::Large
                : FontSize::Body;
        gfx.text(heading, 640, size == FontSize::Large ? 138 : 146, size, palette::accent,
                 Align::Center, true);
        draw_modes(gfx, 192);
        const std::string dose =
            mode == SquatMode::LoadShare ? ctx_.tf("squat_pad.plan_dose", d.sets, d.reps)
            : mode == SquatMode::SitToStand
                ? ctx_.tf("squat_pad.plan_dose_sit", d.sets, d.reps)
                : ctx_.tf("squat.plan_dose", d.sets, d.reps, std::lround(d.depth_deg));
        // Flowing down the card: a child's bigger words take more lines.
        const FontSize words = child_.applied ? FontSize::Small : FontSize::Body;
        gfx.text(dose, 640, 248, FontSize::Body, palette::ink, Align::Center, true);
        gfx.text(mode == SquatMode::SitToStand
                     ? ctx_.tf("squat_pad.plan_tempo_sit", d.up_s, d.pause_s, d.down_s)
                     : ctx_.tf("squat.plan_tempo", d.down_s, d.pause_s, d.up_s),
                 640, 248 + static_cast<float>(gfx.font_px(FontSize::Body)) * 1.4f, FontSize::Body,
                 palette::ink_soft, Align::Center);
        std::string why = !ctx_.draft.plan_reason.empty() ? ctx_.draft.plan_reason
                          : level != nullptr              ? level->description
                                                          : std::string();
        if (child_.applied) { // a child's short rounds and their rests, said plainly
            const long minutes = std::max(1L, std::lround(child_.level_s / 60.0));
            why = ctx_.tf(minutes == 1 ? "child.plan.round_minute" : "child.plan.round_minutes",
                          minutes) +
                  " " +
                  (d.sets > 1 ? ctx_.tf("child.plan.squat_rests_sets", d.rest_s, d.set_rest_s)
                              : ctx_.tf("child.plan.squat_rests", d.rest_s));
            // (The plan's reason is for grown-ups: it is on the progress view's plan page.)
        }
        float y = 248 + static_cast<float>(gfx.font_px(FontSize::Body)) * 2.8f;
        y += gfx.paragraph(why, 640, y, 800, words,
                           ctx_.draft.plan_locked ? palette::stop : palette::ink, Align::Center) +
             12;
        std::string how = ctx_.tf("squat.plan_how", cap);
        if (mode == SquatMode::LoadShare) {
            how = ctx_.tf("squat_pad.plan_how", cap);
        } else if (mode == SquatMode::SitToStand) {
            how = ctx_.tf("squat_pad.plan_how_sit", cap);
        }
        if (is_force_mode(mode)) {
            how += " " + ctx_.t(source_is_keyboard(ctx_) ? "squat_pad.plan_keyboard"
                                                         : "squat_pad.plan_weigh_first");
        }
        gfx.paragraph(how, 640, std::max(y, 398.0f), 820, FontSize::Small, palette::ink_soft,
                      Align::Center);
        const float button_y = child_.applied ? 532 : 522; // a child's card holds bigger words
        gfx.rounded_rect(490, button_y, 300, 70, 35, palette::accent);
        gfx.text(ctx_.t("plan.start"), 640, button_y + 18, FontSize::Body, palette::paper,
                 Align::Center, true);
        std::vector<std::pair<std::string, std::string>> hints{{"Enter", ctx_.t("plan.start")}};
        if (modes_.size() > 1) {
            hints.push_back({"M", ctx_.t("squat_pad.hint_mode")});
        }
        hints.push_back({"Esc", ctx_.t("hint.back")});
        draw_hints(gfx, hints);
    }
    bool handle(const SDL_Event& e) override {
        if (is_back(e)) {
            ctx_.screens.reset(make_profile_home(ctx_));
            return true;
        }
        if (e.type == SDL_KEYDOWN && modes_.size() > 1 &&
            (e.key.keysym.sym == SDLK_m || e.key.keysym.sym == SDLK_RIGHT ||
             e.key.keysym.sym == SDLK_LEFT)) {
            const auto it = std::find(modes_.begin(), modes_.end(), ctx_.draft.squat_mode);
            const auto n = static_cast<int>(modes_.size());
            const int step = e.key.keysym.sym == SDLK_LEFT ? n - 1 : 1;
            ctx_.draft.squat_mode = modes_[static_cast<std::size_t>(
                (static_cast<int>(it - modes_.begin()) + step) % n)];
            sync_mode();
            return true;
        }
        if (is_confirm(e)) {
            // A pad is weighed first; the keyboard's full effort stands for body weight.
            if (is_force_mode(ctx_.draft.squat_mode) && !source_is_keyboard(ctx_)) {
                ctx_.screens.push(std::make_unique<SquatWeigh>(ctx_));
            } else {
                ctx_.screens.replace(make_squat_play(ctx_));
            }
            return true;
        }
        return false;
    }

  private:
    ChildFit child_; ///< how a child's squats were fitted into short rounds

    /// The inner loop may tighten the tempo tolerance only where the tempo is measured.
    void sync_mode() {
        if (ctx_.draft.squat_stair) {
            ctx_.draft.squat_stair->tempo_measured = ctx_.draft.squat_mode == SquatMode::KneeAngle;
        }
    }

    /// The modes as a row of labelled pills, the chosen one filled (shape and words, not colour
    /// alone: it also carries a tick).
    void draw_modes(Gfx& gfx, float y) {
        std::vector<std::string> labels;
        float total = 0;
        for (SquatMode m : modes_) {
            labels.push_back((m == ctx_.draft.squat_mode ? "\u2713 " : "") + ctx_.t(mode_key(m)));
            total += static_cast<float>(gfx.measure(labels.back(), FontSize::Small, true).x) + 44;
        }
        total += 12.0f * static_cast<float>(modes_.size() - 1);
        if (total > 860) { // large text: only the chosen mode, with arrows that say M changes it
            const std::string one =
                "\u2039 " +
                labels[static_cast<std::size_t>(
                    std::find(modes_.begin(), modes_.end(), ctx_.draft.squat_mode) -
                    modes_.begin())] +
                " \u203a";
            const float w = static_cast<float>(gfx.measure(one, FontSize::Small, true).x) + 44;
            gfx.rounded_rect(640 - w / 2, y, w, 40, 20, palette::accent);
            gfx.text(one, 640, y + 8, FontSize::Small, palette::paper, Align::Center, true);
            return;
        }
        float x = 640 - total / 2;
        for (std::size_t i = 0; i < modes_.size(); ++i) {
            const bool on = modes_[i] == ctx_.draft.squat_mode;
            const float w =
                static_cast<float>(gfx.measure(labels[i], FontSize::Small, true).x) + 44;
            if (on) {
                gfx.rounded_rect(x, y, w, 40, 20, palette::accent);
            } else {
                gfx.rounded_rect(x, y, w, 40, 20, palette::ink_soft);
                gfx.rounded_rect(x + 2, y + 2, w - 4, 36, 18, palette::paper);
            }
            gfx.text(labels[i], x + w / 2, y + 8, FontSize::Small,
                     on ? palette::paper : palette::ink_soft, Align::Center, on);
            x += w + 12;
        }
    }

    std::vector<SquatMode> modes_;
    double t_ = 0;
};

} // namespace

std::unique_ptr<Screen> make_squat_plan(Context& ctx) {
    return std::make_unique<SquatPlan>(ctx);
}

} // namespace qv::game
