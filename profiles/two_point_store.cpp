#include "profiles/two_point_store.hpp"

#include "profiles/sqlite.hpp"
#include "profiles/store_detail.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace qv::profiles {

Result<std::int64_t> add_two_point_calibration(Store& store, const TwoPointRecord& r) {
    if (r.source_driver.empty() || r.source_driver.size() > 64) {
        return fail("a two-point calibration needs a source driver id");
    }
    for (const auto& [value, what] :
         {std::pair{r.zero_raw, "zero_raw"}, std::pair{r.loaded_raw, "loaded_raw"}}) {
        if (auto s = detail::finite(value, what); !s) {
            return s.error();
        }
    }
    if (!std::isfinite(r.newtons_per_raw) || r.newtons_per_raw <= 0) {
        return fail("a two-point calibration's slope must be above 0 N per unit");
    }
    if (!std::isfinite(r.known_n) || r.known_n <= 0) {
        return fail("a two-point calibration's known load must be above 0 N");
    }
    auto created = detail::timestamp_or_now(r.created_at, "created_at");
    if (!created) {
        return created.error();
    }
    sqlite3* db = store.handle();
    if (auto s = detail::require_profile(db, r.profile_id); !s) {
        return s.error();
    }
    auto stmt = sql::Statement::prepare(
        db,
        "INSERT INTO calibrations (profile_id, created_at, source_driver, zero_n, mvc_n, "
        "attempts_json, kind) VALUES (?1, ?2, ?3, 0, ?4, ?5, 'two_point')",
        "adding a two-point calibration to profile " + std::to_string(r.profile_id));
    if (!stmt) {
        return stmt.error();
    }
    const nlohmann::json coefficients = {r.zero_raw, r.newtons_per_raw, r.loaded_raw};
    stmt->bind_int64(1, r.profile_id).bind_text(2, created.value());
    stmt->bind_text(3, r.source_driver).bind_double(4, r.known_n);
    stmt->bind_text(5, coefficients.dump());
    if (auto status = stmt->run(); !status) {
        return status.error();
    }
    return sqlite3_last_insert_rowid(db);
}

std::optional<TwoPointRecord> latest_two_point_calibration(Store& store, std::int64_t profile_id,
                                                           const std::string& source_driver) {
    auto stmt = sql::Statement::prepare(
        store.handle(),
        "SELECT id, created_at, mvc_n, attempts_json FROM calibrations "
        "WHERE profile_id = ?1 AND source_driver = ?2 AND kind = 'two_point' "
        "ORDER BY created_at DESC, id DESC LIMIT 1",
        "reading the two-point calibration of profile " + std::to_string(profile_id));
    if (!stmt) {
        detail::logger()->error("{}", stmt.error().message);
        return std::nullopt;
    }
    stmt->bind_int64(1, profile_id).bind_text(2, source_driver);
    auto row = stmt->step();
    if (!row || !row.value()) {
        if (!row) {
            detail::logger()->error("{}", row.error().message);
        }
        return std::nullopt;
    }
    TwoPointRecord r;
    r.id = stmt->column_int64(0);
    r.profile_id = profile_id;
    r.created_at = stmt->column_text(1);
    r.source_driver = source_driver;
    r.known_n = stmt->column_double(2);
    const auto json = nlohmann::json::parse(stmt->column_text(3), nullptr, false);
    if (!json.is_array() || json.size() < 3 || !json[0].is_number() || !json[1].is_number() ||
        !json[2].is_number()) {
        detail::logger()->error("two-point calibration {}: attempts_json is not [zero, slope, "
                                "loaded]",
                                r.id);
        return std::nullopt;
    }
    r.zero_raw = json[0].get<double>();
    r.newtons_per_raw = json[1].get<double>();
    r.loaded_raw = json[2].get<double>();
    if (!std::isfinite(r.zero_raw) || !std::isfinite(r.newtons_per_raw) || r.newtons_per_raw <= 0) {
        detail::logger()->error("two-point calibration {}: unusable coefficients", r.id);
        return std::nullopt;
    }
    return r;
}

} // namespace qv::profiles
