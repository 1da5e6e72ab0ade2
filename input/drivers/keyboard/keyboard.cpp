#include "input/drivers/keyboard/keyboard.hpp"

#include "core/clock.hpp"

#include <algorithm>
#include <cmath>

namespace qv::input {

namespace {

// Share of the way a first-order system with time constant tau covers in dt.
double first_order_step(double dt_s, double tau_s) {
    return tau_s > 0 ? 1.0 - std::exp(-dt_s / tau_s) : 1.0;
}

} // namespace

KeyboardSource::KeyboardSource(const KeyboardModelParams& params, std::uint64_t seed)
    : SampledSource(params.rate_hz), p_(params), identity_{"keyboard", "Keyboard", "", "", false},
      effort_(std::clamp(params.start_effort, 0.0, 1.0)), rng_(seed) {}

void KeyboardSource::nudge_effort(int steps) {
    double current = effort_.load();
    double wanted = 0;
    do {
        wanted = std::clamp(current + static_cast<double>(steps) * p_.effort_step, 0.0, 1.0);
    } while (!effort_.compare_exchange_weak(current, wanted));
}

SourceCaps KeyboardSource::caps() const {
    std::lock_guard lock(mutex_);
    SourceCaps caps = SampledSource::caps();
    caps.force = channel_ == Channel::Force;
    caps.knee_angle = channel_ == Channel::KneeAngle;
    return caps;
}

bool KeyboardSource::start(SampleSink& sink) {
    {
        std::lock_guard lock(mutex_);
        relabel_.target = &sink;
    }
    return SampledSource::start(relabel_);
}

void KeyboardSource::set_channel(Channel channel) {
    std::lock_guard lock(mutex_);
    channel_ = channel;
}

Channel KeyboardSource::channel() const {
    std::lock_guard lock(mutex_);
    return channel_;
}

// Called from advance_to() with mutex_ held.
bool KeyboardSource::ChannelSink::push(const Sample& sample) {
    if (target == nullptr)
        return false;
    Sample s = sample;
    s.channel = owner_.channel_;
    return target->push(s);
}

double KeyboardSource::next_value(double dt_s) {
    if (channel_ == Channel::KneeAngle) {
        // Both keys held cancel out; the angle stays within 0..angle_max_deg.
        const int direction = (bending_.load() ? 1 : 0) - (straightening_.load() ? 1 : 0);
        const double angle = std::clamp(angle_deg_.load() + direction * p_.angle_rate_deg_s * dt_s,
                                        0.0, std::max(0.0, p_.angle_max_deg));
        angle_deg_.store(angle);
        return angle;
    }
    const bool pushing = pushing_.load();
    const double target = pushing ? effort_.load() * p_.max_force_n : 0.0;
    const double tau = pushing ? p_.rise_s : p_.fall_s;
    force_n_ += (target - force_n_) * first_order_step(dt_s, tau);
    const double tremor = rng_.normal(0.0, p_.tremor_pct / 100.0 * force_n_);
    return std::max(0.0, force_n_ + tremor);
}

} // namespace qv::input
