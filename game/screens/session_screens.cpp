// Before play: the pain check-in, the sensor, and today's plan.

#include "core/log.hpp"
#include "engine/red_flags.hpp"
#include "game/adaptation.hpp"
#include "game/audio.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/screens/screens.hpp"
#include "game/two_point.hpp"
#include "game/widgets.hpp"
#include "input/drivers/keyboard/keyboard.hpp"
#include "input/usb_watch.hpp"
#include "profiles/two_point_store.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace qv::game {

namespace {

/// Pain now (0-10, faces for children); on the first launch after a session day, pain this
/// morning (the next-morning rule); how the knee felt this morning compared with usual.
class CheckIn final : public Screen {
  public:
    explicit CheckIn(Context& ctx)
        : Screen(ctx), pain_(ctx.profile->child), next_morning_(ctx.profile->child),
          morning_({ctx.t("checkin.better"), ctx.t("checkin.same"), ctx.t("checkin.worse")}, 1),
          awaiting_(ctx.store.session_awaiting_next_morning(ctx.profile->id)) {}
    std::string name() const override {
        static const char* kNames[] = {"checkin", "checkin_next_morning", "checkin_morning"};
        return kNames[static_cast<int>(step_)];
    }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        const std::vector<std::pair<std::string, std::string>> rate_hints{
            {pain_.child() ? "\u2190\u2192" : "0-10 / \u2190\u2192", ctx_.t("hint.rate")},
            {"Enter", ctx_.t("hint.next")},
            {"Esc", ctx_.t("hint.back")}};
        switch (step_) {
        case Step::PainNow:
            draw_title(
                gfx, ctx_.t("checkin.pain_title"),
                ctx_.t(pain_.child() ? "checkin.pain_subtitle_faces" : "checkin.pain_subtitle"));
            pain_.draw(gfx, 240, ctx_.t("scale.nrs_low"), ctx_.t("scale.nrs_high"));
            draw_hints(gfx, rate_hints);
            break;
        case Step::NextMorning:
            draw_title(gfx, ctx_.t("checkin.next_morning_title"),
                       ctx_.t("checkin.next_morning_subtitle"));
            next_morning_.draw(gfx, 240, ctx_.t("scale.nrs_low"), ctx_.t("scale.nrs_high"));
            draw_hints(gfx, rate_hints);
            break;
        case Step::Morning:
            draw_title(gfx, ctx_.t("checkin.morning_title"), ctx_.t("checkin.morning_subtitle"));
            morning_.draw(gfx, 260);
            draw_hints(gfx, {{"\u2190\u2192", ctx_.t("hint.choose")},
                             {"Enter", ctx_.t("hint.next")},
                             {"Esc", ctx_.t("hint.back")}});
            break;
        }
    }

    bool handle(const SDL_Event& e) override {
        if (is_back(e)) {
            if (step_ == Step::PainNow) {
                ctx_.screens.pop();
            } else {
                step_ = Step::PainNow;
                pain_.reset(pain_.value());
            }
            return true;
        }
        switch (step_) {
        case Step::PainNow: {
            const bool used = pain_.handle(e);
            if (pain_.confirmed()) {
                ctx_.draft.pain_before = pain_.value();
                ctx_.draft.pain_scale = pain_.scale();
                engine::RedFlagAnswers rest;
                rest.rest_pain = pain_.value();
                if (engine::screen(rest, ctx_.content.tuning.pain).stop_today) {
                    ctx_.screens.replace(make_rest_today(ctx_));
                } else {
                    step_ = awaiting_ ? Step::NextMorning : Step::Morning;
                }
            }
            return used;
        }
        case Step::NextMorning: {
            const bool used = next_morning_.handle(e);
            if (next_morning_.confirmed()) {
                save_next_morning();
                step_ = Step::Morning;
            }
            return used;
        }
        case Step::Morning: {
            const bool used = morning_.handle(e);
            if (morning_.confirmed()) {
                static const char* kAnswers[] = {"better", "same", "worse"};
                ctx_.draft.morning_vs_usual = kAnswers[morning_.value()];
                // First session of the day, or a later one after a "yes" today: the list again
                // (and no exercise while any answer is yes).
                const auto id = ctx_.profile->id;
                const bool ask =
                    !ctx_.store.red_flags_checked_today(id) || ctx_.store.red_flag_raised_today(id);
                ctx_.screens.replace(ask ? make_red_flags(ctx_) : make_sensor(ctx_));
            }
            return used;
        }
        }
        return false;
    }

  private:
    enum class Step { PainNow, NextMorning, Morning };

    void save_next_morning() {
        profiles::PainEntry pain;
        pain.profile_id = ctx_.profile->id;
        pain.session_id = awaiting_->id;
        pain.moment = profiles::PainMoment::NextMorning;
        pain.scale = next_morning_.scale();
        pain.score = next_morning_.value();
        if (auto r = ctx_.store.add_pain(pain); !r) {
            ctx_.storage_error = r.error().message;
        }
    }

    PainScale pain_;
    PainScale next_morning_;
    ChoiceRow morning_;
    std::optional<profiles::SessionRecord> awaiting_;
    Step step_ = Step::PainNow;
    double t_ = 0;
};

/// Pain at rest is too high to exercise today: say so plainly and keep the rating.
class RestToday final : public Screen {
  public:
    explicit RestToday(Context& ctx) : Screen(ctx) {
        if (ctx_.profile) {
            profiles::PainEntry pain;
            pain.profile_id = ctx_.profile->id;
            pain.moment = profiles::PainMoment::Before;
            pain.scale = ctx_.draft.pain_scale;
            pain.score = ctx_.draft.pain_before;
            pain.recorded_at = profiles::now_iso8601();
            if (auto r = ctx_.store.add_pain(pain); !r) {
                ctx_.storage_error = r.error().message;
            }
            // Pain of 8 or more at rest is a red flag (CLINICAL.md): it is kept as one.
            profiles::RedFlagCheck check;
            check.profile_id = ctx_.profile->id;
            check.flags = {"rest_pain"};
            if (auto r = ctx_.store.add_red_flag_check(check); !r) {
                ctx_.storage_error = r.error().message;
            }
        }
    }
    std::string name() const override { return "rest_today"; }
    void step(double dt) override { t_ += dt; }
    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_card(gfx, 190, 120, 900, 420);
        gfx.text(ctx_.t("rest_today.title"), 640, 160, FontSize::Title, palette::ink, Align::Center,
                 true);
        gfx.paragraph(ctx_.tf("rest_today.body", ctx_.draft.pain_before), 640, 260, 800,
                      FontSize::Body, palette::ink, Align::Center);
        draw_hints(gfx, {{"Enter", ctx_.t("hint.ok")}});
    }
    bool handle(const SDL_Event& e) override {
        if (is_confirm(e) || is_back(e)) {
            ctx_.screens.reset(make_profile_home(ctx_));
            return true;
        }
        return false;
    }

  private:
    double t_ = 0;
};

/// Which source drives the game. Connected USB sensors come first and the first one is chosen
/// for the player; a sensor plugged in while this screen is open appears at once (hot-plug).
/// Without one the game says so and offers the keyboard (or the virtual patient, or a
/// recording given with --replay).
class SensorChoice final : public Screen {
  public:
    explicit SensorChoice(Context& ctx)
        : Screen(ctx), watcher_(input::usb_ids()), choice_(std::vector<std::string>{}, 0) {
        if (!watcher_.start()) {
            log::get("game")->info("not watching USB: {}", watcher_.last_error());
        }
        rebuild(watcher_.connected(), true);
    }
    ~SensorChoice() override { watcher_.stop(); }
    std::string name() const override { return "sensor"; }
    void step(double dt) override {
        t_ += dt;
        bool arrived = false, changed = false;
        for (const auto& c : watcher_.poll_changes()) {
            changed = true;
            arrived = arrived || c.kind == input::UsbChange::Kind::Arrived;
        }
        // The joystick board comes and goes through SDL (game/joystick.hpp), not libusb.
        if (const bool board = ctx_.drivers.joystick.has_value(); board != joystick_seen_) {
            changed = true;
            arrived = arrived || board;
        }
        if (changed) {
            rebuild(watcher_.connected(), arrived);
            ctx_.audio.play(arrived ? "sensor_back" : "sensor_lost");
        }
    }
    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        const std::string found = sensors_ == 0
                                      ? ctx_.t("sensor.none_found")
                                      : ctx_.tf("sensor.found", ctx_.t("source." + ids_.front()));
        draw_title(gfx, ctx_.t("sensor.title"), found);
        const float tile = ids_.size() > 3 ? 260.0f : 380.0f;
        choice_.draw(gfx, 220, tile, 150);
        const std::string& id = ids_[static_cast<std::size_t>(choice_.value())];
        const auto* row = input::find_driver(id);
        const std::string help = row != nullptr && row->measures ? ctx_.t("sensor.usb_help")
                                 : ctx_.draft.exercise == "squat" && id == "keyboard"
                                     ? ctx_.t("sensor.keyboard_squat_help")
                                     : ctx_.t("sensor." + id + "_help");
        gfx.paragraph(help, 640, 420, 900, FontSize::Body, palette::ink, Align::Center);
        if (!error_.empty()) {
            draw_banner(gfx, error_);
        }
        draw_hints(gfx, {{"\u2190\u2192", ctx_.t("hint.choose")},
                         {"Enter", ctx_.t("hint.next")},
                         {"Esc", ctx_.t("hint.back")}});
    }
    bool handle(const SDL_Event& e) override {
        if (is_back(e)) {
            ctx_.screens.pop();
            return true;
        }
        if (e.type == SDL_KEYDOWN &&
            (e.key.keysym.sym == SDLK_HOME || e.key.keysym.sym == SDLK_END)) {
            // Home: the first choice (a sensor when one is connected); End: the last one.
            select(e.key.keysym.sym == SDLK_HOME ? 0 : static_cast<int>(ids_.size()) - 1);
            return true;
        }
        const bool used = choice_.handle(e);
        if (choice_.confirmed()) {
            choice_.reset();
            const std::string id = ids_[static_cast<std::size_t>(choice_.value())];
            if (!ctx_.use_source(id)) {
                const auto* src = ctx_.input.source();
                error_ = ctx_.tf("sensor.start_failed", ctx_.t("source." + id),
                                 src != nullptr ? src->last_error() : std::string());
                return true;
            }
            // Squats follow the knee angle or, with a force sensor under the affected foot, the
            // share of body weight on that leg (the squat plan offers the force-pad modes). Only
            // a source that measures neither cannot play them.
            const auto* started = ctx_.input.source();
            if (ctx_.draft.exercise == "squat" && started != nullptr &&
                !started->caps().knee_angle && !started->caps().force) {
                error_ = ctx_.tf("sensor.no_angle", ctx_.t("source." + id));
                return true;
            }
            ctx_.draft.driver_id = id;
            ctx_.draft.calibration =
                ctx_.store.latest_calibration(ctx_.profile->id, ctx_.draft.driver_id);
            // A raw load cell (joystick board, PhidgetBridge) needs its two-point calibration
            // first; a new one also makes a new zero and MVC calibration due.
            if (needs_two_point(ctx_) && !apply_stored_two_point(ctx_, id)) {
                ctx_.screens.replace(make_two_point_calibration(ctx_));
                return true;
            }
            // Store::latest_calibration() does not look at the kind: a two-point row is no MVC.
            if (const auto tp =
                    profiles::latest_two_point_calibration(ctx_.store, ctx_.profile->id, id);
                tp && ctx_.draft.calibration && ctx_.draft.calibration->id == tp->id) {
                ctx_.draft.calibration.reset();
            }
            ctx_.screens.replace(calibration_due() ? make_calibrate(ctx_) : make_plan(ctx_));
        }
        return used;
    }

  private:
    bool calibration_due() const {
        const auto& cal = ctx_.draft.calibration;
        if (!cal) {
            return true;
        }
        // created_at is ISO 8601 UTC; compare calendar days.
        std::tm tm{};
        if (strptime(cal->created_at.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) {
            return true;
        }
        const auto then = std::chrono::system_clock::from_time_t(timegm(&tm));
        const auto age = std::chrono::system_clock::now() - then;
        return age > std::chrono::duration<double, std::ratio<86400>>(
                         ctx_.content.tuning.calibration.retest_days);
    }
    /// The choices: connected sensors (registry order), then the keyboard, the virtual patient
    /// and a recording when one was given. Keeps the selection, or selects a new sensor.
    void rebuild(const std::vector<input::UsbPresence>& connected, bool prefer_sensor) {
        const std::string previous =
            ids_.empty() ? std::string() : ids_[static_cast<std::size_t>(choice_.value())];
        ids_.clear();
        for (const auto& row : input::drivers()) {
            if (row.transport != input::Transport::Usb) {
                continue;
            }
            for (const auto& dev : connected) {
                if (dev.id.vendor == row.usb_vendor && dev.id.product == row.usb_product) {
                    ids_.emplace_back(row.id);
                    break;
                }
            }
        }
        joystick_seen_ = ctx_.drivers.joystick.has_value();
        if (joystick_seen_) {
            ids_.emplace_back("joystick");
        }
        sensors_ = ids_.size();
        ids_.emplace_back("keyboard");
        ids_.emplace_back("simulator");
        if (!ctx_.drivers.replay_file.empty()) {
            ids_.emplace_back("replay");
        }
        int index = 0;
        if (!(prefer_sensor && sensors_ > 0)) {
            const auto it = std::find(ids_.begin(), ids_.end(), previous);
            index =
                it == ids_.end() ? static_cast<int>(sensors_) : static_cast<int>(it - ids_.begin());
        }
        select(index);
    }
    void select(int index) {
        std::vector<std::string> labels;
        for (const auto& id : ids_) {
            labels.push_back(id == "joystick" && ctx_.drivers.joystick
                                 ? ctx_.tf("two_point.joystick_label", ctx_.drivers.joystick->name)
                                 : ctx_.t(id == "keyboard" || id == "simulator" ? "sensor." + id
                                                                                : "source." + id));
        }
        choice_ =
            ChoiceRow(std::move(labels), std::clamp(index, 0, static_cast<int>(ids_.size()) - 1));
    }

    input::UsbWatcher watcher_;
    ChoiceRow choice_;
    std::vector<std::string> ids_;
    std::size_t sensors_ = 0;    ///< how many of ids_ are connected USB sensors (they come first)
    bool joystick_seen_ = false; ///< a joystick board was listed
    std::string error_;
    double t_ = 0;
};

/// Today's plan with one button to start. The dose comes from the profile's plan, which the
/// adaptation engine moves between sessions; the reason for it is shown. Before the first
/// session the player may pick the starting level (up to the content's limit without a
/// clinician's plan).
class Plan final : public Screen {
  public:
    explicit Plan(Context& ctx)
        : Screen(ctx), today_(plan_today(ctx)),
          first_time_(ctx.store.recent_sessions(ctx.profile->id, 1).empty()) {
        const auto& levels = ctx_.content.quadset_levels;
        for (std::size_t i = 0; i < levels.size(); ++i) {
            if (levels[i].id == ctx_.profile->level_id) {
                index_ = static_cast<int>(i);
            }
            if (levels[i].id == ctx_.content.tuning.max_level_without_plan) {
                max_index_ = static_cast<int>(i);
            }
        }
        if (max_index_ < 0) {
            max_index_ = static_cast<int>(levels.size()) - 1;
        }
        index_ = std::min(index_, max_index_);
    }
    std::string name() const override { return "plan"; }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        const auto& level = ctx_.content.quadset_levels[static_cast<std::size_t>(index_)];
        ChildFit fit = today_.child;
        const QuadSetDose d =
            first_time_ ? dose_for_profile(ctx_, level.dose, today_.cap_reps, &fit) : today_.dose;
        draw_title(gfx, ctx_.t("plan.title"));
        const float button_y = fit.applied ? 548 : 505; // a child's card holds bigger words
        if (fit.applied) {
            draw_card(gfx, 170, 116, 940, 520);
            draw_child(gfx, level, d, fit);
        } else {
            draw_card(gfx, 190, 130, 900, 470);
            if (first_time_) {
                gfx.text(ctx_.tf("plan.level", level.id, level.name), 640, 150, FontSize::Large,
                         palette::accent, Align::Center, true);
            } else {
                gfx.text(ctx_.t("plan.yours"), 640, 150, FontSize::Large, palette::accent,
                         Align::Center, true);
            }
            gfx.text(
                ctx_.tf("plan.dose", d.sets, d.reps, d.hold_s, d.band_low_pct, d.band_high_pct),
                640, 206, FontSize::Body, palette::ink, Align::Center, true);
            gfx.text(ctx_.tf("plan.rest", d.rest_s), 640, 246, FontSize::Body, palette::ink_soft,
                     Align::Center);
            const std::string why = first_time_ ? level.description : today_.reason;
            gfx.paragraph(why, 640, 290, 780, FontSize::Body,
                          today_.locked ? palette::stop : palette::ink, Align::Center);
            gfx.paragraph(ctx_.t("plan.how"), 640, 380, 780, FontSize::Small, palette::ink_soft,
                          Align::Center);
            if (ctx_.draft.calibration) {
                gfx.text(ctx_.tf("plan.calibration", std::lround(ctx_.draft.calibration->mvc_n),
                                 ctx_.draft.calibration->created_at.substr(0, 10)),
                         640, 462, FontSize::Small, palette::ink_soft, Align::Center);
            }
        }
        gfx.rounded_rect(490, button_y, 300, 70, 35, palette::accent);
        gfx.text(ctx_.t("plan.start"), 640, button_y + 18, FontSize::Body, palette::paper,
                 Align::Center, true);
        std::vector<std::pair<std::string, std::string>> hints{{"Enter", ctx_.t("plan.start")}};
        if (first_time_) {
            hints.push_back({"\u2190\u2192", ctx_.t("plan.hint_level")});
        }
        hints.push_back({"C", ctx_.t("plan.hint_calibrate")});
        hints.push_back({"Esc", ctx_.t("hint.back")});
        draw_hints(gfx, hints);
    }

    /// Child mode: the level's name, the pushes, how long a round lasts and that its rests are
    /// part of the game, why, and how; in simple words and flowing down the card.
    void draw_child(Gfx& gfx, const content::QuadSetLevel& level, const QuadSetDose& d,
                    const ChildFit& fit) {
        gfx.text(first_time_ ? level.name : ctx_.t("plan.yours"), 640, 130, FontSize::Large,
                 palette::accent, Align::Center, true);
        gfx.text(ctx_.tf("plan.dose", d.sets, d.reps, d.hold_s, d.band_low_pct, d.band_high_pct),
                 640, 184, FontSize::Body, palette::ink, Align::Center, true);
        const long minutes = std::max(1L, std::lround(fit.level_s / 60.0));
        const std::string rounds =
            ctx_.tf(minutes == 1 ? "child.plan.round_minute" : "child.plan.round_minutes", minutes);
        const std::string rests = d.sets > 1
                                      ? ctx_.tf("child.plan.rests_sets", d.rest_s, d.set_rest_s)
                                      : ctx_.tf("child.plan.rests", d.rest_s);
        float y = 232;
        y += gfx.paragraph(rounds + " " + rests, 640, y, 840, FontSize::Small, palette::ink,
                           Align::Center) +
             14;
        const std::string why = first_time_ ? level.description : today_.reason;
        y += gfx.paragraph(why, 640, y, 840, FontSize::Small,
                           today_.locked ? palette::stop : palette::ink_soft, Align::Center) +
             14;
        gfx.paragraph(ctx_.t("plan.how"), 640, y, 840, FontSize::Small, palette::ink_soft,
                      Align::Center);
    }

    bool handle(const SDL_Event& e) override {
        if (first_time_ && e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_LEFT) {
            index_ = std::max(0, index_ - 1);
            return true;
        }
        if (first_time_ && e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_RIGHT) {
            index_ = std::min(max_index_, index_ + 1);
            return true;
        }
        if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_c) {
            ctx_.screens.replace(make_calibrate(ctx_));
            return true;
        }
        if (is_back(e)) {
            ctx_.screens.reset(make_profile_home(ctx_));
            return true;
        }
        if (is_confirm(e)) {
            start();
            return true;
        }
        return false;
    }

  private:
    void start() {
        const auto& level = ctx_.content.quadset_levels[static_cast<std::size_t>(index_)];
        if (first_time_) {
            // The chosen starting level becomes the plan's dose.
            if (auto plan = ctx_.store.plan(ctx_.profile->id)) {
                plan->dose = level.dose;
                if (auto r = ctx_.store.save_plan(*plan); !r) {
                    ctx_.storage_error = r.error().message;
                }
            }
            today_.dose = dose_for_profile(ctx_, level.dose, today_.cap_reps, &today_.child);
            today_.stair_state.value = engine::band_half_width(level.dose);
        }
        if (first_time_ && level.id != ctx_.profile->level_id) {
            if (auto r = ctx_.store.set_level(ctx_.profile->id, level.id); r) {
                ctx_.profile->level_id = level.id;
            }
        }
        auto& d = ctx_.draft;
        d.level_id = ctx_.profile->level_id;
        d.dose = today_.dose;
        d.plan_reason = first_time_ ? std::string() : today_.reason;
        d.plan_locked = today_.locked;
        d.stair = today_.stair;
        d.stair_state = today_.stair_state;
        ctx_.screens.replace(make_play(ctx_));
    }

    TodayPlan today_;
    bool first_time_;
    int index_ = 0;
    int max_index_ = -1;
    double t_ = 0;
};

} // namespace

std::unique_ptr<Screen> make_checkin(Context& ctx) {
    return std::make_unique<CheckIn>(ctx);
}
std::unique_ptr<Screen> make_rest_today(Context& ctx) {
    return std::make_unique<RestToday>(ctx);
}
std::unique_ptr<Screen> make_sensor(Context& ctx) {
    return std::make_unique<SensorChoice>(ctx);
}
std::unique_ptr<Screen> make_plan(Context& ctx) {
    if (ctx.draft.exercise == "squat") {
        return make_squat_plan(ctx);
    }
    return std::make_unique<Plan>(ctx);
}

} // namespace qv::game
