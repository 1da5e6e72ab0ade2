#pragma once
// The simulator source: a virtual patient (PatientModel) who follows the game's cues. Drives
// demos and tests; its data are labelled "simulator", never measurements.

#include "input/drivers/simulator/patient_model.hpp"
#include "input/sampled_source.hpp"

#include <atomic>
#include <mutex>

namespace qv::input {

/// Thread-safe cue setter for the game thread; advance_to() on the input thread.
/// By default it is a load cell (Channel::Force); set_channel(Channel::KneeAngle) makes it a
/// knee-angle sensor for the knee-angle squat mode.
class SimulatorSource final : public SampledSource {
  public:
    SimulatorSource(const SimPatientParams& params, std::uint64_t seed);

    const SourceIdentity& identity() const override { return identity_; }
    SourceCaps caps() const override;
    bool start(SampleSink& sink) override;

    /// Which sensor the virtual patient wears: Force (the load cell or force pad) or KneeAngle.
    /// Samples after the call carry the new channel (game thread).
    void set_channel(Channel channel);
    Channel channel() const;
    /// The chances of faulty squats (seeded with the source's seed).
    void set_squat_habits(const SquatHabits& habits);

    /// What the screen is asking for now (game thread).
    void set_cue(const PatientCue& cue);
    PatientCue cue() const;
    /// Remaining capacity of the virtual muscle (for tests and the demo summary).
    double capacity() const;

  private:
    // Relabels the base class's samples with the channel in use (the base emits Force).
    class ChannelSink final : public SampleSink {
      public:
        explicit ChannelSink(const SimulatorSource& owner) : owner_(owner) {}
        bool push(const Sample& sample) override;
        SampleSink* target = nullptr;

      private:
        const SimulatorSource& owner_;
    };

    double next_value(double dt_s) override;
    SimPatientParams p_;
    Channel channel_ = Channel::Force; // guarded by mutex_
    ChannelSink relabel_{*this};
    SourceIdentity identity_;
    PatientModel model_;
    PatientCue cue_;
};

} // namespace qv::input
