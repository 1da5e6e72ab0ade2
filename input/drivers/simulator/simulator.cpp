#include "input/drivers/simulator/simulator.hpp"

#include "core/clock.hpp"

#include <algorithm>
#include <cmath>

namespace qv::input {

namespace {

// Sample period in whole microseconds (rounded), so sample times are exact multiples of it.
Micros period_us(double rate_hz) {
    return std::max<Micros>(1, std::llround(1e6 / rate_hz));
}

} // namespace

SimulatorSource::SimulatorSource(const SimPatientParams& params, std::uint64_t seed)
    : p_(params), identity_{"simulator", "Virtual patient", "", "", false}, model_(params, seed) {}

SourceCaps SimulatorSource::caps() const {
    return SourceCaps{true, false, p_.rate_hz};
}

bool SimulatorSource::start(SampleSink& sink) {
    std::lock_guard lock(mutex_);
    sink_.store(&sink);
    // The next advance_to anchors the sample grid again; last_t_ survives so no time repeats.
    next_sample_t_ = -1;
    return true;
}

void SimulatorSource::stop() {
    // Taking the lock waits for a running advance_to, so nothing reaches the sink afterwards.
    std::lock_guard lock(mutex_);
    sink_.store(nullptr);
}

SourceState SimulatorSource::state() const {
    return sink_.load() != nullptr ? SourceState::Streaming : SourceState::Stopped;
}

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

void SimulatorSource::advance_to(Micros t_us) {
    std::lock_guard lock(mutex_);
    SampleSink* sink = sink_.load();
    if (sink == nullptr || !(p_.rate_hz > 0)) {
        return;
    }
    if (next_sample_t_ < 0) {
        if (last_t_ >= 0 && t_us <= last_t_) {
            return;
        }
        next_sample_t_ = t_us;
    }
    const Micros period = period_us(p_.rate_hz);
    while (next_sample_t_ <= t_us) {
        const double dt_s = last_t_ >= 0 ? to_seconds(next_sample_t_ - last_t_) : 0.0;
        Sample s;
        s.t_us = next_sample_t_;
        s.channel = Channel::Force;
        s.value = static_cast<float>(model_.step(dt_s, cue_));
        sink->push(s);
        last_t_ = next_sample_t_;
        next_sample_t_ += period;
    }
}

} // namespace qv::input
