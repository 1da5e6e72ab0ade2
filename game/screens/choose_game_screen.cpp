// The choice of game at the start of a session (children especially want choice): quad-set games
// on one row, squat games on the other, each with a small picture of its own look. The games come
// from content (games.toml); the exercise rules and the dose do not depend on the one picked.

#include "game/audio.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/screens/screens.hpp"
#include "game/widgets.hpp"

#include <algorithm>
#include <cmath>

namespace qv::game {

namespace {

class ChooseGame final : public Screen {
  public:
    explicit ChooseGame(Context& ctx) : Screen(ctx) {
        const bool child = ctx_.profile && ctx_.profile->child;
        const auto plan = ctx_.profile ? ctx_.store.plan(ctx_.profile->id) : std::nullopt;
        for (const char* exercise : {"quad_set", "squat"}) {
            const bool enabled =
                !plan ||
                (std::string(exercise) == "quad_set" ? plan->quad_enabled : plan->squat_enabled);
            if (!enabled) {
                continue; // the clinician turned this exercise off
            }
            for (const auto* g : ctx_.content.games_for(exercise)) {
                if (!child || g->child_friendly) {
                    games_.push_back(g);
                }
            }
        }
        const auto it = std::find_if(games_.begin(), games_.end(),
                                     [&](const auto* g) { return g->id == ctx_.draft.game; });
        index_ = it == games_.end() ? 0 : static_cast<int>(it - games_.begin());
    }
    std::string name() const override { return "choose_game"; }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_title(gfx, ctx_.t("choose_game.title"), ctx_.t("choose_game.subtitle"));
        if (games_.empty()) {
            gfx.paragraph(ctx_.t("choose_game.none"), 640, 300, 800, FontSize::Body, palette::ink,
                          Align::Center);
            draw_hints(gfx, {{"Esc", ctx_.t("hint.back")}});
            return;
        }
        float y = 170;
        for (const char* exercise : {"quad_set", "squat"}) {
            std::vector<int> row;
            for (int i = 0; i < static_cast<int>(games_.size()); ++i) {
                if (games_[static_cast<std::size_t>(i)]->exercise == exercise) {
                    row.push_back(i);
                }
            }
            if (row.empty()) {
                continue;
            }
            gfx.text(ctx_.t(std::string("choose_game.") + exercise), 120, y, FontSize::Body,
                     palette::ink, Align::Left, true);
            const float w = 400, h = 180, gap = 30;
            const float total =
                static_cast<float>(row.size()) * w + static_cast<float>(row.size() - 1) * gap;
            float x = (Gfx::kWidth - total) / 2;
            for (int i : row) {
                draw_tile(gfx, i, x, y + 44, w, h);
                tiles_[i] = {x, y + 44, w, h};
                x += w + gap;
            }
            y += 250;
        }
        draw_hints(gfx, {{"\u2190\u2192\u2191\u2193", ctx_.t("hint.choose")},
                         {"Enter", ctx_.t("hint.next")},
                         {"Esc", ctx_.t("hint.back")}});
    }

    bool handle(const SDL_Event& e) override {
        if (is_back(e)) {
            ctx_.screens.pop();
            return true;
        }
        if (games_.empty()) {
            return false;
        }
        const int n = static_cast<int>(games_.size());
        if (e.type == SDL_KEYDOWN) {
            const SDL_Keycode k = e.key.keysym.sym;
            if (k == SDLK_LEFT || k == SDLK_UP) {
                index_ = (index_ + n - 1) % n;
                return true;
            }
            if (k == SDLK_RIGHT || k == SDLK_DOWN) {
                index_ = (index_ + 1) % n;
                return true;
            }
            if (k >= SDLK_1 && k < SDLK_1 + std::min(n, 9)) {
                index_ = static_cast<int>(k - SDLK_1);
                choose();
                return true;
            }
        }
        if (e.type == SDL_MOUSEBUTTONDOWN) {
            const auto mx = static_cast<float>(e.button.x), my = static_cast<float>(e.button.y);
            for (const auto& [i, r] : tiles_) {
                if (mx >= r.x && mx <= r.x + r.w && my >= r.y && my <= r.y + r.h) {
                    index_ = i;
                    choose();
                    return true;
                }
            }
        }
        if (is_confirm(e)) {
            choose();
            return true;
        }
        return false;
    }

  private:
    struct Rect {
        float x, y, w, h;
    };

    void choose() {
        const auto* g = games_[static_cast<std::size_t>(index_)];
        ctx_.draft.game = g->id;
        ctx_.draft.exercise = g->exercise;
        ctx_.audio.play("band_enter");
        ctx_.screens.replace(make_checkin(ctx_));
    }

    void draw_tile(Gfx& gfx, int i, float x, float y, float w, float h) {
        const auto* g = games_[static_cast<std::size_t>(i)];
        const bool selected = i == index_;
        draw_card(gfx, x, y, w, h, selected);
        // A small picture of the game's own look.
        const float px = x + 14, py = y + 14, pw = 110, ph = h - 28;
        gfx.vertical_gradient(px, py, pw, ph, Color::hex(g->sky_top), Color::hex(g->sky_bottom));
        gfx.rect(px, py + ph - 22, pw, 22, Color::hex(g->ground));
        const float cx = px + pw / 2;
        const auto bob = static_cast<float>(selected ? 6 * std::sin(t_ * 3) : 0);
        if (g->scene == "balloon") {
            gfx.rect(px, py + 40, pw, 26, Color::hex(g->accent, 120));
            gfx.circle(cx, py + 52 + bob, 22, palette::warm);
            gfx.rect(cx - 8, py + 84 + bob, 16, 12, Color::hex(0x8B5A2B));
        } else if (g->scene == "tower") {
            gfx.rect(px + 14, py + 20, 6, ph - 42, palette::ink_soft);
            gfx.rect(px + 14, py + 20, 60, 5, palette::ink_soft);
            gfx.rect(px + 58, py + 50 + bob, 24, 18, Color::hex(g->accent));
            for (int b = 0; b < 3; ++b) {
                gfx.rect(px + 74, py + ph - 40 - static_cast<float>(b) * 18, 26, 18,
                         Color::hex(b % 2 == 0 ? g->accent : 0xE8A33D));
            }
        } else if (g->scene == "rider") {
            for (float t = 0; t < pw; t += 4) {
                const float hy = py + 50 + 30 * std::sin((t + static_cast<float>(t_) * 30) / 18);
                gfx.rect(px + t, hy, 4, py + ph - hy, Color::hex(g->ground));
            }
            gfx.circle(cx - 20, py + 44 + bob, 12, palette::ink);
            gfx.line(cx - 20, py + 44 + bob, cx - 12, py + 18 + bob, 5, palette::warm);
        } else { // diver
            gfx.circle(cx + 18, py + 60 + bob, 8, Color::hex(g->accent));
            gfx.circle(cx - 12, py + 56 + bob, 14, Color::hex(0xC9A227));
            gfx.circle(cx - 10, py + 55 + bob, 8, Color::hex(0xBFE3F5));
            for (int b = 0; b < 3; ++b) {
                gfx.arc(cx - 4 + static_cast<float>(b) * 6,
                        py + 30 - static_cast<float>(b) * 9 + bob, 3, 1.5f, 0, 6.2832f,
                        palette::paper);
            }
        }
        gfx.text(ctx_.t("game." + g->id + ".name"), x + 140, y + 22, FontSize::Body, palette::ink,
                 Align::Left, true);
        gfx.paragraph(ctx_.t("game." + g->id + ".about"), x + 140 + 120, y + 62, 236,
                      FontSize::Small, palette::ink_soft, Align::Center);
        gfx.text(std::to_string(i + 1), x + w - 14, y + 10, FontSize::Small, palette::ink_soft,
                 Align::Right);
    }

    std::vector<const content::GameTheme*> games_;
    std::map<int, Rect> tiles_;
    int index_ = 0;
    double t_ = 0;
};

} // namespace

std::unique_ptr<Screen> make_choose_game(Context& ctx) {
    return std::make_unique<ChooseGame>(ctx);
}

} // namespace qv::game
