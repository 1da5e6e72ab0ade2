#pragma once
// Storage of controlled squats: finished squat sets (their squat dose, reps and trace) and the
// squat plan of a profile with its hard caps. Free functions over a Store; the tables come from
// schema v3 (squat_sets, squat_reps, squat_plans; sets.game, sets.quality_json, traces.unit).

#include "core/exercise.hpp"
#include "core/result.hpp"
#include "core/sample.hpp"
#include "profiles/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qv::profiles {

/// The trace of one squat set, resampled to a fixed rate, in the set's unit: degrees of flexion
/// (stored unit "deg") in knee-angle mode, % body weight ("pct_bw") in the force-pad modes.
struct SquatTrace {
    double rate_hz = 0; ///< 0: no trace
    Micros t0_us = 0;
    std::vector<float> values;
};

/// A finished squat set with its reps and trace.
struct SquatSetRecord {
    std::int64_t id = 0;
    std::int64_t session_id = 0;
    /// Index of the set within its session, shared with the session's quad sets (the sets table
    /// keeps one numbering per session): a session that did 3 quad sets first stores its first
    /// squat set as 3. The reps' own set_index is not stored; reading back sets it to this.
    int set_index = 0;
    SquatMode mode = SquatMode::KneeAngle;
    SquatDose dose;
    double body_weight_n = 0;        ///< force-pad modes: the body weight the shares refer to
    std::string game;                ///< the game (theme) that played it, up to 32 characters
    std::string quality_json = "{}"; ///< data-quality counters, a JSON object
    std::string started_at;          ///< ISO 8601 UTC; empty means now
    std::string ended_at;
    std::string stop_reason; ///< empty when completed as planned
    std::vector<SquatRepScore> reps;
    SquatTrace trace;
};

/// Writes the set (exercise "squat"; dose_hold_s = pause, band 0/0), its squat dose, its reps and
/// its trace in one transaction. Returns the set id; nothing is written on any error.
Result<std::int64_t> commit_squat_set(Store& store, const SquatSetRecord& set);

/// The squat sets of a session in set order, with their reps (and traces when `with_traces`;
/// without, the trace's rate and start are still filled). Errors are logged; the sets read so far
/// are returned.
std::vector<SquatSetRecord> squat_sets_of(Store& store, std::int64_t session_id,
                                          bool with_traces = false);

/// A profile's squat prescription and the hard caps no adaptation may cross.
struct SquatPlanRecord {
    std::int64_t profile_id = 0;
    std::string level_id; ///< the squat level it started from ("S2")
    SquatDose dose;       ///< sets, reps, depth, tempo, rest, tempo tolerance, and the depth cap
                          ///< (corridor and set rest are not part of a plan: they read back 0)
    int cap_sets = 0;
    int cap_reps = 0;
    std::string engine_state_json = "{}"; ///< the adaptation engine's memory (opaque here)
    std::string updated_at;               ///< set on save
};

/// The profile's squat plan, or nullopt when none was saved (errors are logged).
std::optional<SquatPlanRecord> squat_plan(Store& store, std::int64_t profile_id);

/// Creates or replaces the squat plan. Refused, naming the field and both numbers, when the dose
/// is past a cap (sets, reps, depth above the depth cap, a depth cap above 90 degrees) or not a
/// valid dose.
Status save_squat_plan(Store& store, const SquatPlanRecord& plan);

} // namespace qv::profiles
