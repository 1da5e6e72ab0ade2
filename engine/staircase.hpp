#pragma once
// The inner loop (CLINICAL.md, "Adaptation engine"): a weighted up-down staircase (Kaernbach 1991)
// on one precision knob of one exercise, here the half-width of the target band in % MVC around
// the band's centre. It never moves the centre (% MVC), the hold time or the depth. Controlled
// squats run two of them (SquatStaircases): the corridor half-width and the tempo tolerance.

#include "core/exercise.hpp"

#include <optional>

namespace qv::engine {

/// How the staircase moves. Larger knob values are easier (a wider band).
struct StaircaseParams {
    double target_success = 0.80;  ///< 0.80 adults, 0.85 children
    double step_harder = 1.0;      ///< first step toward harder after a success, knob units
    double min_step_harder = 0.25; ///< halving stops here
    int reversals_per_halving = 4; ///< the step halves after every this many reversals
    double floor = 1.0;            ///< hardest value the plan allows
    double ceiling = 15.0;         ///< easiest value the plan allows
};

/// Everything a staircase remembers; stored per exercise between sessions.
struct StaircaseState {
    double value = 0;       ///< current knob value
    double step_harder = 0; ///< current step toward harder
    int reversals = 0;      ///< direction changes so far
    int last_direction = 0; ///< -1 harder, +1 easier, 0 before the first trial
    int trials = 0;         ///< outcomes recorded
};

/// A weighted up-down staircase: a success makes the next trial harder by `step_harder`, a miss
/// makes it easier by p/(1-p) x step_harder, so it settles where success happens with
/// probability p (4x at 0.80, 5.67x at 0.85).
class Staircase {
  public:
    /// Starts at `start` (clamped to the plan's floor and ceiling) with the first step.
    Staircase(const StaircaseParams& params, double start);
    /// Continues from a stored state.
    Staircase(const StaircaseParams& params, const StaircaseState& state);

    /// Records one trial and moves the knob.
    void record(bool success);
    /// The knob value for the next trial.
    double value() const { return s_.value; }
    /// The step toward easier that a miss takes now.
    double step_easier() const;
    /// The state to store.
    const StaircaseState& state() const { return s_; }
    /// The parameters in use.
    const StaircaseParams& params() const { return p_; }

  private:
    StaircaseParams p_;
    StaircaseState s_;
};

/// The dose with its band narrowed or widened to `half_width_pct` around the band's centre (the
/// centre, hold and reps stay). The lower edge never goes below 0 % MVC.
QuadSetDose with_band_half_width(const QuadSetDose& dose, double half_width_pct);

/// Half the width of a dose's band, % MVC.
double band_half_width(const QuadSetDose& dose);

/// The squat inner loop's bounds: one staircase per precision knob, and what counts as a success
/// of each knob in a rep.
struct SquatStaircaseParams {
    double target_success = 0.80; ///< the share of successful squats aimed at (children 0.85)
    StaircaseParams corridor;     ///< corridor half-width: degrees, or % body weight
    StaircaseParams tempo;        ///< tempo tolerance, seconds (CLINICAL.md: 0.5-1 s)
    double corridor_share = 0.7;  ///< a rep is a corridor success with this share in it
    /// False in the force-pad modes, which cannot measure tempo: the tempo knob stays put.
    bool tempo_measured = true;
};

/// Both squat staircases' memory; stored with the squat plan between sessions.
struct SquatStaircaseState {
    StaircaseState corridor;
    StaircaseState tempo;
};

/// Whether a squat stayed in the corridor long enough (`share` of its duration in it).
bool corridor_success(const SquatRepScore& rep, double share);

/// The squat inner loop: two weighted up-down staircases, one on the corridor half-width (fed
/// with corridor_success) and one on the tempo tolerance (fed with tempo_ok). A squat succeeds
/// only when both knobs succeed, so each aims at the square root of the target (0.894 for 0.80):
/// together they settle near the target. Without measured tempo the corridor aims at the target
/// itself. Neither touches depth, tempo or reps.
class SquatStaircases {
  public:
    /// Starts at the given knob values (clamped to each staircase's floor and ceiling).
    SquatStaircases(const SquatStaircaseParams& params, double corridor, double tempo_tol_s);
    /// Continues from a stored state.
    SquatStaircases(const SquatStaircaseParams& params, const SquatStaircaseState& state);

    /// Records one scored squat and moves the knobs.
    void record(const SquatRepScore& rep);
    /// The corridor half-width for the next squat.
    double corridor() const { return corridor_.value(); }
    /// The tempo tolerance for the next squat, seconds.
    double tempo_tol_s() const { return tempo_.value(); }
    /// `dose` with the two knobs applied (depth, tempo and reps unchanged).
    SquatDose apply(const SquatDose& dose) const;
    /// The state to store.
    SquatStaircaseState state() const { return {corridor_.state(), tempo_.state()}; }
    /// The per-knob success target in use (see the class comment).
    double knob_target() const { return corridor_.params().target_success; }

  private:
    static SquatStaircaseParams with_targets(SquatStaircaseParams params);

    SquatStaircaseParams p_;
    Staircase corridor_;
    Staircase tempo_;
};

} // namespace qv::engine
