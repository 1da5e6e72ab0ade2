// Red flags: the short list asked before the first session of a day, and the screen that stops
// exercise when any answer is yes. The questions' wording is content (texts "red_flags.*"),
// reviewed by the clinic; the list follows CLINICAL.md.

#include "engine/red_flags.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/screens/screens.hpp"
#include "game/widgets.hpp"

#include <array>
#include <string_view>

namespace qv::game {

namespace {

/// A red-flag question: its stored id and the engine's answer it sets.
struct RedFlagQuestion {
    std::string_view id;
    bool engine::RedFlagAnswers::*answer;
};
constexpr std::array kRedFlags{
    RedFlagQuestion{"swelling", &engine::RedFlagAnswers::new_swelling},
    RedFlagQuestion{"giving_way", &engine::RedFlagAnswers::giving_way_or_locking},
    RedFlagQuestion{"fever_wound", &engine::RedFlagAnswers::fever_or_wound},
    RedFlagQuestion{"calf", &engine::RedFlagAnswers::calf_pain_or_swelling},
    RedFlagQuestion{"breathless_chest", &engine::RedFlagAnswers::breathless_or_chest_pain},
};

class RedFlags final : public Screen {
  public:
    explicit RedFlags(Context& ctx) : Screen(ctx) {}
    std::string name() const override { return "red_flags"; }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_title(gfx, ctx_.t("red_flags.title"), ctx_.t("red_flags.subtitle"));
        const std::size_t i = std::min(index_, kRedFlags.size() - 1);
        draw_card(gfx, 190, 160, 900, 380);
        gfx.text(ctx_.tf("red_flags.progress", i + 1, kRedFlags.size()), 640, 180, FontSize::Small,
                 palette::ink_soft, Align::Center);
        gfx.paragraph(ctx_.t("red_flags.q." + std::string(kRedFlags[i].id)), 640, 230, 800,
                      FontSize::Large, palette::ink, Align::Center);
        const std::array<std::string, 2> labels{ctx_.t("red_flags.no"), ctx_.t("red_flags.yes")};
        for (int k = 0; k < 2; ++k) {
            const float x = 360 + static_cast<float>(k) * 320;
            draw_card(gfx, x, 400, 240, 100, choice_ == k);
            gfx.text(labels[static_cast<std::size_t>(k)], x + 120, 430, FontSize::Large,
                     palette::ink, Align::Center, true);
        }
        draw_hints(gfx, {{"N / Y", ctx_.t("hint.choose")}, {"Enter", ctx_.t("hint.next")}});
    }

    bool handle(const SDL_Event& e) override {
        if (index_ >= kRedFlags.size() || e.type != SDL_KEYDOWN) {
            return false;
        }
        switch (e.key.keysym.sym) {
        case SDLK_n:
        case SDLK_LEFT:
            choice_ = 0;
            return true;
        case SDLK_y:
        case SDLK_RIGHT:
            choice_ = 1;
            return true;
        default:
            break;
        }
        if (!is_confirm(e) || choice_ < 0) {
            return false; // no default answer: every question needs a deliberate yes or no
        }
        if (choice_ == 1) {
            check_.flags.emplace_back(kRedFlags[index_].id);
            answers_.*kRedFlags[index_].answer = true;
        }
        choice_ = -1;
        if (++index_ == kRedFlags.size()) {
            finish();
        }
        return true;
    }

  private:
    void finish() {
        check_.profile_id = ctx_.profile->id;
        check_.moment = "check_in";
        if (auto r = ctx_.store.add_red_flag_check(check_); !r) {
            ctx_.storage_error = r.error().message;
        }
        const auto verdict = engine::screen(answers_, ctx_.content.tuning.pain);
        if (!verdict.stop_today) {
            ctx_.screens.replace(make_sensor(ctx_));
        } else {
            ctx_.draft.red_flag_emergency = verdict.emergency;
            ctx_.screens.replace(make_red_flag_stop(ctx_));
        }
    }
    profiles::RedFlagCheck check_;
    std::size_t index_ = 0;
    int choice_ = -1;
    engine::RedFlagAnswers answers_;
    double t_ = 0;
};

/// No exercise today, and whom to contact; emergency wording when it applies.
class RedFlagStop final : public Screen {
  public:
    explicit RedFlagStop(Context& ctx) : Screen(ctx) {}
    std::string name() const override { return "red_flag_stop"; }
    void step(double dt) override { t_ += dt; }
    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        const bool emergency = ctx_.draft.red_flag_emergency;
        draw_card(gfx, 140, 90, 1000, 500);
        if (emergency) {
            gfx.rounded_rect(140, 90, 1000, 90, 22, palette::stop);
            gfx.text(ctx_.t("red_flags.emergency_title"), 640, 112, FontSize::Large, palette::paper,
                     Align::Center, true);
            gfx.paragraph(ctx_.t("red_flags.emergency_body"), 640, 210, 900, FontSize::Large,
                          palette::ink, Align::Center);
        } else {
            gfx.text(ctx_.t("red_flags.stop_title"), 640, 120, FontSize::Title, palette::ink,
                     Align::Center, true);
            gfx.paragraph(ctx_.t("red_flags.stop_body"), 640, 230, 900, FontSize::Body,
                          palette::ink, Align::Center);
        }
        gfx.paragraph(ctx_.t("red_flags.kept"), 640, 500, 900, FontSize::Small, palette::ink_soft,
                      Align::Center);
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

} // namespace

std::unique_ptr<Screen> make_red_flags(Context& ctx) {
    return std::make_unique<RedFlags>(ctx);
}
std::unique_ptr<Screen> make_red_flag_stop(Context& ctx) {
    return std::make_unique<RedFlagStop>(ctx);
}

} // namespace qv::game
