// The check-in and red-flag screens, driven with key events against a real database: what a
// person answers decides whether they may exercise today, and every answer is kept.

#include "content/content.hpp"
#include "core/clock.hpp"
#include "game/audio.hpp"
#include "game/autopilot.hpp"
#include "game/context.hpp"
#include "game/screen.hpp"
#include "game/screens/screens.hpp"
#include "input/hub.hpp"
#include "profiles/storage_worker.hpp"
#include "profiles/store.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sqlite3.h>

namespace fs = std::filesystem;
using namespace qv;

namespace {

fs::path scratch() {
    std::string tmpl = "/tmp/qv-safety-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    return tmpl;
}

/// A game without a window: real content, store, storage thread, input hub and screen stack.
struct Game {
    fs::path dir = scratch();
    content::LoadResult loaded = content::load_builtin();
    std::unique_ptr<profiles::Store> store = std::move(profiles::Store::open(dir / "q.db").value());
    std::unique_ptr<profiles::StorageWorker> worker =
        std::move(profiles::StorageWorker::start(dir / "q.db").value());
    ManualClock clock{1'000'000};
    input::InputHub hub{clock, loaded.content.tuning.filter};
    game::Audio audio{{}};
    game::ScreenStack screens;
    game::Context ctx{loaded.content, *store, *worker,      hub, {}, audio, screens,
                      clock,          false,  std::nullopt, {},  {}, false};

    explicit Game(bool child = false) {
        auto p = store->create_profile("Robin", "owl", "Q2").value();
        if (child) {
            REQUIRE(store->set_child(p.id, true).ok());
            p.child = true;
        }
        ctx.profile = p;
    }
    ~Game() {
        screens.reset(nullptr);
        screens.apply();
        fs::remove_all(dir);
    }
    void start(std::unique_ptr<game::Screen> s) {
        screens.push(std::move(s));
        screens.apply();
    }
    /// Presses keys one by one, applying screen changes after each, as the main loop does.
    void press(std::initializer_list<SDL_Keycode> keys) {
        for (auto k : keys) {
            for (const auto& e : game::key_press(k)) {
                screens.handle(e);
            }
            screens.apply();
        }
    }
    std::string top() const { return screens.top() ? screens.top()->name() : ""; }
    long long count(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(store->handle(), sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        const auto v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    }
};

} // namespace

SCENARIO("the first check-in of a day asks the red-flag questions", "[safety]") {
    Game g;
    g.start(game::make_checkin(g.ctx));
    REQUIRE(g.top() == "checkin");
    g.press({SDLK_3, SDLK_RETURN});
    REQUIRE(g.top() == "checkin_morning");
    g.press({SDLK_RETURN});
    REQUIRE(g.top() == "red_flags");

    WHEN("Enter is pressed before an answer is chosen") {
        g.press({SDLK_RETURN, SDLK_RETURN});
        THEN("nothing is assumed: the first question is still open") {
            CHECK(g.top() == "red_flags");
            CHECK(g.count("SELECT count(*) FROM red_flag_checks") == 0);
        }
    }
    WHEN("every answer is no") {
        g.press({SDLK_n, SDLK_RETURN, SDLK_n, SDLK_RETURN, SDLK_n, SDLK_RETURN, SDLK_n, SDLK_RETURN,
                 SDLK_n, SDLK_RETURN});
        THEN("the session goes on to the sensor and the check is kept") {
            CHECK(g.top() == "sensor");
            CHECK(g.count("SELECT count(*) FROM red_flag_checks WHERE moment = 'check_in'") == 1);
            CHECK(g.count("SELECT count(*) FROM red_flags") == 0);
        }
    }
    WHEN("the knee gave way since last time") {
        g.press({SDLK_n, SDLK_RETURN, SDLK_y, SDLK_RETURN, SDLK_n, SDLK_RETURN, SDLK_n, SDLK_RETURN,
                 SDLK_n, SDLK_RETURN});
        THEN("there is no exercise today, without emergency wording, and the flag is kept") {
            CHECK(g.top() == "red_flag_stop");
            CHECK_FALSE(g.ctx.draft.red_flag_emergency);
            CHECK(g.count("SELECT count(*) FROM red_flags WHERE flag = 'giving_way'") == 1);
            g.press({SDLK_RETURN});
            CHECK(g.top() == "profile_home");
        }
    }
    WHEN("the player is breathless or has chest pain") {
        g.press({SDLK_n, SDLK_RETURN, SDLK_n, SDLK_RETURN, SDLK_n, SDLK_RETURN, SDLK_n, SDLK_RETURN,
                 SDLK_y, SDLK_RETURN});
        THEN("the stop screen uses the emergency wording") {
            CHECK(g.top() == "red_flag_stop");
            CHECK(g.ctx.draft.red_flag_emergency);
            CHECK(g.count("SELECT count(*) FROM red_flags WHERE flag = 'breathless_chest'") == 1);
        }
    }
}

TEST_CASE("the red-flag questions are asked once a day", "[safety]") {
    Game g;
    profiles::RedFlagCheck earlier;
    earlier.profile_id = g.ctx.profile->id;
    REQUIRE(g.store->add_red_flag_check(earlier).ok());
    g.start(game::make_checkin(g.ctx));
    g.press({SDLK_2, SDLK_RETURN, SDLK_RETURN});
    CHECK(g.top() == "sensor");
}

TEST_CASE("pain of 8 or more at rest stops exercise for today and is kept as a red flag",
          "[safety]") {
    Game g;
    g.start(game::make_checkin(g.ctx));
    g.press({SDLK_8, SDLK_RETURN});
    CHECK(g.top() == "rest_today");
    CHECK(g.count("SELECT count(*) FROM pain_entries WHERE moment = 'before' AND score = 8") == 1);
    CHECK(g.count("SELECT count(*) FROM red_flags WHERE flag = 'rest_pain'") == 1);
}

TEST_CASE("a child answers on the faces scale, in steps of two", "[safety]") {
    Game g(true);
    g.start(game::make_checkin(g.ctx));
    g.press({SDLK_3}); // not a face: ignored
    g.press({SDLK_RETURN});
    CHECK(g.top() == "checkin"); // nothing chosen yet
    g.press({SDLK_4, SDLK_RIGHT, SDLK_RETURN});
    CHECK(g.ctx.draft.pain_before == 6);
    CHECK(g.ctx.draft.pain_scale == "qv_faces");
}

TEST_CASE("the morning after a session day, the next-morning pain is asked and kept", "[safety]") {
    Game g;
    profiles::SessionRecord s;
    s.profile_id = g.ctx.profile->id;
    s.source.driver = "keyboard";
    s.level_id = "Q2";
    const auto id = g.store->begin_session(s).value();
    REQUIRE(g.store->finish_session(id, profiles::SessionStatus::Completed, 2, 4).ok());
    REQUIRE(sqlite3_exec(g.store->handle(),
                         "UPDATE sessions SET started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', "
                         "'-1 day'), ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day')",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    g.start(game::make_checkin(g.ctx));
    g.press({SDLK_2, SDLK_RETURN});
    REQUIRE(g.top() == "checkin_next_morning");
    g.press({SDLK_3, SDLK_RETURN});
    CHECK(g.top() == "checkin_morning");
    CHECK(g.count("SELECT score FROM pain_entries WHERE moment = 'next_morning' AND session_id = " +
                  std::to_string(id)) == 3);
}

namespace {
/// Starts the play screen with the virtual patient on the manual clock at Q2's dose.
void start_play(Game& g) {
    REQUIRE(g.ctx.use_source("simulator"));
    g.ctx.draft.pain_before = 2;
    g.ctx.draft.dose = g.loaded.content.level("Q2")->dose;
    g.ctx.draft.stair.floor = 1;
    g.ctx.draft.stair.ceiling = 8;
    g.ctx.draft.stair_state.value = 5;
    g.start(game::make_play(g.ctx));
    REQUIRE(g.ctx.draft.session_id != 0);
}
/// Runs the top screen for `seconds` of game time at 60 frames per second.
void run(Game& g, double seconds) {
    for (int i = 0; i < static_cast<int>(seconds * 60); ++i) {
        g.clock.advance(from_seconds(1.0 / 60));
        g.hub.pump();
        g.screens.top()->step(1.0 / 60);
        g.screens.apply();
    }
}
} // namespace

SCENARIO("pain in the red zone during play ends the set and says why", "[safety][play]") {
    Game g;
    start_play(g);
    run(g, 8);
    g.press({SDLK_p});
    REQUIRE(g.top() == "pain_rating");
    g.press({SDLK_7, SDLK_RETURN});
    THEN("the set stops with the reason shown and kept") {
        CHECK(g.top() == "pain_stopped");
        CHECK(g.ctx.draft.stopped_for_pain);
        CHECK(g.ctx.draft.stop_message.find("7") != std::string::npos);
        g.press({SDLK_RETURN});
        run(g, 0.2);
        REQUIRE(g.top() == "after_during");
        g.press({SDLK_7, SDLK_RETURN, SDLK_5, SDLK_RETURN, SDLK_6, SDLK_RETURN});
        CHECK(g.top() == "results");
        g.worker->flush();
        CHECK(g.count("SELECT count(*) FROM sessions WHERE status = 'stopped_pain'") == 1);
        CHECK(g.count("SELECT count(*) FROM pain_entries WHERE moment = 'during' AND score = 7") ==
              2);
        CHECK(g.count("SELECT count(*) FROM sets WHERE stop_reason LIKE '%7/10%'") == 1);
    }
}

SCENARIO("'my knee gave way' ends the session and is kept as a red flag", "[safety][play]") {
    Game g;
    start_play(g);
    run(g, 8);
    g.press({SDLK_p, SDLK_g});
    CHECK(g.top() == "pain_stopped");
    g.press({SDLK_RETURN});
    run(g, 0.2);
    REQUIRE(g.top() == "after_during");
    g.press({SDLK_4, SDLK_RETURN, SDLK_3, SDLK_RETURN, SDLK_2, SDLK_RETURN});
    g.worker->flush();
    CHECK(g.count("SELECT count(*) FROM sessions WHERE status = 'stopped_red_flag'") == 1);
    CHECK(g.count("SELECT count(*) FROM red_flag_checks c JOIN red_flags f ON f.check_id = c.id "
                  "WHERE c.moment = 'in_session' AND f.flag = 'giving_way' AND c.session_id IS "
                  "NOT NULL") == 1);
}

SCENARIO("a pain rating below the stop line is noted and play goes on", "[safety][play]") {
    Game g;
    start_play(g);
    run(g, 8);
    g.press({SDLK_p, SDLK_3, SDLK_RETURN});
    CHECK(g.top() == "pain_noted");
    g.press({SDLK_RETURN});
    run(g, 1);
    CHECK(g.top().rfind("play_", 0) == 0);
    CHECK_FALSE(g.ctx.draft.stopped_for_pain);
}
