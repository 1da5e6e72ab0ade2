#pragma once
// Helpers shared by the protocol and recording tests.

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace qv::test {

/// The repository root: $QV_SOURCE_DIR (set by CTest), else the path CMake compiled in.
inline std::filesystem::path source_dir() {
    if (const char* env = std::getenv("QV_SOURCE_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    return QV_TEST_SOURCE_DIR;
}

/// The whole file as text ("" when it cannot be read).
inline std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Shorthand for byte literals.
using Bytes = std::vector<std::uint8_t>;

} // namespace qv::test
