#include "profiles/progress_queries.hpp"

#include "profiles/sqlite.hpp"

#include <algorithm>
#include <sqlite3.h>
#include <unordered_map>

namespace qv::profiles {

namespace {

// The range's bounds as stored timestamps: local midnight of the first day and of the day after
// the last, converted to UTC, so the (profile_id, started_at) indexes do the filtering.
constexpr std::string_view kBounds =
    "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', ?1, 'utc'), "
    "strftime('%Y-%m-%dT%H:%M:%fZ', ?2, '+1 day', 'utc'), date('now', 'localtime')";

// Per session in the range: sets, the prescription (sets x reps of each exercise's dose, the
// largest when the dose changed within a session; quad sets and squats) and successful /
// attempted reps of both kinds. One pass down the (profile_id, started_at) index, each session's
// sets and reps found through their own indexes, grouped in index order: linear in the rows,
// never a query per session. (A set holds quad-set reps or squat reps, never both, so the two
// LEFT JOINs do not multiply rows.)
constexpr std::string_view kSessions = R"sql(
SELECT s.id, s.started_at, date(s.started_at, 'localtime'), s.status, s.source_driver,
       s.source_is_measurement, (SELECT count(*) FROM sets AS x WHERE x.session_id = s.id),
       coalesce(max(CASE WHEN st.exercise = 'quad_set' THEN st.dose_sets * st.dose_reps END), 0) +
       coalesce(max(CASE WHEN st.exercise <> 'quad_set' THEN st.dose_sets * st.dose_reps END), 0),
       coalesce(sum(r.success), 0) + coalesce(sum(q.success), 0),
       count(r.set_id) + count(q.set_id)
FROM sessions AS s
LEFT JOIN sets AS st ON st.session_id = s.id
LEFT JOIN reps AS r ON r.set_id = st.id
LEFT JOIN squat_reps AS q ON q.set_id = st.id
WHERE s.profile_id = ?1 AND s.started_at >= ?2 AND s.started_at < ?3
GROUP BY s.started_at, s.id
ORDER BY s.started_at, s.id
)sql";

// Pain ratings tied to the range's sessions, in the order they were given.
constexpr std::string_view kPain =
    "SELECT p.session_id, p.moment, p.score FROM pain_entries AS p "
    "JOIN sessions AS s ON s.id = p.session_id "
    "WHERE s.profile_id = ?1 AND s.started_at >= ?2 AND s.started_at < ?3 "
    "ORDER BY p.recorded_at, p.id";

// Strength tests, whole history (one a week at most: small).
constexpr std::string_view kMvc =
    "SELECT id, created_at, date(created_at, 'localtime'), leg, source_driver, mvc_n "
    "FROM calibrations WHERE profile_id = ?1 AND kind = 'mvc' ORDER BY created_at, id";

constexpr std::string_view kRedFlags =
    "SELECT date(c.checked_at, 'localtime'), "
    "(SELECT count(*) FROM red_flags AS f WHERE f.check_id = c.id) "
    "FROM red_flag_checks AS c WHERE c.profile_id = ?1 AND c.checked_at >= ?2 "
    "AND c.checked_at < ?3 ORDER BY c.checked_at, c.id";

constexpr std::string_view kActiveDays =
    "SELECT date(started_at, 'localtime') AS d FROM sessions WHERE profile_id = ?1 "
    "UNION SELECT date(c.checked_at, 'localtime') FROM red_flag_checks AS c "
    "WHERE c.profile_id = ?1 AND EXISTS (SELECT 1 FROM red_flags AS f WHERE f.check_id = c.id) "
    "ORDER BY d";

constexpr std::string_view kDecisions =
    "SELECT id, session_id, created_at, light, action, variable, from_value, to_value, "
    "reason_code, reason FROM decisions WHERE profile_id = ?1 AND created_at >= ?2 "
    "AND created_at < ?3 ORDER BY created_at DESC, id DESC LIMIT ?4";

/// Runs `query`, letting `bind` set its parameters and calling `read` for each row.
template <typename Bind, typename Read>
Status each_row(sqlite3* db, std::string_view query, const std::string& what, const Bind& bind,
                const Read& read) {
    auto stmt = sql::Statement::prepare(db, query, what);
    if (!stmt) {
        return stmt.error();
    }
    bind(*stmt);
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return row.error();
        }
        if (!row.value()) {
            return Ok{};
        }
        read(*stmt);
    }
}

} // namespace

Result<ProgressRows> read_progress_rows(Store& store, std::int64_t profile_id,
                                        const std::string& first_day, const std::string& last_day,
                                        int max_decisions) {
    sqlite3* db = store.handle();
    const std::string what = "reading the progress of profile " + std::to_string(profile_id);
    // One snapshot for every query while the storage thread may be writing.
    const bool own_read = sqlite3_get_autocommit(db) != 0;
    if (own_read) {
        if (auto s = sql::exec(db, "BEGIN", what); !s) {
            return s.error();
        }
    }
    struct EndRead {
        sqlite3* db;
        bool active;
        ~EndRead() {
            if (active) {
                sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
            }
        }
    } end_read{db, own_read};

    ProgressRows out;
    std::string lo, hi;
    auto status = each_row(
        db, kBounds, what + ": the range",
        [&](sql::Statement& st) { st.bind_text(1, first_day).bind_text(2, last_day); },
        [&](const sql::Statement& st) {
            lo = st.column_text(0);
            hi = st.column_text(1);
            out.today = st.column_text(2);
        });
    if (!status) {
        return status.error();
    }
    if (lo.empty() || hi.empty()) {
        return Error{"the progress range '" + first_day + "' to '" + last_day +
                     "' is not two dates (YYYY-MM-DD)"};
    }
    const auto bind_range = [&](sql::Statement& st) {
        st.bind_int64(1, profile_id).bind_text(2, lo).bind_text(3, hi);
    };

    std::unordered_map<std::int64_t, std::size_t> index_of;
    status =
        each_row(db, kSessions, what + ": sessions", bind_range, [&](const sql::Statement& st) {
            SessionProgressRow r;
            r.id = st.column_int64(0);
            r.started_at = st.column_text(1);
            r.day = st.column_text(2);
            r.status = session_status_from(st.column_text(3)).value_or(SessionStatus::Aborted);
            r.source_driver = st.column_text(4);
            r.is_measurement = st.column_int(5) != 0;
            r.sets_done = st.column_int(6);
            r.reps_prescribed = st.column_int(7);
            r.reps_done = st.column_int(8);
            r.reps_attempted = st.column_int(9);
            index_of[r.id] = out.sessions.size();
            out.sessions.push_back(std::move(r));
        });
    if (!status) {
        return status.error();
    }

    status = each_row(db, kPain, what + ": pain", bind_range, [&](const sql::Statement& st) {
        const auto it = index_of.find(st.column_int64(0));
        if (it == index_of.end()) {
            return;
        }
        auto& s = out.sessions[it->second];
        const std::string moment = st.column_text(1);
        const int score = st.column_int(2);
        if (moment == "during") {
            s.pain_during = std::max(s.pain_during, score); // the worst moment
        } else if (moment == "before") {
            s.pain_before = score; // the latest
        } else if (moment == "after") {
            s.pain_after = score; // the latest
        } else if (moment == "next_morning") {
            s.pain_next_morning = score; // the latest
        }
    });
    if (!status) {
        return status.error();
    }

    status = each_row(
        db, kMvc, what + ": strength tests",
        [&](sql::Statement& st) { st.bind_int64(1, profile_id); },
        [&](const sql::Statement& st) {
            MvcRow r;
            r.id = st.column_int64(0);
            r.created_at = st.column_text(1);
            r.day = st.column_text(2);
            r.leg = st.column_text(3);
            r.source_driver = st.column_text(4);
            r.mvc_n = st.column_double(5);
            (r.leg == "other" ? out.latest_other : out.latest_affected) = r;
            if (r.created_at >= lo && r.created_at < hi) {
                out.mvc.push_back(std::move(r));
            }
        });
    if (!status) {
        return status.error();
    }

    status = each_row(db, kRedFlags, what + ": red-flag checks", bind_range,
                      [&](const sql::Statement& st) {
                          out.red_flag_checks.push_back({st.column_text(0), st.column_int(1)});
                      });
    if (!status) {
        return status.error();
    }

    status = each_row(
        db, kActiveDays, what + ": active days",
        [&](sql::Statement& st) { st.bind_int64(1, profile_id); },
        [&](const sql::Statement& st) { out.active_days.push_back(st.column_text(0)); });
    if (!status) {
        return status.error();
    }

    status = each_row(
        db, kDecisions, what + ": decisions",
        [&](sql::Statement& st) {
            bind_range(st);
            st.bind_int64(4, max_decisions);
        },
        [&](const sql::Statement& st) {
            DecisionRecord d;
            d.id = st.column_int64(0);
            d.profile_id = profile_id;
            d.session_id = st.is_null(1) ? 0 : st.column_int64(1);
            d.created_at = st.column_text(2);
            d.light = st.column_text(3);
            d.action = st.column_text(4);
            d.variable = st.column_text(5);
            if (!st.is_null(6)) {
                d.from_value = st.column_double(6);
            }
            if (!st.is_null(7)) {
                d.to_value = st.column_double(7);
            }
            d.reason_code = st.column_text(8);
            d.reason = st.column_text(9);
            out.decisions.push_back(std::move(d));
        });
    if (!status) {
        return status.error();
    }
    return out;
}

} // namespace qv::profiles
