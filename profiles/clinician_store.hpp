#pragma once
// The clinician side of the store: app-wide settings, the clinician PIN (an argon2id hash with a
// persisted rate limit), and managing profiles (rename, avatar, archive, explicit deletion).
// Free functions over a Store's connection; like the Store they are not thread-safe.

#include "core/result.hpp"
#include "profiles/store.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace qv::profiles {

// ---- settings (the `settings` table: key -> text) ----

/// The value of an app-wide setting, or nullopt when it was never set.
std::optional<std::string> setting(Store& store, const std::string& key);
/// Creates or replaces a setting. Keys are 1-64 characters.
Status set_setting(Store& store, const std::string& key, const std::string& value);
/// Removes a setting (Ok when it was not there).
Status erase_setting(Store& store, const std::string& key);

// ---- the clinician PIN ----

/// Cost of the PIN hash (libsodium crypto_pwhash_str_alg, argon2id 1.3). About 0.25 s on the
/// reference machine; a 4-8 digit PIN is still guessable offline by someone who copies the
/// database file, so the hash protects against casual reading, the rate limit against guessing
/// at the keyboard, and the file's 0600 mode against other accounts.
struct PinHashCost {
    unsigned long long ops = 4;         ///< passes over memory
    std::size_t mem_bytes = 128u << 20; ///< 128 MiB
};

/// The rate limit on wrong PINs: the first `free_failures` wrong PINs cost nothing, then each
/// further one locks entry for `first_wait_s`, doubling each time, at most `max_wait_s`. A right
/// PIN resets it. Persisted in settings, so restarting the game does not clear it.
struct PinPolicy {
    int free_failures = 3;
    std::int64_t first_wait_s = 30;
    std::int64_t max_wait_s = 15 * 60;
};

/// Wall-clock seconds since the Unix epoch (the rate limit survives restarts, so it needs a
/// clock that does too). Tests pass their own numbers instead.
std::int64_t unix_now_s();

/// Ok when `pin` is 4 to 8 digits, else a message saying what is wrong with it (never the PIN).
Status validate_pin(const std::string& pin);
/// True when a clinician PIN is set.
bool has_pin(Store& store);
/// True when this is a home-only install: the first start chose not to set a PIN.
bool pin_skipped(Store& store);
/// Records the home-only choice (no PIN; the clinician screens open without one).
Status skip_pin(Store& store);
/// Sets or replaces the PIN (validated) as an argon2id hash; clears the skip choice and the
/// failure counter. The PIN itself is never stored or logged.
Status set_pin(Store& store, const std::string& pin, const PinHashCost& cost = {});
/// The documented reset for a forgotten PIN: removes the hash, the skip choice and the rate
/// limit; every profile and its history stay. The next start asks for a new PIN.
Status clear_pin(Store& store);

/// What a PIN attempt gave.
enum class PinOutcome {
    Accepted, ///< right PIN (or no PIN set: home-only install)
    Wrong,    ///< wrong PIN; `wait_s` > 0 when further attempts are now locked
    Locked,   ///< not checked: too many wrong PINs, try again in `wait_s` seconds
    Invalid,  ///< not 4-8 digits; not counted as a failure
    Error,    ///< the store failed; `message` says how
};

/// The answer to a PIN attempt.
struct PinAttempt {
    PinOutcome outcome = PinOutcome::Error;
    std::int64_t wait_s = 0; ///< seconds until the next attempt is allowed (0: now)
    int failures = 0;        ///< wrong PINs in a row so far
    std::string message;     ///< for Invalid and Error
};

/// Checks a PIN under the rate limit at time `now_s` (Unix seconds).
PinAttempt verify_pin(Store& store, const std::string& pin, std::int64_t now_s = unix_now_s(),
                      const PinPolicy& policy = {});
/// Seconds until a PIN may be tried again (0 when it may be tried now).
std::int64_t pin_wait_s(Store& store, std::int64_t now_s = unix_now_s(),
                        const PinPolicy& policy = {});

/// For `quadventure --reset-pin`: opens the database at `db` and clears the PIN (clear_pin).
Status reset_pin_in(const std::filesystem::path& db);

// ---- managing profiles ----

/// Renames a profile (trimmed, 1-40 characters of readable text).
Status rename_profile(Store& store, std::int64_t profile_id, const std::string& name);
/// Changes a profile's avatar (a content avatar id, at most 64 characters).
Status set_avatar(Store& store, std::int64_t profile_id, const std::string& avatar);
/// Hides a profile from the player's list (Store::profiles()); keeps all of its data.
Status archive_profile(Store& store, std::int64_t profile_id);
/// Brings an archived profile back to the player's list.
Status unarchive_profile(Store& store, std::int64_t profile_id);
/// The archived profiles, oldest first (kiosk guests are not listed: kiosk_store.hpp).
std::vector<Profile> archived_profiles(Store& store);
/// Whether a profile is archived (false when it does not exist).
bool is_archived(Store& store, std::int64_t profile_id);
/// Deletes a profile and, through the schema's ON DELETE CASCADE, everything of it (sessions,
/// sets, reps, traces, pain, check-ins, calibrations, plans, red flags, decisions). Only for an
/// explicit, confirmed request. Returns how many sessions went with it.
Result<int> delete_profile(Store& store, std::int64_t profile_id);

// ---- history ----

/// One calibration by its id (a session's calibration_id), or nullopt when there is none.
std::optional<CalibrationRecord> calibration_by_id(Store& store, std::int64_t calibration_id);

} // namespace qv::profiles
