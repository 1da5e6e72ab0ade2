// The settings: language, large text, high contrast, sound and volume, one-switch mode. Opened
// from the profile list (app-wide settings) and from a profile's home (the language row then
// sets that profile's own language). Every change is stored and applied at once.

#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/preferences.hpp"
#include "game/screens/screens.hpp"
#include "game/widgets.hpp"

#include <algorithm>

namespace qv::game {

namespace {

/// One row per setting and a last row that closes the screen (reachable with one switch).
class Settings final : public Screen {
  public:
    explicit Settings(Context& ctx) : Screen(ctx), prefs_(load_preferences(ctx.store)) {
        if (ctx_.profile) {
            own_language_ = profile_language(ctx_.store, ctx_.profile->id).value_or("");
        }
    }
    std::string name() const override { return "settings"; }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        if (dirty_) { // applied here because only drawing has the Gfx
            apply_preferences(prefs_, language(), gfx, ctx_.content);
            dirty_ = false;
        }
        ++gfx.frame_input().scan_rows; // one-switch scanning moves through the rows
        draw_backdrop(gfx, t_);
        draw_title(gfx, ctx_.t("settings.title"), ctx_.t("settings.subtitle"));
        const float line = static_cast<float>(gfx.font_px(FontSize::Body));
        // Below the title and its subtitle, above the help text and the hint bar, whatever
        // the text size: rows shrink to fit (never below the text they hold).
        top_ = 112 + static_cast<float>(gfx.font_px(FontSize::Body)) * 1.3f + 8;
        const float room = Gfx::kHeight - 60 - top_ - line * 1.5f - 16;
        row_h_ = std::clamp(room / static_cast<float>(kRows) - 8, line * 1.25f,
                            std::max(54.0f, line * 1.35f + 20));
        const float x = 200, w = Gfx::kWidth - 400;
        for (int i = 0; i < kRows; ++i) {
            const float y = top_ + static_cast<float>(i) * (row_h_ + 8);
            const bool sel = i == selected_;
            if (sel) {
                gfx.rounded_rect(x - 6, y - 6, w + 12, row_h_ + 12, 18, palette::accent);
            } else if (gfx.theme().outline_px > 0) {
                const float o = gfx.theme().outline_px;
                gfx.rounded_rect(x - o, y - o, w + 2 * o, row_h_ + 2 * o, 14 + o,
                                 gfx.theme().outline);
            }
            gfx.rounded_rect(x, y, w, row_h_, 14, palette::paper);
            const float ty = y + (row_h_ - line * 1.2f) / 2;
            gfx.text(label(i), x + 24, ty, FontSize::Body, palette::ink, Align::Left, true);
            const std::string v = value(i);
            if (!v.empty()) {
                // "‹ value ›": the arrows say it changes with Left/Right (and a tap).
                gfx.text("\u2039  " + v + "  \u203a", x + w - 24, ty, FontSize::Body, palette::ink,
                         Align::Right, sel);
            }
        }
        const float help_y = top_ + static_cast<float>(kRows) * (row_h_ + 8);
        const std::string help = this->help(selected_);
        if (!help.empty()) {
            gfx.paragraph(help, Gfx::kWidth / 2.0f, help_y, Gfx::kWidth - 200, FontSize::Small,
                          palette::ink, Align::Center);
        }
        if (!error_.empty()) {
            draw_banner(gfx, error_);
        }
        draw_hints(gfx, {{"\u2191\u2193", ctx_.t("hint.choose")},
                         {"\u2190\u2192", ctx_.t("clinician.hint.change")},
                         {"Enter", ctx_.t("clinician.hint.change")},
                         {"Esc", ctx_.t("hint.back")}});
    }

    bool handle(const SDL_Event& e) override {
        if (is_back(e)) {
            ctx_.screens.pop();
            return true;
        }
        if (is_scan_next(e)) {
            selected_ = (selected_ + 1) % kRows;
            return true;
        }
        if (is_confirm(e)) {
            if (selected_ == kDone) {
                ctx_.screens.pop();
            } else {
                change(selected_, +1);
            }
            return true;
        }
        if (is_tap(e)) {
            const auto mx = static_cast<float>(e.button.x), my = static_cast<float>(e.button.y);
            for (int i = 0; i < kRows; ++i) {
                const float y = top_ + static_cast<float>(i) * (row_h_ + 8);
                if (mx >= 200 && mx < Gfx::kWidth - 200 && my >= y && my < y + row_h_) {
                    selected_ = i;
                    if (i == kDone) {
                        ctx_.screens.pop();
                    } else {
                        change(i, mx < Gfx::kWidth / 2.0f ? -1 : +1);
                    }
                    return true;
                }
            }
            return false;
        }
        if (e.type != SDL_KEYDOWN) {
            return false;
        }
        switch (e.key.keysym.sym) {
        case SDLK_UP:
            selected_ = (selected_ + kRows - 1) % kRows;
            return true;
        case SDLK_DOWN:
        case SDLK_TAB:
            selected_ = (selected_ + 1) % kRows;
            return true;
        case SDLK_LEFT:
            change(selected_, -1);
            return true;
        case SDLK_RIGHT:
            change(selected_, +1);
            return true;
        default:
            return false;
        }
    }

  private:
    enum Row { kLanguage, kLargeText, kContrast, kSound, kVolume, kOneSwitch, kDone, kRows };

    std::string language() const { return own_language_.empty() ? prefs_.language : own_language_; }

    std::string on_off(bool on) const { return ctx_.t(on ? "settings.on" : "settings.off"); }

    std::string label(int row) const {
        switch (row) {
        case kLanguage:
            return ctx_.profile && ctx_.kiosk == nullptr
                       ? ctx_.tf("settings.language_for", ctx_.profile->name)
                       : ctx_.t("settings.language");
        case kLargeText:
            return ctx_.t("settings.large_text");
        case kContrast:
            return ctx_.t("settings.high_contrast");
        case kSound:
            return ctx_.t("settings.sound");
        case kVolume:
            return ctx_.t("settings.volume");
        case kOneSwitch:
            return ctx_.t("settings.one_switch");
        default:
            return ctx_.t("hint.done");
        }
    }

    std::string value(int row) const {
        switch (row) {
        case kLanguage: {
            const auto all = ctx_.content.languages();
            const std::string code = language();
            auto it = std::find_if(all.begin(), all.end(),
                                   [&](const content::Language& l) { return l.code == code; });
            return it == all.end() ? code : it->name;
        }
        case kLargeText:
            return on_off(prefs_.large_text);
        case kContrast:
            return on_off(prefs_.high_contrast);
        case kSound:
            return on_off(prefs_.sound);
        case kVolume:
            return ctx_.tf("settings.percent", prefs_.volume_pct);
        case kOneSwitch:
            return on_off(prefs_.one_switch);
        default:
            return {};
        }
    }

    std::string help(int row) const {
        switch (row) {
        case kLanguage:
            return ctx_.profile && ctx_.kiosk == nullptr
                       ? ctx_.tf("settings.help.language_for", ctx_.profile->name)
                       : ctx_.t("settings.help.language");
        case kLargeText:
            return ctx_.t("settings.help.large_text");
        case kContrast:
            return ctx_.t("settings.help.high_contrast");
        case kSound:
            return ctx_.t("settings.help.sound");
        case kVolume:
            return ctx_.t("settings.help.volume");
        case kOneSwitch:
            return ctx_.tf("settings.help.one_switch",
                           ctx_.content.tuning.accessibility.scan_interval_s);
        default:
            return {};
        }
    }

    void change(int row, int dir) {
        std::string failed;
        switch (row) {
        case kLanguage: {
            const auto all = ctx_.content.languages();
            const std::string code = language();
            auto it = std::find_if(all.begin(), all.end(),
                                   [&](const content::Language& l) { return l.code == code; });
            const auto n = static_cast<long>(all.size());
            const long i = it == all.end() ? 0 : it - all.begin();
            const std::string next = all[static_cast<std::size_t>((i + dir + n) % n)].code;
            if (ctx_.profile) {
                own_language_ = next;
                failed = set_profile_language(ctx_.store, ctx_.profile->id, next);
            } else {
                prefs_.language = next;
            }
            break;
        }
        case kLargeText:
            prefs_.large_text = !prefs_.large_text;
            break;
        case kContrast:
            prefs_.high_contrast = !prefs_.high_contrast;
            break;
        case kSound:
            prefs_.sound = !prefs_.sound;
            break;
        case kVolume:
            // Enter and a one-switch press only go up: past 100 it wraps to 0.
            prefs_.volume_pct = dir < 0 ? std::max(0, prefs_.volume_pct - 10)
                                        : (prefs_.volume_pct >= 100 ? 0 : prefs_.volume_pct + 10);
            break;
        case kOneSwitch:
            prefs_.one_switch = !prefs_.one_switch;
            break;
        default:
            return;
        }
        if (failed.empty() && !(row == kLanguage && ctx_.profile)) {
            failed = save_preferences(ctx_.store, prefs_);
        }
        error_ = failed.empty() ? std::string() : ctx_.tf("settings.save_failed", failed);
        dirty_ = true;
    }

    Preferences prefs_;
    std::string own_language_; ///< the profile's own language, empty when it follows the app's
    int selected_ = 0;
    bool dirty_ = false;
    std::string error_;
    float row_h_ = 54, top_ = 150;
    double t_ = 0;
};

} // namespace

std::unique_ptr<Screen> make_settings(Context& ctx) {
    return std::make_unique<Settings>(ctx);
}

} // namespace qv::game
