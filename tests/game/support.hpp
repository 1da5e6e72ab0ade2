#pragma once
// Running the game binary as a child process from a test.

#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace qv::test {

/// A fresh directory under /tmp, removed by the caller.
std::filesystem::path scratch_dir(const std::string& tag);

/// Starts `argv` with stdout and stderr appended to `log_file`; returns the pid.
pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& log_file);

/// Waits for `pid`; returns its exit code, or 128 + signal when it was killed.
int wait_for(pid_t pid);

/// The whole text of a file (empty when missing).
std::string read_text(const std::filesystem::path& file);

/// Runs a query that returns one integer (count, etc.) on a SQLite file.
long long query_int(const std::filesystem::path& db, const std::string& sql);

} // namespace qv::test
