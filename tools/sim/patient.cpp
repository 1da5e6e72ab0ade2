#include "tools/sim/patient.hpp"

#include <algorithm>
#include <cmath>

namespace qv::sim {

namespace {

// A cheap standard normal for the force noise: the Irwin-Hall sum of four 16-bit uniforms from one
// draw, centred and scaled to unit variance (tails end at 3.5 sd, which a tracking error may).
double fast_normal(Rng& rng) {
    const std::uint64_t x = rng.next();
    const auto sum =
        static_cast<double>((x & 0xffff) + ((x >> 16) & 0xffff) + ((x >> 32) & 0xffff) + (x >> 48));
    return (sum / 65536.0 - 2.0) * 1.7320508075688772;
}

} // namespace

std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
    std::uint64_t z = seed ^ (a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

PatientParams draw_patient(const Cohort& cohort, std::uint64_t seed, int index) {
    Rng rng(mix_seed(seed, static_cast<std::uint64_t>(index), 0x50415449454e54ull));
    double total = 0;
    for (const auto& k : cohort.conditions)
        total += k.share;
    double pick = rng.uniform() * total;
    PatientParams p;
    for (std::size_t i = 0; i < cohort.conditions.size(); ++i) {
        p.condition = static_cast<int>(i);
        pick -= cohort.conditions[i].share;
        if (pick < 0)
            break;
    }
    const Condition& k = cohort.conditions[static_cast<std::size_t>(p.condition)];
    p.child = k.child;
    p.other_leg_mvc_n = k.other_leg_mvc_n.draw(rng);
    p.mvc0_n = p.other_leg_mvc_n * k.mvc_start_share.draw(rng);
    p.mvc_ceiling_n = std::max(p.mvc0_n, p.other_leg_mvc_n * k.mvc_ceiling_share.draw(rng));
    p.k_fitness = k.fitness_gain.draw(rng);
    p.k_fatigue = p.k_fitness * k.fatigue_gain_ratio.draw(rng);
    p.tau_fitness_d = k.tau_fitness_d.draw(rng);
    p.tau_fatigue_d = k.tau_fatigue_d.draw(rng);
    p.fatigue_scale = k.fatigue_scale.draw(rng);
    p.tracking_cv = k.tracking_cv.draw(rng);
    p.adherence = k.adherence.draw(rng);
    p.missing_reports = k.missing_reports.draw(rng);
    p.baseline_pain = k.baseline_pain.draw(rng);
    p.pain_onset = k.pain_onset.draw(rng);
    p.pain_sensitivity = k.pain_sensitivity.draw(rng);
    p.carry_over = k.carry_over.draw(rng);
    p.tolerance0 = k.tolerance_start.draw(rng) * dose_load(k.start, 1.0, 1.0);
    p.tolerance_growth = k.tolerance_growth.draw(rng);
    p.tolerance_max = std::max(p.tolerance0, k.tolerance_max.draw(rng) * target_load(k));
    return p;
}

double target_load(const Condition& condition) {
    const engine::ProgressionParams params;
    QuadSetDose dose = engine::clamp_to_plan(condition.start, condition.caps);
    for (int guard = 0; guard < 1000; ++guard) {
        const auto v = engine::next_variable(dose, condition.caps, params);
        if (!v)
            break;
        dose = engine::step_up(dose, *v, condition.caps, params);
    }
    return dose_load(dose, 1.0, 1.0);
}

double dose_load(const QuadSetDose& dose, double measured_mvc_n, double true_mvc_n) {
    const double centre = 0.5 * (dose.band_low_pct + dose.band_high_pct) / 100.0;
    const double share = true_mvc_n > 0 ? centre * measured_mvc_n / true_mvc_n : centre;
    return static_cast<double>(dose.sets * dose.reps) * dose.hold_s * share;
}

Muscle::Muscle(const MuscleToday& today, const Physiology& phys)
    : m_(today), phys_(phys), dt_(1.0 / phys.sample_hz), alpha_(1.0 - std::exp(-dt_ / phys.rise_s)),
      rho_(std::exp(-dt_ / phys.tracking_corr_s)), innovation_(std::sqrt(1.0 - rho_ * rho_)),
      drain_per_n_(today.true_mvc_n > 0
                       ? phys.fatigue_rate * today.fatigue_scale * dt_ / today.true_mvc_n
                       : 0.0),
      to_pct_(today.measured_mvc_n > 0 ? 100.0 / today.measured_mvc_n : 0.0) {}

void Muscle::start_hold(double target_pct, Rng& rng) {
    const double target_n = target_pct / 100.0 * m_.measured_mvc_n;
    aim_ = target_n * (1.0 + rng.uniform(-phys_.aim_bias, phys_.aim_bias));
    const double effort = m_.true_mvc_n > 0 ? std::clamp(aim_ / m_.true_mvc_n, 0.0, 1.0) : 1.0;
    sigma_ = aim_ * (m_.tracking_cv + phys_.noise_cv_per_effort * effort);
    error_ = sigma_ * fast_normal(rng);
    force_ = 0;
    t_ = 0;
}

double Muscle::step(double inhibition, Rng& rng) {
    t_ += dt_;
    const bool pushing = t_ >= phys_.reaction_s;
    force_ += ((pushing ? aim_ : 0.0) - force_) * alpha_;
    error_ = rho_ * error_ + innovation_ * sigma_ * fast_normal(rng);
    const double limit = std::max(0.0, capacity_ * m_.true_mvc_n * (1.0 - inhibition));
    const double out = std::clamp(force_ + (pushing ? error_ : 0.0), 0.0, limit);
    capacity_ = std::max(phys_.min_capacity, capacity_ - drain_per_n_ * out);
    return out;
}

void Muscle::rest(double seconds) {
    capacity_ = 1.0 - (1.0 - capacity_) * std::exp(-phys_.recovery_rate * std::max(0.0, seconds));
    force_ = 0;
}

double Muscle::pct(double force_n) const {
    return force_n * to_pct_;
}

} // namespace qv::sim
