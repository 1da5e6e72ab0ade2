// The store's side of pain-guided adaptation: child profiles, plans with hard caps, red-flag
// checks and the engine's decisions.

#include "profiles/sqlite.hpp"
#include "profiles/store.hpp"
#include "profiles/store_detail.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <string_view>

namespace qv::profiles {

using namespace detail;

namespace {

// A number as a person writes it: "10", "7.5".
std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    std::string s = buf;
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) {
        s.resize(s.size() - 2);
    }
    return s;
}

// "The cap on <what> (<cap><unit>) is below the current <noun> (<value><unit>): ...".
Error cap_below(const std::string& what, double cap, const std::string& noun, double value,
                const std::string& unit) {
    return fail("The cap on " + what + " (" + num(cap) + unit + ") is below the current " + noun +
                " (" + num(value) + unit + "): raise the cap of " + num(cap) + unit +
                " or lower the " + noun + ".");
}

Status valid_surgery_date(const std::string& date) {
    if (date.empty()) {
        return Ok{};
    }
    int y = 0, m = 0, d = 0;
    char tail = 0;
    const bool shaped = date.size() == 10 && date[4] == '-' && date[7] == '-' &&
                        std::sscanf(date.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3;
    const std::chrono::year_month_day ymd{std::chrono::year{y},
                                          std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!shaped || m < 1 || d < 1 || !ymd.ok()) {
        return fail("The surgery date \"" + date + "\" is not a real date (YYYY-MM-DD).");
    }
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char today[16];
    std::strftime(today, sizeof today, "%Y-%m-%d", &local);
    if (date > std::string(today)) {
        return fail("The surgery date " + date + " is in the future (today is " + today + ").");
    }
    return Ok{};
}

Status valid_thresholds(const PainThresholds& t, const PainThresholds& defaults) {
    const auto in_range = [](const auto& v, double lo, double hi, const std::string& what) {
        if (v && (!(static_cast<double>(*v) >= lo) || !(static_cast<double>(*v) <= hi))) {
            return Status(fail("The pain threshold \"" + what + "\" (" +
                               num(static_cast<double>(*v)) + ") must be between " + num(lo) +
                               " and " + num(hi) + "."));
        }
        return Status(Ok{});
    };
    for (const auto& s : {in_range(t.during_amber_at, 1, 10, "amber during from"),
                          in_range(t.stop_set_at, 1, 10, "stop the set at"),
                          in_range(t.stop_session_at, 1, 10, "stop the session at"),
                          in_range(t.morning_amber_excess, 0.5, 10, "morning amber above usual"),
                          in_range(t.morning_red_excess, 0.5, 10, "morning red above usual"),
                          in_range(t.trend_red_at, 0.5, 10, "weekly rise for red")}) {
        if (!s) {
            return s;
        }
    }
    const auto pick = [](const auto& v, const auto& d) { return v ? v : d; };
    const auto amber = pick(t.during_amber_at, defaults.during_amber_at);
    const auto stop_set = pick(t.stop_set_at, defaults.stop_set_at);
    const auto stop_session = pick(t.stop_session_at, defaults.stop_session_at);
    if (amber && stop_set && !(*amber < *stop_set)) {
        return fail("The pain thresholds are out of order: amber during (from " + num(*amber) +
                    ") must be below the set stop (at " + num(*stop_set) + ").");
    }
    if (stop_set && stop_session && !(*stop_set <= *stop_session)) {
        return fail("The pain thresholds are out of order: the set stop (at " + num(*stop_set) +
                    ") must not be above the session stop (at " + num(*stop_session) + ").");
    }
    const auto m_amber = pick(t.morning_amber_excess, defaults.morning_amber_excess);
    const auto m_red = pick(t.morning_red_excess, defaults.morning_red_excess);
    if (m_amber && m_red && !(*m_amber < *m_red)) {
        return fail("The pain thresholds are out of order: next morning amber (+" + num(*m_amber) +
                    ") must be below next morning red (+" + num(*m_red) + ").");
    }
    return Ok{};
}

std::string thresholds_to_json(const PainThresholds& t) {
    nlohmann::json j = nlohmann::json::object();
    const auto put = [&](const char* key, const auto& v) {
        if (v) {
            j[key] = *v;
        }
    };
    put("during_amber_at", t.during_amber_at);
    put("stop_set_at", t.stop_set_at);
    put("stop_session_at", t.stop_session_at);
    put("morning_amber_excess", t.morning_amber_excess);
    put("morning_red_excess", t.morning_red_excess);
    put("trend_red_at", t.trend_red_at);
    return j.dump();
}

PainThresholds thresholds_from_json(const std::string& text, std::int64_t profile_id) {
    PainThresholds t;
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        logger()->error("the pain thresholds of profile {} are not a JSON object; using defaults",
                        profile_id);
        return t;
    }
    const auto get_int = [&](const char* key, std::optional<int>& out) {
        if (auto it = j.find(key); it != j.end() && it->is_number()) {
            out = static_cast<int>(std::lround(it->get<double>()));
        }
    };
    const auto get_double = [&](const char* key, std::optional<double>& out) {
        if (auto it = j.find(key); it != j.end() && it->is_number()) {
            out = it->get<double>();
        }
    };
    get_int("during_amber_at", t.during_amber_at);
    get_int("stop_set_at", t.stop_set_at);
    get_int("stop_session_at", t.stop_session_at);
    get_double("morning_amber_excess", t.morning_amber_excess);
    get_double("morning_red_excess", t.morning_red_excess);
    get_double("trend_red_at", t.trend_red_at);
    return t;
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

Status validate_plan(const PlanRecord& p, const PainThresholds& defaults) {
    const auto& d = p.dose;
    for (double v : {d.hold_s, d.rest_s, d.set_rest_s, d.band_low_pct, d.band_high_pct,
                     p.cap_hold_s, p.cap_band_high_pct, p.band_low_cap_pct}) {
        if (!std::isfinite(v)) {
            return fail("The plan has a number that is not finite.");
        }
    }
    if (d.sets < 1) {
        return fail("Sets must be at least 1 (now " + std::to_string(d.sets) + ").");
    }
    if (d.reps < 1) {
        return fail("Reps must be at least 1 (now " + std::to_string(d.reps) + ").");
    }
    if (!(d.hold_s > 0)) {
        return fail("The hold time must be more than 0 s (now " + num(d.hold_s) + " s).");
    }
    if (d.rest_s < 0 || d.set_rest_s < 0) {
        return fail("Rest times must not be negative (now " + num(d.rest_s) + " s between holds, " +
                    num(d.set_rest_s) + " s between sets).");
    }
    if (d.band_low_pct < 0 || !(d.band_high_pct > d.band_low_pct) || d.band_high_pct > 100) {
        return fail("The % MVC range must run from low to high within 0-100 % (now " +
                    num(d.band_low_pct) + " % to " + num(d.band_high_pct) + " %).");
    }
    if (p.cap_sets < d.sets) {
        return cap_below("sets", p.cap_sets, "sets", d.sets, "");
    }
    if (p.cap_reps < d.reps) {
        return cap_below("reps", p.cap_reps, "reps", d.reps, "");
    }
    if (p.cap_hold_s < d.hold_s) {
        return cap_below("hold time", p.cap_hold_s, "hold", d.hold_s, " s");
    }
    if (p.cap_band_high_pct < d.band_high_pct) {
        return cap_below("% MVC", p.cap_band_high_pct, "upper % MVC", d.band_high_pct, " %");
    }
    if (p.cap_band_high_pct > 100) {
        return fail("The cap on % MVC (" + num(p.cap_band_high_pct) + " %) must be at most 100 %.");
    }
    if (p.band_low_cap_pct < 0) {
        return fail("The cap on the lower % MVC edge must not be negative (now " +
                    num(p.band_low_cap_pct) + " %).");
    }
    if (p.band_low_cap_pct > 0 && p.band_low_cap_pct < d.band_low_pct) {
        return cap_below("the lower % MVC edge", p.band_low_cap_pct, "lower % MVC", d.band_low_pct,
                         " %");
    }
    static const std::array<std::string_view, 5> kConditions{"", "kneecap_pain", "knee_replacement",
                                                             "acl_reconstruction", "other"};
    if (std::find(kConditions.begin(), kConditions.end(), p.condition) == kConditions.end()) {
        return fail("The condition \"" + p.condition +
                    "\" is not one of kneecap_pain, knee_replacement, acl_reconstruction, other.");
    }
    if (p.side != "" && p.side != "left" && p.side != "right") {
        return fail("The side \"" + p.side + "\" must be left or right.");
    }
    if (!p.quad_enabled && !p.squat_enabled) {
        return fail("At least one exercise (quad sets or squats) must be enabled.");
    }
    if (auto s = valid_surgery_date(p.surgery_date); !s) {
        return s;
    }
    return valid_thresholds(p.thresholds, defaults);
}

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
        "engine_state_json, condition, side, surgery_date, quad_enabled, squat_enabled, "
        "band_low_cap_pct, thresholds_json "
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
        p.condition = s.column_text(15);
        p.side = s.column_text(16);
        p.surgery_date = s.column_text(17);
        p.quad_enabled = s.column_int(18) != 0;
        p.squat_enabled = s.column_int(19) != 0;
        p.band_low_cap_pct = s.column_double(20);
        p.thresholds = thresholds_from_json(s.column_text(21), profile_id);
        out = p;
    });
    return out;
}

Status Store::save_plan(const PlanRecord& plan) {
    if (auto s = validate_plan(plan); !s) {
        return s;
    }
    if (auto s = require_profile(db_, plan.profile_id); !s) {
        return s;
    }
    auto stmt = sql::Statement::prepare(
        db_,
        "INSERT OR REPLACE INTO plans (profile_id, sets, reps, hold_s, rest_s, set_rest_s, "
        "band_low_pct, band_high_pct, cap_sets, cap_reps, cap_hold_s, cap_band_high_pct, "
        "progression_enabled, locked, updated_at, engine_state_json, condition, side, "
        "surgery_date, quad_enabled, squat_enabled, band_low_cap_pct, thresholds_json) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
        "?19, ?20, ?21, ?22, ?23)",
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
    stmt->bind_text(17, plan.condition).bind_text(18, plan.side).bind_text(19, plan.surgery_date);
    stmt->bind_int64(20, plan.quad_enabled ? 1 : 0).bind_int64(21, plan.squat_enabled ? 1 : 0);
    stmt->bind_double(22, plan.band_low_cap_pct).bind_text(23, thresholds_to_json(plan.thresholds));
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

bool Store::red_flag_raised_today(std::int64_t profile_id) {
    auto found = exists(db_,
                        "SELECT 1 FROM red_flag_checks c JOIN red_flags f ON f.check_id = c.id "
                        "WHERE c.profile_id = ?1 AND c.moment = 'check_in' AND "
                        "date(c.checked_at, 'localtime') = date('now', 'localtime')",
                        profile_id, "looking up today's red flags");
    if (!found) {
        logger()->error("{}", found.error().message);
        return true; // ask the list again rather than skip a safety question
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
