// The store's side of pain-guided adaptation: child profiles, plans with hard caps, red-flag
// checks and the engine's decisions.

#include "profiles/sqlite.hpp"
#include "profiles/store.hpp"
#include "profiles/store_detail.hpp"

#include <sqlite3.h>

namespace qv::profiles {

using namespace detail;

namespace {

Status valid_plan(const PlanRecord& p) {
    const auto& d = p.dose;
    if (d.sets < 1 || d.reps < 1 || !(d.hold_s > 0) || d.rest_s < 0 || d.set_rest_s < 0 ||
        d.band_low_pct < 0 || !(d.band_high_pct > d.band_low_pct)) {
        return fail("the plan's dose is not valid (sets and reps ≥ 1, hold > 0, rests ≥ 0, "
                    "band low < high)");
    }
    if (d.sets > p.cap_sets) {
        return fail("the plan's " + std::to_string(d.sets) + " sets are above its cap of " +
                    std::to_string(p.cap_sets));
    }
    if (d.reps > p.cap_reps) {
        return fail("the plan's " + std::to_string(d.reps) + " reps are above its cap of " +
                    std::to_string(p.cap_reps));
    }
    if (d.hold_s > p.cap_hold_s) {
        return fail("the plan's hold of " + std::to_string(d.hold_s) + " s is above its cap of " +
                    std::to_string(p.cap_hold_s) + " s");
    }
    if (d.band_high_pct > p.cap_band_high_pct) {
        return fail("the plan's band up to " + std::to_string(d.band_high_pct) +
                    " % MVC is above its cap of " + std::to_string(p.cap_band_high_pct) + " %");
    }
    return Ok{};
}

void bind_optional(sql::Statement& s, int index, std::int64_t id) {
    if (id != 0) {
        s.bind_int64(index, id);
    } else {
        s.bind_null(index);
    }
}

// Runs `stmt` to completion, calling `read` for each row; logs and stops on an error.
template <typename Read> void each_row(sql::Statement& stmt, Read read) {
    for (;;) {
        auto row = stmt.step();
        if (!row) {
            logger()->error("{}", row.error().message);
            return;
        }
        if (!row.value()) {
            return;
        }
        read(stmt);
    }
}

} // namespace

Status Store::set_child(std::int64_t profile_id, bool child) {
    if (auto s = require_profile(db_, profile_id); !s) {
        return s;
    }
    auto stmt =
        sql::Statement::prepare(db_, "UPDATE profiles SET child = ?1 WHERE id = ?2",
                                "setting child mode of profile " + std::to_string(profile_id));
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_int64(1, child ? 1 : 0).bind_int64(2, profile_id);
    return stmt->run();
}

std::optional<PlanRecord> Store::plan(std::int64_t profile_id) {
    auto stmt = sql::Statement::prepare(
        db_,
        "SELECT sets, reps, hold_s, rest_s, set_rest_s, band_low_pct, band_high_pct, cap_sets, "
        "cap_reps, cap_hold_s, cap_band_high_pct, progression_enabled, locked, updated_at, "
        "engine_state_json "
        "FROM plans WHERE profile_id = ?1",
        "reading the plan of profile " + std::to_string(profile_id));
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return std::nullopt;
    }
    stmt->bind_int64(1, profile_id);
    std::optional<PlanRecord> out;
    each_row(*stmt, [&](const sql::Statement& s) {
        PlanRecord p;
        p.profile_id = profile_id;
        p.dose = QuadSetDose{s.column_int(0),    s.column_int(1),    s.column_double(2),
                             s.column_double(3), s.column_double(4), s.column_double(5),
                             s.column_double(6)};
        p.cap_sets = s.column_int(7);
        p.cap_reps = s.column_int(8);
        p.cap_hold_s = s.column_double(9);
        p.cap_band_high_pct = s.column_double(10);
        p.progression_enabled = s.column_int(11) != 0;
        p.locked = s.column_int(12) != 0;
        p.updated_at = s.column_text(13);
        p.engine_state_json = s.column_text(14);
        out = p;
    });
    return out;
}

Status Store::save_plan(const PlanRecord& plan) {
    if (auto s = valid_plan(plan); !s) {
        return s;
    }
    if (auto s = require_profile(db_, plan.profile_id); !s) {
        return s;
    }
    auto stmt = sql::Statement::prepare(
        db_,
        "INSERT OR REPLACE INTO plans (profile_id, sets, reps, hold_s, rest_s, set_rest_s, "
        "band_low_pct, band_high_pct, cap_sets, cap_reps, cap_hold_s, cap_band_high_pct, "
        "progression_enabled, locked, updated_at, engine_state_json) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        "saving the plan of profile " + std::to_string(plan.profile_id));
    if (!stmt) {
        return stmt.error();
    }
    const auto& d = plan.dose;
    stmt->bind_int64(1, plan.profile_id).bind_int64(2, d.sets).bind_int64(3, d.reps);
    stmt->bind_double(4, d.hold_s).bind_double(5, d.rest_s).bind_double(6, d.set_rest_s);
    stmt->bind_double(7, d.band_low_pct).bind_double(8, d.band_high_pct);
    stmt->bind_int64(9, plan.cap_sets).bind_int64(10, plan.cap_reps);
    stmt->bind_double(11, plan.cap_hold_s).bind_double(12, plan.cap_band_high_pct);
    stmt->bind_int64(13, plan.progression_enabled ? 1 : 0).bind_int64(14, plan.locked ? 1 : 0);
    stmt->bind_text(15, now_iso8601()).bind_text(16, plan.engine_state_json);
    return stmt->run();
}

Result<std::int64_t> Store::add_red_flag_check(const RedFlagCheck& check) {
    if (check.moment != "check_in" && check.moment != "in_session") {
        return fail("a red-flag check happens at \"check_in\" or \"in_session\", not \"" +
                    check.moment + "\"");
    }
    auto at = timestamp_or_now(check.checked_at, "checked_at");
    if (!at) {
        return at.error();
    }
    if (auto s = require_profile(db_, check.profile_id); !s) {
        return s.error();
    }
    auto tx = sql::Transaction::begin(db_, "recording red flags");
    if (!tx) {
        return tx.error();
    }
    auto stmt = sql::Statement::prepare(db_,
                                        "INSERT INTO red_flag_checks (profile_id, session_id, "
                                        "moment, checked_at) VALUES (?1, ?2, ?3, ?4)",
                                        "recording a red-flag check");
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_int64(1, check.profile_id);
    bind_optional(*stmt, 2, check.session_id);
    stmt->bind_text(3, check.moment).bind_text(4, at.value());
    if (auto s = stmt->run(); !s) {
        return s.error();
    }
    const auto id = sqlite3_last_insert_rowid(db_);
    for (const auto& flag : check.flags) {
        auto row = sql::Statement::prepare(
            db_, "INSERT INTO red_flags (check_id, flag) VALUES (?1, ?2)", "recording a red flag");
        if (!row) {
            return row.error();
        }
        row->bind_int64(1, id).bind_text(2, flag);
        if (auto s = row->run(); !s) {
            return s.error();
        }
    }
    if (auto s = tx->commit(); !s) {
        return s.error();
    }
    return id;
}

std::vector<RedFlagCheck> Store::red_flag_checks(std::int64_t profile_id) {
    std::vector<RedFlagCheck> out;
    auto stmt = sql::Statement::prepare(
        db_,
        "SELECT c.id, c.session_id, c.moment, c.checked_at, "
        "coalesce((SELECT group_concat(flag, char(10)) FROM (SELECT flag FROM red_flags WHERE "
        "check_id = c.id ORDER BY id)), '') "
        "FROM red_flag_checks AS c WHERE c.profile_id = ?1 ORDER BY c.checked_at DESC, c.id DESC",
        "listing red-flag checks of profile " + std::to_string(profile_id));
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return out;
    }
    stmt->bind_int64(1, profile_id);
    each_row(*stmt, [&](const sql::Statement& s) {
        RedFlagCheck c;
        c.id = s.column_int64(0);
        c.profile_id = profile_id;
        c.session_id = s.is_null(1) ? 0 : s.column_int64(1);
        c.moment = s.column_text(2);
        c.checked_at = s.column_text(3);
        const std::string flags = s.column_text(4);
        for (std::size_t start = 0; start < flags.size();) {
            const auto end = std::min(flags.find('\n', start), flags.size());
            c.flags.push_back(flags.substr(start, end - start));
            start = end + 1;
        }
        out.push_back(std::move(c));
    });
    return out;
}

bool Store::red_flags_checked_today(std::int64_t profile_id) {
    auto found = exists(db_,
                        "SELECT 1 FROM red_flag_checks WHERE profile_id = ?1 AND moment = "
                        "'check_in' AND date(checked_at, 'localtime') = date('now', 'localtime')",
                        profile_id, "looking up today's red-flag check");
    if (!found) {
        logger()->error("{}", found.error().message);
        return false; // ask again rather than skip a safety question
    }
    return found.value();
}

Result<std::int64_t> Store::add_decision(const DecisionRecord& d) {
    auto at = timestamp_or_now(d.created_at, "created_at");
    if (!at) {
        return at.error();
    }
    if (auto s = require_profile(db_, d.profile_id); !s) {
        return s.error();
    }
    auto stmt = sql::Statement::prepare(
        db_,
        "INSERT INTO decisions (profile_id, session_id, created_at, light, action, variable, "
        "from_value, to_value, reason_code, reason, inputs_json) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        "recording a decision for profile " + std::to_string(d.profile_id));
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_int64(1, d.profile_id);
    bind_optional(*stmt, 2, d.session_id);
    stmt->bind_text(3, at.value()).bind_text(4, d.light).bind_text(5, d.action);
    stmt->bind_text(6, d.variable);
    if (d.from_value) {
        stmt->bind_double(7, *d.from_value);
    } else {
        stmt->bind_null(7);
    }
    if (d.to_value) {
        stmt->bind_double(8, *d.to_value);
    } else {
        stmt->bind_null(8);
    }
    stmt->bind_text(9, d.reason_code).bind_text(10, d.reason).bind_text(11, d.inputs_json);
    if (auto s = stmt->run(); !s) {
        return s.error();
    }
    return sqlite3_last_insert_rowid(db_);
}

std::vector<DecisionRecord> Store::decisions(std::int64_t profile_id, int limit) {
    std::vector<DecisionRecord> out;
    auto stmt = sql::Statement::prepare(
        db_,
        "SELECT id, session_id, created_at, light, action, variable, from_value, to_value, "
        "reason_code, reason, inputs_json FROM decisions WHERE profile_id = ?1 "
        "ORDER BY created_at DESC, id DESC LIMIT ?2",
        "listing decisions of profile " + std::to_string(profile_id));
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return out;
    }
    stmt->bind_int64(1, profile_id).bind_int64(2, limit);
    each_row(*stmt, [&](const sql::Statement& s) {
        DecisionRecord d;
        d.id = s.column_int64(0);
        d.profile_id = profile_id;
        d.session_id = s.is_null(1) ? 0 : s.column_int64(1);
        d.created_at = s.column_text(2);
        d.light = s.column_text(3);
        d.action = s.column_text(4);
        d.variable = s.column_text(5);
        if (!s.is_null(6)) {
            d.from_value = s.column_double(6);
        }
        if (!s.is_null(7)) {
            d.to_value = s.column_double(7);
        }
        d.reason_code = s.column_text(8);
        d.reason = s.column_text(9);
        d.inputs_json = s.column_text(10);
        out.push_back(std::move(d));
    });
    return out;
}

} // namespace qv::profiles
