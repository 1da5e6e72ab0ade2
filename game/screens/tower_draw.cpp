#include "game/screens/tower_draw.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace qv::game {

namespace {
constexpr float W = Gfx::kWidth;
constexpr float H = Gfx::kHeight;
constexpr float kTau = 2.0f * std::numbers::pi_v<float>;
constexpr float kMastX = 160.0f; // centre of the crane's mast
constexpr float kMastHalf = 18.0f;
constexpr float kJibEnd = 650.0f;
constexpr float kSupplyX = 300.0f; // the pile of blocks waiting to be lifted

/// The look of the site: the game's colours, or the plain theme's in high contrast.
struct Look {
    Color sky_top, sky_bottom, ground, accent;
    bool plain;
};

Look look_of(const Gfx& gfx, const content::GameTheme* theme) {
    if (theme == nullptr || gfx.theme().high_contrast) {
        return {palette::sky_top, palette::sky_bottom, palette::grass_dark, palette::accent,
                gfx.theme().high_contrast};
    }
    return {Color::hex(theme->sky_top), Color::hex(theme->sky_bottom), Color::hex(theme->ground),
            Color::hex(theme->accent), false};
}

Color block_colour(int i) {
    static constexpr std::array<unsigned, TowerScene::kColours> kBlocks{0xD9643A, 0x2A9D8F,
                                                                        0x7E6BC4, 0x4F86E8};
    return Color::hex(
        kBlocks[static_cast<std::size_t>(std::clamp(i, 0, TowerScene::kColours - 1))]);
}

/// A block's own frame: local x to the right, local y up (as in the physics), in pixels.
struct Frame {
    float cx, cy, c, s;
    Frame(float x, float y, float angle) : cx(x), cy(y), c(std::cos(angle)), s(std::sin(angle)) {}
    SDL_FPoint at(float lx, float ly) const {
        return {cx + lx * c - ly * s, cy - (lx * s + ly * c)};
    }
    /// A rectangle given by two local corners.
    void rect(Gfx& gfx, float x0, float y0, float x1, float y1, Color col) const {
        const auto a = at(x0, y0), b = at(x1, y0), d = at(x1, y1), e = at(x0, y1);
        gfx.triangle(a.x, a.y, b.x, b.y, d.x, d.y, col);
        gfx.triangle(a.x, a.y, d.x, d.y, e.x, e.y, col);
    }
};

/// One storey of the tower: a coloured module with a roof edge and three windows.
void draw_block(Gfx& gfx, float x, float y, float angle, float w, float h, int colour,
                float scale = 1.0f, Color glass = Color::hex(0xFFF6E0)) {
    const Frame f(x, y, angle);
    const float hw = 0.5f * w * scale, hh = 0.5f * h * scale;
    const Color base = block_colour(colour);
    const Color dark = base.mix(Color::hex(0x1D2B4F), 0.45);
    f.rect(gfx, -hw, -hh, hw, hh, dark);
    f.rect(gfx, -hw + 2.5f * scale, -hh + 2.5f * scale, hw - 2.5f * scale, hh - 2.5f * scale, base);
    f.rect(gfx, -hw + 2.5f * scale, hh - 8 * scale, hw - 2.5f * scale, hh - 2.5f * scale,
           base.mix(Color::hex(0xFFFFFF), 0.35));
    for (int i = -1; i <= 1; ++i) {
        const float wx = static_cast<float>(i) * 0.3f * w * scale;
        const float ww = 6.5f * scale;
        f.rect(gfx, wx - ww - 1.5f * scale, -hh + 6 * scale, wx + ww + 1.5f * scale,
               hh - 10.5f * scale, dark);
        f.rect(gfx, wx - ww, -hh + 7.5f * scale, wx + ww, hh - 12 * scale, glass);
    }
}

void cloud(Gfx& gfx, float x, float y, float s, Color c) {
    gfx.circle(x, y, 22 * s, c);
    gfx.circle(x + 26 * s, y - 10 * s, 28 * s, c);
    gfx.circle(x + 56 * s, y, 20 * s, c);
    gfx.rounded_rect(x - 10 * s, y - 2 * s, 84 * s, 22 * s, 11 * s, c);
}

void draw_sky(Gfx& gfx, const Look& look, double t) {
    gfx.vertical_gradient(0, 0, W, H, look.sky_top, look.sky_bottom);
    if (look.plain) {
        return;
    }
    // A low evening sun and a town on the horizon, far behind the site.
    gfx.circle(1010, 500, 74, Color::hex(0xFFFFFF, 60));
    gfx.circle(1010, 500, 56, Color::hex(0xFFF4DC, 190));
    const Color town = look.sky_bottom.mix(look.sky_top, 0.45).mix(look.ground, 0.12);
    static constexpr std::array<float, 16> kHeights{70,  110, 55,  140, 90,  60, 125, 80,
                                                    150, 65,  100, 45,  120, 85, 60,  105};
    const float ground = TowerScene::ground_y_px();
    for (std::size_t i = 0; i < kHeights.size(); ++i) {
        const float x = static_cast<float>(i) * 82.0f - 12.0f;
        const float h = 0.6f * kHeights[i];
        gfx.rect(x, ground - h, 70, h, town);
    }
    const auto drift = static_cast<float>(t * 9.0);
    const Color c = Color::hex(0xFFFFFF, 150);
    cloud(gfx, std::fmod(700 + drift, W + 220) - 110, 210, 0.9f, c);
    cloud(gfx, std::fmod(160 + drift * 0.6f, W + 220) - 110, 300, 0.7f, c);
    cloud(gfx, std::fmod(1050 + drift * 1.3f, W + 220) - 110, 360, 0.6f, c);
}

void draw_band(Gfx& gfx, const TowerScene& scene, const TowerWorldView& v) {
    const float top = scene.y_for_pct(v.band_high_pct), bottom = scene.y_for_pct(v.band_low_pct);
    gfx.rect(0, top, W, bottom - top, Color::hex(v.in_band ? 0xFFE48A : 0xFFF3CC, 215));
    const Color edge = Color::hex(0xE0701E);
    const auto dash_off = static_cast<float>(std::fmod(v.t_s * 40.0, 40.0));
    for (float x = -dash_off; x < W; x += 40) {
        gfx.rect(x, top - 2, 24, 4, edge);
        gfx.rect(x, bottom - 2, 24, 4, edge);
    }
    gfx.text(v.band_label, 196, top + 8, FontSize::Small, palette::ink_soft, Align::Left, true);
}

void draw_ground(Gfx& gfx, const Look& look) {
    const float g = TowerScene::ground_y_px();
    gfx.rect(0, g, W, H - g, look.ground);
    gfx.rect(0, g, W, 6, look.ground.mix(Color::hex(0x1D2B4F), 0.3));
    if (look.plain) {
        return;
    }
    const Color speck = look.ground.mix(Color::hex(0xFFFFFF), 0.25);
    for (int i = 0; i < 40; ++i) {
        const auto x = static_cast<float>((i * 337) % 1280);
        const auto y = g + 14 + static_cast<float>((i * 53) % 60);
        gfx.rounded_rect(x, y, 10, 4, 2, speck);
    }
    // The tower sites: concrete foundations.
    for (int i = 0; i < TowerScene::kTowers; ++i) {
        const float x = TowerScene::tower_x_px(i);
        gfx.rect(x - 60, g - 6, 120, 10, Color::hex(0xA7A39B));
        gfx.rect(x - 60, g + 2, 120, 3, Color::hex(0x77736B));
    }
}

void draw_crane(Gfx& gfx, const TowerScene& scene, const Look& look) {
    const float g = TowerScene::ground_y_px(), jib = TowerScene::jib_y_px();
    const Color steel = look.accent, shade = look.accent.mix(Color::hex(0x1D2B4F), 0.35);
    // Foundation and mast (a lattice of two chords and diagonals).
    gfx.rect(kMastX - 44, g - 22, 88, 24, Color::hex(0x9C978E));
    const float l = kMastX - kMastHalf, r = kMastX + kMastHalf;
    for (float y = g - 22; y > jib; y -= 2 * kMastHalf) {
        gfx.line(l, y, r, y - kMastHalf, 3, shade);
        gfx.line(r, y - kMastHalf, l, y - 2 * kMastHalf, 3, shade);
        gfx.line(l, y, r, y, 3, shade);
    }
    gfx.line(l, g - 22, l, 0, 6, steel);
    gfx.line(r, g - 22, r, 0, 6, steel);
    // Jib across the top with its counterweight behind the mast.
    const float top = jib - 20;
    for (float x = 20; x < kJibEnd; x += 24) {
        gfx.line(x, jib, x + 12, top, 2.5f, shade);
        gfx.line(x + 12, top, x + 24, jib, 2.5f, shade);
    }
    gfx.line(20, top, kJibEnd, top, 4, steel);
    gfx.line(20, jib, kJibEnd + 6, jib, 5, steel);
    gfx.rect(30, jib, 70, 46, Color::hex(0x6E6A63));
    // Trolley, hoist cable, hook block and hook.
    const float hx = scene.hook_x_px(), hy = scene.hook_y_px();
    gfx.rounded_rect(hx - 18, jib + 1, 36, 12, 3, Color::hex(0x3B3F48));
    const Color rope = Color::hex(0x2E3138);
    gfx.line(hx - 6, jib + 12, hx - 6, hy - 26, 2, rope);
    gfx.line(hx + 6, jib + 12, hx + 6, hy - 26, 2, rope);
    gfx.rounded_rect(hx - 15, hy - 30, 30, 22, 5, Color::hex(0xF2B134));
    gfx.rect(hx - 15, hy - 22, 30, 5, Color::hex(0x2E3138));
    gfx.circle(hx, hy - 30, 6, Color::hex(0x2E3138));
    gfx.arc(hx, hy - 2, 7, 3.5f, 0.5f * std::numbers::pi_v<float>,
            1.75f * std::numbers::pi_v<float>, rope);
}

void draw_supply(Gfx& gfx) {
    const float g = TowerScene::ground_y_px();
    const float w = TowerScene::kBlockW * TowerScene::kPixelsPerMeter,
                h = TowerScene::kBlockH * TowerScene::kPixelsPerMeter;
    gfx.rect(kSupplyX - w / 2 - 4, g - 10, w + 8, 10, Color::hex(0xB7874E));
    gfx.rect(kSupplyX - w / 2 + 2, g - 4, 10, 4, Color::hex(0x7A5830));
    gfx.rect(kSupplyX + w / 2 - 12, g - 4, 10, 4, Color::hex(0x7A5830));
    draw_block(gfx, kSupplyX, g - 10 - h / 2, 0, w, h, 2);
    draw_block(gfx, kSupplyX + 3, g - 10 - 1.5f * h, 0, w, h, 0);
}

void draw_load(Gfx& gfx, const TowerScene& scene, const TowerWorldView& v) {
    const float hx = scene.hook_x_px(), hy = scene.hook_y_px();
    if (!scene.has_load()) {
        return;
    }
    const TowerBlock b = scene.load();
    // It pops onto the hook with a little overshoot.
    const float u = std::clamp(b.age_s / 0.3f, 0.0f, 1.0f);
    const float scale = 1.0f + 1.7f * std::pow(u - 1.0f, 3.0f) + 0.7f * std::pow(u - 1.0f, 2.0f);
    if (v.in_band) {
        const auto pulse = static_cast<float>(0.5 + 0.5 * std::sin(v.t_s * 6));
        gfx.circle(b.x_px, b.y_px, 74 + 6 * pulse, palette::gold.with_alpha(90));
    }
    const Frame f(b.x_px, b.y_px, b.angle);
    const auto left = f.at(-0.5f * b.w_px * scale + 6, 0.5f * b.h_px * scale),
               right = f.at(0.5f * b.w_px * scale - 6, 0.5f * b.h_px * scale);
    const Color rope = Color::hex(0x2E3138);
    gfx.line(hx, hy, left.x, left.y, 2, rope);
    gfx.line(hx, hy, right.x, right.y, 2, rope);
    draw_block(gfx, b.x_px, b.y_px, b.angle, b.w_px, b.h_px, b.colour, std::max(0.05f, scale));
    if (v.holding) {
        gfx.arc(b.x_px, b.y_px, 66, 10, 0, kTau, palette::paper.with_alpha(150));
        gfx.arc(b.x_px, b.y_px, 66, 10, 0, kTau * static_cast<float>(v.hold_progress),
                palette::accent);
    }
}

/// A dashed outline where the next block will stand: the goal of every hold.
void draw_next_slot(Gfx& gfx, const TowerScene& scene, double t) {
    const TowerBlock b = scene.next_slot();
    const auto a = static_cast<std::uint8_t>(110 + 60 * std::sin(t * 3));
    const Color c = Color::hex(0xFFFFFF, a);
    const float x0 = b.x_px - b.w_px / 2, x1 = b.x_px + b.w_px / 2;
    const float y0 = b.y_px - b.h_px / 2, y1 = b.y_px + b.h_px / 2;
    for (float x = x0; x < x1; x += 12) {
        gfx.rect(x, y0, std::min(7.0f, x1 - x), 3, c);
        gfx.rect(x, y1 - 3, std::min(7.0f, x1 - x), 3, c);
    }
    for (float y = y0; y < y1; y += 12) {
        gfx.rect(x0, y, 3, std::min(7.0f, y1 - y), c);
        gfx.rect(x1 - 3, y, 3, std::min(7.0f, y1 - y), c);
    }
}

void draw_landings(Gfx& gfx, const TowerScene& scene, const Look& look) {
    for (const auto& l : scene.landings()) {
        const float a = l.age_s;
        const float out = 1.0f - std::pow(1.0f - std::min(1.0f, a / 0.9f), 3.0f);
        const auto fade = static_cast<std::uint8_t>(255 * std::clamp(1.6f - a, 0.0f, 1.0f));
        // Dust puffs at the block's feet, then stars fanning up and out.
        const auto dust = static_cast<std::uint8_t>(160 * std::clamp(1.0f - a / 0.7f, 0.0f, 1.0f));
        for (int s = -1; s <= 1; s += 2) {
            gfx.circle(l.x_px + static_cast<float>(s) * (30 + 40 * out), l.y_px - 6 - 8 * out,
                       8 + 10 * out, Color::hex(0xFFFFFF, dust));
        }
        for (int i = 0; i < 7; ++i) {
            const float ang = -0.5f * std::numbers::pi_v<float> +
                              (static_cast<float>(i) - 3.0f) * 0.42f; // an upward fan
            const float r = 24 + 70 * out;
            const float x = l.x_px + r * std::cos(ang), y = l.y_px - 10 + r * std::sin(ang);
            const Color c =
                (i % 2 == 0 ? palette::gold : look.accent.mix(palette::gold, 0.3)).with_alpha(fade);
            gfx.star(x, y, 12 - 4 * out, c, a * 3 + static_cast<float>(i));
        }
    }
}
} // namespace

void draw_tower_world(Gfx& gfx, const TowerScene& scene, const TowerWorldView& view) {
    const Look look = look_of(gfx, view.theme);
    draw_sky(gfx, look, view.t_s);
    draw_band(gfx, scene, view);
    draw_ground(gfx, look);
    draw_crane(gfx, scene, look);
    if (!look.plain) {
        draw_supply(gfx);
    }
    const Color glass = look.sky_bottom.mix(Color::hex(0xFFFFFF), 0.4);
    for (const auto& b : scene.blocks()) {
        draw_block(gfx, b.x_px, b.y_px, b.angle, b.w_px, b.h_px, b.colour, 1.0f, glass);
    }
    const bool settled = std::all_of(scene.blocks().begin(), scene.blocks().end(),
                                     [](const TowerBlock& b) { return b.landed; });
    if (!look.plain && settled) {
        draw_next_slot(gfx, scene, view.t_s);
    }
    draw_landings(gfx, scene, look);
    draw_load(gfx, scene, view);
}

} // namespace qv::game
