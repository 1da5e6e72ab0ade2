#include "profiles/store.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "profiles/migrations.hpp"
#include "profiles/sqlite.hpp"
#include "profiles/store_detail.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unordered_map>
#include <unordered_set>

namespace qv::profiles {

namespace fs = std::filesystem;
using namespace detail;

namespace {

constexpr std::size_t kMaxNameChars = 40;
constexpr std::size_t kMaxIdChars = 32;     // level ids
constexpr std::size_t kMaxAvatarChars = 64; // avatar ids
constexpr int kBusyTimeoutMs = 5000;
constexpr int kMaxStars = 3;

// ---- validation -------------------------------------------------------------------------------

bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string trim(const std::string& s) {
    std::size_t begin = 0;
    std::size_t end = s.size();
    while (begin < end && is_ascii_space(s[begin])) {
        ++begin;
    }
    while (end > begin && is_ascii_space(s[end - 1])) {
        --end;
    }
    return s.substr(begin, end - begin);
}

// Number of code points in valid UTF-8 without control characters, or nullopt.
std::optional<std::size_t> printable_utf8_length(const std::string& s) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto lead = static_cast<unsigned char>(s[i]);
        std::size_t extra = 0;
        if (lead < 0x80) {
            if (lead < 0x20 || lead == 0x7f) {
                return std::nullopt;
            }
        } else if ((lead & 0xe0) == 0xc0 && lead >= 0xc2) {
            extra = 1;
        } else if ((lead & 0xf0) == 0xe0) {
            extra = 2;
        } else if ((lead & 0xf8) == 0xf0 && lead <= 0xf4) {
            extra = 3;
        } else {
            return std::nullopt;
        }
        if (extra > 0 && i + extra >= s.size()) {
            return std::nullopt;
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) {
                return std::nullopt;
            }
        }
        i += extra + 1;
        ++count;
    }
    return count;
}

Result<std::string> valid_name(const std::string& raw) {
    std::string name = trim(raw);
    if (name.empty()) {
        return fail("a profile name must not be empty");
    }
    const auto length = printable_utf8_length(name);
    if (!length) {
        return fail("a profile name must be readable text (UTF-8, no control characters)");
    }
    if (*length > kMaxNameChars) {
        return fail("a profile name may have at most " + std::to_string(kMaxNameChars) +
                    " characters; \"" + name + "\" has " + std::to_string(*length));
    }
    return name;
}

Status valid_id_text(const std::string& value, std::string_view what, std::size_t max_chars,
                     bool may_be_empty) {
    if (value.empty() && !may_be_empty) {
        return fail(std::string(what) + " must not be empty");
    }
    const auto length = printable_utf8_length(value);
    if (!length || *length > max_chars) {
        return fail(std::string(what) + " \"" + value + "\" must be readable text of at most " +
                    std::to_string(max_chars) + " characters");
    }
    return Ok{};
}

// ---- encodings --------------------------------------------------------------------------------

std::string doubles_to_json(const std::vector<double>& values) {
    std::string json = "[";
    char buffer[32];
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) {
            json += ',';
        }
        // Shortest text that reads back to the same double, independent of the locale.
        const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, values[i]);
        json.append(buffer, ec == std::errc{} ? end : buffer);
    }
    json += ']';
    return json;
}

Result<std::vector<double>> doubles_from_json(const std::string& json) {
    std::vector<double> values;
    const char* p = json.data();
    const char* end = p + json.size();
    const auto skip_space = [&] {
        while (p < end && is_ascii_space(*p)) {
            ++p;
        }
    };
    skip_space();
    if (p == end || *p != '[') {
        return fail("calibration attempts \"" + json + "\" are not a JSON array");
    }
    ++p;
    skip_space();
    if (p < end && *p == ']') {
        return values;
    }
    while (p < end) {
        skip_space();
        double value = 0;
        const auto [next, ec] = std::from_chars(p, end, value);
        if (ec != std::errc{}) {
            return fail("calibration attempts \"" + json + "\" hold something not a number");
        }
        values.push_back(value);
        p = next;
        skip_space();
        if (p < end && *p == ',') {
            ++p;
        } else if (p < end && *p == ']') {
            return values;
        } else {
            break;
        }
    }
    return fail("calibration attempts \"" + json + "\" are not a JSON array of numbers");
}

// float32 little-endian, whatever the host's byte order.
std::vector<std::byte> floats_to_le(const std::vector<float>& values) {
    std::vector<std::byte> bytes(values.size() * 4);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto bits = std::bit_cast<std::uint32_t>(values[i]);
        for (std::size_t b = 0; b < 4; ++b) {
            bytes[i * 4 + b] = static_cast<std::byte>((bits >> (8 * b)) & 0xffu);
        }
    }
    return bytes;
}

std::vector<float> floats_from_le(const std::vector<std::byte>& bytes) {
    std::vector<float> values(bytes.size() / 4);
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::uint32_t bits = 0;
        for (std::size_t b = 0; b < 4; ++b) {
            bits |= static_cast<std::uint32_t>(bytes[i * 4 + b]) << (8 * b);
        }
        values[i] = std::bit_cast<float>(bits);
    }
    return values;
}

std::optional<PainMoment> pain_moment_from(const std::string& s) {
    for (auto m :
         {PainMoment::Before, PainMoment::During, PainMoment::After, PainMoment::NextMorning}) {
        if (to_string(m) == s) {
            return m;
        }
    }
    return std::nullopt;
}

// ---- small query helpers ----------------------------------------------------------------------

Result<int> int_pragma(sqlite3* db, std::string_view pragma, std::string what) {
    auto stmt = sql::Statement::prepare(db, pragma, std::move(what));
    if (!stmt) {
        return stmt.error();
    }
    auto row = stmt->step();
    if (!row) {
        return row.error();
    }
    return row.value() ? stmt->column_int(0) : 0;
}

Profile read_profile(const sql::Statement& s) {
    Profile p;
    p.id = s.column_int64(0);
    p.name = s.column_text(1);
    p.avatar = s.column_text(2);
    p.level_id = s.column_text(3);
    p.created_at = s.column_text(4);
    p.child = s.column_int(5) != 0;
    p.guest = s.column_int(6) != 0;
    return p;
}

constexpr std::string_view kProfileColumns = "id, name, avatar, level_id, created_at, child, guest";

// The columns read_session expects, in order, for a table or alias `s`.
constexpr std::string_view kSessionColumns =
    "s.id, s.profile_id, s.started_at, s.ended_at, s.source_driver, s.source_model, "
    "s.source_serial, s.source_firmware, s.source_is_measurement, s.calibration_id, s.level_id, "
    "s.status, s.stars, s.effort_rating";

SessionRecord read_session(const sql::Statement& s) {
    SessionRecord r;
    r.id = s.column_int64(0);
    r.profile_id = s.column_int64(1);
    r.started_at = s.column_text(2);
    r.ended_at = s.column_text(3);
    r.source.driver = s.column_text(4);
    r.source.model = s.column_text(5);
    r.source.serial = s.column_text(6);
    r.source.firmware = s.column_text(7);
    r.source.is_measurement = s.column_int(8) != 0;
    r.calibration_id = s.is_null(9) ? 0 : s.column_int64(9);
    r.level_id = s.column_text(10);
    const auto status = session_status_from(s.column_text(11));
    r.status = status.value_or(SessionStatus::Aborted); // the CHECK admits only known values
    r.stars = s.column_int(12);
    r.effort_rating = s.is_null(13) ? -1 : s.column_int(13);
    return r;
}

Status chmod_if_present(const fs::path& file) {
    if (::chmod(file.c_str(), 0600) != 0 && errno != ENOENT) {
        return fail(file.string() + ": cannot set mode 0600: " + std::strerror(errno));
    }
    return Ok{};
}

// Refuses an existing, non-empty file without the SQLite header. Missing or empty is fine: that
// is a new database.
Status looks_like_sqlite(const fs::path& file) {
    static constexpr char kMagic[] = "SQLite format 3"; // 16 bytes with the terminating NUL
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec || size == 0) {
        return Ok{};
    }
    char header[sizeof kMagic] = {};
    std::FILE* in = std::fopen(file.c_str(), "rb");
    if (in == nullptr) {
        return Ok{}; // SQLite will report why it cannot open the file
    }
    const std::size_t got = std::fread(header, 1, sizeof header, in);
    std::fclose(in);
    if (got != sizeof header || std::memcmp(header, kMagic, sizeof header) != 0) {
        return fail(file.string() +
                    ": this file is not a Quadventure database (it does not start with the "
                    "SQLite header); it was left untouched. Move it away or choose another file.");
    }
    return Ok{};
}

// Closes a connection that never became a Store.
struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

// Applies the migrations the database lacks, each in its own transaction with its version.
Status migrate(sqlite3* db, const std::string& name);

Status validate_set(const SetRecord& set) {
    if (set.set_index < 0) {
        return fail("set_index must be 0 or more, not " + std::to_string(set.set_index));
    }
    if (auto s = valid_id_text(set.exercise, "the exercise", kMaxIdChars, false); !s) {
        return s;
    }
    const QuadSetDose& d = set.dose;
    if (d.sets < 1 || d.reps < 1) {
        return fail("the dose must have at least one set of one rep");
    }
    for (const auto& [value, what] :
         {std::pair{d.hold_s, "dose hold_s"}, std::pair{d.rest_s, "dose rest_s"},
          std::pair{d.set_rest_s, "dose set_rest_s"},
          std::pair{d.band_low_pct, "dose band_low_pct"}}) {
        if (auto s = at_least(value, 0, what); !s) {
            return s;
        }
    }
    if (auto s = at_least(d.band_high_pct, d.band_low_pct, "dose band_high_pct"); !s) {
        return s;
    }
    std::unordered_set<int> rep_indexes;
    for (const QuadSetRepScore& r : set.reps) {
        const std::string rep = "rep " + std::to_string(r.rep_index) + ": ";
        if (r.set_index != set.set_index) {
            return fail(rep + "belongs to set " + std::to_string(r.set_index) + ", not set " +
                        std::to_string(set.set_index));
        }
        if (r.rep_index < 0) {
            return fail(rep + "rep_index must be 0 or more");
        }
        if (!rep_indexes.insert(r.rep_index).second) {
            return fail(rep + "appears twice in set " + std::to_string(set.set_index));
        }
        for (const auto& [value, what] :
             {std::pair{r.target_low_pct, "target_low_pct"}, std::pair{r.hold_s, "hold_s"},
              std::pair{r.time_in_band_s, "time_in_band_s"}, std::pair{r.duration_s, "duration_s"},
              std::pair{r.steadiness_cv, "steadiness_cv"}}) {
            if (auto s = at_least(value, 0, rep + what); !s) {
                return s;
            }
        }
        if (auto s = at_least(r.target_high_pct, r.target_low_pct, rep + "target_high_pct"); !s) {
            return s;
        }
        for (const auto& [value, what] :
             {std::pair{r.mean_pct, "mean_pct"}, std::pair{r.peak_pct, "peak_pct"},
              std::pair{r.peak_n, "peak_n"}}) {
            if (auto s = finite(value, rep + what); !s) {
                return s;
            }
        }
    }
    const Trace& t = set.trace;
    if (!std::isfinite(t.rate_hz) || t.rate_hz < 0 || (t.rate_hz == 0 && !t.force_n.empty())) {
        return fail("a trace with samples needs a rate above 0 Hz, not " +
                    std::to_string(t.rate_hz));
    }
    if (t.force_n.size() > static_cast<std::size_t>(INT_MAX / 4)) {
        return fail("the trace is too long to store in one set");
    }
    return Ok{};
}

} // namespace

// ---- enums --------------------------------------------------------------------------------------

std::string to_string(SessionStatus s) {
    switch (s) {
    case SessionStatus::InProgress:
        return "in_progress";
    case SessionStatus::Completed:
        return "completed";
    case SessionStatus::StoppedPain:
        return "stopped_pain";
    case SessionStatus::StoppedRedFlag:
        return "stopped_red_flag";
    case SessionStatus::Aborted:
        return "aborted";
    }
    return "aborted";
}

std::optional<SessionStatus> session_status_from(const std::string& s) {
    for (auto status :
         {SessionStatus::InProgress, SessionStatus::Completed, SessionStatus::StoppedPain,
          SessionStatus::StoppedRedFlag, SessionStatus::Aborted}) {
        if (to_string(status) == s) {
            return status;
        }
    }
    return std::nullopt;
}

std::string to_string(PainMoment m) {
    switch (m) {
    case PainMoment::Before:
        return "before";
    case PainMoment::During:
        return "during";
    case PainMoment::After:
        return "after";
    case PainMoment::NextMorning:
        return "next_morning";
    }
    return "during";
}

// ---- opening and migrating ----------------------------------------------------------------------

Result<std::unique_ptr<Store>> Store::open(const fs::path& file) {
    const std::string name = file.string();
    if (file.has_parent_path()) {
        if (auto status = paths::ensure_private_dir(file.parent_path()); !status) {
            return status.error();
        }
    }
    // A non-empty file that does not start like an SQLite database is refused before anything,
    // even its mode, is changed.
    if (auto status = looks_like_sqlite(file); !status) {
        return status.error();
    }
    // Create the file ourselves, mode 0600, before SQLite sees it: SQLite would create it with
    // the umask's mode. This never truncates an existing file.
    if (auto status = paths::ensure_private_file(file); !status) {
        return status.error();
    }

    sqlite3* raw = nullptr;
    // No SQLITE_OPEN_CREATE: the file exists with the right mode, and SQLite never creates it.
    const int rc =
        sqlite3_open_v2(name.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    std::unique_ptr<sqlite3, CloseDb> guard(raw); // closes the handle on every early return
    if (rc != SQLITE_OK) {
        return sql::error_from(raw, rc, name + ": opening the database");
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, kBusyTimeoutMs);

    // Read before writing anything, so a file that is not ours stays byte for byte as it was.
    auto app_id = int_pragma(raw, "PRAGMA application_id", name + ": reading the file header");
    if (!app_id) {
        if ((sqlite3_errcode(raw) & 0xff) == SQLITE_NOTADB) {
            return fail(name +
                        ": this file is not a Quadventure database (SQLite says: file is not a "
                        "database); it was left untouched. Move it away or choose another file.");
        }
        return app_id.error();
    }
    if (app_id.value() != 0 && app_id.value() != kApplicationId) {
        return fail(name +
                    ": this SQLite database belongs to another program; it was left untouched");
    }
    auto version = int_pragma(raw, "PRAGMA user_version", name + ": reading the schema version");
    if (!version) {
        return version.error();
    }
    if (version.value() > latest_schema_version()) {
        return fail(name + ": database schema " + std::to_string(version.value()) +
                    " is newer than this program (" + std::to_string(latest_schema_version()) +
                    "); update Quadventure");
    }

    {
        // Switching the journal needs the database to itself, and SQLite answers BUSY at once
        // (without its busy handler) while another connection is opening the same new file:
        // retry for as long as the busy timeout would have waited.
        auto mode = sql::Statement::prepare(raw, "PRAGMA journal_mode = WAL",
                                            name + ": switching to the WAL journal");
        if (!mode) {
            return mode.error();
        }
        auto row = mode->step();
        for (int waited_ms = 0;
             !row && sqlite3_errcode(raw) == SQLITE_BUSY && waited_ms < kBusyTimeoutMs;
             waited_ms += 10) {
            sqlite3_sleep(10);
            mode->reset();
            row = mode->step();
        }
        if (!row) {
            return row.error();
        }
        if (!row.value() || mode->column_text(0) != "wal") {
            // Possible on file systems without shared memory; the rollback journal still keeps
            // every commit, only the reader and the writer wait for each other more.
            logger()->warn("{}: WAL journal not available, using \"{}\"", name,
                           row.value() ? mode->column_text(0) : std::string("?"));
        }
    }
    // FULL: in WAL mode, NORMAL may lose the last commits on a power cut; a finished set must
    // not be lost once commit_set has returned.
    if (auto status = sql::exec(raw, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
                                name + ": setting up the connection");
        !status) {
        return status.error();
    }
    // Opening the WAL and shared-memory files happens on the first read; then make sure they
    // are private whatever the umask.
    if (auto status =
            sql::exec(raw, "SELECT count(*) FROM sqlite_schema", name + ": reading the schema");
        !status) {
        return status.error();
    }
    for (const char* suffix : {"-wal", "-shm"}) {
        if (auto status = chmod_if_present(name + suffix); !status) {
            return status.error();
        }
    }
    if (auto status = migrate(raw, name); !status) {
        return status.error();
    }
    return std::unique_ptr<Store>(new Store(guard.release()));
}

namespace {

Status migrate(sqlite3* db, const std::string& name) {
    for (const Migration& m : migrations()) {
        const std::string what =
            name + ": migration " + std::to_string(m.version) + " (" + std::string(m.name) + ")";
        // Cheap check first so an up-to-date database takes no write lock.
        auto before = int_pragma(db, "PRAGMA user_version", what);
        if (!before) {
            return before.error();
        }
        if (before.value() >= m.version) {
            continue;
        }
        auto txn = sql::Transaction::begin(db, what);
        if (!txn) {
            return txn.error();
        }
        // Another connection may have migrated while we waited for the lock.
        auto current = int_pragma(db, "PRAGMA user_version", what);
        if (!current) {
            return current.error();
        }
        if (current.value() >= m.version) {
            continue; // the transaction rolls back, having written nothing
        }
        if (current.value() != m.version - 1) {
            return fail(what + ": the database is at version " + std::to_string(current.value()));
        }
        if (auto status = sql::exec(db, m.sql, what); !status) {
            return status;
        }
        // The version is a constant of this program, never a value from outside.
        std::string bump = "PRAGMA user_version = " + std::to_string(m.version);
        if (m.version == 1) {
            bump += "; PRAGMA application_id = " + std::to_string(kApplicationId);
        }
        if (auto status = sql::exec(db, bump, what); !status) {
            return status;
        }
        if (auto status = txn->commit(); !status) {
            return status;
        }
        logger()->info("{}: applied", what);
    }
    return Ok{};
}

} // namespace

Store::~Store() {
    sqlite3_close_v2(db_);
}

int Store::schema_version() const {
    auto version = int_pragma(db_, "PRAGMA user_version", "reading the schema version");
    if (!version) {
        logger()->error("{}", version.error().message);
        return -1;
    }
    return version.value();
}

int Store::latest_schema_version() {
    return migrations().back().version;
}

Status Store::integrity_check() {
    auto stmt = sql::Statement::prepare(db_, "PRAGMA integrity_check", "checking integrity");
    if (!stmt) {
        return stmt.error();
    }
    std::string report;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return row.error();
        }
        if (!row.value()) {
            break;
        }
        if (!report.empty()) {
            report += "; ";
        }
        report += stmt->column_text(0);
    }
    if (report != "ok") {
        return fail("integrity check failed: " + report);
    }
    return Ok{};
}

// ---- profiles -----------------------------------------------------------------------------------

Result<Profile> Store::create_profile(const std::string& name, const std::string& avatar,
                                      const std::string& level_id) {
    auto clean = valid_name(name);
    if (!clean) {
        return clean.error();
    }
    if (auto s = valid_id_text(avatar, "the avatar id", kMaxAvatarChars, true); !s) {
        return s.error();
    }
    if (auto s = valid_id_text(level_id, "the level id", kMaxIdChars, false); !s) {
        return s.error();
    }
    Profile p;
    p.name = std::move(clean.value());
    p.avatar = avatar;
    p.level_id = level_id;
    p.created_at = now_iso8601();
    auto stmt = sql::Statement::prepare(
        db_, "INSERT INTO profiles (name, avatar, level_id, created_at) VALUES (?1, ?2, ?3, ?4)",
        "creating profile \"" + p.name + "\"");
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_text(1, p.name).bind_text(2, p.avatar).bind_text(3, p.level_id);
    stmt->bind_text(4, p.created_at);
    if (auto status = stmt->run(); !status) {
        return status.error();
    }
    p.id = sqlite3_last_insert_rowid(db_);
    return p;
}

std::vector<Profile> Store::profiles() {
    std::vector<Profile> out;
    auto stmt =
        sql::Statement::prepare(db_,
                                "SELECT " + std::string(kProfileColumns) +
                                    " FROM profiles WHERE archived = 0 AND guest = 0 ORDER BY id",
                                "listing profiles");
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return out;
    }
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            logger()->error("{}", row.error().message);
            break;
        }
        if (!row.value()) {
            break;
        }
        out.push_back(read_profile(*stmt));
    }
    return out;
}

std::optional<Profile> Store::profile(std::int64_t id) {
    auto stmt = sql::Statement::prepare(
        db_, "SELECT " + std::string(kProfileColumns) + " FROM profiles WHERE id = ?1",
        "reading profile " + std::to_string(id));
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return std::nullopt;
    }
    stmt->bind_int64(1, id);
    auto row = stmt->step();
    if (!row) {
        logger()->error("{}", row.error().message);
        return std::nullopt;
    }
    if (!row.value()) {
        return std::nullopt;
    }
    return read_profile(*stmt);
}

Status Store::set_level(std::int64_t profile_id, const std::string& level_id) {
    if (auto s = valid_id_text(level_id, "the level id", kMaxIdChars, false); !s) {
        return s;
    }
    auto stmt =
        sql::Statement::prepare(db_, "UPDATE profiles SET level_id = ?1 WHERE id = ?2",
                                "setting the level of profile " + std::to_string(profile_id));
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_text(1, level_id).bind_int64(2, profile_id);
    if (auto status = stmt->run(); !status) {
        return status;
    }
    if (sqlite3_changes(db_) == 0) {
        return fail("profile " + std::to_string(profile_id) + " does not exist");
    }
    return Ok{};
}

// ---- calibrations -------------------------------------------------------------------------------

Result<std::int64_t> Store::add_calibration(const CalibrationRecord& cal) {
    if (auto s = valid_id_text(cal.source_driver, "the source driver", kMaxIdChars, false); !s) {
        return s.error();
    }
    if (auto s = finite(cal.zero_n, "zero_n"); !s) {
        return s.error();
    }
    if (!std::isfinite(cal.mvc_n) || cal.mvc_n <= 0) {
        return fail("mvc_n must be above 0 N, not " + std::to_string(cal.mvc_n));
    }
    for (double attempt : cal.attempts_n) {
        if (auto s = finite(attempt, "every calibration attempt"); !s) {
            return s.error();
        }
    }
    auto created = timestamp_or_now(cal.created_at, "created_at");
    if (!created) {
        return created.error();
    }
    if (auto s = require_profile(db_, cal.profile_id); !s) {
        return s.error();
    }
    auto stmt = sql::Statement::prepare(
        db_,
        "INSERT INTO calibrations (profile_id, created_at, source_driver, zero_n, mvc_n, "
        "attempts_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        "adding a calibration to profile " + std::to_string(cal.profile_id));
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_int64(1, cal.profile_id).bind_text(2, created.value());
    stmt->bind_text(3, cal.source_driver).bind_double(4, cal.zero_n).bind_double(5, cal.mvc_n);
    stmt->bind_text(6, doubles_to_json(cal.attempts_n));
    if (auto status = stmt->run(); !status) {
        return status.error();
    }
    return sqlite3_last_insert_rowid(db_);
}

std::optional<CalibrationRecord> Store::latest_calibration(std::int64_t profile_id,
                                                           const std::string& source_driver) {
    auto stmt = sql::Statement::prepare(
        db_,
        "SELECT id, profile_id, created_at, source_driver, zero_n, mvc_n, attempts_json "
        "FROM calibrations WHERE profile_id = ?1 AND source_driver = ?2 AND kind = 'mvc' "
        "ORDER BY created_at DESC, id DESC LIMIT 1",
        "reading the latest calibration of profile " + std::to_string(profile_id));
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return std::nullopt;
    }
    stmt->bind_int64(1, profile_id).bind_text(2, source_driver);
    auto row = stmt->step();
    if (!row || !row.value()) {
        if (!row) {
            logger()->error("{}", row.error().message);
        }
        return std::nullopt;
    }
    CalibrationRecord c;
    c.id = stmt->column_int64(0);
    c.profile_id = stmt->column_int64(1);
    c.created_at = stmt->column_text(2);
    c.source_driver = stmt->column_text(3);
    c.zero_n = stmt->column_double(4);
    c.mvc_n = stmt->column_double(5);
    auto attempts = doubles_from_json(stmt->column_text(6));
    if (!attempts) {
        logger()->error("calibration {}: {}", c.id, attempts.error().message);
    } else {
        c.attempts_n = std::move(attempts.value());
    }
    return c;
}

// ---- sessions -----------------------------------------------------------------------------------

Result<std::int64_t> Store::begin_session(const SessionRecord& session) {
    if (auto s = valid_id_text(session.source.driver, "the source driver", kMaxIdChars, false);
        !s) {
        return s.error();
    }
    if (auto s = valid_id_text(session.level_id, "the level id", kMaxIdChars, false); !s) {
        return s.error();
    }
    auto started = timestamp_or_now(session.started_at, "started_at");
    if (!started) {
        return started.error();
    }
    if (auto s = require_profile(db_, session.profile_id); !s) {
        return s.error();
    }
    if (session.calibration_id != 0) {
        auto owner = owner_of(db_, "SELECT profile_id FROM calibrations WHERE id = ?1",
                              session.calibration_id, "calibration");
        if (!owner) {
            return owner.error();
        }
        if (owner.value() != session.profile_id) {
            return fail("calibration " + std::to_string(session.calibration_id) +
                        " belongs to another profile");
        }
    }
    auto stmt = sql::Statement::prepare(
        db_,
        "INSERT INTO sessions (profile_id, started_at, source_driver, source_model, "
        "source_serial, source_firmware, source_is_measurement, calibration_id, level_id, status) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'in_progress')",
        "beginning a session for profile " + std::to_string(session.profile_id));
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_int64(1, session.profile_id).bind_text(2, started.value());
    stmt->bind_text(3, session.source.driver).bind_text(4, session.source.model);
    stmt->bind_text(5, session.source.serial).bind_text(6, session.source.firmware);
    stmt->bind_int64(7, session.source.is_measurement ? 1 : 0);
    if (session.calibration_id != 0) {
        stmt->bind_int64(8, session.calibration_id);
    } else {
        stmt->bind_null(8);
    }
    stmt->bind_text(9, session.level_id);
    if (auto status = stmt->run(); !status) {
        return status.error();
    }
    return sqlite3_last_insert_rowid(db_);
}

Status Store::finish_session(std::int64_t session_id, SessionStatus status, int stars,
                             int effort_rating) {
    if (status == SessionStatus::InProgress) {
        return fail("a session cannot be finished as in progress");
    }
    if (stars < 0 || stars > kMaxStars) {
        return fail("stars must be 0.." + std::to_string(kMaxStars) + ", not " +
                    std::to_string(stars));
    }
    if (effort_rating < -1 || effort_rating > 10) {
        return fail("the effort rating must be 0..10 (or -1 when not given), not " +
                    std::to_string(effort_rating));
    }
    auto stmt =
        sql::Statement::prepare(db_,
                                "UPDATE sessions SET status = ?1, stars = ?2, effort_rating = ?3, "
                                "ended_at = coalesce(ended_at, ?4) WHERE id = ?5",
                                "finishing session " + std::to_string(session_id));
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_text(1, to_string(status)).bind_int64(2, stars);
    if (effort_rating >= 0) {
        stmt->bind_int64(3, effort_rating);
    } else {
        stmt->bind_null(3);
    }
    stmt->bind_text(4, now_iso8601()).bind_int64(5, session_id);
    if (auto s = stmt->run(); !s) {
        return s;
    }
    if (sqlite3_changes(db_) == 0) {
        return fail("session " + std::to_string(session_id) + " does not exist");
    }
    return Ok{};
}

Result<int> Store::close_interrupted_sessions() {
    auto stmt = sql::Statement::prepare(
        db_,
        "UPDATE sessions SET status = 'aborted', ended_at = coalesce((SELECT max(ended_at) FROM "
        "sets WHERE sets.session_id = sessions.id), started_at) WHERE status = 'in_progress'",
        "closing interrupted sessions");
    if (!stmt) {
        return stmt.error();
    }
    if (auto s = stmt->run(); !s) {
        return s.error();
    }
    return sqlite3_changes(db_);
}

Result<std::int64_t> Store::commit_set(const SetRecord& set) {
    if (auto s = validate_set(set); !s) {
        return fail("set " + std::to_string(set.set_index) + " of session " +
                    std::to_string(set.session_id) + ": " + s.error().message);
    }
    auto started = timestamp_or_now(set.started_at, "started_at");
    if (!started) {
        return started.error();
    }
    auto ended = timestamp_or_now(set.ended_at, "ended_at");
    if (!ended) {
        return ended.error();
    }
    const std::string what = "committing set " + std::to_string(set.set_index) + " of session " +
                             std::to_string(set.session_id);
    auto txn = sql::Transaction::begin(db_, what);
    if (!txn) {
        return txn.error();
    }
    if (auto s = require_session(db_, set.session_id); !s) {
        return s.error();
    }
    {
        auto dup = sql::Statement::prepare(
            db_, "SELECT 1 FROM sets WHERE session_id = ?1 AND set_index = ?2", what);
        if (!dup) {
            return dup.error();
        }
        dup->bind_int64(1, set.session_id).bind_int64(2, set.set_index);
        auto row = dup->step();
        if (!row) {
            return row.error();
        }
        if (row.value()) {
            return fail(what + ": this set is already stored");
        }
    }

    std::int64_t set_id = 0;
    {
        auto stmt = sql::Statement::prepare(
            db_,
            "INSERT INTO sets (session_id, set_index, exercise, dose_sets, dose_reps, dose_hold_s, "
            "dose_rest_s, dose_set_rest_s, dose_band_low_pct, dose_band_high_pct, started_at, "
            "ended_at, stop_reason, game, quality_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
            "?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            what + ": inserting the set");
        if (!stmt) {
            return stmt.error();
        }
        const QuadSetDose& d = set.dose;
        stmt->bind_int64(1, set.session_id).bind_int64(2, set.set_index);
        stmt->bind_text(3, set.exercise).bind_int64(4, d.sets).bind_int64(5, d.reps);
        stmt->bind_double(6, d.hold_s).bind_double(7, d.rest_s).bind_double(8, d.set_rest_s);
        stmt->bind_double(9, d.band_low_pct).bind_double(10, d.band_high_pct);
        stmt->bind_text(11, started.value()).bind_text(12, ended.value());
        stmt->bind_text(13, set.stop_reason).bind_text(14, set.game);
        stmt->bind_text(15, set.quality_json);
        if (auto s = stmt->run(); !s) {
            return s.error();
        }
        set_id = sqlite3_last_insert_rowid(db_);
    }
    if (!set.reps.empty()) {
        auto stmt = sql::Statement::prepare(
            db_,
            "INSERT INTO reps (set_id, rep_index, target_low_pct, target_high_pct, hold_s, "
            "time_in_band_s, duration_s, steadiness_cv, mean_pct, peak_pct, peak_n, success) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            what + ": inserting a rep");
        if (!stmt) {
            return stmt.error();
        }
        for (const QuadSetRepScore& r : set.reps) {
            stmt->reset();
            stmt->bind_int64(1, set_id).bind_int64(2, r.rep_index);
            stmt->bind_double(3, r.target_low_pct).bind_double(4, r.target_high_pct);
            stmt->bind_double(5, r.hold_s).bind_double(6, r.time_in_band_s);
            stmt->bind_double(7, r.duration_s).bind_double(8, r.steadiness_cv);
            stmt->bind_double(9, r.mean_pct).bind_double(10, r.peak_pct);
            stmt->bind_double(11, r.peak_n).bind_int64(12, r.success ? 1 : 0);
            if (auto s = stmt->run(); !s) {
                return s.error();
            }
        }
    }
    if (set.trace.rate_hz > 0) {
        auto stmt = sql::Statement::prepare(
            db_,
            "INSERT INTO traces (set_id, rate_hz, t0_us, sample_count, data) "
            "VALUES (?1, ?2, ?3, ?4, ?5)",
            what + ": inserting the trace");
        if (!stmt) {
            return stmt.error();
        }
        const auto bytes = floats_to_le(set.trace.force_n);
        stmt->bind_int64(1, set_id).bind_double(2, set.trace.rate_hz);
        stmt->bind_int64(3, set.trace.t0_us);
        stmt->bind_int64(4, static_cast<std::int64_t>(set.trace.force_n.size()));
        stmt->bind_blob(5, bytes.data(), bytes.size());
        if (auto s = stmt->run(); !s) {
            return s.error();
        }
    }
    if (auto s = txn->commit(); !s) {
        return s.error();
    }
    return set_id;
}

Result<std::int64_t> Store::add_pain(const PainEntry& pain) {
    if (pain.score < 0 || pain.score > 10) {
        return fail("a pain score must be 0..10, not " + std::to_string(pain.score));
    }
    if (pain.scale != "nrs" && pain.scale != "qv_faces") {
        return fail("the pain scale must be \"nrs\" or \"qv_faces\", not \"" + pain.scale + "\"");
    }
    auto recorded = timestamp_or_now(pain.recorded_at, "recorded_at");
    if (!recorded) {
        return recorded.error();
    }
    if (auto s = require_profile(db_, pain.profile_id); !s) {
        return s.error();
    }
    if (pain.session_id != 0) {
        auto owner = owner_of(db_, "SELECT profile_id FROM sessions WHERE id = ?1", pain.session_id,
                              "session");
        if (!owner) {
            return owner.error();
        }
        if (owner.value() != pain.profile_id) {
            return fail("session " + std::to_string(pain.session_id) +
                        " belongs to another profile");
        }
    }
    auto stmt = sql::Statement::prepare(
        db_,
        "INSERT INTO pain_entries (profile_id, session_id, moment, scale, score, recorded_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        "recording pain for profile " + std::to_string(pain.profile_id));
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_int64(1, pain.profile_id);
    if (pain.session_id != 0) {
        stmt->bind_int64(2, pain.session_id);
    } else {
        stmt->bind_null(2);
    }
    stmt->bind_text(3, to_string(pain.moment)).bind_text(4, pain.scale);
    stmt->bind_int64(5, pain.score).bind_text(6, recorded.value());
    if (auto s = stmt->run(); !s) {
        return s.error();
    }
    return sqlite3_last_insert_rowid(db_);
}

Status Store::add_checkin(const CheckIn& checkin) {
    const std::string& answer = checkin.morning_vs_usual;
    if (answer != "better" && answer != "same" && answer != "worse") {
        return fail("the morning answer must be \"better\", \"same\" or \"worse\", not \"" +
                    answer + "\"");
    }
    if (auto s = require_session(db_, checkin.session_id); !s) {
        return s;
    }
    // One check-in per session: answering again replaces the answer.
    auto stmt = sql::Statement::prepare(
        db_,
        "INSERT INTO checkins (session_id, morning_vs_usual, recorded_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (session_id) DO UPDATE SET morning_vs_usual = excluded.morning_vs_usual, "
        "recorded_at = excluded.recorded_at",
        "recording the check-in of session " + std::to_string(checkin.session_id));
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_int64(1, checkin.session_id).bind_text(2, answer).bind_text(3, now_iso8601());
    return stmt->run();
}

std::optional<CheckIn> Store::checkin(std::int64_t session_id) {
    auto stmt = sql::Statement::prepare(
        db_, "SELECT session_id, morning_vs_usual FROM checkins WHERE session_id = ?1",
        "reading the check-in of session " + std::to_string(session_id));
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return std::nullopt;
    }
    stmt->bind_int64(1, session_id);
    auto row = stmt->step();
    if (!row || !row.value()) {
        if (!row) {
            logger()->error("{}", row.error().message);
        }
        return std::nullopt;
    }
    return CheckIn{stmt->column_int64(0), stmt->column_text(1)};
}

std::optional<SessionRecord> Store::session(std::int64_t id) {
    auto stmt = sql::Statement::prepare(
        db_, "SELECT " + std::string(kSessionColumns) + " FROM sessions AS s WHERE s.id = ?1",
        "reading session " + std::to_string(id));
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return std::nullopt;
    }
    stmt->bind_int64(1, id);
    auto row = stmt->step();
    if (!row || !row.value()) {
        if (!row) {
            logger()->error("{}", row.error().message);
        }
        return std::nullopt;
    }
    return read_session(*stmt);
}

std::optional<SessionRecord> Store::session_awaiting_next_morning(std::int64_t profile_id) {
    // The newest finished session, if it was on an earlier local day and nobody has been asked
    // about the morning after it yet.
    auto stmt = sql::Statement::prepare(
        db_,
        "SELECT " + std::string(kSessionColumns) +
            " FROM sessions AS s WHERE s.id = (SELECT id FROM sessions WHERE profile_id = ?1 AND "
            "status <> 'in_progress' ORDER BY started_at DESC, id DESC LIMIT 1) "
            "AND date(s.started_at, 'localtime') < date('now', 'localtime') "
            "AND NOT EXISTS (SELECT 1 FROM pain_entries p WHERE p.session_id = s.id AND "
            "p.moment = 'next_morning')",
        "looking for a session awaiting its next-morning report");
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return std::nullopt;
    }
    stmt->bind_int64(1, profile_id);
    auto row = stmt->step();
    if (!row || !row.value()) {
        return std::nullopt;
    }
    return read_session(*stmt);
}

std::vector<SessionSummary> Store::recent_sessions(std::int64_t profile_id, int limit) {
    std::vector<SessionSummary> out;
    if (limit <= 0) {
        return out;
    }
    // One query. Each session's numbers come from correlated subqueries that walk the
    // (session_id, set_index) and (set_id, rep_index) indexes of that session only; joining
    // everything and grouping the wide rows afterwards was three times slower on five years of
    // daily sessions. The latest before/after pain ratings come through pain_by_session.
    const std::string query =
        "SELECT " + std::string(kSessionColumns) +
        ", (SELECT count(*) FROM sets AS st WHERE st.session_id = s.id), "
        "(SELECT count(*) FROM sets AS st JOIN reps AS r ON r.set_id = st.id "
        " WHERE st.session_id = s.id AND r.success = 1), "
        "(SELECT count(*) FROM sets AS st JOIN reps AS r ON r.set_id = st.id "
        " WHERE st.session_id = s.id), "
        "(SELECT coalesce(avg(r.time_in_band_s), 0) FROM sets AS st JOIN reps AS r "
        " ON r.set_id = st.id WHERE st.session_id = s.id), "
        "(SELECT p.score FROM pain_entries AS p WHERE p.session_id = s.id AND p.moment = 'before' "
        " ORDER BY p.recorded_at DESC, p.id DESC LIMIT 1), "
        "(SELECT p.score FROM pain_entries AS p WHERE p.session_id = s.id AND p.moment = 'after' "
        " ORDER BY p.recorded_at DESC, p.id DESC LIMIT 1) "
        "FROM sessions AS s WHERE s.profile_id = ?1 "
        "ORDER BY s.started_at DESC, s.id DESC LIMIT ?2";
    auto stmt = sql::Statement::prepare(
        db_, query, "reading the history of profile " + std::to_string(profile_id));
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return out;
    }
    stmt->bind_int64(1, profile_id).bind_int64(2, limit);
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            logger()->error("{}", row.error().message);
            break;
        }
        if (!row.value()) {
            break;
        }
        SessionSummary sum;
        sum.session = read_session(*stmt);
        sum.sets_done = stmt->column_int(14);
        sum.reps_done = stmt->column_int(15);
        sum.reps_total = stmt->column_int(16);
        sum.mean_time_in_band_s = stmt->column_double(17);
        sum.pain_before = stmt->is_null(18) ? -1 : stmt->column_int(18);
        sum.pain_after = stmt->is_null(19) ? -1 : stmt->column_int(19);
        out.push_back(std::move(sum));
    }
    return out;
}

std::vector<SetRecord> Store::sets_of(std::int64_t session_id, bool with_traces) {
    std::vector<SetRecord> out;
    const std::string what = "reading the sets of session " + std::to_string(session_id);
    const auto report = [](const Error& e) { logger()->error("{}", e.message); };
    // Three queries whatever the number of sets: sets, their reps, their traces. A read
    // transaction makes the three see the same snapshot while another connection writes.
    const bool own_read = sqlite3_get_autocommit(db_) != 0;
    if (own_read) {
        if (auto s = sql::exec(db_, "BEGIN", what); !s) {
            report(s.error());
            return out;
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
    } end_read{db_, own_read};

    // Runs one query of this session's rows; false (already reported) when it failed.
    const auto each_row = [&](std::string_view sql, const std::string& step_what,
                              const auto& read) {
        auto stmt = sql::Statement::prepare(db_, sql, step_what);
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
            if (!row.value()) {
                return true;
            }
            read(*stmt);
        }
    };

    std::unordered_map<std::int64_t, std::size_t> index_of;
    const bool sets_ok =
        each_row("SELECT id, session_id, set_index, exercise, dose_sets, dose_reps, dose_hold_s, "
                 "dose_rest_s, dose_set_rest_s, dose_band_low_pct, dose_band_high_pct, started_at, "
                 "ended_at, stop_reason, game, quality_json FROM sets WHERE session_id = ?1 "
                 "ORDER BY set_index",
                 what, [&](const sql::Statement& st) {
                     SetRecord set;
                     set.id = st.column_int64(0);
                     set.session_id = st.column_int64(1);
                     set.set_index = st.column_int(2);
                     set.exercise = st.column_text(3);
                     set.dose.sets = st.column_int(4);
                     set.dose.reps = st.column_int(5);
                     set.dose.hold_s = st.column_double(6);
                     set.dose.rest_s = st.column_double(7);
                     set.dose.set_rest_s = st.column_double(8);
                     set.dose.band_low_pct = st.column_double(9);
                     set.dose.band_high_pct = st.column_double(10);
                     set.started_at = st.column_text(11);
                     set.ended_at = st.column_text(12);
                     set.stop_reason = st.column_text(13);
                     set.game = st.column_text(14);
                     set.quality_json = st.column_text(15);
                     index_of[set.id] = out.size();
                     out.push_back(std::move(set));
                 });
    if (!sets_ok || out.empty()) {
        return out;
    }
    const bool reps_ok = each_row(
        "SELECT r.set_id, r.rep_index, r.target_low_pct, r.target_high_pct, r.hold_s, "
        "r.time_in_band_s, r.duration_s, r.steadiness_cv, r.mean_pct, r.peak_pct, r.peak_n, "
        "r.success FROM reps AS r JOIN sets AS st ON st.id = r.set_id "
        "WHERE st.session_id = ?1 ORDER BY st.set_index, r.rep_index",
        what + ": reps", [&](const sql::Statement& st) {
            const auto it = index_of.find(st.column_int64(0));
            if (it == index_of.end()) {
                return; // committed by another connection after our set query
            }
            SetRecord& set = out[it->second];
            QuadSetRepScore r;
            r.set_index = set.set_index;
            r.rep_index = st.column_int(1);
            r.target_low_pct = st.column_double(2);
            r.target_high_pct = st.column_double(3);
            r.hold_s = st.column_double(4);
            r.time_in_band_s = st.column_double(5);
            r.duration_s = st.column_double(6);
            r.steadiness_cv = st.column_double(7);
            r.mean_pct = st.column_double(8);
            r.peak_pct = st.column_double(9);
            r.peak_n = st.column_double(10);
            r.success = st.column_int(11) != 0;
            set.reps.push_back(r);
        });
    if (!reps_ok) {
        return out;
    }
    // Without traces, still report the rate, start and sample count, not the samples.
    each_row(with_traces
                 ? "SELECT t.set_id, t.rate_hz, t.t0_us, t.sample_count, t.data FROM traces AS t "
                   "JOIN sets AS st ON st.id = t.set_id WHERE st.session_id = ?1"
                 : "SELECT t.set_id, t.rate_hz, t.t0_us, t.sample_count, NULL FROM traces AS t "
                   "JOIN sets AS st ON st.id = t.set_id WHERE st.session_id = ?1",
             what + ": traces", [&](const sql::Statement& st) {
                 const auto it = index_of.find(st.column_int64(0));
                 if (it == index_of.end()) {
                     return;
                 }
                 Trace& t = out[it->second].trace;
                 t.rate_hz = st.column_double(1);
                 t.t0_us = st.column_int64(2);
                 if (with_traces) {
                     t.force_n = floats_from_le(st.column_blob(4));
                 }
             });
    return out;
}

std::vector<PainEntry> Store::pain_of(std::int64_t profile_id) {
    std::vector<PainEntry> out;
    auto stmt = sql::Statement::prepare(
        db_,
        "SELECT id, profile_id, session_id, moment, scale, score, recorded_at FROM pain_entries "
        "WHERE profile_id = ?1 ORDER BY recorded_at, id",
        "reading the pain ratings of profile " + std::to_string(profile_id));
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return out;
    }
    stmt->bind_int64(1, profile_id);
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            logger()->error("{}", row.error().message);
            break;
        }
        if (!row.value()) {
            break;
        }
        PainEntry p;
        p.id = stmt->column_int64(0);
        p.profile_id = stmt->column_int64(1);
        p.session_id = stmt->is_null(2) ? 0 : stmt->column_int64(2);
        p.moment = pain_moment_from(stmt->column_text(3)).value_or(PainMoment::During);
        p.scale = stmt->column_text(4);
        p.score = stmt->column_int(5);
        p.recorded_at = stmt->column_text(6);
        out.push_back(std::move(p));
    }
    return out;
}

// ---- free functions -----------------------------------------------------------------------------

std::string now_iso8601() {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    const int millis = static_cast<int>(ms % 1000);
    std::tm utc{};
    ::gmtime_r(&secs, &utc);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
    return buffer;
}

fs::path default_database_path() {
    return paths::data_dir() / "quadventure.db";
}

} // namespace qv::profiles
