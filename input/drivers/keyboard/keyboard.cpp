#include "input/drivers/keyboard/keyboard.hpp"

#include "core/clock.hpp"

#include <algorithm>
#include <cmath>

namespace qv::input {

namespace {

// Sample period in whole microseconds (rounded), so sample times are exact multiples of it.
Micros period_us(double rate_hz) {
    return std::max<Micros>(1, std::llround(1e6 / rate_hz));
}

// Share of the way a first-order system with time constant tau covers in dt.
double first_order_step(double dt_s, double tau_s) {
    return tau_s > 0 ? 1.0 - std::exp(-dt_s / tau_s) : 1.0;
}

} // namespace

KeyboardSource::KeyboardSource(const KeyboardModelParams& params, std::uint64_t seed)
    : p_(params), identity_{"keyboard", "Keyboard", "", "", false},
      effort_(std::clamp(params.start_effort, 0.0, 1.0)), rng_(seed) {}

SourceCaps KeyboardSource::caps() const {
    return SourceCaps{true, false, p_.rate_hz};
}

bool KeyboardSource::start(SampleSink& sink) {
    std::lock_guard lock(mutex_);
    sink_.store(&sink);
    // The first advance_to after a start anchors the sample grid again; last_t_ survives so no
    // time is ever emitted twice.
    next_sample_t_ = -1;
    return true;
}

void KeyboardSource::stop() {
    // Taking the lock waits for a running advance_to, so nothing reaches the sink afterwards.
    std::lock_guard lock(mutex_);
    sink_.store(nullptr);
}

SourceState KeyboardSource::state() const {
    return sink_.load() != nullptr ? SourceState::Streaming : SourceState::Stopped;
}

void KeyboardSource::nudge_effort(int steps) {
    double current = effort_.load();
    double wanted = 0;
    do {
        wanted = std::clamp(current + static_cast<double>(steps) * p_.effort_step, 0.0, 1.0);
    } while (!effort_.compare_exchange_weak(current, wanted));
}

void KeyboardSource::advance_to(Micros t_us) {
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
        if (last_t_ >= 0) {
            const double dt_s = to_seconds(next_sample_t_ - last_t_);
            const bool pushing = pushing_.load();
            const double target = pushing ? effort_.load() * p_.max_force_n : 0.0;
            const double tau = pushing ? p_.rise_s : p_.fall_s;
            force_n_ += (target - force_n_) * first_order_step(dt_s, tau);
        }
        const double tremor = rng_.normal(0.0, p_.tremor_pct / 100.0 * force_n_);
        Sample s;
        s.t_us = next_sample_t_;
        s.channel = Channel::Force;
        s.value = static_cast<float>(std::max(0.0, force_n_ + tremor));
        sink->push(s);
        last_t_ = next_sample_t_;
        next_sample_t_ += period;
    }
}

} // namespace qv::input
