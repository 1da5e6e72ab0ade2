// Squat sets and squat plans in a real SQLite file.

#include "profiles/squat_store.hpp"
#include "tests/profiles/helpers.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>
#include <string>

using namespace qv;
using namespace qv::profiles;
using namespace qv::profiles::test;

namespace {

SquatDose s2() {
    SquatDose d;
    d.sets = 2;
    d.reps = 10;
    d.depth_deg = 45;
    d.down_s = 3;
    d.pause_s = 0;
    d.up_s = 2;
    d.rest_s = 2;
    d.set_rest_s = 45;
    d.tempo_tol_s = 0.75;
    d.corridor = 6;
    d.depth_cap_deg = 45;
    return d;
}

SquatSetRecord squat_set(std::int64_t session_id, int set_index, SquatMode mode, int reps = 10) {
    SquatSetRecord s;
    s.session_id = session_id;
    s.set_index = set_index;
    s.mode = mode;
    s.dose = s2();
    s.body_weight_n = mode == SquatMode::KneeAngle ? 0 : 742.5;
    s.game = "canyon";
    s.quality_json = R"({"gaps":1})";
    s.started_at = "2026-11-24T11:40:00.000Z";
    s.ended_at = "2026-11-24T11:41:12.250Z";
    for (int i = 0; i < reps; ++i) {
        SquatRepScore r;
        r.set_index = set_index;
        r.rep_index = i;
        r.time_in_corridor_s = 3.25 + 0.01 * i;
        r.duration_s = 4.5 + 0.02 * i;
        r.rmse = 1.75 + 0.1 * i;
        r.down_s = 2.9;
        r.pause_s = 0.6;
        r.up_s = 1.1 + 0.01 * i;
        r.tempo_ok = i % 2 == 0;
        r.depth_reached = 43.5 + 0.1 * i;
        r.violations = i == 3 ? 1 : 0;
        r.success = i % 3 != 0;
        s.reps.push_back(r);
    }
    s.trace.rate_hz = 100;
    s.trace.t0_us = 987'654'321;
    for (int i = 0; i < 500; ++i)
        s.trace.values.push_back(static_cast<float>(i) / 7.0f);
    return s;
}

std::string text_of(Store& store, const std::string& sql, std::int64_t id) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(store.handle(), sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr)
        out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

} // namespace

SCENARIO("a squat set is stored and read back whole", "[profiles][squat]") {
    ScratchDir dir;
    auto store = open_store(dir.db());
    auto profile = store->create_profile("Ana", "fox", "Q2");
    REQUIRE(profile.ok());
    auto session = store->begin_session(make_session(profile->id));
    REQUIRE(session.ok());
    const SquatMode mode =
        GENERATE(SquatMode::KneeAngle, SquatMode::LoadShare, SquatMode::SitToStand);
    CAPTURE(squat_mode_name(mode));
    WHEN("a session stores a quad set, then a squat set numbered after it") {
        REQUIRE(store->commit_set(make_set(*session, 0)).ok());
        const SquatSetRecord in = squat_set(*session, 1, mode);
        auto id = commit_squat_set(*store, in);
        INFO((id ? std::string() : id.error().message));
        REQUIRE(id.ok());
        THEN("every field comes back, the trace in its unit") {
            const auto sets = squat_sets_of(*store, *session, true);
            REQUIRE(sets.size() == 1);
            const SquatSetRecord& out = sets[0];
            CHECK(out.id == *id);
            CHECK(out.set_index == 1);
            CHECK(out.mode == mode);
            CHECK(out.dose.sets == 2);
            CHECK(out.dose.reps == 10);
            CHECK(out.dose.depth_deg == 45);
            CHECK(out.dose.depth_cap_deg == 45);
            CHECK(out.dose.down_s == 3);
            CHECK(out.dose.pause_s == 0);
            CHECK(out.dose.up_s == 2);
            CHECK(out.dose.rest_s == 2);
            CHECK(out.dose.set_rest_s == 45);
            CHECK(out.dose.tempo_tol_s == 0.75);
            CHECK(out.dose.corridor == 6);
            CHECK(out.body_weight_n == in.body_weight_n);
            CHECK(out.game == "canyon");
            CHECK(out.quality_json == R"({"gaps":1})");
            CHECK(out.started_at == in.started_at);
            CHECK(out.ended_at == in.ended_at);
            REQUIRE(out.reps.size() == 10);
            for (std::size_t i = 0; i < 10; ++i) {
                const SquatRepScore& a = in.reps[i];
                const SquatRepScore& b = out.reps[i];
                CHECK(b.set_index == 1);
                CHECK(b.rep_index == a.rep_index);
                CHECK(b.time_in_corridor_s == a.time_in_corridor_s);
                CHECK(b.duration_s == a.duration_s);
                CHECK(b.rmse == a.rmse);
                CHECK(b.down_s == a.down_s);
                CHECK(b.pause_s == a.pause_s);
                CHECK(b.up_s == a.up_s);
                CHECK(b.tempo_ok == a.tempo_ok);
                CHECK(b.depth_reached == a.depth_reached);
                CHECK(b.violations == a.violations);
                CHECK(b.success == a.success);
            }
            CHECK(out.trace.rate_hz == 100);
            CHECK(out.trace.t0_us == 987'654'321);
            CHECK(out.trace.values == in.trace.values);
            CHECK(text_of(*store, "SELECT unit FROM traces WHERE set_id = ?1", *id) ==
                  (mode == SquatMode::KneeAngle ? "deg" : "pct_bw"));
            CHECK(text_of(*store, "SELECT exercise FROM sets WHERE id = ?1", *id) == "squat");
            CHECK(text_of(*store, "SELECT dose_band_high_pct FROM sets WHERE id = ?1", *id) ==
                  "0.0");
        }
        THEN("the quad-set reader still reads the session: the squat set has no quad-set reps") {
            const auto sets = store->sets_of(*session);
            REQUIRE(sets.size() == 2);
            CHECK(sets[0].exercise == "quad_set");
            CHECK(sets[0].reps.size() == 10);
            CHECK(sets[1].exercise == "squat");
            CHECK(sets[1].reps.empty());
        }
        THEN("without traces the samples are left out but the rate is there") {
            const auto sets = squat_sets_of(*store, *session, false);
            REQUIRE(sets.size() == 1);
            CHECK(sets[0].trace.values.empty());
            CHECK(sets[0].trace.rate_hz == 100);
        }
    }
}

TEST_CASE("a bad squat set is refused whole, with a message naming the problem",
          "[profiles][squat]") {
    ScratchDir dir;
    auto store = open_store(dir.db());
    auto profile = store->create_profile("Ben", "owl", "Q2");
    auto session = store->begin_session(make_session(profile->id));
    REQUIRE(session.ok());
    const auto refused = [&](const SquatSetRecord& set, const std::string& part) {
        auto id = commit_squat_set(*store, set);
        REQUIRE_FALSE(id.ok());
        INFO(id.error().message);
        CHECK(id.error().message.find(part) != std::string::npos);
        CHECK(squat_sets_of(*store, *session).empty());
        CHECK(store->sets_of(*session).empty());
    };
    SquatSetRecord set = squat_set(*session, 0, SquatMode::KneeAngle);
    SECTION("a rep listed twice") {
        set.reps[4].rep_index = 3;
        refused(set, "appears twice");
    }
    SECTION("a negative RMSE") {
        set.reps[2].rmse = -1;
        refused(set, "rmse");
    }
    SECTION("no down phase") {
        set.dose.down_s = 0;
        refused(set, "down_s");
    }
    SECTION("a force-pad set without body weight") {
        set.mode = SquatMode::LoadShare;
        set.body_weight_n = 0;
        refused(set, "body weight");
    }
    SECTION("quality that is not JSON (SQLite's CHECK; the transaction rolls back)") {
        set.quality_json = "{not json";
        refused(set, "CHECK");
    }
    SECTION("a session that does not exist") {
        set.session_id = *session + 100;
        auto id = commit_squat_set(*store, set);
        CHECK_FALSE(id.ok());
    }
    SECTION("a set index already taken in the session") {
        REQUIRE(store->commit_set(make_set(*session, 0)).ok());
        auto id = commit_squat_set(*store, set);
        REQUIRE_FALSE(id.ok());
        CHECK(id.error().message.find("already has a set with this index") != std::string::npos);
        CHECK(squat_sets_of(*store, *session).empty());
    }
}

TEST_CASE("a squat plan is saved within its caps and refused past them", "[profiles][squat]") {
    ScratchDir dir;
    auto store = open_store(dir.db());
    auto profile = store->create_profile("Cy", "cat", "Q2");
    REQUIRE(profile.ok());
    CHECK_FALSE(squat_plan(*store, profile->id).has_value());

    SquatPlanRecord plan;
    plan.profile_id = profile->id;
    plan.level_id = "S2";
    plan.dose = s2();
    plan.cap_sets = 3;
    plan.cap_reps = 12;
    plan.engine_state_json = R"({"corridor":5.5})";
    auto saved = save_squat_plan(*store, plan);
    INFO((saved ? std::string() : saved.error().message));
    REQUIRE(saved.ok());
    auto back = squat_plan(*store, profile->id);
    REQUIRE(back.has_value());
    CHECK(back->level_id == "S2");
    CHECK(back->dose.sets == 2);
    CHECK(back->dose.reps == 10);
    CHECK(back->dose.depth_deg == 45);
    CHECK(back->dose.depth_cap_deg == 45);
    CHECK(back->dose.down_s == 3);
    CHECK(back->dose.up_s == 2);
    CHECK(back->dose.tempo_tol_s == 0.75);
    CHECK(back->cap_sets == 3);
    CHECK(back->cap_reps == 12);
    CHECK(back->engine_state_json == R"({"corridor":5.5})");
    CHECK_FALSE(back->updated_at.empty());

    struct Case {
        const char* what;
        void (*change)(SquatPlanRecord&);
        const char* message;
    };
    const Case c =
        GENERATE(Case{"depth past the cap", [](SquatPlanRecord& p) { p.dose.depth_deg = 50; },
                      "depth_deg (50 degrees) is above its depth_cap_deg (45 degrees)"},
                 Case{"a cap past 90 degrees",
                      [](SquatPlanRecord& p) {
                          p.dose.depth_cap_deg = 100;
                          p.dose.depth_deg = 95;
                      },
                      "depth_cap_deg (100 degrees) is above the limit of 90 degrees"},
                 Case{"sets past the cap", [](SquatPlanRecord& p) { p.dose.sets = 4; },
                      "sets (4) are above its cap_sets (3)"},
                 Case{"reps past the cap", [](SquatPlanRecord& p) { p.dose.reps = 15; },
                      "reps (15) are above its cap_reps (12)"},
                 Case{"no tempo tolerance", [](SquatPlanRecord& p) { p.dose.tempo_tol_s = 0; },
                      "tempo_tol_s must be above 0"});
    CAPTURE(c.what);
    SquatPlanRecord bad = plan;
    c.change(bad);
    auto refused = save_squat_plan(*store, bad);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find(c.message) != std::string::npos);
    // the stored plan is untouched
    CHECK(squat_plan(*store, profile->id)->dose.depth_deg == 45);
}
