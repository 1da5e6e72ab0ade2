#include "input/drivers/simulator/patient_model.hpp"

#include <algorithm>
#include <cmath>

namespace qv::input {

namespace {

// Capacity never falls below this share of the fresh maximum.
constexpr double kMinCapacity = 0.3;
// Half-width of the per-hold aiming error, as a share of the target.
constexpr double kTrackingBias = 0.03;

constexpr double kGravity = 9.81;
constexpr double kPi = 3.14159265358979323846;
// The knee cannot bend further than this.
constexpr double kMaxFlexionDeg = 150;
// Frequency of the sway habit (SquatHabits::sway_pct), Hz: a slow, visible rocking.
constexpr double kSwayHz = 0.7;

bool same_cue(const PatientCue& a, const PatientCue& b) {
    return a.kind == b.kind && a.target_n == b.target_n &&
           a.target_angle_deg == b.target_angle_deg && a.depth_deg == b.depth_deg &&
           a.chair == b.chair && a.both_feet == b.both_feet;
}

// Minimum-jerk profile 0 -> 1 (a person's natural smooth movement).
double min_jerk(double tau) {
    const double x = std::clamp(tau, 0.0, 1.0);
    return x * x * x * (10.0 - 15.0 * x + 6.0 * x * x);
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
    case PatientCue::Kind::OffPad:
    case PatientCue::Kind::Squat: // no isometric press while squatting
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
    if (active_.kind == PatientCue::Kind::Relax || active_.kind == PatientCue::Kind::OffPad) {
        d_capacity += p_.recovery_rate * (1.0 - capacity_) * dt;
    }
    capacity_ = std::clamp(capacity_ + d_capacity, kMinCapacity, 1.0);

    // Random walk: after one minute the offset's standard deviation is drift_n_per_min.
    drift_n_ += rng_.normal(0.0, p_.drift_n_per_min * std::sqrt(dt / 60.0));
    if (active_.kind == PatientCue::Kind::Squat) {
        step_squat(dt, active_);
        angle_reading_ = std::max(0.0, angle_deg_ + rng_.normal(0.0, p_.angle_noise_deg));
        const double noise = rng_.normal(0.0, p_.load_noise_pct / 100.0 * p_.body_weight_n);
        const double sway =
            habits_.sway_pct / 100.0 * p_.body_weight_n * std::sin(2.0 * kPi * kSwayHz * t_s_);
        return drift_n_ + std::max(0.0, foot_n_ + sway + noise);
    }
    if (active_.kind == PatientCue::Kind::OffPad) {
        // Nobody on the pad: its zero offset and noise only; the knee straightens meanwhile.
        step_squat(dt, PatientCue{});
        angle_reading_ = angle_deg_;
        return drift_n_ + rng_.normal(0.0, p_.load_noise_pct / 100.0 * p_.body_weight_n);
    }
    // Outside squats the knee straightens and the reading is noise-free (no random draws, so
    // the quad-set behaviour of a seed is what it always was).
    step_squat(dt, PatientCue{});
    angle_reading_ = angle_deg_;
    const double cv = p_.noise_cv_low + (p_.noise_cv_high - p_.noise_cv_low) * effort;
    const double noisy_force = std::max(0.0, force_n_ + rng_.normal(0.0, cv * force_n_));
    return drift_n_ + noisy_force;
}

// The knee follows an aim with a first-order lag (angle_lag_s). The aim is the target shown
// (after the reaction delay), changed by the habit drawn for this squat. The pad under the
// affected foot carries share x m (g - a): the share falls as the knee bends (people offload a
// painful knee), and a is the downward acceleration of the centre of mass, whose drop is
// com_drop_m x (1 - cos(knee angle)). On a chair, the seat takes the weight over the last
// chair_contact_deg before seat_angle_deg. Outside a Squat cue the knee relaxes straight and
// the pad would read the same standing load.
void PatientModel::step_squat(double dt, const PatientCue& cue) {
    const bool squatting = cue.kind == PatientCue::Kind::Squat;
    const double target = squatting ? std::max(0.0, cue.target_angle_deg) : 0.0;
    const double depth = std::max(0.0, cue.depth_deg);
    if (squatting && target > 0 && prev_target_deg_ <= 0) {
        // A new squat: draw how it will be done.
        const double u = rng_.uniform(0.0, 1.0);
        behaviour_ = SquatBehaviour::Follow;
        if (u < habits_.too_fast)
            behaviour_ = SquatBehaviour::TooFast;
        else if (u < habits_.too_fast + habits_.too_deep)
            behaviour_ = SquatBehaviour::TooDeep;
        else if (u < habits_.too_fast + habits_.too_deep + habits_.stop_halfway)
            behaviour_ = SquatBehaviour::StopHalfway;
        squat_t_s_ = 0;
    }
    prev_target_deg_ = target;
    squat_t_s_ += dt;

    double aim = target;
    if (squatting) {
        switch (behaviour_) {
        case SquatBehaviour::Follow:
            break;
        case SquatBehaviour::TooFast: {
            const double half = std::max(0.01, p_.fast_tempo_s);
            const double t = squat_t_s_;
            aim = t < half ? depth * min_jerk(t / half) : depth * (1.0 - min_jerk(t / half - 1.0));
            break;
        }
        case SquatBehaviour::TooDeep:
            aim = target * p_.deep_factor;
            break;
        case SquatBehaviour::StopHalfway:
            aim = std::min(std::max(target, angle_deg_), depth * p_.halfway_share);
            break;
        }
        if (cue.chair && depth > 0)
            aim = aim / depth * p_.seat_angle_deg;
    }
    aim = std::clamp(aim, 0.0, kMaxFlexionDeg);
    const double alpha = p_.angle_lag_s > 0 ? 1.0 - std::exp(-dt / p_.angle_lag_s) : 1.0;
    angle_deg_ += (aim - angle_deg_) * alpha;
    if (cue.chair)
        angle_deg_ = std::min(angle_deg_, p_.seat_angle_deg); // the seat stops the descent

    const double bend = 1.0 - std::cos(angle_deg_ * kPi / 180.0);
    const double d = p_.com_drop_m * bend;
    double accel = 0;
    if (com_init_ && dt > 0) {
        const double v = (d - com_d_) / dt;
        accel = (v - com_v_) / dt;
        com_v_ = v;
    } else {
        com_v_ = 0;
    }
    com_d_ = d;
    com_init_ = true;
    const double weight = p_.body_weight_n * std::max(0.0, 1.0 - accel / kGravity);
    double share = std::clamp(p_.affected_share - p_.offload_at_90 * bend, 0.0, 1.0);
    if (cue.both_feet)
        share = 1.0;
    double seat = 0;
    if (cue.chair && p_.chair_contact_deg > 0)
        seat = std::clamp((angle_deg_ - (p_.seat_angle_deg - p_.chair_contact_deg)) /
                              p_.chair_contact_deg,
                          0.0, 1.0);
    foot_n_ = (1.0 - seat) * share * weight + seat * p_.seated_share * p_.body_weight_n;
}

} // namespace qv::input
