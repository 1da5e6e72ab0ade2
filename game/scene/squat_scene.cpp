#include "game/scene/squat_scene.hpp"

#include "game/gfx.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace qv::game {

namespace {
constexpr float kBodyR = 0.7f;       // the body's radius, metres
constexpr float kStiffness = 220.0f; // 1/s^2: how tightly the body follows the value
constexpr float kDamping = 27.0f;    // 1/s: close to critical damping
constexpr double kParticleLife = 2.2;
constexpr std::uint16_t kCatBody = 0x1, kCatParticle = 0x2, kCatFloor = 0x4;

float metres_y(float y_px) {
    return (static_cast<float>(Gfx::kHeight) - y_px) / SquatScene::kPixelsPerMeter;
}
float px_y(float y_m) {
    return static_cast<float>(Gfx::kHeight) - y_m * SquatScene::kPixelsPerMeter;
}
} // namespace

SquatScene::SquatScene(double display_max, bool bubbles, std::uint64_t seed, bool larger_is_higher)
    : display_max_(std::max(1.0, display_max)), bubbles_(bubbles),
      larger_is_higher_(larger_is_higher), rng_(seed),
      // Bubbles rise: the diver's world has buoyancy instead of gravity for its particles.
      world_(std::make_unique<b2World>(b2Vec2(0.0f, bubbles ? 3.0f : -9.8f))) {
    b2BodyDef floor_def;
    b2Body* floor = world_->CreateBody(&floor_def);
    b2EdgeShape edge;
    const float floor_y = metres_y(bottom_y_px() + 40.0f);
    edge.SetTwoSided(b2Vec2(-10.0f, floor_y), b2Vec2(40.0f, floor_y));
    b2FixtureDef ff;
    ff.shape = &edge;
    ff.friction = 0.6f;
    ff.filter.categoryBits = kCatFloor;
    floor->CreateFixture(&ff);

    b2BodyDef bd;
    bd.type = b2_dynamicBody;
    bd.position.Set(player_x_px() / kPixelsPerMeter, metres_y(y_for(0)));
    bd.angularDamping = 4.0f;
    bd.gravityScale = 0.0f; // the spring carries it; gravity is only for the particles
    body_ = world_->CreateBody(&bd);
    b2CircleShape circle;
    circle.m_radius = kBodyR;
    b2FixtureDef bf;
    bf.shape = &circle;
    bf.density = 1.0f;
    bf.filter.categoryBits = kCatBody;
    bf.filter.maskBits = 0; // nothing pushes the player's body around
    body_->CreateFixture(&bf);
}

SquatScene::~SquatScene() = default;

float SquatScene::y_for(double value) const {
    const double share = larger_is_higher_ ? 1.0 - value / display_max_ : value / display_max_;
    const double f = std::clamp(share, -0.05, 1.05);
    return top_y_px() + static_cast<float>(f) * (bottom_y_px() - top_y_px());
}

double SquatScene::value_at_y(float y_px) const {
    const auto f = static_cast<double>((y_px - top_y_px()) / (bottom_y_px() - top_y_px()));
    return (larger_is_higher_ ? 1.0 - f : f) * display_max_;
}

float SquatScene::body_x_px() const {
    return body_->GetPosition().x * kPixelsPerMeter;
}
float SquatScene::body_y_px() const {
    return px_y(body_->GetPosition().y);
}
float SquatScene::body_tilt() const {
    return body_->GetAngle();
}

int SquatScene::step(double dt) {
    accumulator_ += std::clamp(dt, 0.0, 0.25);
    int steps = 0;
    while (accumulator_ >= kStep) {
        fixed_step();
        accumulator_ -= kStep;
        ++steps;
    }
    particles_view_.clear();
    for (const auto& p : particles_) {
        const b2Vec2 pos = p.body->GetPosition();
        particles_view_.push_back({pos.x * kPixelsPerMeter, px_y(pos.y),
                                   p.radius_m * kPixelsPerMeter, static_cast<float>(p.age_s)});
    }
    return steps;
}

void SquatScene::fixed_step() {
    const auto dt = static_cast<float>(kStep);
    const b2Vec2 pos = body_->GetPosition();
    const b2Vec2 vel = body_->GetLinearVelocity();
    const float m = body_->GetMass();
    const float target_y = metres_y(y_for(value_));
    const float target_x = player_x_px() / kPixelsPerMeter;
    const float fy = m * (kStiffness * (target_y - pos.y) - kDamping * vel.y);
    const float fx = m * (kStiffness * (target_x - pos.x) - kDamping * vel.x);
    body_->ApplyForceToCenter(b2Vec2(fx, fy), true);
    // Lean into the movement: going down tilts forward, coming up tilts back.
    const float lean = std::clamp(-vel.y * 0.08f, -0.35f, 0.35f);
    body_->ApplyTorque(m * (6.0f * (lean - body_->GetAngle())), true);

    world_->Step(dt, 8, 3);
    wheel_angle_ += dt * pixels_per_second() / (kBodyR * kPixelsPerMeter);

    // A steady trickle of dust or bubbles so the world feels alive; more when moving fast.
    dust_timer_ += kStep * (1.0 + 4.0 * std::min(1.0f, std::abs(vel.y)));
    if (dust_timer_ >= 0.25) {
        dust_timer_ = 0;
        burst(1);
    }
    for (auto& p : particles_) {
        p.age_s += kStep;
    }
    auto dead = std::remove_if(particles_.begin(), particles_.end(), [&](const Particle& p) {
        if (p.age_s < kParticleLife) {
            return false;
        }
        world_->DestroyBody(p.body);
        return true;
    });
    particles_.erase(dead, particles_.end());
}

void SquatScene::burst(int count) {
    const b2Vec2 origin = body_->GetPosition();
    for (int i = 0; i < count; ++i) {
        b2BodyDef bd;
        bd.type = b2_dynamicBody;
        const auto dx = static_cast<float>(rng_.uniform(-0.5, 0.5));
        // Dust comes off the wheel behind the rider; bubbles off the diver's helmet.
        bd.position = bubbles_ ? b2Vec2(origin.x + dx * 0.6f, origin.y + kBodyR)
                               : b2Vec2(origin.x - kBodyR * 0.8f, origin.y - kBodyR);
        const auto angle = static_cast<float>(bubbles_ ? rng_.uniform(1.2, 1.9)   // up
                                                       : rng_.uniform(2.2, 2.9)); // back, up
        const auto speed = static_cast<float>(rng_.uniform(1.0, 3.0));
        bd.linearVelocity = b2Vec2(speed * std::cos(angle), speed * std::sin(angle));
        bd.linearDamping = bubbles_ ? 1.5f : 0.3f;
        b2Body* body = world_->CreateBody(&bd);
        b2CircleShape shape;
        const auto r = static_cast<float>(rng_.uniform(0.06, 0.16));
        shape.m_radius = r;
        b2FixtureDef fd;
        fd.shape = &shape;
        fd.density = 0.5f;
        fd.restitution = 0.3f;
        fd.filter.categoryBits = kCatParticle;
        fd.filter.maskBits = kCatFloor;
        body->CreateFixture(&fd);
        particles_.push_back({body, 0.0, r});
    }
}

std::uint64_t SquatScene::state_hash() const {
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](float v) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &v, sizeof bits);
        for (int i = 0; i < 4; ++i) {
            h ^= (bits >> (8 * i)) & 0xffu;
            h *= 1099511628211ull;
        }
    };
    for (const b2Body* b = world_->GetBodyList(); b != nullptr; b = b->GetNext()) {
        mix(b->GetPosition().x);
        mix(b->GetPosition().y);
        mix(b->GetAngle());
        mix(b->GetLinearVelocity().x);
        mix(b->GetLinearVelocity().y);
    }
    return h;
}

} // namespace qv::game
