// Child mode (docs/child-mode.md) against the real content and a real database: a child's dose
// fits levels of 1-3 minutes without crossing the clinician's caps, rests cannot be skipped,
// tokens come the same for finishing and for stopping for pain, the praise says what was done,
// and the parents' adherence page counts what the store holds.

#include "game/adaptation.hpp"
#include "game/child_mode.hpp"
#include "game/progress.hpp"
#include "game/rules/quadset.hpp"
#include "tests/game/game_fixture.hpp"

using namespace qv;
using qv::test::Game;
using qv::test::run;
using qv::test::start_play;

namespace {

/// A stored session of `status` on local day `day` ("YYYY-MM-DD", noon UTC).
std::int64_t stored_session(Game& g, profiles::SessionStatus status, const std::string& day,
                            int holds = 3) {
    profiles::SessionRecord s;
    s.profile_id = g.ctx.profile->id;
    s.started_at = day + "T12:00:00.000Z";
    s.source.driver = "keyboard";
    s.level_id = "Q2";
    const auto id = g.store->begin_session(s).value();
    profiles::SetRecord set;
    set.session_id = id;
    set.dose = g.loaded.content.level("Q2")->dose;
    for (int i = 0; i < holds; ++i) {
        QuadSetRepScore r;
        r.rep_index = i;
        r.success = true;
        r.time_in_band_s = 10;
        set.reps.push_back(r);
    }
    REQUIRE(g.store->commit_set(set).ok());
    REQUIRE(g.store->finish_session(id, status, 2, 3).ok());
    return id;
}

} // namespace

TEST_CASE("a child's level of quad sets lasts 1 to 3 minutes at every ladder level", "[child]") {
    Game g(true);
    const auto& c = g.loaded.content.tuning.child;
    const double ready = g.loaded.content.tuning.quadset.get_ready_s;
    REQUIRE(c.min_level_s == 60);
    REQUIRE(c.max_level_s == 180);
    for (const auto& level : g.loaded.content.quadset_levels) {
        INFO("level " << level.id);
        game::ChildFit fit;
        const auto d = game::child_quadset_dose(level.dose, level.dose.reps, c, ready, &fit);
        CHECK(fit.applied);
        CHECK(game::level_seconds(d, ready) >= c.min_level_s);
        CHECK(game::level_seconds(d, ready) <= c.max_level_s);
        CHECK(fit.level_s == Approx(game::level_seconds(d, ready)));
        // Never harder than the plan: hold, band and sets unchanged or less, reps no more.
        CHECK(d.hold_s == level.dose.hold_s);
        CHECK(d.band_low_pct == level.dose.band_low_pct);
        CHECK(d.band_high_pct == level.dose.band_high_pct);
        CHECK(d.sets <= level.dose.sets);
        CHECK(d.sets * d.reps <= level.dose.sets * level.dose.reps);
        CHECK(d.rest_s <= c.max_rest_s);
        if (d.sets > 1) {
            CHECK(d.set_rest_s >= c.min_set_rest_s);
            CHECK(d.set_rest_s <= c.max_set_rest_s);
        }
    }
    // Q2 (10 x 10 s, 10 s rests) is 193 s as planned for an adult: one hold less for a child.
    const auto q2 = game::child_quadset_dose(g.loaded.content.level("Q2")->dose, 10, c, ready);
    CHECK(q2.reps == 9);
    CHECK(game::level_seconds(q2, ready) == Approx(173));
    // Q5's two-minute rests shrink to the child's longest rest; the level fits 3 minutes.
    const auto q5 = game::child_quadset_dose(g.loaded.content.level("Q5")->dose, 5, c, ready);
    CHECK(q5.rest_s == c.max_rest_s);
    CHECK(q5.reps == 3);
}

TEST_CASE("a child's dose keeps the clinician's caps and fills short levels with rest", "[child]") {
    Game g(true);
    const auto& c = g.loaded.content.tuning.child;
    const double ready = g.loaded.content.tuning.quadset.get_ready_s;
    SECTION("a capped dose of 1 x 5 holds of 5 s gets longer rests, not more holds") {
        const QuadSetDose capped{1, 5, 5, 5, 0, 20, 30};
        game::ChildFit fit;
        const auto d = game::child_quadset_dose(capped, 5, c, ready, &fit);
        CHECK(d.reps == 5);
        CHECK(d.hold_s == 5);
        CHECK(d.rest_s > 5);
        CHECK(d.rest_s <= c.max_rest_s);
        CHECK(game::level_seconds(d, ready) >= 60);
        CHECK(game::level_seconds(d, ready) <= 180);
        CHECK_FALSE(fit.below_min);
    }
    SECTION("3 short sets join into longer levels within the cap on reps") {
        const QuadSetDose three{3, 3, 5, 5, 45, 20, 30};
        game::ChildFit fit;
        const auto d = game::child_quadset_dose(three, 6, c, ready, &fit);
        CHECK(fit.joined);
        CHECK(d.sets * d.reps <= 9);
        CHECK(d.reps <= 6);
        CHECK(game::level_seconds(d, ready) >= 60);
        CHECK(game::level_seconds(d, ready) <= 180);
    }
    SECTION("the clinician's caps win over the shortest level, and say so") {
        const QuadSetDose tiny{1, 2, 3, 5, 0, 20, 30};
        game::ChildFit fit;
        const auto d = game::child_quadset_dose(tiny, 2, c, ready, &fit);
        CHECK(d.reps == 2);
        CHECK(d.hold_s == 3);
        CHECK(fit.below_min);
    }
    SECTION("plan_today fits the plan's dose for a child and leaves the stored plan alone") {
        auto plan = game::plan_today(g.ctx);
        CHECK(plan.child.applied);
        CHECK(game::level_seconds(plan.dose, ready) <= 180);
        CHECK(game::level_seconds(plan.dose, ready) >= 60);
        const auto stored = g.store->plan(g.ctx.profile->id);
        REQUIRE(stored);
        CHECK(stored->dose.reps == g.loaded.content.level("Q2")->dose.reps); // 10, the plan's
        CHECK(plan.dose.reps < stored->dose.reps);
        CHECK(plan.dose.reps <= stored->cap_reps);
    }
    SECTION("an adult's dose is never touched") {
        Game adult;
        const auto plan = game::plan_today(adult.ctx);
        CHECK_FALSE(plan.child.applied);
        CHECK(plan.dose.reps == 10);
    }
}

TEST_CASE("a child's squats fit levels of 1 to 3 minutes at every squat level", "[child]") {
    Game g(true);
    const auto& c = g.loaded.content.tuning.child;
    const double ready = g.loaded.content.tuning.squat.get_ready_s;
    for (const auto& level : g.loaded.content.squat_levels) {
        INFO("level " << level.id);
        const auto d = game::child_squat_dose(level.dose, level.dose.reps, c, ready);
        CHECK(game::level_seconds(d, ready) >= c.min_level_s);
        CHECK(game::level_seconds(d, ready) <= c.max_level_s);
        CHECK(d.depth_deg == level.dose.depth_deg);
        CHECK(d.down_s == level.dose.down_s);
        CHECK(d.sets * d.reps <= level.dose.sets * level.dose.reps);
    }
    const auto plan = game::plan_squats_today(g.ctx);
    CHECK(plan.child.applied);
    CHECK(game::level_seconds(plan.dose, ready) <= c.max_level_s);
}

TEST_CASE("a child's rests cannot be skipped by any key", "[child]") {
    Game g(true);
    profiles::CalibrationRecord cal;
    cal.mvc_n = g.loaded.content.tuning.patient.true_mvc_n; // the virtual patient's maximum
    g.ctx.draft.calibration = cal;
    g.ctx.drivers.patient = g.loaded.content.tuning.patient; // a patient who really pushes
    start_play(g);
    // Play until the first rest between holds.
    for (int i = 0; i < 240 && g.top() != "play_rest"; ++i) {
        run(g, 0.25);
    }
    REQUIRE(g.top() == "play_rest");
    // Every key a child might press during the rest (pause and resume too).
    g.press({SDLK_RETURN, SDLK_SPACE, SDLK_TAB, SDLK_RIGHT, SDLK_s, SDLK_n, SDLK_KP_ENTER});
    g.press({SDLK_ESCAPE});
    CHECK(g.top() == "paused");
    run(g, 30); // a long pause does not use up the rest
    g.press({SDLK_RETURN});
    CHECK(g.top() == "play_rest");
    run(g, 2); // well inside the 10 s rest
    CHECK(g.top() == "play_rest");
    run(g, 10); // the rest ends by itself
    CHECK(g.top() != "play_rest");
}

TEST_CASE("finishing and stopping for pain earn the same token", "[child]") {
    Game g(true);
    CHECK(game::count_tokens(*g.store, g.ctx.profile->id).total == 0);
    stored_session(g, profiles::SessionStatus::Completed, "2026-11-16");
    stored_session(g, profiles::SessionStatus::StoppedPain, "2026-11-17", 1);
    stored_session(g, profiles::SessionStatus::StoppedRedFlag, "2026-11-18", 0);
    stored_session(g, profiles::SessionStatus::Aborted, "2026-11-19", 2); // ended by choice
    // A check-in that said "no exercise today", answered twice the same day: one token.
    for (int i = 0; i < 2; ++i) {
        profiles::RedFlagCheck check;
        check.profile_id = g.ctx.profile->id;
        check.flags = {"swelling"};
        REQUIRE(g.store->add_red_flag_check(check).ok());
    }
    const auto t = game::count_tokens(*g.store, g.ctx.profile->id);
    CHECK(t.finished == 1);
    CHECK(t.pain_stops == 1);
    CHECK(t.red_flag_stops == 1);
    CHECK(t.checkin_stops == 1);
    CHECK(t.total == 4);

    SECTION("the results screen shows the token for a pain stop and plays the praise cue") {
        g.ctx.draft.stopped_for_pain = true;
        g.ctx.draft.driver_id = "keyboard";
        g.start(game::make_results(g.ctx));
        CHECK(g.top() == "results");
        CHECK(g.audio.played().count("praise") == 1);
        CHECK(g.audio.played().count("set_complete") == 0);
    }
}

TEST_CASE("a child's praise says what was actually done", "[child]") {
    Game g(true);
    auto& d = g.ctx.draft;
    for (int i = 0; i < 7; ++i) {
        QuadSetRepScore r;
        r.rep_index = i;
        r.success = i < 6;
        r.time_in_band_s = i < 6 ? 10 : 3.5;
        r.mean_pct = 25;
        r.steadiness_cv = 0.02; // 100 x (1 - 0.02 / 0.25) = 92 %: very steady
        d.reps.push_back(r);
    }
    const auto e = game::summarize_effort(g.ctx);
    CHECK(e.attempted == 7);
    CHECK(e.done == 6);
    CHECK(e.seconds == Approx(63.5));
    CHECK(e.steadiness == Approx(92));
    auto lines = game::praise_lines(g.ctx, e);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "You held the golden band 6 times!");
    CHECK(lines[1] == "Your thigh muscle worked for 64 seconds in the band.");
    CHECK(lines[2] == g.loaded.content.text("child.praise.very_steady"));

    // A wobbly push, stopped for pain after one hold: the stop leads, then what was done.
    for (auto& r : d.reps) {
        r.steadiness_cv = 0.2; // 20 %: below "steady"
    }
    d.reps.resize(1);
    d.stopped_for_pain = true;
    lines = game::praise_lines(g.ctx, game::summarize_effort(g.ctx));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == g.loaded.content.text("child.praise.pain_stop"));
    CHECK(lines[1] == "You held the golden band once!");
    CHECK(lines[2] == "Your thigh muscle worked for 10 seconds in the band.");
    CHECK(lines[3] == g.loaded.content.text("child.praise.wobbly"));

    // Squats: how many, how many at the right speed, how long on the path.
    d = {};
    d.exercise = "squat";
    for (int i = 0; i < 5; ++i) {
        SquatRepScore r;
        r.success = true;
        r.tempo_ok = i < 4;
        r.time_in_corridor_s = 4;
        d.squat_reps.push_back(r);
    }
    lines = game::praise_lines(g.ctx, game::summarize_effort(g.ctx));
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "You did 5 squats along the path!");
    CHECK(lines[1] == "You followed the path for 20 seconds.");
    CHECK(lines[2] == "4 of them were at just the right speed.");
}

TEST_CASE("the adherence page counts sessions a week from the database", "[child]") {
    Game g(true);
    // Week of Monday 2026-11-09: two finished, one stopped for pain, one ended early.
    stored_session(g, profiles::SessionStatus::Completed, "2026-11-09");
    stored_session(g, profiles::SessionStatus::Completed, "2026-11-11");
    stored_session(g, profiles::SessionStatus::StoppedPain, "2026-11-12");
    stored_session(g, profiles::SessionStatus::Aborted, "2026-11-13");
    // Week of Monday 2026-11-16: one finished.
    stored_session(g, profiles::SessionStatus::Completed, "2026-11-18");
    game::ProgressOptions o;
    o.weeks = 3;
    o.today = "2026-11-20";
    o.sessions_per_week = 4;
    const auto data = game::load_progress(*g.store, g.ctx.profile->id, o);
    REQUIRE(data.error.empty());
    CHECK(data.planned_per_week == 4);
    REQUIRE(data.weeks.size() == 3);
    CHECK(data.weeks[0].monday == "2026-11-02");
    CHECK(data.weeks[0].sessions == 0);
    CHECK(data.weeks[1].monday == "2026-11-09");
    CHECK(data.weeks[1].sessions == 3);
    CHECK(data.weeks[1].finished == 2);
    CHECK(data.weeks[1].pain_stops == 1);
    CHECK(data.weeks[1].ended_early == 1);
    CHECK(data.weeks[2].sessions == 1);
    CHECK(game::count_tokens(*g.store, g.ctx.profile->id).total == 4);
}
