// Broken content: every problem is reported with its file and line, the broken entry is
// skipped, the defaults survive and the valid entries next to it still load.

#include "content/content.hpp"
#include "tests/content/support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <unistd.h>

using namespace qv::content;
using namespace qv::content::test;

namespace {

// The only error of a load; fails the test when there is not exactly one.
ContentError only_error(const LoadResult& result) {
    INFO(dump(result.errors));
    REQUIRE(result.errors.size() == 1);
    return result.errors.front();
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The built-in ladder must be untouched apart from the ids given.
void check_levels_unchanged(const Content& content, const std::vector<std::string>& except) {
    const Content builtin = load_builtin().content;
    for (const QuadSetLevel& original : builtin.quadset_levels) {
        if (std::find(except.begin(), except.end(), original.id) != except.end())
            continue;
        CAPTURE(original.id);
        const QuadSetLevel* now = content.level(original.id);
        REQUIRE(now != nullptr);
        CHECK(now->name == original.name);
        CHECK(now->dose.sets == original.dose.sets);
        CHECK(now->dose.reps == original.dose.reps);
        CHECK(now->dose.hold_s == original.dose.hold_s);
        CHECK(now->dose.band_low_pct == original.dose.band_low_pct);
        CHECK(now->dose.band_high_pct == original.dose.band_high_pct);
        CHECK(now->clinician_only == original.clinician_only);
    }
}

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const char* const q6_template = R"(# line 1
[[level]]
id = "Q6"
name = "Extra"
description = "A level added by a clinician."
sets = 2
reps = 8
hold_s = 6
rest_s = 8
set_rest_s = 30
band_low_pct = 40
band_high_pct = 60
)";

// q6_template with the line that starts with `key =` replaced by `replacement`; the 1-based
// line it sits on goes to `line`.
std::string q6_with(const std::string& key, const std::string& replacement, int& line) {
    std::string out;
    std::string text = q6_template;
    int number = 0;
    std::size_t start = 0;
    line = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        std::string current = text.substr(start, end - start);
        ++number;
        if (current.rfind(key + " =", 0) == 0) {
            current = replacement;
            line = number;
        }
        out += current + "\n";
        start = end + 1;
    }
    if (line == 0) {
        out += replacement + "\n";
        line = number + 1;
    }
    return out;
}

} // namespace

// ---- the corpus under tests/content/broken --------------------------------------------------

TEST_CASE("broken: a TOML syntax error skips the whole file", "[content][broken]") {
    const LoadResult result = load(broken_dir("syntax_error"));
    const ContentError error = only_error(result);
    CHECK(error.file == "levels/quadset.toml");
    CHECK(error.line == 16);
    CHECK(contains(error.message, "TOML syntax error"));
    // The valid Q2 above the mistake is not used either: the file as a whole is unreadable.
    CHECK(result.content.quadset_levels.size() == 5);
    CHECK(result.content.level("Q6") == nullptr);
    check_levels_unchanged(result.content, {});
}

TEST_CASE("broken: a value of the wrong type skips its entry only", "[content][broken]") {
    const LoadResult result = load(broken_dir("wrong_type"));
    const ContentError error = only_error(result);
    CHECK(error.file == "levels/quadset.toml");
    CHECK(error.line == 8);
    CHECK(error.message == "level Q2: hold_s must be a number, not a string");
    check_levels_unchanged(result.content, {});
    REQUIRE(result.content.level("Q6") != nullptr);
    CHECK(result.content.level("Q6")->dose.hold_s == 6);
    CHECK(result.content.quadset_levels.size() == 6);
}

TEST_CASE("broken: a negative hold is out of range", "[content][broken]") {
    const LoadResult result = load(broken_dir("negative_hold"));
    const ContentError error = only_error(result);
    CHECK(error.file == "levels/quadset.toml");
    CHECK(error.line == 21);
    CHECK(error.message == "level Q3: hold_s must be between 1 and 120 s, got -5");
    check_levels_unchanged(result.content, {"Q2"});
    CHECK(result.content.level("Q3")->dose.hold_s == 10);
    CHECK(result.content.level("Q2")->name == "Building up (edited)");
    CHECK(result.content.level("Q2")->dose.hold_s == 12);
}

TEST_CASE("broken: a band whose low edge is not below its high edge", "[content][broken]") {
    const LoadResult result = load(broken_dir("band_inverted"));
    const ContentError error = only_error(result);
    CHECK(error.file == "levels/quadset.toml");
    CHECK(error.line == 11);
    CHECK(error.message == "level Q4: band_low_pct (70) must be below band_high_pct (50)");
    check_levels_unchanged(result.content, {});
    CHECK(result.content.level("Q6") != nullptr);
}

TEST_CASE("broken: an unknown key is a probable typo and skips its entry", "[content][broken]") {
    const LoadResult result = load(broken_dir("unknown_key"));
    const ContentError error = only_error(result);
    CHECK(error.file == "levels/quadset.toml");
    CHECK(error.line == 13);
    CHECK(contains(error.message, "level Q5: unknown key 'clinican_only'"));
    // The typo would have unlocked Q5; the built-in Q5 still needs a clinician.
    CHECK(result.content.level("Q5")->clinician_only);
    check_levels_unchanged(result.content, {});
    CHECK(result.content.level("Q6") != nullptr);
}

TEST_CASE("broken: a duplicate id keeps the first definition", "[content][broken]") {
    const LoadResult result = load(broken_dir("duplicate_id"));
    const ContentError error = only_error(result);
    CHECK(error.file == "sounds.toml");
    CHECK(error.line == 10);
    CHECK(error.message == "sound band_enter: duplicate id 'band_enter' (first defined on line 3)");
    const SoundCue* cue = result.content.sound("band_enter");
    REQUIRE(cue != nullptr);
    CHECK(cue->volume == 0.2);
    CHECK(cue->notes_hz == std::vector<double>{440.0, 554.37});
    CHECK(result.content.sound("applause") != nullptr);
    const Content builtin = load_builtin().content;
    CHECK(result.content.sounds.size() == builtin.sounds.size() + 1);
    CHECK(result.content.sound("pain_stop")->notes_hz == builtin.sound("pain_stop")->notes_hz);
}

TEST_CASE("broken: a missing required key is reported at its table", "[content][broken]") {
    const LoadResult result = load(broken_dir("missing_key"));
    const ContentError error = only_error(result);
    CHECK(error.file == "avatars.toml");
    CHECK(error.line == 2);
    CHECK(error.message == "avatar fox: missing required key 'accent'");
    const Avatar* fox = result.content.avatar("fox");
    REQUIRE(fox != nullptr);
    CHECK(fox->label == "Fox");
    CHECK(fox->color == 0xF28C28u);
    const Avatar* tiger = result.content.avatar("tiger");
    REQUIRE(tiger != nullptr);
    CHECK(tiger->shape == "cat");
    CHECK(tiger->color == 0xFF8C00u);
    CHECK(tiger->accent == 0x202020u);
}

TEST_CASE("broken: binary garbage is a syntax error, not a crash", "[content][broken]") {
    const LoadResult result = load(broken_dir("binary_garbage"));
    const ContentError error = only_error(result);
    CHECK(error.file == "levels/quadset.toml");
    CHECK(error.line == 1);
    CHECK(contains(error.message, "TOML syntax error"));
    CHECK(result.content.quadset_levels.size() == 5);
    check_levels_unchanged(result.content, {});
}

TEST_CASE("broken: an empty file is reported and changes nothing", "[content][broken]") {
    const LoadResult result = load(broken_dir("empty"));
    const ContentError error = only_error(result);
    CHECK(error.file == "tuning.toml");
    CHECK(error.line == 0);
    CHECK(contains(error.message, "empty"));
    const Tuning builtin = load_builtin().content.tuning;
    CHECK(result.content.tuning.keyboard.rate_hz == builtin.keyboard.rate_hz);
    CHECK(result.content.tuning.pain.stop_session_at == builtin.pain.stop_session_at);
    CHECK(result.content.tuning.default_level == builtin.default_level);
}

TEST_CASE("broken: a text that is not a string is skipped, its neighbours load",
          "[content][broken]") {
    const LoadResult result = load(broken_dir("text_not_string"));
    const auto errors = errors_in(result, "texts/en.toml");
    INFO(dump(result.errors));
    REQUIRE(result.errors.size() == 2);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].line == 4);
    CHECK(errors[0].message == "text 'checkin.count' must be a string, not an integer");
    CHECK(errors[1].line == 8);
    CHECK(errors[1].message == "text 'menu.items' must be a string, not an array");
    CHECK(result.content.text("checkin.title") == "How is your knee today?");
    CHECK(result.content.text("menu.play") == "Play");
    CHECK(result.content.text("checkin.count") == "[checkin.count]");
    CHECK(result.content.texts.size() >= load_builtin().content.texts.size());
}

TEST_CASE("broken: tuning fields stand alone and broken ones keep their defaults",
          "[content][broken]") {
    const LoadResult result = load(broken_dir("tuning_invalid"));
    INFO(dump(result.errors));
    REQUIRE(result.errors.size() == 4);
    for (const ContentError& error : result.errors)
        CHECK(error.file == "tuning.toml");
    CHECK(result.errors[0].line == 4);
    CHECK(result.errors[0].message == "[keyboard] rate_hz must be between 10 and 2000 Hz, got 5");
    CHECK(result.errors[1].line == 7);
    CHECK(contains(result.errors[1].message, "stop_session_at must be above stop_set_at"));
    CHECK(result.errors[2].line == 10);
    CHECK(contains(result.errors[2].message, "[progression] default_level 'Q9' is not a level"));
    CHECK(result.errors[3].line == 12);
    CHECK(contains(result.errors[3].message, "unknown table [patinet]"));

    const Tuning& t = result.content.tuning;
    CHECK(t.keyboard.effort_step == 0.1); // the valid field next to the broken one applies
    CHECK(t.keyboard.rate_hz == 200);
    CHECK(t.pain.stop_set_at == 6);
    CHECK(t.pain.stop_session_at == 8);
    CHECK(t.default_level == "Q2");
    CHECK(t.patient.true_mvc_n == 320);
}

// ---- problems made at run time ---------------------------------------------------------------

TEST_CASE("a directory where a file should be is reported", "[content][files]") {
    ScratchDir dir;
    fs::create_directories(dir.path() / "avatars.toml");
    const LoadResult result = load(dir.path());
    const ContentError error = only_error(result);
    CHECK(error.file == "avatars.toml");
    CHECK(error.line == 0);
    CHECK(result.content.avatars.size() == 6);
}

TEST_CASE("an unreadable file is reported and the defaults stay", "[content][files]") {
    ScratchDir dir;
    const fs::path file = dir.write("levels/quadset.toml", q6_template);
    fs::permissions(file, fs::perms::none);
    const bool readable = std::ifstream(file).is_open();
    const LoadResult result = load(dir.path());
    check_levels_unchanged(result.content, {});
    if (readable) {
        WARN("permissions do not stop this user (root?) from reading; only checking the load");
        CHECK(result.errors.empty());
    } else {
        const ContentError error = only_error(result);
        CHECK(error.file == "levels/quadset.toml");
        CHECK(error.line == 0);
        CHECK(result.content.level("Q6") == nullptr);
    }
}

TEST_CASE("a huge file is refused before it is parsed", "[content][files]") {
    ScratchDir dir;
    dir.write("texts/en.toml", "a = \"" + std::string(2 * 1024 * 1024, 'x') + "\"\n");
    const LoadResult result = load(dir.path());
    const ContentError error = only_error(result);
    CHECK(error.file == "texts/en.toml");
    CHECK(error.line == 0);
    CHECK(result.content.text("a") == "[a]");
}

TEST_CASE("a level with one bad value is skipped and reported on that value's line",
          "[content][levels]") {
    struct Case {
        const char* key;
        const char* line;
        const char* message;
    };
    const Case c = GENERATE(
        Case{"sets", "sets = 0", "level Q6: sets must be between 1 and 10, got 0"},
        Case{"reps", "reps = 2.5", "level Q6: reps must be a whole number, not a decimal number"},
        Case{"hold_s", "hold_s = nan", "level Q6: hold_s must be between 1 and 120 s, got nan"},
        Case{"hold_s", "hold_s = 600", "level Q6: hold_s must be between 1 and 120 s, got 600"},
        Case{"rest_s", "rest_s = true", "level Q6: rest_s must be a number, not true/false"},
        Case{"band_high_pct", "band_high_pct = 101",
             "level Q6: band_high_pct must be between 1 and 100 % MVC, got 101"},
        Case{"name", "name = \"\"", "level Q6: name must be 1 to 60 characters long, got 0"},
        Case{"clinician_only", "clinician_only = \"yes\"",
             "level Q6: clinician_only must be true or false, not a string"});
    CAPTURE(c.line);
    int line = 0;
    ScratchDir dir;
    dir.write("levels/quadset.toml", q6_with(c.key, c.line, line));
    const LoadResult result = load(dir.path());
    const ContentError error = only_error(result);
    CHECK(error.file == "levels/quadset.toml");
    CHECK(error.line == line);
    CHECK(error.message == c.message);
    CHECK(result.content.level("Q6") == nullptr);
    check_levels_unchanged(result.content, {});
}

TEST_CASE("a level id must be a plain word", "[content][levels]") {
    int line = 0;
    ScratchDir dir;
    dir.write("levels/quadset.toml", q6_with("id", "id = \"Q 6\"", line));
    const LoadResult result = load(dir.path());
    const ContentError error = only_error(result);
    CHECK(error.line == 3);
    CHECK(contains(error.message, "may only use letters, digits"));
    CHECK(result.content.quadset_levels.size() == 5);
}

TEST_CASE("a levels file with the wrong shape is reported, not guessed at", "[content][levels]") {
    ScratchDir dir;
    SECTION("a misspelt array name") {
        dir.write("levels/quadset.toml", "\n[[levle]]\nid = \"Q6\"\n");
        const ContentError error = only_error(load(dir.path()));
        CHECK(error.line == 2);
        CHECK(error.message == "unknown key 'levle' (this file holds [[level]] tables)");
    }
    SECTION("a single table instead of an array of tables") {
        dir.write("levels/quadset.toml", "# one\n[level]\nid = \"Q6\"\n");
        const ContentError error = only_error(load(dir.path()));
        CHECK(error.line == 2);
        CHECK(error.message == "'level' must be written as [[level]] tables, not a table");
    }
    SECTION("an array element that is not a table") {
        dir.write("levels/quadset.toml", "level = [\n  3,\n]\n");
        const ContentError error = only_error(load(dir.path()));
        CHECK(error.line == 2);
        CHECK(error.message == "level #1 must be a table, not an integer");
    }
}

TEST_CASE("avatars and sounds check their own values", "[content][avatars][sounds]") {
    struct Case {
        const char* rel;
        const char* text;
        int line;
        const char* message;
    };
    const Case c = GENERATE(
        Case{"avatars.toml",
             "[[avatar]]\nid = \"fox\"\nlabel = \"Fox\"\nshape = \"fox\"\ncolor = 0xFF0000\n"
             "accent = \"#FFFFFF\"\n",
             5, "avatar fox: color must be a string, not an integer"},
        Case{"avatars.toml",
             "[[avatar]]\nid = \"fox\"\nlabel = \"Fox\"\nshape = \"fox\"\ncolor = \"red\"\n"
             "accent = \"#FFFFFF\"\n",
             5, "avatar fox: color must be a colour written \"#RRGGBB\", got 'red'"},
        Case{"avatars.toml",
             "[[avatar]]\nid = \"fox\"\nlabel = \"Fox\"\nshape = \"fox\"\ncolor = \"#12345G\"\n"
             "accent = \"#FFFFFF\"\n",
             5, "avatar fox: color must be a colour written \"#RRGGBB\", got '#12345G'"},
        Case{"avatars.toml",
             "[[avatar]]\nid = \"dragon\"\nlabel = \"Dragon\"\nshape = \"dragon\"\n"
             "color = \"#FF0000\"\naccent = \"#FFFFFF\"\n",
             4,
             "avatar dragon: shape must be one of fox, owl, bear, cat, frog, rabbit, got 'dragon'"},
        Case{"sounds.toml",
             "[[sound]]\nid = \"rest_end\"\nnotes_hz = []\nnote_s = 0.2\nvolume = 0.4\n"
             "wave = \"sine\"\n",
             3, "sound rest_end: notes_hz must hold 1 to 16 notes, got 0"},
        Case{"sounds.toml",
             "[[sound]]\nid = \"rest_end\"\nnotes_hz = [440.0,\n  5.0]\nnote_s = 0.2\n"
             "volume = 0.4\nwave = \"sine\"\n",
             4, "sound rest_end: each of notes_hz must be a number between 20 and 20000 Hz"},
        Case{"sounds.toml",
             "[[sound]]\nid = \"rest_end\"\nnotes_hz = [440]\nnote_s = 0.2\nvolume = 1.5\n"
             "wave = \"sine\"\n",
             5, "sound rest_end: volume must be between 0 and 1, got 1.5"},
        Case{"sounds.toml",
             "[[sound]]\nid = \"rest_end\"\nnotes_hz = [440]\nnote_s = 0.2\nvolume = 0.5\n"
             "wave = \"square\"\n",
             6, "sound rest_end: wave must be one of sine, triangle, got 'square'"});
    CAPTURE(c.text);
    ScratchDir dir;
    dir.write(c.rel, c.text);
    const LoadResult result = load(dir.path());
    const ContentError error = only_error(result);
    CHECK(error.file == c.rel);
    CHECK(error.line == c.line);
    CHECK(error.message == c.message);
    const Content builtin = load_builtin().content;
    CHECK(result.content.avatar("fox")->color == builtin.avatar("fox")->color);
    CHECK(result.content.sound("rest_end")->volume == builtin.sound("rest_end")->volume);
    CHECK(result.content.avatar("dragon") == nullptr);
}

TEST_CASE("tuning rules between fields revert both fields", "[content][tuning]") {
    ScratchDir dir;
    SECTION("a default level above the highest level allowed without a plan") {
        dir.write("tuning.toml", "[progression]\ndefault_level = \"Q4\"\n");
        const LoadResult result = load(dir.path());
        const ContentError error = only_error(result);
        CHECK(error.line == 2);
        CHECK(contains(error.message, "default_level must not be above max_level_without_plan"));
        CHECK(result.content.tuning.default_level == "Q2");
    }
    SECTION("both pain thresholds raised together are accepted") {
        dir.write("tuning.toml", "[pain]\nstop_set_at = 8\nstop_session_at = 9\n");
        const LoadResult result = load(dir.path());
        CHECK(result.errors.empty());
        CHECK(result.content.tuning.pain.stop_set_at == 8);
        CHECK(result.content.tuning.pain.stop_session_at == 9);
    }
    SECTION("an integer field given as a decimal") {
        dir.write("tuning.toml", "[calibration]\nattempts = 2.5\npush_s = 5\n");
        const LoadResult result = load(dir.path());
        const ContentError error = only_error(result);
        CHECK(error.line == 2);
        CHECK(error.message == "[calibration] attempts must be a whole number, not a decimal "
                               "number");
        CHECK(result.content.tuning.calibration.attempts == 3);
        CHECK(result.content.tuning.calibration.push_s == 5);
    }
    SECTION("a table written as a value") {
        dir.write("tuning.toml", "\npain = 3\n");
        const ContentError error = only_error(load(dir.path()));
        CHECK(error.line == 2);
        CHECK(error.message == "[pain] must be a table, not an integer");
    }
    SECTION("an unknown key inside a known table") {
        dir.write("tuning.toml", "[filter]\nlowpas_hz = 5\nlowpass_hz = 6\n");
        const LoadResult result = load(dir.path());
        const ContentError error = only_error(result);
        CHECK(error.line == 2);
        CHECK(error.message == "unknown key 'lowpas_hz' in [filter] (a typo?)");
        CHECK(result.content.tuning.filter.lowpass_hz == 6);
    }
}

TEST_CASE("no truncation or corruption of a shipped file crashes the loader",
          "[content][robustness]") {
    const std::string rel = GENERATE(from_range(content_files()));
    CAPTURE(rel);
    const std::string original = read_all(shipped_dir() / rel);
    REQUIRE_FALSE(original.empty());
    ScratchDir dir;
    const std::size_t builtin_levels = load_builtin().content.quadset_levels.size();
    // About 150 cuts per file (every 13th byte of a small one): each load reads every content
    // file, so cutting the two text files at every 13th byte alone took half a minute. The
    // content fuzz target (fuzz/) covers every byte.
    const std::size_t step = std::max<std::size_t>(13, original.size() / 150) | 1;
    for (std::size_t cut = 0; cut < original.size(); cut += step) {
        std::string damaged = original.substr(0, cut);
        if (cut % 2 == 1 && !damaged.empty())
            damaged[cut / 2] = static_cast<char>(0xC3); // a broken UTF-8 lead byte mid-file
        dir.write(rel, damaged);
        const LoadResult result = load(dir.path());
        for (const ContentError& error : result.errors) {
            CHECK(error.file == rel);
            CHECK(error.line >= 0);
            CHECK_FALSE(error.message.empty());
        }
        CHECK(result.content.quadset_levels.size() >= builtin_levels);
        CHECK(result.content.tuning.pain.stop_set_at < result.content.tuning.pain.stop_session_at);
    }
}
