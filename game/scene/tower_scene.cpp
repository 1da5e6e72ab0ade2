#include "game/scene/tower_scene.hpp"

#include "game/gfx.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace qv::game {

namespace {
// The sky's scale is the balloon's (QuadSetScene): the same % MVC sits at the same height.
constexpr float kGroundM = 1.9f;          // ground height above the bottom edge
constexpr float kRestY = kGroundM + 1.9f; // the load's centre at 0 % MVC
constexpr float kTopY = 13.0f;            // the load's centre at display_max_pct
constexpr float kStiffness = 160.0f;      // 1/s^2: how tightly height follows force
constexpr float kDamping = 23.0f;         // 1/s: just under critical damping (a slight float)

constexpr float kHookX = 9.0f;                                // where the hoist hangs
constexpr float kSlingM = 0.3f;                               // hook to the block's top edge
constexpr float kHang = kSlingM + 0.5f * TowerScene::kBlockH; // hook to the load's centre
constexpr float kJibM = 14.4f - 0.5f;     // underside of the jib (top of the screen)
constexpr float kHookTopM = kJibM - 0.3f; // the hoist's upper limit
constexpr float kSitesM[TowerScene::kTowers] = {14.6f, 18.3f, 22.0f};
constexpr double kFlight_s = 1.0;      // from the hook to above the tower
constexpr float kDropM = 0.45f;        // let go this far above the tower's top
constexpr float kMaxOffsetM = 0.12f;   // sideways scatter of a released block
constexpr double kRehang_s = 0.7;      // the hook is empty this long after a release
constexpr double kLandingLife_s = 1.6; // sparkles where a block landed
constexpr std::uint16_t kCatGround = 0x1, kCatBlock = 0x2;

float px_y(float y_m) {
    return static_cast<float>(Gfx::kHeight) - y_m * TowerScene::kPixelsPerMeter;
}

b2Vec2 on_curve(const b2Vec2& a, const b2Vec2& b, const b2Vec2& c, float u) {
    const float v = 1.0f - u;
    return v * v * a + 2.0f * v * u * b + u * u * c;
}

float ease(double u) {
    const auto x = static_cast<float>(std::clamp(u, 0.0, 1.0));
    return x * x * (3.0f - 2.0f * x);
}

void set_mask(b2Body* body, std::uint16_t mask) {
    for (b2Fixture* f = body->GetFixtureList(); f != nullptr; f = f->GetNext()) {
        b2Filter filter = f->GetFilterData();
        filter.maskBits = mask;
        f->SetFilterData(filter);
    }
}
} // namespace

TowerScene::TowerScene(double display_max_pct, std::uint64_t seed)
    : display_max_pct_(std::max(1.0, display_max_pct)), rng_(seed),
      world_(std::make_unique<b2World>(b2Vec2(0.0f, -9.8f))) {
    b2BodyDef ground_def;
    b2Body* ground = world_->CreateBody(&ground_def);
    b2EdgeShape edge;
    edge.SetTwoSided(b2Vec2(-10.0f, kGroundM), b2Vec2(40.0f, kGroundM));
    b2FixtureDef gf;
    gf.shape = &edge;
    gf.friction = 0.9f;
    gf.filter.categoryBits = kCatGround;
    ground->CreateFixture(&gf);

    b2BodyDef hd;
    hd.type = b2_kinematicBody;
    hook_y_m_ = kRestY + kHang;
    hd.position.Set(kHookX, hook_y_m_);
    hook_ = world_->CreateBody(&hd);
    gust_phase_ = static_cast<float>(rng_.uniform(0.0, 6.28));
    hang_new_load();
}

TowerScene::~TowerScene() = default;

float TowerScene::ground_y_px() {
    return px_y(kGroundM);
}
float TowerScene::jib_y_px() {
    return px_y(kJibM);
}
float TowerScene::tower_x_px(int i) {
    return kSitesM[std::clamp(i, 0, kTowers - 1)] * kPixelsPerMeter;
}

float TowerScene::y_for_pct(double pct) const {
    const double f = std::clamp(pct / display_max_pct_, 0.0, 1.0);
    return px_y(static_cast<float>(kRestY + f * (kTopY - kRestY)));
}

float TowerScene::hook_x_px() const {
    return hook_->GetPosition().x * kPixelsPerMeter;
}
float TowerScene::hook_y_px() const {
    return px_y(hook_->GetPosition().y);
}

TowerBlock TowerScene::load() const {
    TowerBlock b;
    if (load_ == nullptr) {
        return b;
    }
    const b2Vec2 p = load_->GetPosition();
    b.x_px = p.x * kPixelsPerMeter;
    b.y_px = px_y(p.y);
    b.angle = load_->GetAngle();
    b.w_px = kBlockW * kPixelsPerMeter;
    b.h_px = kBlockH * kPixelsPerMeter;
    b.colour = load_colour_;
    b.age_s = static_cast<float>(load_age_s_);
    b.speed_px_s = load_->GetLinearVelocity().Length() * kPixelsPerMeter;
    return b;
}

void TowerScene::hang_new_load() {
    // A different colour from the block before it.
    load_colour_ =
        (load_colour_ + 1 + static_cast<int>(rng_.uniform() * (kColours - 1))) % kColours;
    load_age_s_ = 0;
    b2BodyDef bd;
    bd.type = b2_dynamicBody;
    const b2Vec2 hook = hook_->GetPosition();
    bd.position.Set(hook.x, hook.y - kHang);
    bd.linearDamping = 0.15f;
    bd.angularDamping = 0.4f;
    // A little sideways nudge as it is hooked on, so it swings from the start.
    bd.linearVelocity.Set(static_cast<float>(rng_.uniform(-0.35, 0.35)), 0.0f);
    load_ = world_->CreateBody(&bd);
    b2PolygonShape box;
    box.SetAsBox(0.5f * kBlockW, 0.5f * kBlockH);
    b2FixtureDef fd;
    fd.shape = &box;
    fd.density = 1.0f;
    fd.friction = 0.9f;
    fd.restitution = 0.02f;
    fd.filter.categoryBits = kCatBlock;
    fd.filter.maskBits = 0; // on the hook it touches nothing
    load_->CreateFixture(&fd);
    b2RevoluteJointDef jd;
    jd.Initialize(hook_, load_, hook);
    sling_ = world_->CreateJoint(&jd);
}

TowerBlock TowerScene::next_slot() const {
    const int site = (dropped_ / kPerTower) % kTowers;
    const bool fresh = dropped_ >= kPerTower * kTowers && dropped_ % kPerTower == 0;
    TowerBlock b;
    b.x_px = kSitesM[site] * kPixelsPerMeter;
    b.y_px = px_y((fresh ? kGroundM : site_top_m(site)) + 0.5f * kBlockH);
    b.w_px = kBlockW * kPixelsPerMeter;
    b.h_px = kBlockH * kPixelsPerMeter;
    return b;
}

float TowerScene::site_top_m(int site) const {
    int count = 0;
    float top = kGroundM;
    for (const auto& b : blocks_) {
        if (b.site != site) {
            continue;
        }
        ++count;
        if (b.state != Block::State::Flying) {
            top = std::max(top, b.body->GetPosition().y + 0.5f * kBlockH);
        }
    }
    // Blocks still on their way count as if they had landed already.
    return std::max(top, kGroundM + static_cast<float>(count) * kBlockH);
}

void TowerScene::drop_block() {
    if (load_ == nullptr) {
        return;
    }
    const int site = (dropped_ / kPerTower) % kTowers;
    if (dropped_ >= kPerTower * kTowers && dropped_ % kPerTower == 0) {
        // Every site is built: clear this one for a new tower.
        auto gone = std::remove_if(blocks_.begin(), blocks_.end(), [&](const Block& b) {
            if (b.site != site) {
                return false;
            }
            world_->DestroyBody(b.body);
            return true;
        });
        blocks_.erase(gone, blocks_.end());
    }
    world_->DestroyJoint(sling_);
    sling_ = nullptr;

    Block b;
    b.body = load_;
    b.colour = load_colour_;
    b.site = site;
    b.from = load_->GetPosition();
    b.from_angle = load_->GetAngle();
    const float top = site_top_m(site);
    b.to.Set(kSitesM[site] + static_cast<float>(rng_.uniform(-kMaxOffsetM, kMaxOffsetM)),
             top + 0.5f * kBlockH + kDropM);
    // Over everything already built on the way, below the jib.
    float highest = std::max(b.from.y, b.to.y);
    for (int s = 0; s < kTowers; ++s) {
        highest = std::max(highest, site_top_m(s) + kBlockH);
    }
    b.via.Set(0.5f * (b.from.x + b.to.x), std::min(highest + 2.5f, kJibM + 1.5f));
    load_->SetType(b2_kinematicBody);
    load_->SetAngularVelocity(0.0f);
    blocks_.push_back(b);
    load_ = nullptr;
    rehang_in_s_ = kRehang_s;
    ++dropped_;
}

int TowerScene::step(double dt) {
    accumulator_ += std::clamp(dt, 0.0, 0.25);
    int steps = 0;
    while (accumulator_ >= kStep) {
        fixed_step();
        accumulator_ -= kStep;
        ++steps;
    }
    refresh_views();
    return steps;
}

void TowerScene::fly(Block& b) {
    const auto dt = static_cast<float>(kStep);
    const double next = b.age_s + kStep;
    if (next >= kFlight_s) {
        // Let go: from here on it is an ordinary falling box.
        b.body->SetType(b2_dynamicBody);
        b.body->SetLinearVelocity(b2Vec2(0.0f, 0.0f));
        b.body->SetAngularVelocity(0.0f);
        b.body->SetTransform(b.to, 0.0f);
        set_mask(b.body, kCatGround | kCatBlock);
        b.body->SetAwake(true);
        b.state = Block::State::Falling;
        b.age_s = 0;
        return;
    }
    const float u = ease(next / kFlight_s);
    const b2Vec2 goal = on_curve(b.from, b.via, b.to, u);
    b.body->SetLinearVelocity((1.0f / dt) * (goal - b.body->GetPosition()));
    const float angle = b.from_angle * (1.0f - u);
    b.body->SetAngularVelocity((angle - b.body->GetAngle()) / dt);
    b.age_s = next;
}

void TowerScene::fixed_step() {
    const auto dt = static_cast<float>(kStep);
    // The hoist: a spring-damper toward the height the force asks for (the balloon's constants),
    // driving the kinematic hook, so the load's height follows the force as the balloon's does.
    const double f = std::clamp(effort_pct_ / display_max_pct_, 0.0, 1.1);
    const float target =
        std::min(kRestY + static_cast<float>(f) * (kTopY - kRestY) + kHang, kHookTopM);
    const float hook_ay = kStiffness * (target - hook_y_m_) - kDamping * hook_vy_;
    hook_vy_ += dt * hook_ay;
    hook_y_m_ += dt * hook_vy_;
    const b2Vec2 hp = hook_->GetPosition();
    hook_->SetLinearVelocity(b2Vec2((kHookX - hp.x) / dt, (hook_y_m_ - hp.y) / dt));

    if (load_ != nullptr) {
        // The hoist carries the load's inertia as well as the hook's: without this, the hook's
        // quick starts and stops (the balloon's response) would throw the block over the hook
        // whenever it decelerates faster than gravity. So the block swings as under a still hook,
        // kept going a little by a light breeze.
        const auto t = static_cast<float>(time_s_);
        const float gust = 0.3f * std::sin(1.9f * t + gust_phase_) +
                           0.15f * std::sin(1.2f * t + 2.0f * gust_phase_);
        const float m = load_->GetMass();
        load_->ApplyForceToCenter(b2Vec2(m * gust, m * hook_ay), true);
    }
    for (auto& b : blocks_) {
        if (b.state == Block::State::Flying) {
            fly(b);
        }
    }

    world_->Step(dt, 10, 4);
    time_s_ += kStep;
    load_age_s_ += kStep;

    for (auto& b : blocks_) {
        if (b.state == Block::State::Landed) {
            b.age_s += kStep;
        } else if (b.state == Block::State::Falling) {
            b.age_s += kStep;
            for (const b2ContactEdge* ce = b.body->GetContactList(); ce != nullptr; ce = ce->next) {
                if (ce->contact->IsTouching()) {
                    b.state = Block::State::Landed;
                    b.age_s = 0;
                    const b2Vec2 p = b.body->GetPosition();
                    landings_.push_back({b2Vec2(p.x, p.y - 0.5f * kBlockH), 0.0});
                    break;
                }
            }
        }
    }
    for (auto& l : landings_) {
        l.age_s += kStep;
    }
    std::erase_if(landings_, [](const Landing& l) { return l.age_s >= kLandingLife_s; });

    if (load_ == nullptr) {
        rehang_in_s_ -= kStep;
        if (rehang_in_s_ <= 0) {
            hang_new_load();
        }
    }
}

void TowerScene::refresh_views() {
    blocks_view_.clear();
    for (const auto& b : blocks_) {
        const b2Vec2 p = b.body->GetPosition();
        TowerBlock v;
        v.x_px = p.x * kPixelsPerMeter;
        v.y_px = px_y(p.y);
        v.angle = b.body->GetAngle();
        v.w_px = kBlockW * kPixelsPerMeter;
        v.h_px = kBlockH * kPixelsPerMeter;
        v.colour = b.colour;
        v.landed = b.state == Block::State::Landed;
        v.age_s = v.landed ? static_cast<float>(b.age_s) : 0.0f;
        v.speed_px_s = b.body->GetLinearVelocity().Length() * kPixelsPerMeter;
        blocks_view_.push_back(v);
    }
    landings_view_.clear();
    for (const auto& l : landings_) {
        landings_view_.push_back(
            {l.at.x * kPixelsPerMeter, px_y(l.at.y), static_cast<float>(l.age_s)});
    }
}

std::uint64_t TowerScene::state_hash() const {
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
        mix(b->GetAngularVelocity());
    }
    return h;
}

} // namespace qv::game
