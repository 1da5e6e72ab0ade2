#pragma once
// Helpers shared by the content tests: where the sources are, and scratch directories.

#include "content/content.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace qv::content::test {

namespace fs = std::filesystem;

/// The repository root: $QV_SOURCE_DIR (set by CTest), else the path CMake compiled in.
inline fs::path source_dir() {
    if (const char* env = std::getenv("QV_SOURCE_DIR"); env != nullptr && *env != '\0')
        return env;
    return QV_TEST_SOURCE_DIR;
}

/// The shipped data files.
inline fs::path shipped_dir() {
    return source_dir() / "content" / "data";
}

/// One case of the broken-file corpus.
inline fs::path broken_dir(const std::string& name) {
    return source_dir() / "tests" / "content" / "broken" / name;
}

/// A fresh directory under /tmp, removed with everything in it when the object goes away.
class ScratchDir {
  public:
    ScratchDir() {
        std::string pattern = (fs::temp_directory_path() / "qv-content-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const fs::path& path() const { return path_; }

    /// Writes `text` to `rel` (creating directories); returns the full path.
    fs::path write(const std::string& rel, const std::string& text) const {
        const fs::path file = path_ / rel;
        fs::create_directories(file.parent_path());
        std::ofstream out(file, std::ios::binary);
        out << text;
        REQUIRE(out.good());
        return file;
    }

  private:
    fs::path path_;
};

/// The errors of a load that concern one file.
inline std::vector<ContentError> errors_in(const LoadResult& result, const std::string& file) {
    std::vector<ContentError> found;
    for (const ContentError& error : result.errors)
        if (error.file == file)
            found.push_back(error);
    return found;
}

/// Everything in a list of errors, one per line, for failure messages.
inline std::string dump(const std::vector<ContentError>& errors) {
    std::string text;
    for (const ContentError& error : errors)
        text += error.to_string() + "\n";
    return text;
}

} // namespace qv::content::test
