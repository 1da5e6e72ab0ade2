#pragma once
// Turns the text of one content file into entries of a Content, reporting every problem.

#include "content/content.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace qv::content::detail {

/// Overlays the text of the data file `rel` (one of content_files()) onto `content`: valid
/// entries replace or extend what is there, broken ones are reported in `errors` and skipped.
/// `builtin` marks the copy built into the program, which must define every tuning field.
void apply_file(const std::string& rel, std::string_view text, bool builtin, Content& content,
                std::vector<ContentError>& errors);

} // namespace qv::content::detail
