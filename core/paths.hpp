#pragma once
// Where the program keeps its files, following the XDG base directory specification.

#include "core/result.hpp"

#include <filesystem>

namespace qv::paths {

/// $XDG_DATA_HOME/quadventure, or ~/.local/share/quadventure. Not created.
std::filesystem::path data_dir();

/// Creates `dir` (and parents) with mode 0700 for the last component if it does not exist.
Status ensure_private_dir(const std::filesystem::path& dir);

/// Makes sure `file` exists with mode 0600 (creates it empty when missing, fixes a wider mode).
Status ensure_private_file(const std::filesystem::path& file);

} // namespace qv::paths
