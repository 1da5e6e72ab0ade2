// libFuzzer target: the content loader, one data file at a time. The input's first line names
// the file kind ("levels/quadset.toml", "tuning.toml", ...; a leading '!' loads it as the
// built-in copy); when it names no known file, the first byte picks one of content_files(). The
// rest is the file's text, overlaid on the built-in content as load() does.

#include "content/content.hpp"
#include "content/parse.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const qv::content::LoadResult builtin = qv::content::load_builtin();
    if (size == 0) {
        return 0;
    }
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t eol = std::min(input.find('\n'), input.size());
    std::string_view rel = input.substr(0, eol);
    const std::string_view text = input.substr(std::min(eol + 1, input.size()));
    const bool as_builtin = rel.starts_with('!');
    if (as_builtin) {
        rel.remove_prefix(1);
    }
    const auto& files = qv::content::content_files();
    std::string kind(rel);
    if (std::find(files.begin(), files.end(), kind) == files.end()) {
        kind = files[data[0] % files.size()];
    }
    qv::content::Content content = builtin.content;
    std::vector<qv::content::ContentError> errors;
    qv::content::detail::apply_file(kind, text, as_builtin, content, errors);
    for (const auto& e : errors) {
        (void)e.to_string();
    }
    return 0;
}
