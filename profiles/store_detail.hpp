#pragma once
// Validation and query helpers shared by the store's source files (private to profiles).

#include "core/result.hpp"
#include "profiles/sqlite.hpp"

#include <cstdint>
#include <memory>
#include <spdlog/logger.h>
#include <string>
#include <string_view>

namespace qv::profiles::detail {

/// The storage module's logger.
std::shared_ptr<spdlog::logger> logger();
/// "YYYY-MM-DDTHH:MM:SS.mmmZ", the only timestamp form stored.
bool is_timestamp(const std::string& s);
/// An empty timestamp means "now"; anything else must already be in the stored form.
Result<std::string> timestamp_or_now(const std::string& value, std::string_view what);
/// Ok when `value` is finite, else an error naming `what`.
Status finite(double value, std::string_view what);
/// Ok when `value` is finite and at least `min`.
Status at_least(double value, double min, std::string_view what);
/// Whether `query` (one id parameter) returns a row.
Result<bool> exists(sqlite3* db, std::string_view query, std::int64_t id, std::string what);
/// Ok when the profile exists, else an error naming it.
Status require_profile(sqlite3* db, std::int64_t profile_id);
/// Ok when the session exists, else an error naming it.
Status require_session(sqlite3* db, std::int64_t session_id);
/// The profile a row (session or calibration) belongs to, or an error naming what is missing.
Result<std::int64_t> owner_of(sqlite3* db, std::string_view query, std::int64_t id,
                              const std::string& noun);

} // namespace qv::profiles::detail
