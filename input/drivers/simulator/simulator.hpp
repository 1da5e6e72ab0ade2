#pragma once
// The simulator source: a virtual patient (PatientModel) who follows the game's cues. Drives
// demos and tests; its data are labelled "simulator", never measurements.

#include "input/drivers/simulator/patient_model.hpp"
#include "input/source.hpp"

#include <atomic>
#include <mutex>

namespace qv::input {

/// Thread-safe cue setter for the game thread; advance_to() on the input thread.
class SimulatorSource final : public ClockedSource {
  public:
    SimulatorSource(const SimPatientParams& params, std::uint64_t seed);

    const SourceIdentity& identity() const override { return identity_; }
    SourceCaps caps() const override;
    bool start(SampleSink& sink) override;
    void stop() override;
    SourceState state() const override;
    std::string last_error() const override { return {}; }
    void advance_to(Micros t_us) override;

    /// What the screen is asking for now (game thread).
    void set_cue(const PatientCue& cue);
    PatientCue cue() const;
    /// Remaining capacity of the virtual muscle (for tests and the demo summary).
    double capacity() const;

  private:
    SimPatientParams p_;
    SourceIdentity identity_;
    mutable std::mutex mutex_;
    PatientModel model_;
    PatientCue cue_;
    std::atomic<SampleSink*> sink_{nullptr};
    Micros last_t_ = -1;
    Micros next_sample_t_ = -1;
};

} // namespace qv::input
