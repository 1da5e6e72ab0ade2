#pragma once
// Watches the active source while a screen depends on it (play, calibration). When a sensor is
// unplugged or breaks, the screen pauses and shows why; samples already taken stay where they
// are. The guard tries to bring the same sensor back about once a second and resumes when it
// returns, or switches to the keyboard when the player asks (K). Data from the keyboard are then
// labelled as such.

#include "core/sample.hpp"
#include "game/gfx.hpp"

#include <SDL.h>
#include <cstdint>
#include <string>

namespace qv::input {
class Source;
}

namespace qv::game {

struct Context;

/// What a set's data went through: counted per reading as they are played, stored with the set
/// (sets.quality_json) so a clinician can tell a clean measurement from a noisy or partial one.
struct SetQuality {
    /// `dropped_at_start`: the hub's dropped-sample count when the set began.
    explicit SetQuality(std::uint64_t dropped_at_start_) : dropped_at_start(dropped_at_start_) {}

    std::uint64_t dropped_at_start = 0;
    std::uint64_t readings = 0;
    std::uint64_t spikes = 0;
    std::uint64_t saturated = 0;
    std::uint64_t gaps = 0;
    std::uint64_t drift_warnings = 0;
    std::string switched_from; ///< the sensor this set began on, when it moved to the keyboard

    /// Counts one reading's flags.
    void count(std::uint16_t flags);
    /// {"source": ..., "is_measurement": ..., "readings": ..., "dropped": ..., ...}
    std::string json(const input::Source* source, std::uint64_t dropped_now) const;
};

class SensorGuard {
  public:
    enum class Status {
        Ok,          ///< the source streams: carry on
        Lost,        ///< the source is gone: stay paused, draw the card
        Reconnected, ///< it came back this frame: resume
        Switched,    ///< the player switched to the keyboard this frame: resume
    };

    explicit SensorGuard(Context& ctx);

    /// Checks the source; while lost, retries every `retry_s`. Call once per frame.
    Status step(double dt);
    /// K switches to the keyboard while lost. True when used.
    bool handle(const SDL_Event& e);
    /// True from the frame the loss is seen until it is resolved.
    bool lost() const { return lost_; }
    /// The dimmed card explaining what happened and what to do.
    void draw_card(Gfx& gfx) const;
    /// A small chip naming the source and whether it streams (shape and words, not colour
    /// alone), right-aligned at (right, y).
    void draw_indicator(Gfx& gfx, float right, float y) const;
    /// The driver that was lost (the last one, once resolved).
    const std::string& lost_driver() const { return lost_driver_; }
    /// Seconds the current loss has lasted.
    double lost_for_s() const { return lost_for_s_; }

  private:
    bool source_ok() const;
    Context& ctx_;
    bool lost_ = false;
    bool switched_ = false; ///< handle() moved to the keyboard; step() reports it
    double lost_for_s_ = 0;
    double retry_in_s_ = 0;
    int attempts_ = 0;
    std::string lost_driver_;
    std::string reason_;
};

} // namespace qv::game
