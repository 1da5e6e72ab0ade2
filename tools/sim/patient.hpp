#pragma once
// One virtual patient: the parameters drawn from the cohort, and the force a patient produces
// during one hold, fed through the real quad-set rules (qv::rules::QuadSetSession) for its score.

#include "core/exercise.hpp"
#include "core/rng.hpp"
#include "tools/sim/cohort.hpp"

#include <cstdint>

namespace qv::sim {

/// The drawn parameters of one patient (the same for every policy).
struct PatientParams {
    int condition = 0; ///< index into Cohort::conditions
    bool child = false;
    double other_leg_mvc_n = 0;
    double mvc0_n = 0;        ///< true MVC on day 0
    double mvc_ceiling_n = 0; ///< what training can reach
    double k_fitness = 0;     ///< Banister gains
    double k_fatigue = 0;
    double tau_fitness_d = 0;
    double tau_fatigue_d = 0;
    double fatigue_scale = 0;
    double tracking_cv = 0;
    double adherence = 0;
    double missing_reports = 0;
    double baseline_pain = 0;
    double pain_onset = 0;       ///< share of the tolerance where exercise pain starts
    double pain_sensitivity = 0; ///< points per 10 % of tolerance above the onset
    double carry_over = 0;
    double tolerance0 = 0; ///< load units
    double tolerance_growth = 0;
    double tolerance_max = 0; ///< load units
};

/// The load of the plan's target dose (every variable at its cap) at the true MVC.
double target_load(const Condition& condition);

/// Mixes a seed with indices into an independent stream seed (splitmix64 finaliser).
std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0);

/// Draws patient `index` of the cohort from `seed`.
PatientParams draw_patient(const Cohort& cohort, std::uint64_t seed, int index);

/// Load of a dose in tolerance units: reps x hold seconds x share of the true MVC.
double dose_load(const QuadSetDose& dose, double measured_mvc_n, double true_mvc_n);

/// The muscle during one session: what it can produce today and how it tracks the target.
struct MuscleToday {
    double true_mvc_n = 0;     ///< today
    double measured_mvc_n = 0; ///< what the game calibrated (its % MVC is relative to this)
    double tracking_cv = 0;    ///< tracking error today, share of the target
    double fatigue_scale = 1;  ///< times the cohort's fatigue rate
};

/// The force model of one session: after the reaction delay the force rises toward the aim (the
/// target plus a per-hold aiming error) with a first-order lag; the tracking error is an AR(1)
/// process whose spread grows with effort; capacity (fatigue) and pain inhibition cap the force.
class Muscle {
  public:
    Muscle(const MuscleToday& today, const Physiology& phys);
    /// A new hold toward `target_pct` % of the measured MVC.
    void start_hold(double target_pct, Rng& rng);
    /// Advances by one sample period during a hold; returns the force, newtons.
    double step(double inhibition, Rng& rng);
    /// Rests for `seconds` (capacity recovers).
    void rest(double seconds);
    /// % MVC the game would show for `force_n`.
    double pct(double force_n) const;
    /// Seconds per sample.
    double dt() const { return dt_; }
    /// 0..1 remaining capacity.
    double capacity() const { return capacity_; }

  private:
    MuscleToday m_;
    const Physiology& phys_;
    double dt_;
    double alpha_;
    double rho_;
    double innovation_;
    double drain_per_n_; // capacity lost per newton per sample
    double to_pct_;      // % MVC per newton
    double capacity_ = 1.0;
    double t_ = 0;
    double force_ = 0;
    double error_ = 0;
    double aim_ = 0;
    double sigma_ = 0;
};

} // namespace qv::sim
