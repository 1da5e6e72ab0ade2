#include "core/paths.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {
fs::path scratch_dir() {
    char tmpl[] = "/tmp/qv-paths-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    return tmpl;
}
mode_t mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}
} // namespace

TEST_CASE("data_dir follows XDG_DATA_HOME, then HOME", "[paths]") {
    ::setenv("XDG_DATA_HOME", "/xdg/data", 1);
    CHECK(qv::paths::data_dir() == fs::path("/xdg/data/quadventure"));
    ::setenv("XDG_DATA_HOME", "relative/ignored", 1); // the spec says relative paths are invalid
    ::setenv("HOME", "/home/someone", 1);
    CHECK(qv::paths::data_dir() == fs::path("/home/someone/.local/share/quadventure"));
    ::unsetenv("XDG_DATA_HOME");
    CHECK(qv::paths::data_dir() == fs::path("/home/someone/.local/share/quadventure"));
}

TEST_CASE("private directories are 0700 and private files 0600", "[paths]") {
    const auto root = scratch_dir();
    const auto dir = root / "a" / "quadventure";
    REQUIRE(qv::paths::ensure_private_dir(dir).ok());
    CHECK(mode_of(dir) == 0700);
    const auto file = dir / "x.db";
    REQUIRE(qv::paths::ensure_private_file(file).ok());
    CHECK(mode_of(file) == 0600);
    // A file created too open is tightened.
    ::chmod(file.c_str(), 0644);
    REQUIRE(qv::paths::ensure_private_file(file).ok());
    CHECK(mode_of(file) == 0600);
    fs::remove_all(root);
}

TEST_CASE("a path that cannot be created gives an error naming it", "[paths]") {
    const auto status = qv::paths::ensure_private_file("/proc/definitely/not/here.db");
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().message.find("/proc/definitely/not/here.db") != std::string::npos);
}
