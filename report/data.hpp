#pragma once
// Everything an export shows, read from the store in one read transaction (one snapshot) and
// filtered to a range of local calendar days. The CSV, FHIR and PDF writers only format this.

#include "core/exercise.hpp"
#include "core/result.hpp"
#include "profiles/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qv::report {

/// One session with its dose, pain and red flags.
struct SessionRow {
    profiles::SessionRecord session;
    std::string local_date; ///< "YYYY-MM-DD" of started_at in local time
    std::string local_time; ///< "HH:MM" of started_at in local time
    std::string exercises;  ///< distinct exercises of its sets, "+"-joined ("quad_set+squat")
    int sets_done = 0;
    int reps_done = 0;      ///< successful reps (quad-set holds and squats)
    int reps_attempted = 0; ///< every stored rep
    /// Prescription of the session's first set; nullopt when no set was stored.
    std::optional<QuadSetDose> prescribed;
    /// Reps prescribed over all exercises: per exercise, sets × reps of its first set.
    std::optional<int> prescribed_reps_total;
    std::optional<double> mean_time_in_band_s; ///< quad-set reps only
    double total_time_in_band_s = 0;           ///< quad-set reps only
    std::string pain_scale; ///< "nrs" or "qv_faces" (of its latest rating); "" when none
    std::optional<int> pain_before;
    std::optional<int> pain_during_max;
    std::optional<int> pain_after;
    std::optional<int> pain_next_morning;
    std::vector<std::string> red_flags; ///< flag ids answered "yes" for this session
    std::optional<double> calibration_mvc_n;
};

/// One quad-set hold, from the reps table.
struct QuadRepRow {
    std::int64_t session_id = 0;
    std::int64_t set_id = 0;
    std::string exercise; ///< the set's exercise ("quad_set")
    std::string set_started_at;
    std::string local_date;
    QuadSetRepScore score; ///< set_index is the parent set's
};

/// One squat rep, from the squat_reps table (schema v3).
struct SquatRepRow {
    std::int64_t session_id = 0;
    std::int64_t set_id = 0;
    int set_index = 0;
    int rep_index = 0;
    std::string set_started_at;
    std::string local_date;
    std::string mode; ///< "knee_angle", "load_share" or "sit_to_stand"
    std::string unit; ///< unit of depth values: "deg" (knee_angle) or "pct_bw"
    double depth_target = 0;
    double time_in_corridor_s = 0;
    double duration_s = 0;
    double rmse = 0;
    double down_s = 0;
    double pause_s = 0;
    double up_s = 0;
    bool tempo_ok = false;
    double depth_reached = 0;
    int violations = 0;
    bool success = false;
};

/// One MVC (or other) calibration.
struct CalibrationRow {
    std::int64_t id = 0;
    std::string created_at;
    std::string local_date;
    std::string source_driver;
    std::string leg;  ///< "affected" or "other"
    std::string kind; ///< "mvc", "body_weight" or "two_point"
    double mvc_n = 0;
};

/// One pain rating with its local date.
struct PainRow {
    profiles::PainEntry entry;
    std::string local_date;
};

/// One answered red-flag list with at least one "yes".
struct RedFlagRow {
    profiles::RedFlagCheck check;
    std::string local_date;
    std::string local_time;
};

/// One adaptation decision with its local date.
struct DecisionRow {
    profiles::DecisionRecord decision;
    std::string local_date;
};

/// The clinician's protocol fields of the plan (schema v3), when a plan exists.
struct PlanInfo {
    profiles::PlanRecord plan;
    std::string condition;
    std::string side;
    std::string surgery_date;
};

/// What every export of one profile and date range shows. All lists are oldest first.
struct ReportData {
    profiles::Profile profile;
    std::string from; ///< as asked ("" = open)
    std::string to;
    std::string generated_at; ///< UTC ISO 8601
    std::optional<PlanInfo> plan;
    std::vector<SessionRow> sessions;
    std::vector<QuadRepRow> quad_reps;
    std::vector<SquatRepRow> squat_reps;
    std::vector<CalibrationRow> calibrations;
    std::vector<PainRow> pain;
    std::vector<RedFlagRow> red_flags;
    std::vector<DecisionRow> decisions;
};

/// Reads a profile's data for the local days from..to (inclusive, "" = open). An unknown
/// profile id is an error naming it.
Result<ReportData> load_report_data(profiles::Store& store, std::int64_t profile_id,
                                    const std::string& from, const std::string& to);

/// True when `s` is a real calendar day written "YYYY-MM-DD".
bool is_calendar_date(const std::string& s);

/// Days since 1970-01-01 of a "YYYY-MM-DD" date (which must be valid).
std::int64_t days_from_date(const std::string& date);

} // namespace qv::report
