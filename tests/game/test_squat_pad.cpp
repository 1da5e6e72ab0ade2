// Force-pad squats in the game (load share and sit-to-stand): the sensor screen takes a force
// sensor for squats, the squat plan chooses the mode, the pad weighs the player (and says so when
// they are not still), and whole sessions are played headless and stored with their mode, body
// weight and reps that follow the signal.

#include "game/screens/screens.hpp"
#include "input/drivers/keyboard/keyboard.hpp"
#include "input/drivers/replay/recorded_source.hpp"
#include "input/drivers/simulator/simulator.hpp"
#include "profiles/squat_store.hpp"
#include "tests/game/game_fixture.hpp"

using namespace qv;
using qv::test::Game;
using qv::test::run;

namespace {

/// Today's squats in the rider game with `driver` as the source, on the squat plan screen.
void squat_plan_with(Game& g, const std::string& driver) {
    g.ctx.drivers.keyboard = g.loaded.content.tuning.keyboard;
    g.ctx.drivers.patient = g.loaded.content.tuning.patient;
    g.ctx.draft.exercise = "squat";
    g.ctx.draft.game = "rider";
    g.ctx.draft.pain_before = 2;
    REQUIRE(g.ctx.use_source(driver));
    g.ctx.draft.driver_id = driver;
    g.start(game::make_squat_plan(g.ctx));
    REQUIRE(g.top() == "squat_plan");
}

/// Runs until the top screen is `name`, at most `seconds` of game time; true when it got there.
bool run_until(Game& g, const std::string& name, double seconds) {
    for (int i = 0; i < static_cast<int>(seconds * 60) && g.top() != name; ++i) {
        run(g, 1.0 / 60);
    }
    return g.top() == name;
}

input::SimulatorSource* simulator(Game& g) {
    return dynamic_cast<input::SimulatorSource*>(input::underlying(g.hub.source()));
}
input::KeyboardSource* keyboard(Game& g) {
    return dynamic_cast<input::KeyboardSource*>(input::underlying(g.hub.source()));
}

/// Waits for the storage thread's set commits and requires them to have succeeded.
void wait_for_commits(Game& g) {
    for (auto& f : g.ctx.draft.pending_commits) {
        const auto r = f.get();
        REQUIRE(r.ok());
    }
    g.ctx.draft.pending_commits.clear();
}

double query_double(Game& g, const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(g.store->handle(), sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const double v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return v;
}

} // namespace

SCENARIO("the sensor screen takes a force-only sensor for squats and offers the force-pad modes",
         "[squat][pad][sensor]") {
    Game g;
    g.ctx.draft.exercise = "squat";
    g.ctx.draft.game = "rider";
    // A force sensor that is neither the keyboard nor the virtual patient: the recording slot,
    // played here by a load cell that measures force only.
    g.ctx.drivers.replay_file = g.dir / "pad.qvrec";
    g.ctx.drivers.factory = [&g](std::string_view id) -> std::unique_ptr<input::Source> {
        if (id == "replay") {
            return std::make_unique<input::SimulatorSource>(g.loaded.content.tuning.patient, 3);
        }
        return nullptr;
    };
    g.start(game::make_sensor(g.ctx));
    REQUIRE(g.top() == "sensor");
    g.press({SDLK_END, SDLK_RETURN}); // the last choice: the force sensor
    REQUIRE(g.hub.source() != nullptr);
    CHECK_FALSE(g.hub.source()->caps().knee_angle);
    THEN("it is not refused: the squat plan opens in the load-share mode") {
        CHECK(g.top() == "squat_plan");
        CHECK(g.ctx.draft.driver_id == "replay");
        CHECK(g.ctx.draft.squat_mode == SquatMode::LoadShare);
        AND_THEN("M switches to sit-to-stand and back, never to the knee angle") {
            g.press({SDLK_m});
            CHECK(g.ctx.draft.squat_mode == SquatMode::SitToStand);
            CHECK_FALSE(g.ctx.draft.squat_stair->tempo_measured);
            g.press({SDLK_m});
            CHECK(g.ctx.draft.squat_mode == SquatMode::LoadShare);
        }
        AND_THEN("starting weighs the player on the pad first") {
            g.press({SDLK_RETURN});
            CHECK(g.top() == "squat_zero");
        }
    }
}

SCENARIO("the keyboard and the virtual patient keep the knee angle unless a pad mode is chosen",
         "[squat][pad]") {
    Game g;
    squat_plan_with(g, "simulator");
    CHECK(g.ctx.draft.squat_mode == SquatMode::KneeAngle);
    CHECK(g.ctx.draft.squat_stair->tempo_measured);
    g.press({SDLK_m});
    CHECK(g.ctx.draft.squat_mode == SquatMode::LoadShare);
    CHECK_FALSE(g.ctx.draft.squat_stair->tempo_measured);
    g.press({SDLK_LEFT});
    CHECK(g.ctx.draft.squat_mode == SquatMode::KneeAngle);
}

SCENARIO("weighing on the pad: a player who is not still is told so and weighed again",
         "[squat][pad][weigh]") {
    Game g;
    squat_plan_with(g, "simulator");
    input::SquatHabits sway;
    sway.sway_pct = 5; // rocking by ±5 % of body weight: never still enough
    simulator(g)->set_squat_habits(sway);
    g.press({SDLK_m, SDLK_RETURN});
    REQUIRE(g.top() == "squat_zero");
    REQUIRE(run_until(g, "squat_weigh", 5)); // the empty pad settles: its zero
    const double timeout = g.loaded.content.tuning.squat.bw_timeout_s;
    WHEN("the player keeps swaying") {
        REQUIRE(run_until(g, "squat_weigh_failed", timeout + 2));
        THEN("the weighing fails with its message, and no body weight is kept") {
            CHECK(g.ctx.draft.squat_body_weight_n == 0);
            g.press({SDLK_RETURN}); // Enter: try again
            CHECK(g.top() == "squat_weigh");
        }
        AND_WHEN("they stand still and try again") {
            simulator(g)->set_squat_habits({});
            g.press({SDLK_RETURN});
            REQUIRE(g.top() == "squat_weigh");
            REQUIRE(run_until(g, "squat_weigh_done", 5));
            g.press({SDLK_RETURN});
            THEN("the weight is taken and the squats begin") {
                CHECK(g.top() == "squat_ready");
                CHECK(g.ctx.draft.squat_body_weight_n ==
                      Approx(g.loaded.content.tuning.patient.body_weight_n).margin(10));
            }
        }
    }
    WHEN("Esc is pressed while weighing") {
        g.press({SDLK_ESCAPE});
        THEN("the squat plan is back, with the pad mode still chosen") {
            CHECK(g.top() == "squat_plan");
            CHECK(g.ctx.draft.squat_mode == SquatMode::LoadShare);
        }
    }
}

SCENARIO("a headless load-share session on the pad is stored with its mode and body weight",
         "[squat][pad][load]") {
    Game g;
    squat_plan_with(g, "simulator");
    g.press({SDLK_m, SDLK_RETURN});
    REQUIRE(run_until(g, "squat_weigh_done", 10));
    g.press({SDLK_RETURN});
    REQUIRE(g.top() == "squat_ready");
    const SquatDose dose = g.ctx.draft.squat_dose;
    REQUIRE(run_until(g, "after_during", dose.sets * (dose.reps * 8.0 + dose.set_rest_s + 5)));
    wait_for_commits(g);
    const auto id = g.ctx.draft.session_id;
    REQUIRE(id != 0);
    const auto sets = profiles::squat_sets_of(*g.store, id, true);
    REQUIRE(sets.size() == static_cast<std::size_t>(dose.sets));
    THEN("every set is a load-share set with the weighed body weight and a % body weight trace") {
        for (const auto& set : sets) {
            CHECK(set.mode == SquatMode::LoadShare);
            CHECK(set.body_weight_n == Approx(g.ctx.draft.squat_body_weight_n));
            CHECK(set.reps.size() == static_cast<std::size_t>(dose.reps));
            REQUIRE_FALSE(set.trace.values.empty());
        }
        CHECK(g.count("SELECT count(*) FROM traces WHERE unit = 'pct_bw'") == dose.sets);
    }
    THEN("the reps follow the pad: the patient's share (about 47 %), squats felt, no tempo") {
        int successes = 0;
        for (const auto& r : g.ctx.draft.squat_reps) {
            successes += r.success ? 1 : 0;
            CHECK(r.depth_reached == Approx(47).margin(4)); // the peak share, not degrees
            CHECK(r.down_s == 0);                           // the pad cannot measure the tempo
            CHECK(r.violations == 0);                       // nor the knee's depth
        }
        CHECK(successes >= dose.sets * dose.reps / 2);
        const double mean = query_double(g, "SELECT avg(time_in_corridor_s) FROM squat_reps");
        CHECK(mean > 0);
    }
}

SCENARIO("the pad feels whether a squat happened: standing still on the keyboard is not a squat",
         "[squat][pad][load]") {
    Game g;
    squat_plan_with(g, "keyboard");
    g.press({SDLK_m}); // load share
    REQUIRE(g.ctx.draft.squat_mode == SquatMode::LoadShare);
    g.press({SDLK_RETURN}); // the keyboard has nobody to weigh: play at once
    REQUIRE(g.top() == "squat_ready");
    auto* kb = keyboard(g);
    REQUIRE(kb != nullptr);
    CHECK(kb->channel() == Channel::Force);
    kb->nudge_effort(4); // 30 % -> 50 % effort: half of "all the weight"
    kb->set_pushing(true);
    const SquatDose dose = g.ctx.draft.squat_dose;
    REQUIRE(run_until(g, "after_during", dose.sets * (dose.reps * 8.0 + dose.set_rest_s + 5)));
    wait_for_commits(g);
    THEN("every paced squat is scored, in the corridor, and none succeeds") {
        const auto& reps = g.ctx.draft.squat_reps;
        REQUIRE(reps.size() == static_cast<std::size_t>(dose.sets * dose.reps));
        for (const auto& r : reps) {
            CHECK_FALSE(r.success);
            CHECK(r.time_in_corridor_s > 0.9 * r.duration_s);
            CHECK(r.depth_reached == Approx(50).margin(2));
        }
        CHECK(g.count("SELECT count(*) FROM squat_sets WHERE mode = 'load_share' AND "
                      "body_weight_n > 0") == dose.sets);
        CHECK(g.count("SELECT count(*) FROM squat_reps WHERE success = 1") == 0);
    }
}

SCENARIO("sit-to-stand counts the stand-ups the pad feels", "[squat][pad][sit]") {
    Game g;
    squat_plan_with(g, "keyboard");
    g.press({SDLK_m, SDLK_m}); // sit-to-stand
    REQUIRE(g.ctx.draft.squat_mode == SquatMode::SitToStand);
    g.press({SDLK_RETURN});
    REQUIRE(g.top() == "squat_ready");
    auto* kb = keyboard(g);
    REQUIRE(kb != nullptr);
    kb->nudge_effort(4); // standing: 50 % on the leg while Space is held; seated: 0 %
    const SquatDose dose = g.ctx.draft.squat_dose;
    REQUIRE(run_until(g, "squat_rep", 10));
    // Three stand-ups, each 3 s standing then seated again until the next squat is cued.
    for (int i = 0; i < 3; ++i) {
        REQUIRE(run_until(g, "squat_rep", 15));
        kb->set_pushing(true);
        run(g, 3);
        kb->set_pushing(false);
        REQUIRE(run_until(g, "squat_rest", 5));
    }
    // Then the player ends the session (Esc, Q): the squat in progress is not scored.
    g.press({SDLK_ESCAPE, SDLK_q});
    REQUIRE(run_until(g, "after_during", 2));
    wait_for_commits(g);
    THEN("three reps are stored, each a completed stand-up with its standing time") {
        CHECK(g.count("SELECT count(*) FROM squat_sets WHERE mode = 'sit_to_stand'") == 1);
        CHECK(g.count("SELECT count(*) FROM squat_reps") == 3);
        CHECK(g.count("SELECT count(*) FROM squat_reps WHERE success = 1 AND pause_s > 2") == 3);
        CHECK(query_double(g, "SELECT max(depth_reached) FROM squat_reps") == Approx(50).margin(2));
        CHECK(dose.reps > 3);
    }
}
