// Round trips of every record, validation, foreign keys, atomic set commits and the history
// query.

#include "tests/profiles/helpers.hpp"

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <regex>
#include <sqlite3.h>

using namespace qv;
using namespace qv::profiles;
using qv::profiles::test::make_session;
using qv::profiles::test::make_set;
using qv::profiles::test::open_store;
using qv::profiles::test::ScratchDir;

namespace {

std::int64_t count(Store& store, const std::string& table) {
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "SELECT count(*) FROM " + table; // test-only, fixed table names
    REQUIRE(sqlite3_prepare_v2(store.handle(), sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    const std::int64_t n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
}

std::int64_t rows_everywhere(Store& store) {
    std::int64_t n = 0;
    for (const char* t : {"profiles", "calibrations", "sessions", "sets", "reps", "traces",
                          "pain_entries", "checkins"}) {
        n += count(store, t);
    }
    return n;
}

// Runs SQL on the store's own connection; returns SQLite's message, empty on success.
std::string exec(Store& store, const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(store.handle(), sql.c_str(), nullptr, nullptr, &err);
    std::string message = rc == SQLITE_OK ? "" : (err != nullptr ? err : "error");
    sqlite3_free(err);
    return message;
}

// Counts the statements a connection runs.
int statements_run(Store& store, const std::function<void()>& work) {
    int n = 0;
    sqlite3_trace_v2(
        store.handle(), SQLITE_TRACE_STMT,
        [](unsigned, void* ctx, void*, void*) -> int {
            ++*static_cast<int*>(ctx);
            return 0;
        },
        &n);
    work();
    sqlite3_trace_v2(store.handle(), 0, nullptr, nullptr);
    return n;
}

void check_same(const QuadSetRepScore& a, const QuadSetRepScore& b) {
    CHECK(a.set_index == b.set_index);
    CHECK(a.rep_index == b.rep_index);
    CHECK(a.target_low_pct == b.target_low_pct);
    CHECK(a.target_high_pct == b.target_high_pct);
    CHECK(a.hold_s == b.hold_s);
    CHECK(a.time_in_band_s == b.time_in_band_s);
    CHECK(a.duration_s == b.duration_s);
    CHECK(a.steadiness_cv == b.steadiness_cv);
    CHECK(a.mean_pct == b.mean_pct);
    CHECK(a.peak_pct == b.peak_pct);
    CHECK(a.peak_n == b.peak_n);
    CHECK(a.success == b.success);
}

struct Fixture {
    ScratchDir dir;
    std::unique_ptr<Store> store = open_store(dir.db());
    Profile ada = store->create_profile("Ada", "fox", "Q2").value();
    std::int64_t session = store->begin_session(make_session(ada.id)).value();
};

} // namespace

TEST_CASE("now_iso8601 is UTC with milliseconds", "[profiles][store]") {
    const std::string now = now_iso8601();
    CHECK(std::regex_match(now, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
    CHECK(now.substr(0, 2) == "20");
}

TEST_CASE("profiles round-trip and list in creation order", "[profiles][store]") {
    ScratchDir dir;
    auto store = open_store(dir.db());
    const auto ada = store->create_profile("  Ada Lovelace\t", "fox", "Q1");
    REQUIRE(ada.ok());
    CHECK(ada->name == "Ada Lovelace"); // trimmed
    CHECK(ada->id > 0);
    const auto bo = store->create_profile("Bø 🦊", "owl", "Q3");
    REQUIRE(bo.ok());

    const auto all = store->profiles();
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == ada->id);
    CHECK(all[0].name == "Ada Lovelace");
    CHECK(all[0].avatar == "fox");
    CHECK(all[0].level_id == "Q1");
    CHECK(all[0].created_at == ada->created_at);
    CHECK(all[1].name == "Bø 🦊");

    REQUIRE(store->set_level(bo->id, "Q4").ok());
    CHECK(store->profile(bo->id)->level_id == "Q4");
    CHECK_FALSE(store->profile(9999).has_value());
}

TEST_CASE("calibrations round-trip and the newest per driver is found", "[profiles][store]") {
    Fixture f;
    CalibrationRecord cal;
    cal.profile_id = f.ada.id;
    cal.created_at = "2026-11-20T08:00:00.000Z";
    cal.source_driver = "open-sensor";
    cal.zero_n = -1.25;
    cal.mvc_n = 312.4;
    cal.attempts_n = {300.1, 312.4, 0.1 + 0.2, 1e-300, -0.0};
    const auto old_id = f.store->add_calibration(cal);
    REQUIRE(old_id.ok());
    cal.created_at = "2026-11-24T08:00:00.000Z";
    cal.mvc_n = 330.0;
    const auto new_id = f.store->add_calibration(cal);
    REQUIRE(new_id.ok());
    CalibrationRecord keyboard = cal;
    keyboard.source_driver = "keyboard";
    keyboard.created_at = "2026-11-25T08:00:00.000Z";
    keyboard.attempts_n.clear();
    REQUIRE(f.store->add_calibration(keyboard).ok());

    const auto latest = f.store->latest_calibration(f.ada.id, "open-sensor");
    REQUIRE(latest.has_value());
    CHECK(latest->id == new_id.value());
    CHECK(latest->profile_id == f.ada.id);
    CHECK(latest->created_at == "2026-11-24T08:00:00.000Z");
    CHECK(latest->source_driver == "open-sensor");
    CHECK(latest->zero_n == -1.25);
    CHECK(latest->mvc_n == 330.0);
    CHECK(latest->attempts_n == cal.attempts_n); // exact, including 0.30000000000000004
    CHECK(std::signbit(latest->attempts_n[4]));
    CHECK(f.store->latest_calibration(f.ada.id, "keyboard")->attempts_n.empty());
    CHECK_FALSE(f.store->latest_calibration(f.ada.id, "gamepad").has_value());
}

TEST_CASE("sessions round-trip from begin to finish", "[profiles][store]") {
    Fixture f;
    CalibrationRecord cal;
    cal.profile_id = f.ada.id;
    cal.source_driver = "open-sensor";
    cal.mvc_n = 300;
    const auto cal_id = f.store->add_calibration(cal).value();

    auto rec = make_session(f.ada.id, "2026-11-24T11:00:00.000Z");
    rec.calibration_id = cal_id;
    rec.status = SessionStatus::Completed; // ignored: a new session is in progress
    const auto id = f.store->begin_session(rec);
    REQUIRE(id.ok());
    auto got = f.store->session(id.value());
    REQUIRE(got.has_value());
    CHECK(got->profile_id == f.ada.id);
    CHECK(got->started_at == "2026-11-24T11:00:00.000Z");
    CHECK(got->ended_at.empty());
    CHECK(got->source.driver == "open-sensor");
    CHECK(got->source.model == "OS-1");
    CHECK(got->source.serial == "SN0042");
    CHECK(got->source.firmware == "1.2.3");
    CHECK(got->source.is_measurement);
    CHECK(got->calibration_id == cal_id);
    CHECK(got->level_id == "Q2");
    CHECK(got->status == SessionStatus::InProgress);
    CHECK(got->effort_rating == -1);

    REQUIRE(f.store->finish_session(id.value(), SessionStatus::StoppedPain, 2, 7).ok());
    got = f.store->session(id.value());
    CHECK(got->status == SessionStatus::StoppedPain);
    CHECK(got->stars == 2);
    CHECK(got->effort_rating == 7);
    CHECK(got->ended_at.size() == 24);

    // The keyboard is not a measurement, and a session without calibration stores none.
    auto kb = make_session(f.ada.id);
    kb.source = SourceIdentity{"keyboard", "", "", "", false};
    const auto kb_id = f.store->begin_session(kb).value();
    CHECK_FALSE(f.store->session(kb_id)->source.is_measurement);
    CHECK(f.store->session(kb_id)->calibration_id == 0);
    REQUIRE(f.store->finish_session(kb_id, SessionStatus::Aborted, 0, -1).ok());
    CHECK(f.store->session(kb_id)->effort_rating == -1);
}

TEST_CASE("session status names round-trip", "[profiles][store]") {
    for (auto s : {SessionStatus::InProgress, SessionStatus::Completed, SessionStatus::StoppedPain,
                   SessionStatus::StoppedRedFlag, SessionStatus::Aborted}) {
        CHECK(session_status_from(to_string(s)) == s);
    }
    CHECK(to_string(SessionStatus::StoppedRedFlag) == "stopped_red_flag");
    CHECK_FALSE(session_status_from("finished").has_value());
    CHECK(to_string(PainMoment::NextMorning) == "next_morning");
}

TEST_CASE("a set round-trips with its reps and every bit of its trace", "[profiles][store]") {
    Fixture f;
    auto set = make_set(f.session, 0, 10, 1000, 7);
    set.stop_reason = "pain 7/10";
    set.game = "balloon";
    set.quality_json = R"({"source":"keyboard","is_measurement":false,"spikes":2})";
    // Values that text formatting would round: the blob must keep the exact bits.
    set.trace.force_n[0] = std::nextafter(1.0f, 2.0f);
    set.trace.force_n[1] = -0.0f;
    set.trace.force_n[2] = std::numeric_limits<float>::denorm_min();
    set.trace.force_n[3] = std::numeric_limits<float>::max();
    const auto id = f.store->commit_set(set);
    REQUIRE(id.ok());
    CHECK(id.value() > 0);
    REQUIRE(f.store->commit_set(make_set(f.session, 1, 4, 0)).ok()); // short set, no samples

    const auto sets = f.store->sets_of(f.session, true);
    REQUIRE(sets.size() == 2);
    const SetRecord& got = sets[0];
    CHECK(got.id == id.value());
    CHECK(got.session_id == f.session);
    CHECK(got.set_index == 0);
    CHECK(got.exercise == "quad_set");
    CHECK(got.dose.sets == 3);
    CHECK(got.dose.reps == 10);
    CHECK(got.dose.hold_s == 10.0);
    CHECK(got.dose.rest_s == 5.0);
    CHECK(got.dose.set_rest_s == 60.0);
    CHECK(got.dose.band_low_pct == 30.0);
    CHECK(got.dose.band_high_pct == 50.0);
    CHECK(got.started_at == set.started_at);
    CHECK(got.ended_at == set.ended_at);
    CHECK(got.stop_reason == "pain 7/10");
    CHECK(got.game == "balloon");
    CHECK(got.quality_json == R"({"source":"keyboard","is_measurement":false,"spikes":2})");
    REQUIRE(got.reps.size() == 10);
    for (std::size_t i = 0; i < got.reps.size(); ++i) {
        check_same(got.reps[i], set.reps[i]);
    }
    CHECK(got.trace.rate_hz == 100.0);
    CHECK(got.trace.t0_us == 1'234'567'890'123);
    REQUIRE(got.trace.force_n.size() == 1000);
    CHECK(std::memcmp(got.trace.force_n.data(), set.trace.force_n.data(), 1000 * sizeof(float)) ==
          0);
    CHECK(sets[1].reps.size() == 4);
    CHECK(sets[1].reps[3].set_index == 1);
    CHECK(sets[1].trace.force_n.empty());

    // Without traces: the rate and start come back, the samples do not.
    const auto light = f.store->sets_of(f.session, false);
    REQUIRE(light.size() == 2);
    CHECK(light[0].trace.rate_hz == 100.0);
    CHECK(light[0].trace.force_n.empty());
    CHECK(light[0].reps.size() == 10);
}

TEST_CASE("the trace is stored as float32 little-endian", "[profiles][store]") {
    Fixture f;
    auto set = make_set(f.session, 0, 1, 2);
    set.trace.force_n = {1.0f, -2.5f};
    const auto id = f.store->commit_set(set).value();
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(f.store->handle(),
                               "SELECT sample_count, data FROM traces WHERE set_id = ?1", -1, &stmt,
                               nullptr) == SQLITE_OK);
    sqlite3_bind_int64(stmt, 1, id);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    CHECK(sqlite3_column_int(stmt, 0) == 2);
    REQUIRE(sqlite3_column_bytes(stmt, 1) == 8);
    const auto* b = static_cast<const unsigned char*>(sqlite3_column_blob(stmt, 1));
    const std::vector<unsigned char> bytes(b, b + 8);
    // 1.0f = 0x3f800000, -2.5f = 0xc0200000, least significant byte first.
    CHECK(bytes == std::vector<unsigned char>{0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0});
    sqlite3_finalize(stmt);
}

TEST_CASE("pain entries and check-ins round-trip", "[profiles][store]") {
    Fixture f;
    PainEntry before;
    before.profile_id = f.ada.id;
    before.session_id = f.session;
    before.moment = PainMoment::Before;
    before.scale = "qv_faces";
    before.score = 4;
    before.recorded_at = "2026-11-24T10:59:00.000Z";
    const auto before_id = f.store->add_pain(before);
    REQUIRE(before_id.ok());
    PainEntry morning;
    morning.profile_id = f.ada.id;
    morning.moment = PainMoment::NextMorning;
    morning.score = 0;
    morning.recorded_at = "2026-11-25T07:30:00.000Z";
    REQUIRE(f.store->add_pain(morning).ok());

    const auto pain = f.store->pain_of(f.ada.id);
    REQUIRE(pain.size() == 2);
    CHECK(pain[0].id == before_id.value());
    CHECK(pain[0].profile_id == f.ada.id);
    CHECK(pain[0].session_id == f.session);
    CHECK(pain[0].moment == PainMoment::Before);
    CHECK(pain[0].scale == "qv_faces");
    CHECK(pain[0].score == 4);
    CHECK(pain[0].recorded_at == "2026-11-24T10:59:00.000Z");
    CHECK(pain[1].session_id == 0);
    CHECK(pain[1].moment == PainMoment::NextMorning);
    CHECK(pain[1].scale == "nrs");

    CHECK_FALSE(f.store->checkin(f.session).has_value());
    REQUIRE(f.store->add_checkin(CheckIn{f.session, "worse"}).ok());
    CHECK(f.store->checkin(f.session)->morning_vs_usual == "worse");
    REQUIRE(f.store->add_checkin(CheckIn{f.session, "same"}).ok()); // answered again: replaced
    CHECK(f.store->checkin(f.session)->morning_vs_usual == "same");
    CHECK(count(*f.store, "checkins") == 1);
}

TEST_CASE("invalid input gets a clear error and writes nothing", "[profiles][store]") {
    Fixture f;
    const auto rows = rows_everywhere(*f.store);
    const auto expect_error = [&](const auto& result, const std::string& words) {
        REQUIRE_FALSE(result.ok());
        CHECK_THAT(result.error().message, Catch::Contains(words));
        CHECK(rows_everywhere(*f.store) == rows);
    };

    SECTION("profile names") {
        expect_error(f.store->create_profile("", "fox", "Q1"), "must not be empty");
        expect_error(f.store->create_profile(" \t\n ", "fox", "Q1"), "must not be empty");
        expect_error(f.store->create_profile(std::string(41, 'a'), "fox", "Q1"),
                     "at most 40 characters");
        expect_error(f.store->create_profile("Ada\nLovelace", "fox", "Q1"), "readable text");
        expect_error(f.store->create_profile("\xff\xfe", "fox", "Q1"), "readable text");
        expect_error(f.store->create_profile("Ada", "fox", ""), "level id must not be empty");
        // 40 characters are fine even when they take 80 bytes, and spaces around do not count.
        std::string accents;
        for (int i = 0; i < 40; ++i) {
            accents += "é";
        }
        CHECK(f.store->create_profile("  " + accents + "  ", "fox", "Q1").ok());
        CHECK(f.store->create_profile(std::string(40, 'a'), "fox", "Q1").ok());
    }
    SECTION("pain") {
        PainEntry p;
        p.profile_id = f.ada.id;
        p.score = 11;
        expect_error(f.store->add_pain(p), "0..10");
        p.score = -1;
        expect_error(f.store->add_pain(p), "0..10");
        p.score = 3;
        p.scale = "vas";
        expect_error(f.store->add_pain(p), "\"nrs\" or \"qv_faces\"");
        p.scale = "nrs";
        p.recorded_at = "yesterday";
        expect_error(f.store->add_pain(p), "ISO 8601");
        p.recorded_at.clear();
        p.profile_id = 999;
        expect_error(f.store->add_pain(p), "profile 999 does not exist");
        const auto other = f.store->create_profile("Bo", "owl", "Q1").value();
        const auto rows_now = rows_everywhere(*f.store);
        p.profile_id = other.id;
        p.session_id = f.session;
        const auto wrong = f.store->add_pain(p);
        REQUIRE_FALSE(wrong.ok());
        CHECK_THAT(wrong.error().message, Catch::Contains("belongs to another profile"));
        CHECK(rows_everywhere(*f.store) == rows_now);
    }
    SECTION("check-ins and sessions") {
        expect_error(f.store->add_checkin(CheckIn{f.session, "fine"}), "\"better\", \"same\"");
        expect_error(f.store->add_checkin(CheckIn{4242, "same"}), "session 4242 does not exist");
        expect_error(f.store->finish_session(f.session, SessionStatus::Completed, 4, 5),
                     "stars must be 0..3");
        expect_error(f.store->finish_session(f.session, SessionStatus::Completed, 3, 11),
                     "effort rating must be 0..10");
        expect_error(f.store->finish_session(f.session, SessionStatus::InProgress, 3, 5),
                     "in progress");
        expect_error(f.store->finish_session(4242, SessionStatus::Completed, 3, 5),
                     "session 4242 does not exist");
        auto s = make_session(f.ada.id);
        s.source.driver.clear();
        expect_error(f.store->begin_session(s), "source driver must not be empty");
        s = make_session(f.ada.id, "2026-11-24 11:00");
        expect_error(f.store->begin_session(s), "ISO 8601");
        s = make_session(777);
        expect_error(f.store->begin_session(s), "profile 777 does not exist");
        s = make_session(f.ada.id);
        s.calibration_id = 555;
        expect_error(f.store->begin_session(s), "calibration 555 does not exist");
        expect_error(f.store->set_level(777, "Q3"), "profile 777 does not exist");
        CalibrationRecord cal;
        cal.profile_id = f.ada.id;
        cal.source_driver = "open-sensor";
        cal.mvc_n = 0;
        expect_error(f.store->add_calibration(cal), "mvc_n must be above 0");
        cal.mvc_n = 100;
        cal.attempts_n = {std::nan("")};
        expect_error(f.store->add_calibration(cal), "finite");
    }
    SECTION("sets") {
        auto set = make_set(f.session, 0);
        set.reps[3].time_in_band_s = std::nan("");
        expect_error(f.store->commit_set(set), "rep 3: time_in_band_s must be a finite number");
        set = make_set(f.session, 0);
        set.reps[5].rep_index = 4;
        expect_error(f.store->commit_set(set), "rep 4: appears twice");
        set = make_set(f.session, 0);
        set.reps[0].set_index = 2;
        expect_error(f.store->commit_set(set), "belongs to set 2");
        set = make_set(f.session, 0);
        set.trace.rate_hz = 0;
        expect_error(f.store->commit_set(set), "rate above 0 Hz");
        set = make_set(f.session, 0);
        set.dose.band_high_pct = 10;
        expect_error(f.store->commit_set(set), "band_high_pct must be at least");
        set = make_set(f.session, 0);
        set.ended_at = "2026-11-24T11:32:30Z";
        expect_error(f.store->commit_set(set), "ISO 8601");
        expect_error(f.store->commit_set(make_set(31337, 0)), "session 31337 does not exist");
        REQUIRE(f.store->commit_set(make_set(f.session, 0)).ok());
        const auto rows_now = rows_everywhere(*f.store);
        const auto again = f.store->commit_set(make_set(f.session, 0));
        REQUIRE_FALSE(again.ok());
        CHECK_THAT(again.error().message, Catch::Contains("already stored"));
        CHECK(rows_everywhere(*f.store) == rows_now);
    }
}

TEST_CASE("a set whose rep or trace fails to insert leaves no partial rows", "[profiles][store]") {
    Fixture f;
    REQUIRE(f.store->commit_set(make_set(f.session, 0)).ok());
    const auto sets = count(*f.store, "sets");
    const auto reps = count(*f.store, "reps");
    const auto traces = count(*f.store, "traces");

    // A temporary trigger (this connection only, nothing written to the file) makes an insert
    // fail in the middle of the transaction, after the set and some reps went in.
    const std::string table = GENERATE(std::string("reps"), std::string("traces"));
    INFO(table);
    const std::string when = table == "reps" ? "WHEN NEW.rep_index = 4" : "";
    REQUIRE(exec(*f.store, "CREATE TEMP TRIGGER fail_midway BEFORE INSERT ON main." + table + " " +
                               when + " BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
                .empty());
    const auto failed = f.store->commit_set(make_set(f.session, 1));
    REQUIRE_FALSE(failed.ok());
    CHECK_THAT(failed.error().message, Catch::Contains("injected failure"));
    CHECK_THAT(failed.error().message, Catch::Contains("committing set 1 of session"));
    CHECK(count(*f.store, "sets") == sets);
    CHECK(count(*f.store, "reps") == reps);
    CHECK(count(*f.store, "traces") == traces);
    CHECK(sqlite3_get_autocommit(f.store->handle()) != 0); // no transaction left open

    // Once the cause is gone the same set goes in whole.
    REQUIRE(exec(*f.store, "DROP TRIGGER fail_midway").empty());
    REQUIRE(f.store->commit_set(make_set(f.session, 1)).ok());
    CHECK(count(*f.store, "sets") == sets + 1);
    CHECK(count(*f.store, "reps") == reps + 10);
    CHECK(count(*f.store, "traces") == traces + 1);
}

TEST_CASE("the schema enforces its foreign keys and cascades deletes", "[profiles][store]") {
    Fixture f;
    auto bo = f.store->create_profile("Bo", "owl", "Q1").value();
    CalibrationRecord cal;
    cal.profile_id = f.ada.id;
    cal.source_driver = "open-sensor";
    cal.mvc_n = 250;
    const auto cal_id = f.store->add_calibration(cal).value();
    auto rec = make_session(f.ada.id);
    rec.calibration_id = cal_id;
    const auto with_cal = f.store->begin_session(rec).value();
    REQUIRE(f.store->commit_set(make_set(with_cal, 0)).ok());
    REQUIRE(f.store->commit_set(make_set(f.session, 0)).ok());
    PainEntry pain;
    pain.profile_id = f.ada.id;
    pain.session_id = with_cal;
    pain.score = 2;
    REQUIRE(f.store->add_pain(pain).ok());
    REQUIRE(f.store->add_checkin(CheckIn{with_cal, "better"}).ok());
    const auto bo_session = f.store->begin_session(make_session(bo.id)).value();
    REQUIRE(f.store->commit_set(make_set(bo_session, 0)).ok());

    SECTION("rows pointing nowhere are refused") {
        CHECK_THAT(exec(*f.store, "INSERT INTO reps (set_id, rep_index, target_low_pct, "
                                  "target_high_pct, hold_s, time_in_band_s, duration_s, "
                                  "steadiness_cv, mean_pct, peak_pct, peak_n, success) "
                                  "VALUES (98765, 0, 1, 2, 1, 1, 1, 0, 1, 1, 1, 1)"),
                   Catch::Contains("FOREIGN KEY constraint failed"));
        // A session of Bo's cannot use Ada's calibration, even written by hand.
        CHECK_THAT(exec(*f.store, "UPDATE sessions SET calibration_id = " + std::to_string(cal_id) +
                                      " WHERE id = " + std::to_string(bo_session)),
                   Catch::Contains("FOREIGN KEY constraint failed"));
        auto wrong = make_session(bo.id);
        wrong.calibration_id = cal_id;
        const auto refused = f.store->begin_session(wrong);
        REQUIRE_FALSE(refused.ok());
        CHECK_THAT(refused.error().message, Catch::Contains("belongs to another profile"));
        // A calibration a session used cannot be deleted on its own.
        CHECK_THAT(exec(*f.store, "DELETE FROM calibrations WHERE id = " + std::to_string(cal_id)),
                   Catch::Contains("FOREIGN KEY constraint failed"));
    }
    SECTION("deleting a profile removes its whole history and nothing else") {
        REQUIRE(
            exec(*f.store, "DELETE FROM profiles WHERE id = " + std::to_string(f.ada.id)).empty());
        CHECK(count(*f.store, "profiles") == 1);
        CHECK(count(*f.store, "calibrations") == 0);
        CHECK(count(*f.store, "sessions") == 1);
        CHECK(count(*f.store, "sets") == 1);
        CHECK(count(*f.store, "reps") == 10);
        CHECK(count(*f.store, "traces") == 1);
        CHECK(count(*f.store, "pain_entries") == 0);
        CHECK(count(*f.store, "checkins") == 0);
        CHECK(f.store->sets_of(bo_session).size() == 1);
    }
    SECTION("deleting a set removes its reps and trace") {
        REQUIRE(exec(*f.store, "DELETE FROM sets WHERE session_id = " + std::to_string(f.session))
                    .empty());
        CHECK(count(*f.store, "reps") == 20);
        CHECK(count(*f.store, "traces") == 2);
    }
    CHECK(f.store->integrity_check().ok());
}

TEST_CASE("recent sessions are newest first with their aggregates, in one query",
          "[profiles][store]") {
    Fixture f; // f.session started now, so it is the newest
    const auto bo = f.store->create_profile("Bo", "owl", "Q1").value();
    const auto old_s = f.store->begin_session(make_session(f.ada.id, "2021-01-02T09:00:00.000Z"));
    const auto mid_s = f.store->begin_session(make_session(f.ada.id, "2021-01-05T09:00:00.000Z"));
    const auto oldest = f.store->begin_session(make_session(f.ada.id, "2020-12-31T09:00:00.000Z"));
    REQUIRE((old_s.ok() && mid_s.ok() && oldest.ok()));
    REQUIRE(f.store->begin_session(make_session(bo.id)).ok()); // not Ada's

    // mid: two sets, 10 + 4 reps; successes are reps 0,1,3,4,6,7,9 and 0,1,3.
    REQUIRE(f.store->commit_set(make_set(mid_s.value(), 0, 10)).ok());
    REQUIRE(f.store->commit_set(make_set(mid_s.value(), 1, 4)).ok());
    // old: one set of 3 reps.
    REQUIRE(f.store->commit_set(make_set(old_s.value(), 0, 3)).ok());
    const auto pain = [&](std::int64_t session, PainMoment m, int score, const char* at) {
        PainEntry p;
        p.profile_id = f.ada.id;
        p.session_id = session;
        p.moment = m;
        p.score = score;
        p.recorded_at = at;
        REQUIRE(f.store->add_pain(p).ok());
    };
    pain(mid_s.value(), PainMoment::Before, 5, "2021-01-05T08:58:00.000Z");
    pain(mid_s.value(), PainMoment::Before, 3, "2021-01-05T08:59:00.000Z"); // the later one counts
    pain(mid_s.value(), PainMoment::During, 6, "2021-01-05T09:05:00.000Z");
    pain(mid_s.value(), PainMoment::After, 2, "2021-01-05T09:20:00.000Z");
    pain(old_s.value(), PainMoment::After, 1, "2021-01-02T09:20:00.000Z");
    REQUIRE(f.store->finish_session(mid_s.value(), SessionStatus::Completed, 3, 6).ok());

    std::vector<SessionSummary> recent;
    const int statements =
        statements_run(*f.store, [&] { recent = f.store->recent_sessions(f.ada.id, 3); });
    CHECK(statements == 1);
    REQUIRE(recent.size() == 3);
    CHECK(recent[0].session.id == f.session);
    CHECK(recent[1].session.id == mid_s.value());
    CHECK(recent[2].session.id == old_s.value());

    CHECK(recent[0].sets_done == 0);
    CHECK(recent[0].reps_total == 0);
    CHECK(recent[0].reps_done == 0);
    CHECK(recent[0].mean_time_in_band_s == 0);
    CHECK(recent[0].pain_before == -1);
    CHECK(recent[0].pain_after == -1);

    const auto& mid = recent[1];
    CHECK(mid.session.status == SessionStatus::Completed);
    CHECK(mid.session.stars == 3);
    CHECK(mid.sets_done == 2);
    CHECK(mid.reps_total == 14);
    CHECK(mid.reps_done == 10);
    // time_in_band_s = 6 + 0.25 i: sum over i < 10 is 71.25, over i < 4 is 25.5.
    CHECK(mid.mean_time_in_band_s == Approx((71.25 + 25.5) / 14));
    CHECK(mid.pain_before == 3);
    CHECK(mid.pain_after == 2);

    CHECK(recent[2].sets_done == 1);
    CHECK(recent[2].reps_total == 3);
    CHECK(recent[2].reps_done == 2);
    CHECK(recent[2].pain_before == -1);
    CHECK(recent[2].pain_after == 1);

    CHECK(f.store->recent_sessions(f.ada.id, 10).size() == 4);
    CHECK(f.store->recent_sessions(f.ada.id, 0).empty());
    CHECK(f.store->recent_sessions(bo.id, 10).size() == 1);
}

TEST_CASE("reading a session's sets takes a fixed number of statements", "[profiles][store]") {
    Fixture f;
    for (int i = 0; i < 6; ++i) {
        REQUIRE(f.store->commit_set(make_set(f.session, i, 10, 50)).ok());
    }
    std::vector<SetRecord> sets;
    const int statements =
        statements_run(*f.store, [&] { sets = f.store->sets_of(f.session, true); });
    CHECK(sets.size() == 6);
    CHECK(statements <= 5); // BEGIN, sets, reps, traces, COMMIT
}

TEST_CASE("sessions a killed run left in progress are closed as aborted, keeping their sets",
          "[profiles][store]") {
    Fixture f;
    const auto interrupted = f.store->begin_session(make_session(f.ada.id)).value();
    auto set = make_set(interrupted, 0);
    set.ended_at = "2026-11-24T11:05:00.000Z";
    REQUIRE(f.store->commit_set(set).ok());
    const auto finished = f.store->begin_session(make_session(f.ada.id)).value();
    REQUIRE(f.store->finish_session(finished, SessionStatus::Completed, 3, 4).ok());

    auto closed = f.store->close_interrupted_sessions();
    REQUIRE(closed.ok());
    CHECK(closed.value() == 2); // this one and the fixture's, which has no sets
    const auto bare = f.store->session(f.session);
    CHECK(bare->status == SessionStatus::Aborted);
    CHECK(bare->ended_at == bare->started_at);
    const auto got = f.store->session(interrupted);
    CHECK(got->status == SessionStatus::Aborted);
    CHECK(got->ended_at == "2026-11-24T11:05:00.000Z"); // when its last set ended
    CHECK(f.store->sets_of(interrupted).size() == 1);
    CHECK(f.store->session(finished)->status == SessionStatus::Completed);
    CHECK(f.store->close_interrupted_sessions().value() == 0); // nothing left to close
}
