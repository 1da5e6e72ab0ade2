// The tower game: its physics (determinism, the load following the force as the balloon does, a
// released block landing and resting, a tower of ten standing) and its play screen, which plays
// the very same rules as the balloon's.

#include "game/gfx.hpp"
#include "game/scene/quadset_scene.hpp"
#include "game/scene/tower_scene.hpp"
#include "tests/game/game_fixture.hpp"

#include <SDL.h>
#include <SDL_ttf.h>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

using qv::game::QuadSetScene;
using qv::game::TowerScene;
namespace qg = qv::game;

namespace {
constexpr double kFrame = 1.0 / 60.0;
const float kBlockH_px = TowerScene::kBlockH * TowerScene::kPixelsPerMeter;

void run_scene(TowerScene& scene, double seconds) {
    for (int i = 0; i < static_cast<int>(seconds * 60); ++i) {
        scene.step(kFrame);
    }
}

// The same scripted effort for every run: rise, hold, release a block, relax, again.
std::uint64_t run_script(std::uint64_t seed, int frames) {
    TowerScene scene(48.0, seed);
    for (int i = 0; i < frames; ++i) {
        const int t = i % 400;
        scene.set_effort(t < 60 ? t * 0.4 : (t < 300 ? 25.0 + 2.0 * std::sin(i * 0.1) : 0.0));
        if (t == 299) {
            scene.drop_block();
        }
        scene.step(kFrame);
    }
    return scene.state_hash();
}

/// Drops `n` blocks, one every 5 s (a hold and a rest), and lets the last one settle.
void build(TowerScene& scene, int n) {
    for (int i = 0; i < n; ++i) {
        scene.drop_block();
        run_scene(scene, 5);
    }
}
} // namespace

SCENARIO("the tower's physics is deterministic", "[scene][tower]") {
    GIVEN("two scenes with the same seed and the same inputs") {
        THEN("their body states hash equal while blocks fly, fall and stand") {
            CHECK(run_script(7, 330) == run_script(7, 330));
            CHECK(run_script(7, 1700) == run_script(7, 1700));
        }
    }
    GIVEN("a different seed") {
        THEN("the load swings and the blocks land differently") {
            CHECK(run_script(7, 330) != run_script(8, 330));
            CHECK(run_script(7, 1700) != run_script(8, 1700));
        }
    }
}

TEST_CASE("the tower's sky has the balloon's scale", "[scene][tower]") {
    const TowerScene tower(48.0, 1);
    const QuadSetScene balloon(48.0, 1);
    for (double pct = 0; pct <= 60; pct += 2.5) {
        CHECK(tower.y_for_pct(pct) == balloon.y_for_pct(pct));
    }
}

TEST_CASE("the load on the hook follows the force as the balloon does", "[scene][tower]") {
    TowerScene scene(50.0, 1);
    auto settle = [&](double pct) {
        scene.set_effort(pct);
        run_scene(scene, 4);
        REQUIRE(scene.has_load());
        return scene.load().y_px;
    };
    const float at0 = settle(0);
    const float hang = at0 - scene.hook_y_px(); // the slings: the hook is a fixed length above
    const float at10 = settle(10), at25 = settle(25), at40 = settle(40);
    // Within two pixels of where the sky puts that % MVC (a gentle swing lifts it a hair).
    CHECK(std::abs(at0 - scene.y_for_pct(0)) < 2.0f);
    CHECK(std::abs(at10 - scene.y_for_pct(10)) < 2.0f);
    CHECK(std::abs(at25 - scene.y_for_pct(25)) < 2.0f);
    CHECK(std::abs(at40 - scene.y_for_pct(40)) < 2.0f);
    CHECK(std::abs((scene.load().y_px - scene.hook_y_px()) - hang) < 1.0f);
    CHECK(at40 < at25);
    CHECK(at25 < at10);
    CHECK(at10 < at0);
    // It swings a little, but it hangs below the hook.
    CHECK(std::abs(scene.load().x_px - scene.hook_x_px()) < 20.0f);

    SECTION("and answers a push within a quarter of a second") {
        settle(0);
        const float start = scene.load().y_px, goal = scene.y_for_pct(25);
        scene.set_effort(25);
        run_scene(scene, 0.25);
        CHECK((start - scene.load().y_px) / (start - goal) > 0.75f);
    }
}

TEST_CASE("a released block lands on the site and comes to rest", "[scene][tower]") {
    TowerScene scene(48.0, 3);
    scene.set_effort(25);
    run_scene(scene, 3);
    scene.drop_block();
    CHECK_FALSE(scene.has_load()); // an empty hook for a moment
    scene.step(kFrame);
    REQUIRE(scene.blocks().size() == 1);
    CHECK_FALSE(scene.blocks()[0].landed);
    run_scene(scene, 1);
    CHECK(scene.has_load()); // a new block on the hook
    run_scene(scene, 3);
    const auto& b = scene.blocks()[0];
    CHECK(b.landed);
    CHECK(std::abs(b.x_px - TowerScene::tower_x_px(0)) < 10.0f);
    CHECK(std::abs(b.y_px - (TowerScene::ground_y_px() - kBlockH_px / 2)) < 2.0f);
    CHECK(std::abs(b.angle) < 0.02f);
    CHECK(b.speed_px_s < 1.0f);
    CHECK(scene.dropped() == 1);
}

TEST_CASE("a landing sparkles for a moment", "[scene][tower]") {
    TowerScene scene(48.0, 5);
    scene.drop_block();
    bool sparkled = false;
    for (int i = 0; i < 60 * 3; ++i) {
        scene.step(kFrame);
        sparkled = sparkled || !scene.landings().empty();
    }
    CHECK(sparkled);
    run_scene(scene, 2);
    CHECK(scene.landings().empty());
}

TEST_CASE("a tower of ten blocks stands", "[scene][tower]") {
    const auto seed = GENERATE(1u, 2u, 3u, 42u);
    TowerScene scene(48.0, seed);
    scene.set_effort(20);
    build(scene, TowerScene::kPerTower);
    REQUIRE(scene.blocks().size() == TowerScene::kPerTower);
    float top = TowerScene::ground_y_px();
    for (const auto& b : scene.blocks()) {
        CHECK(b.landed);
        CHECK(std::abs(b.angle) < 0.05f);
        CHECK(std::abs(b.x_px - TowerScene::tower_x_px(0)) < 20.0f);
        CHECK(b.speed_px_s < 2.0f);
        top = std::min(top, b.y_px);
    }
    // The top block's centre: nine and a half block heights above the ground (Box2D keeps a
    // skin of about 0.015 m between resting boxes: under a pixel per block).
    CHECK(std::abs((TowerScene::ground_y_px() - top) - 9.5f * kBlockH_px) < 10.0f);
    AND_THEN("the eleventh block starts the next tower") {
        build(scene, 1);
        CHECK(std::abs(scene.blocks().back().x_px - TowerScene::tower_x_px(1)) < 10.0f);
        CHECK(std::abs(scene.blocks().back().y_px - (TowerScene::ground_y_px() - kBlockH_px / 2)) <
              2.0f);
    }
}

namespace {
/// Plays a whole quad-set session of Q2 with the virtual patient in game `game_id`.
void play_session(qv::test::Game& g, const std::string& game_id) {
    g.ctx.drivers.patient = g.loaded.content.tuning.patient;
    g.ctx.draft.game = game_id;
    qv::profiles::CalibrationRecord cal;
    cal.mvc_n = g.loaded.content.tuning.patient.true_mvc_n;
    g.ctx.draft.calibration = cal;
    qv::test::start_play(g);
    for (int s = 0; s < 600 && g.top().rfind("play", 0) == 0; ++s) {
        qv::test::run(g, 1);
    }
    REQUIRE(g.top() == "after_during");
    g.worker->flush();
}
} // namespace

SCENARIO("the tower plays the very same rules as the balloon", "[tower][play]") {
    GIVEN("the same virtual patient and seed, once in each game") {
        qv::test::Game balloon, tower;
        play_session(balloon, "balloon");
        play_session(tower, "tower");
        THEN("the dose, every rep and its score are the same") {
            const auto& a = balloon.ctx.draft.reps;
            const auto& b = tower.ctx.draft.reps;
            REQUIRE(a.size() == 10);
            REQUIRE(b.size() == a.size());
            int successes = 0;
            for (std::size_t i = 0; i < a.size(); ++i) {
                INFO("rep " << i);
                CHECK(a[i].target_low_pct == b[i].target_low_pct);
                CHECK(a[i].target_high_pct == b[i].target_high_pct);
                CHECK(a[i].hold_s == b[i].hold_s);
                CHECK(a[i].time_in_band_s == b[i].time_in_band_s);
                CHECK(a[i].duration_s == b[i].duration_s);
                CHECK(a[i].steadiness_cv == b[i].steadiness_cv);
                CHECK(a[i].peak_pct == b[i].peak_pct);
                CHECK(a[i].success == b[i].success);
                successes += a[i].success ? 1 : 0;
            }
            CHECK(successes > 0); // the comparison means something: blocks were dropped
            CHECK(balloon.ctx.draft.stars == tower.ctx.draft.stars);
        }
        THEN("each set is stored with the game that was played") {
            CHECK(tower.count("SELECT count(*) FROM sets WHERE game = 'tower'") == 1);
            CHECK(tower.count("SELECT count(*) FROM sets WHERE game <> 'tower'") == 0);
            CHECK(balloon.count("SELECT count(*) FROM sets WHERE game = 'balloon'") == 1);
            CHECK(tower.count("SELECT count(*) FROM reps WHERE success = 1") ==
                  balloon.count("SELECT count(*) FROM reps WHERE success = 1"));
        }
    }
}

TEST_CASE("an unknown or squat game id plays the balloon", "[tower][play]") {
    const auto id = GENERATE(std::string("no-such-game"), std::string("rider"));
    qv::test::Game g;
    g.ctx.draft.game = id;
    qv::test::start_play(g);
    qv::test::run(g, 1);
    g.press({SDLK_ESCAPE, SDLK_q});
    qv::test::run(g, 0.2);
    g.worker->flush();
    CHECK(g.count("SELECT count(*) FROM sets WHERE game = 'balloon'") == 1);
}

// Not run by default: QV_TOWER_SHOTS=<dir> test_game "[.shots][tower]" draws the tower game's
// play screen at several moments with the real Gfx on a software renderer, to look at.
TEST_CASE("tower play screen drawn to PNG files", "[.shots][tower]") {
    const char* out = std::getenv("QV_TOWER_SHOTS");
    if (out == nullptr) {
        WARN("set QV_TOWER_SHOTS to a directory to draw the tower game");
        return;
    }
    REQUIRE(TTF_Init() == 0);
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, qg::Gfx::kWidth, qg::Gfx::kHeight, 32,
                                                          SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(surface);
    REQUIRE(renderer != nullptr);
    {
        const auto [regular, bold] = qg::find_fonts({});
        qg::Gfx gfx(renderer, regular, bold);
        REQUIRE(gfx.fonts_ok());
        qv::test::Game g;
        g.ctx.drivers.patient = g.loaded.content.tuning.patient;
        g.ctx.draft.game = std::getenv("QV_TOWER_GAME") ? std::getenv("QV_TOWER_GAME") : "tower";
        qv::profiles::CalibrationRecord cal;
        cal.mvc_n = g.loaded.content.tuning.patient.true_mvc_n;
        g.ctx.draft.calibration = cal;
        qv::test::start_play(g);
        const auto shot = [&](const std::string& name) {
            g.screens.draw(gfx);
            CHECK(gfx.save_png(qv::test::fs::path(out) / (name + ".png")));
        };
        qv::test::run(g, 1);
        shot("tower_ready");
        // Into the first hold, and a few seconds in the band.
        for (int i = 0;
             i < 60 * 30 && !(g.top() == "play_hold" && g.ctx.input.latest().pct_mvc > 22); ++i) {
            qv::test::run(g, kFrame);
        }
        qv::test::run(g, 3);
        shot("tower_hold");
        // Six holds later: a tower of blocks (one per completed hold), the last one landing.
        int ended = 0;
        for (int i = 0; i < 60 * 200 && ended < 6; ++i) {
            const bool holding = g.top() == "play_hold";
            qv::test::run(g, kFrame);
            ended += holding && g.top() == "play_rest" ? 1 : 0;
        }
        qv::test::run(g, 1.5);
        shot("tower_six");
    }
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
    TTF_Quit();
}
