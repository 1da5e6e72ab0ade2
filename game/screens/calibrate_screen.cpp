// Calibration: the zero with the leg relaxed, then the best of three maximal pushes sets 100 %.

#include "game/audio.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/screens/screens.hpp"
#include "game/sensor_guard.hpp"
#include "game/widgets.hpp"
#include "input/calibration.hpp"
#include "input/drivers/simulator/patient_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace qv::game {

namespace {

class Calibrate final : public Screen {
  public:
    explicit Calibrate(Context& ctx) : Screen(ctx), tare_(ctx.content.tuning.calibration) {
        set_patient_cue(ctx_, {input::PatientCue::Kind::Relax, 0});
        ctx_.input.clear_calibration();
    }
    std::string name() const override {
        if (guard_.lost()) {
            return "calibrate_sensor_lost";
        }
        switch (stage_) {
        case Stage::Tare:
            return "calibrate_rest";
        case Stage::Ready:
            return waiting_ ? "calibrate_ready" : "calibrate_push";
        case Stage::Mvc:
            return "calibrate_push";
        case Stage::Done:
            return "calibrate_done";
        case Stage::Failed:
            return "calibrate_failed";
        }
        return "calibrate";
    }

    void step(double dt) override {
        t_ += dt;
        readings_.clear();
        ctx_.input.poll(readings_);
        switch (guard_.step(dt)) {
        case SensorGuard::Status::Ok:
            break;
        case SensorGuard::Status::Lost:
            return; // paused: a zero or a push cut short by an unplug means nothing
        case SensorGuard::Status::Reconnected:
        case SensorGuard::Status::Switched:
            // A replugged load cell has a new zero, and the keyboard its own scale: start over.
            ctx_.screens.replace(make_calibrate(ctx_));
            return;
        }
        for (const auto& r : readings_) {
            latest_n_ = r.filtered_n;
            if (stage_ == Stage::Tare) {
                tare_.feed(r.t_us, r.filtered_n);
                if (tare_.failed()) {
                    fail(ctx_.t("calibrate.tare_failed"));
                } else if (tare_.done()) {
                    stage_ = Stage::Ready;
                    ready_left_ = ctx_.content.tuning.quadset.get_ready_s;
                }
            } else if (stage_ == Stage::Mvc) {
                const auto before = mvc_->phase();
                mvc_->feed(r.t_us, r.filtered_n);
                if (mvc_->phase() != before) {
                    on_phase_change();
                }
            }
        }
        if (stage_ == Stage::Ready && !waiting_) {
            ready_left_ -= dt;
            if (ready_left_ <= 0) {
                stage_ = Stage::Mvc;
                mvc_.emplace(ctx_.content.tuning.calibration, *tare_.zero_n());
                set_patient_cue(ctx_, {input::PatientCue::Kind::Max, 0});
                ctx_.audio.play("calibrate_go");
            }
        }
    }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_title(gfx, ctx_.t("calibrate.title"));
        draw_card(gfx, 190, 130, 900, 450);
        const float cx = 640;
        switch (stage_) {
        case Stage::Tare: {
            gfx.text(ctx_.t("calibrate.relax"), cx, 160, FontSize::Large, palette::ink,
                     Align::Center, true);
            gfx.paragraph(ctx_.t("calibrate.relax_help"), cx, 215, 780, FontSize::Body,
                          palette::ink_soft, Align::Center);
            const auto p = static_cast<float>(tare_.progress());
            gfx.arc(cx, 400, 80, 18, 0, 2 * std::numbers::pi_v<float>, palette::accent_soft);
            gfx.arc(cx, 400, 80, 18, 0, 2 * std::numbers::pi_v<float> * p, palette::accent);
            gfx.text(std::to_string(static_cast<int>(p * 100)) + " %", cx, 380, FontSize::Large,
                     palette::ink, Align::Center, true);
            break;
        }
        case Stage::Ready:
            gfx.text(ctx_.t("calibrate.get_ready"), cx, 160, FontSize::Large, palette::ink,
                     Align::Center, true);
            gfx.paragraph(ctx_.t("calibrate.push_help"), cx, 215, 780, FontSize::Body,
                          palette::ink_soft, Align::Center);
            gfx.text(std::to_string(static_cast<int>(std::ceil(ready_left_))), cx, 330,
                     FontSize::Huge, palette::accent, Align::Center, true);
            break;
        case Stage::Mvc: {
            const bool push = mvc_->phase() == input::MvcPhase::Push;
            gfx.text(ctx_.tf("calibrate.attempt", mvc_->attempt() + 1,
                             ctx_.content.tuning.calibration.attempts),
                     cx, 150, FontSize::Body, palette::ink_soft, Align::Center);
            gfx.text(ctx_.t(push ? "calibrate.push" : "calibrate.rest"), cx, 190, FontSize::Title,
                     push ? palette::warm : palette::accent, Align::Center, true);
            gfx.text(std::to_string(static_cast<int>(std::ceil(mvc_->phase_remaining_s()))), cx,
                     260, FontSize::Large, palette::ink, Align::Center, true);
            draw_force_bar(gfx, 340, 360, 600, 50);
            break;
        }
        case Stage::Done: {
            const auto cal = *mvc_->result();
            gfx.text(ctx_.t("calibrate.done"), cx, 160, FontSize::Large, palette::accent,
                     Align::Center, true);
            gfx.text(ctx_.tf("calibrate.result", std::lround(cal.mvc_n)), cx, 230, FontSize::Title,
                     palette::ink, Align::Center, true);
            std::string attempts;
            for (double a : cal.attempts_n) {
                attempts +=
                    (attempts.empty() ? "" : "  \u00b7  ") + std::to_string(std::lround(a)) + " N";
            }
            gfx.text(ctx_.tf("calibrate.attempts", attempts), cx, 320, FontSize::Body,
                     palette::ink_soft, Align::Center);
            gfx.paragraph(ctx_.t("calibrate.done_help"), cx, 380, 780, FontSize::Body, palette::ink,
                          Align::Center);
            break;
        }
        case Stage::Failed:
            gfx.text(ctx_.t("calibrate.failed"), cx, 160, FontSize::Large, palette::stop,
                     Align::Center, true);
            gfx.paragraph(error_, cx, 240, 780, FontSize::Body, palette::ink, Align::Center);
            break;
        }
        std::vector<std::pair<std::string, std::string>> hints;
        if (source_is_keyboard(ctx_) && (stage_ == Stage::Ready || stage_ == Stage::Mvc)) {
            hints.push_back({"Space", ctx_.t("hint.push")});
            hints.push_back(
                {"\u2191\u2193", ctx_.tf("hint.effort", std::lround(keyboard_effort() * 100))});
        }
        if (stage_ == Stage::Ready && waiting_) {
            hints.push_back({"Enter", ctx_.t("hint.ready")});
        }
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
            set_patient_cue(ctx_, {input::PatientCue::Kind::Relax, 0});
            ctx_.screens.reset(make_profile_home(ctx_));
            return true;
        }
        if (!is_confirm(e)) {
            return false;
        }
        if (stage_ == Stage::Ready && waiting_) {
            waiting_ = false;
        } else if (stage_ == Stage::Done) {
            save();
            ctx_.screens.replace(make_plan(ctx_));
        } else if (stage_ == Stage::Failed) {
            ctx_.screens.replace(make_calibrate(ctx_));
        }
        return true;
    }

  private:
    enum class Stage { Tare, Ready, Mvc, Done, Failed };

    void on_phase_change() {
        switch (mvc_->phase()) {
        case input::MvcPhase::Push:
            set_patient_cue(ctx_, {input::PatientCue::Kind::Max, 0});
            ctx_.audio.play("calibrate_go");
            break;
        case input::MvcPhase::Rest:
            set_patient_cue(ctx_, {input::PatientCue::Kind::Relax, 0});
            ctx_.audio.play("rest_end");
            break;
        case input::MvcPhase::Done:
            set_patient_cue(ctx_, {input::PatientCue::Kind::Relax, 0});
            if (mvc_->result()) {
                stage_ = Stage::Done;
                ctx_.audio.play("set_complete");
            } else {
                fail(mvc_->error());
            }
            break;
        }
    }

    void fail(const std::string& why) {
        stage_ = Stage::Failed;
        error_ = why;
        set_patient_cue(ctx_, {input::PatientCue::Kind::Relax, 0});
    }

    void save() {
        const auto cal = *mvc_->result();
        profiles::CalibrationRecord rec;
        rec.profile_id = ctx_.profile->id;
        rec.created_at = profiles::now_iso8601();
        rec.source_driver = ctx_.draft.driver_id;
        rec.zero_n = cal.zero_n;
        rec.mvc_n = cal.mvc_n;
        rec.attempts_n = cal.attempts_n;
        if (auto id = ctx_.store.add_calibration(rec); id) {
            rec.id = id.value();
        } else {
            ctx_.storage_error = id.error().message;
        }
        ctx_.draft.calibration = rec;
    }

    double keyboard_effort() const;

    void draw_force_bar(Gfx& gfx, float x, float y, float w, float h) {
        const double scale = std::max({300.0, latest_n_ * 1.2, best_peak() * 1.2});
        gfx.rounded_rect(x, y, w, h, h / 2, Color::hex(0xE3E8F0));
        const double tared = std::max(0.0, mvc_->current_n());
        const auto fw = static_cast<float>(std::min(1.0, tared / scale)) * w;
        if (fw > 2) {
            gfx.rounded_rect(x, y, std::max(fw, h), h, h / 2, palette::warm);
        }
        for (double p : mvc_->peaks_n()) {
            const auto px = x + static_cast<float>(std::min(1.0, p / scale)) * w;
            gfx.rect(px - 2, y - 10, 4, h + 20, palette::ink);
        }
        gfx.text(std::to_string(std::lround(tared)) + " N", x + w / 2, y + h + 16, FontSize::Large,
                 palette::ink, Align::Center, true);
    }
    double best_peak() const {
        const auto& p = mvc_->peaks_n();
        return p.empty() ? 0.0 : *std::max_element(p.begin(), p.end());
    }

    input::TareProcedure tare_;
    std::optional<input::MvcProcedure> mvc_;
    Stage stage_ = Stage::Tare;
    double ready_left_ = 0;
    bool waiting_ = true; ///< on the instructions until the player says they are ready
    double latest_n_ = 0;
    std::string error_;
    std::vector<input::ForceReading> readings_;
    SensorGuard guard_{ctx_};
    double t_ = 0;
};

} // namespace

double Calibrate::keyboard_effort() const {
    return qv::game::keyboard_effort(ctx_);
}

std::unique_ptr<Screen> make_calibrate(Context& ctx) {
    // Squats follow knee flexion in degrees: no zero or maximum push to take.
    if (ctx.draft.exercise == "squat") {
        return make_squat_plan(ctx);
    }
    return std::make_unique<Calibrate>(ctx);
}

} // namespace qv::game
