// The InputMap: gamepad events become the keys the screens know, taps on the hint bar press
// their key, a tap on a rating tile chooses it, and one-switch mode scans and confirms.

#include "game/gfx.hpp"
#include "game/input_map.hpp"
#include "game/widgets.hpp"

#include <SDL.h>
#include <SDL_ttf.h>
#include <catch2/catch.hpp>

using namespace qv;
using game::FrameInput;
using game::HintButton;
using game::InputMap;

namespace {

SDL_Event button(Uint8 which, bool down) {
    SDL_Event e{};
    e.type = down ? SDL_CONTROLLERBUTTONDOWN : SDL_CONTROLLERBUTTONUP;
    e.cbutton.button = which;
    return e;
}

SDL_Event axis(Uint8 which, Sint16 value) {
    SDL_Event e{};
    e.type = SDL_CONTROLLERAXISMOTION;
    e.caxis.axis = which;
    e.caxis.value = value;
    return e;
}

SDL_Event tap(int x, int y) {
    SDL_Event e{};
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.x = x;
    e.button.y = y;
    return e;
}

SDL_Event key(SDL_Keycode k, bool down) {
    SDL_Event e{};
    e.type = down ? SDL_KEYDOWN : SDL_KEYUP;
    e.key.keysym.sym = k;
    return e;
}

// "DOWN Return", "UP Escape": what the screens would receive.
std::vector<std::string> keys(const std::vector<SDL_Event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
        if (e.type == SDL_KEYDOWN || e.type == SDL_KEYUP) {
            out.push_back(std::string(e.type == SDL_KEYDOWN ? "DOWN " : "UP ") +
                          SDL_GetKeyName(e.key.keysym.sym));
        } else if (game::is_scan_next(e)) {
            out.push_back("SCAN");
        }
    }
    return out;
}

using Keys = std::vector<std::string>;

} // namespace

TEST_CASE("gamepad buttons, stick and trigger become keys", "[input_map]") {
    InputMap map({});
    const FrameInput none;
    struct Row {
        Uint8 button;
        const char* key;
    };
    const Row row = GENERATE(
        Row{SDL_CONTROLLER_BUTTON_A, "Return"}, Row{SDL_CONTROLLER_BUTTON_B, "Escape"},
        Row{SDL_CONTROLLER_BUTTON_START, "Escape"}, Row{SDL_CONTROLLER_BUTTON_X, "Tab"},
        Row{SDL_CONTROLLER_BUTTON_Y, "P"}, Row{SDL_CONTROLLER_BUTTON_DPAD_LEFT, "Left"},
        Row{SDL_CONTROLLER_BUTTON_DPAD_RIGHT, "Right"}, Row{SDL_CONTROLLER_BUTTON_DPAD_UP, "Up"},
        Row{SDL_CONTROLLER_BUTTON_DPAD_DOWN, "Down"},
        Row{SDL_CONTROLLER_BUTTON_RIGHTSHOULDER, "Space"});
    CAPTURE(row.key);
    auto down = map.translate(button(row.button, true), none, false);
    CHECK(down.handled);
    CHECK(keys(down.events) == Keys{std::string("DOWN ") + row.key});
    auto up = map.translate(button(row.button, false), none, false);
    CHECK(keys(up.events) == Keys{std::string("UP ") + row.key});

    SECTION("the left stick presses an arrow once per push, with hysteresis") {
        CHECK(keys(map.translate(axis(SDL_CONTROLLER_AXIS_LEFTX, 30000), none, false).events) ==
              Keys{"DOWN Right"});
        CHECK(keys(map.translate(axis(SDL_CONTROLLER_AXIS_LEFTX, 12000), none, false).events)
                  .empty());
        CHECK(keys(map.translate(axis(SDL_CONTROLLER_AXIS_LEFTX, 0), none, false).events) ==
              Keys{"UP Right"});
        CHECK(keys(map.translate(axis(SDL_CONTROLLER_AXIS_LEFTY, -30000), none, false).events) ==
              Keys{"DOWN Up"});
    }
    SECTION("the right trigger holds Space (the keyboard source's push)") {
        CHECK(keys(map.translate(axis(SDL_CONTROLLER_AXIS_TRIGGERRIGHT, 32000), none, false)
                       .events) == Keys{"DOWN Space"});
        CHECK(keys(map.translate(axis(SDL_CONTROLLER_AXIS_TRIGGERRIGHT, 20000), none, false).events)
                  .empty());
        CHECK(
            keys(map.translate(axis(SDL_CONTROLLER_AXIS_TRIGGERRIGHT, 100), none, false).events) ==
            Keys{"UP Space"});
    }
}

TEST_CASE("a tap on a hint presses its key; other taps go to the screen", "[input_map]") {
    InputMap map({});
    FrameInput shown;
    shown.hints = {HintButton{{100, 668, 120, 52}, SDLK_RETURN},
                   HintButton{{220, 668, 120, 52}, SDLK_UNKNOWN},
                   HintButton{{340, 668, 120, 52}, SDLK_ESCAPE}};
    CHECK(keys(map.translate(tap(150, 690), shown, false).events) ==
          Keys{"DOWN Return", "UP Return"});
    CHECK(keys(map.translate(tap(400, 690), shown, false).events) ==
          Keys{"DOWN Escape", "UP Escape"});
    CHECK_FALSE(map.translate(tap(250, 690), shown, false).handled); // arrows: no single key
    CHECK_FALSE(map.translate(tap(150, 300), shown, false).handled); // a tile: the screen's
}

TEST_CASE("one-switch mode scans rows and the switch confirms", "[input_map][one_switch]") {
    content::AccessibilityParams params;
    params.scan_interval_s = 1.0;
    InputMap map(params);
    FrameInput row_screen;
    row_screen.scan_rows = 1;
    row_screen.hints = {HintButton{{0, 668, 100, 52}, SDLK_RETURN}};

    CHECK(map.scan(0.6, row_screen, true).empty());
    CHECK(keys(map.scan(0.6, row_screen, true)) == Keys{"SCAN"});
    CHECK(map.scan(0.5, row_screen, false).empty()); // off: nothing moves by itself

    // The switch (Space) confirms the highlighted tile; its release is the Enter's release.
    CHECK(keys(map.translate(key(SDLK_SPACE, true), row_screen, true).events) ==
          Keys{"DOWN Return"});
    CHECK(keys(map.translate(key(SDLK_SPACE, false), row_screen, true).events) ==
          Keys{"UP Return"});
    // Without one-switch mode Space is just Space.
    CHECK_FALSE(map.translate(key(SDLK_SPACE, true), row_screen, false).handled);

    SECTION("without rows, scanning walks the hint bar and the switch presses that hint") {
        FrameInput hints;
        hints.hints = {HintButton{{0, 668, 100, 52}, SDLK_RETURN},
                       HintButton{{100, 668, 100, 52}, SDLK_UNKNOWN},
                       HintButton{{200, 668, 100, 52}, SDLK_g}};
        map.scan(0.1, hints, true);
        CHECK(map.scan_hint() == 0);
        map.scan(1.0, hints, true);
        CHECK(map.scan_hint() == 2); // the arrows hint is skipped
        CHECK(keys(map.translate(key(SDLK_SPACE, true), hints, true).events) == Keys{"DOWN G"});
        map.translate(key(SDLK_SPACE, false), hints, true);
        map.scan(1.0, hints, true);
        CHECK(map.scan_hint() == 0);
    }
    SECTION("on a push screen the switch stays the push") {
        FrameInput play;
        play.hints = {HintButton{{0, 668, 100, 52}, SDLK_SPACE},
                      HintButton{{100, 668, 100, 52}, SDLK_p}};
        map.scan(2.0, play, true);
        CHECK(map.scan_hint() == -1);
        CHECK_FALSE(map.translate(key(SDLK_SPACE, true), play, true).handled);
    }
}

TEST_CASE("a tap on a rating tile chooses it, a second tap confirms", "[input_map][touch]") {
    REQUIRE(TTF_Init() == 0);
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, game::Gfx::kWidth, game::Gfx::kHeight,
                                                          32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(surface);
    REQUIRE(renderer != nullptr);
    {
        const auto [regular, bold] = game::find_fonts({});
        game::Gfx gfx(renderer, regular, bold);
        game::RatingRow row;
        CHECK_FALSE(row.handle(tap(640, 280))); // not drawn yet: nowhere to tap
        row.draw(gfx, 240, "low", "high");
        gfx.end_frame();
        CHECK(gfx.last_frame_input().scan_rows == 1);
        // Tile 5 is the middle one of eleven, centred on the screen.
        CHECK(row.handle(tap(640, 280)));
        CHECK(row.value() == 5);
        CHECK_FALSE(row.confirmed());
        CHECK(row.handle(tap(640, 280)));
        CHECK(row.confirmed());
        CHECK_FALSE(row.handle(tap(640, 600))); // below the row
        CHECK(row.handle(game::scan_next_event()));
        CHECK(row.value() == 6);

        SECTION("the hint bar records tap areas for its one-key hints") {
            game::draw_hints(gfx, {{"Enter", "OK"}, {"\u2190\u2192", "Choose"}, {"Esc", "Back"}});
            gfx.end_frame();
            const auto& hints = gfx.last_frame_input().hints;
            REQUIRE(hints.size() == 3);
            CHECK(hints[0].key == SDLK_RETURN);
            CHECK(hints[1].key == SDLK_UNKNOWN);
            CHECK(hints[2].key == SDLK_ESCAPE);
            CHECK(hints[0].area.x + hints[0].area.w <= hints[2].area.x + 1);
        }
    }
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
    TTF_Quit();
}
