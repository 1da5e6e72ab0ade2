#pragma once
// The physics of the second quad-set game: a crane on the left of a building site lifts a block
// with the player's push (the load's height follows the force exactly as the balloon's does) and
// every completed hold sends the block over to a tower on the right, where it lands on the ones
// before it (real stacking: dynamic boxes on a static ground). The block swings a little on its
// slings (a revolute joint under a kinematic hook). Fixed time step and our own seeded RNG, so the
// same inputs give the same body states.

#include "core/rng.hpp"

#include <box2d/box2d.h>
#include <cstdint>
#include <memory>
#include <vector>

namespace qv::game {

/// A block as drawn: centre, angle and size in screen pixels, its colour (an index into the
/// drawing's block colours) and how long ago it appeared (on the hook) or landed (on a tower).
struct TowerBlock {
    float x_px = 0, y_px = 0, angle = 0, w_px = 0, h_px = 0;
    int colour = 0;
    float age_s = 0;      ///< since it appeared on the hook, or since it landed (once landed)
    bool landed = false;  ///< it has touched the ground or a block
    float speed_px_s = 0; ///< how fast its centre moves
};

/// Where a block landed, for the sparkles drawn there.
struct TowerLanding {
    float x_px = 0, y_px = 0, age_s = 0;
};

/// Owns the Box2D world of the building site.
class TowerScene {
  public:
    static constexpr float kPixelsPerMeter = 50.0f;
    static constexpr double kStep = 1.0 / 120.0;
    static constexpr float kBlockW = 1.8f; ///< metres
    static constexpr float kBlockH = 0.8f;
    static constexpr int kPerTower = 10; ///< blocks per tower before the next one is started
    static constexpr int kTowers = 3;    ///< tower sites; the 31st block starts the first again
    static constexpr int kColours = 4;   ///< distinct block colours

    /// `display_max_pct`: the % MVC shown at the top of the sky (as for the balloon).
    TowerScene(double display_max_pct, std::uint64_t seed);
    ~TowerScene();
    TowerScene(const TowerScene&) = delete;
    TowerScene& operator=(const TowerScene&) = delete;

    /// The force to show, % MVC.
    void set_effort(double pct) { effort_pct_ = pct; }
    /// Advances the world by dt in fixed steps; returns the number of steps taken.
    int step(double dt);
    /// Releases the block on the hook: it flies over to the next tower, is let go a little above
    /// its top (with a small sideways offset from the RNG) and falls onto it; a new block appears
    /// on the hook.
    void drop_block();

    /// Screen y (pixels) at which a given % MVC sits: the same mapping as the balloon's.
    float y_for_pct(double pct) const;
    /// The hook in screen pixels (a fixed sling length above the load's centre).
    float hook_x_px() const;
    float hook_y_px() const;
    /// Screen y of the trolley on the jib that the hoist cable hangs from.
    static float jib_y_px();
    /// True while a block hangs on the hook (a new one is hung shortly after each release).
    bool has_load() const { return load_ != nullptr; }
    /// The block on the hook (its centre follows y_for_pct of the effort); only if has_load().
    TowerBlock load() const;
    /// Every released block: flying over, falling or stacked on a tower.
    const std::vector<TowerBlock>& blocks() const { return blocks_view_; }
    /// Where the next released block will stand (the top of the tower being built).
    TowerBlock next_slot() const;
    /// Recent landings (young first-touches), for sparkles.
    const std::vector<TowerLanding>& landings() const { return landings_view_; }
    /// Blocks released so far.
    int dropped() const { return dropped_; }
    /// Centre x (pixels) of tower site `i` (0..kTowers-1).
    static float tower_x_px(int i);
    /// Screen y of the ground.
    static float ground_y_px();
    /// Seconds of simulated time.
    double time_s() const { return time_s_; }
    /// A hash of every body's position, angle and velocity (determinism tests).
    std::uint64_t state_hash() const;

  private:
    struct Block {
        b2Body* body = nullptr;
        int colour = 0;
        int site = 0;
        enum class State { Flying, Falling, Landed } state = State::Flying;
        double age_s = 0;           ///< in flight: time since release; landed: time since landing
        b2Vec2 from{}, via{}, to{}; ///< the flight: a quadratic curve from the hook over the site
        float from_angle = 0;
    };
    struct Landing {
        b2Vec2 at;
        double age_s;
    };
    void fixed_step();
    void fly(Block& b);
    void hang_new_load();
    float site_top_m(int site) const;
    void refresh_views();

    double display_max_pct_;
    Rng rng_;
    std::unique_ptr<b2World> world_;
    b2Body* hook_ = nullptr;
    b2Body* load_ = nullptr;
    b2Joint* sling_ = nullptr;
    int load_colour_ = 0;
    double load_age_s_ = 0;
    double rehang_in_s_ = 0; ///< a new block is hung on the empty hook when this reaches 0
    float gust_phase_ = 0;   ///< the breeze that swings the load a little (seeded)
    float hook_y_m_ = 0, hook_vy_ = 0; ///< the hoist's own spring-damper state
    std::vector<Block> blocks_;
    std::vector<Landing> landings_;
    std::vector<TowerBlock> blocks_view_;
    std::vector<TowerLanding> landings_view_;
    int dropped_ = 0;
    double effort_pct_ = 0;
    double accumulator_ = 0;
    double time_s_ = 0;
};

} // namespace qv::game
