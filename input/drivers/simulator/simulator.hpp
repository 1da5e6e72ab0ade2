#pragma once
// The simulator source: a virtual patient (PatientModel) who follows the game's cues. Drives
// demos and tests; its data are labelled "simulator", never measurements.

#include "input/drivers/simulator/patient_model.hpp"
#include "input/sampled_source.hpp"

#include <atomic>
#include <mutex>

namespace qv::input {

/// Thread-safe cue setter for the game thread; advance_to() on the input thread.
class SimulatorSource final : public SampledSource {
  public:
    SimulatorSource(const SimPatientParams& params, std::uint64_t seed);

    const SourceIdentity& identity() const override { return identity_; }

    /// What the screen is asking for now (game thread).
    void set_cue(const PatientCue& cue);
    PatientCue cue() const;
    /// Remaining capacity of the virtual muscle (for tests and the demo summary).
    double capacity() const;

  private:
    double next_value(double dt_s) override;
    SimPatientParams p_;
    SourceIdentity identity_;
    PatientModel model_;
    PatientCue cue_;
};

} // namespace qv::input
