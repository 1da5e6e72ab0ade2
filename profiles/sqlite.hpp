#pragma once
// A thin RAII layer over the SQLite C API, private to the profiles module: statements that always
// finalize, bound parameters only, transactions that roll back unless committed, and errors that
// say what was being done and what SQLite answered.

#include "core/result.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace qv::profiles::sql {

/// An Error from the connection's last failure: "<what>: <sqlite message> (<error code name>)".
Error error_from(sqlite3* db, int rc, std::string_view what);

/// Runs SQL without parameters and without rows to read (pragmas, schema changes). Never pass
/// text that contains values: those go through Statement's bind functions.
Status exec(sqlite3* db, std::string_view sql, std::string_view what);

/// A prepared statement. Owns the sqlite3_stmt and finalizes it in every path. Bind errors are
/// kept and reported by the next step, so binding reads as one chain.
class Statement {
  public:
    /// Prepares `sql`; `what` names the operation in error messages ("inserting a set").
    static Result<Statement> prepare(sqlite3* db, std::string_view sql, std::string what);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    /// Binds a 64-bit integer to the 1-based parameter `index`.
    Statement& bind_int64(int index, std::int64_t value);
    /// Binds a double; NaN would become NULL in SQLite, so callers validate first.
    Statement& bind_double(int index, double value);
    /// Binds UTF-8 text (copied by SQLite).
    Statement& bind_text(int index, std::string_view value);
    /// Binds bytes (copied by SQLite). An empty blob is stored as a zero-length blob, not NULL.
    Statement& bind_blob(int index, const void* data, std::size_t size);
    /// Binds NULL.
    Statement& bind_null(int index);

    /// Advances: true when a row is ready, false when the statement is done.
    Result<bool> step();
    /// Steps a statement that returns no rows (INSERT, UPDATE, DELETE) to completion.
    Status run();
    /// Resets the statement and clears its bindings so it can run again.
    void reset();

    /// Whether the column of the current row is NULL.
    bool is_null(int column) const;
    /// The column as an integer.
    std::int64_t column_int64(int column) const;
    /// The column as an int; the schema's CHECK constraints keep these values small.
    int column_int(int column) const;
    /// The column as a double.
    double column_double(int column) const;
    /// The column as text ("" for NULL).
    std::string column_text(int column) const;
    /// The column as bytes (empty for NULL).
    std::vector<std::byte> column_blob(int column) const;

  private:
    Statement(sqlite3* db, sqlite3_stmt* stmt, std::string what)
        : db_(db), stmt_(stmt), what_(std::move(what)) {}
    void note_bind(int rc, int index);
    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    std::string what_;
    std::string bind_error_; ///< the first bind failure, reported by step()
};

/// BEGIN IMMEDIATE ... COMMIT. Owns the open transaction and rolls it back on destruction unless
/// it was committed, so every early return leaves the database as it was.
class Transaction {
  public:
    /// Begins an immediate (write-locking) transaction; waits up to the busy timeout.
    static Result<Transaction> begin(sqlite3* db, std::string what);
    ~Transaction();
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    /// Commits. After a failed commit the destructor rolls back.
    Status commit();

  private:
    Transaction(sqlite3* db, std::string what) : db_(db), what_(std::move(what)) {}
    sqlite3* db_ = nullptr;
    std::string what_;
    bool open_ = true;
};

} // namespace qv::profiles::sql
