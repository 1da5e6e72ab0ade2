#include "game/widgets.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>

namespace qv::game {

namespace {
constexpr float W = Gfx::kWidth;
constexpr float H = Gfx::kHeight;

void cloud(Gfx& gfx, float x, float y, float s, Color c) {
    gfx.circle(x, y, 28 * s, c);
    gfx.circle(x + 30 * s, y - 14 * s, 34 * s, c);
    gfx.circle(x + 64 * s, y, 26 * s, c);
    gfx.rounded_rect(x - 10 * s, y - 4 * s, 90 * s, 30 * s, 14 * s, c);
}

void hills(Gfx& gfx, float base_y, float amp, float wavelength, float offset, Color c) {
    const int n = 64;
    for (int i = 0; i < n; ++i) {
        const float x0 = W * static_cast<float>(i) / n, x1 = W * static_cast<float>(i + 1) / n;
        auto hy = [&](float x) {
            return base_y - amp * (0.5f + 0.5f * std::sin((x + offset) / wavelength * 6.2832f));
        };
        gfx.triangle(x0, hy(x0), x1, hy(x1), x0, H, c);
        gfx.triangle(x1, hy(x1), x1, H, x0, H, c);
    }
}
} // namespace

void draw_backdrop(Gfx& gfx, double t) {
    gfx.vertical_gradient(0, 0, W, H, palette::sky_top, palette::sky_bottom);
    if (gfx.theme().high_contrast) { // a plain page: nothing moves behind the text
        return;
    }
    gfx.circle(1110, 110, 52, Color::hex(0xFFE9A8));
    gfx.circle(1110, 110, 40, Color::hex(0xFFD45C));
    const auto drift = static_cast<float>(t * 12.0);
    const Color c = Color::hex(0xFFFFFF, 210);
    cloud(gfx, std::fmod(120 + drift, W + 200) - 100, 120, 1.0f, c);
    cloud(gfx, std::fmod(620 + drift * 0.7f, W + 200) - 100, 70, 0.8f, c);
    cloud(gfx, std::fmod(960 + drift * 1.2f, W + 200) - 100, 200, 0.6f, c);
    hills(gfx, H - 70, 50, 700, static_cast<float>(t * 4),
          palette::grass.mix(palette::sky_bottom, 0.35));
    hills(gfx, H - 20, 36, 450, static_cast<float>(t * 8) + 200, palette::grass);
}

void draw_title(Gfx& gfx, const std::string& title, const std::string& subtitle) {
    const bool fits = static_cast<float>(gfx.measure(title, FontSize::Title, true).x) < W - 160;
    gfx.text(title, W / 2, fits ? 40 : 50, fits ? FontSize::Title : FontSize::Large, palette::ink,
             Align::Center, true);
    if (!subtitle.empty()) {
        gfx.text(subtitle, W / 2, 112, FontSize::Body, palette::ink_soft, Align::Center);
    }
}

SDL_Keycode hint_key(const std::string& label) {
    if (label == "Enter") {
        return SDLK_RETURN;
    }
    if (label == "Esc") {
        return SDLK_ESCAPE;
    }
    if (label == "Tab") {
        return SDLK_TAB;
    }
    if (label == "Space") {
        return SDLK_SPACE;
    }
    if (label.size() == 1 && std::isalnum(static_cast<unsigned char>(label[0])) != 0) {
        return static_cast<SDL_Keycode>(std::tolower(static_cast<unsigned char>(label[0])));
    }
    return SDLK_UNKNOWN; // arrows, "0-9", "N / Y": several keys, not one tap
}

void draw_hints(Gfx& gfx, const std::vector<std::pair<std::string, std::string>>& hints) {
    const bool hc = gfx.theme().high_contrast;
    const float text_h = static_cast<float>(gfx.font_px(FontSize::Small)) * 1.2f;
    const float bar_h = std::max(52.0f, text_h + 22);
    gfx.rect(0, H - bar_h, W, bar_h, Color::hex(0x1D2B4F, hc ? 255 : 200));
    const float gap = 36;
    std::vector<float> key_w, widths;
    float total = 0;
    for (const auto& [key, label] : hints) {
        key_w.push_back(static_cast<float>(gfx.measure(key, FontSize::Small, true).x + 16));
        widths.push_back(key_w.back() + 6 +
                         static_cast<float>(gfx.measure(label, FontSize::Small).x));
        total += widths.back() + gap;
    }
    total -= hints.empty() ? 0 : gap;
    // Large text or a long translation: shrink the gaps, never run off the screen.
    const float spare = W - 20 - total;
    const float g = spare < 0 && hints.size() > 1
                        ? std::max(8.0f, gap + spare / static_cast<float>(hints.size() - 1))
                        : gap;
    float x = std::max(10.0f, (W - (total - gap * static_cast<float>(hints.size() - 1) +
                                    g * static_cast<float>(hints.size() - 1))) /
                                  2);
    const float key_y = H - bar_h + 10, key_h = bar_h - 20;
    auto& input = gfx.frame_input();
    input.hints.clear();
    for (std::size_t i = 0; i < hints.size(); ++i) {
        const auto& [key, label] = hints[i];
        const float kw = key_w[i];
        if (static_cast<int>(i) == gfx.scan_hint()) { // one-switch scanning is here
            gfx.rounded_rect(x - 6, key_y - 6, widths[i] + 12, key_h + 12, 10, palette::warm);
        }
        gfx.rounded_rect(x, key_y, kw, key_h, 6, Color::hex(0xFFFFFF));
        gfx.text(key, x + kw / 2, key_y + (key_h - text_h) / 2, FontSize::Small,
                 Color::hex(0x1D2B4F), Align::Center, true);
        gfx.text(label, x + kw + 6, key_y + (key_h - text_h) / 2, FontSize::Small,
                 Color::hex(0xFFFFFF));
        input.hints.push_back({{x - g / 2, H - bar_h, widths[i] + g, bar_h}, hint_key(key)});
        x += widths[i] + g;
    }
}

void draw_card(Gfx& gfx, float x, float y, float w, float h, bool highlighted) {
    const Theme& theme = gfx.theme();
    // The shadow, except where the opaque card is drawn over it (its middle, with a margin of two
    // pixels inside the card's straight edges): blending those pixels would be wasted.
    const Color shadow = palette::ink.with_alpha(40);
    if (palette::paper.a == 255 && w > 60 && h > 20) {
        const SDL_Rect hole{static_cast<int>(std::ceil(x + 24)), static_cast<int>(std::ceil(y + 2)),
                            static_cast<int>(std::floor(x + w - 24) - std::ceil(x + 24)),
                            static_cast<int>(std::floor(y + h - 2) - std::ceil(y + 2))};
        gfx.rounded_rect_around(x + 4, y + 6, w, h, 22, shadow, hole);
    } else {
        gfx.rounded_rect(x + 4, y + 6, w, h, 22, shadow);
    }
    if (highlighted) {
        const float ring = theme.high_contrast ? 10 : 6;
        gfx.rounded_rect(x - ring, y - ring, w + 2 * ring, h + 2 * ring, 22 + ring,
                         palette::accent);
    } else if (theme.outline_px > 0) {
        const float o = theme.outline_px;
        gfx.rounded_rect(x - o, y - o, w + 2 * o, h + 2 * o, 22 + o, theme.outline);
    }
    gfx.rounded_rect(x, y, w, h, 22, palette::paper);
}

void draw_avatar(Gfx& gfx, const content::Avatar& a, float cx, float cy, float r) {
    const Color main = Color::hex(a.color), accent = Color::hex(a.accent);
    const Color eye = palette::ink;
    const std::string& s = a.shape;
    // Ears or head features behind the face.
    if (s == "fox" || s == "cat") {
        gfx.triangle(cx - r * 0.9f, cy - r * 0.3f, cx - r * 0.55f, cy - r * 1.15f, cx - r * 0.15f,
                     cy - r * 0.7f, main);
        gfx.triangle(cx + r * 0.9f, cy - r * 0.3f, cx + r * 0.55f, cy - r * 1.15f, cx + r * 0.15f,
                     cy - r * 0.7f, main);
    } else if (s == "bear") {
        gfx.circle(cx - r * 0.7f, cy - r * 0.7f, r * 0.35f, main);
        gfx.circle(cx + r * 0.7f, cy - r * 0.7f, r * 0.35f, main);
        gfx.circle(cx - r * 0.7f, cy - r * 0.7f, r * 0.18f, accent);
        gfx.circle(cx + r * 0.7f, cy - r * 0.7f, r * 0.18f, accent);
    } else if (s == "rabbit") {
        gfx.rounded_rect(cx - r * 0.55f, cy - r * 1.6f, r * 0.34f, r * 1.1f, r * 0.17f, main);
        gfx.rounded_rect(cx + r * 0.21f, cy - r * 1.6f, r * 0.34f, r * 1.1f, r * 0.17f, main);
    } else if (s == "frog") {
        gfx.circle(cx - r * 0.45f, cy - r * 0.75f, r * 0.33f, main);
        gfx.circle(cx + r * 0.45f, cy - r * 0.75f, r * 0.33f, main);
    } else if (s == "owl") {
        gfx.triangle(cx - r * 0.8f, cy - r * 0.5f, cx - r * 0.6f, cy - r * 1.1f, cx - r * 0.3f,
                     cy - r * 0.8f, accent);
        gfx.triangle(cx + r * 0.8f, cy - r * 0.5f, cx + r * 0.6f, cy - r * 1.1f, cx + r * 0.3f,
                     cy - r * 0.8f, accent);
    }
    gfx.circle(cx, cy, r, main);
    // Face.
    if (s == "owl") {
        gfx.circle(cx - r * 0.38f, cy - r * 0.1f, r * 0.3f, palette::paper);
        gfx.circle(cx + r * 0.38f, cy - r * 0.1f, r * 0.3f, palette::paper);
        gfx.triangle(cx - r * 0.12f, cy + r * 0.15f, cx + r * 0.12f, cy + r * 0.15f, cx,
                     cy + r * 0.4f, accent);
    } else if (s == "frog") {
        gfx.circle(cx - r * 0.45f, cy - r * 0.75f, r * 0.18f, palette::paper);
        gfx.circle(cx + r * 0.45f, cy - r * 0.75f, r * 0.18f, palette::paper);
        gfx.arc(cx, cy + r * 0.05f, r * 0.5f, r * 0.08f, 2.2f, 4.1f, eye);
    } else {
        gfx.circle(cx, cy + r * 0.35f, r * 0.45f, accent); // muzzle
    }
    const float ey = (s == "frog") ? cy - r * 0.75f : cy - r * 0.1f;
    const float ex = (s == "frog") ? r * 0.45f : r * 0.38f;
    gfx.circle(cx - ex, ey, r * 0.11f, eye);
    gfx.circle(cx + ex, ey, r * 0.11f, eye);
    if (s != "owl" && s != "frog") {
        gfx.circle(cx, cy + r * 0.2f, r * 0.1f, eye); // nose
    }
}

void draw_stars(Gfx& gfx, int filled, int total, float cx, float cy, float r) {
    const float gap = r * 2.4f;
    float x = cx - gap * static_cast<float>(total - 1) / 2;
    for (int i = 0; i < total; ++i, x += gap) {
        gfx.star(x, cy, r + 3, palette::ink.with_alpha(60));
        gfx.star(x, cy, r, i < filled ? palette::gold : Color::hex(0xE3E8F0));
    }
}

void draw_banner(Gfx& gfx, const std::string& message) {
    // Warm orange in both themes; black text on it reads at 8:1 or more.
    gfx.rect(0, 0, W, 46, palette::warm);
    gfx.text(message, W / 2, 9, FontSize::Small, palette::ink, Align::Center, true);
}

bool is_confirm(const SDL_Event& e) {
    return e.type == SDL_KEYDOWN && e.key.repeat == 0 &&
           (e.key.keysym.sym == SDLK_RETURN || e.key.keysym.sym == SDLK_KP_ENTER);
}

bool is_back(const SDL_Event& e) {
    return e.type == SDL_KEYDOWN && e.key.repeat == 0 && e.key.keysym.sym == SDLK_ESCAPE;
}

namespace {
constexpr Sint32 kScanNextCode = 0x5153; // "QS"
} // namespace

SDL_Event scan_next_event() {
    SDL_Event e{};
    e.type = SDL_USEREVENT;
    e.user.code = kScanNextCode;
    return e;
}

bool is_scan_next(const SDL_Event& e) {
    return e.type == SDL_USEREVENT && e.user.code == kScanNextCode;
}

bool is_tap(const SDL_Event& e) {
    return e.type == SDL_MOUSEBUTTONDOWN && e.button.button == SDL_BUTTON_LEFT;
}

namespace {
constexpr float kTile = 86, kGap = 14;
float tile_x(int i) {
    return (W - (11 * kTile + 10 * kGap)) / 2 + static_cast<float>(i) * (kTile + kGap);
}
} // namespace

bool RatingRow::handle(const SDL_Event& e) {
    if (e.type == SDL_KEYDOWN) {
        const SDL_Keycode k = e.key.keysym.sym;
        if (k == SDLK_LEFT && value_ > 0) {
            --value_;
        } else if (k == SDLK_RIGHT && value_ < 10) {
            value_ = value_ < 0 ? 0 : value_ + 1;
        } else if (k >= SDLK_0 && k <= SDLK_9) {
            const int digit = k - SDLK_0;
            value_ = (pending_one_ && digit == 0) ? 10 : digit;
            pending_one_ = digit == 1;
            return true;
        } else if (k >= SDLK_KP_1 && k <= SDLK_KP_0) {
            value_ = k == SDLK_KP_0 ? 0 : k - SDLK_KP_1 + 1;
        } else if (is_confirm(e) && value_ >= 0) {
            confirmed_ = true;
        } else {
            return false;
        }
        pending_one_ = false;
        return true;
    }
    if (is_scan_next(e)) {
        value_ = (value_ + 1) % 11;
        return true;
    }
    if (is_tap(e) && drawn_) {
        const auto my = static_cast<float>(e.button.y);
        if (my < y_ - 10 || my >= y_ + kTile + 10) {
            return false;
        }
        for (int i = 0; i <= 10; ++i) {
            const float x = tile_x(i);
            if (static_cast<float>(e.button.x) >= x && static_cast<float>(e.button.x) < x + kTile) {
                confirmed_ = value_ == i; // a second tap on the same tile confirms
                value_ = i;
                return true;
            }
        }
    }
    return false;
}

void RatingRow::draw(Gfx& gfx, float y, const std::string& low_label,
                     const std::string& high_label) {
    y_ = y;
    drawn_ = true;
    ++gfx.frame_input().scan_rows;
    const Theme& theme = gfx.theme();
    for (int i = 0; i <= 10; ++i) {
        const float x = tile_x(i);
        // One hue from pale to deep, so the scale reads without relying on red versus green.
        const Color fill = Color::hex(0xE8F1FB).mix(Color::hex(0x3B4C8C), i / 10.0);
        const bool sel = i == value_;
        if (sel) {
            const float ring = theme.high_contrast ? 10 : 7;
            gfx.rounded_rect(x - ring, y - ring, kTile + 2 * ring, kTile + 2 * ring, 16 + ring,
                             theme.high_contrast ? palette::ink : palette::warm);
        } else if (theme.outline_px > 0) {
            const float o = theme.outline_px;
            gfx.rounded_rect(x - o, y - o, kTile + 2 * o, kTile + 2 * o, 16 + o, theme.outline);
        }
        gfx.rounded_rect(x, y, kTile, kTile, 16, fill);
        gfx.text(std::to_string(i), x + kTile / 2, y + 18, FontSize::Large,
                 i >= 6 ? palette::paper : palette::ink, Align::Center, true);
    }
    if (value_ >= 0) { // the chosen tile also gets a mark below it, not only a coloured ring
        const float cx = tile_x(value_) + kTile / 2;
        gfx.triangle(cx - 12, y + kTile + 22, cx + 12, y + kTile + 22, cx, y + kTile + 8,
                     palette::ink);
    }
    gfx.text(low_label, tile_x(0), y + kTile + 16, FontSize::Small, palette::ink_soft);
    gfx.text(high_label, tile_x(10) + kTile, y + kTile + 16, FontSize::Small, palette::ink_soft,
             Align::Right);
}

bool ChoiceRow::handle(const SDL_Event& e) {
    const int n = static_cast<int>(labels_.size());
    if (e.type == SDL_KEYDOWN) {
        const SDL_Keycode k = e.key.keysym.sym;
        if (k == SDLK_LEFT || k == SDLK_UP) {
            value_ = (value_ + n - 1) % n;
        } else if (k == SDLK_RIGHT || k == SDLK_DOWN || k == SDLK_TAB) {
            value_ = (value_ + 1) % n;
        } else if (k >= SDLK_1 && k < SDLK_1 + n) {
            value_ = k - SDLK_1;
        } else if (is_confirm(e)) {
            confirmed_ = true;
        } else {
            return false;
        }
        return true;
    }
    if (is_scan_next(e) && n > 0) {
        value_ = (value_ + 1) % n;
        return true;
    }
    if (!is_tap(e)) {
        return false;
    }
    const auto mx = static_cast<float>(e.button.x), my = static_cast<float>(e.button.y);
    if (tile_h_ > 0 && my >= y_ && my < y_ + tile_h_) {
        const float total = static_cast<float>(n) * tile_w_ + static_cast<float>(n - 1) * 30;
        for (int i = 0; i < n; ++i) {
            const float x = (W - total) / 2 + static_cast<float>(i) * (tile_w_ + 30);
            if (mx >= x && mx < x + tile_w_) {
                confirmed_ = value_ == i;
                value_ = i;
                return true;
            }
        }
    }
    return false;
}

void ChoiceRow::draw(Gfx& gfx, float y, float tile_w, float tile_h) {
    ++gfx.frame_input().scan_rows;
    y_ = y;
    tile_w_ = tile_w;
    tile_h_ = tile_h;
    const int n = static_cast<int>(labels_.size());
    const float total = static_cast<float>(n) * tile_w + static_cast<float>(n - 1) * 30;
    for (int i = 0; i < n; ++i) {
        const float x = (W - total) / 2 + static_cast<float>(i) * (tile_w + 30);
        draw_card(gfx, x, y, tile_w, tile_h, i == value_);
        // Centred whatever the text size: measure the wrapped height first (drawn off-screen).
        const auto& label = labels_[static_cast<std::size_t>(i)];
        const float line_h = static_cast<float>(gfx.font_px(FontSize::Body)) * 1.35f;
        const float words_w = static_cast<float>(gfx.measure(label, FontSize::Body).x);
        const float lines = words_w <= tile_w - 30 ? 1.0f : 2.0f;
        gfx.paragraph(label, x + tile_w / 2, y + (tile_h - lines * line_h) / 2 + 2, tile_w - 30,
                      FontSize::Body, palette::ink, Align::Center);
    }
}

namespace {
constexpr float kFace = 150, kFaceGap = 26;
float face_x(int i) {
    return (W - (6 * kFace + 5 * kFaceGap)) / 2 + static_cast<float>(i) * (kFace + kFaceGap);
}
} // namespace

void draw_face(Gfx& gfx, int level, float cx, float cy, float r) {
    const float t = static_cast<float>(level) / 5.0f;
    // One calm skin-neutral colour for every face: the drawing, not the colour, carries the
    // meaning.
    gfx.circle(cx, cy, r, Color::hex(0xF3D9B1));
    gfx.arc(cx, cy, r, 3, 0, 6.2832f, palette::ink_soft);
    const Color ink = palette::ink;
    const float ex = r * 0.36f, ey = cy - r * 0.12f;
    // Eyes: round dots that narrow to lines as it hurts more.
    for (float side : {-1.0f, 1.0f}) {
        const float x = cx + side * ex;
        if (level <= 2) {
            gfx.circle(x, ey, r * (0.10f - 0.015f * static_cast<float>(level)), ink);
        } else {
            gfx.line(x - r * 0.13f, ey, x + r * 0.13f, ey, r * 0.06f, ink);
        }
        // Brows tilt inward and down with pain.
        const float inner = ey - r * (0.30f - 0.14f * t), outer = ey - r * 0.30f;
        gfx.line(x - side * r * 0.16f, inner, x + side * r * 0.16f, outer, r * 0.05f, ink);
    }
    // Mouth: level and wide when calm, shorter and pulled down as it hurts more. Never a smile.
    const float my = cy + r * 0.42f, half = r * (0.32f - 0.10f * t), drop = r * 0.18f * t;
    gfx.line(cx - half, my + drop, cx, my, r * 0.06f, ink);
    gfx.line(cx, my, cx + half, my + drop, r * 0.06f, ink);
}

bool FacesRow::handle(const SDL_Event& e) {
    if (e.type == SDL_KEYDOWN) {
        const SDL_Keycode k = e.key.keysym.sym;
        if (k == SDLK_LEFT && index_ > 0) {
            --index_;
        } else if (k == SDLK_RIGHT && index_ < 5) {
            ++index_;
        } else if (k >= SDLK_0 && k <= SDLK_9) {
            const int digit = k - SDLK_0;
            if (pending_one_ && digit == 0) {
                index_ = 5;
            } else if (digit % 2 == 0) {
                index_ = digit / 2;
            }
            pending_one_ = digit == 1;
            return true;
        } else if (is_confirm(e) && index_ >= 0) {
            confirmed_ = true;
        } else {
            return false;
        }
        pending_one_ = false;
        return true;
    }
    if (is_scan_next(e)) {
        index_ = (index_ + 1) % 6;
        return true;
    }
    if (is_tap(e) && drawn_) {
        const auto my = static_cast<float>(e.button.y);
        if (my < y_ || my >= y_ + kFace + 46) {
            return false;
        }
        for (int i = 0; i < 6; ++i) {
            const auto mx = static_cast<float>(e.button.x);
            if (mx >= face_x(i) && mx < face_x(i) + kFace) {
                confirmed_ = index_ == i;
                index_ = i;
                return true;
            }
        }
    }
    return false;
}

void FacesRow::draw(Gfx& gfx, float y, const std::string& low_label,
                    const std::string& high_label) {
    y_ = y;
    drawn_ = true;
    ++gfx.frame_input().scan_rows;
    for (int i = 0; i < 6; ++i) {
        const float x = face_x(i);
        draw_card(gfx, x, y, kFace, kFace + 46, i == index_);
        draw_face(gfx, i, x + kFace / 2, y + kFace / 2 + 4, kFace * 0.38f);
        gfx.text(std::to_string(i * 2), x + kFace / 2, y + kFace + 2, FontSize::Body, palette::ink,
                 Align::Center, true);
    }
    gfx.text(low_label, face_x(0), y + kFace + 60, FontSize::Small, palette::ink_soft);
    gfx.text(high_label, face_x(5) + kFace, y + kFace + 60, FontSize::Small, palette::ink_soft,
             Align::Right);
}

} // namespace qv::game
