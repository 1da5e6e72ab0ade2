// The shipped content, the built-in defaults, overlays, finding the content directory and
// --check-content.

#include "content/content.hpp"
#include "tests/content/support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sstream>

using namespace qv::content;
using namespace qv::content::test;

namespace {

// A readable description of everything loaded, to compare two loads.
std::string describe(const Content& c) {
    std::string out;
    for (const QuadSetLevel& l : c.quadset_levels)
        out += fmt::format("level {} '{}' '{}' {}x{} hold {} rest {} set_rest {} band {}-{} {}\n",
                           l.id, l.name, l.description, l.dose.reps, l.dose.sets, l.dose.hold_s,
                           l.dose.rest_s, l.dose.set_rest_s, l.dose.band_low_pct,
                           l.dose.band_high_pct, l.clinician_only);
    for (const SquatLevel& l : c.squat_levels)
        out += fmt::format("squat {} '{}' '{}' {}x{} depth {} cap {} tempo {}/{}/{} rest {} {} "
                           "tol {} corridor {} {}\n",
                           l.id, l.name, l.description, l.dose.reps, l.dose.sets, l.dose.depth_deg,
                           l.dose.depth_cap_deg, l.dose.down_s, l.dose.pause_s, l.dose.up_s,
                           l.dose.rest_s, l.dose.set_rest_s, l.dose.tempo_tol_s, l.dose.corridor,
                           l.clinician_only);
    for (const Avatar& a : c.avatars)
        out += fmt::format("avatar {} {} {} {:06x} {:06x}\n", a.id, a.label, a.shape, a.color,
                           a.accent);
    for (const SoundCue& s : c.sounds)
        out += fmt::format("sound {} [{}] {} {} {}\n", s.id, fmt::join(s.notes_hz, ","), s.note_s,
                           s.volume, s.wave);
    for (const auto& [key, text] : c.texts)
        out += fmt::format("text {} = {}\n", key, text);
    const Tuning& t = c.tuning;
    out += fmt::format("keyboard {} {} {} {} {} {} {}\n", t.keyboard.max_force_n, t.keyboard.rise_s,
                       t.keyboard.fall_s, t.keyboard.tremor_pct, t.keyboard.effort_step,
                       t.keyboard.start_effort, t.keyboard.rate_hz);
    out += fmt::format("patient {} {} {} {} {} {} {} {} {} {}\n", t.patient.true_mvc_n,
                       t.patient.reaction_s, t.patient.rise_s, t.patient.tracking_gain,
                       t.patient.noise_cv_low, t.patient.noise_cv_high, t.patient.fatigue_rate,
                       t.patient.recovery_rate, t.patient.drift_n_per_min, t.patient.rate_hz);
    out += fmt::format("filter {} {} {} {}\n", t.filter.lowpass_hz, t.filter.spike_threshold_n,
                       t.filter.max_force_n, t.filter.drift_threshold_n);
    const auto& cal = t.calibration;
    out +=
        fmt::format("calibration {} {} {} {} {} {} {} {} {} {}\n", cal.rest_window_s,
                    cal.rest_max_sd_n, cal.rest_timeout_s, cal.push_s, cal.push_rest_s,
                    cal.attempts, cal.peak_window_s, cal.min_mvc_n, cal.max_mvc_n, cal.retest_days);
    const auto& q = t.quadset;
    out += fmt::format("quadset {} {} {} {} {} {} {}\n", q.get_ready_s, q.rep_timeout_factor,
                       q.rep_timeout_grace_s, q.band_enter_margin_pct, q.star1_success,
                       q.star2_success, q.star3_max_cv);
    const auto& sq = t.squat;
    out += fmt::format("squat {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} "
                       "{} {}\n",
                       sq.get_ready_s, sq.rep_timeout_factor, sq.rep_timeout_grace_s, sq.start_deg,
                       sq.top_deg, sq.bottom_band_deg, sq.smooth_s, sq.min_depth_share,
                       sq.corridor_margin_share, sq.cap_margin_deg, sq.cap_clearance_deg,
                       sq.success_corridor_share, sq.star1_success, sq.star2_success,
                       sq.star3_tempo_share, sq.load_target_pct, sq.load_smooth_s, sq.load_dip_pct,
                       sq.sit_low_pct, sq.sit_high_pct, sq.bw_window_s, sq.bw_max_sd_pct,
                       sq.bw_timeout_s, sq.bw_min_n, sq.bw_max_n);
    out += fmt::format("pain {} {} progression {} {} {} {}\n", t.pain.stop_set_at,
                       t.pain.stop_session_at, t.default_level, t.max_level_without_plan,
                       t.squat_default_level, t.squat_max_level_without_plan);
    return out;
}

// Sets or clears an environment variable for one scope.
class EnvVar {
  public:
    EnvVar(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name))
            old_ = old;
        if (value != nullptr)
            ::setenv(name, value, 1);
        else
            ::unsetenv(name);
    }
    ~EnvVar() {
        if (old_)
            ::setenv(name_, old_->c_str(), 1);
        else
            ::unsetenv(name_);
    }
    EnvVar(const EnvVar&) = delete;
    EnvVar& operator=(const EnvVar&) = delete;

  private:
    const char* name_;
    std::optional<std::string> old_;
};

const std::string valid_level_q6 = R"(
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

} // namespace

TEST_CASE("every shipped content file loads without a single error", "[content]") {
    const std::string rel = GENERATE(from_range(content_files()));
    CAPTURE(rel);
    REQUIRE(fs::is_regular_file(shipped_dir() / rel));

    ScratchDir dir;
    fs::create_directories((dir.path() / rel).parent_path());
    fs::copy_file(shipped_dir() / rel, dir.path() / rel);
    const LoadResult result = load(dir.path());
    INFO(dump(result.errors));
    CHECK(result.errors.empty());
}

TEST_CASE("the built-in defaults are the shipped files, complete and error-free", "[content]") {
    const LoadResult builtin = load_builtin();
    INFO(dump(builtin.errors));
    REQUIRE(builtin.errors.empty());
    CHECK(builtin.content.quadset_levels.size() == 5);
    CHECK(builtin.content.squat_levels.size() == 5);
    CHECK(builtin.content.avatars.size() == 6);
    CHECK(builtin.content.sounds.size() == 10);
    CHECK_FALSE(builtin.content.texts.empty());

    // The embedded copy is regenerated from content/data on every build, so a load of the
    // source directory must give exactly the same content.
    const LoadResult from_source = load(shipped_dir());
    INFO(dump(from_source.errors));
    REQUIRE(from_source.errors.empty());
    CHECK(describe(from_source.content) == describe(builtin.content));
}

TEST_CASE("the built-in quad-set ladder is CLINICAL.md's dose ladder", "[content][clinical]") {
    struct Row {
        const char* id;
        const char* name;
        int sets;
        int reps;
        double hold_s, rest_s, set_rest_s, low, high;
        bool clinician_only;
    };
    const Row row = GENERATE(Row{"Q1", "Wake-up", 1, 10, 4, 5, 0, 10, 20, false},
                             Row{"Q2", "Building up", 1, 10, 10, 10, 0, 20, 30, false},
                             Row{"Q3", "Steady strength", 3, 10, 10, 10, 45, 30, 50, false},
                             Row{"Q4", "Strength", 3, 10, 8, 10, 90, 50, 70, false},
                             Row{"Q5", "Pain-relief holds", 1, 5, 30, 120, 0, 65, 75, true});
    CAPTURE(row.id);
    const Content content = load_builtin().content;
    const QuadSetLevel* level = content.level(row.id);
    REQUIRE(level != nullptr);
    CHECK(level->name == row.name);
    CHECK_FALSE(level->description.empty());
    CHECK(level->dose.sets == row.sets);
    CHECK(level->dose.reps == row.reps);
    CHECK(level->dose.hold_s == row.hold_s);
    CHECK(level->dose.rest_s == row.rest_s);
    CHECK(level->dose.set_rest_s == row.set_rest_s);
    CHECK(level->dose.band_low_pct == row.low);
    CHECK(level->dose.band_high_pct == row.high);
    CHECK(level->clinician_only == row.clinician_only);
}

TEST_CASE("the built-in squat ladder is CLINICAL.md's controlled-squat ladder",
          "[content][clinical][squat]") {
    struct Row {
        const char* id;
        int sets;
        int reps;
        double depth, down, pause, up, cap;
        bool clinician_only;
    };
    const Row row =
        GENERATE(Row{"S1", 1, 10, 30, 3, 0, 2, 45, false}, Row{"S2", 2, 10, 45, 3, 0, 2, 45, false},
                 Row{"S3", 3, 10, 45, 3, 5, 2, 45, false}, Row{"S4", 3, 10, 60, 3, 1, 2, 60, false},
                 Row{"S5", 3, 10, 90, 3, 1, 2, 90, true});
    CAPTURE(row.id);
    const Content content = load_builtin().content;
    const SquatLevel* level = content.squat_level(row.id);
    REQUIRE(level != nullptr);
    CHECK_FALSE(level->name.empty());
    CHECK_FALSE(level->description.empty());
    CHECK(level->dose.sets == row.sets);
    CHECK(level->dose.reps == row.reps);
    CHECK(level->dose.depth_deg == row.depth);
    CHECK(level->dose.down_s == row.down);
    CHECK(level->dose.pause_s == row.pause);
    CHECK(level->dose.up_s == row.up);
    CHECK(level->dose.depth_cap_deg == row.cap);
    CHECK(level->dose.depth_deg <= 90); // never below a right angle (Arthritis Foundation)
    CHECK(level->dose.tempo_tol_s == 0.75);
    CHECK(level->dose.rest_s <= 2);
    CHECK(level->dose.corridor > 0);
    CHECK(level->clinician_only == row.clinician_only);
    // Without a clinician's plan: squats up to S2, 0-45 degrees (CLINICAL.md).
    CHECK(content.tuning.squat_default_level == "S1");
    CHECK(content.tuning.squat_max_level_without_plan == "S2");
    CHECK(content.squat_level(content.tuning.squat_max_level_without_plan)->dose.depth_cap_deg ==
          45);
}

TEST_CASE("squat levels: the cap defaults to 45 and a depth past the cap is refused",
          "[content][squat]") {
    ScratchDir dir;
    dir.write("levels/squat.toml", R"([[level]]
id = "S9"
name = "Extra"
description = "A level added by a clinician."
sets = 1
reps = 5
depth_deg = 40
down_s = 3
pause_s = 0
up_s = 2
rest_s = 0
set_rest_s = 0
tempo_tol_s = 0.5
corridor = 4

[[level]]
id = "S10"
name = "Too deep"
description = "Past its own cap."
sets = 1
reps = 5
depth_deg = 50
down_s = 3
pause_s = 0
up_s = 2
rest_s = 0
set_rest_s = 0
tempo_tol_s = 0.5
corridor = 4
)");
    const LoadResult result = load(dir.path());
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].file == "levels/squat.toml");
    CHECK(result.errors[0].line == 22);
    CHECK(result.errors[0].message ==
          "level S10: depth_deg (50) must not be above depth_cap_deg (45)");
    const SquatLevel* extra = result.content.squat_level("S9");
    REQUIRE(extra != nullptr);
    CHECK(extra->dose.depth_cap_deg == 45);
    CHECK(result.content.squat_level("S10") == nullptr);
    CHECK(result.content.squat_levels.size() == 6);
}

TEST_CASE("the ladder keeps its order Q1..Q5", "[content][clinical]") {
    const Content content = load_builtin().content;
    std::vector<std::string> ids;
    for (const QuadSetLevel& level : content.quadset_levels)
        ids.push_back(level.id);
    CHECK(ids == std::vector<std::string>{"Q1", "Q2", "Q3", "Q4", "Q5"});
}

TEST_CASE("the built-in tuning holds the documented values", "[content]") {
    const Tuning t = load_builtin().content.tuning;
    CHECK(t.keyboard.max_force_n == 300);
    CHECK(t.keyboard.rise_s == 0.25);
    CHECK(t.keyboard.fall_s == 0.2);
    CHECK(t.keyboard.tremor_pct == 1.5);
    CHECK(t.keyboard.effort_step == 0.05);
    CHECK(t.keyboard.start_effort == 0.3);
    CHECK(t.keyboard.rate_hz == 200);
    CHECK(t.patient.true_mvc_n == 320);
    CHECK(t.patient.reaction_s == 0.35);
    CHECK(t.patient.rise_s == 0.25);
    CHECK(t.patient.tracking_gain == 2.5);
    CHECK(t.patient.noise_cv_low == 0.015);
    CHECK(t.patient.noise_cv_high == 0.05);
    CHECK(t.patient.fatigue_rate == 0.004);
    CHECK(t.patient.recovery_rate == 0.01);
    CHECK(t.patient.drift_n_per_min == 0.6);
    CHECK(t.patient.rate_hz == 200);
    CHECK(t.filter.lowpass_hz == 8);
    CHECK(t.filter.spike_threshold_n == 60);
    CHECK(t.filter.max_force_n == 3000);
    CHECK(t.filter.drift_threshold_n == 8);
    CHECK(t.calibration.rest_window_s == 1.5);
    CHECK(t.calibration.rest_max_sd_n == 3);
    CHECK(t.calibration.rest_timeout_s == 20);
    CHECK(t.calibration.push_s == 4);
    CHECK(t.calibration.push_rest_s == 6);
    CHECK(t.calibration.attempts == 3);
    CHECK(t.calibration.peak_window_s == 0.5);
    CHECK(t.calibration.min_mvc_n == 20);
    CHECK(t.calibration.max_mvc_n == 2500);
    CHECK(t.calibration.retest_days == 7);
    CHECK(t.quadset.get_ready_s == 3);
    CHECK(t.quadset.rep_timeout_factor == 2.0);
    CHECK(t.quadset.rep_timeout_grace_s == 5);
    CHECK(t.quadset.band_enter_margin_pct == 1.0);
    CHECK(t.quadset.star1_success == 0.5);
    CHECK(t.quadset.star2_success == 0.8);
    CHECK(t.quadset.star3_max_cv == 0.08);
    CHECK(t.pain.stop_set_at == 6);
    CHECK(t.pain.stop_session_at == 8);
    CHECK(t.default_level == "Q2");
    CHECK(t.max_level_without_plan == "Q3");
}

TEST_CASE("the built-in avatars and sound cues are the ones the game draws and plays",
          "[content]") {
    const Content content = load_builtin().content;
    for (const char* id : {"fox", "owl", "bear", "cat", "frog", "rabbit"}) {
        CAPTURE(id);
        const Avatar* avatar = content.avatar(id);
        REQUIRE(avatar != nullptr);
        CHECK(avatar->shape == id);
        CHECK(avatar->color != avatar->accent);
    }
    for (std::size_t i = 0; i < content.avatars.size(); ++i)
        for (std::size_t j = i + 1; j < content.avatars.size(); ++j)
            CHECK(content.avatars[i].color != content.avatars[j].color);

    for (const char* id :
         {"band_enter", "hold_complete", "rest_end", "set_complete", "pain_stop", "calibrate_go"})
        CHECK(content.sound(id) != nullptr);
    const SoundCue* rising = content.sound("band_enter");
    REQUIRE(rising->notes_hz.size() == 2);
    CHECK(rising->notes_hz[0] < rising->notes_hz[1]);
    const SoundCue* calm = content.sound("pain_stop");
    REQUIRE(calm->notes_hz.size() == 2);
    CHECK(calm->notes_hz[0] > calm->notes_hz[1]);
    CHECK(content.sound("set_complete")->notes_hz.size() == 4);
    CHECK(content.sound("hold_complete")->notes_hz.size() == 3);
    CHECK(content.sound("calibrate_go")->notes_hz.size() == 1);
    // Child mode's praise (results): a rising phrase.
    const SoundCue* praise = content.sound("praise");
    REQUIRE(praise != nullptr);
    CHECK(std::is_sorted(praise->notes_hz.begin(), praise->notes_hz.end()));
    CHECK(content.sound("no_such_cue") == nullptr);
}

SCENARIO("an overlay replaces entries by id and keeps everything else", "[content][overlay]") {
    GIVEN("a content directory that redefines Q2 and adds Q6") {
        ScratchDir dir;
        dir.write("levels/quadset.toml", R"(
[[level]]
id = "Q2"
name = "Building up, gently"
description = "Eight-second holds while the knee settles."
sets = 1
reps = 8
hold_s = 8
rest_s = 12
set_rest_s = 0
band_low_pct = 15
band_high_pct = 25
)" + valid_level_q6);
        WHEN("it is loaded") {
            const LoadResult result = load(dir.path());
            THEN("Q2 is replaced in place, Q6 is appended and the rest is unchanged") {
                INFO(dump(result.errors));
                REQUIRE(result.errors.empty());
                const Content builtin = load_builtin().content;
                const auto& levels = result.content.quadset_levels;
                REQUIRE(levels.size() == 6);
                CHECK(levels[1].id == "Q2");
                CHECK(levels[1].name == "Building up, gently");
                CHECK(levels[1].dose.reps == 8);
                CHECK(levels[1].dose.hold_s == 8);
                CHECK(levels[1].dose.band_low_pct == 15);
                CHECK(levels[5].id == "Q6");
                CHECK(levels[5].dose.sets == 2);
                for (const char* id : {"Q1", "Q3", "Q4", "Q5"}) {
                    CAPTURE(id);
                    CHECK(result.content.level(id)->name == builtin.level(id)->name);
                    CHECK(result.content.level(id)->dose.hold_s == builtin.level(id)->dose.hold_s);
                }
                CHECK(describe(Content{{},
                                       result.content.avatars,
                                       result.content.sounds,
                                       result.content.texts,
                                       result.content.tuning,
                                       result.content.squat_levels}) ==
                      describe(Content{{},
                                       builtin.avatars,
                                       builtin.sounds,
                                       builtin.texts,
                                       builtin.tuning,
                                       builtin.squat_levels}));
            }
        }
    }
    GIVEN("a tuning file that changes two fields and a texts file with one key") {
        ScratchDir dir;
        dir.write("tuning.toml", "[keyboard]\nrate_hz = 100\n\n[pain]\nstop_session_at = 9\n");
        dir.write("texts/en.toml", "[overlay]\ngreeting = \"Hello there\"\n");
        WHEN("it is loaded") {
            const LoadResult result = load(dir.path());
            THEN("only those fields and keys change") {
                INFO(dump(result.errors));
                REQUIRE(result.errors.empty());
                const Content builtin = load_builtin().content;
                CHECK(result.content.tuning.keyboard.rate_hz == 100);
                CHECK(result.content.tuning.keyboard.max_force_n ==
                      builtin.tuning.keyboard.max_force_n);
                CHECK(result.content.tuning.pain.stop_session_at == 9);
                CHECK(result.content.tuning.pain.stop_set_at == builtin.tuning.pain.stop_set_at);
                CHECK(result.content.text("overlay.greeting") == "Hello there");
                CHECK(result.content.texts.size() == builtin.texts.size() + 1);
            }
        }
    }
    GIVEN("an empty content directory") {
        ScratchDir dir;
        THEN("loading it gives exactly the built-in content, with no errors") {
            const LoadResult result = load(dir.path());
            CHECK(result.errors.empty());
            CHECK(describe(result.content) == describe(load_builtin().content));
        }
    }
}

TEST_CASE("texts are looked up by dotted key and a missing one shows its key", "[content][texts]") {
    ScratchDir dir;
    dir.write("texts/en.toml", "top = \"Top\"\n[checkin]\ntitle = \"How is your knee?\"\n"
                               "[checkin.pain]\nhigh = \"Let's stop here.\"\n");
    const LoadResult result = load(dir.path());
    INFO(dump(result.errors));
    REQUIRE(result.errors.empty());
    CHECK(result.content.text("top") == "Top");
    CHECK(result.content.text("checkin.title") == "How is your knee?");
    CHECK(result.content.text("checkin.pain.high") == "Let's stop here.");
    CHECK(result.content.text("checkin.nope") == "[checkin.nope]");
    CHECK(result.content.text("") == "[]");
    CHECK(Content{}.text("menu.play") == "[menu.play]");
}

TEST_CASE("a content directory that is missing or is a file is reported, not fatal", "[content]") {
    ScratchDir dir;
    const fs::path missing = dir.path() / "nowhere";
    const LoadResult gone = load(missing);
    REQUIRE(gone.errors.size() == 1);
    CHECK(gone.errors[0].file == missing.string());
    CHECK(gone.errors[0].line == 0);
    CHECK(describe(gone.content) == describe(load_builtin().content));

    const fs::path file = dir.write("plain.txt", "not a directory");
    const LoadResult plain = load(file);
    REQUIRE(plain.errors.size() == 1);
    CHECK(plain.errors[0].file == file.string());
    CHECK(plain.content.quadset_levels.size() == 5);
}

TEST_CASE("find_content_dir prefers $QV_CONTENT_DIR, then the install, then the source tree",
          "[content][paths]") {
    ScratchDir prefix;
    const fs::path exe = prefix.path() / "bin" / "quadventure";
    const fs::path installed = prefix.path() / QV_CONTENT_INSTALL_DIR;
    const fs::path source = shipped_dir();

    SECTION("without the variable and without an install, the source tree is used") {
        EnvVar env("QV_CONTENT_DIR", nullptr);
        const auto found = find_content_dir(exe);
        REQUIRE(found.has_value());
        CHECK(fs::equivalent(*found, source));
        CHECK(find_content_dir({}).has_value());
    }
    SECTION("an install next to the executable wins over the source tree") {
        EnvVar env("QV_CONTENT_DIR", nullptr);
        fs::create_directories(installed);
        const auto found = find_content_dir(exe);
        REQUIRE(found.has_value());
        CHECK(fs::equivalent(*found, installed));
    }
    SECTION("$QV_CONTENT_DIR wins when it is a directory") {
        fs::create_directories(installed);
        ScratchDir custom;
        EnvVar env("QV_CONTENT_DIR", custom.path().c_str());
        const auto found = find_content_dir(exe);
        REQUIRE(found.has_value());
        CHECK(*found == custom.path());
    }
    SECTION("$QV_CONTENT_DIR is ignored when it is not a directory") {
        fs::create_directories(installed);
        EnvVar env("QV_CONTENT_DIR", (prefix.path() / "missing").c_str());
        const auto found = find_content_dir(exe);
        REQUIRE(found.has_value());
        CHECK(fs::equivalent(*found, installed));
    }
}

TEST_CASE("check_content prints problems as file:line: message and a summary", "[content][check]") {
    SECTION("the shipped content is clean") {
        std::ostringstream out;
        CHECK(check_content(shipped_dir(), out) == 0);
        const Content builtin = load_builtin().content;
        CHECK(out.str() ==
              fmt::format(
                  "5 levels, 5 squat levels, 6 avatars, 10 sounds, {} texts (en de): content OK\n",
                  builtin.texts.size()));
    }
    SECTION("a broken file gives one line per problem and exit code 1") {
        std::ostringstream out;
        CHECK(check_content(broken_dir("wrong_type"), out) == 1);
        const Content builtin = load_builtin().content;
        CHECK(out.str() ==
              fmt::format("levels/quadset.toml:8: level Q2: hold_s must be a number, not a "
                          "string\n6 levels, 5 squat levels, 6 avatars, 10 sounds, {} texts (en "
                          "de): 1 problem\n",
                          builtin.texts.size()));
    }
    SECTION("several problems are counted") {
        std::ostringstream out;
        CHECK(check_content(broken_dir("tuning_invalid"), out) == 1);
        const std::string text = out.str();
        CHECK(text.find("tuning.toml:4: [keyboard] rate_hz must be between 10 and 2000 Hz, "
                        "got 5\n") != std::string::npos);
        CHECK(text.ends_with(" texts (en de): 4 problems\n"));
    }
}
