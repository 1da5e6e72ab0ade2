// The clinician side of the store on a real SQLite file: the PIN (argon2id, rate limit, reset),
// archiving and deleting profiles, and the clinician's plan fields with their validation.

#include "profiles/clinician_store.hpp"
#include "profiles/store.hpp"
#include "tests/profiles/helpers.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <sqlite3.h>
#include <string>

using namespace qv;
using namespace qv::profiles;
using qv::profiles::test::open_store;
using qv::profiles::test::ScratchDir;

namespace {

constexpr std::int64_t kT0 = 1'800'000'000; // a manual clock, Unix seconds

long long count(Store& store, const std::string& sql, std::int64_t id = 0) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(store.handle(), sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    if (sqlite3_bind_parameter_count(st) > 0) {
        sqlite3_bind_int64(st, 1, id);
    }
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const auto v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

// A profile with a bit of everything: calibration, session, set with reps and trace, pain,
// check-in, plan, red flags and a decision.
Profile populated(Store& store, const std::string& name) {
    auto p = store.create_profile(name, "owl", "Q2").value();
    CalibrationRecord cal;
    cal.profile_id = p.id;
    cal.source_driver = "keyboard";
    cal.mvc_n = 300;
    cal.attempts_n = {290, 300};
    const auto cal_id = store.add_calibration(cal).value();
    SessionRecord s;
    s.profile_id = p.id;
    s.started_at = now_iso8601();
    s.source.driver = "keyboard";
    s.calibration_id = cal_id;
    s.level_id = "Q2";
    const auto sid = store.begin_session(s).value();
    SetRecord set;
    set.session_id = sid;
    set.dose = {1, 2, 10, 10, 30, 20, 30};
    set.started_at = now_iso8601();
    set.ended_at = now_iso8601();
    QuadSetRepScore rep;
    rep.success = true;
    rep.time_in_band_s = 10;
    set.reps = {rep, rep};
    set.reps[1].rep_index = 1;
    set.trace.rate_hz = 100;
    set.trace.force_n = {1, 2, 3};
    const auto committed = store.commit_set(set);
    INFO((committed ? std::string() : committed.error().message));
    REQUIRE(committed.ok());
    PainEntry pain;
    pain.profile_id = p.id;
    pain.session_id = sid;
    pain.score = 2;
    pain.recorded_at = now_iso8601();
    REQUIRE(store.add_pain(pain).ok());
    REQUIRE(store.add_checkin({sid, "same"}).ok());
    REQUIRE(store.finish_session(sid, SessionStatus::Completed, 2, 4).ok());
    PlanRecord plan;
    plan.profile_id = p.id;
    plan.dose = {1, 10, 10, 10, 30, 20, 30};
    plan.cap_sets = 3;
    plan.cap_reps = 12;
    plan.cap_hold_s = 15;
    plan.cap_band_high_pct = 50;
    REQUIRE(store.save_plan(plan).ok());
    RedFlagCheck check;
    check.profile_id = p.id;
    check.session_id = sid;
    check.flags = {"swelling"};
    REQUIRE(store.add_red_flag_check(check).ok());
    DecisionRecord d;
    d.profile_id = p.id;
    d.session_id = sid;
    d.light = "green";
    d.action = "hold";
    d.reason_code = "not_enough_sessions";
    d.reason = "We need 2 sessions.";
    REQUIRE(store.add_decision(d).ok());
    return p;
}

PlanRecord valid_plan(std::int64_t profile_id) {
    PlanRecord p;
    p.profile_id = profile_id;
    p.dose = {3, 10, 10, 10, 45, 30, 40};
    p.cap_sets = 3;
    p.cap_reps = 12;
    p.cap_hold_s = 12;
    p.cap_band_high_pct = 50;
    return p;
}

} // namespace

SCENARIO("the clinician PIN is an argon2id hash under a rate limit", "[profiles][clinician]") {
    ScratchDir dir;
    auto store = open_store(dir.db());
    CHECK_FALSE(has_pin(*store));
    CHECK_FALSE(pin_skipped(*store));
    CHECK(verify_pin(*store, "", kT0).outcome == PinOutcome::Accepted); // nothing to check yet

    WHEN("a PIN that is not 4-8 digits is set") {
        for (const std::string bad : {"123", "123456789", "12a4", "", "12 34"}) {
            const auto r = set_pin(*store, bad);
            CHECK_FALSE(r.ok());
        }
        CHECK(set_pin(*store, "123").error().message.find("4 to 8 digits") != std::string::npos);
        CHECK(set_pin(*store, "12a4").error().message.find("only contain digits") !=
              std::string::npos);
        THEN("no PIN is stored") {
            CHECK_FALSE(has_pin(*store));
        }
    }

    GIVEN("the PIN 482913") {
        REQUIRE(set_pin(*store, "482913").ok());
        REQUIRE(has_pin(*store));
        const auto hash = setting(*store, "clinician.pin_hash").value();
        THEN("it is stored as an argon2id hash that does not contain the PIN") {
            CHECK(hash.rfind("$argon2id$", 0) == 0);
            CHECK(hash.find("482913") == std::string::npos);
            CHECK(count(*store, "SELECT count(*) FROM settings WHERE value LIKE '%482913%'") == 0);
        }
        THEN("the right PIN is accepted and a wrong one refused") {
            CHECK(verify_pin(*store, "482913", kT0).outcome == PinOutcome::Accepted);
            const auto wrong = verify_pin(*store, "000000", kT0);
            CHECK(wrong.outcome == PinOutcome::Wrong);
            CHECK(wrong.failures == 1);
            CHECK(wrong.wait_s == 0);
        }
        THEN("a malformed attempt is not counted as a failure") {
            const auto r = verify_pin(*store, "12", kT0);
            CHECK(r.outcome == PinOutcome::Invalid);
            CHECK(r.failures == 0);
        }
        WHEN("three wrong PINs are entered") {
            CHECK(verify_pin(*store, "111111", kT0).wait_s == 0);
            CHECK(verify_pin(*store, "222222", kT0).wait_s == 0);
            const auto third = verify_pin(*store, "333333", kT0);
            THEN("entry locks for 30 s, even for the right PIN, and the lock survives a restart") {
                CHECK(third.outcome == PinOutcome::Wrong);
                CHECK(third.wait_s == 30);
                const auto locked = verify_pin(*store, "482913", kT0 + 10);
                CHECK(locked.outcome == PinOutcome::Locked);
                CHECK(locked.wait_s == 20);
                store.reset();
                store = open_store(dir.db());
                CHECK(pin_wait_s(*store, kT0 + 10) == 20);
            }
            THEN("each further wrong PIN doubles the wait, up to 15 minutes") {
                auto t = kT0 + 30;
                std::vector<std::int64_t> waits;
                for (int i = 0; i < 7; ++i) {
                    const auto r = verify_pin(*store, "999999", t);
                    REQUIRE(r.outcome == PinOutcome::Wrong);
                    waits.push_back(r.wait_s);
                    t += r.wait_s;
                }
                CHECK(waits == std::vector<std::int64_t>{60, 120, 240, 480, 900, 900, 900});
                AND_THEN("the right PIN after the wait resets the count") {
                    CHECK(verify_pin(*store, "482913", t).outcome == PinOutcome::Accepted);
                    const auto again = verify_pin(*store, "999999", t);
                    CHECK(again.failures == 1);
                    CHECK(again.wait_s == 0);
                }
            }
            THEN("a clock set back does not lock for more than 15 minutes") {
                CHECK(pin_wait_s(*store, kT0 - 100'000) == 900);
            }
        }
    }
}

SCENARIO("a forgotten PIN is reset without losing data", "[profiles][clinician]") {
    ScratchDir dir;
    auto store = open_store(dir.db());
    const auto robin = populated(*store, "Robin");
    REQUIRE(set_pin(*store, "2468").ok());
    for (int i = 0; i < 4; ++i) {
        (void)verify_pin(*store, "1111", kT0);
    }
    REQUIRE(pin_wait_s(*store, kT0) > 0);
    const auto sessions = count(*store, "SELECT count(*) FROM sessions");
    const auto reps = count(*store, "SELECT count(*) FROM reps");
    store.reset();

    REQUIRE(reset_pin_in(dir.db()).ok());

    store = open_store(dir.db());
    CHECK_FALSE(has_pin(*store));
    CHECK_FALSE(pin_skipped(*store));
    CHECK(pin_wait_s(*store, kT0) == 0);
    CHECK(count(*store, "SELECT count(*) FROM sessions") == sessions);
    CHECK(count(*store, "SELECT count(*) FROM reps") == reps);
    CHECK(store->profile(robin.id).has_value());
    CHECK(store->plan(robin.id).has_value());
    REQUIRE(set_pin(*store, "1357").ok());
    CHECK(verify_pin(*store, "1357", kT0).outcome == PinOutcome::Accepted);
}

TEST_CASE("a home-only install skips the PIN until one is set", "[profiles][clinician]") {
    ScratchDir dir;
    auto store = open_store(dir.db());
    REQUIRE(skip_pin(*store).ok());
    CHECK(pin_skipped(*store));
    CHECK(verify_pin(*store, "", kT0).outcome == PinOutcome::Accepted);
    REQUIRE(set_pin(*store, "8642").ok());
    CHECK_FALSE(pin_skipped(*store));
    CHECK_FALSE(skip_pin(*store).ok());
    CHECK(verify_pin(*store, "", kT0).outcome == PinOutcome::Invalid);
}

TEST_CASE("settings round-trip", "[profiles][clinician]") {
    ScratchDir dir;
    auto store = open_store(dir.db());
    CHECK_FALSE(setting(*store, "kiosk.idle_s").has_value());
    REQUIRE(set_setting(*store, "kiosk.idle_s", "90").ok());
    REQUIRE(set_setting(*store, "kiosk.idle_s", "120").ok());
    CHECK(setting(*store, "kiosk.idle_s") == "120");
    REQUIRE(erase_setting(*store, "kiosk.idle_s").ok());
    CHECK_FALSE(setting(*store, "kiosk.idle_s").has_value());
    CHECK_FALSE(set_setting(*store, "", "x").ok());
}

TEST_CASE("a profile is renamed, given an avatar, archived and restored with its data",
          "[profiles][clinician]") {
    ScratchDir dir;
    auto store = open_store(dir.db());
    const auto robin = populated(*store, "Robin");
    const auto sam = store->create_profile("Sam", "fox", "Q2").value();

    REQUIRE(rename_profile(*store, robin.id, "  Robin B.  ").ok());
    CHECK(store->profile(robin.id)->name == "Robin B.");
    CHECK_FALSE(rename_profile(*store, robin.id, "   ").ok());
    CHECK_FALSE(rename_profile(*store, robin.id, std::string(41, 'x')).ok());
    CHECK_FALSE(rename_profile(*store, 9999, "Nobody").ok());
    REQUIRE(set_avatar(*store, robin.id, "bear").ok());
    CHECK(store->profile(robin.id)->avatar == "bear");

    REQUIRE(archive_profile(*store, robin.id).ok());
    CHECK(is_archived(*store, robin.id));
    const auto listed = store->profiles();
    REQUIRE(listed.size() == 1);
    CHECK(listed.front().id == sam.id);
    const auto archived = archived_profiles(*store);
    REQUIRE(archived.size() == 1);
    CHECK(archived.front().id == robin.id);
    CHECK(count(*store, "SELECT count(*) FROM sessions WHERE profile_id = ?1", robin.id) == 1);
    CHECK(store->recent_sessions(robin.id, 10).size() == 1);

    REQUIRE(unarchive_profile(*store, robin.id).ok());
    CHECK(store->profiles().size() == 2);
    CHECK(archived_profiles(*store).empty());
}

TEST_CASE("deleting a profile removes every row of it and nothing of the others",
          "[profiles][clinician]") {
    ScratchDir dir;
    auto store = open_store(dir.db());
    const auto robin = populated(*store, "Robin");
    const auto sam = populated(*store, "Sam");
    const char* tables[] = {"calibrations",    "sessions",     "sets",     "reps",
                            "traces",          "pain_entries", "checkins", "plans",
                            "red_flag_checks", "red_flags",    "decisions"};
    std::map<std::string, long long> before;
    for (const char* t : tables) {
        before[t] = count(*store, std::string("SELECT count(*) FROM ") + t);
        INFO(t);
        CHECK(before[t] >= 2);
    }

    const auto removed = delete_profile(*store, robin.id);
    REQUIRE(removed.ok());
    CHECK(removed.value() == 1);
    CHECK_FALSE(store->profile(robin.id).has_value());
    for (const char* t : tables) {
        INFO(t);
        CHECK(count(*store, std::string("SELECT count(*) FROM ") + t) == before[t] / 2);
    }
    CHECK(count(*store, "SELECT count(*) FROM sessions WHERE profile_id = ?1", robin.id) == 0);
    CHECK(count(*store, "SELECT count(*) FROM sessions WHERE profile_id = ?1", sam.id) == 1);
    CHECK(store->plan(sam.id).has_value());
    CHECK(store->integrity_check().ok());
    CHECK_FALSE(delete_profile(*store, robin.id).ok());
}

TEST_CASE("a plan keeps the clinician's protocol, exercises and pain thresholds",
          "[profiles][clinician]") {
    ScratchDir dir;
    auto store = open_store(dir.db());
    const auto p = store->create_profile("Robin", "owl", "Q2").value();
    auto plan = valid_plan(p.id);
    plan.condition = "acl_reconstruction";
    plan.side = "left";
    plan.surgery_date = "2024-02-29";
    plan.quad_enabled = true;
    plan.squat_enabled = false;
    plan.band_low_cap_pct = 35;
    plan.progression_enabled = false;
    plan.thresholds.during_amber_at = 3;
    plan.thresholds.stop_set_at = 5;
    plan.thresholds.stop_session_at = 7;
    plan.thresholds.morning_amber_excess = 1.5;
    plan.thresholds.morning_red_excess = 2.5;
    plan.thresholds.trend_red_at = 1.5;
    REQUIRE(store->save_plan(plan).ok());

    const auto got = store->plan(p.id).value();
    CHECK(got.condition == "acl_reconstruction");
    CHECK(got.side == "left");
    CHECK(got.surgery_date == "2024-02-29");
    CHECK(got.quad_enabled);
    CHECK_FALSE(got.squat_enabled);
    CHECK(got.band_low_cap_pct == 35.0);
    CHECK_FALSE(got.progression_enabled);
    CHECK(got.thresholds == plan.thresholds);
    CHECK(got.dose.sets == 3);

    SECTION("thresholds not set stay unset (the tuning defaults apply)") {
        plan.thresholds = {};
        plan.thresholds.stop_set_at = 7;
        REQUIRE(store->save_plan(plan).ok());
        const auto t = store->plan(p.id)->thresholds;
        CHECK(t.stop_set_at == 7);
        CHECK_FALSE(t.during_amber_at.has_value());
        CHECK_FALSE(t.trend_red_at.has_value());
    }
    SECTION("a plan written before these fields reads with their defaults") {
        REQUIRE(sqlite3_exec(store->handle(),
                             "UPDATE plans SET condition = '', side = '', surgery_date = '', "
                             "quad_enabled = 1, squat_enabled = 1, band_low_cap_pct = 0, "
                             "thresholds_json = '{}'",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
        const auto old = store->plan(p.id).value();
        CHECK(old.condition.empty());
        CHECK(old.squat_enabled);
        CHECK(old.thresholds == PainThresholds{});
    }
}

TEST_CASE("validate_plan refuses each invalid plan with a clear message", "[profiles][clinician]") {
    struct Case {
        const char* what;
        void (*change)(PlanRecord&);
        const char* message;
    };
    const Case cases[] = {
        {"cap on hold below the hold", [](PlanRecord& p) { p.cap_hold_s = 8; },
         "The cap on hold time (8 s) is below the current hold (10 s)"},
        {"cap on sets below the sets", [](PlanRecord& p) { p.cap_sets = 2; },
         "The cap on sets (2) is below the current sets (3)"},
        {"cap on reps below the reps", [](PlanRecord& p) { p.cap_reps = 9; },
         "The cap on reps (9) is below the current reps (10)"},
        {"cap on % MVC below the band", [](PlanRecord& p) { p.cap_band_high_pct = 35; },
         "The cap on % MVC (35 %) is below the current upper % MVC (40 %)"},
        {"cap on the lower edge below it", [](PlanRecord& p) { p.band_low_cap_pct = 25; },
         "The cap on the lower % MVC edge (25 %) is below the current lower % MVC (30 %)"},
        {"cap on % MVC above 100", [](PlanRecord& p) { p.cap_band_high_pct = 120; },
         "must be at most 100 %"},
        {"no sets", [](PlanRecord& p) { p.dose.sets = 0; }, "Sets must be at least 1 (now 0)"},
        {"no reps", [](PlanRecord& p) { p.dose.reps = 0; }, "Reps must be at least 1 (now 0)"},
        {"no hold", [](PlanRecord& p) { p.dose.hold_s = 0; }, "hold time must be more than 0 s"},
        {"negative rest", [](PlanRecord& p) { p.dose.rest_s = -1; },
         "Rest times must not be negative"},
        {"empty band", [](PlanRecord& p) { p.dose.band_low_pct = 40; },
         "% MVC range must run from low to high within 0-100 % (now 40 % to 40 %)"},
        {"unknown condition", [](PlanRecord& p) { p.condition = "flu"; },
         "The condition \"flu\" is not one of"},
        {"unknown side", [](PlanRecord& p) { p.side = "both"; },
         "The side \"both\" must be left or right"},
        {"no exercise", [](PlanRecord& p) { p.quad_enabled = p.squat_enabled = false; },
         "At least one exercise"},
        {"malformed date", [](PlanRecord& p) { p.surgery_date = "2024-2-3"; },
         "The surgery date \"2024-2-3\" is not a real date (YYYY-MM-DD)"},
        {"impossible date", [](PlanRecord& p) { p.surgery_date = "2023-02-29"; },
         "The surgery date \"2023-02-29\" is not a real date"},
        {"future date", [](PlanRecord& p) { p.surgery_date = "2999-01-01"; },
         "The surgery date 2999-01-01 is in the future"},
        {"threshold out of range", [](PlanRecord& p) { p.thresholds.stop_set_at = 11; },
         "\"stop the set at\" (11) must be between 1 and 10"},
        {"amber at the set stop",
         [](PlanRecord& p) {
             p.thresholds.during_amber_at = 6;
             p.thresholds.stop_set_at = 6;
         },
         "amber during (from 6) must be below the set stop (at 6)"},
        {"set stop above session stop",
         [](PlanRecord& p) {
             p.thresholds.stop_set_at = 8;
             p.thresholds.stop_session_at = 7;
         },
         "the set stop (at 8) must not be above the session stop (at 7)"},
        {"morning amber above red",
         [](PlanRecord& p) {
             p.thresholds.morning_amber_excess = 2;
             p.thresholds.morning_red_excess = 2;
         },
         "next morning amber (+2) must be below next morning red (+2)"},
    };
    ScratchDir dir;
    auto store = open_store(dir.db());
    const auto p = store->create_profile("Robin", "owl", "Q2").value();
    REQUIRE(validate_plan(valid_plan(p.id)).ok());
    REQUIRE(store->save_plan(valid_plan(p.id)).ok());
    for (const auto& c : cases) {
        INFO(c.what);
        auto plan = valid_plan(p.id);
        c.change(plan);
        const auto v = validate_plan(plan);
        REQUIRE_FALSE(v.ok());
        CHECK(v.error().message.find(c.message) != std::string::npos);
        INFO(v.error().message);
        const auto saved = store->save_plan(plan);
        REQUIRE_FALSE(saved.ok());
        CHECK(saved.error().message == v.error().message);
    }
    CHECK(store->plan(p.id)->dose.hold_s == 10.0); // never overwritten by a refused plan

    SECTION("defaults stand in for thresholds that are not set") {
        PainThresholds defaults;
        defaults.stop_set_at = 6;
        auto plan = valid_plan(p.id);
        plan.thresholds.during_amber_at = 7;
        CHECK(validate_plan(plan).ok());
        CHECK_FALSE(validate_plan(plan, defaults).ok());
    }
}
