#pragma once
// Drawing on SDL's renderer at a fixed logical size (1280x720): shapes built from triangles
// (SDL_RenderGeometry), gradients, and cached text from SDL_ttf.

#include <SDL.h>
#include <SDL_ttf.h>
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>

namespace qv::game {

/// An RGBA colour.
struct Color {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
    /// From 0xRRGGBB.
    static constexpr Color hex(unsigned rgb, std::uint8_t alpha = 255) {
        return {static_cast<std::uint8_t>(rgb >> 16), static_cast<std::uint8_t>(rgb >> 8),
                static_cast<std::uint8_t>(rgb), alpha};
    }
    Color with_alpha(std::uint8_t alpha) const { return {r, g, b, alpha}; }
    /// Linear mix toward `o` by t (0..1).
    Color mix(Color o, double t) const;
};

/// The calm, bright palette every screen uses.
namespace palette {
inline constexpr Color ink = Color::hex(0x1D2B4F);      // main text
inline constexpr Color ink_soft = Color::hex(0x53627F); // secondary text
inline constexpr Color paper = Color::hex(0xFFFFFF);    // panels
inline constexpr Color sky_top = Color::hex(0x7FC4F2);
inline constexpr Color sky_bottom = Color::hex(0xDDF1FF);
inline constexpr Color accent = Color::hex(0x2A8C82); // teal: actions, success
inline constexpr Color accent_soft = Color::hex(0xCDEDE8);
inline constexpr Color warm = Color::hex(0xF29E4C); // orange: attention
inline constexpr Color gold = Color::hex(0xF5C542); // target band, stars
inline constexpr Color stop = Color::hex(0xC8553D); // pain stop (always with words)
inline constexpr Color grass = Color::hex(0x8CCB7A);
inline constexpr Color grass_dark = Color::hex(0x5FA65A);
} // namespace palette

/// Horizontal text alignment.
enum class Align { Left, Center, Right };

/// Font sizes the game uses.
enum class FontSize { Small = 20, Body = 26, Large = 36, Title = 52, Huge = 96 };

/// Owns the window's renderer helpers, the fonts and the text cache.
class Gfx {
  public:
    static constexpr int kWidth = 1280;
    static constexpr int kHeight = 720;

    Gfx(SDL_Renderer* renderer, const std::filesystem::path& regular_font,
        const std::filesystem::path& bold_font);
    ~Gfx();
    Gfx(const Gfx&) = delete;
    Gfx& operator=(const Gfx&) = delete;
    bool fonts_ok() const { return ok_; }

    SDL_Renderer* renderer() const { return renderer_; }
    /// Frees cached text not drawn for a while; call once per frame.
    void end_frame();

    void clear(Color c);
    void rect(float x, float y, float w, float h, Color c);
    void rounded_rect(float x, float y, float w, float h, float radius, Color c);
    void vertical_gradient(float x, float y, float w, float h, Color top, Color bottom);
    void circle(float cx, float cy, float r, Color c);
    /// A ring from angle a0 to a1 (radians, 0 = up, clockwise), thickness t.
    void arc(float cx, float cy, float r, float t, float a0, float a1, Color c);
    void triangle(float x0, float y0, float x1, float y1, float x2, float y2, Color c);
    void line(float x0, float y0, float x1, float y1, float thickness, Color c);
    /// A five-pointed star.
    void star(float cx, float cy, float r, Color c, float rotation = 0);

    /// Draws text with its top at y; returns its width.
    float text(const std::string& s, float x, float y, FontSize size, Color c,
               Align align = Align::Left, bool bold = false);
    /// Width and height of text without drawing.
    SDL_Point measure(const std::string& s, FontSize size, bool bold = false);
    /// Wraps text into `width` and draws it; returns the height used.
    float paragraph(const std::string& s, float x, float y, float width, FontSize size, Color c,
                    Align align = Align::Left);

    /// Writes the current render target to a PNG file.
    bool save_png(const std::filesystem::path& file);

  private:
    TTF_Font* font(FontSize size, bool bold);
    struct CachedText {
        SDL_Texture* texture = nullptr;
        int w = 0, h = 0;
        std::uint64_t last_used = 0;
    };
    SDL_Renderer* renderer_;
    std::unordered_map<int, TTF_Font*> fonts_;
    std::filesystem::path regular_, bold_;
    std::unordered_map<std::string, CachedText> cache_;
    std::uint64_t frame_ = 0;
    bool ok_ = true;
};

/// Finds DejaVu Sans (regular, bold): in the content dir's fonts/ first, then Debian's path.
std::pair<std::filesystem::path, std::filesystem::path>
find_fonts(const std::filesystem::path& content_dir);

} // namespace qv::game
