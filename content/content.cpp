// Loading content: the built-in copy first, then the files of a content directory on top.

#include "content/content.hpp"

#include "content/embedded.hpp"
#include "content/parse.hpp"
#include "core/log.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <ostream>
#include <system_error>

namespace qv::content {
namespace fs = std::filesystem;

namespace {

// Largest data file we read; anything bigger is not a content file.
constexpr std::uintmax_t max_file_bytes = 1024 * 1024;

template <typename T> const T* find_by_id(const std::vector<T>& list, const std::string& id) {
    auto it = std::find_if(list.begin(), list.end(), [&](const T& item) { return item.id == id; });
    return it == list.end() ? nullptr : &*it;
}

bool is_dir(const fs::path& path) {
    std::error_code ec;
    return !path.empty() && fs::is_directory(path, ec);
}

// Reads one overlay file; nullopt (after reporting, unless it is simply absent) when it cannot.
std::optional<std::string> read_overlay(const fs::path& path, const std::string& rel,
                                        std::vector<ContentError>& errors) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found)
        return std::nullopt;
    if (ec) {
        errors.push_back({rel, 0, fmt::format("cannot be examined: {}", ec.message())});
        return std::nullopt;
    }
    if (status.type() != fs::file_type::regular) {
        errors.push_back({rel, 0, "is not a regular file; skipped"});
        return std::nullopt;
    }
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec) {
        errors.push_back({rel, 0, fmt::format("cannot be read: {}", ec.message())});
        return std::nullopt;
    }
    if (size > max_file_bytes) {
        errors.push_back(
            {rel, 0,
             fmt::format("is {} bytes; content files may be at most {}", size, max_file_bytes)});
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        errors.push_back({rel, 0, "cannot be opened for reading"});
        return std::nullopt;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        errors.push_back({rel, 0, "could not be read completely"});
        return std::nullopt;
    }
    return text;
}

} // namespace

std::string ContentError::to_string() const {
    return fmt::format("{}:{}: {}", file, line, message);
}

const QuadSetLevel* Content::level(const std::string& id) const {
    return find_by_id(quadset_levels, id);
}

const SquatLevel* Content::squat_level(const std::string& id) const {
    return find_by_id(squat_levels, id);
}

const Avatar* Content::avatar(const std::string& id) const {
    return find_by_id(avatars, id);
}

const SoundCue* Content::sound(const std::string& id) const {
    return find_by_id(sounds, id);
}

const GameTheme* Content::game(const std::string& id) const {
    return find_by_id(games, id);
}

std::vector<const GameTheme*> Content::games_for(const std::string& exercise) const {
    std::vector<const GameTheme*> out;
    for (const GameTheme& g : games) {
        if (g.exercise == exercise) {
            out.push_back(&g);
        }
    }
    return out;
}

std::string Content::text(const std::string& key) const {
    if (language_choice.child) {
        if (const std::string own = "child." + key; texts.count(own) != 0) {
            return text_in(language_choice.code, own);
        }
    }
    return text_in(language_choice.code, key);
}

std::string Content::text_in(const std::string& code, const std::string& key) const {
    if (code != "en") {
        if (auto lang = translations.find(code); lang != translations.end()) {
            if (auto it = lang->second.find(key); it != lang->second.end())
                return it->second;
            if (language_choice.logged_missing.insert(code + ":" + key).second)
                log::get("content")->warn("text '{}' has no {} translation; showing English", key,
                                          code);
        }
    }
    auto it = texts.find(key);
    return it == texts.end() ? "[" + key + "]" : it->second;
}

bool Content::set_language(const std::string& code) const {
    if (code != "en" && translations.count(code) == 0) {
        language_choice.code = "en";
        return false;
    }
    language_choice.code = code;
    return true;
}

std::vector<Language> Content::languages() const {
    std::vector<Language> out{{"en", text_in("en", "language.name")}};
    for (const auto& [code, table] : translations) {
        auto it = table.find("language.name");
        out.push_back({code, it == table.end() ? code : it->second});
    }
    return out;
}

const std::vector<std::string>& content_files() {
    static const std::vector<std::string> files = {
        "levels/quadset.toml", "levels/squat.toml", "avatars.toml",  "sounds.toml",
        "games.toml",          "texts/en.toml",     "texts/de.toml", "tuning.toml"};
    return files;
}

LoadResult load_builtin() {
    LoadResult result;
    try {
        const auto embedded = embedded::all();
        for (const std::string& rel : content_files()) {
            auto it = std::find_if(embedded.begin(), embedded.end(),
                                   [&](const embedded::File& f) { return rel == f.path; });
            if (it == embedded.end()) {
                result.errors.push_back({rel, 0, "is not built into the program"});
                continue;
            }
            detail::apply_file(rel, it->text(), true, result.content, result.errors);
        }
        for (const embedded::File& file : embedded) {
            const auto& known = content_files();
            if (std::find(known.begin(), known.end(), file.path) == known.end())
                result.errors.push_back({file.path, 0, "is built in but the loader ignores it"});
        }
    } catch (const std::exception& e) {
        result.errors.push_back(
            {"", 0, fmt::format("could not load built-in content: {}", e.what())});
    }
    return result;
}

LoadResult load(const fs::path& dir) {
    LoadResult result = load_builtin();
    try {
        std::error_code ec;
        const fs::file_status status = fs::status(dir, ec);
        if (status.type() != fs::file_type::directory) {
            result.errors.push_back(
                {dir.string(), 0,
                 status.type() == fs::file_type::not_found
                     ? "content directory does not exist; using built-in content"
                     : "is not a directory; using built-in content"});
            return result;
        }
        for (const std::string& rel : content_files()) {
            if (auto text = read_overlay(dir / rel, rel, result.errors))
                detail::apply_file(rel, *text, false, result.content, result.errors);
        }
    } catch (const std::exception& e) {
        result.errors.push_back({dir.string(), 0, fmt::format("could not load: {}", e.what())});
    }
    return result;
}

std::optional<fs::path> find_content_dir(const fs::path& exe_path) {
    try {
        if (const char* env = std::getenv("QV_CONTENT_DIR"); env != nullptr && *env != '\0') {
            if (is_dir(env))
                return fs::path(env);
        }
        if (!exe_path.empty()) {
            const fs::path installed =
                (exe_path.parent_path() / ".." / QV_CONTENT_INSTALL_DIR).lexically_normal();
            if (is_dir(installed))
                return installed;
        }
        if (is_dir(QV_CONTENT_SOURCE_DIR))
            return fs::path(QV_CONTENT_SOURCE_DIR);
    } catch (const std::exception&) {
        // A path that cannot even be formed is no content directory; fall through.
    }
    return std::nullopt;
}

namespace {

// The placeholders of a fmt text, sorted: "{}", "{:g}", "{change}" ("{{" and "}}" are literal
// braces, not placeholders).
std::vector<std::string> placeholders(const std::string& text) {
    std::vector<std::string> found;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{' && i + 1 < text.size() && text[i + 1] == '{') {
            ++i;
            continue;
        }
        if (text[i] != '{')
            continue;
        const std::size_t end = text.find('}', i);
        if (end == std::string::npos)
            break;
        found.push_back(text.substr(i, end - i + 1));
        i = end;
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : " ") + item;
    return out.empty() ? "none" : out;
}

} // namespace

std::vector<ContentError> check_translations(const Content& content) {
    std::vector<ContentError> problems;
    for (const auto& [code, table] : content.translations) {
        const std::string file = "texts/" + code + ".toml";
        for (const auto& [key, english] : content.texts) {
            auto it = table.find(key);
            if (it == table.end()) {
                problems.push_back(
                    {file, 0, fmt::format("text '{}' is missing (English: \"{}\")", key, english)});
                continue;
            }
            const auto want = placeholders(english), got = placeholders(it->second);
            if (want != got)
                problems.push_back({file, 0,
                                    fmt::format("text '{}' has placeholders {}, but English has {}",
                                                key, joined(got), joined(want))});
        }
        for (const auto& [key, text] : table)
            if (content.texts.count(key) == 0)
                problems.push_back({file, 0, fmt::format("text '{}' is not in English", key)});
    }
    return problems;
}

int check_content(const fs::path& dir, std::ostream& out) {
    LoadResult result = load(dir);
    for (ContentError& gap : check_translations(result.content))
        result.errors.push_back(std::move(gap));
    for (const ContentError& error : result.errors)
        out << error.to_string() << '\n';
    const std::size_t problems = result.errors.size();
    std::string languages;
    for (const Language& language : result.content.languages())
        languages += (languages.empty() ? "" : " ") + language.code;
    out << fmt::format("{} levels, {} squat levels, {} avatars, {} sounds, {} texts ({}): ",
                       result.content.quadset_levels.size(), result.content.squat_levels.size(),
                       result.content.avatars.size(), result.content.sounds.size(),
                       result.content.texts.size(), languages);
    if (problems == 0)
        out << "content OK\n";
    else
        out << problems << (problems == 1 ? " problem\n" : " problems\n");
    return problems == 0 ? 0 : 1;
}

} // namespace qv::content
