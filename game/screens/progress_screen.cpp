// The player's progress: strength with its noise band and the leg balance, the work done
// against the plan, pain during / after / next morning, a calendar that never punishes rest,
// and the plan's changes in plain words. Children get two big, simple pages instead.

#include "game/child_mode.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/progress.hpp"
#include "game/screens/screens.hpp"
#include "game/widgets.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace qv::game {

namespace {

constexpr float W = Gfx::kWidth;
// The card every page draws in.
constexpr float kCardX = 40, kCardY = 150, kCardW = 1200, kCardH = 500;

// Series colours chosen to stay apart for the common colour-vision deficiencies (blue, orange,
// bluish green, from the Okabe-Ito set) and always paired with a marker shape and a label.
constexpr Color kBlue = Color::hex(0x0072B2);
constexpr Color kOrange = Color::hex(0xE69F00);
constexpr Color kGreen = Color::hex(0x009E73);
constexpr Color kGrid = Color::hex(0xE3E8F0);
constexpr Color kPanel = Color::hex(0xF1F6FB);
constexpr Color kNeutral = Color::hex(0x8A9BB8);

enum class Page { Strength, Work, Pain, Calendar, Plan, ChildStars, ChildStronger, ChildAdherence };
enum class Marker { Circle, Square, Triangle, Diamond };

float f(double v) {
    return static_cast<float>(v);
}

void marker(Gfx& gfx, Marker m, float x, float y, float r, Color c) {
    switch (m) {
    case Marker::Circle:
        gfx.circle(x, y, r, c);
        break;
    case Marker::Square:
        gfx.rect(x - r * 0.85f, y - r * 0.85f, r * 1.7f, r * 1.7f, c);
        break;
    case Marker::Triangle:
        gfx.triangle(x, y - r * 1.1f, x + r, y + r * 0.8f, x - r, y + r * 0.8f, c);
        break;
    case Marker::Diamond:
        gfx.triangle(x, y - r * 1.2f, x + r, y, x - r, y, c);
        gfx.triangle(x, y + r * 1.2f, x + r, y, x - r, y, c);
        break;
    }
}

void dashed(Gfx& gfx, float x0, float x1, float y, float thickness, Color c) {
    for (float x = x0; x < x1; x += 14) {
        gfx.line(x, y, std::min(x + 8, x1), y, thickness, c);
    }
}

/// A round step (1, 2 or 5 x 10^n) that splits `range` into about `parts` parts.
double nice_step(double range, int parts) {
    const double raw = std::max(range, 1e-9) / parts;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0}) {
        if (raw <= m * mag) {
            return m * mag;
        }
    }
    return 10 * mag;
}

/// Splits "a b c" into words.
std::vector<std::string> words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;) {
        out.push_back(w);
    }
    return out;
}

/// A chart's plot area and its x positions (one slot per item, oldest left).
struct Plot {
    float x0, y0, x1, y1; // left, top, right, bottom
    float x_of(std::size_t i, std::size_t n) const {
        if (n <= 1) {
            return (x0 + x1) / 2;
        }
        const float slot = (x1 - x0) / static_cast<float>(n);
        return x0 + slot * (static_cast<float>(i) + 0.5f);
    }
    float y_of(double v, double lo, double hi) const {
        return y1 - static_cast<float>((v - lo) / (hi - lo)) * (y1 - y0);
    }
};

class Progress final : public Screen {
  public:
    explicit Progress(Context& ctx) : Screen(ctx) {
        months_ = words(ctx_.t("progress.months"));
        weekdays_ = words(ctx_.t("progress.weekdays"));
        reload();
    }
    std::string name() const override { return "progress"; }
    void resumed() override { reload(); }
    void step(double dt) override { t_ += dt; }

    void draw(Gfx& gfx) override {
        draw_backdrop(gfx, t_);
        const Page page = pages_[static_cast<std::size_t>(page_)];
        gfx.text(ctx_.t(std::string("progress.title.") + key_of(page)), W / 2, 22, FontSize::Title,
                 palette::ink, Align::Center, true);
        draw_tabs(gfx);
        draw_card(gfx, kCardX, kCardY, kCardW, kCardH);
        if (!data_.error.empty()) {
            gfx.paragraph(ctx_.tf("progress.error", data_.error), W / 2, 300, 1000, FontSize::Body,
                          palette::ink, Align::Center);
        } else {
            switch (page) {
            case Page::Strength:
                draw_strength(gfx);
                break;
            case Page::Work:
                draw_work(gfx);
                break;
            case Page::Pain:
                draw_pain(gfx);
                break;
            case Page::Calendar:
                draw_calendar(gfx, false);
                break;
            case Page::Plan:
                draw_plan(gfx);
                break;
            case Page::ChildStars:
                draw_calendar(gfx, true);
                break;
            case Page::ChildStronger:
                draw_child_stronger(gfx);
                break;
            case Page::ChildAdherence:
                draw_child_adherence(gfx);
                break;
            }
        }
        std::vector<std::pair<std::string, std::string>> hints = {
            {"\u2190\u2192", ctx_.t("progress.hint_pages")}};
        if (page == Page::Plan) {
            hints.push_back({"\u2191\u2193", ctx_.t("progress.hint_scroll")});
        }
        hints.push_back({"Esc", ctx_.t("hint.back")});
        draw_hints(gfx, hints);
    }

    bool handle(const SDL_Event& e) override {
        if (is_back(e)) {
            ctx_.screens.pop();
            return true;
        }
        if (e.type != SDL_KEYDOWN) {
            return false;
        }
        const int n = static_cast<int>(pages_.size());
        switch (e.key.keysym.sym) {
        case SDLK_LEFT:
            page_ = (page_ + n - 1) % n;
            scroll_ = 0;
            return true;
        case SDLK_RIGHT:
            page_ = (page_ + 1) % n;
            scroll_ = 0;
            return true;
        case SDLK_UP:
            scroll_ = std::max(0, scroll_ - 1);
            return true;
        case SDLK_DOWN:
            scroll_ = std::min(std::max(0, static_cast<int>(changes_.size()) - 1), scroll_ + 1);
            return true;
        default:
            return false;
        }
    }

  private:
    void reload() {
        data_ = {};
        if (!ctx_.profile) {
            return;
        }
        const bool child = ctx_.profile->child;
        ProgressOptions o;
        o.mvc_noise_pct = ctx_.content.tuning.progress.mvc_noise_pct;
        o.mvc_change_pct = ctx_.content.tuning.progress.mvc_change_pct;
        o.weeks = child ? 6 : 12;
        o.sessions_per_week = ctx_.content.tuning.child.sessions_per_week;
        data_ = load_progress(ctx_.store, ctx_.profile->id, o);
        tokens_ = child ? count_tokens(ctx_.store, ctx_.profile->id) : Tokens{};
        pages_ =
            child ? std::vector<Page>{Page::ChildStars, Page::ChildStronger, Page::ChildAdherence}
                  : std::vector<Page>{Page::Strength, Page::Work, Page::Pain, Page::Calendar,
                                      Page::Plan};
        page_ = std::clamp(page_, 0, static_cast<int>(pages_.size()) - 1);
        // The plan page lists real changes; today's reason leads when it was "stays the same".
        changes_.clear();
        for (std::size_t i = 0; i < data_.plan_changes.size(); ++i) {
            if (data_.plan_changes[i].changed || i == 0) {
                changes_.push_back(data_.plan_changes[i]);
            }
        }
    }

    static const char* key_of(Page p) {
        switch (p) {
        case Page::Strength:
            return "strength";
        case Page::Work:
            return "work";
        case Page::Pain:
            return "pain";
        case Page::Calendar:
            return "calendar";
        case Page::Plan:
            return "plan";
        case Page::ChildStars:
            return "child_stars";
        case Page::ChildStronger:
            return "child_stronger";
        case Page::ChildAdherence:
            return "child_adherence";
        }
        return "strength";
    }

    /// "12 Mar" from "2026-03-12".
    std::string short_date(const std::string& day) const {
        if (day.size() != 10) {
            return day;
        }
        const int m = std::atoi(day.substr(5, 2).c_str());
        const int d = std::atoi(day.substr(8, 2).c_str());
        const std::string month = m >= 1 && m <= static_cast<int>(months_.size())
                                      ? months_[static_cast<std::size_t>(m - 1)]
                                      : day.substr(5, 2);
        return std::to_string(d) + " " + month;
    }

    void draw_tabs(Gfx& gfx) {
        const float h = 38, gap = 12, pad = 22;
        std::vector<float> widths;
        float total = 0;
        for (Page p : pages_) {
            const auto w = static_cast<float>(
                gfx.measure(ctx_.t(std::string("progress.tab.") + key_of(p)), FontSize::Small, true)
                    .x);
            widths.push_back(w + 2 * pad);
            total += w + 2 * pad + gap;
        }
        float x = (W - (total - gap)) / 2;
        for (std::size_t i = 0; i < pages_.size(); ++i) {
            const bool on = static_cast<int>(i) == page_;
            gfx.rounded_rect(x, 92, widths[i], h, h / 2, on ? palette::ink : palette::paper);
            gfx.text(ctx_.t(std::string("progress.tab.") + key_of(pages_[i])), x + widths[i] / 2,
                     99, FontSize::Small, on ? palette::paper : palette::ink, Align::Center, on);
            x += widths[i] + gap;
        }
    }

    /// An empty page: a kind sentence and what to do.
    void draw_empty(Gfx& gfx, const std::string& key) {
        gfx.circle(W / 2, 290, 56, palette::accent_soft);
        gfx.star(W / 2, 292, 34, palette::gold);
        gfx.paragraph(ctx_.t(key), W / 2, 370, 900, FontSize::Large, palette::ink, Align::Center);
    }

    /// Date labels under a chart at the first item of each week (or fewer when crowded).
    void date_labels(Gfx& gfx, const Plot& plot, const std::vector<std::string>& days) {
        const std::size_t n = days.size();
        float last_x = -1000;
        for (std::size_t i = 0; i < n; ++i) {
            const float x = plot.x_of(i, n);
            const bool new_week = i == 0 || weekday(days[i]) < weekday(days[i - 1]) ||
                                  days[i] > add_days(days[i - 1], 6);
            if (!new_week || x - last_x < 80) {
                continue;
            }
            gfx.line(x, plot.y1, x, plot.y1 + 6, 2, palette::ink_soft);
            gfx.text(short_date(days[i]), x, plot.y1 + 10, FontSize::Small, palette::ink_soft,
                     Align::Center);
            last_x = x;
        }
    }

    /// Horizontal grid lines with labels from lo to hi every `step`, and the unit above them.
    void y_axis(Gfx& gfx, const Plot& plot, double lo, double hi, double step,
                const std::string& unit) {
        for (double v = lo; v <= hi + 1e-9; v += step) {
            const float y = plot.y_of(v, lo, hi);
            gfx.rect(plot.x0, y - 1, plot.x1 - plot.x0, 2, kGrid);
            gfx.text(fmt::format("{:g}", v), plot.x0 - 10, y - 12, FontSize::Small,
                     palette::ink_soft, Align::Right);
        }
        gfx.text(unit, kCardX + 24, plot.y0 - 40, FontSize::Small, palette::ink_soft, Align::Left,
                 true);
    }

    /// A marker and its label; returns where the next item may start.
    float legend_item(Gfx& gfx, float x, float y, Marker m, Color c, const std::string& label,
                      bool hollow = false) {
        marker(gfx, m, x + 9, y + 13, 8, c);
        if (hollow) {
            marker(gfx, m, x + 9, y + 13, 4, palette::paper);
        }
        return x + 60 + gfx.text(label, x + 26, y, FontSize::Small, palette::ink);
    }

    /// A swatch (filled box) and its label; returns where the next item may start.
    float legend_box(Gfx& gfx, float x, float y, Color c, const std::string& label,
                     bool outlined = false, bool striped = false) {
        gfx.rect(x, y + 3, 20, 20, c);
        if (outlined) {
            gfx.rect(x + 2, y + 5, 16, 18, palette::paper);
        }
        if (striped) {
            for (float sy = y + 6; sy < y + 22; sy += 6) {
                gfx.rect(x, sy, 20, 2, palette::paper.with_alpha(150));
            }
        }
        return x + 60 + gfx.text(label, x + 28, y, FontSize::Small, palette::ink);
    }

    /// A line of text in the largest size that fits `width`.
    static void headline(Gfx& gfx, const std::string& text, float x, float y, float width) {
        const bool large = static_cast<float>(gfx.measure(text, FontSize::Large, true).x) <= width;
        gfx.text(text, x, large ? y : y + 6, large ? FontSize::Large : FontSize::Body, palette::ink,
                 Align::Left, true);
    }

    // The rows every chart page shares.
    static constexpr float kHeadlineY = 166;
    static constexpr float kLegendY = 606;

    // ---- strength -------------------------------------------------------------------------

    void draw_strength(Gfx& gfx) {
        const auto& a = data_.mvc_affected;
        const auto& o = data_.mvc_other;
        if (a.empty() && o.empty()) {
            draw_empty(gfx, "progress.strength.empty");
            return;
        }
        const Plot plot{150, 210, 810, 555};
        double lo = 1e9, hi = 0;
        for (const auto* series : {&a, &o}) {
            for (const auto& p : *series) {
                lo = std::min(lo, p.low_n);
                hi = std::max(hi, p.high_n);
            }
        }
        // At least 40 % of the top value tall, so a small wobble never looks like a cliff.
        const double span = std::max(hi - lo, 0.4 * hi);
        const double mid = (hi + lo) / 2;
        lo = std::max(0.0, mid - span / 2);
        hi = lo + span;
        const double step = nice_step(hi - lo, 4);
        lo = std::floor(lo / step) * step;
        hi = std::ceil(hi / step) * step;
        y_axis(gfx, plot, lo, hi, step, ctx_.t("progress.strength.unit"));
        // One x slot per test day, both legs on the same axis of days.
        std::vector<std::string> days;
        for (const auto* series : {&a, &o}) {
            for (const auto& p : *series) {
                days.push_back(p.day);
            }
        }
        std::sort(days.begin(), days.end());
        days.erase(std::unique(days.begin(), days.end()), days.end());
        const auto x_of = [&](const std::string& d) {
            const auto i = static_cast<std::size_t>(std::lower_bound(days.begin(), days.end(), d) -
                                                    days.begin());
            return plot.x_of(i, days.size());
        };
        // The noise band of the affected leg: a ribbon from low to high through its tests, and
        // a bar at each test so that a lone test shows its band too.
        const Color band = kBlue.with_alpha(45);
        for (std::size_t i = 0; i + 1 < a.size(); ++i) {
            const float xa = x_of(a[i].day), xb = x_of(a[i + 1].day);
            const float la = plot.y_of(a[i].low_n, lo, hi), ha = plot.y_of(a[i].high_n, lo, hi);
            const float lb = plot.y_of(a[i + 1].low_n, lo, hi);
            const float hb = plot.y_of(a[i + 1].high_n, lo, hi);
            gfx.triangle(xa, ha, xb, hb, xb, lb, band);
            gfx.triangle(xa, ha, xb, lb, xa, la, band);
        }
        for (const auto& p : a) {
            const float x = x_of(p.day);
            const float top = plot.y_of(p.high_n, lo, hi);
            gfx.rect(x - 10, top, 20, plot.y_of(p.low_n, lo, hi) - top, band);
        }
        const auto series = [&](const std::vector<MvcPoint>& s, Color c, Marker m) {
            for (std::size_t i = 0; i + 1 < s.size(); ++i) {
                gfx.line(x_of(s[i].day), plot.y_of(s[i].mvc_n, lo, hi), x_of(s[i + 1].day),
                         plot.y_of(s[i + 1].mvc_n, lo, hi), 3, c);
            }
            for (const auto& p : s) {
                const float x = x_of(p.day), y = plot.y_of(p.mvc_n, lo, hi);
                marker(gfx, m, x, y, 9, palette::paper);
                marker(gfx, m, x, y, 7, c);
                if (!p.measured) { // practice values: hollow
                    marker(gfx, m, x, y, 3.5f, palette::paper);
                }
            }
        };
        series(o, kOrange, Marker::Square);
        series(a, kBlue, Marker::Circle);
        date_labels(gfx, plot, days);

        float lx = kCardX + 40;
        lx = legend_item(gfx, lx, kLegendY, Marker::Circle, kBlue,
                         ctx_.t("progress.strength.affected"), data_.mvc_practice);
        if (!o.empty()) {
            lx = legend_item(gfx, lx, kLegendY, Marker::Square, kOrange,
                             ctx_.t("progress.strength.other"), data_.mvc_practice);
        }
        lx = legend_box(gfx, lx, kLegendY, band,
                        ctx_.tf("progress.strength.band", data_.mvc_noise_pct));
        if (data_.mvc_practice) {
            gfx.text(ctx_.t("progress.strength.practice"), plot.x0, plot.y0 - 40, FontSize::Small,
                     palette::stop, Align::Left, true);
        }

        // The verdict and the leg balance, on the right.
        const float px = 850, pw = 360;
        gfx.rounded_rect(px, 170, pw, 200, 18, kPanel);
        const auto& s = data_.strength;
        if (s.trend == StrengthTrend::NotEnough) {
            gfx.paragraph(ctx_.t("progress.strength.one_test"), px + 20, 186, pw - 40,
                          FontSize::Body, palette::ink);
        } else {
            const char* k = s.trend == StrengthTrend::Stronger ? "progress.strength.stronger"
                            : s.trend == StrengthTrend::Same   ? "progress.strength.same"
                                                               : "progress.strength.weaker";
            draw_trend_arrow(gfx, px + 44, 212, 24, s.trend);
            headline(gfx, ctx_.t(k), px + 84, 192, pw - 100);
            gfx.text(ctx_.tf("progress.strength.change", std::lround(s.first_n),
                             std::lround(s.latest_n), std::lround(s.change_pct)),
                     px + 20, 250, FontSize::Body, palette::ink, Align::Left, true);
            gfx.paragraph(
                ctx_.tf("progress.strength.since", short_date(s.first_day), data_.mvc_change_pct),
                px + 20, 288, pw - 40, FontSize::Small, palette::ink_soft);
        }
        draw_symmetry(gfx, px, 384, pw);
    }

    /// A plain arrow: up (stronger), down, or to the right (about the same).
    static void draw_trend_arrow(Gfx& gfx, float cx, float cy, float r, StrengthTrend t) {
        const Color c = t == StrengthTrend::Stronger ? palette::accent : palette::ink;
        if (t == StrengthTrend::Same || t == StrengthTrend::NotEnough) {
            gfx.rect(cx - r * 0.9f, cy - r * 0.22f, r, r * 0.44f, c);
            gfx.triangle(cx + r, cy, cx, cy - r * 0.75f, cx, cy + r * 0.75f, c);
            return;
        }
        const float d = t == StrengthTrend::Stronger ? -1.f : 1.f; // screen y grows downward
        gfx.triangle(cx, cy + d * r, cx - r * 0.75f, cy, cx + r * 0.75f, cy, c);
        const float y0 = d < 0 ? cy - 1 : cy - r * 0.9f;
        gfx.rect(cx - r * 0.22f, y0, r * 0.44f, r * 0.9f + 1, c);
    }

    void draw_symmetry(Gfx& gfx, float x, float y, float w) {
        gfx.rounded_rect(x, y, w, 200, 18, kPanel);
        gfx.text(ctx_.t("progress.symmetry.title"), x + 20, y + 12, FontSize::Body, palette::ink,
                 Align::Left, true);
        if (!data_.symmetry) {
            gfx.paragraph(ctx_.t("progress.symmetry.none"), x + 20, y + 50, w - 40, FontSize::Small,
                          palette::ink_soft);
            return;
        }
        const auto& sym = *data_.symmetry;
        const float vw = gfx.text(ctx_.tf("progress.symmetry.value", std::lround(sym.lsi_pct)),
                                  x + 20, y + 42, FontSize::Large, palette::ink, Align::Left, true);
        gfx.paragraph(ctx_.tf("progress.symmetry.legs", std::lround(sym.affected_n),
                              std::lround(sym.other_n)),
                      x + 36 + vw, y + 44, w - 56 - vw, FontSize::Small, palette::ink);
        // A bar from 0 to 120 % with the 90 % line marked and labelled under it.
        const float bx = x + 20, bw = w - 40, by = y + 112;
        const auto at = [&](double pct) {
            return bx + bw * f(std::clamp(pct, 0.0, 120.0) / 120.0);
        };
        gfx.rounded_rect(bx, by, bw, 18, 9, kGrid);
        gfx.rounded_rect(bx, by, std::max(18.f, at(sym.lsi_pct) - bx), 18, 9, kBlue);
        gfx.rect(at(90) - 2, by - 6, 4, 30, palette::ink);
        // The key to the mark, under the bar: a small mark and its words.
        gfx.rect(bx, by + 36, 4, 20, palette::ink);
        gfx.text(ctx_.t("progress.symmetry.bar"), bx + 12, by + 32, FontSize::Small,
                 palette::ink_soft);
    }

    // ---- doing the work -------------------------------------------------------------------

    void draw_work(Gfx& gfx) {
        const auto& d = data_.dose;
        if (d.empty()) {
            draw_empty(gfx, "progress.work.empty");
            return;
        }
        if (data_.reps_prescribed > 0) {
            const auto pct = std::lround(100.0 * data_.reps_done_prescribed /
                                         std::max(1, data_.reps_prescribed));
            headline(gfx,
                     ctx_.tf("progress.work.summary", data_.reps_done_prescribed,
                             data_.reps_prescribed, pct),
                     kCardX + 40, kHeadlineY, kCardW - 80);
        } else {
            headline(gfx, ctx_.tf("progress.work.summary_done", data_.reps_done), kCardX + 40,
                     kHeadlineY, kCardW - 80);
        }
        const Plot plot{150, 262, 1200, 560};
        int top = 1;
        for (const auto& s : d) {
            top = std::max({top, s.prescribed, s.done});
        }
        const double step = nice_step(top, 4);
        const double hi = std::ceil(top / step) * step;
        y_axis(gfx, plot, 0, hi, step, ctx_.t("progress.work.unit"));
        const std::size_t n = d.size();
        const float slot = (plot.x1 - plot.x0) / static_cast<float>(n);
        const float bw = std::clamp(slot * 0.7f, 3.f, 36.f);
        std::vector<std::string> days;
        for (std::size_t i = 0; i < n; ++i) {
            const auto& s = d[i];
            days.push_back(s.day);
            const float x = plot.x_of(i, n) - bw / 2;
            if (s.prescribed > 0) { // the plan: an outlined box
                const float yp = plot.y_of(s.prescribed, 0, hi);
                gfx.rect(x, yp, bw, plot.y1 - yp, palette::ink_soft);
                gfx.rect(x + 2, yp + 2, bw - 4, plot.y1 - yp - 2, palette::paper);
            }
            const float yd = plot.y_of(s.done, 0, hi);
            const Color c = s.kind == SessionKind::PainStop ? kOrange : kBlue;
            gfx.rect(x, yd, bw, plot.y1 - yd, c);
            if (s.practice) { // practice: striped
                for (float y = yd + 3; y < plot.y1 - 2; y += 6) {
                    gfx.rect(x, y, bw, 2, palette::paper.with_alpha(150));
                }
            }
            if (s.kind == SessionKind::PainStop) {
                marker(gfx, Marker::Triangle, x + bw / 2, yd - 12, 7, kOrange);
            } else if (s.kind == SessionKind::RedFlag) {
                marker(gfx, Marker::Diamond, x + bw / 2, yd - 12, 7, kNeutral);
            }
        }
        date_labels(gfx, plot, days);

        float lx = kCardX + 40;
        lx =
            legend_box(gfx, lx, kLegendY, palette::ink_soft, ctx_.t("progress.work.planned"), true);
        lx = legend_box(gfx, lx, kLegendY, kBlue, ctx_.t("progress.work.done"));
        lx = legend_item(gfx, lx, kLegendY, Marker::Triangle, kOrange,
                         ctx_.t("progress.work.pain_stop"));
        if (std::any_of(d.begin(), d.end(), [](const auto& s) { return s.practice; })) {
            legend_box(gfx, lx, kLegendY, kBlue, ctx_.t("progress.work.practice"), false, true);
        }
    }

    // ---- pain -----------------------------------------------------------------------------

    void draw_pain(Gfx& gfx) {
        const auto& p = data_.pain;
        const bool any = std::any_of(p.begin(), p.end(), [](const SessionPain& s) {
            return s.during >= 0 || s.after >= 0 || s.next_morning >= 0;
        });
        if (!any) {
            draw_empty(gfx, "progress.pain.empty");
            return;
        }
        int rated = 0, within = 0;
        for (const auto& s : p) {
            if (s.during >= 0) {
                ++rated;
                within += s.during <= 5 ? 1 : 0;
            }
        }
        if (rated > 0) {
            headline(gfx, ctx_.tf("progress.pain.summary", within, rated), kCardX + 40, kHeadlineY,
                     kCardW - 80);
        }
        const Plot plot{150, 262, 1200, 560};
        y_axis(gfx, plot, 0, 10, 2, ctx_.t("progress.pain.unit"));
        const std::size_t n = p.size();
        // Pain during: columns (the worst moment of each session).
        const float slot = (plot.x1 - plot.x0) / static_cast<float>(n);
        const float bw = std::clamp(slot * 0.55f, 3.f, 28.f);
        for (std::size_t i = 0; i < n; ++i) {
            if (p[i].during >= 0) {
                const float y = plot.y_of(p[i].during, 0, 10);
                gfx.rect(plot.x_of(i, n) - bw / 2, y, bw, plot.y1 - y, kBlue.with_alpha(150));
            }
        }
        // The line pain during may reach but not pass.
        dashed(gfx, plot.x0, plot.x1, plot.y_of(5, 0, 10), 3, palette::ink);
        // After and next morning: lines with markers (ratings are whole numbers, so the two are
        // nudged apart to stay visible).
        const auto series = [&](int SessionPain::*field, Color c, Marker m, float dx) {
            for (std::size_t i = 0; i + 1 < n; ++i) {
                const int a = p[i].*field, b = p[i + 1].*field;
                if (a >= 0 && b >= 0) {
                    gfx.line(plot.x_of(i, n) + dx, plot.y_of(a, 0, 10), plot.x_of(i + 1, n) + dx,
                             plot.y_of(b, 0, 10), 2.5f, c);
                }
            }
            for (std::size_t i = 0; i < n; ++i) {
                const int v = p[i].*field;
                if (v >= 0) {
                    const float x = plot.x_of(i, n) + dx, y = plot.y_of(v, 0, 10);
                    marker(gfx, m, x, y, 7, palette::paper);
                    marker(gfx, m, x, y, 5.5f, c);
                }
            }
        };
        series(&SessionPain::after, kOrange, Marker::Square, -3);
        series(&SessionPain::next_morning, kGreen, Marker::Triangle, 3);
        std::vector<std::string> days;
        for (const auto& s : p) {
            days.push_back(s.day);
        }
        date_labels(gfx, plot, days);

        float lx = kCardX + 40;
        lx = legend_box(gfx, lx, kLegendY, kBlue.with_alpha(150), ctx_.t("progress.pain.during"));
        lx = legend_item(gfx, lx, kLegendY, Marker::Square, kOrange, ctx_.t("progress.pain.after"));
        lx = legend_item(gfx, lx, kLegendY, Marker::Triangle, kGreen,
                         ctx_.t("progress.pain.morning"));
        dashed(gfx, lx, lx + 36, kLegendY + 13, 3, palette::ink);
        gfx.text(ctx_.t("progress.pain.limit"), lx + 46, kLegendY, FontSize::Small, palette::ink,
                 Align::Left, true);
    }

    // ---- calendar -------------------------------------------------------------------------

    /// The token of a day: a shape and a sign, never colour alone.
    void day_token(Gfx& gfx, DayKind k, float cx, float cy, float r, bool child) {
        const FontSize size = r > 24 ? FontSize::Large : r > 16 ? FontSize::Body : FontSize::Small;
        const float dy = static_cast<float>(gfx.measure("\u2713", size, true).y) / 2;
        switch (k) {
        case DayKind::Done:
            if (child) {
                gfx.star(cx, cy, r * 1.15f, palette::gold);
            } else {
                gfx.circle(cx, cy, r, palette::accent);
                gfx.text("\u2713", cx, cy - dy, size, palette::paper, Align::Center, true);
            }
            break;
        case DayKind::PainStop:
            // Listening to the knee earns the same star for a child; adults see a heart.
            if (child) {
                gfx.star(cx, cy, r * 1.15f, palette::gold);
            } else {
                gfx.circle(cx, cy, r, kOrange);
                gfx.text("\u2665", cx, cy - dy, size, palette::paper, Align::Center, true);
            }
            break;
        case DayKind::RedFlag:
            gfx.rounded_rect(cx - r, cy - r, 2 * r, 2 * r, r * 0.35f, kNeutral);
            gfx.rect(cx - r * 0.55f, cy - r * 0.14f, r * 1.1f, r * 0.28f, palette::paper);
            gfx.rect(cx - r * 0.14f, cy - r * 0.55f, r * 0.28f, r * 1.1f, palette::paper);
            break;
        case DayKind::Rest:
            gfx.rounded_rect(cx - r, cy - r, 2 * r, 2 * r, 6, kPanel);
            break;
        case DayKind::Future:
            break;
        }
    }

    void draw_calendar(Gfx& gfx, bool child) {
        // The last six weeks (or all the range has).
        const auto& cal = data_.calendar;
        const std::size_t weeks = std::min<std::size_t>(6, cal.size() / 7);
        const std::size_t first = cal.size() - weeks * 7;
        const float gx = 70, gy = 204;
        const float cw = child ? 104 : 96, ch = child ? 64 : 60, gap = 6;
        for (std::size_t c = 0; c < 7 && c < weekdays_.size(); ++c) {
            gfx.text(weekdays_[c], gx + static_cast<float>(c) * (cw + gap) + cw / 2, gy - 32,
                     FontSize::Small, palette::ink_soft, Align::Center, true);
        }
        for (std::size_t i = first; i < cal.size(); ++i) {
            const auto& d = cal[i];
            const auto row = static_cast<float>((i - first) / 7);
            const auto col = static_cast<float>((i - first) % 7);
            const float x = gx + col * (cw + gap), y = gy + row * (ch + gap);
            const bool future = d.kind == DayKind::Future;
            if (d.today) {
                gfx.rounded_rect(x - 4, y - 4, cw + 8, ch + 8, 14, palette::ink);
            }
            gfx.rounded_rect(x, y, cw, ch, 10, future ? palette::paper : kPanel);
            gfx.text(std::to_string(d.day_of_month), x + 8, y + 4, FontSize::Small,
                     future ? kGrid : palette::ink_soft);
            if (d.kind != DayKind::Rest) {
                day_token(gfx, d.kind, x + cw / 2 + 12, y + ch / 2 + 2, child ? 23 : 19, child);
            }
        }
        // The run of active weeks and the legend, on the right.
        const float lx = gx + 7 * (cw + gap) + 24, lw = 1210 - lx;
        gfx.rounded_rect(lx, 170, lw, 130, 18, kPanel);
        if (data_.active_weeks > 0) {
            const float nw = gfx.text(std::to_string(data_.active_weeks), lx + 18, 168,
                                      FontSize::Huge, palette::accent, Align::Left, true);
            gfx.paragraph(
                ctx_.tf(child ? "progress.calendar.child_weeks" : "progress.calendar.weeks",
                        data_.active_weeks),
                lx + 30 + nw, 196, lw - 48 - nw, FontSize::Body, palette::ink);
        } else {
            gfx.paragraph(
                ctx_.t(child ? "progress.calendar.child_start" : "progress.calendar.start"),
                lx + 18, 186, lw - 36, FontSize::Body, palette::ink);
        }
        float y = 318;
        const auto item = [&](DayKind k, const std::string& key) {
            day_token(gfx, k, lx + 18, y + 14, 14, child);
            y += std::max(40.f, gfx.paragraph(ctx_.t(key), lx + 44, y + 1, lw - 44, FontSize::Small,
                                              palette::ink) +
                                    12);
        };
        if (child) {
            item(DayKind::Done, "progress.calendar.child_star");
        } else {
            item(DayKind::Done, "progress.calendar.done");
            item(DayKind::PainStop, "progress.calendar.pain_stop");
        }
        item(DayKind::RedFlag, "progress.calendar.red_flag");
        item(DayKind::Rest, "progress.calendar.rest");
        if (!child) {
            gfx.paragraph(ctx_.t("progress.calendar.rule"), lx, y + 4, lw, FontSize::Small,
                          palette::ink_soft);
        }
    }

    // ---- plan changes ---------------------------------------------------------------------

    void draw_plan(Gfx& gfx) {
        if (changes_.empty()) {
            draw_empty(gfx, "progress.plan.empty");
            return;
        }
        float y = 172;
        const float line_h = static_cast<float>(gfx.measure("Ag", FontSize::Body).y);
        std::size_t shown = 0;
        for (std::size_t i = static_cast<std::size_t>(scroll_); i < changes_.size(); ++i) {
            const auto& c = changes_[i];
            const std::string icon = c.action == "progress"    ? "\u2191"
                                     : c.action == "step_back" ? "\u2193"
                                     : c.action == "lock"      ? "||"
                                                               : "=";
            const std::string text =
                c.changed ? c.reason : ctx_.tf("progress.plan.today", c.reason);
            const float lines =
                std::ceil(static_cast<float>(gfx.measure(text, FontSize::Body).x) / 900.f);
            const float h = std::max(70.f, 24 + line_h * lines);
            if (y + h > 590) {
                break;
            }
            gfx.rounded_rect(kCardX + 30, y, kCardW - 60, h, 14, kPanel);
            gfx.circle(kCardX + 66, y + 35, 22, c.changed ? palette::ink : kNeutral);
            gfx.text(icon, kCardX + 66, y + 20, FontSize::Body, palette::paper, Align::Center,
                     true);
            gfx.text(short_date(c.day), kCardX + 106, y + 12, FontSize::Small, palette::ink_soft,
                     Align::Left, true);
            gfx.paragraph(text, kCardX + 200, y + 10, 940, FontSize::Body, palette::ink);
            y += h + 10;
            ++shown;
        }
        if (shown < changes_.size()) {
            gfx.text(ctx_.tf("progress.plan.count", scroll_ + 1, scroll_ + shown, changes_.size()),
                     W / 2, 604, FontSize::Small, palette::ink_soft, Align::Center);
        }
    }

    // ---- children: getting stronger ------------------------------------------------------

    void draw_child_stronger(Gfx& gfx) {
        const auto& s = data_.strength;
        if (s.trend == StrengthTrend::NotEnough) {
            gfx.circle(330, 330, 90, palette::accent_soft);
            gfx.star(330, 334, 60, palette::gold);
            gfx.paragraph(
                ctx_.t(data_.dose.empty() ? "progress.child.empty" : "progress.child.not_yet"), 330,
                450, 480, FontSize::Body, palette::ink, Align::Center);
            draw_child_count(gfx);
            return;
        }
        // Two big bars, the first test and now, with an arrow between them.
        const double top = std::max(s.first_n, s.latest_n);
        const float base = 560, full = 320;
        const float h0 = full * f(s.first_n / top), h1 = full * f(s.latest_n / top);
        gfx.rounded_rect(150, base - h0, 150, h0, 16, kNeutral);
        gfx.rect(150, base - 20, 150, 20, kNeutral);
        gfx.rounded_rect(450, base - h1, 150, h1, 16, kBlue);
        gfx.rect(450, base - 20, 150, 20, kBlue);
        gfx.text(ctx_.t("progress.child.then"), 225, base + 12, FontSize::Body, palette::ink,
                 Align::Center, true);
        gfx.text(ctx_.t("progress.child.now"), 525, base + 12, FontSize::Body, palette::ink,
                 Align::Center, true);
        draw_trend_arrow(gfx, 375, base - std::max(h0, h1) / 2, 44, s.trend);
        const char* k = s.trend == StrengthTrend::Stronger ? "progress.child.stronger"
                                                           : "progress.child.keep_going";
        gfx.paragraph(ctx_.t(k), 930, 200, 460, FontSize::Title, palette::ink, Align::Center);
        draw_child_count(gfx);
    }

    // ---- children: the page for a parent or clinician ------------------------------------

    /// Sessions each week against the plan, the tokens, and the stops for pain, in plain words.
    void draw_child_adherence(Gfx& gfx) {
        const auto& weeks = data_.weeks;
        const int planned = data_.planned_per_week;
        int done = 0;
        for (const auto& w : weeks) {
            done += w.sessions;
        }
        const Plot plot{130, 282, 800, 540};
        headline(gfx, ctx_.tf("progress.adherence.summary", done, weeks.size()), kCardX + 40,
                 kHeadlineY, plot.x1 - kCardX - 40);
        int top = planned;
        for (const auto& w : weeks) {
            top = std::max(top, w.sessions);
        }
        const double step = top <= 8 ? 1 : nice_step(top, 4);
        const double hi = std::ceil((top + 0.5) / step) * step; // room for the plan's line
        y_axis(gfx, plot, 0, hi, step, ctx_.t("progress.adherence.unit"));
        const std::size_t n = weeks.size();
        const float slot = (plot.x1 - plot.x0) / static_cast<float>(std::max<std::size_t>(n, 1));
        const float bw = std::clamp(slot * 0.6f, 8.f, 70.f);
        for (std::size_t i = 0; i < n; ++i) {
            const auto& w = weeks[i];
            const float x = plot.x_of(i, n) - bw / 2;
            // Finished below, stopped for safety stacked on top (orange, with a triangle).
            const float yf = plot.y_of(w.finished, 0, hi);
            gfx.rect(x, yf, bw, plot.y1 - yf, kBlue);
            const float ys = plot.y_of(w.finished + w.pain_stops, 0, hi);
            if (w.pain_stops > 0) {
                gfx.rect(x, ys, bw, yf - ys, kOrange);
                marker(gfx, Marker::Triangle, x + bw / 2, (ys + yf) / 2, 7, palette::paper);
            }
            gfx.text(ctx_.tf("progress.adherence.of", w.sessions, planned), x + bw / 2, ys - 30,
                     FontSize::Small, palette::ink, Align::Center, true);
            gfx.text(short_date(w.monday), plot.x_of(i, n), plot.y1 + 10, FontSize::Small,
                     palette::ink_soft, Align::Center);
        }
        // The plan: a dashed line across at the planned sessions a week.
        dashed(gfx, plot.x0, plot.x1, plot.y_of(planned, 0, hi), 3, palette::ink);

        float lx = kCardX + 40;
        lx = legend_box(gfx, lx, kLegendY, kBlue, ctx_.t("progress.adherence.finished"));
        lx = legend_item(gfx, lx, kLegendY, Marker::Triangle, kOrange,
                         ctx_.t("progress.adherence.pain_stop"));
        dashed(gfx, lx, lx + 36, kLegendY + 13, 3, palette::ink);
        gfx.text(ctx_.tf("progress.adherence.planned", planned), lx + 46, kLegendY, FontSize::Small,
                 palette::ink, Align::Left, true);

        // Tokens and stops, on the right.
        const float px = 850, pw = 360;
        gfx.rounded_rect(px, 170, pw, 462, 18, kPanel);
        draw_token(gfx, px + 50, 226, 32);
        gfx.text(std::to_string(tokens_.total), px + 96, 172, FontSize::Huge, palette::accent,
                 Align::Left, true);
        gfx.text(ctx_.t("progress.adherence.tokens"), px + 20, 288, FontSize::Body, palette::ink,
                 Align::Left, true);
        float y = 332;
        const auto line = [&](const std::string& text, Color c) {
            y += gfx.paragraph(text, px + 20, y, pw - 40, FontSize::Small, c) + 6;
        };
        line(ctx_.tf("progress.adherence.count_finished", tokens_.finished), palette::ink);
        line(ctx_.tf("progress.adherence.count_pain", tokens_.pain_stops + tokens_.red_flag_stops),
             palette::ink);
        line(ctx_.tf("progress.adherence.count_checkin", tokens_.checkin_stops), palette::ink);
        y += 4;
        line(ctx_.t("progress.adherence.note"), palette::ink_soft);
    }

    void draw_child_count(Gfx& gfx) {
        if (data_.reps_done <= 0) {
            return;
        }
        gfx.rounded_rect(760, 410, 340, 150, 20, kPanel);
        gfx.text(std::to_string(data_.reps_done), 930, 412, FontSize::Huge, palette::accent,
                 Align::Center, true);
        gfx.text(ctx_.t("progress.child.holds"), 930, 520, FontSize::Body, palette::ink,
                 Align::Center);
    }

    ProgressData data_;
    Tokens tokens_; ///< child mode: every token so far (whole history)
    std::vector<Page> pages_{Page::Strength};
    std::vector<PlanChange> changes_;
    std::vector<std::string> months_, weekdays_;
    int page_ = 0;
    int scroll_ = 0;
    double t_ = 0;
};

} // namespace

std::unique_ptr<Screen> make_progress(Context& ctx) {
    return std::make_unique<Progress>(ctx);
}

} // namespace qv::game
