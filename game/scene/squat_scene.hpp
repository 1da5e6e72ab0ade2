#pragma once
// The physics of the controlled-squat games. The player's body (a rider on a track, or a diver in
// the water) is pulled toward the tracked value (knee flexion in degrees, or share of body
// weight) by a stiff spring in a Box2D world, so it moves smoothly and a little alive; particles
// (dust behind the wheel, bubbles around the diver) are dynamic bodies. Fixed time step and our
// own seeded RNG: the same inputs give the same body states.
//
// Screen layout shared by both games: x is time (the track scrolls right to left, the player
// sits at player_x_px()); y is depth, 0 at the top line (standing straight) and deeper further
// down, so bending the knee moves the body down the screen. In the force-pad modes the axis is
// turned over (larger_is_higher): more weight on the leg moves the body up, so standing up from
// a chair rises and even loading (50 %) sits in the middle.

#include "core/rng.hpp"

#include <box2d/box2d.h>
#include <cstdint>
#include <memory>
#include <vector>

namespace qv::game {

/// A particle as drawn.
struct SquatParticle {
    float x_px, y_px, radius_px, age_s;
};

/// Owns the Box2D world and its bodies.
class SquatScene {
  public:
    static constexpr float kPixelsPerMeter = 50.0f;
    static constexpr double kStep = 1.0 / 120.0;

    /// `display_max`: the deepest value on screen (at the bottom of the play area; at the top
    /// with `larger_is_higher`, where 0 is at the bottom). `bubbles`: particles float up (the
    /// diver) instead of falling as dust (the rider).
    SquatScene(double display_max, bool bubbles, std::uint64_t seed, bool larger_is_higher = false);
    ~SquatScene();
    SquatScene(const SquatScene&) = delete;
    SquatScene& operator=(const SquatScene&) = delete;

    /// The player's value now (degrees or % body weight).
    void set_value(double value) { value_ = value; }
    /// Advances the world by dt in fixed steps; returns the number of steps taken.
    int step(double dt);
    /// Releases `count` particles from the player's body (a rep well done).
    void burst(int count);

    /// Screen y (pixels) of a value.
    float y_for(double value) const;
    /// The value at a screen y (inverse of y_for).
    double value_at_y(float y_px) const;
    /// Where the player sits horizontally, and how many pixels one second of the trajectory is.
    static float player_x_px() { return 330.0f; }
    static float pixels_per_second() { return 110.0f; }
    /// Top and bottom of the play area.
    static float top_y_px() { return 270.0f; }
    static float bottom_y_px() { return 630.0f; }
    /// The player's body centre and tilt.
    float body_x_px() const;
    float body_y_px() const;
    float body_tilt() const;
    /// Wheel rotation (the rider), radians.
    float wheel_angle() const { return wheel_angle_; }
    const std::vector<SquatParticle>& particles() const { return particles_view_; }
    /// A hash of every body's position, angle and velocity (determinism tests).
    std::uint64_t state_hash() const;

  private:
    void fixed_step();
    double display_max_;
    bool bubbles_;
    bool larger_is_higher_;
    Rng rng_;
    std::unique_ptr<b2World> world_;
    b2Body* body_ = nullptr;
    struct Particle {
        b2Body* body;
        double age_s;
        float radius_m;
    };
    std::vector<Particle> particles_;
    std::vector<SquatParticle> particles_view_;
    double value_ = 0;
    double accumulator_ = 0;
    double dust_timer_ = 0;
    float wheel_angle_ = 0;
};

} // namespace qv::game
