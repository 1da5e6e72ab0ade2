#pragma once
// The virtual-patient cohort of the benchmark (CLINICAL.md, "Virtual patients"), read from a TOML
// file (content/data/cohorts/default.toml describes every key).

#include "core/exercise.hpp"
#include "core/result.hpp"
#include "core/rng.hpp"
#include "core/tuning.hpp"
#include "engine/progression.hpp"

#include <string>
#include <vector>

namespace qv::sim {

/// A closed range a patient parameter is drawn from, uniformly.
struct Range {
    double lo = 0;
    double hi = 0;
    /// A uniform draw in [lo, hi].
    double draw(Rng& rng) const { return rng.uniform(lo, hi); }
};

/// One condition of the cohort: its share, its parameter ranges and its plan.
struct Condition {
    std::string id;
    std::string name;
    double share = 0;   ///< relative weight in the cohort
    bool child = false; ///< children: faces scale, 85 % success target

    Range other_leg_mvc_n;       ///< MVC of the other leg, newtons
    Range mvc_start_share;       ///< true MVC at the start, share of the other leg
    Range mvc_ceiling_share;     ///< what training can reach, share of the other leg
    Range fitness_gain;          ///< Banister k1, MVC share per unit of daily stimulus
    Range fatigue_gain_ratio;    ///< Banister k2 / k1
    Range tau_fitness_d;         ///< days
    Range tau_fatigue_d;         ///< days
    Range fatigue_scale;         ///< within-session fatigue rate, times the cohort's base rate
    Range tracking_cv;           ///< force tracking error, share of the target (before practice)
    Range adherence;             ///< chance to exercise on a given day
    Range missing_reports;       ///< chance that a pain report is missing
    Range baseline_pain;         ///< usual pain, 0-10
    Range pain_onset;            ///< exercise pain starts at this share of the tolerance
    Range pain_sensitivity;      ///< pain points per 10 % of tolerance above the onset
    Range carry_over;            ///< share of exercise pain still there the next morning
    Range tolerance_start;       ///< tolerance at the start, times the load of the start dose
    Range tolerance_growth;      ///< tolerance gained per unit of tolerated load
    Range tolerance_max;         ///< where tolerance saturates, times the load of the target dose
    double flare_per_day = 0;    ///< chance of a spontaneous flare on a day
    double red_flag_per_day = 0; ///< chance of a red-flag answer before a session
    double gave_way_per_session = 0; ///< chance the knee gives way during a session

    QuadSetDose start;            ///< the first dose
    engine::PlanCaps caps;        ///< the plan; the target dose is every variable at its cap
    double band_floor_pct = 1;    ///< narrowest band half-width the plan allows (inner loop)
    double band_ceiling_pct = 15; ///< widest
};

/// Physiology shared by every patient (not drawn).
struct Physiology {
    double sample_hz = 25;              ///< force samples per second fed to the rules
    double reaction_s = 0.35;           ///< delay from the start of a hold to the push
    double rise_s = 0.3;                ///< time constant of force rise
    double tracking_corr_s = 1.0;       ///< correlation time of the tracking error
    double aim_bias = 0.03;             ///< per-hold aiming error, share of the target
    double noise_cv_per_effort = 0.05;  ///< extra error per unit of effort (CV rises with % MVC)
    double practice_gain = 0.4;         ///< share of the tracking error practice removes ...
    double practice_sessions = 15;      ///< ... with this time constant, sessions
    double fatigue_rate = 0.006;        ///< capacity lost per second per unit of effort
    double recovery_rate = 0.02;        ///< capacity regained per second of rest, per missing unit
    double min_capacity = 0.3;          ///< capacity never falls below this
    double mvc_test_cv = 0.05;          ///< day-to-day error of the weekly MVC test
    double retest_days = 7;             ///< MVC re-test interval
    double inhibition_per_point = 0.04; ///< force lost per pain point above 2 (muscle inhibition)
    double stimulus_ref = 50;           ///< stimulus that counts as one unit for the Banister model
    double flare_points = 2.5;          ///< pain a flare adds at first
    double flare_tau_d = 4;             ///< decay of flares and carry-over, days
    double irritation = 0.10;    ///< tolerance lost per unit of load above 120 % of tolerance
    double skip_when_sore = 0.5; ///< adherence factor the day after a session rated >= 6
    double after_share = 0.6;    ///< share of exercise pain still there right after
    double report_noise = 0.7;   ///< pain report noise, +/- points (uniform)
};

/// The whole cohort file.
struct Cohort {
    std::string name;
    int patients = 1000;
    int weeks = 12;
    int clinician_review_days = 7; ///< a locked plan is reviewed and unlocked after this long
    std::vector<Condition> conditions;
    QuadSetRuleParams rules; ///< the game's quad-set scoring parameters
    PainRuleParams pain_rules;
    Physiology physiology;
};

/// Reads a cohort file; the error names the file, the line and the key.
Result<Cohort> load_cohort(const std::string& path);

/// Parses cohort text (`name` is used in errors).
Result<Cohort> parse_cohort(const std::string& text, const std::string& name);

} // namespace qv::sim
