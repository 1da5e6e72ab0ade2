#include "profiles/migrations.hpp"

#include <array>

namespace qv::profiles {

namespace {

// Conventions of the schema:
// - Timestamps are ISO 8601 UTC text with milliseconds ("2026-11-24T11:30:00.123Z"); they sort as
//   text, and the CHECKs (strftime(...) IS value) refuse anything else, including NULL.
// - Child rows reference their parent ON DELETE CASCADE, so removing a profile removes its
//   history. A session's calibration and a pain entry's session must belong to the same profile:
//   composite foreign keys on (id, profile_id) enforce it. A calibration a session used cannot
//   be deleted on its own (it goes only with its profile).
// - Booleans are 0/1 integers; enumerations are text with CHECK ... IN (...).
// - Never edit a migration that has shipped: add the next number instead.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE profiles (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40 AND name = trim(name)),
    avatar      TEXT NOT NULL DEFAULT '' CHECK (length(avatar) <= 64),
    level_id    TEXT NOT NULL CHECK (length(level_id) BETWEEN 1 AND 32),
    created_at  TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
);

CREATE TABLE calibrations (
    id             INTEGER PRIMARY KEY,
    profile_id     INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    created_at     TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    source_driver  TEXT NOT NULL CHECK (length(source_driver) >= 1),
    zero_n         REAL NOT NULL,
    mvc_n          REAL NOT NULL CHECK (mvc_n > 0),
    attempts_json  TEXT NOT NULL DEFAULT '[]'
                   CHECK (json_valid(attempts_json) AND json_type(attempts_json) = 'array'),
    UNIQUE (id, profile_id)
);
CREATE INDEX calibrations_by_profile ON calibrations (profile_id, source_driver, created_at);

CREATE TABLE sessions (
    id                     INTEGER PRIMARY KEY,
    profile_id             INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    started_at             TEXT NOT NULL
                           CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', started_at) IS started_at),
    ended_at               TEXT CHECK (ended_at IS NULL
                                       OR strftime('%Y-%m-%dT%H:%M:%fZ', ended_at) IS ended_at),
    source_driver          TEXT NOT NULL CHECK (length(source_driver) >= 1),
    source_model           TEXT NOT NULL DEFAULT '',
    source_serial          TEXT NOT NULL DEFAULT '',
    source_firmware        TEXT NOT NULL DEFAULT '',
    source_is_measurement  INTEGER NOT NULL CHECK (source_is_measurement IN (0, 1)),
    calibration_id         INTEGER,
    level_id               TEXT NOT NULL CHECK (length(level_id) BETWEEN 1 AND 32),
    status                 TEXT NOT NULL DEFAULT 'in_progress'
                           CHECK (status IN ('in_progress', 'completed', 'stopped_pain',
                                             'stopped_red_flag', 'aborted')),
    stars                  INTEGER NOT NULL DEFAULT 0 CHECK (stars BETWEEN 0 AND 3),
    effort_rating          INTEGER CHECK (effort_rating IS NULL OR effort_rating BETWEEN 0 AND 10),
    CHECK ((status = 'in_progress') = (ended_at IS NULL)),
    UNIQUE (id, profile_id),
    FOREIGN KEY (calibration_id, profile_id) REFERENCES calibrations (id, profile_id)
);
CREATE INDEX sessions_by_profile ON sessions (profile_id, started_at);
CREATE INDEX sessions_by_calibration ON sessions (calibration_id, profile_id);

CREATE TABLE sets (
    id                  INTEGER PRIMARY KEY,
    session_id          INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    set_index           INTEGER NOT NULL CHECK (set_index >= 0),
    exercise            TEXT NOT NULL CHECK (length(exercise) >= 1),
    dose_sets           INTEGER NOT NULL CHECK (dose_sets >= 1),
    dose_reps           INTEGER NOT NULL CHECK (dose_reps >= 1),
    dose_hold_s         REAL NOT NULL CHECK (dose_hold_s >= 0),
    dose_rest_s         REAL NOT NULL CHECK (dose_rest_s >= 0),
    dose_set_rest_s     REAL NOT NULL CHECK (dose_set_rest_s >= 0),
    dose_band_low_pct   REAL NOT NULL CHECK (dose_band_low_pct >= 0),
    dose_band_high_pct  REAL NOT NULL CHECK (dose_band_high_pct >= dose_band_low_pct),
    started_at          TEXT NOT NULL
                        CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', started_at) IS started_at),
    ended_at            TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', ended_at) IS ended_at),
    stop_reason         TEXT NOT NULL DEFAULT '',
    UNIQUE (session_id, set_index)
);

-- One row per hold. The set index of QuadSetRepScore is the parent set's set_index.
CREATE TABLE reps (
    id               INTEGER PRIMARY KEY,
    set_id           INTEGER NOT NULL REFERENCES sets (id) ON DELETE CASCADE,
    rep_index        INTEGER NOT NULL CHECK (rep_index >= 0),
    target_low_pct   REAL NOT NULL CHECK (target_low_pct >= 0),
    target_high_pct  REAL NOT NULL CHECK (target_high_pct >= target_low_pct),
    hold_s           REAL NOT NULL CHECK (hold_s >= 0),
    time_in_band_s   REAL NOT NULL CHECK (time_in_band_s >= 0),
    duration_s       REAL NOT NULL CHECK (duration_s >= 0),
    steadiness_cv    REAL NOT NULL CHECK (steadiness_cv >= 0),
    mean_pct         REAL NOT NULL,
    peak_pct         REAL NOT NULL,
    peak_n           REAL NOT NULL,
    success          INTEGER NOT NULL CHECK (success IN (0, 1)),
    UNIQUE (set_id, rep_index)
);

CREATE TABLE traces (
    set_id        INTEGER PRIMARY KEY REFERENCES sets (id) ON DELETE CASCADE,
    rate_hz       REAL NOT NULL CHECK (rate_hz > 0),
    t0_us         INTEGER NOT NULL,
    sample_count  INTEGER NOT NULL CHECK (sample_count >= 0),
    data          BLOB NOT NULL CHECK (typeof(data) = 'blob' AND length(data) = 4 * sample_count)
);

CREATE TABLE pain_entries (
    id           INTEGER PRIMARY KEY,
    profile_id   INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    session_id   INTEGER,
    moment       TEXT NOT NULL CHECK (moment IN ('before', 'during', 'after', 'next_morning')),
    scale        TEXT NOT NULL CHECK (scale IN ('nrs', 'qv_faces')),
    score        INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    recorded_at  TEXT NOT NULL
                 CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', recorded_at) IS recorded_at),
    FOREIGN KEY (session_id, profile_id) REFERENCES sessions (id, profile_id) ON DELETE CASCADE
);
CREATE INDEX pain_by_profile ON pain_entries (profile_id, recorded_at);
CREATE INDEX pain_by_session ON pain_entries (session_id, moment, recorded_at);

CREATE TABLE checkins (
    id                INTEGER PRIMARY KEY,
    session_id        INTEGER NOT NULL UNIQUE REFERENCES sessions (id) ON DELETE CASCADE,
    morning_vs_usual  TEXT NOT NULL CHECK (morning_vs_usual IN ('better', 'same', 'worse')),
    recorded_at       TEXT NOT NULL
                      CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', recorded_at) IS recorded_at)
);
)sql";

// Pain-guided adaptation: who is a child (faces scale), each profile's plan and hard caps, the
// red-flag checks and the adaptation engine's decisions with their inputs.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE profiles ADD COLUMN child INTEGER NOT NULL DEFAULT 0 CHECK (child IN (0, 1));

CREATE TABLE plans (
    profile_id           INTEGER PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
    sets                 INTEGER NOT NULL CHECK (sets >= 1),
    reps                 INTEGER NOT NULL CHECK (reps >= 1),
    hold_s               REAL NOT NULL CHECK (hold_s > 0),
    rest_s               REAL NOT NULL CHECK (rest_s >= 0),
    set_rest_s           REAL NOT NULL CHECK (set_rest_s >= 0),
    band_low_pct         REAL NOT NULL CHECK (band_low_pct >= 0),
    band_high_pct        REAL NOT NULL CHECK (band_high_pct > band_low_pct),
    cap_sets             INTEGER NOT NULL CHECK (cap_sets >= sets),
    cap_reps             INTEGER NOT NULL CHECK (cap_reps >= reps),
    cap_hold_s           REAL NOT NULL CHECK (cap_hold_s >= hold_s),
    cap_band_high_pct    REAL NOT NULL CHECK (cap_band_high_pct >= band_high_pct),
    progression_enabled  INTEGER NOT NULL DEFAULT 1 CHECK (progression_enabled IN (0, 1)),
    locked               INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    engine_state_json    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(engine_state_json)),
    updated_at           TEXT NOT NULL
                         CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at)
);

CREATE TABLE red_flag_checks (
    id          INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    session_id  INTEGER,
    moment      TEXT NOT NULL CHECK (moment IN ('check_in', 'in_session')),
    checked_at  TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', checked_at) IS checked_at),
    FOREIGN KEY (session_id, profile_id) REFERENCES sessions (id, profile_id) ON DELETE CASCADE
);
CREATE INDEX red_flag_checks_by_profile ON red_flag_checks (profile_id, checked_at);

-- One row per "yes": the flag ids are content (the wording is reviewed by the clinic).
CREATE TABLE red_flags (
    id        INTEGER PRIMARY KEY,
    check_id  INTEGER NOT NULL REFERENCES red_flag_checks (id) ON DELETE CASCADE,
    flag      TEXT NOT NULL CHECK (length(flag) BETWEEN 1 AND 64),
    UNIQUE (check_id, flag)
);

CREATE TABLE decisions (
    id           INTEGER PRIMARY KEY,
    profile_id   INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    session_id   INTEGER,
    created_at   TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
    light        TEXT NOT NULL CHECK (light IN ('green', 'amber', 'red', 'none')),
    action       TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 32),
    variable     TEXT NOT NULL DEFAULT '',
    from_value   REAL,
    to_value     REAL,
    reason_code  TEXT NOT NULL CHECK (length(reason_code) BETWEEN 1 AND 64),
    reason       TEXT NOT NULL,
    inputs_json  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(inputs_json)),
    FOREIGN KEY (session_id, profile_id) REFERENCES sessions (id, profile_id) ON DELETE CASCADE
);
CREATE INDEX decisions_by_profile ON decisions (profile_id, created_at);
)sql";

// Controlled squats, the clinician side and more than one game per exercise:
// - sets say which game (theme) played them and carry their data-quality counters; traces say
//   their unit (N for force, deg for knee angle, pct_bw for share of body weight);
// - squat sets carry their squat dose, squat reps their own scores;
// - squat plans beside the quad-set plans; the plan gains the clinician's protocol (condition,
//   side, surgery date), the exercises enabled and per-profile pain thresholds;
// - calibrations say which leg (limb symmetry) and what they measured;
// - guest profiles (kiosk), per-profile preferences, and app-wide settings (the clinician PIN's
//   hash, kiosk and accessibility settings, the language).
constexpr std::string_view kV3 = R"sql(
ALTER TABLE sets ADD COLUMN game TEXT NOT NULL DEFAULT '' CHECK (length(game) <= 32);
ALTER TABLE sets ADD COLUMN quality_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(quality_json));
ALTER TABLE traces ADD COLUMN unit TEXT NOT NULL DEFAULT 'N' CHECK (unit IN ('N', 'deg', 'pct_bw'));

CREATE TABLE squat_sets (
    set_id          INTEGER PRIMARY KEY REFERENCES sets (id) ON DELETE CASCADE,
    mode            TEXT NOT NULL CHECK (mode IN ('knee_angle', 'load_share', 'sit_to_stand')),
    depth_deg       REAL NOT NULL CHECK (depth_deg >= 0 AND depth_deg <= 120),
    depth_cap_deg   REAL NOT NULL CHECK (depth_cap_deg >= 0 AND depth_cap_deg <= 120),
    down_s          REAL NOT NULL CHECK (down_s > 0),
    pause_s         REAL NOT NULL CHECK (pause_s >= 0),
    up_s            REAL NOT NULL CHECK (up_s > 0),
    tempo_tol_s     REAL NOT NULL CHECK (tempo_tol_s > 0),
    corridor        REAL NOT NULL CHECK (corridor > 0),
    body_weight_n   REAL NOT NULL DEFAULT 0 CHECK (body_weight_n >= 0)
);

-- One row per squat rep. Values are in the set's unit (degrees of flexion, or % body weight on
-- the affected leg in the force-pad modes).
CREATE TABLE squat_reps (
    id                   INTEGER PRIMARY KEY,
    set_id               INTEGER NOT NULL REFERENCES sets (id) ON DELETE CASCADE,
    rep_index            INTEGER NOT NULL CHECK (rep_index >= 0),
    time_in_corridor_s   REAL NOT NULL CHECK (time_in_corridor_s >= 0),
    duration_s           REAL NOT NULL CHECK (duration_s >= 0),
    rmse                 REAL NOT NULL CHECK (rmse >= 0),
    down_s               REAL NOT NULL CHECK (down_s >= 0),
    pause_s              REAL NOT NULL CHECK (pause_s >= 0),
    up_s                 REAL NOT NULL CHECK (up_s >= 0),
    tempo_ok             INTEGER NOT NULL CHECK (tempo_ok IN (0, 1)),
    depth_reached        REAL NOT NULL,
    violations           INTEGER NOT NULL CHECK (violations >= 0),
    success              INTEGER NOT NULL CHECK (success IN (0, 1)),
    UNIQUE (set_id, rep_index)
);

CREATE TABLE squat_plans (
    profile_id           INTEGER PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
    level_id             TEXT NOT NULL CHECK (length(level_id) BETWEEN 1 AND 32),
    sets                 INTEGER NOT NULL CHECK (sets >= 1),
    reps                 INTEGER NOT NULL CHECK (reps >= 1),
    depth_deg            REAL NOT NULL CHECK (depth_deg > 0),
    down_s               REAL NOT NULL CHECK (down_s > 0),
    pause_s              REAL NOT NULL CHECK (pause_s >= 0),
    up_s                 REAL NOT NULL CHECK (up_s > 0),
    rest_s               REAL NOT NULL CHECK (rest_s >= 0),
    tempo_tol_s          REAL NOT NULL CHECK (tempo_tol_s > 0),
    cap_sets             INTEGER NOT NULL CHECK (cap_sets >= sets),
    cap_reps             INTEGER NOT NULL CHECK (cap_reps >= reps),
    depth_cap_deg        REAL NOT NULL CHECK (depth_cap_deg >= depth_deg AND depth_cap_deg <= 90),
    engine_state_json    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(engine_state_json)),
    updated_at           TEXT NOT NULL
                         CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at)
);

ALTER TABLE plans ADD COLUMN condition TEXT NOT NULL DEFAULT ''
    CHECK (condition IN ('', 'kneecap_pain', 'knee_replacement', 'acl_reconstruction', 'other'));
ALTER TABLE plans ADD COLUMN side TEXT NOT NULL DEFAULT '' CHECK (side IN ('', 'left', 'right'));
ALTER TABLE plans ADD COLUMN surgery_date TEXT NOT NULL DEFAULT ''
    CHECK (surgery_date = '' OR date(surgery_date) IS surgery_date);
ALTER TABLE plans ADD COLUMN quad_enabled INTEGER NOT NULL DEFAULT 1 CHECK (quad_enabled IN (0, 1));
ALTER TABLE plans ADD COLUMN squat_enabled INTEGER NOT NULL DEFAULT 1 CHECK (squat_enabled IN (0, 1));
ALTER TABLE plans ADD COLUMN band_low_cap_pct REAL NOT NULL DEFAULT 0 CHECK (band_low_cap_pct >= 0);
ALTER TABLE plans ADD COLUMN thresholds_json TEXT NOT NULL DEFAULT '{}'
    CHECK (json_valid(thresholds_json) AND json_type(thresholds_json) = 'object');

ALTER TABLE calibrations ADD COLUMN leg TEXT NOT NULL DEFAULT 'affected'
    CHECK (leg IN ('affected', 'other'));
ALTER TABLE calibrations ADD COLUMN kind TEXT NOT NULL DEFAULT 'mvc'
    CHECK (kind IN ('mvc', 'body_weight', 'two_point'));

ALTER TABLE profiles ADD COLUMN guest INTEGER NOT NULL DEFAULT 0 CHECK (guest IN (0, 1));
ALTER TABLE profiles ADD COLUMN prefs_json TEXT NOT NULL DEFAULT '{}'
    CHECK (json_valid(prefs_json) AND json_type(prefs_json) = 'object');

-- App-wide settings: the clinician PIN's argon2id hash and its failure counter, kiosk and
-- accessibility settings, the language. Values are text; each key documents its own format.
CREATE TABLE settings (
    key         TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 64),
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at)
);
)sql";

constexpr std::array kMigrations{
    Migration{1, "profiles, calibrations, sessions, sets, reps, traces, pain, check-ins", kV1},
    Migration{2, "child profiles, plans and caps, red flags, adaptation decisions", kV2},
    Migration{3, "squats, several games, clinician plan fields and settings, guests", kV3},
};

} // namespace

std::span<const Migration> migrations() {
    return kMigrations;
}

} // namespace qv::profiles
