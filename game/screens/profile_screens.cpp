// Choosing, creating and viewing a profile.

#include "game/audio.hpp"
#include "game/child_mode.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/progress.hpp"
#include "game/screens/screens.hpp"
#include "game/widgets.hpp"

#include <algorithm>

namespace qv::game {

namespace {

const content::Avatar& avatar_or_first(const Context& ctx, const std::string& id) {
    if (const auto* a = ctx.content.avatar(id)) {
        return *a;
    }
    static const content::Avatar fallback{"", "", "bear", 0xB08968, 0xE6CCB2};
    return ctx.content.avatars.empty() ? fallback : ctx.content.avatars.front();
}

/// "Who is playing?": a card per profile and one to add a player.
class ProfileSelect final : public Screen {
  public:
    explicit ProfileSelect(Context& ctx) : Screen(ctx) { reload(); }
    std::string name() const override { return "profile_select"; }
    void resumed() override { reload(); }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_title(gfx, ctx_.t("app.title"), ctx_.t("select.subtitle"));
        const int n = static_cast<int>(profiles_.size()) + 1;
        const int per_row = std::min(n, 4);
        const float cw = 240, ch = 250, gap = 36;
        for (int i = 0; i < n; ++i) {
            const int row = i / 4, col = i % 4;
            const int in_row = std::min(per_row, n - row * 4);
            const auto k = static_cast<float>(in_row);
            const float x0 = (Gfx::kWidth - (k * cw + (k - 1) * gap)) / 2;
            const float x = x0 + static_cast<float>(col) * (cw + gap);
            const float y = 190 + static_cast<float>(row) * (ch + gap) -
                            static_cast<float>(scroll_row()) * (ch + gap);
            if (y < 150 || y > 600) {
                continue;
            }
            draw_card(gfx, x, y, cw, ch, i == selected_);
            if (i < static_cast<int>(profiles_.size())) {
                const auto& p = profiles_[static_cast<std::size_t>(i)];
                draw_avatar(gfx, avatar_or_first(ctx_, p.avatar), x + cw / 2, y + 100, 62);
                gfx.text(p.name, x + cw / 2, y + 185, FontSize::Body, palette::ink, Align::Center,
                         true);
            } else {
                gfx.circle(x + cw / 2, y + 100, 62, palette::accent_soft);
                gfx.text("+", x + cw / 2, y + 45, FontSize::Huge, palette::accent, Align::Center,
                         true);
                gfx.text(ctx_.t("select.new"), x + cw / 2, y + 185, FontSize::Body, palette::ink,
                         Align::Center, true);
            }
        }
        draw_hints(gfx, {{"\u2190\u2192", ctx_.t("hint.choose")},
                         {"Enter", ctx_.t("hint.select")},
                         {"N", ctx_.t("select.new")},
                         {"C", ctx_.t("clinician.hint.clinician")},
                         {"S", ctx_.t("settings.open")},
                         {"Esc", ctx_.t("hint.quit")}});
    }

    bool handle(const SDL_Event& e) override {
        const int n = static_cast<int>(profiles_.size()) + 1;
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
            selected_ = std::max(0, selected_ - 4);
            return true;
        case SDLK_DOWN:
            selected_ = std::min(n - 1, selected_ + 4);
            return true;
        case SDLK_n:
            ctx_.screens.push(make_new_profile(ctx_));
            return true;
        case SDLK_s:
            ctx_.screens.push(make_settings(ctx_));
            return true;
        case SDLK_c: // the clinician side, behind the PIN
            ctx_.screens.push(make_clinician_entry(ctx_));
            return true;
        case SDLK_ESCAPE:
            ctx_.quit = true;
            return true;
        default:
            break;
        }
        if (is_confirm(e)) {
            if (selected_ < static_cast<int>(profiles_.size())) {
                ctx_.profile = profiles_[static_cast<std::size_t>(selected_)];
                ctx_.screens.push(make_profile_home(ctx_));
            } else {
                ctx_.screens.push(make_new_profile(ctx_));
            }
            return true;
        }
        return false;
    }

  private:
    void reload() {
        profiles_ = ctx_.store.profiles();
        selected_ = std::clamp(selected_, 0, static_cast<int>(profiles_.size()));
    }
    int scroll_row() const { return std::max(0, selected_ / 4 - 0); }
    std::vector<profiles::Profile> profiles_;
    int selected_ = 0;
    double t_ = 0;
};

/// Name and avatar for a new player.
class NewProfile final : public Screen {
  public:
    explicit NewProfile(Context& ctx) : Screen(ctx) { SDL_StartTextInput(); }
    ~NewProfile() override { SDL_StopTextInput(); }
    std::string name() const override { return "new_profile"; }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_title(gfx, ctx_.t("new.title"), ctx_.t("new.subtitle"));
        draw_card(gfx, 290, 170, 700, 100);
        const bool caret = static_cast<int>(t_ * 2) % 2 == 0;
        const std::string shown = name_.empty() && !caret ? "" : name_ + (caret ? "|" : "");
        if (name_.empty()) {
            gfx.text(ctx_.t("new.name_placeholder"), 320, 200, FontSize::Large,
                     palette::ink_soft.with_alpha(120));
        }
        gfx.text(shown, 320, 200, FontSize::Large, palette::ink, Align::Left, true);
        const auto& avatars = ctx_.content.avatars;
        const float size = 150, gap = 24;
        const float x0 =
            (Gfx::kWidth - (static_cast<float>(avatars.size()) * (size + gap) - gap)) / 2;
        for (std::size_t i = 0; i < avatars.size(); ++i) {
            const float x = x0 + static_cast<float>(i) * (size + gap);
            draw_card(gfx, x, 330, size, 190, static_cast<int>(i) == avatar_);
            draw_avatar(gfx, avatars[i], x + size / 2, 410, 48);
            gfx.text(avatars[i].label, x + size / 2, 476, FontSize::Small, palette::ink,
                     Align::Center);
        }
        // Child players rate pain on the game's faces scale.
        gfx.rounded_rect(440, 540, 36, 36, 8, child_ ? palette::accent : palette::paper);
        if (child_) {
            gfx.text("\u2713", 458, 541, FontSize::Body, palette::paper, Align::Center, true);
        }
        gfx.text(ctx_.t("new.child"), 490, 543, FontSize::Body, palette::ink);
        if (!error_.empty()) {
            gfx.text(error_, Gfx::kWidth / 2, 590, FontSize::Body, palette::stop, Align::Center,
                     true);
        }
        draw_hints(gfx, {{ctx_.t("hint.type"), ctx_.t("new.hint_name")},
                         {"\u2190\u2192", ctx_.t("new.hint_avatar")},
                         {"Tab", ctx_.t("new.hint_child")},
                         {"Enter", ctx_.t("new.hint_create")},
                         {"Esc", ctx_.t("hint.back")}});
    }

    bool handle(const SDL_Event& e) override {
        const int n = static_cast<int>(ctx_.content.avatars.size());
        if (e.type == SDL_TEXTINPUT) {
            if (name_.size() < 40) {
                name_ += e.text.text;
            }
            error_.clear();
            return true;
        }
        if (e.type != SDL_KEYDOWN) {
            return false;
        }
        switch (e.key.keysym.sym) {
        case SDLK_BACKSPACE:
            while (!name_.empty()) { // remove one whole UTF-8 character
                const auto c = static_cast<unsigned char>(name_.back());
                name_.pop_back();
                if ((c & 0xC0) != 0x80) {
                    break;
                }
            }
            return true;
        case SDLK_LEFT:
            avatar_ = (avatar_ + n - 1) % std::max(1, n);
            return true;
        case SDLK_RIGHT:
            avatar_ = (avatar_ + 1) % std::max(1, n);
            return true;
        case SDLK_ESCAPE:
            ctx_.screens.pop();
            return true;
        case SDLK_TAB:
            child_ = !child_;
            return true;
        case SDLK_RETURN:
        case SDLK_KP_ENTER:
            create();
            return true;
        default:
            return false;
        }
    }

  private:
    void create() {
        const std::string avatar = ctx_.content.avatars.empty()
                                       ? ""
                                       : ctx_.content.avatars[static_cast<std::size_t>(avatar_)].id;
        auto created = ctx_.store.create_profile(name_, avatar, ctx_.content.tuning.default_level);
        if (!created) {
            error_ = created.error().message;
            return;
        }
        if (child_) {
            if (auto r = ctx_.store.set_child(created->id, true); !r) {
                error_ = r.error().message;
                return;
            }
            created->child = true;
        }
        ctx_.profile = created.value();
        ctx_.screens.replace(make_profile_home(ctx_));
    }
    std::string name_;
    std::string error_;
    int avatar_ = 0;
    bool child_ = false;
    double t_ = 0;
};

/// The player's home: who they are, their level, their recent sessions, and the start button.
class ProfileHome final : public Screen {
  public:
    explicit ProfileHome(Context& ctx) : Screen(ctx) { reload(); }
    std::string name() const override { return "profile_home"; }
    void resumed() override { reload(); }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        if (!ctx_.profile) {
            return;
        }
        const auto& p = *ctx_.profile;
        draw_card(gfx, 40, 60, 400, 520);
        draw_avatar(gfx, avatar_or_first(ctx_, p.avatar), 240, 190, 90);
        gfx.text(p.name, 240, 310, FontSize::Large, palette::ink, Align::Center, true);
        if (p.child) {
            // Child mode: the tokens, the same for finishing and for stopping when it hurt.
            draw_token(gfx, 110, 386, 30);
            gfx.paragraph(ctx_.tf(tokens_.total == 1 ? "child.home.token" : "child.home.tokens",
                                  tokens_.total),
                          152, 366, 270, FontSize::Body, palette::ink);
        } else if (plan_) {
            const auto& d = plan_->dose;
            gfx.text(
                ctx_.tf("home.plan", d.sets, d.reps, d.hold_s, d.band_low_pct, d.band_high_pct),
                240, 360, FontSize::Small, palette::ink_soft, Align::Center);
        } else {
            const auto* level = ctx_.content.level(p.level_id);
            gfx.text(ctx_.tf("home.level", p.level_id, level ? level->name : ""), 240, 360,
                     FontSize::Body, palette::ink_soft, Align::Center);
        }
        if (!p.child) {
            gfx.text(ctx_.tf("home.sessions_count", history_.size()), 240, 396, FontSize::Body,
                     palette::ink_soft, Align::Center);
        }
        if (plan_ && plan_->locked) {
            gfx.text(ctx_.t("home.locked"), 240, 432, FontSize::Small, palette::stop, Align::Center,
                     true);
        }
        gfx.rounded_rect(60, 470, 360, 80, 40, palette::accent);
        gfx.text(ctx_.t("home.start"), 240, 493, FontSize::Body, palette::paper, Align::Center,
                 true);

        draw_card(gfx, 460, 60, 760, 520);
        gfx.text(ctx_.t("home.history"), 490, 84, FontSize::Large, palette::ink, Align::Left, true);
        if (history_.empty()) {
            gfx.paragraph(ctx_.t("home.no_history"), 490, 150, 700, FontSize::Body,
                          palette::ink_soft);
        }
        float y = 146;
        for (const auto& s : history_) {
            if (y > 440) {
                break;
            }
            gfx.rounded_rect(480, y, 720, 64, 14, Color::hex(0xF1F6FB));

            gfx.text(ctx_.tf("home.row_detail", s.session.level_id, s.reps_done, s.reps_total), 500,
                     y + 6, FontSize::Body, palette::ink, Align::Left, true);
            std::string note = s.session.started_at.substr(0, 10) + "  \u00b7  " +
                               ctx_.t("source." + s.session.source.driver);
            if (s.session.status == profiles::SessionStatus::StoppedPain) {
                note += "  \u00b7  " + ctx_.t("home.stopped_pain");
            } else if (s.session.status == profiles::SessionStatus::Aborted) {
                note += "  \u00b7  " + ctx_.t("home.ended_early");
            }
            gfx.text(note, 500, y + 38, FontSize::Small, palette::ink_soft);
            if (p.child) { // a token for finishing or stopping for safety, never a score
                if (earns_token(s.session.status)) {
                    draw_token(gfx, 1166, y + 32, 20);
                }
            } else {
                draw_stars(gfx, s.session.stars, 3, 1150, y + 22, 11);
            }
            y += 74;
        }
        if (!last_reason_.empty() && !p.child) { // a child's grown-ups see it in the progress
            gfx.rect(480, 512, 720, 2, Color::hex(0xE3E8F0));
            gfx.paragraph(ctx_.tf("home.latest_change", last_reason_), 490, 522, 700,
                          FontSize::Small, palette::ink_soft);
        }
        draw_hints(gfx, {{"Enter", ctx_.t("home.start")},
                         {"G", ctx_.t("progress.open")},
                         {"S", ctx_.t("settings.open")},
                         {"Esc", ctx_.t("home.switch")}});
    }

    bool handle(const SDL_Event& e) override {
        if (e.type == SDL_KEYDOWN && e.key.repeat == 0 && e.key.keysym.sym == SDLK_s) {
            ctx_.screens.push(make_settings(ctx_));
            return true;
        }
        if (e.type == SDL_KEYDOWN && e.key.repeat == 0 && e.key.keysym.sym == SDLK_g) {
            ctx_.screens.push(make_progress(ctx_));
            return true;
        }
        if (is_confirm(e)) {
            ctx_.draft = SessionDraft{};
            ctx_.screens.push(make_choose_game(ctx_));
            return true;
        }
        if (is_back(e)) {
            ctx_.profile.reset();
            ctx_.screens.reset(make_profile_select(ctx_));
            return true;
        }
        return false;
    }

  private:
    void reload() {
        if (ctx_.profile) {
            if (auto fresh = ctx_.store.profile(ctx_.profile->id)) {
                ctx_.profile = *fresh;
            }
            history_ = ctx_.store.recent_sessions(ctx_.profile->id, 5000);
            plan_ = ctx_.store.plan(ctx_.profile->id);
            const auto last = ctx_.store.decisions(ctx_.profile->id, 1);
            last_reason_ = last.empty() ? std::string() : last.front().reason;
            tokens_ = ctx_.profile->child ? count_tokens(ctx_.store, ctx_.profile->id) : Tokens{};
        }
    }
    static bool earns_token(profiles::SessionStatus s) {
        return s == profiles::SessionStatus::Completed ||
               s == profiles::SessionStatus::StoppedPain ||
               s == profiles::SessionStatus::StoppedRedFlag;
    }
    Tokens tokens_; ///< child mode: the tokens so far
    std::vector<profiles::SessionSummary> history_;
    std::optional<profiles::PlanRecord> plan_;
    std::string last_reason_; ///< the adaptation engine's latest decision, in words
    double t_ = 0;
};

} // namespace

std::unique_ptr<Screen> make_profile_select(Context& ctx) {
    if (ctx.kiosk != nullptr) { // the kiosk's players pick an avatar there, never a name
        return make_kiosk_attract(ctx);
    }
    return std::make_unique<ProfileSelect>(ctx);
}
std::unique_ptr<Screen> make_new_profile(Context& ctx) {
    return std::make_unique<NewProfile>(ctx);
}
std::unique_ptr<Screen> make_profile_home(Context& ctx) {
    if (ctx.kiosk != nullptr) { // the kiosk has no home: every way back there ends the visit
        return make_kiosk_goodbye(ctx);
    }
    return std::make_unique<ProfileHome>(ctx);
}

} // namespace qv::game
