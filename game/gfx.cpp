#include "game/gfx.hpp"

#include "core/log.hpp"

#include <SDL_image.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <numbers>
#include <sstream>
#include <vector>

namespace qv::game {

namespace {
constexpr float kPi = std::numbers::pi_v<float>;

SDL_Color sdl(Color c) {
    return SDL_Color{c.r, c.g, c.b, c.a};
}

SDL_Vertex vert(float x, float y, Color c) {
    return SDL_Vertex{SDL_FPoint{x, y}, sdl(c), SDL_FPoint{0, 0}};
}

std::uint8_t lerp8(std::uint8_t a, std::uint8_t b, double t) {
    return static_cast<std::uint8_t>(std::lround(a + (b - a) * std::clamp(t, 0.0, 1.0)));
}
} // namespace

Color Color::mix(Color o, double t) const {
    return {lerp8(r, o.r, t), lerp8(g, o.g, t), lerp8(b, o.b, t), lerp8(a, o.a, t)};
}

Gfx::Gfx(SDL_Renderer* renderer, const std::filesystem::path& regular_font,
         const std::filesystem::path& bold_font)
    : renderer_(renderer), regular_(regular_font), bold_(bold_font) {
    SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_BLEND);
    ok_ = font(FontSize::Body, false) != nullptr && font(FontSize::Body, true) != nullptr;
}

Gfx::~Gfx() {
    for (auto& [key, entry] : cache_) {
        SDL_DestroyTexture(entry.texture);
    }
    for (auto& [key, entry] : gradients_) {
        SDL_DestroyTexture(entry.texture);
    }
    for (auto& [key, f] : fonts_) {
        TTF_CloseFont(f);
    }
}

void Gfx::set_theme(const Theme& theme) {
    detail::current_theme = theme;
}

void Gfx::set_text_scale(float scale) {
    text_scale_ = std::clamp(scale, 0.5f, 2.0f);
}

int Gfx::font_px(FontSize size) const {
    const auto px = static_cast<float>(static_cast<int>(size));
    // The big sizes grow less: a title at 1.3 times would no longer fit its line.
    const float grow = px >= 50 ? 1.0f + (text_scale_ - 1.0f) * 0.35f : text_scale_;
    return static_cast<int>(std::lround(px * grow));
}

TTF_Font* Gfx::font(FontSize size, bool bold) {
    const int px = font_px(size);
    const int key = px * 2 + (bold ? 1 : 0);
    if (auto it = fonts_.find(key); it != fonts_.end()) {
        return it->second;
    }
    TTF_Font* f = TTF_OpenFont((bold ? bold_ : regular_).c_str(), px);
    if (f == nullptr) {
        log::get("game")->error("cannot open font {}: {}", (bold ? bold_ : regular_).string(),
                                TTF_GetError());
    }
    fonts_[key] = f;
    return f;
}

void Gfx::end_frame() {
    shown_ = std::move(building_);
    building_ = FrameInput{};
    ++frame_;
    if (frame_ % 60 != 0) {
        return;
    }
    const auto evict = [this](auto& cache) {
        for (auto it = cache.begin(); it != cache.end();) {
            if (frame_ - it->second.last_used > 120) {
                SDL_DestroyTexture(it->second.texture);
                it = cache.erase(it);
            } else {
                ++it;
            }
        }
    };
    evict(cache_);
    evict(gradients_);
}

void Gfx::use_color(Color c) {
    SDL_SetRenderDrawColor(renderer_, c.r, c.g, c.b, c.a);
    const SDL_BlendMode mode = c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND;
    SDL_BlendMode now = SDL_BLENDMODE_INVALID;
    if (SDL_GetRenderDrawBlendMode(renderer_, &now) != 0 || now != mode) {
        SDL_SetRenderDrawBlendMode(renderer_, mode);
    }
}

void Gfx::clear(Color c) {
    SDL_SetRenderDrawColor(renderer_, c.r, c.g, c.b, c.a);
    SDL_RenderClear(renderer_);
}

void Gfx::rect(float x, float y, float w, float h, Color c) {
    use_color(c);
    const SDL_FRect r{x, y, w, h};
    SDL_RenderFillRectF(renderer_, &r);
}

void Gfx::gradient_geometry(float x, float y, float w, float h, Color top, Color bottom) {
    use_color(top.a == 255 && bottom.a == 255 ? top : top.with_alpha(0));
    const std::array<SDL_Vertex, 4> v{vert(x, y, top), vert(x + w, y, top),
                                      vert(x + w, y + h, bottom), vert(x, y + h, bottom)};
    const std::array<int, 6> idx{0, 1, 2, 0, 2, 3};
    SDL_RenderGeometry(renderer_, nullptr, v.data(), 4, idx.data(), 6);
}

void Gfx::vertical_gradient(float x, float y, float w, float h, Color top, Color bottom) {
    // Whole pixels only, opaque colours, and a renderer that can draw into textures: cached.
    const bool whole = x == std::floor(x) && y == std::floor(y) && w == std::floor(w) &&
                       h == std::floor(h) && w >= 1 && h >= 1;
    if (!whole || top.a != 255 || bottom.a != 255 ||
        SDL_RenderTargetSupported(renderer_) != SDL_TRUE) {
        gradient_geometry(x, y, w, h, top, bottom);
        return;
    }
    const std::string key = fmt::format("{}x{}:{:02x}{:02x}{:02x}-{:02x}{:02x}{:02x}", w, h, top.r,
                                        top.g, top.b, bottom.r, bottom.g, bottom.b);
    auto it = gradients_.find(key);
    if (it == gradients_.end()) {
        const int tw = static_cast<int>(w), th = static_cast<int>(h);
        SDL_Texture* texture = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888,
                                                 SDL_TEXTUREACCESS_TARGET, tw, th);
        SDL_Texture* previous = SDL_GetRenderTarget(renderer_);
        if (texture == nullptr || SDL_SetRenderTarget(renderer_, texture) != 0) {
            SDL_DestroyTexture(texture);
            gradient_geometry(x, y, w, h, top, bottom);
            return;
        }
        // The very triangles drawn at the origin of a transparent texture: the same pixels.
        SDL_SetRenderDrawColor(renderer_, 0, 0, 0, 0);
        SDL_RenderClear(renderer_);
        gradient_geometry(0, 0, w, h, top, bottom);
        std::vector<std::uint32_t> pixels(static_cast<std::size_t>(tw) *
                                          static_cast<std::size_t>(th));
        const bool read = SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ARGB8888,
                                               pixels.data(), tw * 4) == 0;
        SDL_SetRenderTarget(renderer_, previous);
        CachedGradient entry;
        entry.texture = texture;
        entry.opaque = read && std::all_of(pixels.begin(), pixels.end(),
                                           [](std::uint32_t p) { return (p >> 24) == 0xFF; });
        SDL_SetTextureBlendMode(texture, entry.opaque ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
        // Opaque: keep it in the window's own pixel format, so each frame's copy is a plain
        // copy of rows rather than a conversion (the pixels converted once, the same way).
        SDL_Window* window = SDL_RenderGetWindow(renderer_);
        const Uint32 format =
            window != nullptr ? SDL_GetWindowPixelFormat(window) : Uint32{SDL_PIXELFORMAT_UNKNOWN};
        if (entry.opaque && format != SDL_PIXELFORMAT_UNKNOWN &&
            format != SDL_PIXELFORMAT_ARGB8888 && SDL_ISPIXELFORMAT_ALPHA(format) == SDL_FALSE) {
            SDL_Texture* native =
                SDL_CreateTexture(renderer_, format, SDL_TEXTUREACCESS_TARGET, tw, th);
            if (native != nullptr && SDL_SetRenderTarget(renderer_, native) == 0) {
                SDL_RenderCopy(renderer_, texture, nullptr, nullptr);
                SDL_SetRenderTarget(renderer_, previous);
                SDL_SetTextureBlendMode(native, SDL_BLENDMODE_NONE);
                SDL_DestroyTexture(texture);
                entry.texture = native;
            } else {
                SDL_DestroyTexture(native);
            }
        }
        it = gradients_.emplace(key, entry).first;
    }
    it->second.last_used = frame_;
    const SDL_FRect dst{x, y, w, h};
    SDL_RenderCopyF(renderer_, it->second.texture, nullptr, &dst);
}

void Gfx::circle(float cx, float cy, float r, Color c) {
    use_color(c);
    const int n = std::clamp(static_cast<int>(r * 0.8f), 16, 96);
    std::vector<SDL_Vertex> v;
    std::vector<int> idx;
    v.reserve(static_cast<std::size_t>(n) + 1);
    v.push_back(vert(cx, cy, c));
    for (int i = 0; i < n; ++i) {
        const float a = 2 * kPi * static_cast<float>(i) / static_cast<float>(n);
        v.push_back(vert(cx + r * std::cos(a), cy + r * std::sin(a), c));
        idx.insert(idx.end(), {0, 1 + i, 1 + (i + 1) % n});
    }
    SDL_RenderGeometry(renderer_, nullptr, v.data(), static_cast<int>(v.size()), idx.data(),
                       static_cast<int>(idx.size()));
}

void Gfx::arc(float cx, float cy, float r, float t, float a0, float a1, Color c) {
    if (a1 <= a0) {
        return;
    }
    use_color(c);
    const int n = std::max(4, static_cast<int>((a1 - a0) * r / 6.0f));
    std::vector<SDL_Vertex> v;
    std::vector<int> idx;
    for (int i = 0; i <= n; ++i) {
        const float a = a0 + (a1 - a0) * static_cast<float>(i) / static_cast<float>(n);
        const float s = std::sin(a), co = -std::cos(a);
        v.push_back(vert(cx + (r - t / 2) * s, cy + (r - t / 2) * co, c));
        v.push_back(vert(cx + (r + t / 2) * s, cy + (r + t / 2) * co, c));
        if (i > 0) {
            const int b = 2 * i;
            idx.insert(idx.end(), {b - 2, b - 1, b, b - 1, b + 1, b});
        }
    }
    SDL_RenderGeometry(renderer_, nullptr, v.data(), static_cast<int>(v.size()), idx.data(),
                       static_cast<int>(idx.size()));
}

void Gfx::rounded_rect(float x, float y, float w, float h, float radius, Color c) {
    radius = std::min({radius, w / 2, h / 2});
    rect(x + radius, y, w - 2 * radius, h, c);
    rect(x, y + radius, radius, h - 2 * radius, c);
    rect(x + w - radius, y + radius, radius, h - 2 * radius, c);
    // Quarter circles in the corners.
    const std::array<std::array<float, 3>, 4> corners{{{x + radius, y + radius, kPi},
                                                       {x + w - radius, y + radius, 1.5f * kPi},
                                                       {x + w - radius, y + h - radius, 0},
                                                       {x + radius, y + h - radius, 0.5f * kPi}}};
    const int n = 10;
    use_color(c);
    for (const auto& [cx, cy, start] : corners) {
        std::vector<SDL_Vertex> v{vert(cx, cy, c)};
        std::vector<int> idx;
        for (int i = 0; i <= n; ++i) {
            const float a = start + 0.5f * kPi * static_cast<float>(i) / n;
            v.push_back(vert(cx + radius * std::cos(a), cy + radius * std::sin(a), c));
            if (i > 0) {
                idx.insert(idx.end(), {0, i, i + 1});
            }
        }
        SDL_RenderGeometry(renderer_, nullptr, v.data(), static_cast<int>(v.size()), idx.data(),
                           static_cast<int>(idx.size()));
    }
}

void Gfx::rounded_rect_around(float x, float y, float w, float h, float radius, Color c,
                              const SDL_Rect& hole) {
    if (hole.w <= 0 || hole.h <= 0) {
        rounded_rect(x, y, w, h, radius, c);
        return;
    }
    // Clipping drops pixels without moving any edge: four bands around the hole, each drawing
    // the whole shape clipped to it.
    const int left = static_cast<int>(std::floor(x)) - 1, top = static_cast<int>(std::floor(y)) - 1;
    const int right = static_cast<int>(std::ceil(x + w)) + 1;
    const int bottom = static_cast<int>(std::ceil(y + h)) + 1;
    const std::array<SDL_Rect, 4> bands{{
        {left, top, right - left, hole.y - top},                           // above
        {left, hole.y + hole.h, right - left, bottom - (hole.y + hole.h)}, // below
        {left, hole.y, hole.x - left, hole.h},                             // left of it
        {hole.x + hole.w, hole.y, right - (hole.x + hole.w), hole.h},      // right of it
    }};
    for (const SDL_Rect& band : bands) {
        if (band.w > 0 && band.h > 0) {
            SDL_RenderSetClipRect(renderer_, &band);
            rounded_rect(x, y, w, h, radius, c);
        }
    }
    SDL_RenderSetClipRect(renderer_, nullptr);
}

void Gfx::triangle(float x0, float y0, float x1, float y1, float x2, float y2, Color c) {
    use_color(c);
    const std::array<SDL_Vertex, 3> v{vert(x0, y0, c), vert(x1, y1, c), vert(x2, y2, c)};
    SDL_RenderGeometry(renderer_, nullptr, v.data(), 3, nullptr, 0);
}

void Gfx::line(float x0, float y0, float x1, float y1, float thickness, Color c) {
    use_color(c);
    const float dx = x1 - x0, dy = y1 - y0;
    const float len = std::max(1e-3f, std::sqrt(dx * dx + dy * dy));
    const float nx = -dy / len * thickness / 2, ny = dx / len * thickness / 2;
    const std::array<SDL_Vertex, 4> v{vert(x0 + nx, y0 + ny, c), vert(x1 + nx, y1 + ny, c),
                                      vert(x1 - nx, y1 - ny, c), vert(x0 - nx, y0 - ny, c)};
    const std::array<int, 6> idx{0, 1, 2, 0, 2, 3};
    SDL_RenderGeometry(renderer_, nullptr, v.data(), 4, idx.data(), 6);
}

void Gfx::star(float cx, float cy, float r, Color c, float rotation) {
    use_color(c);
    std::array<SDL_Vertex, 11> v{};
    v[0] = vert(cx, cy, c);
    for (int i = 0; i < 10; ++i) {
        const float rr = (i % 2 == 0) ? r : r * 0.45f;
        const float a = rotation + kPi * static_cast<float>(i) / 5.0f;
        v[static_cast<std::size_t>(i) + 1] = vert(cx + rr * std::sin(a), cy - rr * std::cos(a), c);
    }
    std::array<int, 30> idx{};
    for (int i = 0; i < 10; ++i) {
        idx[static_cast<std::size_t>(i) * 3] = 0;
        idx[static_cast<std::size_t>(i) * 3 + 1] = 1 + i;
        idx[static_cast<std::size_t>(i) * 3 + 2] = 1 + (i + 1) % 10;
    }
    SDL_RenderGeometry(renderer_, nullptr, v.data(), 11, idx.data(), 30);
}

float Gfx::text(const std::string& s, float x, float y, FontSize size, Color c, Align align,
                bool bold) {
    if (s.empty()) {
        return 0;
    }
    if (text_observer_) {
        text_observer_(s);
    }
    std::ostringstream key;
    key << font_px(size) << (bold ? 'b' : 'r') << '#' << unsigned(c.r) << ',' << unsigned(c.g)
        << ',' << unsigned(c.b) << '#' << s;
    auto it = cache_.find(key.str());
    if (it == cache_.end()) {
        TTF_Font* f = font(size, bold);
        if (f == nullptr) {
            return 0;
        }
        SDL_Surface* surface = TTF_RenderUTF8_Blended(f, s.c_str(), SDL_Color{c.r, c.g, c.b, 255});
        if (surface == nullptr) {
            return 0;
        }
        CachedText entry;
        entry.texture = SDL_CreateTextureFromSurface(renderer_, surface);
        entry.w = surface->w;
        entry.h = surface->h;
        SDL_FreeSurface(surface);
        it = cache_.emplace(key.str(), entry).first;
    }
    it->second.last_used = frame_;
    SDL_SetTextureAlphaMod(it->second.texture, c.a);
    const auto w = static_cast<float>(it->second.w);
    float left = x;
    if (align == Align::Center) {
        left = x - w / 2;
    } else if (align == Align::Right) {
        left = x - w;
    }
    const SDL_FRect dst{std::round(left), std::round(y), w, static_cast<float>(it->second.h)};
    SDL_RenderCopyF(renderer_, it->second.texture, nullptr, &dst);
    return w;
}

SDL_Point Gfx::measure(const std::string& s, FontSize size, bool bold) {
    SDL_Point p{0, 0};
    if (TTF_Font* f = font(size, bold); f != nullptr) {
        TTF_SizeUTF8(f, s.c_str(), &p.x, &p.y);
    }
    return p;
}

float Gfx::paragraph(const std::string& s, float x, float y, float width, FontSize size, Color c,
                     Align align) {
    std::istringstream words(s);
    std::string word, line_text;
    const float line_h = static_cast<float>(font_px(size)) * 1.35f;
    float used = 0;
    auto flush = [&] {
        if (!line_text.empty()) {
            text(line_text, x, y + used, size, c, align);
            used += line_h;
            line_text.clear();
        }
    };
    while (words >> word) {
        const std::string candidate = line_text.empty() ? word : line_text + " " + word;
        if (static_cast<float>(measure(candidate, size).x) > width && !line_text.empty()) {
            flush();
            line_text = word;
        } else {
            line_text = candidate;
        }
    }
    flush();
    return used;
}

bool Gfx::save_png(const std::filesystem::path& file) {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (surface == nullptr) {
        return false;
    }
    bool ok = SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ARGB8888, surface->pixels,
                                   surface->pitch) == 0 &&
              IMG_SavePNG(surface, file.c_str()) == 0;
    if (!ok) {
        log::get("game")->error("cannot write screenshot {}: {}", file.string(), SDL_GetError());
    }
    SDL_FreeSurface(surface);
    return ok;
}

std::pair<std::filesystem::path, std::filesystem::path>
find_fonts(const std::filesystem::path& content_dir) {
    namespace fs = std::filesystem;
    const std::array<fs::path, 2> dirs{content_dir / "fonts", "/usr/share/fonts/truetype/dejavu"};
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (fs::exists(dir / "DejaVuSans.ttf", ec) && fs::exists(dir / "DejaVuSans-Bold.ttf", ec)) {
            return {dir / "DejaVuSans.ttf", dir / "DejaVuSans-Bold.ttf"};
        }
    }
    return {dirs[1] / "DejaVuSans.ttf", dirs[1] / "DejaVuSans-Bold.ttf"};
}

} // namespace qv::game
