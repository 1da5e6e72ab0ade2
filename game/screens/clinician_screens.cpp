// The clinician side, behind the PIN: first start (set a PIN or choose a home-only install), PIN
// entry, the clinician's home (profiles, archive, delete, export), the profile and plan editors
// (quad sets, controlled squats, limits and pain rules) and the history of a profile.

#include "core/paths.hpp"
#include "game/adaptation.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/screens/pin_field.hpp"
#include "game/screens/screens.hpp"
#include "game/widgets.hpp"
#include "profiles/clinician_store.hpp"
#include "profiles/squat_store.hpp"
#include "report/export.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>

namespace qv::game {

namespace {

constexpr float W = Gfx::kWidth;

bool is_key(const SDL_Event& e, SDL_Keycode k) {
    return e.type == SDL_KEYDOWN && e.key.keysym.sym == k;
}

const content::Avatar* avatar_of(const Context& ctx, const std::string& id) {
    if (const auto* a = ctx.content.avatar(id)) {
        return a;
    }
    return ctx.content.avatars.empty() ? nullptr : &ctx.content.avatars.front();
}

/// A number without a trailing ".0".
std::string num(double v) {
    if (std::abs(v - std::round(v)) < 1e-9) {
        return fmt::format("{:.0f}", v);
    }
    return std::abs(v * 10 - std::round(v * 10)) < 1e-9 ? fmt::format("{:.1f}", v)
                                                        : fmt::format("{:.2f}", v);
}

/// Setting a PIN: type it, type it again. At first start S chooses a home-only install.
class SetPin final : public Screen {
  public:
    /// `next` set: first start (S skips, then `next` replaces this); else a change from the
    /// clinician's home (pops, and writes `notice`).
    SetPin(Context& ctx, std::unique_ptr<Screen> next, std::string* notice)
        : Screen(ctx), next_(std::move(next)), notice_(notice) {}
    std::string name() const override {
        return next_ ? "clinician_first_start" : "clinician_set_pin";
    }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_card(gfx, 190, 70, 900, 560);
        const bool first = next_ != nullptr;
        const bool kiosk = ctx_.kiosk != nullptr; // a kiosk cannot run without a PIN
        gfx.text(ctx_.t(first ? "clinician.first.title" : "clinician.change_pin.title"), W / 2, 100,
                 FontSize::Large, palette::ink, Align::Center, true);
        gfx.paragraph(ctx_.t(!first  ? "clinician.change_pin.body"
                             : kiosk ? "clinician.first.kiosk_body"
                                     : "clinician.first.body"),
                      W / 2, 160, 780, FontSize::Body, palette::ink_soft, Align::Center);
        gfx.text(ctx_.t(repeat_ ? "clinician.first.repeat" : "clinician.first.enter"), W / 2, 300,
                 FontSize::Body, palette::ink, Align::Center, true);
        field_.draw(gfx, 370);
        if (!error_.empty()) {
            gfx.paragraph(error_, W / 2, 420, 780, FontSize::Body, palette::stop, Align::Center);
        }
        if (first && !kiosk) {
            gfx.rect(240, 500, 800, 2, Color::hex(0xE3E8F0));
            gfx.paragraph(ctx_.t("clinician.first.skip_help"), W / 2, 520, 780, FontSize::Small,
                          palette::ink_soft, Align::Center);
        }
        std::vector<std::pair<std::string, std::string>> hints{
            {"0-9", ctx_.t("clinician.hint.digits")},
            {"Enter", ctx_.t(repeat_ ? "clinician.hint.set_pin" : "hint.next")}};
        if (first && !kiosk) {
            hints.emplace_back("S", ctx_.t("clinician.hint.skip"));
        }
        hints.emplace_back("Esc", ctx_.t(first && !repeat_ ? "hint.quit" : "hint.back"));
        draw_hints(gfx, hints);
    }

    bool handle(const SDL_Event& e) override {
        if (field_.handle(e)) {
            error_.clear();
            return true;
        }
        if (next_ && ctx_.kiosk == nullptr && is_key(e, SDLK_s)) {
            if (auto r = profiles::skip_pin(ctx_.store); !r) {
                error_ = r.error().message;
                return true;
            }
            ctx_.screens.replace(std::move(next_));
            return true;
        }
        if (is_back(e)) {
            if (repeat_) {
                repeat_ = false;
                first_.clear();
                field_.clear();
            } else if (next_) {
                ctx_.quit = true;
            } else {
                ctx_.screens.pop();
            }
            return true;
        }
        if (is_confirm(e)) {
            confirm();
            return true;
        }
        return false;
    }

  private:
    void confirm() {
        if (!repeat_) {
            if (auto v = profiles::validate_pin(field_.pin()); !v) {
                error_ = v.error().message;
                return;
            }
            first_ = field_.pin();
            field_.clear();
            repeat_ = true;
            return;
        }
        const bool same = field_.pin() == first_;
        const std::string pin = field_.pin();
        field_.clear();
        repeat_ = false;
        if (!same) {
            first_.clear();
            error_ = ctx_.t("clinician.first.mismatch");
            return;
        }
        first_.clear();
        if (auto r = profiles::set_pin(ctx_.store, pin); !r) {
            error_ = r.error().message;
            return;
        }
        if (next_) {
            ctx_.screens.replace(std::move(next_));
        } else {
            if (notice_ != nullptr) {
                *notice_ = ctx_.t("clinician.change_pin.done");
            }
            ctx_.screens.pop();
        }
    }

    std::unique_ptr<Screen> next_;
    std::string* notice_;
    PinField field_;
    std::string first_;
    std::string error_;
    bool repeat_ = false;
    double t_ = 0;
};

std::unique_ptr<Screen> make_clinician_home_impl(Context& ctx, bool home_only);

/// New profile or editing one: name, avatar, child mode.
class ProfileEditor final : public Screen {
  public:
    ProfileEditor(Context& ctx, std::optional<profiles::Profile> editing, std::string* notice)
        : Screen(ctx), editing_(std::move(editing)), notice_(notice) {
        if (editing_) {
            name_ = editing_->name;
            child_ = editing_->child;
            const auto& avs = ctx_.content.avatars;
            for (std::size_t i = 0; i < avs.size(); ++i) {
                if (avs[i].id == editing_->avatar) {
                    avatar_ = static_cast<int>(i);
                }
            }
        }
        SDL_StartTextInput();
    }
    ~ProfileEditor() override { SDL_StopTextInput(); }
    std::string name() const override { return "clinician_profile_edit"; }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        draw_title(gfx,
                   editing_ ? ctx_.tf("clinician.edit.title", editing_->name)
                            : ctx_.t("clinician.edit.new_title"),
                   ctx_.t("clinician.edit.subtitle"));
        draw_card(gfx, 290, 170, 700, 100);
        const bool caret = static_cast<int>(t_ * 2) % 2 == 0;
        gfx.text(name_ + (caret ? "|" : ""), 320, 200, FontSize::Large, palette::ink, Align::Left,
                 true);
        const auto& avatars = ctx_.content.avatars;
        const float size = 150, gap = 24;
        const float x0 = (W - (static_cast<float>(avatars.size()) * (size + gap) - gap)) / 2;
        for (std::size_t i = 0; i < avatars.size(); ++i) {
            const float x = x0 + static_cast<float>(i) * (size + gap);
            draw_card(gfx, x, 310, size, 190, static_cast<int>(i) == avatar_);
            draw_avatar(gfx, avatars[i], x + size / 2, 390, 48);
            gfx.text(avatars[i].label, x + size / 2, 456, FontSize::Small, palette::ink,
                     Align::Center);
        }
        gfx.rounded_rect(440, 530, 36, 36, 8, child_ ? palette::accent : palette::paper);
        if (child_) {
            gfx.text("\u2713", 458, 531, FontSize::Body, palette::paper, Align::Center, true);
        }
        gfx.text(ctx_.t("clinician.edit.child"), 490, 533, FontSize::Body, palette::ink);
        if (!error_.empty()) {
            gfx.text(error_, W / 2, 590, FontSize::Body, palette::stop, Align::Center, true);
        }
        draw_hints(gfx, {{ctx_.t("hint.type"), ctx_.t("new.hint_name")},
                         {"\u2190\u2192", ctx_.t("new.hint_avatar")},
                         {"Tab", ctx_.t("new.hint_child")},
                         {"Enter", ctx_.t("clinician.hint.save")},
                         {"Esc", ctx_.t("hint.cancel")}});
    }

    bool handle(const SDL_Event& e) override {
        const int n = std::max(1, static_cast<int>(ctx_.content.avatars.size()));
        if (e.type == SDL_TEXTINPUT) {
            if (name_.size() < 80) {
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
            while (!name_.empty()) {
                const auto c = static_cast<unsigned char>(name_.back());
                name_.pop_back();
                if ((c & 0xC0) != 0x80) {
                    break;
                }
            }
            return true;
        case SDLK_LEFT:
            avatar_ = (avatar_ + n - 1) % n;
            return true;
        case SDLK_RIGHT:
            avatar_ = (avatar_ + 1) % n;
            return true;
        case SDLK_TAB:
            child_ = !child_;
            return true;
        case SDLK_ESCAPE:
            ctx_.screens.pop();
            return true;
        case SDLK_RETURN:
        case SDLK_KP_ENTER:
            save();
            return true;
        default:
            return false;
        }
    }

  private:
    void save() {
        const std::string avatar = ctx_.content.avatars.empty()
                                       ? ""
                                       : ctx_.content.avatars[static_cast<std::size_t>(avatar_)].id;
        std::int64_t id = 0;
        if (editing_) {
            id = editing_->id;
            if (auto r = profiles::rename_profile(ctx_.store, id, name_); !r) {
                error_ = r.error().message;
                return;
            }
            if (auto r = profiles::set_avatar(ctx_.store, id, avatar); !r) {
                error_ = r.error().message;
                return;
            }
        } else {
            auto created =
                ctx_.store.create_profile(name_, avatar, ctx_.content.tuning.default_level);
            if (!created) {
                error_ = created.error().message;
                return;
            }
            id = created->id;
        }
        if (auto r = ctx_.store.set_child(id, child_); !r) {
            error_ = r.error().message;
            return;
        }
        if (notice_ != nullptr) {
            *notice_ = ctx_.tf("clinician.edit.saved", ctx_.store.profile(id)->name);
        }
        ctx_.screens.pop();
    }
    std::optional<profiles::Profile> editing_;
    std::string* notice_;
    std::string name_;
    std::string error_;
    int avatar_ = 0;
    bool child_ = false;
    double t_ = 0;
};

/// Today's local date.
std::chrono::year_month_day today() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return std::chrono::year_month_day{std::chrono::year{local.tm_year + 1900},
                                       std::chrono::month{static_cast<unsigned>(local.tm_mon + 1)},
                                       std::chrono::day{static_cast<unsigned>(local.tm_mday)}};
}

/// The plan as a keyboard form on two pages (protocol, quad sets and limits; controlled squats
/// and pain rules): Up/Down choose a field (across pages), PageUp/PageDown switch pages,
/// Left/Right change it, Enter saves both plans (through validate_plan and the squat plan's
/// rules; a refusal is shown and the edits stay), Esc cancels.
class PlanEditor final : public Screen {
  public:
    PlanEditor(Context& ctx, profiles::Profile profile, std::string* notice)
        : Screen(ctx), profile_(std::move(profile)), notice_(notice) {
        const auto& tn = ctx_.content.tuning;
        defaults_.during_amber_at = static_cast<int>(std::lround(tn.adaptation.during_amber_at));
        defaults_.stop_set_at = tn.pain.stop_set_at;
        defaults_.stop_session_at = tn.pain.stop_session_at;
        defaults_.morning_amber_excess = tn.adaptation.morning_amber_excess;
        defaults_.morning_red_excess = tn.adaptation.morning_red_excess;
        defaults_.trend_red_at = tn.adaptation.trend_red_at;
        if (auto p = ctx_.store.plan(profile_.id)) {
            plan_ = *p;
        } else {
            plan_ = default_plan();
            is_new_ = true;
        }
        child_ = profile_.child;
        const auto& t = plan_.thresholds;
        amber_ = t.during_amber_at.value_or(*defaults_.during_amber_at);
        stop_set_ = t.stop_set_at.value_or(*defaults_.stop_set_at);
        stop_session_ = t.stop_session_at.value_or(*defaults_.stop_session_at);
        m_amber_ = t.morning_amber_excess.value_or(*defaults_.morning_amber_excess);
        m_red_ = t.morning_red_excess.value_or(*defaults_.morning_red_excess);
        trend_ = t.trend_red_at.value_or(*defaults_.trend_red_at);
        if (plan_.surgery_date.size() == 10) {
            has_date_ = true;
            y_ = std::atoi(plan_.surgery_date.substr(0, 4).c_str());
            m_ = std::atoi(plan_.surgery_date.substr(5, 2).c_str());
            d_ = std::atoi(plan_.surgery_date.substr(8, 2).c_str());
        } else {
            set_date_today();
        }
        if (auto sq = profiles::squat_plan(ctx_.store, profile_.id)) {
            squat_ = *sq;
        } else {
            squat_ = default_squat_plan(ctx_, profile_.id);
        }
        build_fields();
    }
    std::string name() const override { return "clinician_plan"; }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        gfx.text(ctx_.tf("clinician.plan.title", profile_.name), W / 2, 18, FontSize::Large,
                 palette::ink, Align::Center, true);
        gfx.text(ctx_.t(is_new_ ? "clinician.plan.subtitle_new" : "clinician.plan.subtitle"), W / 2,
                 62, FontSize::Small, palette::ink_soft, Align::Center);
        const float cw = 590, top = 96, row_h = 32;
        const int page = fields_[static_cast<std::size_t>(selected_)].page;
        gfx.text(ctx_.tf("clinician.plan.pages.page", page + 1, 2), W - 40, 62, FontSize::Small,
                 palette::ink_soft, Align::Right);
        static const char* const kColumns[2][2] = {
            {"clinician.plan.column_dose", "clinician.plan.pages.column_limits"},
            {"clinician.plan.pages.column_squat", "clinician.plan.pages.column_squat_limits"}};
        for (int col = 0; col < 2; ++col) {
            const float x = 40 + static_cast<float>(col) * (cw + 20);
            draw_card(gfx, x, top, cw, 492);
            gfx.text(ctx_.t(kColumns[page][col]), x + 24, top + 12, FontSize::Body, palette::ink,
                     Align::Left, true);
            float y = top + 52;
            for (std::size_t i = 0; i < fields_.size(); ++i) {
                const auto& f = fields_[i];
                if (f.column != col || f.page != page) {
                    continue;
                }
                const bool sel = static_cast<int>(i) == selected_;
                if (sel) {
                    gfx.rounded_rect(x + 12, y - 3, cw - 24, row_h - 2, 8, palette::accent_soft);
                }
                const bool dim = f.enabled && !f.enabled();
                const Color ink = dim ? palette::ink_soft.with_alpha(130) : palette::ink;
                gfx.text(ctx_.t("clinician.plan." + f.key), x + 24 + (f.indent ? 24.f : 0.f), y,
                         FontSize::Small, ink);
                const std::string value = f.show();
                gfx.text(value, x + cw - 60, y, FontSize::Small, ink, Align::Right, true);
                if (sel) {
                    gfx.text("\u25C0",
                             x + cw - 68 -
                                 static_cast<float>(gfx.measure(value, FontSize::Small, true).x),
                             y, FontSize::Small, palette::accent, Align::Right);
                    gfx.text("\u25B6", x + cw - 50, y, FontSize::Small, palette::accent);
                }
                y += row_h;
            }
        }
        if (!error_.empty()) {
            gfx.rounded_rect(40, 598, W - 80, 62, 12, palette::stop);
            gfx.paragraph(error_, W / 2, 604, W - 120, FontSize::Small, palette::paper,
                          Align::Center);
        } else {
            gfx.paragraph(
                ctx_.t("clinician.plan.help." + fields_[static_cast<std::size_t>(selected_)].key),
                W / 2, 606, W - 120, FontSize::Small, palette::ink, Align::Center);
        }
        draw_hints(gfx, {{"\u2191\u2193", ctx_.t("clinician.hint.field")},
                         {"\u2190\u2192", ctx_.t("clinician.hint.change")},
                         {"PgUp/PgDn", ctx_.t("clinician.plan.pages.hint")},
                         {"Enter", ctx_.t("clinician.hint.save")},
                         {"Esc", ctx_.t("hint.cancel")}});
    }

    bool handle(const SDL_Event& e) override {
        if (e.type != SDL_KEYDOWN) {
            return false;
        }
        const int n = static_cast<int>(fields_.size());
        switch (e.key.keysym.sym) {
        case SDLK_PAGEUP:
        case SDLK_PAGEDOWN: {
            const int page = fields_[static_cast<std::size_t>(selected_)].page;
            const int want =
                e.key.keysym.sym == SDLK_PAGEDOWN ? std::min(page + 1, 1) : std::max(page - 1, 0);
            for (int i = 0; i < n; ++i) {
                if (fields_[static_cast<std::size_t>(i)].page == want) {
                    selected_ = i;
                    break;
                }
            }
            return true;
        }
        case SDLK_UP:
            selected_ = (selected_ + n - 1) % n;
            return true;
        case SDLK_DOWN:
        case SDLK_TAB:
            selected_ = (selected_ + 1) % n;
            return true;
        case SDLK_LEFT:
        case SDLK_RIGHT: {
            auto& f = fields_[static_cast<std::size_t>(selected_)];
            f.change(e.key.keysym.sym == SDLK_RIGHT ? 1 : -1);
            error_.clear();
            return true;
        }
        case SDLK_ESCAPE:
            ctx_.screens.pop();
            return true;
        case SDLK_RETURN:
        case SDLK_KP_ENTER:
            save();
            return true;
        default:
            return false;
        }
    }

  private:
    struct Field {
        std::string key; ///< text key under clinician.plan (and .help)
        int column = 0;
        bool indent = false;
        std::function<std::string()> show;
        std::function<void(int)> change;
        std::function<bool()> enabled; ///< drawn dimmed when false (still editable)
        int page = 0;                  ///< 0: protocol, quad sets, limits; 1: squats, pain rules
    };

    profiles::PlanRecord default_plan() const {
        const auto& t = ctx_.content.tuning;
        const auto* start = ctx_.content.level(t.default_level);
        const auto* cap = ctx_.content.level(t.max_level_without_plan);
        profiles::PlanRecord p;
        p.profile_id = profile_.id;
        p.dose = start ? start->dose : ctx_.content.quadset_levels.front().dose;
        const QuadSetDose c = cap ? cap->dose : p.dose;
        p.cap_sets = std::max(c.sets, p.dose.sets);
        p.cap_reps = std::max(c.reps, p.dose.reps);
        p.cap_hold_s = std::max(c.hold_s, p.dose.hold_s);
        p.cap_band_high_pct = std::max(c.band_high_pct, p.dose.band_high_pct);
        return p;
    }

    void set_date_today() {
        const auto d = today();
        y_ = static_cast<int>(d.year());
        m_ = static_cast<int>(static_cast<unsigned>(d.month()));
        d_ = static_cast<int>(static_cast<unsigned>(d.day()));
    }

    // Field builders.
    Field choice(std::string key, int col, std::string* value, std::vector<std::string> options) {
        return {std::move(key),
                col,
                false,
                [this, value] {
                    return ctx_.t("clinician.value." + (value->empty() ? "none" : *value));
                },
                [value, options](int dir) {
                    auto it = std::find(options.begin(), options.end(), *value);
                    const auto n = static_cast<int>(options.size());
                    int i = it == options.end() ? 0 : static_cast<int>(it - options.begin());
                    *value = options[static_cast<std::size_t>((i + dir + n) % n)];
                },
                nullptr};
    }
    Field toggle(std::string key, int col, bool* value) {
        return {
            std::move(key),
            col,
            false,
            [this, value] { return ctx_.t(*value ? "clinician.value.on" : "clinician.value.off"); },
            [value](int) { *value = !*value; },
            nullptr};
    }
    template <typename T>
    Field number(std::string key, int col, T* value, T step, T lo, T hi, std::string unit) {
        return {std::move(key),
                col,
                false,
                [value, unit] { return num(static_cast<double>(*value)) + unit; },
                [value, step, lo, hi](int dir) {
                    *value = std::clamp<T>(static_cast<T>(*value + step * dir), lo, hi);
                },
                nullptr};
    }

    void build_fields() {
        auto& d = plan_.dose;
        fields_.push_back(
            choice("condition", 0, &plan_.condition,
                   {"", "kneecap_pain", "knee_replacement", "acl_reconstruction", "other"}));
        fields_.push_back(choice("side", 0, &plan_.side, {"", "left", "right"}));
        fields_.push_back(
            {"surgery_date", 0, false,
             [this] { return has_date_ ? date_text() : ctx_.t("clinician.value.none"); },
             [this](int) { has_date_ = !has_date_; }, nullptr});
        const auto date_part = [this](const char* key, int* part, int lo, int hi) {
            return Field{key,
                         0,
                         true,
                         [part] { return std::to_string(*part); },
                         [this, part, lo, hi](int dir) {
                             has_date_ = true;
                             *part = std::clamp(*part + dir, lo, hi);
                             clamp_day();
                         },
                         [this] { return has_date_; }};
        };
        const int this_year = static_cast<int>(today().year());
        fields_.push_back(date_part("surgery_year", &y_, 1990, this_year));
        fields_.push_back(date_part("surgery_month", &m_, 1, 12));
        fields_.push_back(date_part("surgery_day", &d_, 1, 31));
        fields_.push_back(toggle("quad_enabled", 0, &plan_.quad_enabled));
        fields_.push_back(number("sets", 0, &d.sets, 1, 1, 10, ""));
        fields_.push_back(number("reps", 0, &d.reps, 1, 1, 30, ""));
        fields_.push_back(number("hold", 0, &d.hold_s, 1.0, 1.0, 60.0, " s"));
        fields_.push_back(number("rest", 0, &d.rest_s, 5.0, 0.0, 300.0, " s"));
        fields_.push_back(number("set_rest", 0, &d.set_rest_s, 15.0, 0.0, 600.0, " s"));
        fields_.push_back(number("band_low", 0, &d.band_low_pct, 5.0, 0.0, 100.0, " %"));
        fields_.push_back(number("band_high", 0, &d.band_high_pct, 5.0, 5.0, 100.0, " %"));

        fields_.push_back(number("cap_sets", 1, &plan_.cap_sets, 1, 1, 10, ""));
        fields_.push_back(number("cap_reps", 1, &plan_.cap_reps, 1, 1, 30, ""));
        fields_.push_back(number("cap_hold", 1, &plan_.cap_hold_s, 1.0, 1.0, 90.0, " s"));
        fields_.push_back(
            number("cap_band_high", 1, &plan_.cap_band_high_pct, 5.0, 5.0, 100.0, " %"));
        fields_.push_back({"quad.band_low_cap", 1, false,
                           [this] {
                               return plan_.band_low_cap_pct > 0
                                          ? num(plan_.band_low_cap_pct) + " %"
                                          : ctx_.t("clinician.value.none");
                           },
                           [this](int dir) {
                               plan_.band_low_cap_pct =
                                   std::clamp(plan_.band_low_cap_pct + 5.0 * dir, 0.0, 100.0);
                           },
                           nullptr});
        fields_.push_back(toggle("progression", 1, &plan_.progression_enabled));
        fields_.push_back(toggle("locked", 1, &plan_.locked));
        fields_.push_back(toggle("squat_enabled", 1, &plan_.squat_enabled));
        fields_.push_back(toggle("child", 1, &child_));
        build_squat_fields();
        const std::size_t first_pain = fields_.size();
        fields_.push_back(number("amber_at", 1, &amber_, 1, 1, 10, ""));
        fields_.push_back(number("stop_set_at", 1, &stop_set_, 1, 1, 10, ""));
        fields_.push_back(number("stop_session_at", 1, &stop_session_, 1, 1, 10, ""));
        fields_.push_back(number("morning_amber", 1, &m_amber_, 0.5, 0.5, 10.0, ""));
        fields_.push_back(number("morning_red", 1, &m_red_, 0.5, 0.5, 10.0, ""));
        fields_.push_back(number("trend_red", 1, &trend_, 0.5, 0.5, 10.0, ""));
        for (std::size_t i = first_pain; i < fields_.size(); ++i) {
            fields_[i].page = 1;
        }
    }

    // Page 2: the squat plan (squat_plan / save_squat_plan), its caps.
    void build_squat_fields() {
        const std::size_t first = fields_.size();
        auto& d = squat_.dose;
        std::vector<std::string> levels;
        for (const auto& l : ctx_.content.squat_levels) {
            levels.push_back(l.id);
        }
        fields_.push_back({"squat.level", 0, false, [this] { return squat_.level_id; },
                           [this, levels](int dir) {
                               if (levels.empty()) {
                                   return;
                               }
                               auto it = std::find(levels.begin(), levels.end(), squat_.level_id);
                               const auto n = static_cast<int>(levels.size());
                               const int i =
                                   it == levels.end() ? 0 : static_cast<int>(it - levels.begin());
                               use_squat_level(levels[static_cast<std::size_t>((i + dir + n) % n)]);
                           },
                           nullptr});
        fields_.push_back(number("squat.sets", 0, &d.sets, 1, 1, 10, ""));
        fields_.push_back(number("squat.reps", 0, &d.reps, 1, 1, 30, ""));
        fields_.push_back(number("squat.depth", 0, &d.depth_deg, 5.0, 5.0, 120.0, "\u00b0"));
        fields_.push_back(number("squat.down", 0, &d.down_s, 0.5, 0.5, 10.0, " s"));
        fields_.push_back(number("squat.pause", 0, &d.pause_s, 1.0, 0.0, 30.0, " s"));
        fields_.push_back(number("squat.up", 0, &d.up_s, 0.5, 0.5, 10.0, " s"));
        fields_.push_back(number("squat.rest", 0, &d.rest_s, 1.0, 0.0, 60.0, " s"));
        fields_.push_back(number("squat.tempo_tol", 0, &d.tempo_tol_s, 0.25, 0.25, 2.0, " s"));
        fields_.push_back(number("squat.cap_sets", 1, &squat_.cap_sets, 1, 1, 10, ""));
        fields_.push_back(number("squat.cap_reps", 1, &squat_.cap_reps, 1, 1, 30, ""));
        // Up to 120 here so that a cap past 90 degrees can be refused with its reason.
        fields_.push_back(
            number("squat.depth_cap", 1, &d.depth_cap_deg, 5.0, 5.0, 120.0, "\u00b0"));
        for (std::size_t i = first; i < fields_.size(); ++i) {
            fields_[i].page = 1;
        }
    }

    // Choosing a squat level copies its dose and depth cap; the caps on sets and reps rise to
    // fit it (they never fall by themselves).
    void use_squat_level(const std::string& id) {
        const auto* l = ctx_.content.squat_level(id);
        if (l == nullptr) {
            return;
        }
        squat_.level_id = l->id;
        squat_.dose = l->dose;
        squat_.dose.corridor = 0;
        squat_.dose.set_rest_s = 0;
        squat_.cap_sets = std::max(squat_.cap_sets, l->dose.sets);
        squat_.cap_reps = std::max(squat_.cap_reps, l->dose.reps);
    }

    // The squat plan's rules, in the clinician's words; empty when it may be saved.
    std::string squat_refusal() const {
        const auto& d = squat_.dose;
        if (d.depth_cap_deg > engine::kMaxSquatDepthDeg) {
            return ctx_.tf("clinician.plan.squat.refuse_cap_90", num(d.depth_cap_deg),
                           num(engine::kMaxSquatDepthDeg));
        }
        if (d.depth_deg > d.depth_cap_deg) {
            return ctx_.tf("clinician.plan.squat.refuse_depth", num(d.depth_deg),
                           num(d.depth_cap_deg));
        }
        if (d.sets > squat_.cap_sets) {
            return ctx_.tf("clinician.plan.squat.refuse_sets", squat_.cap_sets, d.sets);
        }
        if (d.reps > squat_.cap_reps) {
            return ctx_.tf("clinician.plan.squat.refuse_reps", squat_.cap_reps, d.reps);
        }
        return {};
    }

    void clamp_day() {
        using namespace std::chrono;
        const year_month_day_last end{year{y_}, month_day_last{month{static_cast<unsigned>(m_)}}};
        d_ = std::min(d_, static_cast<int>(static_cast<unsigned>(end.day())));
    }
    std::string date_text() const { return fmt::format("{:04d}-{:02d}-{:02d}", y_, m_, d_); }

    void save() {
        auto plan = plan_;
        plan.surgery_date = has_date_ ? date_text() : "";
        const auto over = [](auto value, const auto& def) {
            using V = decltype(value);
            return def && *def == value ? std::optional<V>() : std::optional<V>(value);
        };
        plan.thresholds.during_amber_at = over(amber_, defaults_.during_amber_at);
        plan.thresholds.stop_set_at = over(stop_set_, defaults_.stop_set_at);
        plan.thresholds.stop_session_at = over(stop_session_, defaults_.stop_session_at);
        plan.thresholds.morning_amber_excess = over(m_amber_, defaults_.morning_amber_excess);
        plan.thresholds.morning_red_excess = over(m_red_, defaults_.morning_red_excess);
        plan.thresholds.trend_red_at = over(trend_, defaults_.trend_red_at);
        if (auto v = profiles::validate_plan(plan, defaults_); !v) {
            error_ = v.error().message;
            return;
        }
        if (auto why = squat_refusal(); !why.empty()) {
            error_ = why;
            return;
        }
        if (auto r = ctx_.store.save_plan(plan); !r) {
            error_ = r.error().message;
            return;
        }
        if (auto r = profiles::save_squat_plan(ctx_.store, squat_); !r) {
            error_ = r.error().message;
            return;
        }
        if (child_ != profile_.child) {
            if (auto r = ctx_.store.set_child(profile_.id, child_); !r) {
                error_ = r.error().message;
                return;
            }
        }
        if (notice_ != nullptr) {
            *notice_ = ctx_.tf("clinician.plan.saved", profile_.name);
        }
        ctx_.screens.pop();
    }

    profiles::Profile profile_;
    std::string* notice_;
    profiles::PlanRecord plan_;
    profiles::SquatPlanRecord squat_;
    profiles::PainThresholds defaults_;
    bool is_new_ = false;
    bool child_ = false;
    int amber_ = 0, stop_set_ = 0, stop_session_ = 0;
    double m_amber_ = 0, m_red_ = 0, trend_ = 0;
    bool has_date_ = false;
    int y_ = 2000, m_ = 1, d_ = 1;
    std::vector<Field> fields_;
    int selected_ = 0;
    std::string error_;
    double t_ = 0;
};

/// A profile's sessions (newest first) and, for the chosen one, its sets and reps, pain,
/// red flags, calibration and the adaptation decisions; Tab shows every decision instead.
class History final : public Screen {
  public:
    History(Context& ctx, profiles::Profile profile) : Screen(ctx), profile_(std::move(profile)) {
        sessions_ = ctx_.store.recent_sessions(profile_.id, 1000);
        pain_ = ctx_.store.pain_of(profile_.id);
        checks_ = ctx_.store.red_flag_checks(profile_.id);
        decisions_ = ctx_.store.decisions(profile_.id, 1000);
        load_selected();
    }
    std::string name() const override { return "clinician_history"; }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        gfx.text(ctx_.tf("clinician.history.title", profile_.name), W / 2, 18, FontSize::Large,
                 palette::ink, Align::Center, true);
        gfx.text(ctx_.tf("clinician.history.subtitle", sessions_.size(), decisions_.size()), W / 2,
                 62, FontSize::Small, palette::ink_soft, Align::Center);
        draw_list(gfx);
        draw_card(gfx, 580, 96, 660, 560);
        if (all_decisions_) {
            draw_decisions(gfx);
        } else {
            draw_detail(gfx);
        }
        draw_hints(gfx, {{"\u2191\u2193", ctx_.t("clinician.hint.session")},
                         {"Tab", ctx_.t(all_decisions_ ? "clinician.history.show_session"
                                                       : "clinician.history.show_decisions")},
                         {"Esc", ctx_.t("hint.back")}});
    }

    bool handle(const SDL_Event& e) override {
        if (is_back(e)) {
            ctx_.screens.pop();
            return true;
        }
        if (is_key(e, SDLK_TAB)) {
            all_decisions_ = !all_decisions_;
            return true;
        }
        const int n = static_cast<int>(sessions_.size());
        if (is_key(e, SDLK_UP) && n > 0) {
            selected_ = std::max(0, selected_ - 1);
            load_selected();
            return true;
        }
        if (is_key(e, SDLK_DOWN) && n > 0) {
            selected_ = std::min(n - 1, selected_ + 1);
            load_selected();
            return true;
        }
        return false;
    }

  private:
    void load_selected() {
        sets_.clear();
        calibration_.reset();
        if (sessions_.empty()) {
            return;
        }
        const auto& s = sessions_[static_cast<std::size_t>(selected_)].session;
        sets_ = ctx_.store.sets_of(s.id);
        if (s.calibration_id != 0) {
            calibration_ = profiles::calibration_by_id(ctx_.store, s.calibration_id);
        }
    }

    std::string status_text(profiles::SessionStatus st) const {
        return ctx_.t("clinician.status." + profiles::to_string(st));
    }

    void draw_list(Gfx& gfx) {
        draw_card(gfx, 40, 96, 520, 560);
        if (sessions_.empty()) {
            gfx.paragraph(ctx_.t("clinician.history.none"), 70, 130, 460, FontSize::Body,
                          palette::ink_soft);
            return;
        }
        const int visible = 9;
        const int first = std::clamp(selected_ - visible / 2, 0,
                                     std::max(0, static_cast<int>(sessions_.size()) - visible));
        float y = 112;
        for (int i = first; i < std::min<int>(first + visible, static_cast<int>(sessions_.size()));
             ++i) {
            const auto& s = sessions_[static_cast<std::size_t>(i)];
            if (i == selected_) {
                gfx.rounded_rect(52, y - 4, 496, 58, 10, palette::accent_soft);
            }
            const std::string when =
                s.session.started_at.substr(0, 10) + " " + s.session.started_at.substr(11, 5);
            gfx.text(when + "   " + s.session.level_id, 68, y, FontSize::Small, palette::ink,
                     Align::Left, true);
            gfx.text(status_text(s.session.status), 530, y, FontSize::Small,
                     s.session.status == profiles::SessionStatus::Completed ? palette::accent
                                                                            : palette::warm,
                     Align::Right, true);
            const auto pain = [](int v) {
                return v < 0 ? std::string("\u2013") : std::to_string(v);
            };
            gfx.text(ctx_.tf("clinician.history.row", s.reps_done, s.reps_total,
                             pain(s.pain_before), pain(s.pain_after)),
                     68, y + 26, FontSize::Small, palette::ink_soft);
            draw_stars(gfx, s.session.stars, 3, 490, y + 38, 9);
            y += 60;
        }
    }

    // One wrapped line in the detail card; returns false once the card is full.
    bool line(Gfx& gfx, float& y, const std::string& text, Color c = palette::ink,
              FontSize size = FontSize::Small, bool bold = false) {
        if (y > 620) {
            return false;
        }
        if (bold) {
            gfx.text(text, 604, y, size, c, Align::Left, true);
            y += 28;
        } else {
            y += gfx.paragraph(text, 604, y, 612, size, c) + 4;
        }
        return true;
    }

    void draw_detail(Gfx& gfx) {
        if (sessions_.empty()) {
            return;
        }
        const auto& sum = sessions_[static_cast<std::size_t>(selected_)];
        const auto& s = sum.session;
        float y = 112;
        line(gfx, y,
             ctx_.tf("clinician.history.session", s.id, s.started_at.substr(0, 10),
                     ctx_.t("source." + s.source.driver)),
             palette::ink, FontSize::Small, true);
        if (!s.source.is_measurement) {
            line(gfx, y, ctx_.t("clinician.history.not_measurement"), palette::ink_soft);
        }
        if (calibration_) {
            line(gfx, y,
                 ctx_.tf("clinician.history.calibration", num(calibration_->mvc_n),
                         calibration_->created_at.substr(0, 10), calibration_->attempts_n.size()));
        } else {
            line(gfx, y, ctx_.t("clinician.history.no_calibration"), palette::ink_soft);
        }
        y += 4;
        line(gfx, y, ctx_.t("clinician.history.sets"), palette::ink, FontSize::Small, true);
        if (sets_.empty()) {
            line(gfx, y, ctx_.t("clinician.history.no_sets"), palette::ink_soft);
        }
        for (const auto& set : sets_) {
            int ok = 0;
            for (const auto& r : set.reps) {
                ok += r.success ? 1 : 0;
            }
            std::string text = ctx_.tf("clinician.history.set", set.set_index + 1,
                                       num(set.dose.hold_s), num(set.dose.band_low_pct),
                                       num(set.dose.band_high_pct), ok, set.reps.size());
            if (!set.stop_reason.empty()) {
                text += "  \u00b7  " + ctx_.tf("clinician.history.stopped", set.stop_reason);
            }
            if (!line(gfx, y, text)) {
                return;
            }
            float x = 620;
            for (const auto& r : set.reps) { // one mark per hold: filled = completed, hollow = not
                gfx.rounded_rect(x, y, 14, 14, 3, r.success ? palette::accent : palette::stop);
                if (!r.success) {
                    gfx.rounded_rect(x + 3, y + 3, 8, 8, 2, palette::paper);
                }
                x += 18;
            }
            y += set.reps.empty() ? 0.f : 20.f;
        }
        y += 4;
        std::string pains;
        for (const auto& p : pain_) {
            if (p.session_id == s.id) {
                pains +=
                    (pains.empty() ? "" : ",  ") +
                    ctx_.tf("clinician.history.pain_entry",
                            ctx_.t("clinician.moment." + profiles::to_string(p.moment)), p.score);
            }
        }
        line(gfx, y,
             ctx_.tf("clinician.history.pain",
                     pains.empty() ? ctx_.t("clinician.history.none_short") : pains));
        std::string flags;
        const std::string day = s.started_at.substr(0, 10);
        for (const auto& c : checks_) {
            const bool mine =
                c.session_id == s.id || (c.session_id == 0 && c.checked_at.substr(0, 10) == day);
            if (!mine) {
                continue;
            }
            for (const auto& f : c.flags) {
                flags += (flags.empty() ? "" : ", ") + ctx_.t("clinician.flag." + f);
            }
            if (c.flags.empty()) {
                flags += (flags.empty() ? "" : ", ") + ctx_.t("clinician.history.flags_all_no");
            }
        }
        line(gfx, y,
             ctx_.tf("clinician.history.flags",
                     flags.empty() ? ctx_.t("clinician.history.not_asked") : flags),
             flags.find(ctx_.t("clinician.history.flags_all_no")) == 0 || flags.empty()
                 ? palette::ink
                 : palette::stop);
        y += 4;
        line(gfx, y, ctx_.t("clinician.history.decisions"), palette::ink, FontSize::Small, true);
        bool any = false;
        for (const auto& d : decisions_) {
            if (d.session_id == s.id) {
                any = true;
                if (!line(gfx, y, decision_text(d))) {
                    return;
                }
            }
        }
        if (!any) {
            line(gfx, y, ctx_.t("clinician.history.no_decisions"), palette::ink_soft);
        }
    }

    std::string decision_text(const profiles::DecisionRecord& d) const {
        return ctx_.tf("clinician.history.decision", d.created_at.substr(0, 10),
                       ctx_.t("clinician.light." + d.light), d.action, d.reason);
    }

    void draw_decisions(Gfx& gfx) {
        float y = 112;
        line(gfx, y, ctx_.t("clinician.history.all_decisions"), palette::ink, FontSize::Small,
             true);
        if (decisions_.empty()) {
            line(gfx, y, ctx_.t("clinician.history.no_decisions"), palette::ink_soft);
        }
        for (const auto& d : decisions_) {
            if (!line(gfx, y, decision_text(d))) {
                break;
            }
        }
    }

    profiles::Profile profile_;
    std::vector<profiles::SessionSummary> sessions_;
    std::vector<profiles::PainEntry> pain_;
    std::vector<profiles::RedFlagCheck> checks_;
    std::vector<profiles::DecisionRecord> decisions_;
    std::vector<profiles::SetRecord> sets_;
    std::optional<profiles::CalibrationRecord> calibration_;
    int selected_ = 0;
    bool all_decisions_ = false;
    double t_ = 0;
};

/// Where exports go: the XDG documents directory ($XDG_DOCUMENTS_DIR, else the
/// XDG_DOCUMENTS_DIR line of user-dirs.dirs, else ~/Documents) / Quadventure; empty without a
/// home directory.
std::filesystem::path export_dir() {
    namespace fs = std::filesystem;
    const char* home_env = std::getenv("HOME");
    const std::string home = home_env != nullptr ? home_env : "";
    fs::path docs;
    if (const char* d = std::getenv("XDG_DOCUMENTS_DIR"); d != nullptr && *d != '\0') {
        docs = d;
    } else if (!home.empty()) {
        const char* cfg = std::getenv("XDG_CONFIG_HOME");
        const fs::path config =
            cfg != nullptr && *cfg != '\0' ? fs::path(cfg) : fs::path(home) / ".config";
        std::ifstream in(config / "user-dirs.dirs");
        std::string line;
        const std::string key = "XDG_DOCUMENTS_DIR=";
        while (std::getline(in, line)) {
            if (line.rfind(key, 0) != 0) {
                continue;
            }
            std::string v = line.substr(key.size());
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
                v = v.substr(1, v.size() - 2);
            }
            if (v.rfind("$HOME", 0) == 0) {
                v = home + v.substr(5);
            }
            if (!v.empty() && v.front() == '/') {
                docs = v;
            }
        }
        if (docs.empty()) {
            docs = fs::path(home) / "Documents";
        }
    }
    return docs.empty() ? docs : docs / "Quadventure";
}

/// A local calendar day `days_back` days before today, "YYYY-MM-DD".
std::string day_before_today(int days_back) {
    const std::time_t t = std::time(nullptr) - static_cast<std::time_t>(days_back) * 86400;
    std::tm local{};
    localtime_r(&t, &local);
    return fmt::format("{:04d}-{:02d}-{:02d}", local.tm_year + 1900, local.tm_mon + 1,
                       local.tm_mday);
}

/// Export of one profile for the clinician: a format (CSV, FHIR, PDF) and a date range (all,
/// last 4 or 12 weeks), written by report::export_profile into the documents directory's
/// Quadventure folder (created 0700; every file 0600). Shows the written paths or the error.
class ExportScreen final : public Screen {
  public:
    ExportScreen(Context& ctx, profiles::Profile profile)
        : Screen(ctx), profile_(std::move(profile)) {}
    std::string name() const override { return "clinician_export"; }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        gfx.text(ctx_.tf("clinician.export.title", profile_.name), W / 2, 18, FontSize::Large,
                 palette::ink, Align::Center, true);
        gfx.text(ctx_.t("clinician.export.subtitle"), W / 2, 62, FontSize::Small, palette::ink_soft,
                 Align::Center);
        draw_card(gfx, 240, 110, 800, 200);
        const std::string values[2] = {ctx_.t("clinician.export.format_" + kFormats[format_]),
                                       ctx_.t("clinician.export.range_" + kRanges[range_])};
        const char* labels[2] = {"clinician.export.format", "clinician.export.range"};
        for (int i = 0; i < 2; ++i) {
            const float y = 140 + static_cast<float>(i) * 50;
            if (i == field_) {
                gfx.rounded_rect(256, y - 4, 768, 40, 8, palette::accent_soft);
            }
            gfx.text(ctx_.t(labels[i]), 280, y, FontSize::Body, palette::ink);
            gfx.text(values[i], 990, y, FontSize::Body, palette::ink, Align::Right, true);
        }
        const auto dir = export_dir();
        gfx.paragraph(ctx_.tf("clinician.export.where", dir.empty() ? "?" : dir.string()), W / 2,
                      256, 760, FontSize::Small, palette::ink_soft, Align::Center);
        if (!error_.empty()) {
            gfx.rounded_rect(240, 330, 800, 120, 12, palette::stop);
            gfx.paragraph(error_, W / 2, 342, 760, FontSize::Small, palette::paper, Align::Center);
        } else if (!written_.empty()) {
            draw_card(gfx, 240, 330, 800, 60 + 30 * static_cast<float>(written_.size()));
            gfx.text(ctx_.t("clinician.export.done"), W / 2, 344, FontSize::Body, palette::ink,
                     Align::Center, true);
            float y = 384;
            for (const auto& p : written_) {
                gfx.text(p, W / 2, y, FontSize::Small, palette::ink, Align::Center);
                y += 30;
            }
        }
        draw_hints(gfx, {{"\u2191\u2193", ctx_.t("clinician.hint.field")},
                         {"\u2190\u2192", ctx_.t("clinician.hint.change")},
                         {"Enter", ctx_.t("clinician.export.hint_export")},
                         {"Esc", ctx_.t("hint.back")}});
    }

    bool handle(const SDL_Event& e) override {
        if (e.type != SDL_KEYDOWN) {
            return false;
        }
        switch (e.key.keysym.sym) {
        case SDLK_UP:
        case SDLK_DOWN:
        case SDLK_TAB:
            field_ = 1 - field_;
            return true;
        case SDLK_LEFT:
        case SDLK_RIGHT: {
            const int dir = e.key.keysym.sym == SDLK_RIGHT ? 1 : -1;
            int& v = field_ == 0 ? format_ : range_;
            v = (v + dir + 3) % 3;
            return true;
        }
        case SDLK_RETURN:
        case SDLK_KP_ENTER:
            run();
            return true;
        case SDLK_ESCAPE:
            ctx_.screens.pop();
            return true;
        default:
            return false;
        }
    }

  private:
    inline static const std::string kFormats[3] = {"csv", "fhir", "pdf"};
    inline static const std::string kRanges[3] = {"all", "4w", "12w"};

    void run() {
        error_.clear();
        written_.clear();
        const auto dir = export_dir();
        if (dir.empty()) {
            error_ = ctx_.t("clinician.export.no_home");
            return;
        }
        if (auto r = paths::ensure_private_dir(dir); !r) {
            error_ = ctx_.tf("clinician.export.failed", r.error().message);
            return;
        }
        report::ExportOptions o;
        o.format = format_ == 0
                       ? report::ExportFormat::Csv
                       : (format_ == 1 ? report::ExportFormat::Fhir : report::ExportFormat::Pdf);
        o.profile_id = profile_.id;
        if (range_ > 0) {
            o.from = day_before_today(range_ == 1 ? 4 * 7 - 1 : 12 * 7 - 1);
        }
        const std::string stem =
            fmt::format("quadventure-profile-{}-{}", profile_.id, day_before_today(0));
        switch (o.format) {
        case report::ExportFormat::Csv:
            o.out = dir; // two files in it
            break;
        case report::ExportFormat::Fhir:
            o.out = dir / (stem + ".fhir.json");
            break;
        case report::ExportFormat::Pdf:
            o.out = dir / (stem + ".pdf");
            break;
        }
        if (auto r = report::export_profile(ctx_.store, o); !r) {
            error_ = ctx_.tf("clinician.export.failed", r.error().message);
            return;
        }
        for (const auto& f : report::output_files(o)) {
            written_.push_back(f.string());
        }
    }

    profiles::Profile profile_;
    int field_ = 0;
    int format_ = 0; ///< index into kFormats
    int range_ = 0;  ///< index into kRanges
    std::vector<std::string> written_;
    std::string error_;
    double t_ = 0;
};

/// The clinician's home: every profile (archived ones marked), and what can be done with one.
class ClinicianHome final : public Screen {
  public:
    ClinicianHome(Context& ctx, bool home_only) : Screen(ctx), home_only_(home_only) { reload(); }
    ~ClinicianHome() override { stop_typing(); }
    std::string name() const override {
        return confirm_delete_ ? "clinician_delete" : "clinician_home";
    }
    void resumed() override {
        home_only_ = !profiles::has_pin(ctx_.store);
        reload();
    }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        gfx.text(ctx_.t("clinician.home.title"), W / 2, 18, FontSize::Large, palette::ink,
                 Align::Center, true);
        gfx.text(ctx_.t(home_only_ ? "clinician.home.home_only" : "clinician.home.subtitle"), W / 2,
                 62, FontSize::Small, home_only_ ? palette::warm : palette::ink_soft, Align::Center,
                 home_only_);
        draw_list(gfx);
        draw_detail(gfx);
        if (!error_.empty() || !notice_.empty()) {
            const bool bad = !error_.empty();
            gfx.rounded_rect(40, 604, W - 80, 50, 12, bad ? palette::stop : palette::accent);
            gfx.text(bad ? error_ : notice_, W / 2, 616, FontSize::Small, palette::paper,
                     Align::Center, true);
        }
        if (confirm_delete_) {
            draw_confirm(gfx);
        } else {
            draw_hints(gfx, {{"\u2191\u2193", ctx_.t("clinician.hint.profile")},
                             {"Esc", ctx_.t("clinician.hint.lock")}});
        }
    }

    bool handle(const SDL_Event& e) override {
        if (confirm_delete_) {
            return handle_confirm(e);
        }
        if (e.type != SDL_KEYDOWN) {
            return false;
        }
        const int n = static_cast<int>(rows_.size());
        const auto* row = selected();
        switch (e.key.keysym.sym) {
        case SDLK_UP:
            selected_ = n == 0 ? 0 : (selected_ + n - 1) % n;
            break;
        case SDLK_DOWN:
            selected_ = n == 0 ? 0 : (selected_ + 1) % n;
            break;
        case SDLK_n:
            clear_messages();
            ctx_.screens.push(std::make_unique<ProfileEditor>(ctx_, std::nullopt, &notice_));
            break;
        case SDLK_e:
            if (row) {
                clear_messages();
                ctx_.screens.push(std::make_unique<ProfileEditor>(ctx_, row->profile, &notice_));
            }
            break;
        case SDLK_p:
            if (row) {
                clear_messages();
                ctx_.screens.push(std::make_unique<PlanEditor>(ctx_, row->profile, &notice_));
            }
            break;
        case SDLK_h:
            if (row) {
                clear_messages();
                ctx_.screens.push(std::make_unique<History>(ctx_, row->profile));
            }
            break;
        case SDLK_x:
            if (row) {
                clear_messages();
                ctx_.screens.push(std::make_unique<ExportScreen>(ctx_, row->profile));
            }
            break;
        case SDLK_a:
            if (row) {
                toggle_archive(*row);
            }
            break;
        case SDLK_d:
            if (row) {
                clear_messages();
                confirm_delete_ = true;
                typed_.clear();
                SDL_StartTextInput();
            }
            break;
        case SDLK_k:
            clear_messages();
            ctx_.screens.push(std::make_unique<SetPin>(ctx_, nullptr, &notice_));
            break;
        case SDLK_w:
            clear_messages();
            ctx_.screens.push(make_kiosk_settings(ctx_));
            break;
        case SDLK_ESCAPE:
        case SDLK_l:
            ctx_.profile.reset();
            ctx_.screens.reset(make_profile_select(ctx_));
            break;
        default:
            return false;
        }
        return true;
    }

  private:
    struct Row {
        profiles::Profile profile;
        bool archived = false;
        int sessions = 0;
        std::optional<profiles::PlanRecord> plan;
        std::optional<profiles::SquatPlanRecord> squat;
    };

    void reload() {
        const std::int64_t keep = selected() ? selected()->profile.id : 0;
        rows_.clear();
        for (auto& p : ctx_.store.profiles()) {
            rows_.push_back({std::move(p), false, 0, std::nullopt, std::nullopt});
        }
        for (auto& p : profiles::archived_profiles(ctx_.store)) {
            rows_.push_back({std::move(p), true, 0, std::nullopt, std::nullopt});
        }
        selected_ = std::clamp(selected_, 0, std::max(0, static_cast<int>(rows_.size()) - 1));
        for (std::size_t i = 0; i < rows_.size(); ++i) {
            auto& r = rows_[i];
            r.sessions = static_cast<int>(ctx_.store.recent_sessions(r.profile.id, 100000).size());
            r.plan = ctx_.store.plan(r.profile.id);
            r.squat = profiles::squat_plan(ctx_.store, r.profile.id);
            if (r.profile.id == keep) {
                selected_ = static_cast<int>(i);
            }
        }
    }
    const Row* selected() const {
        return rows_.empty() ? nullptr : &rows_[static_cast<std::size_t>(selected_)];
    }
    void clear_messages() {
        notice_.clear();
        error_.clear();
    }
    void stop_typing() {
        if (confirm_delete_) {
            SDL_StopTextInput();
        }
    }

    void toggle_archive(const Row& row) {
        clear_messages();
        const auto r = row.archived ? profiles::unarchive_profile(ctx_.store, row.profile.id)
                                    : profiles::archive_profile(ctx_.store, row.profile.id);
        if (!r) {
            error_ = r.error().message;
            return;
        }
        notice_ = ctx_.tf(row.archived ? "clinician.home.restored" : "clinician.home.archived",
                          row.profile.name);
        reload();
    }

    bool handle_confirm(const SDL_Event& e) {
        const auto* row = selected();
        if (e.type == SDL_TEXTINPUT) {
            if (typed_.size() < 80) {
                typed_ += e.text.text;
            }
            error_.clear();
            return true;
        }
        if (e.type != SDL_KEYDOWN) {
            return false;
        }
        if (is_back(e)) {
            stop_typing();
            confirm_delete_ = false;
            error_.clear();
            return true;
        }
        if (is_key(e, SDLK_BACKSPACE)) {
            while (!typed_.empty()) {
                const auto c = static_cast<unsigned char>(typed_.back());
                typed_.pop_back();
                if ((c & 0xC0) != 0x80) {
                    break;
                }
            }
            return true;
        }
        if (is_confirm(e) && row) {
            if (typed_ != row->profile.name) {
                error_ = ctx_.tf("clinician.delete.mismatch", row->profile.name);
                return true;
            }
            const std::string name = row->profile.name;
            const auto removed = profiles::delete_profile(ctx_.store, row->profile.id);
            stop_typing();
            confirm_delete_ = false;
            if (!removed) {
                error_ = removed.error().message;
                return true;
            }
            notice_ = ctx_.tf("clinician.delete.done", name, removed.value());
            reload();
            return true;
        }
        return true; // the confirmation is modal: other keys do nothing
    }

    void draw_list(Gfx& gfx) {
        draw_card(gfx, 40, 96, 480, 496);
        if (rows_.empty()) {
            gfx.paragraph(ctx_.t("clinician.home.no_profiles"), 64, 120, 430, FontSize::Body,
                          palette::ink_soft);
            return;
        }
        const int visible = 8;
        const int first = std::clamp(selected_ - visible / 2, 0,
                                     std::max(0, static_cast<int>(rows_.size()) - visible));
        float y = 112;
        for (int i = first; i < std::min<int>(first + visible, static_cast<int>(rows_.size()));
             ++i) {
            const auto& r = rows_[static_cast<std::size_t>(i)];
            if (i == selected_) {
                gfx.rounded_rect(52, y - 2, 456, 54, 12, palette::accent_soft);
            }
            if (const auto* a = avatar_of(ctx_, r.profile.avatar)) {
                draw_avatar(gfx, *a, 88, y + 25, 20);
            }
            gfx.text(r.profile.name, 124, y - 1, FontSize::Body,
                     r.archived ? palette::ink_soft : palette::ink, Align::Left, true);
            std::string tags = ctx_.tf("clinician.home.sessions", r.sessions);
            if (r.profile.child) {
                tags += "  \u00b7  " + ctx_.t("clinician.home.child");
            }
            if (r.archived) {
                tags += "  \u00b7  " + ctx_.t("clinician.home.archived_tag");
            }
            gfx.text(tags, 124, y + 27, FontSize::Small, palette::ink_soft);
            y += 60;
        }
    }

    void draw_detail(Gfx& gfx) {
        draw_card(gfx, 540, 96, 700, 496);
        const auto* row = selected();
        float y = 116;
        if (row) {
            const auto& p = row->profile;
            gfx.text(p.name, 570, y, FontSize::Large, palette::ink, Align::Left, true);
            if (row->archived) {
                gfx.text(ctx_.t("clinician.home.archived_note"), 1210, y + 10, FontSize::Small,
                         palette::warm, Align::Right, true);
            }
            y += 50;
            gfx.text(ctx_.tf("clinician.home.since", p.created_at.substr(0, 10), p.level_id), 570,
                     y, FontSize::Small, palette::ink_soft);
            y += 30;
            if (row->plan) {
                const auto& pl = *row->plan;
                const auto& d = pl.dose;
                gfx.text(ctx_.tf("clinician.home.plan", d.sets, d.reps, num(d.hold_s),
                                 num(d.band_low_pct), num(d.band_high_pct)),
                         570, y, FontSize::Small, palette::ink);
                y += 28;
                gfx.text(ctx_.tf("clinician.home.caps", pl.cap_sets, pl.cap_reps,
                                 num(pl.cap_hold_s), num(pl.cap_band_high_pct)),
                         570, y, FontSize::Small, palette::ink_soft);
                y += 28;
                if (row->squat) {
                    const auto& sd = row->squat->dose;
                    gfx.text(ctx_.tf("clinician.plan.squat.home_line", row->squat->level_id,
                                     sd.sets, sd.reps, num(sd.depth_deg), num(sd.depth_cap_deg)),
                             570, y, FontSize::Small, palette::ink);
                    y += 28;
                }
                if (pl.locked) {
                    gfx.text(ctx_.t("clinician.home.locked"), 570, y, FontSize::Small,
                             palette::stop, Align::Left, true);
                    y += 28;
                }
            } else {
                gfx.text(ctx_.t("clinician.home.no_plan"), 570, y, FontSize::Small,
                         palette::ink_soft);
                y += 28;
            }
        }
        y = std::max(y + 10, 300.f);
        gfx.rect(560, y - 8, 660, 2, Color::hex(0xE3E8F0));
        struct Action {
            const char* key;
            std::string text;
        };
        const std::vector<Action> actions{
            {"N", ctx_.t("clinician.action.new")},
            {"E", ctx_.t("clinician.action.edit")},
            {"P", ctx_.t("clinician.action.plan")},
            {"H", ctx_.t("clinician.action.history")},
            {"X", ctx_.t("clinician.export.action")},
            {"A", ctx_.t(row && row->archived ? "clinician.action.restore"
                                              : "clinician.action.archive")},
            {"D", ctx_.t("clinician.action.delete")},
            {"K", ctx_.t(home_only_ ? "clinician.action.set_pin" : "clinician.action.change_pin")},
            {"W", ctx_.t("clinician.action.kiosk")},
            {"Esc", ctx_.t("clinician.action.lock")}};
        for (std::size_t i = 0; i < actions.size(); ++i) {
            const float x = 570 + static_cast<float>(i % 2) * 330;
            const float ay = y + static_cast<float>(i / 2) * 40;
            const bool needs_row = i >= 1 && i <= 6;
            const Color c = needs_row && !row ? palette::ink_soft.with_alpha(120) : palette::ink;
            const auto kw =
                static_cast<float>(gfx.measure(actions[i].key, FontSize::Small, true).x);
            gfx.rounded_rect(x, ay, std::max(32.f, kw + 16), 30, 6, palette::accent_soft);
            gfx.text(actions[i].key, x + std::max(32.f, kw + 16) / 2, ay + 2, FontSize::Small, c,
                     Align::Center, true);
            gfx.text(actions[i].text, x + std::max(32.f, kw + 16) + 10, ay + 2, FontSize::Small, c);
        }
    }

    void draw_confirm(Gfx& gfx) {
        const auto* row = selected();
        if (!row) {
            return;
        }
        gfx.rect(0, 0, W, Gfx::kHeight, Color::hex(0x1D2B4F, 150));
        draw_card(gfx, 215, 120, 850, 440);
        gfx.text(ctx_.tf("clinician.delete.title", row->profile.name), W / 2, 146, FontSize::Large,
                 palette::stop, Align::Center, true);
        gfx.paragraph(ctx_.tf("clinician.delete.body", row->profile.name, row->sessions), W / 2,
                      206, 760, FontSize::Body, palette::ink, Align::Center);
        gfx.text(ctx_.t("clinician.delete.type"), W / 2, 360, FontSize::Body, palette::ink,
                 Align::Center, true);
        gfx.rounded_rect(390, 400, 500, 60, 10, Color::hex(0xF1F6FB));
        const bool caret = static_cast<int>(t_ * 2) % 2 == 0;
        gfx.text(typed_ + (caret ? "|" : ""), W / 2, 412, FontSize::Body, palette::ink,
                 Align::Center, true);
        if (!error_.empty()) {
            gfx.text(error_, W / 2, 480, FontSize::Small, palette::stop, Align::Center, true);
        }
        draw_hints(gfx, {{ctx_.t("hint.type"), ctx_.t("clinician.hint.type_name")},
                         {"Enter", ctx_.t("clinician.hint.delete")},
                         {"Esc", ctx_.t("hint.cancel")}});
    }

    std::vector<Row> rows_;
    int selected_ = 0;
    bool home_only_;
    bool confirm_delete_ = false;
    std::string typed_;
    std::string notice_;
    std::string error_;
    double t_ = 0;
};

std::unique_ptr<Screen> make_clinician_home_impl(Context& ctx, bool home_only) {
    return std::make_unique<ClinicianHome>(ctx, home_only);
}

} // namespace

std::unique_ptr<Screen> make_first_start_or(Context& ctx, std::unique_ptr<Screen> next) {
    // A home-only install may skip the PIN; the waiting-room kiosk never runs without one.
    if (profiles::has_pin(ctx.store) ||
        (profiles::pin_skipped(ctx.store) && ctx.kiosk == nullptr)) {
        return next;
    }
    return std::make_unique<SetPin>(ctx, std::move(next), nullptr);
}

std::unique_ptr<Screen> make_clinician_entry(Context& ctx) {
    if (profiles::has_pin(ctx.store)) {
        // The PIN before the clinician's screens; wrong PINs are rate-limited (clinician_store).
        return std::make_unique<PinGate>(
            ctx, "clinician_pin",
            PinGate::Words{"clinician.pin.title", "clinician.pin.body", "clinician.pin.forgot"},
            [&ctx] { return make_clinician_home_impl(ctx, false); });
    }
    return make_clinician_home_impl(ctx, true);
}

std::unique_ptr<Screen> make_clinician_home(Context& ctx) {
    return make_clinician_home_impl(ctx, !profiles::has_pin(ctx.store));
}

} // namespace qv::game
