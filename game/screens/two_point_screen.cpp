// Two-point calibration of a load cell that reports raw numbers (the joystick board, the
// PhidgetBridge): the reading with nothing on it, then the reading under a known weight, give
// newtons per raw unit (g = 9.80665). The result is stored with the profile
// (profiles/two_point_store.hpp) and applied to the source; the normal zero + MVC calibration
// follows.

#include "core/log.hpp"
#include "game/audio.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/screens/screens.hpp"
#include "game/sensor_guard.hpp"
#include "game/two_point.hpp"
#include "game/widgets.hpp"
#include "profiles/two_point_store.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace qv::game {

namespace {

constexpr double kDefaultKg = 5.0;
constexpr double kKgStep = 0.5;
constexpr double kMinKg = 0.5;
constexpr double kMaxKg = 200.0;

class TwoPoint final : public Screen {
  public:
    explicit TwoPoint(Context& ctx) : Screen(ctx), access_(TwoPointAccess::of(ctx.input.source())) {
        ctx_.input.clear_calibration();
        if (access_) {
            access_->apply(std::nullopt); // raw readings only until the new scale is known
        }
    }
    std::string name() const override {
        if (guard_.lost()) {
            return "two_point_sensor_lost";
        }
        switch (stage_) {
        case Stage::Zero:
            return "two_point_zero";
        case Stage::Weight:
            return "two_point_weight";
        case Stage::Done:
            return "two_point_done";
        case Stage::Failed:
            return "two_point_failed";
        }
        return "two_point";
    }

    void step(double dt) override {
        t_ += dt;
        readings_.clear();
        ctx_.input.poll(readings_); // drains the queue (force samples appear once calibrated)
        switch (guard_.step(dt)) {
        case SensorGuard::Status::Ok:
            break;
        case SensorGuard::Status::Lost:
            return;
        case SensorGuard::Status::Reconnected:
            ctx_.screens.replace(make_two_point_calibration(ctx_));
            return;
        case SensorGuard::Status::Switched:
            ctx_.screens.replace(make_calibrate(ctx_)); // the keyboard needs no two-point
            return;
        }
        if (!access_) {
            fail(ctx_.t("two_point.no_readings"));
            return;
        }
        raw_.clear();
        access_->take(raw_, ctx_.clock.now_us());
        for (const auto& r : raw_) {
            last_raw_ = r.raw;
            have_raw_ = true;
            if (measuring_) {
                window_.push_back(r);
            }
        }
        if (measuring_) {
            measure(dt);
        }
    }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_title(gfx, ctx_.t("two_point.title"));
        draw_card(gfx, 190, 130, 900, 450);
        const float cx = 640;
        switch (stage_) {
        case Stage::Zero:
        case Stage::Weight: {
            const bool zero = stage_ == Stage::Zero;
            gfx.text(ctx_.t(zero ? "two_point.zero" : "two_point.weight"), cx, 160, FontSize::Large,
                     palette::ink, Align::Center, true);
            gfx.paragraph(ctx_.t(zero ? "two_point.zero_help" : "two_point.weight_help"), cx, 215,
                          780, FontSize::Body, palette::ink_soft, Align::Center);
            if (!zero) {
                gfx.text("\u2190  " + ctx_.tf("two_point.kg", kg_) + "  \u2192", cx, 300,
                         FontSize::Title, measuring_ ? palette::ink_soft : palette::accent,
                         Align::Center, true);
            }
            if (measuring_) {
                const auto p = static_cast<float>(progress());
                const float cy = zero ? 400.0f : 430.0f;
                gfx.arc(cx, cy, 60, 14, 0, 2 * std::numbers::pi_v<float>, palette::accent_soft);
                gfx.arc(cx, cy, 60, 14, 0, 2 * std::numbers::pi_v<float> * p, palette::accent);
                gfx.text(ctx_.t("two_point.keep_still"), cx, cy + 80, FontSize::Body, palette::ink,
                         Align::Center, true);
            } else {
                gfx.text(ctx_.t("two_point.press_enter"), cx, zero ? 380.0f : 400.0f,
                         FontSize::Body, palette::ink, Align::Center, true);
            }
            if (have_raw_) {
                gfx.text(ctx_.tf("two_point.raw", fmt::format("{:.6g}", last_raw_)), cx, 540,
                         FontSize::Small, palette::ink_soft, Align::Center);
            }
            break;
        }
        case Stage::Done:
            gfx.text(ctx_.t("two_point.done"), cx, 160, FontSize::Large, palette::accent,
                     Align::Center, true);
            gfx.paragraph(ctx_.tf("two_point.done_result", kg_, weight_n_), cx, 230, 780,
                          FontSize::Body, palette::ink, Align::Center);
            gfx.text(ctx_.tf("two_point.now", std::lround(ctx_.input.latest().filtered_n)), cx, 330,
                     FontSize::Title, palette::ink, Align::Center, true);
            gfx.paragraph(ctx_.t("two_point.done_help"), cx, 420, 780, FontSize::Body,
                          palette::ink_soft, Align::Center);
            break;
        case Stage::Failed:
            gfx.text(ctx_.t("two_point.failed"), cx, 160, FontSize::Large, palette::stop,
                     Align::Center, true);
            gfx.paragraph(error_, cx, 240, 780, FontSize::Body, palette::ink, Align::Center);
            break;
        }
        std::vector<std::pair<std::string, std::string>> hints;
        if (stage_ == Stage::Weight && !measuring_) {
            hints.push_back({"\u2190\u2192", ctx_.t("two_point.hint_weight")});
        }
        if (!measuring_) {
            hints.push_back(
                {"Enter", ctx_.t(stage_ == Stage::Failed ? "hint.retry" : "hint.next")});
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
            ctx_.screens.reset(make_profile_home(ctx_));
            return true;
        }
        if (stage_ == Stage::Weight && !measuring_ && e.type == SDL_KEYDOWN) {
            const auto key = e.key.keysym.sym;
            if (key == SDLK_LEFT || key == SDLK_DOWN || key == SDLK_RIGHT || key == SDLK_UP) {
                const double step = key == SDLK_LEFT || key == SDLK_DOWN ? -kKgStep : kKgStep;
                kg_ = std::clamp(kg_ + step, kMinKg, kMaxKg);
                return true;
            }
        }
        if (!is_confirm(e)) {
            return false;
        }
        switch (stage_) {
        case Stage::Zero:
        case Stage::Weight:
            if (!measuring_) {
                measuring_ = true;
                measure_s_ = 0;
                window_.clear();
            }
            break;
        case Stage::Done:
            ctx_.screens.replace(make_calibrate(ctx_));
            break;
        case Stage::Failed:
            ctx_.screens.replace(make_two_point_calibration(ctx_));
            break;
        }
        return true;
    }

  private:
    enum class Stage { Zero, Weight, Done, Failed };

    /// The share of the steady window seen so far.
    double progress() const {
        if (window_.size() < 2) {
            return 0.0;
        }
        const double span = to_seconds(window_.back().t_us - window_.front().t_us);
        return std::clamp(span / window_s(), 0.0, 1.0);
    }
    double window_s() const { return ctx_.content.tuning.calibration.rest_window_s; }

    // Keeps the last window_s() of readings; a full window whose spread is below the source's
    // "steady" level ends the step with its mean.
    void measure(double dt) {
        measure_s_ += dt;
        const Micros span = from_seconds(window_s());
        while (window_.size() > 1 && window_.back().t_us - window_.front().t_us > span) {
            window_.erase(window_.begin());
        }
        const bool full = window_.size() >= 2 &&
                          static_cast<double>(window_.back().t_us - window_.front().t_us) >=
                              0.95 * static_cast<double>(span);
        if (full) {
            const auto [mean, sd] = input::mean_sd(window_);
            if (sd <= access_->steady_sd_raw()) {
                measuring_ = false;
                finish_step(mean, sd);
                return;
            }
        }
        if (measure_s_ > ctx_.content.tuning.calibration.rest_timeout_s) {
            fail(ctx_.t(have_raw_ ? "two_point.timeout" : "two_point.no_readings"));
        }
    }

    void finish_step(double mean, double sd) {
        if (stage_ == Stage::Zero) {
            zero_raw_ = mean;
            zero_sd_ = sd;
            stage_ = Stage::Weight;
            ctx_.audio.play("rest_end");
            return;
        }
        weight_n_ = input::weight_n(kg_);
        const auto result =
            input::make_two_point(zero_raw_, mean, weight_n_, access_->min_delta_raw());
        if (!result.scale) {
            switch (result.problem) {
            case input::TwoPointProblem::TooSmall:
                fail(ctx_.t("two_point.too_small"));
                break;
            case input::TwoPointProblem::Negative:
                fail(ctx_.t("two_point.negative"));
                break;
            default:
                fail(ctx_.t("two_point.no_readings"));
                break;
            }
            return;
        }
        // Now the scale is known, "steady" can be judged in newtons as the tare is.
        const double max_sd_n = ctx_.content.tuning.calibration.rest_max_sd_n;
        if (std::max(zero_sd_, sd) * result.scale->newtons_per_raw > max_sd_n) {
            fail(ctx_.t("two_point.not_steady"));
            return;
        }
        scale_ = *result.scale;
        loaded_raw_ = mean;
        save();
        access_->apply(scale_);
        ctx_.drivers.two_point[ctx_.draft.driver_id] = scale_;
        stage_ = Stage::Done;
        ctx_.audio.play("set_complete");
    }

    void save() {
        profiles::TwoPointRecord rec;
        rec.profile_id = ctx_.profile ? ctx_.profile->id : 0;
        rec.source_driver = ctx_.draft.driver_id;
        rec.zero_raw = scale_.zero_raw;
        rec.newtons_per_raw = scale_.newtons_per_raw;
        rec.loaded_raw = loaded_raw_;
        rec.known_n = weight_n_;
        if (auto id = profiles::add_two_point_calibration(ctx_.store, rec); !id) {
            ctx_.storage_error = id.error().message;
        }
        log::get("game")->info("two-point calibration of '{}': zero {:.6g}, {:.6g} N per unit",
                               rec.source_driver, rec.zero_raw, rec.newtons_per_raw);
    }

    void fail(const std::string& why) {
        stage_ = Stage::Failed;
        measuring_ = false;
        error_ = why;
    }

    std::unique_ptr<TwoPointAccess> access_;
    Stage stage_ = Stage::Zero;
    bool measuring_ = false;
    double measure_s_ = 0;
    double kg_ = kDefaultKg;
    double zero_raw_ = 0;
    double zero_sd_ = 0;
    double loaded_raw_ = 0;
    double weight_n_ = 0;
    input::TwoPointScale scale_;
    double last_raw_ = 0;
    bool have_raw_ = false;
    std::vector<input::RawReading> raw_;
    std::vector<input::RawReading> window_;
    std::string error_;
    std::vector<input::ForceReading> readings_;
    SensorGuard guard_{ctx_};
    double t_ = 0;
};

} // namespace

std::unique_ptr<Screen> make_two_point_calibration(Context& ctx) {
    return std::make_unique<TwoPoint>(ctx);
}

} // namespace qv::game
