#include "game/scene/quadset_scene.hpp"

#include "game/gfx.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace qv::game {

namespace {
constexpr float kGroundM = 1.9f;  // ground height above the bottom edge
constexpr float kBalloonR = 1.1f; // balloon radius
constexpr float kBalloonX = 9.0f; // where the balloon floats horizontally
constexpr float kRestY = kGroundM + 1.9f;
constexpr float kTopY = 13.0f;
constexpr float kStiffness = 160.0f; // 1/s^2: how tightly height follows force
constexpr float kDamping = 23.0f;    // 1/s: just under critical damping (a slight float)
constexpr double kStarLife = 3.5;
constexpr std::uint16_t kCatBalloon = 0x1, kCatStar = 0x2, kCatGround = 0x4;

float px_y(float y_m) {
    return static_cast<float>(Gfx::kHeight) - y_m * QuadSetScene::kPixelsPerMeter;
}
} // namespace

QuadSetScene::QuadSetScene(double display_max_pct, std::uint64_t seed)
    : display_max_pct_(std::max(1.0, display_max_pct)), rng_(seed),
      world_(std::make_unique<b2World>(b2Vec2(0.0f, -9.8f))) {
    b2BodyDef ground_def;
    b2Body* ground = world_->CreateBody(&ground_def);
    b2EdgeShape edge;
    edge.SetTwoSided(b2Vec2(-10.0f, kGroundM), b2Vec2(40.0f, kGroundM));
    b2FixtureDef gf;
    gf.shape = &edge;
    gf.friction = 0.6f;
    gf.filter.categoryBits = kCatGround;
    ground->CreateFixture(&gf);

    b2BodyDef bd;
    bd.type = b2_dynamicBody;
    bd.position.Set(kBalloonX, kRestY);
    bd.fixedRotation = false;
    bd.angularDamping = 3.0f;
    balloon_ = world_->CreateBody(&bd);
    b2CircleShape circle;
    circle.m_radius = kBalloonR;
    b2FixtureDef bf;
    bf.shape = &circle;
    bf.density = 0.3f;
    bf.filter.categoryBits = kCatBalloon;
    bf.filter.maskBits = kCatGround;
    balloon_->CreateFixture(&bf);
}

QuadSetScene::~QuadSetScene() = default;

float QuadSetScene::ground_y_px() {
    return px_y(kGroundM);
}

float QuadSetScene::y_for_pct(double pct) const {
    const double f = std::clamp(pct / display_max_pct_, 0.0, 1.0);
    return px_y(static_cast<float>(kRestY + f * (kTopY - kRestY)));
}

float QuadSetScene::balloon_x_px() const {
    return balloon_->GetPosition().x * kPixelsPerMeter;
}
float QuadSetScene::balloon_y_px() const {
    return px_y(balloon_->GetPosition().y);
}
float QuadSetScene::balloon_tilt() const {
    return balloon_->GetAngle();
}

int QuadSetScene::step(double dt) {
    accumulator_ += std::clamp(dt, 0.0, 0.25);
    int steps = 0;
    while (accumulator_ >= kStep) {
        fixed_step();
        accumulator_ -= kStep;
        ++steps;
    }
    stars_view_.clear();
    for (const auto& s : star_bodies_) {
        const b2Vec2 p = s.body->GetPosition();
        stars_view_.push_back(
            {p.x * kPixelsPerMeter, px_y(p.y), s.body->GetAngle(), static_cast<float>(s.age_s)});
    }
    return steps;
}

void QuadSetScene::fixed_step() {
    const auto dt = static_cast<float>(kStep);
    // Lift: a spring-damper toward the height that the force asks for, on top of gravity.
    const double f = std::clamp(effort_pct_ / display_max_pct_, 0.0, 1.1);
    const float target_y = kRestY + static_cast<float>(f) * (kTopY - kRestY);
    const b2Vec2 pos = balloon_->GetPosition();
    const b2Vec2 vel = balloon_->GetLinearVelocity();
    const float m = balloon_->GetMass();
    const float fy = m * (9.8f + kStiffness * (target_y - pos.y) - kDamping * vel.y);
    const float fx = m * (8.0f * (kBalloonX - pos.x) - 4.0f * vel.x);
    // Apply the lift above the centre so the balloon sways a little when it climbs.
    balloon_->ApplyForce(b2Vec2(fx, fy), balloon_->GetWorldPoint(b2Vec2(0.0f, 0.4f)), true);
    balloon_->ApplyTorque(-balloon_->GetAngle() * m * 4.0f, true);

    world_->Step(dt, 8, 3);
    scroll_px_ += 40.0 * kStep; // the landscape drifts by at a calm pace

    for (auto& s : star_bodies_) {
        s.age_s += kStep;
    }
    auto dead = std::remove_if(star_bodies_.begin(), star_bodies_.end(), [&](const Star& s) {
        if (s.age_s < kStarLife) {
            return false;
        }
        world_->DestroyBody(s.body);
        return true;
    });
    star_bodies_.erase(dead, star_bodies_.end());
}

void QuadSetScene::burst(int count) {
    const b2Vec2 origin = balloon_->GetPosition();
    for (int i = 0; i < count; ++i) {
        b2BodyDef bd;
        bd.type = b2_dynamicBody;
        bd.position = origin;
        bd.angle = static_cast<float>(rng_.uniform(0.0, 6.28));
        const auto angle = static_cast<float>(rng_.uniform(0.3, 2.84)); // upward fan
        const auto speed = static_cast<float>(rng_.uniform(4.0, 9.0));
        bd.linearVelocity = b2Vec2(speed * std::cos(angle), speed * std::sin(angle));
        bd.angularVelocity = static_cast<float>(rng_.uniform(-6.0, 6.0));
        b2Body* body = world_->CreateBody(&bd);
        b2PolygonShape shape;
        shape.SetAsBox(0.18f, 0.18f);
        b2FixtureDef fd;
        fd.shape = &shape;
        fd.density = 1.0f;
        fd.restitution = 0.55f;
        fd.friction = 0.4f;
        fd.filter.categoryBits = kCatStar;
        fd.filter.maskBits = kCatGround;
        body->CreateFixture(&fd);
        star_bodies_.push_back({body, 0.0});
    }
}

std::uint64_t QuadSetScene::state_hash() const {
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
