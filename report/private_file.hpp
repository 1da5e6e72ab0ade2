#pragma once
// Writing an export file so that nobody else can read it at any moment and no reader sees it
// half-written: created mode 0600 with O_EXCL under a temporary name in the target's directory,
// renamed over the target only once complete, removed on every failure path.

#include "core/result.hpp"

#include <filesystem>
#include <string_view>

namespace qv::report {

/// One output file being written. Owns the temporary file until commit() renames it into place;
/// the destructor removes it when it was not committed.
class PrivateFile {
  public:
    /// Creates "<dir>/.<name>.XXXXXX" (mode 0600) beside `target`; the error names the path.
    static Result<PrivateFile> create(const std::filesystem::path& target);
    ~PrivateFile();
    PrivateFile(PrivateFile&& other) noexcept;
    PrivateFile& operator=(PrivateFile&&) = delete;
    PrivateFile(const PrivateFile&) = delete;
    PrivateFile& operator=(const PrivateFile&) = delete;

    /// Appends bytes (retrying short writes); the first failure is kept and reported again by
    /// commit().
    Status write(std::string_view bytes);
    /// Flushes to disk, closes and renames over the target (replacing an older export).
    Status commit();
    const std::filesystem::path& target() const { return target_; }

  private:
    PrivateFile(int fd, std::filesystem::path temp, std::filesystem::path target)
        : fd_(fd), temp_(std::move(temp)), target_(std::move(target)) {}
    int fd_ = -1;
    std::filesystem::path temp_;
    std::filesystem::path target_;
    std::string error_;
    bool committed_ = false;
};

/// Writes `bytes` to `target` through a PrivateFile.
Status write_private_file(const std::filesystem::path& target, std::string_view bytes);

} // namespace qv::report
