#pragma once
// The physics of the quad-set game: a balloon whose height follows the player's force (more push,
// more lift) and stars that burst from it when a hold completes and bounce on the ground.
// Fixed time step and our own seeded RNG, so the same inputs give the same body states.

#include "core/rng.hpp"

#include <box2d/box2d.h>
#include <cstdint>
#include <memory>
#include <vector>

namespace qv::game {

/// A burst star as drawn.
struct SceneStar {
    float x_px, y_px, angle, age_s;
};

/// Owns the Box2D world and its bodies.
class QuadSetScene {
  public:
    static constexpr float kPixelsPerMeter = 50.0f;
    static constexpr double kStep = 1.0 / 120.0;

    /// `display_max_pct`: the % MVC shown at the top of the sky.
    QuadSetScene(double display_max_pct, std::uint64_t seed);
    ~QuadSetScene();
    QuadSetScene(const QuadSetScene&) = delete;
    QuadSetScene& operator=(const QuadSetScene&) = delete;

    /// The force to show, % MVC.
    void set_effort(double pct) { effort_pct_ = pct; }
    /// Advances the world by dt in fixed steps; returns the number of steps taken.
    int step(double dt);
    /// Releases `count` stars from the balloon.
    void burst(int count);

    /// Screen y (pixels) at which a given % MVC sits.
    float y_for_pct(double pct) const;
    /// Balloon centre in screen pixels.
    float balloon_x_px() const;
    float balloon_y_px() const;
    /// Balloon's sideways tilt, radians.
    float balloon_tilt() const;
    const std::vector<SceneStar>& stars() const { return stars_view_; }
    /// How far the landscape has scrolled (pixels), for parallax layers.
    double scroll_px() const { return scroll_px_; }
    /// Screen y of the ground.
    static float ground_y_px();
    /// A hash of every body's position, angle and velocity (determinism tests).
    std::uint64_t state_hash() const;

  private:
    void fixed_step();
    double display_max_pct_;
    Rng rng_;
    std::unique_ptr<b2World> world_;
    b2Body* balloon_ = nullptr;
    struct Star {
        b2Body* body;
        double age_s;
    };
    std::vector<Star> star_bodies_;
    std::vector<SceneStar> stars_view_;
    double effort_pct_ = 0;
    double accumulator_ = 0;
    double scroll_px_ = 0;
};

} // namespace qv::game
