#include "tests/profiles/helpers.hpp"

#include <sqlite3.h>

using namespace qv::profiles;
using namespace qv::profiles::test;

namespace {
struct Fixture {
    ScratchDir dir;
    std::unique_ptr<Store> store = open_store(dir.db());
    Profile kid = store->create_profile("Sam", "frog", "Q1").value();

    PlanRecord plan() const {
        PlanRecord p;
        p.profile_id = kid.id;
        p.dose = qv::QuadSetDose{1, 10, 10.0, 10.0, 0.0, 20.0, 30.0};
        p.cap_sets = 3;
        p.cap_reps = 12;
        p.cap_hold_s = 15;
        p.cap_band_high_pct = 50;
        return p;
    }
    void exec(const std::string& sql) {
        REQUIRE(sqlite3_exec(store->handle(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    }
};
} // namespace

TEST_CASE("a profile is an adult's until marked as a child's", "[profiles][adaptation]") {
    Fixture f;
    CHECK_FALSE(f.kid.child);
    REQUIRE(f.store->set_child(f.kid.id, true).ok());
    CHECK(f.store->profile(f.kid.id)->child);
    CHECK_FALSE(f.store->set_child(9999, true).ok());
}

TEST_CASE("a plan round-trips and a dose past its caps is refused", "[profiles][adaptation]") {
    Fixture f;
    CHECK_FALSE(f.store->plan(f.kid.id).has_value());
    auto p = f.plan();
    REQUIRE(f.store->save_plan(p).ok());
    auto got = f.store->plan(f.kid.id);
    REQUIRE(got.has_value());
    CHECK(got->dose.reps == 10);
    CHECK(got->dose.band_high_pct == 30.0);
    CHECK(got->cap_hold_s == 15.0);
    CHECK(got->progression_enabled);
    CHECK_FALSE(got->locked);

    CHECK(got->engine_state_json == "{}");
    p.locked = true;
    p.dose.hold_s = 12;
    p.engine_state_json = R"({"red_days":[3]})";
    REQUIRE(f.store->save_plan(p).ok()); // replaces
    CHECK(f.store->plan(f.kid.id)->locked);
    CHECK(f.store->plan(f.kid.id)->dose.hold_s == 12.0);
    CHECK(f.store->plan(f.kid.id)->engine_state_json == R"({"red_days":[3]})");

    auto over = f.plan();
    over.dose.hold_s = 20; // cap 15
    const auto refused = f.store->save_plan(over);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("cap of 15") != std::string::npos);
    CHECK(f.store->plan(f.kid.id)->dose.hold_s == 12.0); // unchanged
    over = f.plan();
    over.dose.band_high_pct = 60;
    CHECK_FALSE(f.store->save_plan(over).ok());
}

TEST_CASE("red-flag checks keep every yes and know whether today was asked",
          "[profiles][adaptation]") {
    Fixture f;
    CHECK_FALSE(f.store->red_flags_checked_today(f.kid.id));
    RedFlagCheck none;
    none.profile_id = f.kid.id;
    REQUIRE(f.store->add_red_flag_check(none).ok());
    CHECK(f.store->red_flags_checked_today(f.kid.id));

    RedFlagCheck two;
    two.profile_id = f.kid.id;
    two.flags = {"swelling", "calf"};
    REQUIRE(f.store->add_red_flag_check(two).ok());
    const auto checks = f.store->red_flag_checks(f.kid.id);
    REQUIRE(checks.size() == 2);
    CHECK(checks[0].flags == std::vector<std::string>{"swelling", "calf"}); // newest first
    CHECK(checks[1].flags.empty());

    // A check from yesterday does not count for today.
    f.exec("UPDATE red_flag_checks SET checked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', "
           "'-1 day')");
    CHECK_FALSE(f.store->red_flags_checked_today(f.kid.id));

    RedFlagCheck bad;
    bad.profile_id = f.kid.id;
    bad.moment = "whenever";
    CHECK_FALSE(f.store->add_red_flag_check(bad).ok());
}

TEST_CASE("decisions keep their inputs and reasons, newest first", "[profiles][adaptation]") {
    Fixture f;
    DecisionRecord d;
    d.profile_id = f.kid.id;
    d.light = "green";
    d.action = "progress";
    d.variable = "hold_s";
    d.from_value = 8.0;
    d.to_value = 10.0;
    d.reason_code = "calm_two_sessions";
    d.reason = "Your knee stayed calm two sessions in a row, so holds go from 8 s to 10 s.";
    d.inputs_json = R"({"pain_during":2,"next_morning":1})";
    REQUIRE(f.store->add_decision(d).ok());
    DecisionRecord hold;
    hold.profile_id = f.kid.id;
    hold.light = "amber";
    hold.action = "hold";
    hold.reason_code = "amber_hold";
    hold.reason = "Your knee was a bit sore, so the plan stays the same.";
    REQUIRE(f.store->add_decision(hold).ok());
    const auto got = f.store->decisions(f.kid.id, 10);
    REQUIRE(got.size() == 2);
    CHECK(got[0].action == "hold");
    CHECK_FALSE(got[0].from_value.has_value());
    CHECK(got[1].to_value == 10.0);
    CHECK(got[1].inputs_json == d.inputs_json);
    d.inputs_json = "{not json";
    CHECK_FALSE(f.store->add_decision(d).ok());
}

TEST_CASE("the next-morning question waits for a session on an earlier day",
          "[profiles][adaptation]") {
    Fixture f;
    CHECK_FALSE(f.store->session_awaiting_next_morning(f.kid.id).has_value());
    auto rec = make_session(f.kid.id);
    const auto id = f.store->begin_session(rec).value();
    REQUIRE(f.store->finish_session(id, SessionStatus::Completed, 2, 3).ok());
    CHECK_FALSE(f.store->session_awaiting_next_morning(f.kid.id).has_value()); // today

    f.exec("UPDATE sessions SET started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day'), "
           "ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day')");
    auto waiting = f.store->session_awaiting_next_morning(f.kid.id);
    REQUIRE(waiting.has_value());
    CHECK(waiting->id == id);

    PainEntry morning;
    morning.profile_id = f.kid.id;
    morning.session_id = id;
    morning.moment = PainMoment::NextMorning;
    morning.score = 1;
    REQUIRE(f.store->add_pain(morning).ok());
    CHECK_FALSE(f.store->session_awaiting_next_morning(f.kid.id).has_value()); // answered
}
