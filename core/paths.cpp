#include "core/paths.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace qv::paths {

namespace fs = std::filesystem;

fs::path data_dir() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && xdg[0] == '/') {
        return fs::path(xdg) / "quadventure";
    }
    const char* home = std::getenv("HOME");
    return fs::path(home != nullptr && home[0] != '\0' ? home : "/tmp") / ".local" / "share" /
           "quadventure";
}

Status ensure_private_dir(const fs::path& dir) {
    std::error_code ec;
    if (fs::is_directory(dir, ec)) {
        return Ok{};
    }
    if (dir.has_parent_path()) {
        fs::create_directories(dir.parent_path(), ec);
        if (ec) {
            return fail(dir.parent_path().string() + ": cannot create: " + ec.message());
        }
    }
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        return fail(dir.string() + ": cannot create: " + std::strerror(errno));
    }
    return Ok{};
}

Status ensure_private_file(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return fail(file.string() + ": cannot open: " + std::strerror(errno));
    }
    const int rc = ::fchmod(fd, 0600);
    const int saved = errno;
    ::close(fd);
    if (rc != 0) {
        return fail(file.string() + ": cannot set mode 0600: " + std::strerror(saved));
    }
    return Ok{};
}

} // namespace qv::paths
