#pragma once
// Shared pieces of the report tests: a scratch directory with a filled database, reading files
// back, and a small RFC 4180 reader to check what the CSV writer produced.

#include "report/export.hpp"
#include "tests/profiles/helpers.hpp"
#include "tests/report/fill.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace qv::report::test {

/// A scratch directory holding a database filled with `weeks` weeks of history.
struct FilledDb {
    explicit FilledDb(int weeks = 4) {
        use_utc();
        store = profiles::test::open_store(dir.db());
        filled = fill(*store, weeks);
    }
    profiles::test::ScratchDir dir;
    std::unique_ptr<profiles::Store> store;
    Filled filled;
};

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Permission bits of a file.
inline unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777u;
}

/// Parses RFC 4180 text (CRLF records, quoted fields with doubled quotes) into records.
inline std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(field);
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            row.push_back(field);
            field.clear();
            rows.push_back(row);
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    if (!field.empty() || !row.empty()) {
        row.push_back(field);
        rows.push_back(row);
    }
    return rows;
}

} // namespace qv::report::test
