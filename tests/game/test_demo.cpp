// The headless demo plays a whole session through the real screens, input pipeline and storage;
// these tests look at what it left in the database.

#include "profiles/store.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <regex>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using qv::test::query_int;

namespace {
int run_demo(const fs::path& dir, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv{QV_GAME_BINARY, "--demo", "--data-dir", dir.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return qv::test::wait_for(qv::test::spawn(argv, dir / "demo.log"));
}

/// One demo run shared by every section of the scenario (Catch2 re-enters GIVEN per THEN).
struct DemoRun {
    fs::path dir = qv::test::scratch_dir("demo");
    int exit_code = run_demo(dir);
    ~DemoRun() { fs::remove_all(dir); }
};
const DemoRun& first_demo() {
    static const DemoRun run;
    return run;
}
} // namespace

SCENARIO("the headless demo plays and stores a whole quad-set session", "[demo]") {
    const auto& dir = first_demo().dir;
    const auto db = dir / "quadventure.db";
    GIVEN("a fresh data directory") {
        INFO(qv::test::read_text(dir / "demo.log"));
        REQUIRE(first_demo().exit_code == 0);

        THEN("the database is private and sound") {
            struct stat st {};
            REQUIRE(::stat(db.c_str(), &st) == 0);
            CHECK((st.st_mode & 0777) == 0600);
            CHECK(query_int(
                      db,
                      "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") ==
                  1);
        }
        THEN("one profile, one calibration and one completed session from the simulator") {
            CHECK(query_int(db, "SELECT count(*) FROM profiles WHERE name = 'Demo patient'") == 1);
            CHECK(query_int(db,
                            "SELECT count(*) FROM calibrations WHERE source_driver = 'simulator' "
                            "AND mvc_n BETWEEN 250 AND 400") == 1);
            CHECK(query_int(db, "SELECT count(*) FROM sessions WHERE status = 'completed' AND "
                                "source_driver = 'simulator' AND source_is_measurement = 0 AND "
                                "level_id = 'Q2' AND ended_at IS NOT NULL") == 1);
        }
        THEN("the set holds ten scored holds at the level's dose and a 100 Hz trace") {
            CHECK(query_int(db, "SELECT count(*) FROM sets") == 1);
            // The inner loop moves only the band's width: centre 25 % and hold 10 s stay.
            CHECK(query_int(db, "SELECT count(*) FROM reps WHERE hold_s = 10 AND "
                                "abs((target_low_pct + target_high_pct) / 2 - 25) < 0.01") == 10);
            // The first hold uses the plan's band; the virtual patient succeeds, so it narrows.
            CHECK(query_int(db, "SELECT target_high_pct - target_low_pct FROM reps "
                                "WHERE rep_index = 0") == 10);
            CHECK(query_int(db, "SELECT count(*) FROM reps WHERE "
                                "target_high_pct - target_low_pct < 10") >= 5);
            // The virtual patient is good at this: most holds succeed, each with ~10 s in the band.
            CHECK(query_int(db, "SELECT count(*) FROM reps WHERE success = 1 AND "
                                "time_in_band_s BETWEEN 9.9 AND 10.1") >= 8);
            CHECK(query_int(db, "SELECT count(*) FROM reps WHERE peak_pct < 20 OR mean_pct > 32") ==
                  0);
            // Ten holds of ≥ 10 s and nine rests of 10 s: at least 190 s at 100 Hz.
            CHECK(query_int(db, "SELECT sample_count FROM traces") >= 19000);
            CHECK(query_int(db, "SELECT length(data) FROM traces") ==
                  4 * query_int(db, "SELECT sample_count FROM traces"));
        }
        THEN("the pain check-in, the in-session rating and the rating after are kept") {
            CHECK(query_int(db, "SELECT score FROM pain_entries WHERE moment = 'before'") == 2);
            // One rating with P during play, one "at the worst moment" after it.
            CHECK(query_int(db, "SELECT count(*) FROM pain_entries WHERE moment = 'during' AND "
                                "score = 2") == 2);
            CHECK(query_int(db, "SELECT score FROM pain_entries WHERE moment = 'after'") == 1);
            CHECK(query_int(db, "SELECT count(*) FROM checkins WHERE morning_vs_usual = 'same'") ==
                  1);
            CHECK(query_int(db, "SELECT effort_rating FROM sessions") == 5);
        }
        THEN("the plan was made and the engine's first decision kept with its reason") {
            CHECK(query_int(db, "SELECT count(*) FROM plans WHERE sets = 1 AND reps = 10") == 1);
            CHECK(query_int(db,
                            "SELECT count(*) FROM decisions WHERE "
                            "reason_code = 'not_enough_sessions' AND length(reason) > 20") == 1);
        }
        THEN("the red-flag list was answered once, all no") {
            CHECK(query_int(db, "SELECT count(*) FROM red_flag_checks WHERE moment = 'check_in'") ==
                  1);
            CHECK(query_int(db, "SELECT count(*) FROM red_flags") == 0);
        }
        AND_WHEN("the demo runs again") {
            REQUIRE(run_demo(dir) == 0);
            THEN("the same profile gets a second session without a new calibration") {
                CHECK(query_int(db, "SELECT count(*) FROM profiles") == 1);
                CHECK(query_int(db, "SELECT count(*) FROM sessions WHERE status = 'completed'") ==
                      2);
                CHECK(query_int(db, "SELECT count(*) FROM calibrations") == 1);
                // Same day: the safety questions are not asked twice.
                CHECK(query_int(db, "SELECT count(*) FROM red_flag_checks") == 1);
            }
        }
    }
}

TEST_CASE("a database the game cannot use is reported and left untouched", "[demo]") {
    const auto dir = qv::test::scratch_dir("baddb");
    const std::string junk = "this is not a database, it is somebody's notes\n";
    { std::ofstream(dir / "quadventure.db") << junk; }
    CHECK(run_demo(dir) == 1);
    CHECK(qv::test::read_text(dir / "quadventure.db") == junk);
    CHECK(qv::test::read_text(dir / "demo.log").find("quadventure.db") != std::string::npos);
    fs::remove_all(dir);
}

SCENARIO("a game killed mid-session keeps every set it finished", "[demo][kill]") {
    // Level Q3 has three sets; kill the game before the first set ends, then after sets were
    // committed. (tools/crash-test.sh kills many more sessions at random moments.)
    const auto dir = qv::test::scratch_dir("kill");
    const auto db = dir / "quadventure.db";
    const auto log = dir / "demo.log";
    const std::regex committed(R"(set (\d+) of session (\d+) committed)");
    std::set<long long> reported;
    const auto commits_in_log = [&] {
        const auto text = qv::test::read_text(log);
        return std::distance(std::sregex_iterator(text.begin(), text.end(), committed),
                             std::sregex_iterator());
    };
    // Round 1 is killed 1.5 s in, before its first set ends; round 2 the moment it reports its
    // first committed set (the next set is then being played): no guessing how fast the game is.
    for (int round = 1; round <= 2; ++round) {
        const auto before = commits_in_log();
        const pid_t pid = qv::test::spawn({QV_GAME_BINARY, "--demo", "--level", "Q3", "--data-dir",
                                           dir.string(), "--log-level", "info"},
                                          log);
        if (round == 1) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        } else {
            for (int waited = 0; waited < 120'000 && commits_in_log() == before; waited += 20) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            REQUIRE(commits_in_log() > before);
        }
        ::kill(pid, SIGKILL);
        CHECK(qv::test::wait_for(pid) == 128 + SIGKILL);

        const auto text = qv::test::read_text(log);
        for (std::sregex_iterator it(text.begin(), text.end(), committed), end; it != end; ++it) {
            reported.insert(std::stoll((*it)[1].str()));
        }
        INFO("killed in round " << round
                                << "; sets reported committed so far: " << reported.size());
        CHECK(query_int(
                  db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") ==
              1);
        for (long long id : reported) {
            CHECK(query_int(db, "SELECT count(*) FROM reps WHERE set_id = " + std::to_string(id)) ==
                  10);
            CHECK(query_int(db, "SELECT sample_count FROM traces WHERE set_id = " +
                                    std::to_string(id)) > 0);
        }
    }
    // A later start opens the same database cleanly and can play on.
    REQUIRE(qv::test::wait_for(
                qv::test::spawn({QV_GAME_BINARY, "--demo", "--data-dir", dir.string()}, log)) == 0);
    CHECK(query_int(db, "SELECT count(*) FROM sessions WHERE status = 'completed'") >= 1);
    fs::remove_all(dir);
}

SCENARIO("a recorded session replays through the game to the same rep summary", "[demo][replay]") {
    const auto dir = qv::test::scratch_dir("replay");
    const auto recording = dir / "session.qvrec";
    fs::create_directories(dir / "live");
    fs::create_directories(dir / "replayed");
    GIVEN("a demo session recorded while it plays") {
        REQUIRE(run_demo(dir / "live", {"--record", recording.string()}) == 0);
        struct stat st {};
        REQUIRE(::stat(recording.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600); // a recording is health data
        WHEN("the recording is played back through the game in a fresh data directory") {
            INFO(qv::test::read_text(dir / "replayed" / "demo.log"));
            REQUIRE(run_demo(dir / "replayed", {"--replay", recording.string()}) == 0);
            THEN("every hold scores the same, and the session says it was a replay") {
                const auto live = dir / "live" / "quadventure.db";
                const auto replayed = dir / "replayed" / "quadventure.db";
                CHECK(query_int(live, "SELECT count(*) FROM reps") == 10);
                for (const char* expr :
                     {"count(*)", "sum(success)", "sum(round(time_in_band_s * 100))",
                      "sum(round(peak_pct * 10))", "sum(round(steadiness_cv * 10000))",
                      "sum(round(mean_pct * 10))"}) {
                    INFO(expr);
                    const std::string sql = std::string("SELECT ") + expr + " FROM reps";
                    CHECK(query_int(live, sql) == query_int(replayed, sql));
                }
                CHECK(query_int(replayed, "SELECT count(*) FROM sessions WHERE source_driver = "
                                          "'replay' AND source_is_measurement = 0") == 1);
                CHECK(query_int(replayed, "SELECT count(*) FROM calibrations WHERE "
                                          "source_driver = 'replay' AND mvc_n > 0") == 1);
            }
        }
    }
    fs::remove_all(dir);
}

TEST_CASE("a broken recording given to the game is refused, naming file and line",
          "[demo][replay]") {
    const auto dir = qv::test::scratch_dir("replay-bad");
    const auto bad = dir / "bad.qvrec";
    {
        std::ofstream(bad) << "quadventure-recording 1\nsource.driver keyboard\nchannels force\n"
                              "samples\n100 force not-a-number 0\n";
    }
    std::vector<std::string> argv{QV_GAME_BINARY, "--demo",   "--data-dir",
                                  dir.string(),   "--replay", bad.string()};
    CHECK(qv::test::wait_for(qv::test::spawn(argv, dir / "out.log")) == 1);
    const auto log = qv::test::read_text(dir / "out.log");
    CHECK(log.find("bad.qvrec:") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "quadventure.db"));
    fs::remove_all(dir);
}

SCENARIO("a headless squat session with the virtual patient is stored, rep by rep",
         "[demo][squat]") {
    const auto dir = qv::test::scratch_dir("squat-demo");
    fs::create_directories(dir / "rider");
    fs::create_directories(dir / "diver");
    GIVEN("the rider game played by the virtual patient") {
        INFO(qv::test::read_text(dir / "rider" / "demo.log"));
        REQUIRE(run_demo(dir / "rider", {"--game", "rider"}) == 0);
        const auto db = dir / "rider" / "quadventure.db";
        THEN("one completed squat session at S1: a set of ten scored squats and its trace") {
            CHECK(query_int(db, "SELECT count(*) FROM sessions WHERE status = 'completed' AND "
                                "level_id = 'S1' AND source_driver = 'simulator'") == 1);
            CHECK(query_int(db, "SELECT count(*) FROM sets WHERE exercise = 'squat' AND game = "
                                "'rider'") == 1);
            CHECK(query_int(db, "SELECT count(*) FROM squat_sets WHERE mode = 'knee_angle' AND "
                                "depth_deg = 30 AND depth_cap_deg = 45") == 1);
            CHECK(query_int(db, "SELECT count(*) FROM squat_reps") == 10);
            CHECK(query_int(db, "SELECT count(*) FROM squat_reps WHERE success = 1") >= 7);
            CHECK(query_int(db, "SELECT count(*) FROM traces WHERE unit = 'deg' AND "
                                "sample_count > 3000") == 1);
            // No squat of this patient went past the cap, and the stored depths are the ones
            // the trace shows: the deepest rep is the deepest point of the signal.
            CHECK(query_int(db, "SELECT sum(violations) FROM squat_reps") == 0);
            CHECK(query_int(db, "SELECT count(*) FROM squat_reps WHERE success = 1 AND "
                                "depth_reached BETWEEN 25 AND 35") >= 7);
            CHECK(query_int(db, "SELECT count(*) FROM pain_entries WHERE moment = 'after'") == 1);
        }
        AND_WHEN("the same patient plays the diver game with the same seed") {
            REQUIRE(run_demo(dir / "diver", {"--game", "diver"}) == 0);
            const auto diver = dir / "diver" / "quadventure.db";
            THEN("the reps score the same: the game picked never changes the scoring") {
                CHECK(query_int(diver, "SELECT count(*) FROM sets WHERE game = 'diver'") == 1);
                for (const char* expr :
                     {"count(*)", "sum(success)", "sum(round(rmse * 100))",
                      "sum(round(depth_reached * 10))", "sum(tempo_ok)", "sum(violations)"}) {
                    INFO(expr);
                    const std::string sql = std::string("SELECT ") + expr + " FROM squat_reps";
                    CHECK(query_int(db, sql) == query_int(diver, sql));
                }
            }
        }
    }
    fs::remove_all(dir);
}

TEST_CASE("the kiosk demo plays one guest visit and keeps nothing of the guest", "[demo][kiosk]") {
    const auto dir = qv::test::scratch_dir("kiosk-demo");
    INFO(qv::test::read_text(dir / "demo.log"));
    REQUIRE(run_demo(dir, {"--kiosk"}) == 0);
    const auto log = qv::test::read_text(dir / "demo.log");
    CHECK(log.find("Kiosk demo finished") != std::string::npos);
    CHECK(log.find("visit ended (finished)") != std::string::npos);
    const auto db = dir / "quadventure.db";
    // The clinic's default: a guest's visit is deleted when it ends, with everything it recorded.
    CHECK(query_int(db, "SELECT count(*) FROM profiles") == 0);
    CHECK(query_int(db, "SELECT count(*) FROM sessions") == 0);
    CHECK(query_int(db, "SELECT count(*) FROM sets") == 0);
    CHECK(query_int(db, "SELECT count(*) FROM settings WHERE key = 'clinician.pin_hash'") == 1);
    fs::remove_all(dir);
}
