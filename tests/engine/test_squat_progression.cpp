// The outer loop for controlled squats: reps, then depth; never past cap_sets, cap_reps or the
// clinician's depth cap; amber holds, red steps back, two reds within a week lock. Also the cap
// on the quad-set band's lower edge.

#include "core/rng.hpp"
#include "engine/describe.hpp"
#include "engine/progression.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <optional>
#include <vector>

using namespace qv::engine;
using qv::QuadSetDose;
using qv::SquatDose;
using qv::SquatRepScore;

namespace {

SquatDose s1() {
    SquatDose d;
    d.sets = 1;
    d.reps = 10;
    d.depth_deg = 30;
    d.down_s = 3;
    d.pause_s = 0;
    d.up_s = 2;
    d.rest_s = 2;
    d.tempo_tol_s = 0.75;
    d.corridor = 6;
    d.depth_cap_deg = 45;
    return d;
}

SquatEngineConfig config(int max_sets = 2, int max_reps = 10, double depth_cap = 45) {
    SquatEngineConfig c;
    c.caps.max_sets = max_sets;
    c.caps.max_reps = max_reps;
    c.caps.max_depth_deg = depth_cap;
    c.caps.min_sets = 1;
    c.caps.min_reps = 5;
    c.caps.min_depth_deg = 15;
    return c;
}

PainReport calm_pain() {
    PainReport r;
    r.during = 2;
    r.after = 1;
    r.next_morning = 2;
    r.baseline = 2;
    r.trend_per_week = 0;
    return r;
}

PainReport with_during(double during) {
    PainReport r = calm_pain();
    r.during = during;
    return r;
}

struct Runner {
    SquatOuterLoop loop;
    std::vector<SquatSessionOutcome> sessions;
    int next_id = 0;

    explicit Runner(const SquatEngineConfig& c = config(), const SquatDose& start = s1())
        : loop(c, start) {}

    void play(int day, PainReport pain = calm_pain(), double success = 0.85,
              bool completed = true) {
        SquatSessionOutcome s;
        s.id = next_id++;
        s.day = day;
        s.dose = loop.dose();
        s.completed = completed;
        s.success = success;
        s.pain = pain;
        sessions.push_back(s);
    }
    std::vector<SquatDecision> decisions; ///< every decision so far
    SquatDecision decide(int day) {
        decisions.push_back(loop.decide(sessions, day));
        return decisions.back();
    }
    // Two calm sessions, each followed by a decision; returns the second.
    SquatDecision calm_pair(int& day) {
        play(day++);
        decide(day);
        play(day++);
        return decide(day);
    }
};

} // namespace

SCENARIO("squats progress reps first, then depth, after two calm sessions") {
    GIVEN("S1 (1 x 10 at 30 degrees) with caps 2 x 10 and a 45 degree depth cap") {
        Runner r;
        int day = 0;
        WHEN("one calm session is played") {
            r.play(day++);
            const auto d = r.decide(day);
            THEN("the dose holds: two sessions are needed") {
                CHECK(d.action == Action::Hold);
                CHECK(d.reason == Reason::NotEnoughSessions);
                CHECK(r.loop.dose().reps == 10);
            }
        }
        WHEN("two calm, completed, successful sessions are played") {
            const auto d = r.calm_pair(day);
            THEN("reps go up one step, as a second set, and nothing else moves") {
                CHECK(d.action == Action::Progress);
                CHECK(d.reason == Reason::CalmTwoSessions);
                CHECK(d.variable == Variable::Reps);
                CHECK(d.from == 10);
                CHECK(d.to == 12);
                CHECK(r.loop.dose().sets == 2);
                CHECK(r.loop.dose().reps == 6);
                CHECK(r.loop.dose().depth_deg == 30);
                CHECK(r.loop.dose().down_s == 3); // tempo is a precision knob: never progressed
                CHECK(describe(d) ==
                      "Your knee stayed calm two sessions in a row, so reps go from 1 x 10 to 2 x "
                      "6.");
            }
        }
        WHEN("calm pairs continue until the volume cap") {
            for (int i = 0; i < 15; ++i)
                r.calm_pair(day);
            std::vector<Variable> moved;
            for (const auto& d : r.decisions) {
                if (d.action == Action::Progress)
                    moved.push_back(d.variable);
            }
            THEN("reps reach 2 x 10, then depth climbs by 5 degrees to the cap, then at cap") {
                REQUIRE(moved.size() >= 2);
                const auto first_depth = std::find(moved.begin(), moved.end(), Variable::Depth);
                REQUIRE(first_depth != moved.end());
                CHECK(std::all_of(moved.begin(), first_depth,
                                  [](Variable v) { return v == Variable::Reps; }));
                CHECK(std::all_of(first_depth, moved.end(),
                                  [](Variable v) { return v == Variable::Depth; }));
                CHECK(std::count(moved.begin(), moved.end(), Variable::Depth) == 3); // 30->45
                CHECK(r.loop.dose().sets == 2);
                CHECK(r.loop.dose().reps == 10);
                CHECK(r.loop.dose().depth_deg == 45);
                const auto last = r.calm_pair(day);
                CHECK(last.action == Action::AtCap);
                CHECK(last.reason == Reason::AllAtCap);
            }
        }
    }
}

TEST_CASE("squats: a depth step lands on the cap and describes itself in degrees") {
    SquatDose start = s1();
    start.sets = 2;
    start.depth_deg = 42;
    Runner r(config(), start);
    int day = 0;
    const auto d = r.calm_pair(day);
    CHECK(d.variable == Variable::Depth);
    CHECK(d.from == 42);
    CHECK(d.to == 45);
    CHECK(describe(d) ==
          "Your knee stayed calm two sessions in a row, so depth goes from 42 to 45 degrees.");
}

TEST_CASE("squats: the clinician's depth cap always wins") {
    SquatDose start = s1();
    start.sets = 2;
    ProgressionParams p;
    SECTION("the plan's cap below the dose's own cap") {
        SquatCaps caps = config().caps;
        caps.max_depth_deg = 35;
        const SquatDose up =
            step_up(step_up(start, Variable::Depth, caps, p), Variable::Depth, caps, p);
        CHECK(up.depth_deg == 35);
        CHECK(at_cap(up, Variable::Depth, caps, p));
        CHECK(clamp_to_plan(start, caps).depth_cap_deg == 35);
    }
    SECTION("the dose's own cap below the plan's") {
        SquatCaps caps = config(2, 10, 60).caps;
        start.depth_cap_deg = 40;
        CHECK(
            step_up(step_up(start, Variable::Depth, caps, p), Variable::Depth, caps, p).depth_deg ==
            40);
    }
    SECTION("no plan goes past 90 degrees, whatever its caps say") {
        SquatCaps caps = config(2, 10, 120).caps;
        start.depth_deg = 85;
        start.depth_cap_deg = 120;
        const SquatDose up = step_up(start, Variable::Depth, caps, p);
        CHECK(up.depth_deg == 90);
        CHECK(at_cap(up, Variable::Depth, caps, p));
        CHECK(clamp_to_plan(start, caps).depth_cap_deg == kMaxSquatDepthDeg);
    }
    SECTION("a cap lowered below the dose brings the dose back inside at once") {
        SquatDose deep = start;
        deep.depth_deg = 45;
        Runner r(config(2, 10, 45), deep);
        SquatProgressionState st = r.loop.state();
        const SquatDecision d =
            decide(st, std::span<const SquatSessionOutcome>{}, 3, config(2, 10, 30));
        CHECK(d.action == Action::StepBack);
        CHECK(d.reason == Reason::AbovePlanCap);
        CHECK(d.dose_after.depth_deg == 30);
        CHECK(d.dose_after.depth_cap_deg == 30);
    }
    SECTION("S5 depth (up to 90) only when the clinician's cap allows it") {
        SquatDose deep = start;
        deep.depth_deg = 60;
        deep.depth_cap_deg = 90;
        Runner r(config(2, 10, 90), deep);
        int day = 0;
        for (int i = 0; i < 20; ++i)
            r.calm_pair(day);
        CHECK(r.loop.dose().depth_deg == 90);
        Runner capped(config(2, 10, 45), deep);
        CHECK(capped.loop.dose().depth_deg == 45);
    }
}

TEST_CASE("squats: amber holds, red steps back, two reds within a week lock") {
    Runner r;
    int day = 0;
    r.calm_pair(day); // 1 x 10 -> 2 x 6
    REQUIRE(r.loop.dose().sets * r.loop.dose().reps == 12);

    SECTION("amber pain during holds the dose") {
        r.play(day++, with_during(4));
        const auto d = r.decide(day);
        CHECK(d.action == Action::Hold);
        CHECK(d.reason == Reason::PainAmber);
        CHECK(d.rule == PainRule::DuringModerate);
        CHECK(r.loop.dose().sets * r.loop.dose().reps == 12);
    }
    SECTION("a missing next-morning report holds") {
        PainReport p = calm_pain();
        p.next_morning.reset();
        r.play(day++, p);
        CHECK(r.decide(day).reason == Reason::MissingMorning);
    }
    SECTION("red undoes the newest progression") {
        r.play(day++, with_during(7));
        const auto d = r.decide(day);
        CHECK(d.action == Action::StepBack);
        CHECK(d.reason == Reason::PainRed);
        CHECK(d.variable == Variable::Reps);
        CHECK(r.loop.dose().sets == 1);
        CHECK(r.loop.dose().reps == 10);
    }
    SECTION("with nothing to undo, red steps depth down before reps") {
        Runner fresh;
        fresh.play(0, with_during(6));
        const auto d = fresh.decide(1);
        CHECK(d.action == Action::StepBack);
        CHECK(d.variable == Variable::Depth);
        CHECK(d.from == 30);
        CHECK(d.to == 25);
    }
    SECTION("red at the floor holds") {
        SquatDose floor = s1();
        floor.reps = 5;
        floor.depth_deg = 15;
        Runner low(config(), floor);
        low.play(0, with_during(8));
        const auto d = low.decide(1);
        CHECK(d.action == Action::Hold);
        CHECK(d.reason == Reason::RedAtFloor);
    }
    SECTION("two reds less than 7 days apart lock, and locked stays locked") {
        r.play(day++, with_during(6));
        r.decide(day);
        r.play(day++);
        r.decide(day);
        r.play(day++, with_during(6));
        const auto d = r.decide(day);
        CHECK(d.action == Action::Lock);
        CHECK(d.reason == Reason::TwoRedsInWeek);
        CHECK(r.loop.state().locked);
        const auto again = r.calm_pair(day);
        CHECK(again.action == Action::Lock);
        CHECK(again.reason == Reason::Locked);
        r.loop.unlock();
        CHECK(r.calm_pair(day).action == Action::Progress);
    }
    SECTION("a red day shared from the other exercise counts toward the lock") {
        SquatProgressionState st = r.loop.state();
        st.red_days.push_back(day - 1); // e.g. a quad-set session that hurt yesterday
        std::vector<SquatSessionOutcome> recent = r.sessions;
        SquatSessionOutcome s;
        s.id = r.next_id++;
        s.day = day;
        s.dose = st.dose;
        s.completed = true;
        s.success = 0.9;
        s.pain = with_during(6);
        recent.push_back(s);
        const auto d = decide(st, recent, day + 1, config());
        CHECK(d.action == Action::Lock);
        CHECK(d.locked);
    }
}

TEST_CASE("squats: unfinished or unsuccessful sessions hold") {
    Runner r;
    r.play(0);
    r.decide(1);
    SECTION("not completed") {
        r.play(1, calm_pain(), 0.9, false);
        CHECK(r.decide(2).reason == Reason::DoseNotCompleted);
    }
    SECTION("success below target - margin") {
        r.play(1, calm_pain(), 0.6);
        const auto d = r.decide(2);
        CHECK(d.reason == Reason::SuccessBelowTarget);
        CHECK(describe(d).find("of your squats") != std::string::npos);
    }
}

TEST_CASE("squat dose steps: one step each way, within caps and floors") {
    const SquatCaps caps = config(3, 10, 45).caps;
    const ProgressionParams p;
    const SquatDose d = s1();
    CHECK(variable_value(d, Variable::Reps) == 10);
    CHECK(variable_value(d, Variable::Depth) == 30);
    CHECK(variable_value(d, Variable::Hold) == 0);
    // Squats have no hold or % MVC: always at cap, never moved.
    CHECK(at_cap(d, Variable::Hold, caps, p));
    CHECK(at_cap(d, Variable::Intensity, caps, p));
    CHECK(next_variable(d, caps, p) == Variable::Reps);
    CHECK(step_down(d, Variable::Reps, caps, p).reps == 9);
    CHECK(step_down(d, Variable::Depth, caps, p).depth_deg == 25);
    SquatDose low = d;
    low.reps = 5;
    low.depth_deg = 15;
    CHECK(step_down(low, Variable::Reps, caps, p).reps == 5);
    CHECK(step_down(low, Variable::Depth, caps, p).depth_deg == 15);
    // The volume ladder within 3 x 10.
    SquatDose v = d;
    std::vector<int> totals;
    while (!at_cap(v, Variable::Reps, caps, p)) {
        v = step_up(v, Variable::Reps, caps, p);
        totals.push_back(v.sets * v.reps);
        REQUIRE(v.sets <= 3);
        REQUIRE(v.reps <= 10);
    }
    CHECK(v.sets == 3);
    CHECK(v.reps == 10);
    CHECK(next_variable(v, caps, p) == Variable::Depth);
}

TEST_CASE("property: random squat sessions never pass a cap and never progress on a non-green "
          "day") {
    qv::Rng rng(20260611);
    int progressions = 0;
    int depth_steps = 0;
    for (int run = 0; run < 2000; ++run) {
        const int cap_sets = 1 + static_cast<int>(rng.uniform() * 3);
        const int cap_reps = 5 + static_cast<int>(rng.uniform() * 11);
        const double depth_cap = 20 + std::floor(rng.uniform() * 80); // up to 99: above 90 too
        const SquatEngineConfig c = config(cap_sets, cap_reps, depth_cap);
        SquatDose start = s1();
        start.depth_cap_deg = rng.chance(0.5) ? 90 : 45;
        Runner r(c, start);
        const double limit = std::min({depth_cap, start.depth_cap_deg, kMaxSquatDepthDeg});
        int day = 0;
        for (int step = 0; step < 40; ++step) {
            day += 1 + static_cast<int>(rng.uniform() * 3);
            PainReport p;
            const bool calm = rng.chance(0.85);
            auto rating = [&](double calm_hi) {
                if (rng.chance(0.1))
                    return std::optional<double>();
                return std::optional<double>(
                    std::floor(calm ? rng.uniform(0, calm_hi) : rng.uniform(0, 9)));
            };
            const double usual = rng.uniform(0, 3);
            p.during = rating(4.2);
            p.after = rating(4.2);
            p.baseline = rng.chance(0.03) ? std::optional<double>() : usual;
            p.next_morning = rng.chance(0.1)
                                 ? std::optional<double>()
                                 : std::optional<double>(std::round(usual + rng.uniform(-1, 1.6)));
            p.trend_per_week = rng.chance(0.3) ? std::optional<double>()
                                               : std::optional<double>(rng.uniform(-1, 1.2));
            p.red_flag = rng.chance(0.01);
            r.play(day, p, rng.uniform(0.4, 1.0), rng.chance(0.9));
            const bool was_locked = r.loop.state().locked;
            const SquatDecision d = r.decide(day + 1);
            const SquatDose& dose = r.loop.dose();
            REQUIRE(dose.sets <= cap_sets);
            REQUIRE(dose.reps <= cap_reps);
            REQUIRE(dose.depth_deg <= limit + 1e-9);
            REQUIRE(dose.depth_deg <= dose.depth_cap_deg + 1e-9);
            REQUIRE(dose.depth_cap_deg <= kMaxSquatDepthDeg);
            REQUIRE(dose.down_s == start.down_s);
            REQUIRE(dose.up_s == start.up_s);
            REQUIRE(dose.tempo_tol_s == start.tempo_tol_s);
            if (d.action == Action::Progress) {
                ++progressions;
                REQUIRE_FALSE(was_locked);
                REQUIRE(d.inputs.lights.size() == 2);
                for (const auto& s : d.inputs.sessions)
                    REQUIRE(classify(s.pain, c.pain).light == Light::Green);
                int moved = 0;
                for (Variable v : {Variable::Reps, Variable::Depth})
                    moved += variable_value(d.dose_before, v) != variable_value(d.dose_after, v);
                REQUIRE(moved == 1);
                depth_steps += d.variable == Variable::Depth ? 1 : 0;
                if (d.variable == Variable::Depth)
                    REQUIRE(at_cap(d.dose_before, Variable::Reps, c.caps, c.progression));
            }
        }
    }
    CHECK(progressions > 100);
    CHECK(depth_steps > 20);
}

TEST_CASE("squat fatigue: late misses after a good start are excused") {
    std::vector<SquatRepScore> reps;
    for (int i = 0; i < 10; ++i) {
        SquatRepScore s;
        s.set_index = 3; // squat sets share the session's numbering with quad sets
        s.rep_index = i;
        s.success = i < 8;
        reps.push_back(s);
    }
    const auto sum = summarize_success(reps, 10, 0.8);
    CHECK(sum.excused == 2);
    CHECK(sum.share == 1.0);
}

TEST_CASE("quad sets: the band's lower edge never passes the plan's cap on it") {
    QuadSetDose d;
    d.sets = 3;
    d.reps = 10;
    d.hold_s = 10;
    d.band_low_pct = 30;
    d.band_high_pct = 40;
    PlanCaps caps;
    caps.max_sets = 3;
    caps.max_reps = 10;
    caps.max_hold_s = 10;
    caps.max_band_high_pct = 70;
    caps.max_band_low_pct = 35;
    const ProgressionParams p;
    QuadSetDose up = d;
    for (int i = 0; i < 20; ++i)
        up = step_up(up, Variable::Intensity, caps, p);
    CHECK(up.band_low_pct == Approx(35));
    CHECK(up.band_high_pct < 70);
    CHECK(at_cap(up, Variable::Intensity, caps, p));
    QuadSetDose above = d;
    above.band_low_pct = 40;
    above.band_high_pct = 50;
    CHECK(clamp_to_plan(above, caps).band_low_pct <= 35);
    SECTION("without the cap (0) the band climbs to the upper cap as before") {
        caps.max_band_low_pct = 0;
        QuadSetDose free = d;
        for (int i = 0; i < 20; ++i)
            free = step_up(free, Variable::Intensity, caps, p);
        CHECK(free.band_high_pct == Approx(70));
    }
}
