#include "input/sampled_source.hpp"

#include "core/clock.hpp"

#include <algorithm>
#include <cmath>

namespace qv::input {

bool SampledSource::start(SampleSink& sink) {
    std::lock_guard lock(mutex_);
    sink_.store(&sink);
    // The next advance_to anchors the sample grid again; last_t_ survives so no time repeats.
    next_sample_t_ = -1;
    return true;
}

void SampledSource::stop() {
    // Taking the lock waits for a running advance_to, so nothing reaches the sink afterwards.
    std::lock_guard lock(mutex_);
    sink_.store(nullptr);
}

SourceState SampledSource::state() const {
    return sink_.load() != nullptr ? SourceState::Streaming : SourceState::Stopped;
}

void SampledSource::advance_to(Micros t_us) {
    std::lock_guard lock(mutex_);
    SampleSink* sink = sink_.load();
    if (sink == nullptr || !(rate_hz_ > 0)) {
        return;
    }
    if (next_sample_t_ < 0) {
        if (last_t_ >= 0 && t_us <= last_t_) {
            return;
        }
        next_sample_t_ = t_us;
    }
    // Whole microseconds, so sample times are exact multiples of the period.
    const Micros period = std::max<Micros>(1, std::llround(1e6 / rate_hz_));
    while (next_sample_t_ <= t_us) {
        const double dt_s = last_t_ >= 0 ? to_seconds(next_sample_t_ - last_t_) : 0.0;
        Sample s;
        s.t_us = next_sample_t_;
        s.channel = Channel::Force;
        s.value = static_cast<float>(next_value(dt_s));
        sink->push(s);
        last_t_ = next_sample_t_;
        next_sample_t_ += period;
    }
}

} // namespace qv::input
