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

double KeyboardSource::next_value(double dt_s) {
    const bool pushing = pushing_.load();
    const double target = pushing ? effort_.load() * p_.max_force_n : 0.0;
    const double tau = pushing ? p_.rise_s : p_.fall_s;
    force_n_ += (target - force_n_) * first_order_step(dt_s, tau);
    const double tremor = rng_.normal(0.0, p_.tremor_pct / 100.0 * force_n_);
    return std::max(0.0, force_n_ + tremor);
}

} // namespace qv::input
