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

SourceCaps SimulatorSource::caps() const {
    std::lock_guard lock(mutex_);
    SourceCaps caps = SampledSource::caps();
    caps.force = channel_ == Channel::Force;
    caps.knee_angle = channel_ == Channel::KneeAngle;
    return caps;
}

bool SimulatorSource::start(SampleSink& sink) {
    {
        std::lock_guard lock(mutex_);
        relabel_.target = &sink;
    }
    return SampledSource::start(relabel_);
}

void SimulatorSource::set_channel(Channel channel) {
    std::lock_guard lock(mutex_);
    channel_ = channel;
}

Channel SimulatorSource::channel() const {
    std::lock_guard lock(mutex_);
    return channel_;
}

void SimulatorSource::set_squat_habits(const SquatHabits& habits) {
    std::lock_guard lock(mutex_);
    model_.set_squat_habits(habits);
}

// Called from advance_to() with mutex_ held, right after next_value().
bool SimulatorSource::ChannelSink::push(const Sample& sample) {
    if (target == nullptr)
        return false;
    Sample s = sample;
    s.channel = owner_.channel_;
    if (s.channel == Channel::KneeAngle)
        s.value = static_cast<float>(owner_.model_.angle_reading_deg());
    return target->push(s);
}

double SimulatorSource::next_value(double dt_s) {
    return model_.step(dt_s, cue_);
}

} // namespace qv::input
