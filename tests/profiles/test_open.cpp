// Opening the database: creation with private modes, migrations, refusing files that are not
// ours or are newer than this program.

#include "profiles/migrations.hpp"
#include "tests/profiles/helpers.hpp"

#include <fstream>
#include <iterator>
#include <sqlite3.h>
#include <sys/stat.h>
#include <thread>

namespace fs = std::filesystem;
using namespace qv::profiles;
using qv::profiles::test::open_store;
using qv::profiles::test::ScratchDir;

namespace {

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

std::string bytes_of(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs SQL on a raw connection that is not a Store, as another program would.
void raw_exec(const fs::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err != nullptr ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    INFO(message);
    REQUIRE(rc == SQLITE_OK);
}

std::string text_pragma(sqlite3* db, const std::string& pragma) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, pragma.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    std::string value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return value;
}

} // namespace

TEST_CASE("migrations number 1, 2, 3... without gaps", "[profiles][open]") {
    const auto all = migrations();
    REQUIRE_FALSE(all.empty());
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].version == static_cast<int>(i) + 1);
        CHECK_FALSE(all[i].sql.empty());
    }
    CHECK(Store::latest_schema_version() == all.back().version);
}

SCENARIO("a new database is migrated to the latest schema, and reopening changes nothing",
         "[profiles][open]") {
    ScratchDir dir;
    GIVEN("no file yet") {
        REQUIRE_FALSE(fs::exists(dir.db()));
        WHEN("the store opens it") {
            auto store = open_store(dir.db());
            THEN("it is at the latest version with every table, WAL, FULL sync and foreign keys") {
                CHECK(store->schema_version() == Store::latest_schema_version());
                for (const char* table : {"profiles", "calibrations", "sessions", "sets", "reps",
                                          "pain_entries", "checkins", "traces"}) {
                    INFO(table);
                    sqlite3_stmt* stmt = nullptr;
                    REQUIRE(sqlite3_prepare_v2(store->handle(),
                                               "SELECT 1 FROM sqlite_schema WHERE type = 'table' "
                                               "AND name = ?1",
                                               -1, &stmt, nullptr) == SQLITE_OK);
                    sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
                    CHECK(sqlite3_step(stmt) == SQLITE_ROW);
                    sqlite3_finalize(stmt);
                }
                CHECK(text_pragma(store->handle(), "PRAGMA journal_mode") == "wal");
                CHECK(text_pragma(store->handle(), "PRAGMA synchronous") == "2"); // FULL
                CHECK(text_pragma(store->handle(), "PRAGMA foreign_keys") == "1");
                CHECK(text_pragma(store->handle(), "PRAGMA busy_timeout") == "5000");
                CHECK(text_pragma(store->handle(), "PRAGMA application_id") ==
                      std::to_string(kApplicationId));
                CHECK(store->integrity_check().ok());
            }
            AND_WHEN("it is closed and opened again") {
                auto made = store->create_profile("Ada", "fox", "Q1");
                REQUIRE(made.ok());
                store.reset();
                auto again = open_store(dir.db());
                THEN("the version and the data are unchanged") {
                    CHECK(again->schema_version() == Store::latest_schema_version());
                    const auto all = again->profiles();
                    REQUIRE(all.size() == 1);
                    CHECK(all[0].name == "Ada");
                    CHECK(again->integrity_check().ok());
                }
            }
        }
    }
}

TEST_CASE("two connections opening a new database at once both end up migrated",
          "[profiles][open]") {
    ScratchDir dir;
    std::unique_ptr<Store> a;
    std::unique_ptr<Store> b;
    std::string error_a;
    std::string error_b;
    {
        std::thread other([&] {
            auto s = Store::open(dir.db());
            if (s) {
                b = std::move(s.value());
            } else {
                error_b = s.error().message;
            }
        });
        auto s = Store::open(dir.db());
        if (s) {
            a = std::move(s.value());
        } else {
            error_a = s.error().message;
        }
        other.join();
    }
    INFO(error_a << " / " << error_b);
    REQUIRE(a != nullptr);
    REQUIRE(b != nullptr);
    CHECK(a->schema_version() == Store::latest_schema_version());
    CHECK(b->schema_version() == Store::latest_schema_version());
    REQUIRE(a->create_profile("Ada", "fox", "Q1").ok());
    CHECK(b->profiles().size() == 1);
}

TEST_CASE("a database from a newer program is refused and left as it was", "[profiles][open]") {
    ScratchDir dir;
    open_store(dir.db())->create_profile("Ada", "fox", "Q1").value();
    raw_exec(dir.db(), "PRAGMA user_version = 7");
    const std::string before = bytes_of(dir.db());

    auto store = Store::open(dir.db());
    REQUIRE_FALSE(store.ok());
    const std::string expected = "database schema 7 is newer than this program (" +
                                 std::to_string(Store::latest_schema_version()) +
                                 "); update Quadventure";
    CHECK_THAT(store.error().message, Catch::Contains(expected));
    CHECK_THAT(store.error().message, Catch::Contains(dir.db().string()));
    CHECK(bytes_of(dir.db()) == before);
}

TEST_CASE("a file that is not a database is refused by name and not touched", "[profiles][open]") {
    ScratchDir dir;
    fs::create_directories(dir.db().parent_path());
    const auto contents =
        GENERATE(std::string("my shopping list: eggs, milk\n"), std::string(8192, 'x'),
                 std::string("SQLite format 2\0", 16),
                 // The right magic and nonsense after it: SQLite itself says no.
                 std::string("SQLite format 3\0", 16) + std::string(4080, '\x7f'));
    {
        std::ofstream out(dir.db(), std::ios::binary);
        out << contents;
    }
    REQUIRE(::chmod(dir.db().c_str(), 0644) == 0);
    auto store = Store::open(dir.db());
    REQUIRE_FALSE(store.ok());
    CHECK_THAT(store.error().message, Catch::Contains(dir.db().string()));
    CHECK_THAT(store.error().message, Catch::Contains("not a Quadventure database"));
    CHECK(bytes_of(dir.db()) == contents);
    if (contents.rfind("SQLite format 3", 0) != 0) {
        CHECK(mode_of(dir.db()) == 0644); // refused on its header: not even the mode changed
    }
    CHECK_FALSE(fs::exists(dir.db().string() + "-wal"));
    CHECK_FALSE(fs::exists(dir.db().string() + "-journal"));
}

TEST_CASE("another program's SQLite database is refused and not touched", "[profiles][open]") {
    ScratchDir dir;
    fs::create_directories(dir.db().parent_path());
    raw_exec(dir.db(), "PRAGMA application_id = 1234; CREATE TABLE notes (body TEXT)");
    const std::string before = bytes_of(dir.db());
    auto store = Store::open(dir.db());
    REQUIRE_FALSE(store.ok());
    CHECK_THAT(store.error().message, Catch::Contains("belongs to another program"));
    CHECK(bytes_of(dir.db()) == before);
}

TEST_CASE("a migration that fails leaves the database at its old version with nothing added",
          "[profiles][open]") {
    ScratchDir dir;
    fs::create_directories(dir.db().parent_path());
    // A version-0 file whose table clashes with the first migration: the migration must fail
    // as a whole, not leave half a schema behind.
    raw_exec(dir.db(), "CREATE TABLE reps (x INTEGER)");
    auto store = Store::open(dir.db());
    REQUIRE_FALSE(store.ok());
    CHECK_THAT(store.error().message, Catch::Contains("migration 1"));
    CHECK_THAT(store.error().message, Catch::Contains("already exists"));

    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.db().c_str(), &db) == SQLITE_OK);
    CHECK(text_pragma(db, "PRAGMA user_version") == "0");
    CHECK(text_pragma(db, "SELECT count(*) FROM sqlite_schema") == "1");
    sqlite3_close(db);
}

TEST_CASE("the directory is 0700 and the database, WAL and shared-memory files 0600 whatever "
          "the umask",
          "[profiles][open][privacy]") {
    ScratchDir dir;
    const mode_t old_umask = ::umask(0); // the widest: every file would be 0666 without care
    auto store = Store::open(dir.db());
    ::umask(old_umask);
    REQUIRE(store.ok());
    REQUIRE(store.value()->create_profile("Ada", "fox", "Q1").ok());
    CHECK(mode_of(dir.db().parent_path()) == 0700);
    CHECK(mode_of(dir.db()) == 0600);
    const fs::path wal = dir.db().string() + "-wal";
    const fs::path shm = dir.db().string() + "-shm";
    REQUIRE(fs::exists(wal));
    REQUIRE(fs::exists(shm));
    CHECK(mode_of(wal) == 0600);
    CHECK(mode_of(shm) == 0600);
}

TEST_CASE("an existing database with a wide mode is tightened to 0600", "[profiles][privacy]") {
    ScratchDir dir;
    open_store(dir.db()).reset();
    REQUIRE(::chmod(dir.db().c_str(), 0644) == 0);
    auto store = open_store(dir.db());
    CHECK(mode_of(dir.db()) == 0600);
}

TEST_CASE("the default database lives in the XDG data directory", "[profiles][open]") {
    ::setenv("XDG_DATA_HOME", "/xdg/data", 1);
    CHECK(default_database_path() == fs::path("/xdg/data/quadventure/quadventure.db"));
    ::unsetenv("XDG_DATA_HOME");
}
