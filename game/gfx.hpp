#pragma once
// Drawing on SDL's renderer at a fixed logical size (1280x720): shapes built from triangles
// (SDL_RenderGeometry), gradients, and cached text from SDL_ttf.

#include <SDL.h>
#include <SDL_ttf.h>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

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

/// The colours of one look of the game. No meaning is carried by red versus green alone: the
/// pain stop (`stop`) always comes with words, and success/failure marks differ in shape too.
struct Theme {
    Color ink;         ///< main text
    Color ink_soft;    ///< secondary text
    Color paper;       ///< panels
    Color sky_top;     ///< backdrop gradient, top
    Color sky_bottom;  ///< backdrop gradient, bottom
    Color accent;      ///< actions, success, the highlight around a chosen card
    Color accent_soft; ///< light fills behind accent things
    Color warm;        ///< attention (banners, the chosen rating tile)
    Color gold;        ///< target band, stars
    Color stop;        ///< pain stop and errors (always with words)
    Color grass;       ///< hills of the backdrop
    Color grass_dark;
    Color outline;      ///< card outlines (only drawn when outline_px > 0)
    float outline_px;   ///< 0 in the normal theme; thick outlines in high contrast
    bool high_contrast; ///< backdrops drop their decoration (clouds, hills)
};

/// The themes the settings offer.
namespace themes {
/// The calm, bright default. Blue-teal, orange and gold: distinguishable with the common
/// colour-vision deficiencies; the red `stop` is never the only sign of anything.
inline constexpr Theme normal{Color::hex(0x1D2B4F),
                              Color::hex(0x53627F),
                              Color::hex(0xFFFFFF),
                              Color::hex(0x7FC4F2),
                              Color::hex(0xDDF1FF),
                              Color::hex(0x2A8C82),
                              Color::hex(0xCDEDE8),
                              Color::hex(0xF29E4C),
                              Color::hex(0xF5C542),
                              Color::hex(0xC8553D),
                              Color::hex(0x8CCB7A),
                              Color::hex(0x5FA65A),
                              Color::hex(0x1D2B4F),
                              0.0f,
                              false};
/// Black on white with thick outlines (contrast of text at least 15:1).
inline constexpr Theme high_contrast{Color::hex(0x000000),
                                     Color::hex(0x1F1F1F),
                                     Color::hex(0xFFFFFF),
                                     Color::hex(0xFFFFFF),
                                     Color::hex(0xF2F2F2),
                                     Color::hex(0x004C99),
                                     Color::hex(0xD6E6F5),
                                     Color::hex(0xB35900),
                                     Color::hex(0xE0A800),
                                     Color::hex(0xA30000),
                                     Color::hex(0xD9D9D9),
                                     Color::hex(0x8C8C8C),
                                     Color::hex(0x000000),
                                     3.0f,
                                     true};
} // namespace themes

namespace detail {
/// The theme in use. One per program, like the window: set only through Gfx::set_theme().
inline Theme current_theme = themes::normal;
} // namespace detail

/// The palette every screen uses: references to the current theme, so a theme change (settings)
/// shows on the next frame without any screen knowing about themes.
namespace palette {
inline const Color& ink = detail::current_theme.ink;
inline const Color& ink_soft = detail::current_theme.ink_soft;
inline const Color& paper = detail::current_theme.paper;
inline const Color& sky_top = detail::current_theme.sky_top;
inline const Color& sky_bottom = detail::current_theme.sky_bottom;
inline const Color& accent = detail::current_theme.accent;
inline const Color& accent_soft = detail::current_theme.accent_soft;
inline const Color& warm = detail::current_theme.warm;
inline const Color& gold = detail::current_theme.gold;
inline const Color& stop = detail::current_theme.stop;
inline const Color& grass = detail::current_theme.grass;
inline const Color& grass_dark = detail::current_theme.grass_dark;
} // namespace palette

/// Horizontal text alignment.
enum class Align { Left, Center, Right };

/// Font sizes the game uses (pixels at normal text size; large text scales them).
enum class FontSize { Small = 20, Body = 26, Large = 36, Title = 52, Huge = 96 };

/// A rectangle in logical pixels that a tap can hit.
struct TapArea {
    float x = 0, y = 0, w = 0, h = 0;
    bool contains(float px, float py) const {
        return px >= x && px < x + w && py >= y && py < y + h;
    }
};

/// One key of the hint bar as drawn in the last frame: where it is and which key it stands for.
struct HintButton {
    TapArea area;
    SDL_Keycode key = SDLK_UNKNOWN; ///< SDLK_UNKNOWN when the label names no single key
};

/// What the last drawn frame offered for input other than the keyboard (taps, one switch).
struct FrameInput {
    std::vector<HintButton> hints; ///< the hint bar, left to right
    int scan_rows = 0;             ///< choice/rating rows drawn (one-switch scanning targets)
};

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
    /// Ends a drawn frame: frees cached text not drawn for a while and keeps what the frame
    /// offered for taps and scanning (last_frame_input()); call once per drawn frame.
    void end_frame();

    void clear(Color c);
    void rect(float x, float y, float w, float h, Color c);
    void rounded_rect(float x, float y, float w, float h, float radius, Color c);
    /// The same pixels as rounded_rect() everywhere except inside `hole` (whole logical pixels),
    /// which is left as it was: for a shadow whose middle the caller then covers with something
    /// opaque, so the software renderer does not blend pixels that are painted over anyway.
    void rounded_rect_around(float x, float y, float w, float h, float radius, Color c,
                             const SDL_Rect& hole);
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
    /// Tests and tools: `observer` sees every string text() draws (paragraphs line by line),
    /// e.g. to check that no kiosk screen shows a name. Empty: none.
    void set_text_observer(std::function<void(const std::string&)> observer) {
        text_observer_ = std::move(observer);
    }
    /// Wraps text into `width` and draws it; returns the height used.
    float paragraph(const std::string& s, float x, float y, float width, FontSize size, Color c,
                    Align align = Align::Left);

    /// Writes the current render target to a PNG file.
    bool save_png(const std::filesystem::path& file);

    /// Switches the look (themes::normal, themes::high_contrast) for every screen at once.
    void set_theme(const Theme& theme);
    const Theme& theme() const { return detail::current_theme; }
    /// Large text: every FontSize is drawn this much bigger (1 = normal; the settings use 1.3,
    /// with the biggest sizes growing less so titles still fit).
    void set_text_scale(float scale);
    float text_scale() const { return text_scale_; }
    /// The pixel size FontSize `size` is drawn at now.
    int font_px(FontSize size) const;

    /// Taps and one-switch scanning: what the frame being drawn offers, filled by draw_hints()
    /// and the choice rows. end_frame() makes it last_frame_input(), which the InputMap reads.
    FrameInput& frame_input() { return building_; }
    /// What the last finished frame offered (read between frames).
    const FrameInput& last_frame_input() const { return shown_; }
    /// One-switch mode (settings): read by the InputMap, which then scans and maps the switch.
    void set_one_switch(bool on) { one_switch_ = on; }
    bool one_switch() const { return one_switch_; }
    /// The hint that one-switch scanning highlights (-1: none); draw_hints() draws it.
    void set_scan_hint(int index) { scan_hint_ = index; }
    int scan_hint() const { return scan_hint_; }

  private:
    TTF_Font* font(FontSize size, bool bold);
    /// Sets the draw colour and the blend mode it needs: none for an opaque colour (the same
    /// pixels, but SDL's software renderer then writes them directly instead of blending each one
    /// through a scratch surface), blending for a translucent one.
    void use_color(Color c);
    /// Draws the gradient's two triangles (what vertical_gradient draws when nothing is cached).
    void gradient_geometry(float x, float y, float w, float h, Color top, Color bottom);
    std::function<void(const std::string&)> text_observer_;
    /// Gradients drawn once into a texture and copied after that (a full-screen gradient costs
    /// the software renderer a colour interpolation per pixel, about 10 ms a frame).
    struct CachedGradient {
        SDL_Texture* texture = nullptr;
        bool opaque = false; ///< every pixel covered: copied without blending
        std::uint64_t last_used = 0;
    };
    std::unordered_map<std::string, CachedGradient> gradients_;
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
    float text_scale_ = 1.0f;
    FrameInput building_, shown_;
    int scan_hint_ = -1;
    bool one_switch_ = false;
};

/// Finds DejaVu Sans (regular, bold): in the content dir's fonts/ first, then Debian's path.
std::pair<std::filesystem::path, std::filesystem::path>
find_fonts(const std::filesystem::path& content_dir);

} // namespace qv::game
