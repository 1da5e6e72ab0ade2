#pragma once
// The keyboard as a force source: holding the push key ramps force toward the chosen effort with
// a muscle-like rise time; releasing it decays. The game thread writes the key state; the source
// turns it into samples labelled "keyboard" (never measurements).
// In knee-angle mode (set_channel(Channel::KneeAngle), for controlled squats) the held arrows
// bend (Down) or straighten (Up) the knee at a bounded rate instead.

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
    SourceCaps caps() const override;
    bool start(SampleSink& sink) override;

    /// Push key pressed or released (game thread).
    void set_pushing(bool pushing) { pushing_.store(pushing); }
    bool pushing() const { return pushing_.load(); }
    /// Changes effort by `steps` arrow presses (or wheel notches); clamped to 0..1.
    void nudge_effort(int steps);
    /// Effort 0..1 that a held key drives toward.
    double effort() const { return effort_.load(); }
    /// Newtons at full effort (for the HUD hint).
    double max_force_n() const { return p_.max_force_n; }

    /// Force (default) or KneeAngle: what the samples after the call are (game thread).
    void set_channel(Channel channel);
    Channel channel() const;
    /// Knee-angle mode: the bend key (Down arrow) held or released (game thread).
    void set_bending(bool held) { bending_.store(held); }
    /// Knee-angle mode: the straighten key (Up arrow) held or released (game thread).
    void set_straightening(bool held) { straightening_.store(held); }
    /// Knee-angle mode: flexion now, degrees (0..angle_max_deg).
    double angle_deg() const { return angle_deg_.load(); }

  private:
    // Relabels the base class's samples with the channel in use (the base emits Force).
    class ChannelSink final : public SampleSink {
      public:
        explicit ChannelSink(const KeyboardSource& owner) : owner_(owner) {}
        bool push(const Sample& sample) override;
        SampleSink* target = nullptr;

      private:
        const KeyboardSource& owner_;
    };

    double next_value(double dt_s) override;
    KeyboardModelParams p_;
    SourceIdentity identity_;
    std::atomic<bool> pushing_{false};
    std::atomic<double> effort_;
    Rng rng_;
    double force_n_ = 0;
    Channel channel_ = Channel::Force; // guarded by mutex_
    std::atomic<bool> bending_{false};
    std::atomic<bool> straightening_{false};
    std::atomic<double> angle_deg_{0.0};
    ChannelSink relabel_{*this};
};

} // namespace qv::input
