#pragma once
// The benchmark: every patient of a cohort lives the same 12 weeks (same seeds, same days off,
// same flares) under each policy, and the results are summed into one table.

#include "tools/sim/cohort.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace qv::sim {

/// The dose policies compared.
enum class Policy : std::uint8_t {
    Engine,    ///< the adaptation engine: traffic light, outer loop and inner staircase
    Fixed,     ///< the start dose for 12 weeks, the plan's band, no pain input
    Staircase, ///< 1-up/1-down on dose by session success, the plan's band, no pain input
    Oracle,    ///< knows the true tolerance: highest ladder step within it; inner staircase
};

/// Every policy, in table order.
inline constexpr std::array<Policy, 4> kPolicies{Policy::Engine, Policy::Fixed, Policy::Staircase,
                                                 Policy::Oracle};

/// Name in the table ("engine").
std::string_view policy_name(Policy policy);

/// What one patient produced under one policy.
struct PatientResult {
    int sessions = 0;              ///< sessions played (at least one hold)
    int zone_sessions = 0;         ///< sessions from day 14 on
    int zone_hits = 0;             ///< ... whose success share was within target +/- 10 points
    int progressions = 0;          ///< sessions whose dose went up
    int violations = 0;            ///< ... after a session whose full traffic light was not green
    int red_flag_events = 0;       ///< red-flag answers, knee giving way, ratings >= 8
    int red_flag_stops = 0;        ///< ... that stopped exercise
    int overloads = 0;             ///< sessions with load above tolerance
    int green_below_target = 0;    ///< green sessions below the plan's target dose
    int underloads = 0;            ///< ... with load below 80 % of tolerance
    int days_to_target = -1;       ///< first day at the target dose; -1 never
    int clinician_reviews = 0;     ///< locks the clinician reviewed (engine only)
    std::array<int, 16> reasons{}; ///< engine decisions per engine::Reason code
    std::array<int, 16> hold_rules{}; ///< engine holds for pain, per engine::PainRule
    double gain_mid = 0;              ///< MVC gain at half time (6 weeks), %
    double gain_end = 0;              ///< MVC gain at the end (12 weeks), %
};

/// Simulates patient `index` under `policy` for `days` days; with `trace`, the engine policy
/// writes each decision there (day, tolerance, next load, reason, describe()).
PatientResult simulate_patient(const Cohort& cohort, std::uint64_t seed, int index, Policy policy,
                               int days, std::FILE* trace = nullptr);

/// The table: one row per policy, summed over patients in patient order (so the numbers do not
/// depend on the thread count).
struct Report {
    std::string cohort;
    std::uint64_t seed = 0;
    int patients = 0;
    int weeks = 0;
    std::array<std::vector<PatientResult>, kPolicies.size()> results;
};

/// Runs `patients` patients for `weeks` weeks on `threads` threads.
Report run_cohort(const Cohort& cohort, std::uint64_t seed, int patients, int weeks, int threads);

/// One row of the table, computed from a report.
struct Row {
    double zone_pct = 0;
    double violations_per_100 = 0;
    double red_flag_stop_pct = 100;
    int red_flag_events = 0;
    double overload_pct = 0;
    double underload_pct = 0;
    double median_days = -1; ///< -1: the median patient never reached the target dose
    double reached_pct = 0;  ///< patients who reached the target dose
    double gain_mid = 0;
    double gain_end = 0;
    double regret = 0; ///< mean shortfall of the end MVC gain against the oracle, points
    int sessions = 0;
    std::array<int, 16> reasons{};    ///< decisions per engine::Reason (engine only)
    std::array<int, 16> hold_rules{}; ///< pain holds and steps back per engine::PainRule
};

/// The row of `policy`.
Row summarize(const Report& report, Policy policy);

/// The printed table.
std::string format_report(const Report& report);

} // namespace qv::sim
