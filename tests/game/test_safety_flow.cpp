// The check-in and red-flag screens, driven with key events against a real database: what a
// person answers decides whether they may exercise today, and every answer is kept.

#include "game/screens/screens.hpp"
#include "tests/game/game_fixture.hpp"

using namespace qv;
using qv::test::Game;
using qv::test::run;
using qv::test::start_play;

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

TEST_CASE("after a yes at today's check-in, a later session asks the questions again", "[safety]") {
    Game g;
    profiles::RedFlagCheck earlier;
    earlier.profile_id = g.ctx.profile->id;
    earlier.flags = {"giving_way"};
    REQUIRE(g.store->add_red_flag_check(earlier).ok());
    g.start(game::make_checkin(g.ctx));
    g.press({SDLK_2, SDLK_RETURN, SDLK_RETURN});
    REQUIRE(g.top() == "red_flags"); // not straight to the sensor
    g.press({SDLK_n, SDLK_RETURN, SDLK_y, SDLK_RETURN, SDLK_n, SDLK_RETURN, SDLK_n, SDLK_RETURN,
             SDLK_n, SDLK_RETURN});
    CHECK(g.top() == "red_flag_stop");
    CHECK(g.count("SELECT count(*) FROM red_flag_checks WHERE moment = 'check_in'") == 2);
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
