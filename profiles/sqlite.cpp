#include "profiles/sqlite.hpp"

#include "core/log.hpp"

#include <climits>
#include <cstring>
#include <sqlite3.h>

namespace qv::profiles::sql {

Error error_from(sqlite3* db, int rc, std::string_view what) {
    std::string message(what);
    message += ": ";
    // sqlite3_errmsg describes the connection's latest failure, which may be more specific than
    // the code alone (e.g. the failed constraint); fall back to the code's own text.
    const char* detail = db != nullptr ? sqlite3_errmsg(db) : nullptr;
    const char* generic = sqlite3_errstr(rc);
    message += detail != nullptr ? detail : generic;
    if (detail != nullptr && std::strcmp(detail, generic) != 0) {
        message += " (";
        message += generic;
        message += ")";
    }
    return Error{std::move(message)};
}

Status exec(sqlite3* db, std::string_view sql, std::string_view what) {
    const std::string text(sql); // sqlite3_exec needs a terminated string
    char* errmsg = nullptr;
    const int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &errmsg);
    if (rc != SQLITE_OK) {
        std::string message(what);
        message += ": ";
        message += errmsg != nullptr ? errmsg : sqlite3_errstr(rc);
        message += " (";
        message += sqlite3_errstr(rc);
        message += ")";
        sqlite3_free(errmsg);
        return fail(std::move(message));
    }
    return Ok{};
}

Result<Statement> Statement::prepare(sqlite3* db, std::string_view sql, std::string what) {
    if (sql.size() > static_cast<std::size_t>(INT_MAX)) {
        return fail(what + ": statement too long");
    }
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt); // null-safe; prepare leaves it null on failure
        return error_from(db, rc, "preparing to " + what);
    }
    return Statement(db, stmt, std::move(what));
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), what_(std::move(other.what_)),
      bind_error_(std::move(other.bind_error_)) {
    other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = other.db_;
        stmt_ = other.stmt_;
        what_ = std::move(other.what_);
        bind_error_ = std::move(other.bind_error_);
        other.stmt_ = nullptr;
    }
    return *this;
}

void Statement::note_bind(int rc, int index) {
    if (rc != SQLITE_OK && bind_error_.empty()) {
        bind_error_ =
            what_ + ": binding parameter " + std::to_string(index) + ": " + sqlite3_errstr(rc);
    }
}

Statement& Statement::bind_int64(int index, std::int64_t value) {
    note_bind(sqlite3_bind_int64(stmt_, index, value), index);
    return *this;
}

Statement& Statement::bind_double(int index, double value) {
    note_bind(sqlite3_bind_double(stmt_, index, value), index);
    return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) {
    note_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                  SQLITE_UTF8),
              index);
    return *this;
}

Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
    if (size == 0) {
        note_bind(sqlite3_bind_zeroblob(stmt_, index, 0), index);
    } else {
        note_bind(sqlite3_bind_blob64(stmt_, index, data, size, SQLITE_TRANSIENT), index);
    }
    return *this;
}

Statement& Statement::bind_null(int index) {
    note_bind(sqlite3_bind_null(stmt_, index), index);
    return *this;
}

Result<bool> Statement::step() {
    if (!bind_error_.empty()) {
        return fail(bind_error_);
    }
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    Error error = error_from(db_, rc, what_);
    sqlite3_reset(stmt_); // leaves the statement reusable; the error is already captured
    return error;
}

Status Statement::run() {
    auto stepped = step();
    if (!stepped) {
        return stepped.error();
    }
    if (stepped.value()) {
        return fail(what_ + ": returned a row where none was expected");
    }
    return Ok{};
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_error_.clear();
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

int Statement::column_int(int column) const {
    return sqlite3_column_int(stmt_, column);
}

double Statement::column_double(int column) const {
    return sqlite3_column_double(stmt_, column);
}

std::string Statement::column_text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    if (text == nullptr) {
        return {};
    }
    const int size = sqlite3_column_bytes(stmt_, column);
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::vector<std::byte> Statement::column_blob(int column) const {
    const void* data = sqlite3_column_blob(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    std::vector<std::byte> bytes(static_cast<std::size_t>(size));
    if (data != nullptr && size > 0) {
        std::memcpy(bytes.data(), data, bytes.size());
    }
    return bytes;
}

Result<Transaction> Transaction::begin(sqlite3* db, std::string what) {
    if (auto status = exec(db, "BEGIN IMMEDIATE", "beginning a transaction for " + what); !status) {
        return status.error();
    }
    return Transaction(db, std::move(what));
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(other.db_), what_(std::move(other.what_)), open_(other.open_) {
    other.open_ = false;
}

Status Transaction::commit() {
    if (!open_) {
        return fail(what_ + ": the transaction is no longer open");
    }
    auto status = exec(db_, "COMMIT", "committing " + what_);
    if (status) {
        open_ = false;
    }
    return status;
}

Transaction::~Transaction() {
    if (!open_) {
        return;
    }
    // A failed statement inside the transaction may already have rolled it back (e.g. on
    // SQLITE_FULL); only roll back what is still open.
    if (sqlite3_get_autocommit(db_) == 0) {
        if (auto status = exec(db_, "ROLLBACK", "rolling back " + what_); !status) {
            log::get("storage")->error("{}", status.error().message);
        }
    }
}

} // namespace qv::profiles::sql
