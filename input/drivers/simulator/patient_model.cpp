#include "input/drivers/simulator/patient_model.hpp"

#include <algorithm>
#include <cmath>

namespace qv::input {

namespace {

// Capacity never falls below this share of the fresh maximum.
constexpr double kMinCapacity = 0.3;
// Half-width of the per-hold aiming error, as a share of the target.
constexpr double kTrackingBias = 0.03;

bool same_cue(const PatientCue& a, const PatientCue& b) {
    return a.kind == b.kind && a.target_n == b.target_n;
}

} // namespace

PatientModel::PatientModel(const SimPatientParams& params, std::uint64_t seed)
    : p_(params), rng_(seed) {}

// One step, in this order: notice cue changes (they act after reaction_s), choose the desired
// force, move the muscle toward it, update fatigue, then the sensor (drift and noise).
//
// Tracking a hold: the patient aims at target * (1 + bias) and over-commands in proportion to
// the remaining error, desired = aim + tracking_gain * rise_s * (aim - force). The force then
// approaches the aim at the rate 1/rise_s + tracking_gain without overshoot, and settles on it
// unless capacity runs out.
double PatientModel::step(double dt_s, const PatientCue& cue) {
    const double dt = std::max(0.0, dt_s);
    t_s_ += dt;
    if (!have_seen_ || !same_cue(cue, last_seen_)) {
        pending_.emplace_back(t_s_ + p_.reaction_s, cue);
        last_seen_ = cue;
        have_seen_ = true;
    }
    while (!pending_.empty() && pending_.front().first <= t_s_) {
        active_ = pending_.front().second;
        pending_.pop_front();
        if (active_.kind == PatientCue::Kind::Hold) {
            tracking_bias_ = rng_.uniform(-kTrackingBias, kTrackingBias) * active_.target_n;
        }
    }

    const double limit = capacity_ * p_.true_mvc_n;
    double desired = 0;
    switch (active_.kind) {
    case PatientCue::Kind::Relax:
        desired = 0;
        break;
    case PatientCue::Kind::Max:
        desired = limit;
        break;
    case PatientCue::Kind::Hold: {
        const double aim = active_.target_n + tracking_bias_;
        desired = aim + p_.tracking_gain * p_.rise_s * (aim - force_n_);
        break;
    }
    }
    desired = std::clamp(desired, 0.0, std::max(0.0, limit));
    const double alpha = p_.rise_s > 0 ? 1.0 - std::exp(-dt / p_.rise_s) : 1.0;
    force_n_ += (desired - force_n_) * alpha;
    force_n_ = std::clamp(force_n_, 0.0, std::max(0.0, limit));

    const double effort = p_.true_mvc_n > 0 ? std::clamp(force_n_ / p_.true_mvc_n, 0.0, 1.0) : 0.0;
    double d_capacity = -p_.fatigue_rate * effort * dt;
    if (active_.kind == PatientCue::Kind::Relax) {
        d_capacity += p_.recovery_rate * (1.0 - capacity_) * dt;
    }
    capacity_ = std::clamp(capacity_ + d_capacity, kMinCapacity, 1.0);

    // Random walk: after one minute the offset's standard deviation is drift_n_per_min.
    drift_n_ += rng_.normal(0.0, p_.drift_n_per_min * std::sqrt(dt / 60.0));
    const double cv = p_.noise_cv_low + (p_.noise_cv_high - p_.noise_cv_low) * effort;
    const double noisy_force = std::max(0.0, force_n_ + rng_.normal(0.0, cv * force_n_));
    return drift_n_ + noisy_force;
}

} // namespace qv::input
