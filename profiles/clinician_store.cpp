// The clinician side of the store: settings, the PIN (argon2id hash, persisted rate limit) and
// managing profiles.

#include "profiles/clinician_store.hpp"

#include "profiles/sqlite.hpp"
#include "profiles/store_detail.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <sqlite3.h>

namespace qv::profiles {

using namespace detail;

namespace {

// Setting keys. Values: the hash as libsodium's string; "1" for the skip; integers as text.
constexpr const char* kPinHash = "clinician.pin_hash";
constexpr const char* kPinSkipped = "clinician.pin_skipped";
constexpr const char* kPinFailures = "clinician.pin_failures";
constexpr const char* kPinLockedUntil = "clinician.pin_locked_until"; // Unix seconds

constexpr std::size_t kMaxNameChars = 40;
constexpr std::size_t kMaxAvatarChars = 64;

bool sodium_ready() {
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] { ok = sodium_init() >= 0; });
    return ok;
}

std::int64_t setting_int(Store& store, const char* key) {
    const auto v = setting(store, key);
    if (!v) {
        return 0;
    }
    try {
        return std::stoll(*v);
    } catch (const std::exception&) {
        logger()->warn("setting {} is not a number; taken as 0", key);
        return 0;
    }
}

// Readable UTF-8 without control characters; the number of code points, or nullopt.
std::optional<std::size_t> readable_length(const std::string& s) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
        if (len == 0 || i + len > s.size() || c < 0x20 || c == 0x7F) {
            return std::nullopt;
        }
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
                return std::nullopt;
            }
        }
        i += len;
        ++count;
    }
    return count;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) {
        return {};
    }
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

Status update_profile(Store& store, std::int64_t profile_id, std::string_view sql,
                      const std::string& what, const auto& bind) {
    if (auto s = require_profile(store.handle(), profile_id); !s) {
        return s;
    }
    auto stmt = sql::Statement::prepare(store.handle(), sql, what);
    if (!stmt) {
        return stmt.error();
    }
    bind(*stmt);
    return stmt->run();
}

std::int64_t wait_after(int failures, const PinPolicy& policy) {
    if (failures < policy.free_failures) {
        return 0;
    }
    std::int64_t wait = policy.first_wait_s;
    for (int i = policy.free_failures; i < failures && wait < policy.max_wait_s; ++i) {
        wait *= 2;
    }
    return std::min(wait, policy.max_wait_s);
}

} // namespace

// ---- settings ----

std::optional<std::string> setting(Store& store, const std::string& key) {
    auto stmt = sql::Statement::prepare(store.handle(), "SELECT value FROM settings WHERE key = ?1",
                                        "reading setting " + key);
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return std::nullopt;
    }
    stmt->bind_text(1, key);
    auto row = stmt->step();
    if (!row) {
        logger()->error("{}", row.error().message);
        return std::nullopt;
    }
    if (!row.value()) {
        return std::nullopt;
    }
    return stmt->column_text(0);
}

Status set_setting(Store& store, const std::string& key, const std::string& value) {
    if (key.empty() || key.size() > 64) {
        return fail("a setting's key must be 1 to 64 characters");
    }
    auto stmt = sql::Statement::prepare(
        store.handle(),
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        "saving setting " + key);
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_text(1, key).bind_text(2, value).bind_text(3, now_iso8601());
    return stmt->run();
}

Status erase_setting(Store& store, const std::string& key) {
    auto stmt = sql::Statement::prepare(store.handle(), "DELETE FROM settings WHERE key = ?1",
                                        "removing setting " + key);
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_text(1, key);
    return stmt->run();
}

// ---- the PIN ----

std::int64_t unix_now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Status validate_pin(const std::string& pin) {
    if (pin.size() < 4 || pin.size() > 8) {
        return fail("The PIN must have 4 to 8 digits (this one has " + std::to_string(pin.size()) +
                    ").");
    }
    if (!std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return fail("The PIN may only contain digits 0-9.");
    }
    return Ok{};
}

bool has_pin(Store& store) {
    const auto h = setting(store, kPinHash);
    return h && !h->empty();
}

bool pin_skipped(Store& store) {
    return !has_pin(store) && setting(store, kPinSkipped).value_or("") == "1";
}

Status skip_pin(Store& store) {
    if (has_pin(store)) {
        return fail("A clinician PIN is set; reset it first to make this a home-only install.");
    }
    return set_setting(store, kPinSkipped, "1");
}

Status set_pin(Store& store, const std::string& pin, const PinHashCost& cost) {
    if (auto s = validate_pin(pin); !s) {
        return s;
    }
    if (!sodium_ready()) {
        return fail("cannot start libsodium to hash the PIN");
    }
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, pin.data(), pin.size(), cost.ops, cost.mem_bytes,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return fail("hashing the PIN failed (out of memory?)");
    }
    auto tx = sql::Transaction::begin(store.handle(), "setting the clinician PIN");
    if (!tx) {
        return tx.error();
    }
    for (auto s : {set_setting(store, kPinHash, hash), erase_setting(store, kPinSkipped),
                   erase_setting(store, kPinFailures), erase_setting(store, kPinLockedUntil)}) {
        if (!s) {
            return s;
        }
    }
    sodium_memzero(hash, sizeof hash);
    if (auto s = tx->commit(); !s) {
        return s;
    }
    logger()->info("the clinician PIN was set");
    return Ok{};
}

Status clear_pin(Store& store) {
    auto tx = sql::Transaction::begin(store.handle(), "resetting the clinician PIN");
    if (!tx) {
        return tx.error();
    }
    for (const char* key : {kPinHash, kPinSkipped, kPinFailures, kPinLockedUntil}) {
        if (auto s = erase_setting(store, key); !s) {
            return s;
        }
    }
    if (auto s = tx->commit(); !s) {
        return s;
    }
    logger()->info("the clinician PIN was reset; profiles and history are kept");
    return Ok{};
}

std::int64_t pin_wait_s(Store& store, std::int64_t now_s, const PinPolicy& policy) {
    const auto until = setting_int(store, kPinLockedUntil);
    // A clock set back must not lock the clinician out for longer than the longest wait.
    return std::clamp<std::int64_t>(until - now_s, 0, policy.max_wait_s);
}

PinAttempt verify_pin(Store& store, const std::string& pin, std::int64_t now_s,
                      const PinPolicy& policy) {
    PinAttempt out;
    out.failures = static_cast<int>(setting_int(store, kPinFailures));
    const auto hash = setting(store, kPinHash);
    if (!hash || hash->empty()) {
        out.outcome = PinOutcome::Accepted; // home-only install: nothing to check
        return out;
    }
    if (const auto wait = pin_wait_s(store, now_s, policy); wait > 0) {
        out.outcome = PinOutcome::Locked;
        out.wait_s = wait;
        return out;
    }
    if (auto s = validate_pin(pin); !s) {
        out.outcome = PinOutcome::Invalid;
        out.message = s.error().message;
        return out;
    }
    if (!sodium_ready()) {
        out.message = "cannot start libsodium to check the PIN";
        return out;
    }
    if (crypto_pwhash_str_verify(hash->c_str(), pin.data(), pin.size()) == 0) {
        out.outcome = PinOutcome::Accepted;
        const bool had_failures = out.failures != 0 || setting(store, kPinLockedUntil);
        out.failures = 0;
        if (had_failures) {
            auto a = erase_setting(store, kPinFailures);
            auto b = erase_setting(store, kPinLockedUntil);
            if (!a || !b) {
                logger()->error("could not reset the PIN failure counter: {}",
                                (!a ? a : b).error().message);
            }
        }
        return out;
    }
    out.outcome = PinOutcome::Wrong;
    out.failures += 1;
    out.wait_s = wait_after(out.failures, policy);
    auto a = set_setting(store, kPinFailures, std::to_string(out.failures));
    auto b = set_setting(store, kPinLockedUntil, std::to_string(now_s + out.wait_s));
    if (!a || !b) {
        out.outcome = PinOutcome::Error;
        out.message = (!a ? a : b).error().message;
    }
    logger()->warn("a wrong clinician PIN was entered ({} in a row)", out.failures);
    return out;
}

Status reset_pin_in(const std::filesystem::path& db) {
    auto store = Store::open(db);
    if (!store) {
        return store.error();
    }
    return clear_pin(**store);
}

// ---- profiles ----

Status rename_profile(Store& store, std::int64_t profile_id, const std::string& name) {
    const std::string clean = trim(name);
    if (clean.empty()) {
        return fail("A profile name must not be empty.");
    }
    const auto length = readable_length(clean);
    if (!length) {
        return fail("A profile name must be readable text (no control characters).");
    }
    if (*length > kMaxNameChars) {
        return fail("A profile name may have at most " + std::to_string(kMaxNameChars) +
                    " characters; this one has " + std::to_string(*length) + ".");
    }
    return update_profile(store, profile_id, "UPDATE profiles SET name = ?1 WHERE id = ?2",
                          "renaming profile " + std::to_string(profile_id), [&](sql::Statement& s) {
                              s.bind_text(1, clean).bind_int64(2, profile_id);
                          });
}

Status set_avatar(Store& store, std::int64_t profile_id, const std::string& avatar) {
    const auto length = readable_length(avatar);
    if (!length || *length > kMaxAvatarChars) {
        return fail("An avatar id must be readable text of at most 64 characters.");
    }
    return update_profile(
        store, profile_id, "UPDATE profiles SET avatar = ?1 WHERE id = ?2",
        "changing the avatar of profile " + std::to_string(profile_id),
        [&](sql::Statement& s) { s.bind_text(1, avatar).bind_int64(2, profile_id); });
}

Status archive_profile(Store& store, std::int64_t profile_id) {
    return update_profile(store, profile_id, "UPDATE profiles SET archived = 1 WHERE id = ?1",
                          "archiving profile " + std::to_string(profile_id),
                          [&](sql::Statement& s) { s.bind_int64(1, profile_id); });
}

Status unarchive_profile(Store& store, std::int64_t profile_id) {
    return update_profile(store, profile_id, "UPDATE profiles SET archived = 0 WHERE id = ?1",
                          "restoring profile " + std::to_string(profile_id),
                          [&](sql::Statement& s) { s.bind_int64(1, profile_id); });
}

std::vector<Profile> archived_profiles(Store& store) {
    std::vector<Profile> out;
    auto stmt = sql::Statement::prepare(
        store.handle(), "SELECT id FROM profiles WHERE archived = 1 AND guest = 0 ORDER BY id",
        "listing archived profiles");
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return out;
    }
    std::vector<std::int64_t> ids;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            logger()->error("{}", row.error().message);
            break;
        }
        if (!row.value()) {
            break;
        }
        ids.push_back(stmt->column_int64(0));
    }
    for (auto id : ids) {
        if (auto p = store.profile(id)) {
            out.push_back(std::move(*p));
        }
    }
    return out;
}

bool is_archived(Store& store, std::int64_t profile_id) {
    auto found = exists(store.handle(), "SELECT 1 FROM profiles WHERE id = ?1 AND archived = 1",
                        profile_id, "looking up whether a profile is archived");
    return found && found.value();
}

Result<int> delete_profile(Store& store, std::int64_t profile_id) {
    if (auto s = require_profile(store.handle(), profile_id); !s) {
        return s.error();
    }
    auto tx =
        sql::Transaction::begin(store.handle(), "deleting profile " + std::to_string(profile_id));
    if (!tx) {
        return tx.error();
    }
    auto count = sql::Statement::prepare(store.handle(),
                                         "SELECT count(*) FROM sessions WHERE profile_id = ?1",
                                         "counting the sessions of a profile");
    if (!count) {
        return count.error();
    }
    count->bind_int64(1, profile_id);
    auto row = count->step();
    if (!row) {
        return row.error();
    }
    const int sessions = row.value() ? count->column_int(0) : 0;
    count->reset();
    auto del = sql::Statement::prepare(store.handle(), "DELETE FROM profiles WHERE id = ?1",
                                       "deleting profile " + std::to_string(profile_id));
    if (!del) {
        return del.error();
    }
    del->bind_int64(1, profile_id);
    if (auto s = del->run(); !s) {
        return s.error();
    }
    if (sqlite3_changes(store.handle()) != 1) {
        return fail("profile " + std::to_string(profile_id) + " was not deleted");
    }
    if (auto s = tx->commit(); !s) {
        return s.error();
    }
    logger()->info("profile {} was deleted with its {} session(s)", profile_id, sessions);
    return sessions;
}

std::optional<CalibrationRecord> calibration_by_id(Store& store, std::int64_t calibration_id) {
    auto stmt = sql::Statement::prepare(
        store.handle(),
        "SELECT profile_id, created_at, source_driver, zero_n, mvc_n, attempts_json "
        "FROM calibrations WHERE id = ?1",
        "reading calibration " + std::to_string(calibration_id));
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return std::nullopt;
    }
    stmt->bind_int64(1, calibration_id);
    auto row = stmt->step();
    if (!row || !row.value()) {
        return std::nullopt;
    }
    CalibrationRecord c;
    c.id = calibration_id;
    c.profile_id = stmt->column_int64(0);
    c.created_at = stmt->column_text(1);
    c.source_driver = stmt->column_text(2);
    c.zero_n = stmt->column_double(3);
    c.mvc_n = stmt->column_double(4);
    const auto attempts = nlohmann::json::parse(stmt->column_text(5), nullptr, false);
    if (attempts.is_array()) {
        for (const auto& a : attempts) {
            if (a.is_number()) {
                c.attempts_n.push_back(a.get<double>());
            }
        }
    }
    return c;
}

} // namespace qv::profiles
