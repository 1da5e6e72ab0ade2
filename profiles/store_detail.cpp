#include "profiles/store_detail.hpp"

#include "core/log.hpp"
#include "profiles/store.hpp"

#include <cmath>

namespace qv::profiles::detail {

namespace {
bool digits(const std::string& s, std::size_t from, std::size_t count, int lo, int hi) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        value = value * 10 + (s[i] - '0');
    }
    return value >= lo && value <= hi;
}

} // namespace

std::shared_ptr<spdlog::logger> logger() {
    return log::get("storage");
}

// "YYYY-MM-DDTHH:MM:SS.mmmZ", the only form stored.
bool is_timestamp(const std::string& s) {
    return s.size() == 24 && digits(s, 0, 4, 0, 9999) && s[4] == '-' && digits(s, 5, 2, 1, 12) &&
           s[7] == '-' && digits(s, 8, 2, 1, 31) && s[10] == 'T' && digits(s, 11, 2, 0, 23) &&
           s[13] == ':' && digits(s, 14, 2, 0, 59) && s[16] == ':' && digits(s, 17, 2, 0, 59) &&
           s[19] == '.' && digits(s, 20, 3, 0, 999) && s[23] == 'Z';
}

// An empty timestamp means "now"; anything else must already be in the stored form.
Result<std::string> timestamp_or_now(const std::string& value, std::string_view what) {
    if (value.empty()) {
        return now_iso8601();
    }
    if (!is_timestamp(value)) {
        return fail(std::string(what) + " \"" + value +
                    "\" is not an ISO 8601 UTC time with milliseconds "
                    "(like 2026-11-24T11:30:00.123Z)");
    }
    return value;
}

Status finite(double value, std::string_view what) {
    if (!std::isfinite(value)) {
        return fail(std::string(what) + " must be a finite number");
    }
    return Ok{};
}

Status at_least(double value, double min, std::string_view what) {
    if (auto status = finite(value, what); !status) {
        return status;
    }
    if (value < min) {
        return fail(std::string(what) + " must be at least " + std::to_string(min) + ", not " +
                    std::to_string(value));
    }
    return Ok{};
}

// Whether `query` (one id parameter) returns a row.
Result<bool> exists(sqlite3* db, std::string_view query, std::int64_t id, std::string what) {
    auto stmt = sql::Statement::prepare(db, query, std::move(what));
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_int64(1, id);
    return stmt->step();
}

Status require_profile(sqlite3* db, std::int64_t profile_id) {
    auto found = exists(db, "SELECT 1 FROM profiles WHERE id = ?1", profile_id,
                        "looking up profile " + std::to_string(profile_id));
    if (!found) {
        return found.error();
    }
    if (!found.value()) {
        return fail("profile " + std::to_string(profile_id) + " does not exist");
    }
    return Ok{};
}

Status require_session(sqlite3* db, std::int64_t session_id) {
    auto found = exists(db, "SELECT 1 FROM sessions WHERE id = ?1", session_id,
                        "looking up session " + std::to_string(session_id));
    if (!found) {
        return found.error();
    }
    if (!found.value()) {
        return fail("session " + std::to_string(session_id) + " does not exist");
    }
    return Ok{};
}

// The profile a row (session or calibration) belongs to, or an error naming what is missing.
Result<std::int64_t> owner_of(sqlite3* db, std::string_view query, std::int64_t id,
                              const std::string& noun) {
    auto stmt = sql::Statement::prepare(db, query, "looking up " + noun + " " + std::to_string(id));
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_int64(1, id);
    auto row = stmt->step();
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return fail(noun + " " + std::to_string(id) + " does not exist");
    }
    return stmt->column_int64(0);
}

} // namespace qv::profiles::detail
