#include "report/private_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace qv::report {

namespace fs = std::filesystem;

Result<PrivateFile> PrivateFile::create(const fs::path& target) {
    if (target.filename().empty()) {
        return fail(target.string() + ": not a file name");
    }
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string temp = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
    // mkstemp opens with O_CREAT | O_EXCL and mode 0600 whatever the umask allows.
    const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0) {
        return fail("cannot write " + target.string() + ": " + std::strerror(errno));
    }
    if (::fchmod(fd, 0600) != 0) {
        const int saved = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        return fail("cannot set mode 0600 on " + temp + ": " + std::strerror(saved));
    }
    return PrivateFile(fd, fs::path(temp), target);
}

PrivateFile::~PrivateFile() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
    if (!committed_ && !temp_.empty()) {
        ::unlink(temp_.c_str());
    }
}

PrivateFile::PrivateFile(PrivateFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), temp_(std::exchange(other.temp_, {})),
      target_(std::move(other.target_)), error_(std::move(other.error_)),
      committed_(other.committed_) {}

Status PrivateFile::write(std::string_view bytes) {
    if (!error_.empty()) {
        return fail(error_);
    }
    if (fd_ < 0) {
        return fail("writing " + target_.string() + ": the file is already closed");
    }
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            error_ = "cannot write " + target_.string() + ": " + std::strerror(errno);
            return fail(error_);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return Ok{};
}

Status PrivateFile::commit() {
    if (!error_.empty()) {
        return fail(error_);
    }
    if (fd_ < 0) {
        return fail("writing " + target_.string() + ": the file is already closed");
    }
    const bool synced = ::fsync(fd_) == 0;
    const int sync_errno = errno;
    const bool closed = ::close(fd_) == 0;
    const int close_errno = errno;
    fd_ = -1;
    if (!synced || !closed) {
        return fail("cannot write " + target_.string() + ": " +
                    std::strerror(synced ? close_errno : sync_errno));
    }
    if (::rename(temp_.c_str(), target_.c_str()) != 0) {
        return fail("cannot write " + target_.string() + ": " + std::strerror(errno));
    }
    committed_ = true;
    return Ok{};
}

Status write_private_file(const fs::path& target, std::string_view bytes) {
    auto file = PrivateFile::create(target);
    if (!file) {
        return file.error();
    }
    if (auto s = file->write(bytes); !s) {
        return s;
    }
    return file->commit();
}

} // namespace qv::report
