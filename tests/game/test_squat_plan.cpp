// plan_squats_today against a real database: the squat plan is created from content, squat
// sessions rebuilt from the store move reps first, decisions are stored with squat variable
// names, the lock is the profile's, and the profile's pain thresholds decide the light; the play
// screen stops a set at the profile's own stop line.

#include "game/adaptation.hpp"
#include "game/screens/screens.hpp"
#include "profiles/squat_store.hpp"
#include "tests/game/game_fixture.hpp"

using namespace qv;
using qv::test::Game;
using qv::test::run;
using qv::test::start_play;

namespace {

void pain(Game& g, std::int64_t session, profiles::PainMoment moment, int score) {
    profiles::PainEntry p;
    p.profile_id = g.ctx.profile->id;
    p.session_id = session;
    p.moment = moment;
    p.score = score;
    p.recorded_at = profiles::now_iso8601();
    REQUIRE(g.store->add_pain(p).ok());
}

/// A finished session of squats at `dose`, every squat successful, with its pain reports.
std::int64_t squat_session(Game& g, const SquatDose& dose, int during) {
    profiles::SessionRecord s;
    s.profile_id = g.ctx.profile->id;
    s.source.driver = "keyboard";
    s.level_id = "S1";
    const auto id = g.store->begin_session(s).value();
    for (int set = 0; set < dose.sets; ++set) {
        profiles::SquatSetRecord rec;
        rec.session_id = id;
        rec.set_index = set;
        rec.dose = dose;
        for (int i = 0; i < dose.reps; ++i) {
            SquatRepScore r;
            r.set_index = set;
            r.rep_index = i;
            r.duration_s = 5;
            r.time_in_corridor_s = 5;
            r.tempo_ok = true;
            r.depth_reached = dose.depth_deg;
            r.success = true;
            rec.reps.push_back(r);
        }
        REQUIRE(profiles::commit_squat_set(*g.store, rec).ok());
    }
    REQUIRE(g.store->finish_session(id, profiles::SessionStatus::Completed, 3, 3).ok());
    pain(g, id, profiles::PainMoment::Before, 2);
    pain(g, id, profiles::PainMoment::During, during);
    pain(g, id, profiles::PainMoment::After, 1);
    pain(g, id, profiles::PainMoment::NextMorning, 2);
    return id;
}

} // namespace

SCENARIO("plan_squats_today creates the squat plan and progresses reps after two calm sessions",
         "[adaptation][squat]") {
    Game g;
    auto today = game::plan_squats_today(g.ctx);
    const auto* s1 = g.loaded.content.squat_level("S1");
    REQUIRE(s1 != nullptr);
    THEN("without a plan it starts at the default level with the careful caps") {
        CHECK(today.level_id == "S1");
        CHECK(today.dose.sets == s1->dose.sets);
        CHECK(today.dose.reps == s1->dose.reps);
        CHECK(today.dose.depth_deg == s1->dose.depth_deg);
        CHECK(today.dose.depth_cap_deg <= 45);
        CHECK(today.dose.corridor > 0);
        CHECK(today.stair.corridor.floor < today.dose.corridor);
        CHECK(today.stair.tempo.floor == Approx(0.5));
        const auto plan = profiles::squat_plan(*g.store, g.ctx.profile->id);
        REQUIRE(plan.has_value());
        CHECK(plan->cap_sets == g.loaded.content.squat_level("S2")->dose.sets);
        CHECK(g.count("SELECT count(*) FROM decisions WHERE variable = 'squat_none' AND "
                      "reason_code = 'not_enough_sessions'") == 1);
        CHECK_FALSE(today.reason.empty());
    }
    WHEN("two calm, completed squat sessions are played") {
        squat_session(g, today.dose, 2);
        game::plan_squats_today(g.ctx);
        squat_session(g, today.dose, 2);
        today = game::plan_squats_today(g.ctx);
        THEN("reps go up one step and the decision is stored as squat_reps with its line") {
            CHECK(today.dose.sets * today.dose.reps > s1->dose.sets * s1->dose.reps);
            CHECK(today.dose.depth_deg == s1->dose.depth_deg);
            CHECK(g.count("SELECT count(*) FROM decisions WHERE variable = 'squat_reps' AND "
                          "action = 'progress'") == 1);
            CHECK(today.reason.find("squats go from") != std::string::npos);
            AND_THEN("the quad-set loop does not count squat sessions as unfinished quad sets") {
                const auto quad = game::plan_today(g.ctx);
                CHECK(g.count("SELECT count(*) FROM decisions WHERE reason_code = "
                              "'dose_not_completed'") == 0);
                CHECK(quad.reason.find("squats") == std::string::npos);
            }
        }
    }
    WHEN("the squat inner loop's state is saved") {
        engine::SquatStaircaseState st = today.stair_state;
        st.corridor.value = today.stair.corridor.floor;
        st.corridor.trials = 7;
        game::save_squat_staircases(g.ctx, st);
        THEN("the next plan continues from it") {
            const auto next = game::plan_squats_today(g.ctx);
            CHECK(next.stair_state.corridor.trials == 7);
            CHECK(next.dose.corridor == Approx(today.stair.corridor.floor));
        }
    }
}

TEST_CASE("a squat lock is the profile's lock", "[adaptation][squat]") {
    Game g;
    auto today = game::plan_squats_today(g.ctx);
    // A red day two days ago (of either exercise), then a red squat session today.
    auto plan = profiles::squat_plan(*g.store, g.ctx.profile->id).value();
    const int day = game::local_day(profiles::now_iso8601());
    plan.engine_state_json = "{\"red_days\": [" + std::to_string(day - 2) + "]}";
    REQUIRE(profiles::save_squat_plan(*g.store, plan).ok());
    squat_session(g, today.dose, 7);
    today = game::plan_squats_today(g.ctx);
    CHECK(today.locked);
    CHECK(g.count("SELECT count(*) FROM decisions WHERE reason_code = 'two_reds_in_week'") == 1);
    const auto quad_plan = g.store->plan(g.ctx.profile->id);
    REQUIRE(quad_plan.has_value());
    CHECK(quad_plan->locked);
    CHECK(game::plan_today(g.ctx).locked);
}

TEST_CASE("the traffic light uses the profile's own thresholds", "[adaptation]") {
    Game g;
    game::plan_today(g.ctx); // creates the plan
    auto plan = g.store->plan(g.ctx.profile->id).value();
    plan.thresholds.stop_set_at = 5;
    plan.thresholds.during_amber_at = 3;
    REQUIRE(g.store->save_plan(plan).ok());
    const auto t = game::pain_thresholds_for(g.ctx);
    CHECK(t.during_red_at == 5);
    CHECK(t.during_amber_at == 3);
    CHECK(t.morning_red_excess == g.loaded.content.tuning.adaptation.morning_red_excess);
    const auto rules = game::pain_rules_for(g.ctx);
    CHECK(rules.stop_set_at == 5);
    CHECK(rules.stop_session_at == g.loaded.content.tuning.pain.stop_session_at);
    // A squat session with pain 5 during: red for this profile (amber by default).
    const auto today = game::plan_squats_today(g.ctx);
    squat_session(g, today.dose, 5);
    game::plan_squats_today(g.ctx);
    CHECK(g.count("SELECT count(*) FROM decisions WHERE light = 'red' AND variable LIKE "
                  "'squat_%'") == 1);
}

SCENARIO("play stops a set at the profile's own stop line", "[safety][play]") {
    Game g;
    GIVEN("the default stop line (6): a rating of 5 is noted and play goes on") {
        start_play(g);
        run(g, 8);
        g.press({SDLK_p, SDLK_5, SDLK_RETURN});
        CHECK(g.top() == "pain_noted");
        CHECK_FALSE(g.ctx.draft.stopped_for_pain);
    }
    GIVEN("a profile whose plan stops the set at 4: a rating of 5 stops the set") {
        game::plan_today(g.ctx);
        auto plan = g.store->plan(g.ctx.profile->id).value();
        plan.thresholds.during_amber_at = 3;
        plan.thresholds.stop_set_at = 4;
        REQUIRE(g.store->save_plan(plan).ok());
        start_play(g);
        run(g, 8);
        g.press({SDLK_p, SDLK_5, SDLK_RETURN});
        CHECK(g.top() == "pain_stopped");
        CHECK(g.ctx.draft.stopped_for_pain);
    }
}
