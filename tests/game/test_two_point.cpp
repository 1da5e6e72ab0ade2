// The two-point calibration flow with a joystick board fed by the test (as the App feeds it from
// SDL): chosen on the sensor screen, zero, a known weight, the scale stored with the profile and
// applied, then the normal calibration. Implausible results are refused.

#include "game/gfx.hpp"
#include "game/joystick.hpp"
#include "game/screens/screens.hpp"
#include "input/drivers/joystick/joystick.hpp"
#include "input/drivers/replay/recorded_source.hpp"
#include "profiles/two_point_store.hpp"
#include "tests/game/game_fixture.hpp"

#include <SDL.h>
#include <SDL_ttf.h>
#include <cmath>
#include <cstdlib>
#include <memory>

using namespace qv;
using qv::test::Game;

namespace {

constexpr double kZeroRaw = -20000;
constexpr double kCountsPerN = 100; // the board in this test: 100 axis counts per newton

input::JoystickDevice board() {
    return {3, "Arduino Leonardo", "0300000041230000368000000101000", 0};
}

/// A game whose "joystick" driver is a board on the manual clock that the test feeds.
struct BoardGame : Game {
    BoardGame() {
        ctx.drivers.joystick = board();
        ctx.drivers.factory = [this](std::string_view id) -> std::unique_ptr<input::Source> {
            if (id != "joystick" || unplugged) {
                return nullptr;
            }
            ++created;
            auto s = std::make_unique<input::JoystickAxisSource>(board());
            if (const auto it = ctx.drivers.two_point.find("joystick");
                it != ctx.drivers.two_point.end()) {
                s->set_two_point(it->second);
            }
            return s;
        };
    }
    input::JoystickAxisSource* js() {
        return dynamic_cast<input::JoystickAxisSource*>(input::underlying(hub.source()));
    }
    /// Runs the top screen for `seconds` at 60 frames per second, feeding the board `raw`
    /// (plus a little noise) every frame as the App does.
    void feed(double seconds, double raw) {
        for (int i = 0; i < static_cast<int>(seconds * 60); ++i) {
            clock.advance(from_seconds(1.0 / 60));
            if (auto* b = js()) {
                b->feed_axis(clock.now_us(), static_cast<int>(raw + ((i % 3) - 1) * 4));
            }
            screens.top()->step(1.0 / 60);
            screens.apply();
        }
    }
    bool unplugged = false;
    int created = 0;
};

} // namespace

SCENARIO("Setting up a joystick board with a known weight", "[two_point]") {
    BoardGame g;
    g.start(game::make_sensor(g.ctx));
    REQUIRE(g.top() == "sensor");
    g.press({SDLK_HOME, SDLK_RETURN}); // the board is the first (and chosen) sensor
    REQUIRE(g.created == 1);
    REQUIRE(g.top() == "two_point_zero");
    CHECK(g.ctx.draft.driver_id == "joystick");
    CHECK_FALSE(g.hub.source()->identity().is_measurement);

    g.feed(2, kZeroRaw); // nothing happens until the player says the sensor is empty
    CHECK(g.top() == "two_point_zero");
    g.press({SDLK_RETURN});
    g.feed(2, kZeroRaw);
    REQUIRE(g.top() == "two_point_weight");

    WHEN("a 6 kg weight is put on it") {
        g.press({SDLK_RIGHT, SDLK_RIGHT, SDLK_RETURN}); // 5 kg + 2 x 0.5 kg
        const double weight = 6 * 9.80665;
        g.feed(0.3, kZeroRaw + weight * kCountsPerN / 2); // being put down
        g.feed(2.5, kZeroRaw + weight * kCountsPerN);
        THEN("the scale is stored, applied, and the board measures in newtons") {
            REQUIRE(g.top() == "two_point_done");
            const auto stored =
                profiles::latest_two_point_calibration(*g.store, g.ctx.profile->id, "joystick");
            REQUIRE(stored);
            CHECK(stored->zero_raw == Approx(kZeroRaw).margin(5));
            CHECK(stored->newtons_per_raw == Approx(1 / kCountsPerN).epsilon(0.01));
            CHECK(stored->known_n == Approx(weight));
            CHECK(g.count("SELECT count(*) FROM calibrations WHERE kind = 'two_point'") == 1);
            CHECK(g.ctx.drivers.two_point.count("joystick") == 1);
            CHECK(g.hub.source()->identity().is_measurement);

            g.feed(1.5, kZeroRaw + 30 * kCountsPerN);
            CHECK(g.hub.latest().filtered_n == Approx(30).margin(1.0));

            AND_WHEN("the player goes on") {
                g.press({SDLK_RETURN});
                THEN("the normal zero and MVC calibration follows") {
                    CHECK(g.top() == "calibrate_rest");
                }
            }
            AND_WHEN("the sensor is chosen again later") {
                g.screens.reset(game::make_sensor(g.ctx));
                g.screens.apply();
                g.press({SDLK_HOME, SDLK_RETURN});
                THEN("the stored scale is used: straight to the MVC calibration") {
                    CHECK(g.created == 2);
                    CHECK(g.top() == "calibrate_rest");
                    REQUIRE(g.js() != nullptr);
                    REQUIRE(g.js()->two_point());
                    CHECK(g.js()->two_point()->newtons_per_raw ==
                          Approx(1 / kCountsPerN).epsilon(0.01));
                }
            }
        }
    }
    WHEN("the reading goes down under the weight") {
        g.press({SDLK_RETURN});
        g.feed(2.5, kZeroRaw - 5000);
        THEN("it is refused with a reason, nothing is stored, and Enter starts over") {
            CHECK(g.top() == "two_point_failed");
            CHECK(g.count("SELECT count(*) FROM calibrations") == 0);
            CHECK_FALSE(g.hub.source()->identity().is_measurement);
            g.press({SDLK_RETURN});
            CHECK(g.top() == "two_point_zero");
        }
    }
    WHEN("the reading hardly changes") {
        g.press({SDLK_RETURN});
        g.feed(2.5, kZeroRaw + 20);
        THEN("it is refused") {
            CHECK(g.top() == "two_point_failed");
            CHECK(g.count("SELECT count(*) FROM calibrations") == 0);
        }
    }
    WHEN("the weight is tiny and the reading too noisy for it") {
        g.press({SDLK_LEFT, SDLK_LEFT, SDLK_LEFT, SDLK_LEFT, SDLK_LEFT, SDLK_LEFT, SDLK_LEFT,
                 SDLK_LEFT, SDLK_LEFT, SDLK_LEFT, SDLK_RETURN}); // down to 0.5 kg
        // 100 counts for 0.5 kg: +-4 counts of noise become +-0.2 N, still steady; but a board
        // swinging by 150 counts is not.
        for (int i = 0; i < 6; ++i) {
            g.feed(0.25, kZeroRaw + 100 + 150);
            g.feed(0.25, kZeroRaw + 100 - 150);
        }
        THEN("it is refused as not steady (or times out), never stored") {
            CHECK(g.top() != "two_point_done");
            CHECK(g.count("SELECT count(*) FROM calibrations") == 0);
        }
    }
    WHEN("the board is unplugged during the zero") {
        g.press({SDLK_RETURN});
        g.feed(0.5, kZeroRaw);
        g.js()->set_disconnected();
        g.unplugged = true;
        g.feed(0.1, kZeroRaw);
        THEN("the screen pauses, and starts over when the board is back") {
            CHECK(g.top() == "two_point_sensor_lost");
            g.unplugged = false;
            g.feed(1.5, kZeroRaw);
            CHECK(g.top() == "two_point_zero");
        }
    }
}

TEST_CASE("A board without a stored scale is not offered newtons", "[two_point]") {
    BoardGame g;
    profiles::TwoPointRecord bad;
    bad.profile_id = g.ctx.profile->id;
    bad.source_driver = "joystick";
    bad.zero_raw = 0;
    bad.newtons_per_raw = -1;
    bad.known_n = 10;
    CHECK_FALSE(profiles::add_two_point_calibration(*g.store, bad));
    bad.newtons_per_raw = 0.5;
    bad.known_n = 0;
    CHECK_FALSE(profiles::add_two_point_calibration(*g.store, bad));
    CHECK_FALSE(profiles::latest_two_point_calibration(*g.store, g.ctx.profile->id, "joystick"));
}

TEST_CASE("A saturated board is flagged in the set's quality", "[two_point][quality]") {
    BoardGame g;
    g.ctx.drivers.two_point["joystick"] = input::TwoPointScale{kZeroRaw, 1 / kCountsPerN};
    REQUIRE(g.ctx.use_source("joystick"));
    g.ctx.draft.driver_id = "joystick";
    g.ctx.draft.pain_before = 2;
    g.ctx.draft.dose = g.loaded.content.level("Q2")->dose;
    g.ctx.draft.dose.sets = 1;
    g.ctx.draft.dose.reps = 1;
    g.ctx.draft.stair.floor = 1;
    g.ctx.draft.stair.ceiling = 8;
    g.ctx.draft.stair_state.value = 5;
    input::Calibration cal;
    cal.zero_n = 0;
    cal.mvc_n = 300;
    g.hub.set_calibration(cal);
    g.start(game::make_play(g.ctx));
    g.feed(4, kZeroRaw);
    g.feed(g.ctx.draft.dose.hold_s + 2, 32767); // pinned at the top of the axis
    g.feed(30, kZeroRaw);
    const auto json = [&] {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(g.store->handle(), "SELECT quality_json FROM sets", -1, &st,
                                   nullptr) == SQLITE_OK);
        std::string text;
        if (sqlite3_step(st) == SQLITE_ROW) {
            text = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        }
        sqlite3_finalize(st);
        return text;
    };
    for (int i = 0; i < 20 && json().empty(); ++i) {
        g.feed(1, kZeroRaw);
        g.worker->flush();
    }
    const std::string q = json();
    INFO(q);
    CHECK(q.find("\"source\":\"joystick\"") != std::string::npos);
    CHECK(q.find("\"is_measurement\":true") != std::string::npos);
    CHECK(q.find("\"saturated\":0") == std::string::npos);
}

TEST_CASE("The App's joysticks: a virtual SDL joystick as the board", "[two_point][joystick]") {
    Game g; // the registry's own "joystick" row, no factory
    {
        game::JoystickBoards boards(g.ctx);
        const int index = SDL_JoystickAttachVirtual(SDL_JOYSTICK_TYPE_UNKNOWN, 1, 0, 0);
        if (index < 0) {
            WARN("no virtual joysticks here: " << SDL_GetError());
            return;
        }
        SDL_Event e;
        while (SDL_PollEvent(&e) != 0) {
            boards.handle(e);
        }
        REQUIRE(g.ctx.drivers.joystick);
        CHECK_FALSE(g.ctx.drivers.joystick->guid.empty());
        CHECK(boards.count() == 1);
        g.ctx.drivers.two_point["joystick"] = input::TwoPointScale{1000, 0.01};
        REQUIRE(g.ctx.use_source("joystick"));
        CHECK(g.hub.source()->identity().model == g.ctx.drivers.joystick->name);
        SDL_Joystick* js = SDL_JoystickOpen(index); // the same device, reference counted
        REQUIRE(js != nullptr);
        std::vector<input::ForceReading> out;
        for (int i = 0; i < 60; ++i) {
            REQUIRE(SDL_JoystickSetVirtualAxis(js, 0, 6000) == 0);
            SDL_JoystickUpdate();
            g.clock.advance(from_seconds(1.0 / 60));
            boards.feed();
        }
        g.hub.poll(out);
        REQUIRE(out.size() == 60);
        CHECK(out.back().filtered_n == Approx(50.0).margin(0.5)); // (6000 - 1000) x 0.01
        SDL_JoystickClose(js);
        REQUIRE(SDL_JoystickDetachVirtual(index) == 0);
        while (SDL_PollEvent(&e) != 0) {
            boards.handle(e);
        }
        boards.feed();
        CHECK(g.hub.source()->state() == input::SourceState::Disconnected);
        CHECK_FALSE(g.ctx.drivers.joystick);
        CHECK_FALSE(g.ctx.use_source("joystick")); // gone until it is plugged in again
    }
}

// Not run by default: QV_TWO_POINT_SHOTS=<dir> test_game "[.shots][two_point]" writes PNGs of
// the two-point screens (and the sensor screen listing a board), drawn by the real Gfx.
TEST_CASE("two-point screens drawn to PNG files", "[.shots][two_point]") {
    const char* out = std::getenv("QV_TWO_POINT_SHOTS");
    if (out == nullptr) {
        WARN("set QV_TWO_POINT_SHOTS to a directory to draw the two-point screens");
        return;
    }
    REQUIRE(TTF_Init() == 0);
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, game::Gfx::kWidth, game::Gfx::kHeight,
                                                          32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(surface);
    REQUIRE(renderer != nullptr);
    {
        const auto [regular, bold] = game::find_fonts({});
        game::Gfx gfx(renderer, regular, bold);
        REQUIRE(gfx.fonts_ok());
        BoardGame g;
        const auto shot = [&](const std::string& name) {
            g.screens.apply();
            g.screens.draw(gfx);
            CHECK(gfx.save_png(std::filesystem::path(out) / (name + ".png")));
        };
        g.start(game::make_sensor(g.ctx));
        g.screens.top()->step(0.1);
        shot("sensor_with_board");
        g.press({SDLK_HOME, SDLK_RETURN});
        g.feed(0.5, kZeroRaw);
        shot("two_point_zero");
        g.press({SDLK_RETURN});
        g.feed(0.6, kZeroRaw);
        shot("two_point_zero_measuring");
        g.feed(2, kZeroRaw);
        shot("two_point_weight");
        g.press({SDLK_RETURN});
        g.feed(2.5, kZeroRaw + 5 * 9.80665 * kCountsPerN);
        g.feed(0.5, kZeroRaw + 12 * kCountsPerN);
        shot("two_point_done");
        g.screens.reset(game::make_two_point_calibration(g.ctx));
        g.screens.apply();
        g.press({SDLK_RETURN});
        g.feed(2, kZeroRaw);
        g.press({SDLK_RETURN});
        g.feed(2.5, kZeroRaw - 3000);
        shot("two_point_failed");
        // The play HUD with the board pinned at its limit.
        g.ctx.draft.pain_before = 2;
        g.ctx.draft.dose = g.loaded.content.level("Q2")->dose;
        g.ctx.draft.stair.floor = 1;
        g.ctx.draft.stair.ceiling = 8;
        g.ctx.draft.stair_state.value = 5;
        REQUIRE(g.ctx.use_source("joystick"));
        input::Calibration cal;
        cal.mvc_n = 300;
        g.hub.set_calibration(cal);
        g.screens.reset(game::make_play(g.ctx));
        g.screens.apply();
        g.feed(4, kZeroRaw);
        g.feed(1, 32767);
        shot("play_saturated");
    }
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
    TTF_Quit();
}
