#include "input/drivers/simulator/simulator.hpp"

#include "core/clock.hpp"

#include <algorithm>
#include <cmath>

namespace qv::input {

SimulatorSource::SimulatorSource(const SimPatientParams& params, std::uint64_t seed)
    : SampledSource(params.rate_hz),
      p_(params), identity_{"simulator", "Virtual patient", "", "", false}, model_(params, seed) {}

void SimulatorSource::set_cue(const PatientCue& cue) {
    std::lock_guard lock(mutex_);
    cue_ = cue;
}

PatientCue SimulatorSource::cue() const {
    std::lock_guard lock(mutex_);
    return cue_;
}

double SimulatorSource::capacity() const {
    std::lock_guard lock(mutex_);
    return model_.capacity();
}

double SimulatorSource::next_value(double dt_s) {
    return model_.step(dt_s, cue_);
}

} // namespace qv::input
