// After play: pain after and how hard it felt, then the results.

#include "game/audio.hpp"
#include "game/child_mode.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/progress.hpp"
#include "game/screens/screens.hpp"
#include "game/screens/session_common.hpp"
#include "game/widgets.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace qv::game {

namespace {

/// The worst pain during the session, pain now, then how hard it felt; all stored, then the
/// session is closed. Every session gets a pain-during rating this way, so the traffic light
/// never lacks one (a P-key rating during play counts too: the higher is kept).
class After final : public Screen {
  public:
    explicit After(Context& ctx)
        : Screen(ctx), during_(ctx.profile->child), pain_(ctx.profile->child),
          effort_(ctx.profile->child) {}
    std::string name() const override {
        static const char* kNames[] = {"after_during", "after_pain", "after_effort"};
        return kNames[step_];
    }
    void step(double dt) override {
        t_ += dt;
        check_commits(ctx_); // the last set's commit usually lands after play has ended
    }
    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        if (step_ == 0) {
            draw_title(gfx, ctx_.t("after.during_title"), ctx_.t("after.during_subtitle"));
            during_.draw(gfx, 260, ctx_.t("scale.nrs_low"), ctx_.t("scale.nrs_high"));
        } else if (step_ == 1) {
            draw_title(gfx, ctx_.t("after.pain_title"), ctx_.t("after.pain_subtitle"));
            pain_.draw(gfx, 260, ctx_.t("scale.nrs_low"), ctx_.t("scale.nrs_high"));
        } else {
            draw_title(gfx, ctx_.t("after.effort_title"), ctx_.t("after.effort_subtitle"));
            effort_.draw(gfx, 260, ctx_.t("scale.effort_low"), ctx_.t("scale.effort_high"));
        }
        draw_hints(gfx,
                   {{pain_.child() ? "\u2190\u2192" : "0-10 / \u2190\u2192", ctx_.t("hint.rate")},
                    {"Enter", ctx_.t("hint.next")}});
    }
    bool handle(const SDL_Event& e) override {
        if (step_ == 0) {
            const bool used = during_.handle(e);
            if (during_.confirmed()) {
                step_ = 1;
            }
            return used;
        }
        if (step_ == 1) {
            const bool used = pain_.handle(e);
            if (pain_.confirmed()) {
                ctx_.draft.pain_after = pain_.value();
                step_ = 2;
            }
            return used;
        }
        const bool used = effort_.handle(e);
        if (effort_.confirmed()) {
            ctx_.draft.effort_rating = effort_.value();
            save();
            ctx_.screens.replace(make_results(ctx_));
        }
        return used;
    }

  private:
    void save() {
        auto& d = ctx_.draft;
        // Every set commit must be durable before the session is closed.
        for (auto& f : d.pending_commits) {
            if (auto r = f.get(); !r) {
                ctx_.storage_error = ctx_.tf("storage.set_failed", r.error().message);
            }
        }
        d.pending_commits.clear();
        if (d.session_id == 0) {
            return;
        }
        profiles::PainEntry during;
        during.profile_id = ctx_.profile->id;
        during.session_id = d.session_id;
        during.moment = profiles::PainMoment::During;
        during.scale = during_.scale();
        during.score = during_.value();
        if (auto r = ctx_.store.add_pain(during); !r) {
            ctx_.storage_error = r.error().message;
        }
        profiles::PainEntry pain;
        pain.profile_id = ctx_.profile->id;
        pain.session_id = d.session_id;
        pain.moment = profiles::PainMoment::After;
        pain.scale = pain_.scale();
        pain.score = d.pain_after;
        pain.recorded_at = profiles::now_iso8601();
        if (auto r = ctx_.store.add_pain(pain); !r) {
            ctx_.storage_error = r.error().message;
        }
        const auto status = d.stopped_red_flag   ? profiles::SessionStatus::StoppedRedFlag
                            : d.stopped_for_pain ? profiles::SessionStatus::StoppedPain
                            : d.ended_by_player  ? profiles::SessionStatus::Aborted
                                                 : profiles::SessionStatus::Completed;
        if (auto r = ctx_.store.finish_session(d.session_id, status, d.stars, d.effort_rating);
            !r) {
            ctx_.storage_error = r.error().message;
        }
    }
    PainScale during_;
    PainScale pain_;
    PainScale effort_; ///< children answer on the same faces: how hard it felt
    int step_ = 0;
    double t_ = 0;
};

/// What was done, how steady, the stars, and where the data came from. A child sees praise
/// that says what they did and the token the session earned instead (child mode).
class Results final : public Screen {
  public:
    explicit Results(Context& ctx) : Screen(ctx) {
        if (ctx_.profile && ctx_.profile->child) {
            child_ = true;
            praise_ = praise_lines(ctx_, summarize_effort(ctx_));
            tokens_ = count_tokens(ctx_.store, ctx_.profile->id);
            const auto& d = ctx_.draft;
            earned_ = !d.ended_by_player || d.stopped_for_pain || d.stopped_red_flag;
            ctx_.audio.play("praise");
            return;
        }
        if (ctx_.draft.exercise == "squat") {
            squat_summary();
            ctx_.audio.play("set_complete");
            return;
        }
        const auto& reps = ctx_.draft.reps;
        done_ = static_cast<int>(
            std::count_if(reps.begin(), reps.end(), [](const auto& r) { return r.success; }));
        double band = 0, cv = 0, peak = 0;
        int in_band = 0;
        for (const auto& r : reps) {
            band += r.time_in_band_s;
            peak = std::max(peak, r.peak_pct);
            if (r.mean_pct > 0) {
                cv += r.steadiness_cv;
                ++in_band;
            }
        }
        total_band_s_ = band;
        steadiness_ =
            in_band > 0
                ? std::clamp(
                      100.0 * (1.0 - cv / in_band / ctx_.content.tuning.quadset.steadiness_zero_cv),
                      0.0, 100.0)
                : 0.0;
        peak_pct_ = peak;
        ctx_.audio.play("set_complete");
    }
    std::string name() const override { return "results"; }
    void step(double dt) override { t_ += dt; }
    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        const auto& d = ctx_.draft;
        if (child_) {
            draw_child(gfx);
            return;
        }
        draw_title(gfx, ctx_.t(d.stopped_for_pain ? "results.title_pain" : "results.title"));
        draw_card(gfx, 190, 110, 900, 470);
        // Stopping for pain is the right call: it earns the same praise, never a penalty.
        draw_stars(gfx, d.stars, 3, 640, 170, 34);
        const bool squat = d.exercise == "squat";
        const int planned = squat             ? d.squat_dose.sets * d.squat_dose.reps
                            : d.dose.sets > 0 ? d.dose.sets * d.dose.reps
                                              : static_cast<int>(d.reps.size());
        gfx.text(ctx_.tf(squat ? "squat.results_reps" : "results.holds", done_, planned), 640, 228,
                 FontSize::Large, palette::ink, Align::Center, true);
        const float col[3] = {350, 640, 930};
        std::string values[3] = {
            squat ? std::to_string(std::lround(steadiness_)) + " %"
                  : ctx_.tf("results.seconds", total_band_s_),
            squat ? std::to_string(at_tempo_) : std::to_string(std::lround(steadiness_)) + " %",
            squat ? std::to_string(too_deep_) : std::to_string(std::lround(peak_pct_)) + " %"};
        std::string labels[3] = {ctx_.t(squat ? "squat.in_corridor" : "results.time_in_band"),
                                 ctx_.t(squat ? "squat.at_tempo" : "results.steadiness"),
                                 ctx_.t(squat ? "squat.too_deep_count" : "results.peak")};
        if (squat && d.squat_mode != SquatMode::KneeAngle) {
            // The pad feels weight, not the knee: it measures neither tempo nor depth, so the
            // tiles say so instead of showing zeros that look like results.
            values[1] = values[2] = "\u2013";
            labels[1] = ctx_.t("squat_pad.results_no_tempo");
            labels[2] = ctx_.t("squat_pad.results_no_depth");
        }
        for (int i = 0; i < 3; ++i) {
            gfx.rounded_rect(col[i] - 130, 288, 260, 120, 18, Color::hex(0xF1F6FB));
            gfx.text(values[i], col[i], 304, FontSize::Title, palette::accent, Align::Center, true);
            gfx.text(labels[i], col[i], 372, FontSize::Small, palette::ink_soft, Align::Center);
        }
        const std::string note = d.stopped_for_pain
                                     ? d.stop_message
                                     : ctx_.t(squat ? "squat.encourage" : "results.encourage");
        gfx.paragraph(note, 640, 430, 820, FontSize::Body, palette::ink, Align::Center);
        if (!d.plan_reason.empty()) {
            gfx.paragraph(ctx_.tf("results.plan_reason", d.plan_reason), 640, 596, 1000,
                          FontSize::Small, palette::ink_soft, Align::Center);
        }
        const std::string source = ctx_.t("results.source." + d.driver_id);
        if (squat) { // which squat mode was played: knee bend, even weight or sit to stand
            const char* mode = d.squat_mode == SquatMode::KneeAngle ? "squat_pad.mode_knee_angle"
                               : d.squat_mode == SquatMode::LoadShare
                                   ? "squat_pad.mode_load_share"
                                   : "squat_pad.mode_sit_to_stand";
            gfx.text(source, 640, 522, FontSize::Small, palette::ink_soft, Align::Center);
            gfx.text(ctx_.t(mode), 640, 550, FontSize::Small, palette::ink_soft, Align::Center,
                     true);
        } else {
            gfx.text(source, 640, 548, FontSize::Small, palette::ink_soft, Align::Center);
        }
        if (!ctx_.storage_error.empty()) {
            draw_banner(gfx, ctx_.storage_error);
        }
        draw_hints(gfx, {{"Enter", ctx_.t("hint.done")}});
    }
    bool handle(const SDL_Event& e) override {
        if (is_confirm(e)) {
            ctx_.screens.reset(make_profile_home(ctx_));
            return true;
        }
        return false;
    }

  private:
    /// Child mode: the token, what the child did in words, and the tokens so far.
    void draw_child(Gfx& gfx) {
        const auto& d = ctx_.draft;
        const bool stopped = d.stopped_for_pain || d.stopped_red_flag;
        draw_title(gfx, ctx_.t(stopped ? "results.title_pain" : "results.title"));
        draw_card(gfx, 160, 110, 960, 480);
        float y = 136;
        if (earned_) {
            const auto bob = static_cast<float>(4 * std::sin(t_ * 3));
            draw_token(gfx, 250, 190 + bob, 52);
            gfx.text(ctx_.t(stopped ? "child.results.token_pain" : "child.results.token"), 330, 140,
                     FontSize::Large, palette::ink, Align::Left, true);
            gfx.paragraph(ctx_.tf(stopped              ? "child.results.right_thing"
                                  : tokens_.total == 1 ? "child.results.total_one"
                                                       : "child.results.total",
                                  tokens_.total),
                          330, 194, 760, FontSize::Body, palette::ink_soft);
            y = 262;
        }
        for (const auto& line : praise_) {
            gfx.text("\u2713", 200, y, FontSize::Body, palette::accent, Align::Left, true);
            y += gfx.paragraph(line, 244, y, 850, FontSize::Body, palette::ink) + 10;
        }
        if (stopped) {
            gfx.paragraph(
                ctx_.tf(tokens_.total == 1 ? "child.results.total_one" : "child.results.total",
                        tokens_.total),
                640, std::max(y, 460.f), 860, FontSize::Body, palette::ink, Align::Center);
        }
        gfx.paragraph(ctx_.t("results.source." + d.driver_id), 640, 536, 900, FontSize::Small,
                      palette::ink_soft, Align::Center);
        if (!ctx_.storage_error.empty()) {
            draw_banner(gfx, ctx_.storage_error);
        }
        draw_hints(gfx, {{"Enter", ctx_.t("hint.done")}});
    }

    /// Squats: how many followed the path, the share of time on it, how many at tempo, and how
    /// many went past the depth cap. (Shown in the same three tiles as a quad set's numbers.)
    void squat_summary() {
        const auto& reps = ctx_.draft.squat_reps;
        double on_path = 0, total = 0;
        for (const auto& r : reps) {
            done_ += r.success ? 1 : 0;
            at_tempo_ += r.tempo_ok ? 1 : 0;
            too_deep_ += r.violations > 0 ? 1 : 0;
            on_path += r.time_in_corridor_s;
            total += r.duration_s;
        }
        steadiness_ = total > 0 ? 100.0 * on_path / total : 0.0;
    }

    bool child_ = false;
    bool earned_ = false; ///< the session earned a token (finished, or stopped for safety)
    std::vector<std::string> praise_;
    Tokens tokens_;
    int done_ = 0;
    int at_tempo_ = 0;
    int too_deep_ = 0;
    double total_band_s_ = 0;
    double steadiness_ = 0;
    double peak_pct_ = 0;
    double t_ = 0;
};

} // namespace

std::unique_ptr<Screen> make_after(Context& ctx) {
    return std::make_unique<After>(ctx);
}
std::unique_ptr<Screen> make_results(Context& ctx) {
    return std::make_unique<Results>(ctx);
}

} // namespace qv::game
