// The squat games' physics: deterministic, and the player's body follows the knee angle.

#include "game/scene/squat_scene.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using qv::game::SquatScene;

namespace {
// The same scripted squat every run: down over 3 s to 40°, a pause, up over 2 s, with bursts.
std::uint64_t run_script(bool bubbles, std::uint64_t seed, int frames) {
    SquatScene scene(60.0, bubbles, seed);
    for (int i = 0; i < frames; ++i) {
        const double t = i / 60.0;
        const double deg = t < 3 ? 40 * t / 3 : (t < 4 ? 40 : std::max(0.0, 40 - 20 * (t - 4)));
        scene.set_value(deg);
        if (i == 100 || i == 250) {
            scene.burst(8);
        }
        scene.step(1.0 / 60.0);
    }
    return scene.state_hash();
}
} // namespace

SCENARIO("the squat scenes' physics is deterministic", "[scene][squat]") {
    for (const bool bubbles : {false, true}) {
        INFO((bubbles ? "diver" : "rider"));
        GIVEN("two scenes with the same seed and the same inputs") {
            THEN("their body states hash equal after N steps") {
                CHECK(run_script(bubbles, 3, 200) == run_script(bubbles, 3, 200));
                CHECK(run_script(bubbles, 3, 420) == run_script(bubbles, 3, 420));
            }
        }
        GIVEN("a different seed") {
            THEN("the particles fly differently") {
                CHECK(run_script(bubbles, 3, 200) != run_script(bubbles, 4, 200));
            }
        }
    }
}

TEST_CASE("the player's body follows the knee angle down and up", "[scene][squat]") {
    SquatScene scene(60.0, false, 1);
    const auto settle = [&](double deg) {
        scene.set_value(deg);
        for (int i = 0; i < 90; ++i) {
            scene.step(1.0 / 60.0);
        }
        return scene.body_y_px();
    };
    const float standing = settle(0);
    CHECK(standing == Approx(scene.y_for(0)).margin(2));
    const float bent = settle(45);
    CHECK(bent == Approx(scene.y_for(45)).margin(2));
    CHECK(bent > standing + 200); // deeper is lower on the screen
    CHECK(scene.value_at_y(bent) == Approx(45).margin(0.5));
    CHECK(settle(0) == Approx(standing).margin(2));
}

TEST_CASE("the body answers a bend within a quarter of a second", "[scene][squat]") {
    SquatScene scene(60.0, true, 1);
    scene.set_value(30);
    for (int i = 0; i < 15; ++i) {
        scene.step(1.0 / 60.0);
    }
    const double shown = scene.value_at_y(scene.body_y_px());
    CHECK(shown > 0.8 * 30);
}

TEST_CASE("in the force-pad modes the axis is turned over: more weight moves the body up",
          "[scene][squat][pad]") {
    SquatScene scene(100.0, false, 1, true);
    CHECK(scene.y_for(100) == Approx(SquatScene::top_y_px()));
    CHECK(scene.y_for(0) == Approx(SquatScene::bottom_y_px()));
    CHECK(scene.y_for(50) == Approx(0.5f * (SquatScene::top_y_px() + SquatScene::bottom_y_px())));
    CHECK(scene.value_at_y(scene.y_for(35)) == Approx(35).margin(0.01));
    const auto settle = [&](double share) {
        scene.set_value(share);
        for (int i = 0; i < 90; ++i) {
            scene.step(1.0 / 60.0);
        }
        return scene.body_y_px();
    };
    const float seated = settle(12);
    const float standing = settle(50);
    CHECK(standing < seated - 100); // standing up (more weight on the leg) rises
    CHECK(scene.value_at_y(standing) == Approx(50).margin(0.5));
}
