#pragma once
// Shared fixtures of the profiles tests: a scratch directory and opening a store.

#include "profiles/store.hpp"
#include "tests/profiles/records.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace qv::profiles::test {

/// A fresh directory under /tmp, removed with everything in it at the end of the test.
class ScratchDir {
  public:
    ScratchDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "qv-profiles-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path_ = tmpl;
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path db() const { return path_ / "data" / "quadventure.db"; }

  private:
    std::filesystem::path path_;
};

/// Opens a store or fails the test with the store's message.
inline std::unique_ptr<Store> open_store(const std::filesystem::path& file) {
    auto store = Store::open(file);
    INFO((store ? std::string() : store.error().message));
    REQUIRE(store.ok());
    return std::move(store.value());
}

} // namespace qv::profiles::test
