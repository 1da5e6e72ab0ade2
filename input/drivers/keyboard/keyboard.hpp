#pragma once
// The keyboard as a force source: holding the push key ramps force toward the chosen effort with
// a muscle-like rise time; releasing it decays. The game thread writes the key state; the source
// turns it into samples labelled "keyboard" (never measurements).

#include "core/rng.hpp"
#include "core/tuning.hpp"
#include "input/sampled_source.hpp"

#include <atomic>
#include <mutex>

namespace qv::input {

/// The keyboard source. Thread-safe setters for the game thread; advance_to() on the input thread.
class KeyboardSource final : public SampledSource {
  public:
    KeyboardSource(const KeyboardModelParams& params, std::uint64_t seed);

    const SourceIdentity& identity() const override { return identity_; }

    /// Push key pressed or released (game thread).
    void set_pushing(bool pushing) { pushing_.store(pushing); }
    bool pushing() const { return pushing_.load(); }
    /// Changes effort by `steps` arrow presses (or wheel notches); clamped to 0..1.
    void nudge_effort(int steps);
    /// Effort 0..1 that a held key drives toward.
    double effort() const { return effort_.load(); }
    /// Newtons at full effort (for the HUD hint).
    double max_force_n() const { return p_.max_force_n; }

  private:
    double next_value(double dt_s) override;
    KeyboardModelParams p_;
    SourceIdentity identity_;
    std::atomic<bool> pushing_{false};
    std::atomic<double> effort_;
    Rng rng_;
    double force_n_ = 0;
};

} // namespace qv::input
