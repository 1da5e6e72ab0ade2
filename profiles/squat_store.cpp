// The store's side of controlled squats: squat sets with their reps and traces, squat plans.

#include "profiles/squat_store.hpp"

#include "profiles/sqlite.hpp"
#include "profiles/store_detail.hpp"

#include <bit>
#include <cmath>
#include <cstddef>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unordered_map>
#include <unordered_set>

namespace qv::profiles {

using namespace detail;

namespace {

constexpr std::size_t kMaxGameChars = 32;
// squat_sets allows depths up to 120 degrees; a plan's cap never goes below 90 (CLINICAL.md).
constexpr double kMaxStoredDepthDeg = 120;
constexpr double kMaxPlanCapDeg = 90;

std::string trace_unit(SquatMode mode) {
    return mode == SquatMode::KneeAngle ? "deg" : "pct_bw";
}

std::vector<std::byte> to_le(const std::vector<float>& values) {
    std::vector<std::byte> bytes(values.size() * 4);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto bits = std::bit_cast<std::uint32_t>(values[i]);
        for (std::size_t b = 0; b < 4; ++b)
            bytes[i * 4 + b] = static_cast<std::byte>((bits >> (8 * b)) & 0xffu);
    }
    return bytes;
}

std::vector<float> from_le(const std::vector<std::byte>& bytes) {
    std::vector<float> values(bytes.size() / 4);
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::uint32_t bits = 0;
        for (std::size_t b = 0; b < 4; ++b)
            bits |= static_cast<std::uint32_t>(bytes[i * 4 + b]) << (8 * b);
        values[i] = std::bit_cast<float>(bits);
    }
    return values;
}

// "down_s must be above 0, not -1" style checks.
Status above(double value, double min, std::string_view what) {
    if (!std::isfinite(value) || !(value > min))
        return fail(fmt::format("{} must be above {}, not {}", what, min, value));
    return Ok{};
}

Status within(double value, double lo, double hi, std::string_view what) {
    if (!std::isfinite(value) || value < lo || value > hi)
        return fail(fmt::format("{} must be between {} and {}, not {}", what, lo, hi, value));
    return Ok{};
}

// The checks shared by a stored set's dose and a plan's dose.
Status valid_dose(const SquatDose& d) {
    if (d.sets < 1 || d.reps < 1)
        return fail(fmt::format("the squat dose must have at least one set of one rep, not {} x {}",
                                d.sets, d.reps));
    for (const auto& [value, what] : {std::pair{d.down_s, "down_s"}, std::pair{d.up_s, "up_s"},
                                      std::pair{d.tempo_tol_s, "tempo_tol_s"}}) {
        if (auto s = above(value, 0, what); !s)
            return s;
    }
    for (const auto& [value, what] :
         {std::pair{d.pause_s, "pause_s"}, std::pair{d.rest_s, "rest_s"},
          std::pair{d.set_rest_s, "set_rest_s"}}) {
        if (auto s = at_least(value, 0, what); !s)
            return s;
    }
    if (auto s = within(d.depth_deg, 0, kMaxStoredDepthDeg, "depth_deg"); !s)
        return s;
    return within(d.depth_cap_deg, 0, kMaxStoredDepthDeg, "depth_cap_deg");
}

Status validate_set(const SquatSetRecord& set) {
    if (set.set_index < 0)
        return fail("set_index must be 0 or more, not " + std::to_string(set.set_index));
    if (set.game.size() > kMaxGameChars)
        return fail(fmt::format("the game id may have at most {} characters, not {}", kMaxGameChars,
                                set.game.size()));
    if (auto s = valid_dose(set.dose); !s)
        return s;
    if (auto s = above(set.dose.corridor, 0, "corridor"); !s)
        return s;
    if (auto s = at_least(set.body_weight_n, 0, "body_weight_n"); !s)
        return s;
    if (set.mode != SquatMode::KneeAngle && !(set.body_weight_n > 0))
        return fail(fmt::format("a {} set needs the body weight its shares refer to",
                                squat_mode_name(set.mode)));
    if (auto s = at_least(set.trace.rate_hz, 0, "trace rate_hz"); !s)
        return s;
    std::unordered_set<int> seen;
    for (const SquatRepScore& r : set.reps) {
        const std::string rep = "rep " + std::to_string(r.rep_index) + ": ";
        if (r.rep_index < 0)
            return fail(rep + "rep_index must be 0 or more");
        if (!seen.insert(r.rep_index).second)
            return fail(rep + "appears twice in set " + std::to_string(set.set_index));
        for (const auto& [value, what] :
             {std::pair{r.time_in_corridor_s, "time_in_corridor_s"},
              std::pair{r.duration_s, "duration_s"}, std::pair{r.rmse, "rmse"},
              std::pair{r.down_s, "down_s"}, std::pair{r.pause_s, "pause_s"},
              std::pair{r.up_s, "up_s"}}) {
            if (auto s = at_least(value, 0, rep + what); !s)
                return s;
        }
        if (auto s = finite(r.depth_reached, rep + "depth_reached"); !s)
            return s;
        if (r.violations < 0)
            return fail(rep + "violations must be 0 or more");
    }
    return Ok{};
}

Status valid_plan(const SquatPlanRecord& p) {
    if (p.level_id.empty() || p.level_id.size() > 32)
        return fail("the squat plan's level_id must have 1 to 32 characters");
    if (auto s = valid_dose(p.dose); !s)
        return fail("the squat plan's dose is not valid: " + s.error().message);
    const SquatDose& d = p.dose;
    if (!(d.depth_deg > 0))
        return fail(fmt::format("the squat plan's depth_deg must be above 0, not {}", d.depth_deg));
    if (d.sets > p.cap_sets)
        return fail(fmt::format("the squat plan's sets ({}) are above its cap_sets ({})", d.sets,
                                p.cap_sets));
    if (d.reps > p.cap_reps)
        return fail(fmt::format("the squat plan's reps ({}) are above its cap_reps ({})", d.reps,
                                p.cap_reps));
    if (d.depth_cap_deg > kMaxPlanCapDeg)
        return fail(fmt::format("the squat plan's depth_cap_deg ({} degrees) is above the limit "
                                "of {} degrees",
                                d.depth_cap_deg, kMaxPlanCapDeg));
    if (d.depth_deg > d.depth_cap_deg)
        return fail(fmt::format("the squat plan's depth_deg ({} degrees) is above its "
                                "depth_cap_deg ({} degrees)",
                                d.depth_deg, d.depth_cap_deg));
    return Ok{};
}

} // namespace

Result<std::int64_t> commit_squat_set(Store& store, const SquatSetRecord& set) {
    sqlite3* db = store.handle();
    const std::string what = "committing squat set " + std::to_string(set.set_index) +
                             " of session " + std::to_string(set.session_id);
    if (auto s = validate_set(set); !s)
        return fail(what + ": " + s.error().message);
    auto started = timestamp_or_now(set.started_at, "started_at");
    if (!started)
        return started.error();
    auto ended = timestamp_or_now(set.ended_at, "ended_at");
    if (!ended)
        return ended.error();
    auto txn = sql::Transaction::begin(db, what);
    if (!txn)
        return txn.error();
    if (auto s = require_session(db, set.session_id); !s)
        return s.error();
    {
        auto dup = sql::Statement::prepare(
            db, "SELECT 1 FROM sets WHERE session_id = ?1 AND set_index = ?2", what);
        if (!dup)
            return dup.error();
        dup->bind_int64(1, set.session_id).bind_int64(2, set.set_index);
        auto row = dup->step();
        if (!row)
            return row.error();
        if (row.value())
            return fail(what + ": the session already has a set with this index");
    }
    const SquatDose& d = set.dose;
    std::int64_t set_id = 0;
    {
        auto stmt = sql::Statement::prepare(
            db,
            "INSERT INTO sets (session_id, set_index, exercise, dose_sets, dose_reps, dose_hold_s, "
            "dose_rest_s, dose_set_rest_s, dose_band_low_pct, dose_band_high_pct, started_at, "
            "ended_at, stop_reason, game, quality_json) VALUES (?1, ?2, 'squat', ?3, ?4, ?5, ?6, "
            "?7, 0, 0, ?8, ?9, ?10, ?11, ?12)",
            what + ": inserting the set");
        if (!stmt)
            return stmt.error();
        stmt->bind_int64(1, set.session_id).bind_int64(2, set.set_index);
        stmt->bind_int64(3, d.sets).bind_int64(4, d.reps).bind_double(5, d.pause_s);
        stmt->bind_double(6, d.rest_s).bind_double(7, d.set_rest_s);
        stmt->bind_text(8, started.value()).bind_text(9, ended.value());
        stmt->bind_text(10, set.stop_reason).bind_text(11, set.game);
        stmt->bind_text(12, set.quality_json);
        if (auto s = stmt->run(); !s)
            return s.error();
        set_id = sqlite3_last_insert_rowid(db);
    }
    {
        auto stmt = sql::Statement::prepare(db,
                                            "INSERT INTO squat_sets (set_id, mode, depth_deg, "
                                            "depth_cap_deg, down_s, pause_s, up_s, "
                                            "tempo_tol_s, corridor, body_weight_n) VALUES (?1, ?2, "
                                            "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                            what + ": inserting the squat dose");
        if (!stmt)
            return stmt.error();
        stmt->bind_int64(1, set_id).bind_text(2, squat_mode_name(set.mode));
        stmt->bind_double(3, d.depth_deg).bind_double(4, d.depth_cap_deg);
        stmt->bind_double(5, d.down_s).bind_double(6, d.pause_s).bind_double(7, d.up_s);
        stmt->bind_double(8, d.tempo_tol_s).bind_double(9, d.corridor);
        stmt->bind_double(10, set.body_weight_n);
        if (auto s = stmt->run(); !s)
            return s.error();
    }
    if (!set.reps.empty()) {
        auto stmt = sql::Statement::prepare(
            db,
            "INSERT INTO squat_reps (set_id, rep_index, time_in_corridor_s, duration_s, rmse, "
            "down_s, pause_s, up_s, tempo_ok, depth_reached, violations, success) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            what + ": inserting a squat rep");
        if (!stmt)
            return stmt.error();
        for (const SquatRepScore& r : set.reps) {
            stmt->reset();
            stmt->bind_int64(1, set_id).bind_int64(2, r.rep_index);
            stmt->bind_double(3, r.time_in_corridor_s).bind_double(4, r.duration_s);
            stmt->bind_double(5, r.rmse).bind_double(6, r.down_s);
            stmt->bind_double(7, r.pause_s).bind_double(8, r.up_s);
            stmt->bind_int64(9, r.tempo_ok ? 1 : 0).bind_double(10, r.depth_reached);
            stmt->bind_int64(11, r.violations).bind_int64(12, r.success ? 1 : 0);
            if (auto s = stmt->run(); !s)
                return s.error();
        }
    }
    if (set.trace.rate_hz > 0) {
        auto stmt = sql::Statement::prepare(
            db,
            "INSERT INTO traces (set_id, rate_hz, t0_us, sample_count, data, unit) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            what + ": inserting the trace");
        if (!stmt)
            return stmt.error();
        const auto bytes = to_le(set.trace.values);
        stmt->bind_int64(1, set_id).bind_double(2, set.trace.rate_hz);
        stmt->bind_int64(3, set.trace.t0_us);
        stmt->bind_int64(4, static_cast<std::int64_t>(set.trace.values.size()));
        stmt->bind_blob(5, bytes.data(), bytes.size()).bind_text(6, trace_unit(set.mode));
        if (auto s = stmt->run(); !s)
            return s.error();
    }
    if (auto s = txn->commit(); !s)
        return s.error();
    return set_id;
}

std::vector<SquatSetRecord> squat_sets_of(Store& store, std::int64_t session_id, bool with_traces) {
    sqlite3* db = store.handle();
    std::vector<SquatSetRecord> out;
    const std::string what = "reading the squat sets of session " + std::to_string(session_id);
    const auto report = [](const Error& e) { logger()->error("{}", e.message); };
    // One read transaction so the three queries see one snapshot while another connection writes.
    const bool own_read = sqlite3_get_autocommit(db) != 0;
    if (own_read) {
        if (auto s = sql::exec(db, "BEGIN", what); !s) {
            report(s.error());
            return out;
        }
    }
    struct EndRead {
        sqlite3* db;
        bool active;
        ~EndRead() {
            if (active)
                sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
        }
    } end_read{db, own_read};

    const auto each_row = [&](std::string_view query, const std::string& step_what,
                              const auto& read) {
        auto stmt = sql::Statement::prepare(db, query, step_what);
        if (!stmt) {
            report(stmt.error());
            return false;
        }
        stmt->bind_int64(1, session_id);
        for (;;) {
            auto row = stmt->step();
            if (!row) {
                report(row.error());
                return false;
            }
            if (!row.value())
                return true;
            read(*stmt);
        }
    };

    std::unordered_map<std::int64_t, std::size_t> index_of;
    const bool sets_ok = each_row(
        "SELECT s.id, s.set_index, s.dose_sets, s.dose_reps, s.dose_rest_s, s.dose_set_rest_s, "
        "s.started_at, s.ended_at, s.stop_reason, s.game, s.quality_json, q.mode, q.depth_deg, "
        "q.depth_cap_deg, q.down_s, q.pause_s, q.up_s, q.tempo_tol_s, q.corridor, "
        "q.body_weight_n FROM sets AS s JOIN squat_sets AS q ON q.set_id = s.id "
        "WHERE s.session_id = ?1 ORDER BY s.set_index",
        what, [&](const sql::Statement& st) {
            SquatSetRecord set;
            set.id = st.column_int64(0);
            set.session_id = session_id;
            set.set_index = st.column_int(1);
            set.dose.sets = st.column_int(2);
            set.dose.reps = st.column_int(3);
            set.dose.rest_s = st.column_double(4);
            set.dose.set_rest_s = st.column_double(5);
            set.started_at = st.column_text(6);
            set.ended_at = st.column_text(7);
            set.stop_reason = st.column_text(8);
            set.game = st.column_text(9);
            set.quality_json = st.column_text(10);
            const std::string mode = st.column_text(11);
            set.mode = squat_mode_from(mode).value_or(SquatMode::KneeAngle);
            set.dose.depth_deg = st.column_double(12);
            set.dose.depth_cap_deg = st.column_double(13);
            set.dose.down_s = st.column_double(14);
            set.dose.pause_s = st.column_double(15);
            set.dose.up_s = st.column_double(16);
            set.dose.tempo_tol_s = st.column_double(17);
            set.dose.corridor = st.column_double(18);
            set.body_weight_n = st.column_double(19);
            index_of[set.id] = out.size();
            out.push_back(std::move(set));
        });
    if (!sets_ok || out.empty())
        return out;
    const bool reps_ok = each_row(
        "SELECT r.set_id, r.rep_index, r.time_in_corridor_s, r.duration_s, r.rmse, r.down_s, "
        "r.pause_s, r.up_s, r.tempo_ok, r.depth_reached, r.violations, r.success "
        "FROM squat_reps AS r JOIN sets AS s ON s.id = r.set_id "
        "WHERE s.session_id = ?1 ORDER BY s.set_index, r.rep_index",
        what + ": reps", [&](const sql::Statement& st) {
            const auto it = index_of.find(st.column_int64(0));
            if (it == index_of.end())
                return;
            SquatSetRecord& set = out[it->second];
            SquatRepScore r;
            r.set_index = set.set_index;
            r.rep_index = st.column_int(1);
            r.time_in_corridor_s = st.column_double(2);
            r.duration_s = st.column_double(3);
            r.rmse = st.column_double(4);
            r.down_s = st.column_double(5);
            r.pause_s = st.column_double(6);
            r.up_s = st.column_double(7);
            r.tempo_ok = st.column_int(8) != 0;
            r.depth_reached = st.column_double(9);
            r.violations = st.column_int(10);
            r.success = st.column_int(11) != 0;
            set.reps.push_back(r);
        });
    if (!reps_ok)
        return out;
    each_row(with_traces
                 ? "SELECT t.set_id, t.rate_hz, t.t0_us, t.data FROM traces AS t "
                   "JOIN squat_sets AS q ON q.set_id = t.set_id JOIN sets AS s ON s.id = t.set_id "
                   "WHERE s.session_id = ?1"
                 : "SELECT t.set_id, t.rate_hz, t.t0_us, NULL FROM traces AS t "
                   "JOIN squat_sets AS q ON q.set_id = t.set_id JOIN sets AS s ON s.id = t.set_id "
                   "WHERE s.session_id = ?1",
             what + ": traces", [&](const sql::Statement& st) {
                 const auto it = index_of.find(st.column_int64(0));
                 if (it == index_of.end())
                     return;
                 SquatTrace& t = out[it->second].trace;
                 t.rate_hz = st.column_double(1);
                 t.t0_us = st.column_int64(2);
                 if (with_traces)
                     t.values = from_le(st.column_blob(3));
             });
    return out;
}

std::optional<SquatPlanRecord> squat_plan(Store& store, std::int64_t profile_id) {
    auto stmt = sql::Statement::prepare(
        store.handle(),
        "SELECT level_id, sets, reps, depth_deg, down_s, pause_s, up_s, rest_s, tempo_tol_s, "
        "cap_sets, cap_reps, depth_cap_deg, engine_state_json, updated_at "
        "FROM squat_plans WHERE profile_id = ?1",
        "reading the squat plan of profile " + std::to_string(profile_id));
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return std::nullopt;
    }
    stmt->bind_int64(1, profile_id);
    auto row = stmt->step();
    if (!row) {
        logger()->error("{}", row.error().message);
        return std::nullopt;
    }
    if (!row.value())
        return std::nullopt;
    const sql::Statement& s = *stmt;
    SquatPlanRecord p;
    p.profile_id = profile_id;
    p.level_id = s.column_text(0);
    p.dose.sets = s.column_int(1);
    p.dose.reps = s.column_int(2);
    p.dose.depth_deg = s.column_double(3);
    p.dose.down_s = s.column_double(4);
    p.dose.pause_s = s.column_double(5);
    p.dose.up_s = s.column_double(6);
    p.dose.rest_s = s.column_double(7);
    p.dose.tempo_tol_s = s.column_double(8);
    p.cap_sets = s.column_int(9);
    p.cap_reps = s.column_int(10);
    p.dose.depth_cap_deg = s.column_double(11);
    p.dose.corridor = 0;
    p.dose.set_rest_s = 0;
    p.engine_state_json = s.column_text(12);
    p.updated_at = s.column_text(13);
    return p;
}

Status save_squat_plan(Store& store, const SquatPlanRecord& plan) {
    if (auto s = valid_plan(plan); !s)
        return s;
    sqlite3* db = store.handle();
    if (auto s = require_profile(db, plan.profile_id); !s)
        return s;
    auto stmt = sql::Statement::prepare(
        db,
        "INSERT OR REPLACE INTO squat_plans (profile_id, level_id, sets, reps, depth_deg, down_s, "
        "pause_s, up_s, rest_s, tempo_tol_s, cap_sets, cap_reps, depth_cap_deg, "
        "engine_state_json, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12, ?13, ?14, ?15)",
        "saving the squat plan of profile " + std::to_string(plan.profile_id));
    if (!stmt)
        return stmt.error();
    const SquatDose& d = plan.dose;
    stmt->bind_int64(1, plan.profile_id).bind_text(2, plan.level_id);
    stmt->bind_int64(3, d.sets).bind_int64(4, d.reps).bind_double(5, d.depth_deg);
    stmt->bind_double(6, d.down_s).bind_double(7, d.pause_s).bind_double(8, d.up_s);
    stmt->bind_double(9, d.rest_s).bind_double(10, d.tempo_tol_s);
    stmt->bind_int64(11, plan.cap_sets).bind_int64(12, plan.cap_reps);
    stmt->bind_double(13, d.depth_cap_deg).bind_text(14, plan.engine_state_json);
    stmt->bind_text(15, now_iso8601());
    return stmt->run();
}

} // namespace qv::profiles
