#pragma once
// The keyboard as a force source: holding the push key ramps force toward the chosen effort with
// a muscle-like rise time; releasing it decays. The game thread writes the key state; the source
// turns it into samples labelled "keyboard" (never measurements).

#include "core/rng.hpp"
#include "core/tuning.hpp"
#include "input/source.hpp"

#include <atomic>
#include <mutex>

namespace qv::input {

/// The keyboard source. Thread-safe setters for the game thread; advance_to() on the input thread.
class KeyboardSource final : public ClockedSource {
  public:
    KeyboardSource(const KeyboardModelParams& params, std::uint64_t seed);

    const SourceIdentity& identity() const override { return identity_; }
    SourceCaps caps() const override;
    bool start(SampleSink& sink) override;
    void stop() override;
    SourceState state() const override;
    std::string last_error() const override { return {}; }
    void advance_to(Micros t_us) override;

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
    KeyboardModelParams p_;
    SourceIdentity identity_;
    std::atomic<bool> pushing_{false};
    std::atomic<double> effort_;
    std::atomic<SampleSink*> sink_{nullptr};
    std::mutex mutex_; // guards the model state below (advance_to vs start)
    Rng rng_;
    double force_n_ = 0;
    Micros last_t_ = -1;
    Micros next_sample_t_ = -1;
};

} // namespace qv::input
