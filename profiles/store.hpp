#pragma once
// Storage of profiles and their progress in SQLite: one file in the user's XDG data directory,
// mode 0600, WAL journal, numbered migrations. Every finished set is committed in its own
// transaction the moment it ends.

#include "core/exercise.hpp"
#include "core/result.hpp"
#include "core/sample.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace qv::profiles {

/// A player.
struct Profile {
    std::int64_t id = 0;
    std::string name;
    std::string avatar;     ///< avatar id from content
    std::string level_id;   ///< current quad-set level ("Q2")
    std::string created_at; ///< ISO 8601 UTC
    bool child = false;     ///< children rate pain on the game's own faces scale
    bool guest = false;     ///< a kiosk guest: anonymous, never in the player's list
};

/// A stored calibration.
struct CalibrationRecord {
    std::int64_t id = 0;
    std::int64_t profile_id = 0;
    std::string created_at; ///< ISO 8601 UTC
    std::string source_driver;
    double zero_n = 0;
    double mvc_n = 0;
    std::vector<double> attempts_n;
};

/// A clinician's per-profile overrides of the pain traffic light (CLINICAL.md); an unset value
/// means the default from tuning.toml. Stored as JSON in plans.thresholds_json.
struct PainThresholds {
    std::optional<int> during_amber_at;         ///< pain during/after at or above: amber (hold)
    std::optional<int> stop_set_at;             ///< pain during at or above: red, the set stops
    std::optional<int> stop_session_at;         ///< a rating at or above: the session stops
    std::optional<double> morning_amber_excess; ///< next morning this far above usual: amber
    std::optional<double> morning_red_excess;   ///< ... this far: red
    std::optional<double> trend_red_at;         ///< usual pain rising this much a week: red
    bool operator==(const PainThresholds&) const = default;
};

/// A profile's prescription and the hard caps no adaptation may cross.
struct PlanRecord {
    std::int64_t profile_id = 0;
    QuadSetDose dose;
    int cap_sets = 0;
    int cap_reps = 0;
    double cap_hold_s = 0;
    double cap_band_high_pct = 0;
    bool progression_enabled = true;
    bool locked = false; ///< two red days within a week: no progression until reviewed
    std::string engine_state_json = "{}"; ///< the adaptation engine's memory (opaque here)
    std::string updated_at;
    /// "", "kneecap_pain", "knee_replacement", "acl_reconstruction" or "other".
    std::string condition;
    std::string side;            ///< affected knee: "", "left" or "right"
    std::string surgery_date;    ///< "YYYY-MM-DD" (not in the future), "" when none
    bool quad_enabled = true;    ///< quad sets are part of the plan
    bool squat_enabled = true;   ///< controlled squats are part of the plan
    double band_low_cap_pct = 0; ///< cap on the band's lower edge, % MVC; 0 = no separate cap
    PainThresholds thresholds;   ///< per-profile pain thresholds (unset: tuning defaults)
};

/// Ok when the plan can be saved; otherwise one clear sentence naming the field and the numbers
/// ("The cap on hold time (8 s) is below the current hold (10 s): ..."). Checks the dose, each
/// cap against the dose, condition and side, the surgery date (a real date, not in the future)
/// and the pain thresholds' ranges and order; `defaults` stands in for thresholds not set.
Status validate_plan(const PlanRecord& plan, const PainThresholds& defaults = {});

/// One answered red-flag list (or an in-session "my knee gave way"); `flags` holds the ids
/// answered "yes" (empty when all were "no").
struct RedFlagCheck {
    std::int64_t id = 0;
    std::int64_t profile_id = 0;
    std::int64_t session_id = 0;     ///< 0 when not tied to a session
    std::string moment = "check_in"; ///< "check_in" or "in_session"
    std::string checked_at;
    std::vector<std::string> flags;
};

/// One decision of the adaptation engine, with its inputs and its reason.
struct DecisionRecord {
    std::int64_t id = 0;
    std::int64_t profile_id = 0;
    std::int64_t session_id = 0;
    std::string created_at;
    std::string light;    ///< "green", "amber", "red" or "none"
    std::string action;   ///< "progress", "hold", "step_back", "lock", ...
    std::string variable; ///< the dose variable changed, empty when none
    std::optional<double> from_value;
    std::optional<double> to_value;
    std::string reason_code;        ///< stable code of the rule that decided
    std::string reason;             ///< the one-line reason in the player's language, as shown
    std::string inputs_json = "{}"; ///< every input the decision used
};

/// Session status as stored.
enum class SessionStatus { InProgress, Completed, StoppedPain, StoppedRedFlag, Aborted };
std::string to_string(SessionStatus s);
std::optional<SessionStatus> session_status_from(const std::string& s);

/// A session row.
struct SessionRecord {
    std::int64_t id = 0;
    std::int64_t profile_id = 0;
    std::string started_at;
    std::string ended_at; ///< empty while in progress
    SourceIdentity source;
    std::int64_t calibration_id = 0; ///< 0 when none
    std::string level_id;
    SessionStatus status = SessionStatus::InProgress;
    int stars = 0;
    int effort_rating = -1; ///< how hard it felt, 0..10; -1 when not given
};

/// The raw force trace of one set, resampled to a fixed rate.
struct Trace {
    double rate_hz = 0;
    Micros t0_us = 0;
    std::vector<float> force_n; ///< tared newtons
};

/// A finished set with its reps and trace.
struct SetRecord {
    std::int64_t id = 0;
    std::int64_t session_id = 0;
    int set_index = 0;
    std::string exercise = "quad_set";
    QuadSetDose dose;
    std::string started_at;
    std::string ended_at;
    std::string stop_reason; ///< empty when completed as planned, else e.g. "pain 7/10"
    std::string game;        ///< the game (theme) that played it, from content; may be empty
    /// Data quality of the set as JSON: the source that produced it ({"source": "keyboard",
    /// "is_measurement": false}) and counters (dropped, spikes, saturated, out_of_order, ...).
    std::string quality_json = "{}";
    std::vector<QuadSetRepScore> reps;
    Trace trace;
};

/// When a pain rating was taken.
enum class PainMoment { Before, During, After, NextMorning };
std::string to_string(PainMoment m);

/// A pain rating.
struct PainEntry {
    std::int64_t id = 0;
    std::int64_t profile_id = 0;
    std::int64_t session_id = 0; ///< 0 when not tied to a session
    PainMoment moment = PainMoment::Before;
    std::string scale = "nrs"; ///< "nrs" (0-10 numeric) or "qv_faces" (the game's own faces)
    int score = 0;             ///< 0..10
    std::string recorded_at;
};

/// The check-in answers beside the pain rating.
struct CheckIn {
    std::int64_t session_id = 0;
    std::string morning_vs_usual; ///< "better", "same", "worse"
};

/// One line of a profile's history.
struct SessionSummary {
    SessionRecord session;
    int sets_done = 0;
    int reps_done = 0;  ///< successful holds
    int reps_total = 0; ///< holds attempted
    double mean_time_in_band_s = 0;
    int pain_before = -1; ///< -1 when not recorded
    int pain_after = -1;
};

/// One SQLite connection. Not thread-safe; use one Store per thread (WAL lets a reader and the
/// writer thread work side by side).
class Store {
  public:
    /// Opens (creating if needed: directory 0700, file 0600) and migrates to the latest schema.
    /// Refuses a database whose schema is newer than this program knows.
    static Result<std::unique_ptr<Store>> open(const std::filesystem::path& file);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// PRAGMA user_version.
    int schema_version() const;
    /// The latest schema version this program knows.
    static int latest_schema_version();
    /// PRAGMA integrity_check; Ok when it says "ok", else the error text.
    Status integrity_check();

    Result<Profile> create_profile(const std::string& name, const std::string& avatar,
                                   const std::string& level_id);
    /// The players' profiles (not archived, not kiosk guests), oldest first.
    std::vector<Profile> profiles();
    std::optional<Profile> profile(std::int64_t id);
    Status set_level(std::int64_t profile_id, const std::string& level_id);

    Result<std::int64_t> add_calibration(const CalibrationRecord& cal);
    /// Newest calibration of this profile with this source driver.
    std::optional<CalibrationRecord> latest_calibration(std::int64_t profile_id,
                                                        const std::string& source_driver);

    /// Inserts a session (status InProgress) and returns its id.
    Result<std::int64_t> begin_session(const SessionRecord& session);
    Status finish_session(std::int64_t session_id, SessionStatus status, int stars,
                          int effort_rating);
    /// Marks sessions left in progress by a previous run that ended abruptly (killed, power cut)
    /// as aborted; their finished sets stay. Call once at start-up. Returns how many.
    Result<int> close_interrupted_sessions();
    /// Set, reps and trace in one transaction. Returns the set id.
    Result<std::int64_t> commit_set(const SetRecord& set);
    Result<std::int64_t> add_pain(const PainEntry& pain);
    Status add_checkin(const CheckIn& checkin);
    /// The check-in of a session, if one was recorded.
    std::optional<CheckIn> checkin(std::int64_t session_id);

    std::optional<SessionRecord> session(std::int64_t id);
    /// Newest first.
    std::vector<SessionSummary> recent_sessions(std::int64_t profile_id, int limit);
    /// Sets of a session with their reps (and traces when `with_traces`).
    std::vector<SetRecord> sets_of(std::int64_t session_id, bool with_traces = false);
    std::vector<PainEntry> pain_of(std::int64_t profile_id);

    /// Marks a profile as a child's (faces pain scale) or not.
    Status set_child(std::int64_t profile_id, bool child);

    /// The profile's plan, or nullopt when none was saved yet.
    std::optional<PlanRecord> plan(std::int64_t profile_id);
    /// Creates or replaces the plan; refused (with validate_plan's message) when it is not valid,
    /// e.g. a dose past a cap.
    Status save_plan(const PlanRecord& plan);

    /// Stores an answered red-flag list with its "yes" answers.
    Result<std::int64_t> add_red_flag_check(const RedFlagCheck& check);
    /// Red-flag checks of a profile, newest first.
    std::vector<RedFlagCheck> red_flag_checks(std::int64_t profile_id);
    /// True when the check-in list was answered today (local time).
    bool red_flags_checked_today(std::int64_t profile_id);
    /// True when a check-in today (local time) had any "yes": then every later session that day
    /// asks the list again instead of starting (no exercise today after a red flag).
    bool red_flag_raised_today(std::int64_t profile_id);

    /// Stores a decision of the adaptation engine.
    Result<std::int64_t> add_decision(const DecisionRecord& decision);
    /// Decisions of a profile, newest first.
    std::vector<DecisionRecord> decisions(std::int64_t profile_id, int limit);

    /// The profile's last session when it was on an earlier day (local time) and its
    /// next-morning pain has not been asked yet; nullopt otherwise.
    std::optional<SessionRecord> session_awaiting_next_morning(std::int64_t profile_id);

    /// The connection, for the storage module's own helpers and tests.
    sqlite3* handle() const { return db_; }

  private:
    explicit Store(sqlite3* db) : db_(db) {}
    sqlite3* db_;
};

/// Current time as ISO 8601 UTC with milliseconds ("2026-11-24T11:30:00.123Z").
std::string now_iso8601();

/// Default database location: paths::data_dir() / "quadventure.db".
std::filesystem::path default_database_path();

} // namespace qv::profiles
