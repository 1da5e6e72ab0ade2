#include "game/scene/quadset_scene.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using qv::game::QuadSetScene;

namespace {
// The same scripted effort for every run: rise, hold, burst, relax.
std::uint64_t run_script(std::uint64_t seed, int frames) {
    QuadSetScene scene(48.0, seed);
    for (int i = 0; i < frames; ++i) {
        scene.set_effort(i < 60 ? i * 0.4 : (i < 400 ? 25.0 + 2.0 * std::sin(i * 0.1) : 0.0));
        if (i == 200 || i == 320) {
            scene.burst(12);
        }
        scene.step(1.0 / 60.0);
    }
    return scene.state_hash();
}
} // namespace

SCENARIO("the physics is deterministic", "[scene]") {
    GIVEN("two scenes with the same seed and the same inputs") {
        THEN("their body states hash equal while stars fly and after they are gone") {
            CHECK(run_script(7, 350) == run_script(7, 350));
            CHECK(run_script(7, 600) == run_script(7, 600));
        }
    }
    GIVEN("a different seed") {
        THEN("the stars fly differently, so the hash differs while they are in the air") {
            CHECK(run_script(7, 350) != run_script(8, 350));
        }
    }
}

TEST_CASE("the balloon's height follows the force proportionally", "[scene]") {
    QuadSetScene scene(50.0, 1);
    auto settle = [&](double pct) {
        scene.set_effort(pct);
        for (int i = 0; i < 240; ++i) {
            scene.step(1.0 / 60.0);
        }
        return scene.balloon_y_px();
    };
    const float at10 = settle(10), at25 = settle(25), at40 = settle(40);
    // Within two pixels of where the sky puts that % MVC.
    CHECK(std::abs(at10 - scene.y_for_pct(10)) < 2.0f);
    CHECK(std::abs(at25 - scene.y_for_pct(25)) < 2.0f);
    CHECK(std::abs(at40 - scene.y_for_pct(40)) < 2.0f);
    // More push, more lift (screen y grows downward), in equal steps.
    CHECK(at40 < at25);
    CHECK(at25 < at10);
    CHECK(std::abs((at10 - at25) - (at25 - at40)) < 3.0f);
}

TEST_CASE("the balloon answers a push within a quarter of a second", "[scene]") {
    QuadSetScene scene(50.0, 1);
    for (int i = 0; i < 120; ++i) {
        scene.step(1.0 / 60.0);
    }
    const float start = scene.balloon_y_px(), goal = scene.y_for_pct(25);
    scene.set_effort(25);
    for (int i = 0; i < 15; ++i) { // 0.25 s
        scene.step(1.0 / 60.0);
    }
    const float covered = (start - scene.balloon_y_px()) / (start - goal);
    CHECK(covered > 0.8f);
}

TEST_CASE("burst stars fall to the ground and disappear", "[scene]") {
    QuadSetScene scene(50.0, 3);
    scene.burst(10);
    scene.step(1.0 / 60.0);
    CHECK(scene.stars().size() == 10);
    for (int i = 0; i < 60 * 3; ++i) {
        scene.step(1.0 / 60.0);
    }
    for (const auto& s : scene.stars()) {
        CHECK(s.y_px <= QuadSetScene::ground_y_px() + 1.0f); // resting on, not through, the ground
    }
    for (int i = 0; i < 60; ++i) {
        scene.step(1.0 / 60.0);
    }
    CHECK(scene.stars().empty());
}
