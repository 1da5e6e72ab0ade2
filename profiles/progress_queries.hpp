#pragma once
// The rows behind the player's progress view, read with a handful of aggregate queries in one
// read transaction (no query per session): fast enough for five years of daily sessions.

#include "core/result.hpp"
#include "profiles/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qv::profiles {

/// One strength test (a calibration of kind "mvc").
struct MvcRow {
    std::int64_t id = 0;
    std::string created_at; ///< ISO 8601 UTC
    std::string day;        ///< local date "YYYY-MM-DD"
    std::string leg;        ///< "affected" or "other"
    std::string source_driver;
    double mvc_n = 0;
};

/// One session with what was done and the pain around it.
struct SessionProgressRow {
    std::int64_t id = 0;
    std::string started_at; ///< ISO 8601 UTC
    std::string day;        ///< local date "YYYY-MM-DD"
    SessionStatus status = SessionStatus::InProgress;
    std::string source_driver;
    bool is_measurement = false;
    int sets_done = 0;
    int reps_done = 0;       ///< successful reps (quad-set holds and squats)
    int reps_attempted = 0;  ///< every rep stored
    int reps_prescribed = 0; ///< sets x reps of each exercise's dose; 0 when no set was stored
    int pain_before = -1;    ///< -1: not rated
    int pain_during = -1;    ///< the worst rating during
    int pain_after = -1;
    int pain_next_morning = -1;
};

/// One answered red-flag list.
struct RedFlagCheckRow {
    std::string day; ///< local date
    int yes_count = 0;
};

/// Everything the progress view reads. Days are local dates; the range is inclusive.
struct ProgressRows {
    std::vector<MvcRow> mvc;                      ///< strength tests in the range, oldest first
    std::optional<MvcRow> latest_affected;        ///< newest test of the affected leg, any date
    std::optional<MvcRow> latest_other;           ///< newest test of the other leg, any date
    std::vector<SessionProgressRow> sessions;     ///< in the range, oldest first
    std::vector<RedFlagCheckRow> red_flag_checks; ///< in the range, oldest first
    /// Every local day (whole history, ascending) with a session of any outcome or a red-flag
    /// "yes": the days the person showed up.
    std::vector<std::string> active_days;
    std::vector<DecisionRecord> decisions; ///< in the range, newest first (inputs not read)
    std::string today;                     ///< the database's local date when read
};

/// Reads the progress rows of a profile for local days [first_day, last_day] ("YYYY-MM-DD"),
/// at most `max_decisions` decisions. One read transaction, six queries.
Result<ProgressRows> read_progress_rows(Store& store, std::int64_t profile_id,
                                        const std::string& first_day, const std::string& last_day,
                                        int max_decisions = 200);

} // namespace qv::profiles
