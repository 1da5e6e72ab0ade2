#include "report/data.hpp"

#include "profiles/sqlite.hpp"

#include <map>
#include <string_view>
#include <utility>

namespace qv::report {

namespace {

namespace sql = profiles::sql;

// Bounds used for an open end of the range: every stored date sorts between them.
constexpr std::string_view kFirstDay = "0000-01-01";
constexpr std::string_view kLastDay = "9999-12-31";

// Prepares `query`, binds the profile (?1) and the day range (?2, ?3), and calls `read` on
// every row. Returns the first error.
template <typename Read>
Status each_row(profiles::Store& store, std::string_view query, std::string what,
                std::int64_t profile_id, const std::string& from, const std::string& to,
                Read&& read) {
    auto stmt = sql::Statement::prepare(store.handle(), query, std::move(what));
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_int64(1, profile_id);
    stmt->bind_text(2, from.empty() ? kFirstDay : std::string_view(from));
    stmt->bind_text(3, to.empty() ? kLastDay : std::string_view(to));
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

std::optional<int> optional_int(const sql::Statement& st, int column) {
    if (st.is_null(column)) {
        return std::nullopt;
    }
    return st.column_int(column);
}

std::optional<double> optional_double(const sql::Statement& st, int column) {
    if (st.is_null(column)) {
        return std::nullopt;
    }
    return st.column_double(column);
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = std::min(text.find('\n', start), text.size());
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// Sessions started on a local day of the range.
constexpr std::string_view kSessionsInRange = "SELECT id FROM sessions WHERE profile_id = ?1 AND "
                                              "date(started_at, 'localtime') BETWEEN ?2 AND ?3";

// Pain score of a session at a moment: the latest one ("during": the worst).
std::string pain_column(std::string_view moment, bool worst) {
    return std::string("(SELECT ") + (worst ? "max(p.score)" : "p.score") +
           " FROM pain_entries AS p WHERE p.session_id = s.id AND p.moment = '" +
           std::string(moment) + "'" +
           (worst ? ")" : " ORDER BY p.recorded_at DESC, p.id DESC LIMIT 1)");
}

Status load_sessions(profiles::Store& store, ReportData& data, const std::string& from,
                     const std::string& to) {
    const std::string query =
        "SELECT s.id, s.started_at, coalesce(s.ended_at, ''), s.source_driver, s.source_model, "
        "s.source_serial, s.source_firmware, s.source_is_measurement, "
        "coalesce(s.calibration_id, 0), s.level_id, s.status, s.stars, s.effort_rating, "
        "date(s.started_at, 'localtime'), strftime('%H:%M', s.started_at, 'localtime'), "
        "coalesce((SELECT group_concat(e, '+') FROM (SELECT DISTINCT exercise AS e FROM sets "
        " WHERE session_id = s.id ORDER BY exercise)), ''), "
        "(SELECT count(*) FROM sets WHERE session_id = s.id), "
        "(SELECT count(*) FROM reps AS r JOIN sets AS st ON st.id = r.set_id "
        " WHERE st.session_id = s.id AND r.success = 1) + "
        "(SELECT count(*) FROM squat_reps AS q JOIN sets AS st ON st.id = q.set_id "
        " WHERE st.session_id = s.id AND q.success = 1), "
        "(SELECT count(*) FROM reps AS r JOIN sets AS st ON st.id = r.set_id "
        " WHERE st.session_id = s.id) + "
        "(SELECT count(*) FROM squat_reps AS q JOIN sets AS st ON st.id = q.set_id "
        " WHERE st.session_id = s.id), "
        "f.dose_sets, f.dose_reps, f.dose_hold_s, f.dose_rest_s, f.dose_set_rest_s, "
        "f.dose_band_low_pct, f.dose_band_high_pct, "
        "(SELECT avg(r.time_in_band_s) FROM reps AS r JOIN sets AS st ON st.id = r.set_id "
        " WHERE st.session_id = s.id), "
        "(SELECT coalesce(sum(r.time_in_band_s), 0) FROM reps AS r JOIN sets AS st "
        " ON st.id = r.set_id WHERE st.session_id = s.id), "
        "coalesce((SELECT p.scale FROM pain_entries AS p WHERE p.session_id = s.id "
        " ORDER BY p.recorded_at DESC, p.id DESC LIMIT 1), ''), " +
        pain_column("before", false) + ", " + pain_column("during", true) + ", " +
        pain_column("after", false) + ", " + pain_column("next_morning", false) +
        ", (SELECT c.mvc_n FROM calibrations AS c WHERE c.id = s.calibration_id), "
        "(SELECT sum(f1.dose_sets * f1.dose_reps) FROM sets AS f1 WHERE f1.session_id = s.id "
        " AND f1.set_index = (SELECT min(f2.set_index) FROM sets AS f2 WHERE f2.session_id = "
        " s.id AND f2.exercise = f1.exercise)) "
        "FROM sessions AS s LEFT JOIN sets AS f ON f.id = (SELECT id FROM sets WHERE "
        "session_id = s.id ORDER BY set_index LIMIT 1) "
        "WHERE s.profile_id = ?1 AND date(s.started_at, 'localtime') BETWEEN ?2 AND ?3 "
        "ORDER BY s.started_at, s.id";
    std::map<std::int64_t, std::size_t> index_of;
    auto status = each_row(store, query, "reading sessions", data.profile.id, from, to,
                           [&](const sql::Statement& st) {
                               SessionRow row;
                               profiles::SessionRecord& s = row.session;
                               s.id = st.column_int64(0);
                               s.profile_id = data.profile.id;
                               s.started_at = st.column_text(1);
                               s.ended_at = st.column_text(2);
                               s.source.driver = st.column_text(3);
                               s.source.model = st.column_text(4);
                               s.source.serial = st.column_text(5);
                               s.source.firmware = st.column_text(6);
                               s.source.is_measurement = st.column_int(7) != 0;
                               s.calibration_id = st.column_int64(8);
                               s.level_id = st.column_text(9);
                               s.status = profiles::session_status_from(st.column_text(10))
                                              .value_or(profiles::SessionStatus::Aborted);
                               s.stars = st.column_int(11);
                               s.effort_rating = st.is_null(12) ? -1 : st.column_int(12);
                               row.local_date = st.column_text(13);
                               row.local_time = st.column_text(14);
                               row.exercises = st.column_text(15);
                               row.sets_done = st.column_int(16);
                               row.reps_done = st.column_int(17);
                               row.reps_attempted = st.column_int(18);
                               if (!st.is_null(19)) {
                                   QuadSetDose d;
                                   d.sets = st.column_int(19);
                                   d.reps = st.column_int(20);
                                   d.hold_s = st.column_double(21);
                                   d.rest_s = st.column_double(22);
                                   d.set_rest_s = st.column_double(23);
                                   d.band_low_pct = st.column_double(24);
                                   d.band_high_pct = st.column_double(25);
                                   row.prescribed = d;
                               }
                               row.mean_time_in_band_s = optional_double(st, 26);
                               row.total_time_in_band_s = st.column_double(27);
                               row.pain_scale = st.column_text(28);
                               row.pain_before = optional_int(st, 29);
                               row.pain_during_max = optional_int(st, 30);
                               row.pain_after = optional_int(st, 31);
                               row.pain_next_morning = optional_int(st, 32);
                               row.calibration_mvc_n = optional_double(st, 33);
                               row.prescribed_reps_total = optional_int(st, 34);
                               index_of[s.id] = data.sessions.size();
                               data.sessions.push_back(std::move(row));
                           });
    if (!status) {
        return status;
    }
    return each_row(store,
                    "SELECT c.session_id, f.flag FROM red_flags AS f JOIN red_flag_checks AS c "
                    "ON c.id = f.check_id WHERE c.profile_id = ?1 AND c.session_id IN (" +
                        std::string(kSessionsInRange) + ") ORDER BY c.checked_at, f.id",
                    "reading the red flags of sessions", data.profile.id, from, to,
                    [&](const sql::Statement& st) {
                        const auto it = index_of.find(st.column_int64(0));
                        if (it != index_of.end()) {
                            data.sessions[it->second].red_flags.push_back(st.column_text(1));
                        }
                    });
}

Status load_reps(profiles::Store& store, ReportData& data, const std::string& from,
                 const std::string& to) {
    auto status = each_row(
        store,
        "SELECT st.session_id, st.id, st.set_index, st.exercise, st.started_at, "
        "date(s.started_at, 'localtime'), r.rep_index, r.target_low_pct, r.target_high_pct, "
        "r.hold_s, r.time_in_band_s, r.duration_s, r.steadiness_cv, r.mean_pct, r.peak_pct, "
        "r.peak_n, r.success FROM reps AS r JOIN sets AS st ON st.id = r.set_id "
        "JOIN sessions AS s ON s.id = st.session_id WHERE s.profile_id = ?1 AND "
        "date(s.started_at, 'localtime') BETWEEN ?2 AND ?3 "
        "ORDER BY s.started_at, s.id, st.set_index, r.rep_index",
        "reading quad-set reps", data.profile.id, from, to, [&](const sql::Statement& st) {
            QuadRepRow row;
            row.session_id = st.column_int64(0);
            row.set_id = st.column_int64(1);
            row.score.set_index = st.column_int(2);
            row.exercise = st.column_text(3);
            row.set_started_at = st.column_text(4);
            row.local_date = st.column_text(5);
            row.score.rep_index = st.column_int(6);
            row.score.target_low_pct = st.column_double(7);
            row.score.target_high_pct = st.column_double(8);
            row.score.hold_s = st.column_double(9);
            row.score.time_in_band_s = st.column_double(10);
            row.score.duration_s = st.column_double(11);
            row.score.steadiness_cv = st.column_double(12);
            row.score.mean_pct = st.column_double(13);
            row.score.peak_pct = st.column_double(14);
            row.score.peak_n = st.column_double(15);
            row.score.success = st.column_int(16) != 0;
            data.quad_reps.push_back(std::move(row));
        });
    if (!status) {
        return status;
    }
    return each_row(
        store,
        "SELECT st.session_id, st.id, st.set_index, st.started_at, "
        "date(s.started_at, 'localtime'), coalesce(ss.mode, ''), coalesce(ss.depth_deg, 0), "
        "q.rep_index, q.time_in_corridor_s, q.duration_s, q.rmse, q.down_s, q.pause_s, q.up_s, "
        "q.tempo_ok, q.depth_reached, q.violations, q.success "
        "FROM squat_reps AS q JOIN sets AS st ON st.id = q.set_id "
        "JOIN sessions AS s ON s.id = st.session_id "
        "LEFT JOIN squat_sets AS ss ON ss.set_id = st.id WHERE s.profile_id = ?1 AND "
        "date(s.started_at, 'localtime') BETWEEN ?2 AND ?3 "
        "ORDER BY s.started_at, s.id, st.set_index, q.rep_index",
        "reading squat reps", data.profile.id, from, to, [&](const sql::Statement& st) {
            SquatRepRow row;
            row.session_id = st.column_int64(0);
            row.set_id = st.column_int64(1);
            row.set_index = st.column_int(2);
            row.set_started_at = st.column_text(3);
            row.local_date = st.column_text(4);
            row.mode = st.column_text(5);
            row.unit = row.mode == "knee_angle" ? "deg" : "pct_bw";
            row.depth_target = st.column_double(6);
            row.rep_index = st.column_int(7);
            row.time_in_corridor_s = st.column_double(8);
            row.duration_s = st.column_double(9);
            row.rmse = st.column_double(10);
            row.down_s = st.column_double(11);
            row.pause_s = st.column_double(12);
            row.up_s = st.column_double(13);
            row.tempo_ok = st.column_int(14) != 0;
            row.depth_reached = st.column_double(15);
            row.violations = st.column_int(16);
            row.success = st.column_int(17) != 0;
            data.squat_reps.push_back(std::move(row));
        });
}

Status load_rest(profiles::Store& store, ReportData& data, const std::string& from,
                 const std::string& to) {
    const std::int64_t id = data.profile.id;
    auto status = each_row(
        store,
        "SELECT id, created_at, date(created_at, 'localtime'), source_driver, leg, kind, mvc_n "
        "FROM calibrations WHERE profile_id = ?1 AND date(created_at, 'localtime') BETWEEN ?2 "
        "AND ?3 ORDER BY created_at, id",
        "reading calibrations", id, from, to, [&](const sql::Statement& st) {
            CalibrationRow c;
            c.id = st.column_int64(0);
            c.created_at = st.column_text(1);
            c.local_date = st.column_text(2);
            c.source_driver = st.column_text(3);
            c.leg = st.column_text(4);
            c.kind = st.column_text(5);
            c.mvc_n = st.column_double(6);
            data.calibrations.push_back(std::move(c));
        });
    if (!status) {
        return status;
    }
    // A session's ratings belong to it even when given the next morning, past the range's end.
    status = each_row(store,
                      "SELECT id, session_id, moment, scale, score, recorded_at, "
                      "date(recorded_at, 'localtime') FROM pain_entries WHERE profile_id = ?1 AND "
                      "(date(recorded_at, 'localtime') BETWEEN ?2 AND ?3 OR session_id IN (" +
                          std::string(kSessionsInRange) + ")) ORDER BY recorded_at, id",
                      "reading pain ratings", id, from, to, [&](const sql::Statement& st) {
                          PainRow p;
                          p.entry.id = st.column_int64(0);
                          p.entry.profile_id = id;
                          p.entry.session_id = st.is_null(1) ? 0 : st.column_int64(1);
                          const std::string moment = st.column_text(2);
                          p.entry.moment = moment == "before"  ? profiles::PainMoment::Before
                                           : moment == "after" ? profiles::PainMoment::After
                                           : moment == "next_morning"
                                               ? profiles::PainMoment::NextMorning
                                               : profiles::PainMoment::During;
                          p.entry.scale = st.column_text(3);
                          p.entry.score = st.column_int(4);
                          p.entry.recorded_at = st.column_text(5);
                          p.local_date = st.column_text(6);
                          data.pain.push_back(std::move(p));
                      });
    if (!status) {
        return status;
    }
    status = each_row(
        store,
        "SELECT c.id, c.session_id, c.moment, c.checked_at, date(c.checked_at, 'localtime'), "
        "strftime('%H:%M', c.checked_at, 'localtime'), "
        "(SELECT group_concat(flag, char(10)) FROM (SELECT flag FROM red_flags WHERE "
        "check_id = c.id ORDER BY id)) AS flags FROM red_flag_checks AS c "
        "WHERE c.profile_id = ?1 AND date(c.checked_at, 'localtime') BETWEEN ?2 AND ?3 "
        "AND EXISTS (SELECT 1 FROM red_flags WHERE check_id = c.id) "
        "ORDER BY c.checked_at, c.id",
        "reading red flags", id, from, to, [&](const sql::Statement& st) {
            RedFlagRow r;
            r.check.id = st.column_int64(0);
            r.check.profile_id = id;
            r.check.session_id = st.is_null(1) ? 0 : st.column_int64(1);
            r.check.moment = st.column_text(2);
            r.check.checked_at = st.column_text(3);
            r.local_date = st.column_text(4);
            r.local_time = st.column_text(5);
            r.check.flags = split_lines(st.column_text(6));
            data.red_flags.push_back(std::move(r));
        });
    if (!status) {
        return status;
    }
    status = each_row(
        store,
        "SELECT id, session_id, created_at, light, action, variable, from_value, to_value, "
        "reason_code, reason, inputs_json, date(created_at, 'localtime') FROM decisions "
        "WHERE profile_id = ?1 AND date(created_at, 'localtime') BETWEEN ?2 AND ?3 "
        "ORDER BY created_at, id",
        "reading decisions", id, from, to, [&](const sql::Statement& st) {
            DecisionRow d;
            d.decision.id = st.column_int64(0);
            d.decision.profile_id = id;
            d.decision.session_id = st.is_null(1) ? 0 : st.column_int64(1);
            d.decision.created_at = st.column_text(2);
            d.decision.light = st.column_text(3);
            d.decision.action = st.column_text(4);
            d.decision.variable = st.column_text(5);
            d.decision.from_value = optional_double(st, 6);
            d.decision.to_value = optional_double(st, 7);
            d.decision.reason_code = st.column_text(8);
            d.decision.reason = st.column_text(9);
            d.decision.inputs_json = st.column_text(10);
            d.local_date = st.column_text(11);
            data.decisions.push_back(std::move(d));
        });
    if (!status) {
        return status;
    }
    if (auto plan = store.plan(id)) {
        PlanInfo info;
        info.plan = *plan;
        auto stmt = sql::Statement::prepare(
            store.handle(), "SELECT condition, side, surgery_date FROM plans WHERE profile_id = ?1",
            "reading the plan");
        if (!stmt) {
            return stmt.error();
        }
        stmt->bind_int64(1, id);
        auto row = stmt->step();
        if (!row) {
            return row.error();
        }
        if (row.value()) {
            info.condition = stmt->column_text(0);
            info.side = stmt->column_text(1);
            info.surgery_date = stmt->column_text(2);
        }
        data.plan = std::move(info);
    }
    return Ok{};
}

// Ends the read transaction when it goes out of scope.
class ReadSnapshot {
  public:
    explicit ReadSnapshot(profiles::Store& store) : store_(store) {
        active_ = sql::exec(store_.handle(), "BEGIN", "starting an export snapshot").ok();
    }
    ~ReadSnapshot() {
        if (active_) {
            (void)sql::exec(store_.handle(), "COMMIT", "ending an export snapshot");
        }
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

  private:
    profiles::Store& store_;
    bool active_ = false;
};

} // namespace

bool is_calendar_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    const int year = std::stoi(s.substr(0, 4));
    const int month = std::stoi(s.substr(5, 2));
    const int day = std::stoi(s.substr(8, 2));
    if (year < 1 || month < 1 || month > 12 || day < 1) {
        return false;
    }
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int max_day = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
    return day <= max_day;
}

std::int64_t days_from_date(const std::string& date) {
    // Days from the civil calendar (proleptic Gregorian), counting March-based years so the
    // leap day comes last.
    std::int64_t y = std::stoll(date.substr(0, 4));
    const std::int64_t m = std::stoll(date.substr(5, 2));
    const std::int64_t d = std::stoll(date.substr(8, 2));
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Result<ReportData> load_report_data(profiles::Store& store, std::int64_t profile_id,
                                    const std::string& from, const std::string& to) {
    ReportData data;
    auto profile = store.profile(profile_id);
    if (!profile) {
        std::string known;
        for (const auto& p : store.profiles()) {
            known += (known.empty() ? "" : ", ") + std::to_string(p.id);
        }
        return fail("unknown profile id " + std::to_string(profile_id) +
                    (known.empty() ? " (the database has no profiles)"
                                   : " (known profile ids: " + known + ")"));
    }
    data.profile = *profile;
    data.from = from;
    data.to = to;
    data.generated_at = profiles::now_iso8601();
    ReadSnapshot snapshot(store);
    if (auto s = load_sessions(store, data, from, to); !s) {
        return s.error();
    }
    if (auto s = load_reps(store, data, from, to); !s) {
        return s.error();
    }
    if (auto s = load_rest(store, data, from, to); !s) {
        return s.error();
    }
    return data;
}

} // namespace qv::report
