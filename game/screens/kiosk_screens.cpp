// The waiting-room kiosk's screens (docs/kiosk.md): attract, avatar pick, goodbye, the staff PIN
// and menu, the idle warning and the clinician's kiosk settings. No screen here shows a name.

#include "core/log.hpp"
#include "game/audio.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/kiosk.hpp"
#include "game/screens/pin_field.hpp"
#include "game/screens/screens.hpp"
#include "game/widgets.hpp"
#include "profiles/clinician_store.hpp"
#include "profiles/kiosk_store.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace qv::game {

namespace {

constexpr float kW = Gfx::kWidth;
constexpr float kH = Gfx::kHeight;

bool key_down(const SDL_Event& e, SDL_Keycode k) {
    return e.type == SDL_KEYDOWN && e.key.repeat == 0 && e.key.keysym.sym == k;
}

/// Goes back to the attract screen after the staff PIN or menu: the visit (if any) ends too.
void back_to_attract(Context& ctx, const char* why) {
    end_kiosk_visit(ctx, why);
}

std::unique_ptr<Screen> make_kiosk_pick(Context& ctx);
std::unique_ptr<Screen> make_kiosk_admin(Context& ctx);

/// "Come and play": calm, slow to draw (max_fps), any key or tap starts.
class KioskAttract final : public Screen {
  public:
    explicit KioskAttract(Context& ctx) : Screen(ctx) {}
    std::string name() const override { return "kiosk_attract"; }
    double max_fps() const override {
        return ctx_.kiosk != nullptr ? ctx_.kiosk->params().attract_fps : 10.0;
    }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        gfx.text(ctx_.t("kiosk.attract.title"), kW / 2, 70, FontSize::Huge, palette::ink,
                 Align::Center, true);
        gfx.text(ctx_.t("kiosk.attract.tagline"), kW / 2, 200, FontSize::Large, palette::ink_soft,
                 Align::Center);
        const auto& avatars = ctx_.content.avatars;
        const auto n = static_cast<float>(avatars.size());
        const float gap = 170, x0 = kW / 2 - (n - 1) * gap / 2;
        for (std::size_t i = 0; i < avatars.size(); ++i) {
            const double phase = t_ * 2.2 + static_cast<double>(i) * 0.9;
            const auto bob = static_cast<float>(std::sin(phase) * 14.0);
            draw_avatar(gfx, avatars[i], x0 + static_cast<float>(i) * gap, 350 + bob, 58);
        }
        // The invitation breathes slowly; its words never change, so it reads at any moment.
        const std::string invite = ctx_.t("kiosk.attract.invite");
        const auto text_w = static_cast<float>(gfx.measure(invite, FontSize::Large, true).x);
        const auto pulse = static_cast<float>(0.5 + 0.5 * std::sin(t_ * 3.0));
        // Whole pixels: a fractional width leaves a seam in the software renderer's curves.
        const float bw = std::round(std::min(kW - 40, text_w + 120 + 24 * pulse));
        const float bh = std::round(96 + 6 * pulse);
        gfx.rounded_rect(std::round((kW - bw) / 2), std::round(528 - bh / 2), bw, bh,
                         std::floor(bh / 2), palette::accent);
        gfx.text(invite, kW / 2, 528 - static_cast<float>(gfx.font_px(FontSize::Large)) * 0.62f,
                 FontSize::Large, palette::paper, Align::Center, true);
        draw_hints(
            gfx, {{"Enter", ctx_.t("kiosk.attract.play")}, {"Esc", ctx_.t("kiosk.attract.staff")}});
    }

    bool handle(const SDL_Event& e) override {
        if (is_back(e)) {
            ctx_.screens.push(make_kiosk_pin(ctx_));
            return true;
        }
        const bool key = e.type == SDL_KEYDOWN && e.key.repeat == 0;
        if (key || is_tap(e) || e.type == SDL_CONTROLLERBUTTONDOWN || e.type == SDL_JOYBUTTONDOWN) {
            ctx_.audio.play("select");
            ctx_.screens.push(make_kiosk_pick(ctx_));
            return true;
        }
        return false;
    }

  private:
    double t_ = 0;
};

/// The avatars of the kiosk's players (never their names) and a Guest card. Arrows and Enter,
/// or a tap on a card.
class KioskPick final : public Screen {
  public:
    explicit KioskPick(Context& ctx) : Screen(ctx), profiles_(ctx.store.profiles()) {
        // Two players with the same animal get a number on their card to tell them apart.
        std::map<std::string, int> seen;
        for (const auto& p : profiles_) {
            badges_.push_back(++seen[p.avatar]);
        }
        for (std::size_t i = 0; i < profiles_.size(); ++i) {
            if (seen[profiles_[i].avatar] == 1) {
                badges_[i] = 0;
            }
        }
        selected_ = static_cast<int>(profiles_.size()); // Guest first: the usual walk-up
    }
    std::string name() const override { return "kiosk_pick"; }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_title(gfx, ctx_.t("kiosk.pick.title"), ctx_.t("kiosk.pick.subtitle"));
        ++gfx.frame_input().scan_rows; // one switch: the highlight walks the cards
        cards_.clear();
        const int n = count();
        const int per_row = std::min(n, kPerRow);
        const int first_row = std::max(0, selected_ / kPerRow - 1);
        for (int i = 0; i < n; ++i) {
            const int row = i / kPerRow - first_row, col = i % kPerRow;
            if (row < 0 || row > 1) {
                continue;
            }
            const int in_row = std::min(per_row, n - (i / kPerRow) * kPerRow);
            const auto k = static_cast<float>(in_row);
            const float x = (kW - (k * kCardW + (k - 1) * kGap)) / 2 +
                            static_cast<float>(col) * (kCardW + kGap);
            const float y = 170 + static_cast<float>(row) * (kCardH + kGap);
            cards_.push_back({i, TapArea{x, y, kCardW, kCardH}});
            draw_card(gfx, x, y, kCardW, kCardH, i == selected_);
            if (i < static_cast<int>(profiles_.size())) {
                const auto idx = static_cast<std::size_t>(i);
                draw_avatar(gfx, avatar_of(profiles_[idx].avatar), x + kCardW / 2, y + 98, 66);
                if (badges_[idx] > 0) {
                    gfx.circle(x + kCardW - 34, y + 34, 22, palette::accent);
                    gfx.text(std::to_string(badges_[idx]), x + kCardW - 34, y + 19, FontSize::Body,
                             palette::paper, Align::Center, true);
                }
            } else {
                draw_guest(gfx, x, y);
            }
        }
        if (!error_.empty()) {
            gfx.paragraph(error_, kW / 2, 585, 1160, FontSize::Body, palette::stop, Align::Center);
        } else if (profiles_.empty()) {
            gfx.paragraph(ctx_.t("kiosk.pick.none"), kW / 2, 585, 1160, FontSize::Body,
                          palette::ink_soft, Align::Center);
        }
        draw_hints(gfx, {{"\u2190\u2192", ctx_.t("hint.choose")},
                         {"Enter", ctx_.t("hint.select")},
                         {"Esc", ctx_.t("hint.back")}});
    }

    bool handle(const SDL_Event& e) override {
        const int n = count();
        if (is_tap(e)) {
            for (const auto& [index, area] : cards_) {
                if (area.contains(static_cast<float>(e.button.x), static_cast<float>(e.button.y))) {
                    selected_ = index;
                    choose();
                    return true;
                }
            }
            return false;
        }
        if (is_scan_next(e)) {
            selected_ = (selected_ + 1) % n;
            return true;
        }
        if (is_back(e)) {
            ctx_.screens.pop();
            return true;
        }
        if (is_confirm(e)) {
            choose();
            return true;
        }
        if (e.type != SDL_KEYDOWN) {
            return false;
        }
        switch (e.key.keysym.sym) {
        case SDLK_LEFT:
            selected_ = (selected_ + n - 1) % n;
            return true;
        case SDLK_RIGHT:
            selected_ = (selected_ + 1) % n;
            return true;
        case SDLK_UP:
            selected_ = std::max(0, selected_ - kPerRow);
            return true;
        case SDLK_DOWN:
            selected_ = std::min(n - 1, selected_ + kPerRow);
            return true;
        default:
            return false;
        }
    }

  private:
    static constexpr int kPerRow = 5;
    static constexpr float kCardW = 200, kCardH = 200, kGap = 28;

    int count() const { return static_cast<int>(profiles_.size()) + 1; }

    const content::Avatar& avatar_of(const std::string& id) const {
        if (const auto* a = ctx_.content.avatar(id)) {
            return *a;
        }
        static const content::Avatar fallback{"", "", "bear", 0xB08968, 0xE6CCB2};
        return ctx_.content.avatars.empty() ? fallback : ctx_.content.avatars.front();
    }

    void draw_guest(Gfx& gfx, float x, float y) const {
        gfx.circle(x + kCardW / 2, y + 92, 62, palette::accent_soft);
        gfx.text("?", x + kCardW / 2, y + 42, FontSize::Huge, palette::accent, Align::Center, true);
        gfx.text(ctx_.t("kiosk.pick.guest"), x + kCardW / 2, y + 160, FontSize::Body, palette::ink,
                 Align::Center, true);
    }

    void choose() {
        error_.clear();
        if (selected_ < static_cast<int>(profiles_.size())) {
            ctx_.profile = profiles_[static_cast<std::size_t>(selected_)];
        } else {
            auto guest = profiles::create_guest(ctx_.store, "", ctx_.content.tuning.default_level);
            if (!guest) {
                error_ = ctx_.tf("kiosk.pick.error", guest.error().message);
                return;
            }
            ctx_.profile = *guest;
        }
        ctx_.audio.play("select");
        ctx_.draft = SessionDraft{};
        ctx_.screens.push(make_choose_game(ctx_));
    }

    std::vector<profiles::Profile> profiles_;
    std::vector<int> badges_;
    std::vector<std::pair<int, TapArea>> cards_;
    int selected_ = 0;
    std::string error_;
    double t_ = 0;
};

/// The end of a visit: praise in a few words, then the attract screen by itself.
class KioskGoodbye final : public Screen {
  public:
    explicit KioskGoodbye(Context& ctx) : Screen(ctx) {}
    std::string name() const override { return "kiosk_goodbye"; }
    void step(double dt) override {
        t_ += dt;
        const double limit = ctx_.kiosk != nullptr ? ctx_.kiosk->params().goodbye_s : 6.0;
        if (t_ >= limit && !done_) {
            finish();
        }
    }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_card(gfx, 240, 150, 800, 380);
        gfx.star(kW / 2, 235, 56, palette::gold, static_cast<float>(t_ * 0.6));
        gfx.text(ctx_.t("kiosk.goodbye.title"), kW / 2, 310, FontSize::Title, palette::ink,
                 Align::Center, true);
        gfx.paragraph(ctx_.t(message_key()), kW / 2, 400, 700, FontSize::Body, palette::ink_soft,
                      Align::Center);
        const double limit = ctx_.kiosk != nullptr ? ctx_.kiosk->params().goodbye_s : 6.0;
        const auto share = static_cast<float>(std::clamp(t_ / limit, 0.0, 1.0));
        gfx.rounded_rect(340, 490, 600, 12, 6, Color::hex(0xE3E8F0));
        gfx.rounded_rect(340, 490, 600 * share, 12, 6, palette::accent);
        draw_hints(gfx, {{"Enter", ctx_.t("kiosk.goodbye.next")}});
    }

    bool handle(const SDL_Event& e) override {
        if (is_confirm(e) || is_tap(e) || is_back(e)) {
            finish();
            return true;
        }
        return false;
    }

  private:
    std::string message_key() const {
        if (!ctx_.profile || !ctx_.profile->guest) {
            return "kiosk.goodbye.kept";
        }
        const bool keep =
            ctx_.kiosk != nullptr && ctx_.kiosk->settings().guest_data == profiles::GuestData::Keep;
        return keep ? "kiosk.goodbye.guest_kept" : "kiosk.goodbye.guest_discarded";
    }
    void finish() {
        done_ = true;
        end_kiosk_visit(ctx_, "finished");
    }
    bool done_ = false;
    double t_ = 0;
};

/// After the PIN: quit, the clinician's screens, the settings, or back to the waiting room.
class KioskAdmin final : public Screen {
  public:
    explicit KioskAdmin(Context& ctx) : Screen(ctx) {}
    std::string name() const override { return "kiosk_admin"; }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_card(gfx, 240, 90, 800, 500);
        gfx.text(ctx_.t("kiosk.admin.title"), kW / 2, 118, FontSize::Large, palette::ink,
                 Align::Center, true);
        gfx.paragraph(ctx_.t("kiosk.admin.body"), kW / 2, 176, 700, FontSize::Body,
                      palette::ink_soft, Align::Center);
        const std::array<std::pair<const char*, const char*>, 4> rows{{
            {"Q", "kiosk.admin.quit"},
            {"C", "kiosk.admin.clinician"},
            {"S", "kiosk.admin.settings"},
            {"Esc", "kiosk.admin.back"},
        }};
        float y = 290;
        for (const auto& [key, text] : rows) {
            gfx.rounded_rect(330, y, 84, 48, 10, palette::accent_soft);
            gfx.text(key, 372, y + 8, FontSize::Body, palette::ink, Align::Center, true);
            gfx.text(ctx_.t(text), 440, y + 8, FontSize::Body, palette::ink);
            y += 68;
        }
        draw_hints(gfx, {{"Q", ctx_.t("kiosk.admin.quit")},
                         {"C", ctx_.t("kiosk.admin.clinician")},
                         {"S", ctx_.t("kiosk.admin.settings")},
                         {"Esc", ctx_.t("kiosk.admin.back")}});
    }

    bool handle(const SDL_Event& e) override {
        if (key_down(e, SDLK_q)) {
            log::get("kiosk")->info("closed by staff with the clinician PIN");
            ctx_.quit = true;
            return true;
        }
        if (key_down(e, SDLK_c)) {
            ctx_.screens.replace(make_clinician_home(ctx_));
            return true;
        }
        if (key_down(e, SDLK_s)) {
            ctx_.screens.replace(make_settings(ctx_));
            return true;
        }
        if (is_back(e)) {
            back_to_attract(ctx_, "staff menu closed");
            return true;
        }
        return false;
    }

  private:
    double t_ = 0;
};

/// The clinician's kiosk settings: kiosk on start, what happens to guest data, idle timeout.
class KioskSettingsScreen final : public Screen {
  public:
    explicit KioskSettingsScreen(Context& ctx) : Screen(ctx) {
        const profiles::KioskSettings defaults{
            false, profiles::GuestData::Discard,
            static_cast<int>(std::lround(ctx.content.tuning.kiosk.idle_timeout_s))};
        settings_ = profiles::kiosk_settings(ctx.store, defaults);
        totals_ = profiles::guest_totals(ctx.store);
    }
    std::string name() const override { return "clinician_kiosk"; }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_title(gfx, ctx_.t("kiosk.settings.title"), ctx_.t("kiosk.settings.subtitle"));
        draw_card(gfx, 140, 170, 1000, 380);
        const std::array<std::pair<std::string, std::string>, 3> rows{{
            {ctx_.t("kiosk.settings.enabled"),
             ctx_.t(settings_.enabled ? "kiosk.settings.on" : "kiosk.settings.off")},
            {ctx_.t("kiosk.settings.guest_data"),
             ctx_.t(settings_.guest_data == profiles::GuestData::Keep
                        ? "kiosk.settings.guest_keep"
                        : "kiosk.settings.guest_discard")},
            {ctx_.t("kiosk.settings.idle"),
             ctx_.tf("kiosk.settings.idle_value", settings_.idle_timeout_s)},
        }};
        float y = 200;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const bool sel = static_cast<int>(i) == row_;
            if (sel) {
                gfx.rounded_rect(160, y - 8, 960, 64, 12, palette::accent_soft);
            }
            gfx.text(rows[i].first, 190, y + 6, FontSize::Body, palette::ink, Align::Left, true);
            gfx.text("\u2039 " + rows[i].second + " \u203a", 1090, y + 6, FontSize::Body,
                     sel ? palette::ink : palette::ink_soft, Align::Right, sel);
            y += 84;
        }
        gfx.text(ctx_.tf("kiosk.settings.kept", totals_.guests, totals_.sessions), 190, y + 10,
                 FontSize::Small, palette::ink_soft);
        if (!message_.empty()) {
            gfx.rounded_rect(140, 570, 1000, 50, 12, error_ ? palette::stop : palette::accent);
            gfx.text(message_, kW / 2, 582, FontSize::Small, palette::paper, Align::Center, true);
        }
        draw_hints(gfx, {{"\u2191\u2193", ctx_.t("kiosk.settings.hint_row")},
                         {"\u2190\u2192", ctx_.t("kiosk.settings.hint_change")},
                         {"Enter", ctx_.t("kiosk.settings.hint_save")},
                         {"Esc", ctx_.t("hint.back")}});
    }

    bool handle(const SDL_Event& e) override {
        if (is_back(e)) {
            ctx_.screens.pop();
            return true;
        }
        if (is_confirm(e)) {
            save();
            return true;
        }
        if (e.type != SDL_KEYDOWN) {
            return false;
        }
        switch (e.key.keysym.sym) {
        case SDLK_UP:
            row_ = (row_ + 2) % 3;
            return true;
        case SDLK_DOWN:
            row_ = (row_ + 1) % 3;
            return true;
        case SDLK_LEFT:
            change(-1);
            return true;
        case SDLK_RIGHT:
            change(+1);
            return true;
        default:
            return false;
        }
    }

  private:
    static constexpr std::array kTimeouts{45, 60, 90, 120, 180, 300};

    void change(int dir) {
        message_.clear();
        if (row_ == 0) {
            settings_.enabled = !settings_.enabled;
        } else if (row_ == 1) {
            settings_.guest_data = settings_.guest_data == profiles::GuestData::Keep
                                       ? profiles::GuestData::Discard
                                       : profiles::GuestData::Keep;
        } else {
            auto it =
                std::lower_bound(kTimeouts.begin(), kTimeouts.end(), settings_.idle_timeout_s);
            auto i = static_cast<int>(it - kTimeouts.begin());
            if (it == kTimeouts.end() || *it != settings_.idle_timeout_s) {
                i = dir > 0 ? i - 1 : i; // between two choices: step to the neighbour
            }
            i = std::clamp(i + dir, 0, static_cast<int>(kTimeouts.size()) - 1);
            settings_.idle_timeout_s = kTimeouts[static_cast<std::size_t>(i)];
        }
    }

    void save() {
        error_ = false;
        if (settings_.enabled && !profiles::has_pin(ctx_.store)) {
            error_ = true;
            message_ = ctx_.t("kiosk.settings.needs_pin");
            return;
        }
        if (auto r = profiles::set_kiosk_settings(ctx_.store, settings_); !r) {
            error_ = true;
            message_ = r.error().message;
            return;
        }
        if (ctx_.kiosk != nullptr) {
            ctx_.kiosk->set_settings(settings_);
        }
        message_ = ctx_.t("kiosk.settings.saved");
    }

    profiles::KioskSettings settings_;
    profiles::GuestTotals totals_;
    int row_ = 0;
    std::string message_;
    bool error_ = false;
    double t_ = 0;
};

std::unique_ptr<Screen> make_kiosk_pick(Context& ctx) {
    return std::make_unique<KioskPick>(ctx);
}
std::unique_ptr<Screen> make_kiosk_admin(Context& ctx) {
    return std::make_unique<KioskAdmin>(ctx);
}

} // namespace

std::unique_ptr<Screen> make_kiosk_attract(Context& ctx) {
    return std::make_unique<KioskAttract>(ctx);
}
std::unique_ptr<Screen> make_kiosk_goodbye(Context& ctx) {
    return std::make_unique<KioskGoodbye>(ctx);
}
std::unique_ptr<Screen> make_kiosk_pin(Context& ctx) {
    // The clinician PIN before anything that leaves the kiosk's player side. With no PIN set
    // (removed with --reset-pin) a new one is asked for before the staff menu.
    return std::make_unique<PinGate>(
        ctx, "kiosk_pin", PinGate::Words{"kiosk.pin.title", "kiosk.pin.body", ""},
        [&ctx] { return make_first_start_or(ctx, make_kiosk_admin(ctx)); });
}
std::unique_ptr<Screen> make_kiosk_settings(Context& ctx) {
    return std::make_unique<KioskSettingsScreen>(ctx);
}

void draw_kiosk_idle_warning(Gfx& gfx, const Context& ctx, double seconds_left) {
    gfx.rect(0, 0, kW, kH, Color::hex(0x1D2B4F, 150));
    draw_card(gfx, 290, 190, 700, 320, true);
    gfx.text(ctx.t("kiosk.idle.title"), kW / 2, 220, FontSize::Title, palette::ink, Align::Center,
             true);
    gfx.paragraph(ctx.t("kiosk.idle.body"), kW / 2, 310, 600, FontSize::Body, palette::ink_soft,
                  Align::Center);
    gfx.text(ctx.tf("kiosk.idle.left", static_cast<int>(std::ceil(seconds_left))), kW / 2, 430,
             FontSize::Large, palette::warm, Align::Center, true);
}

} // namespace qv::game
