// The settings screen: opened with S, every change stored and applied at once (theme, text
// size, language, one-switch), the profile's own language; and, hidden, the main screens drawn
// in every mode to PNG files to look at.

#include "game/gfx.hpp"
#include "game/preferences.hpp"
#include "game/widgets.hpp"
#include "profiles/clinician_store.hpp"
#include "tests/game/game_fixture.hpp"

#include <SDL.h>
#include <SDL_ttf.h>
#include <catch2/catch.hpp>

using namespace qv;
using qv::test::Game;

namespace {

/// A real Gfx on a software renderer (no window), for drawing and taps.
struct Canvas {
    SDL_Surface* surface = nullptr;
    SDL_Renderer* renderer = nullptr;
    std::unique_ptr<game::Gfx> gfx;
    Canvas() {
        REQUIRE(TTF_Init() == 0);
        surface = SDL_CreateRGBSurfaceWithFormat(0, game::Gfx::kWidth, game::Gfx::kHeight, 32,
                                                 SDL_PIXELFORMAT_ARGB8888);
        renderer = SDL_CreateSoftwareRenderer(surface);
        REQUIRE(renderer != nullptr);
        const auto [regular, bold] = game::find_fonts({});
        gfx = std::make_unique<game::Gfx>(renderer, regular, bold);
        REQUIRE(gfx->fonts_ok());
    }
    ~Canvas() {
        gfx.reset();
        game::detail::current_theme = game::themes::normal; // tests share the process
        SDL_DestroyRenderer(renderer);
        SDL_FreeSurface(surface);
        TTF_Quit();
    }
    void frame(Game& g) {
        g.screens.apply();
        g.screens.top()->step(0.1);
        g.screens.draw(*gfx);
        gfx->end_frame();
    }
};

} // namespace

TEST_CASE("settings are stored and applied at once", "[settings]") {
    Canvas c;
    Game g;
    g.ctx.profile.reset();
    g.start(game::make_profile_select(g.ctx));
    g.press({SDLK_s});
    REQUIRE(g.top() == "settings");
    c.frame(g);

    SECTION("large text and high contrast") {
        g.press({SDLK_DOWN, SDLK_RIGHT, SDLK_DOWN, SDLK_RETURN});
        c.frame(g);
        CHECK(c.gfx->text_scale() == Approx(game::kLargeTextScale));
        CHECK(c.gfx->font_px(game::FontSize::Body) > 26);
        CHECK(c.gfx->theme().high_contrast);
        CHECK(game::palette::ink.r == 0); // the palette follows the theme
        CHECK(profiles::setting(*g.store, "large_text") == "1");
        CHECK(profiles::setting(*g.store, "high_contrast") == "1");
        g.press({SDLK_RETURN});
        c.frame(g);
        CHECK_FALSE(c.gfx->theme().high_contrast);
    }
    SECTION("the app-wide language switches every text") {
        g.press({SDLK_RIGHT});
        c.frame(g);
        CHECK(profiles::setting(*g.store, "language") == "de");
        CHECK(g.ctx.content.language() == "de");
        CHECK(g.ctx.t("settings.title") == "Einstellungen");
        g.press({SDLK_LEFT});
        c.frame(g);
        CHECK(g.ctx.t("settings.title") == "Settings");
    }
    SECTION("one-switch mode, and the last row closes the screen") {
        g.press({SDLK_UP, SDLK_UP, SDLK_RETURN});
        c.frame(g);
        CHECK(c.gfx->one_switch());
        CHECK(profiles::setting(*g.store, "one_switch") == "1");
        g.screens.handle(game::scan_next_event());
        g.press({SDLK_RETURN});
        CHECK(g.top() == "profile_select");
    }
    SECTION("a tap on a row changes it") {
        SDL_Event tap{};
        tap.type = SDL_MOUSEBUTTONDOWN;
        tap.button.button = SDL_BUTTON_LEFT;
        tap.button.x = 900;
        tap.button.y = 150 + 2 * 62 + 20; // the third row: high contrast
        CHECK(g.screens.handle(tap));
        c.frame(g);
        CHECK(c.gfx->theme().high_contrast);
    }
    g.ctx.content.set_language("en");
}

TEST_CASE("a profile's own language wins while it plays", "[settings]") {
    Canvas c;
    Game g; // Robin is chosen
    game::PreferenceSync sync;
    sync.update(g.ctx, *c.gfx);
    CHECK(g.ctx.content.language() == "en");
    g.start(game::make_profile_home(g.ctx));
    g.press({SDLK_s, SDLK_RIGHT});
    c.frame(g);
    CHECK(game::profile_language(*g.store, g.ctx.profile->id) == "de");
    CHECK_FALSE(profiles::setting(*g.store, "language").has_value());
    CHECK(g.ctx.content.language() == "de");
    // Back at the profile list (no one chosen) the app-wide language returns.
    g.ctx.profile.reset();
    sync.update(g.ctx, *c.gfx);
    CHECK(g.ctx.content.language() == "en");
}

// Not run by default: QV_A11Y_SHOTS=<dir> test_game "[.shots][a11y]" draws the main screens in
// every mode (normal, large text, high contrast, German) with the real Gfx, to look at.
TEST_CASE("main screens in every accessibility mode drawn to PNG files", "[.shots][a11y]") {
    const char* out = std::getenv("QV_A11Y_SHOTS");
    if (out == nullptr) {
        WARN("set QV_A11Y_SHOTS to a directory to draw the screens");
        return;
    }
    struct Mode {
        const char* name;
        game::Preferences prefs;
    };
    game::Preferences large, contrast, german;
    large.large_text = true;
    contrast.high_contrast = true;
    german.language = "de";
    const Mode modes[] = {{"normal", {}}, {"large", large}, {"contrast", contrast}, {"de", german}};
    for (const Mode& mode : modes) {
        Canvas c;
        Game g;
        REQUIRE(g.store->create_profile("Sam", "fox", "Q2").ok());
        game::apply_preferences(mode.prefs, mode.prefs.language, *c.gfx, g.ctx.content);
        const auto shot = [&](const std::string& screen) {
            c.frame(g);
            c.frame(g);
            CHECK(c.gfx->save_png(std::filesystem::path(out) /
                                  (std::string(mode.name) + "-" + screen + ".png")));
        };
        const auto profile = g.ctx.profile;
        g.ctx.profile.reset();
        g.start(game::make_profile_select(g.ctx));
        shot("profile_select");
        g.press({SDLK_s, SDLK_DOWN});
        shot("settings");
        g.screens.reset(game::make_profile_home(g.ctx));
        g.ctx.profile = profile;
        g.screens.apply();
        shot("profile_home");
        g.screens.reset(game::make_checkin(g.ctx));
        g.press({SDLK_3});
        shot("checkin");
        g.screens.reset(game::make_sensor(g.ctx));
        shot("sensor");
        g.ctx.draft.pain_before = 2;
        REQUIRE(g.ctx.use_source("simulator"));
        g.screens.reset(game::make_plan(g.ctx));
        shot("plan");
        g.screens.reset(nullptr);
        g.screens.apply();
        qv::test::start_play(g);
        qv::test::run(g, 14);
        shot("play");
        for (int i = 0; i < 400 && g.top() == "play"; ++i) {
            qv::test::run(g, 1);
        }
        g.press({SDLK_3, SDLK_RETURN});
        shot("after");
        g.press({SDLK_2, SDLK_RETURN, SDLK_5, SDLK_RETURN});
        shot("results");
        g.ctx.content.set_language("en");
    }
}
