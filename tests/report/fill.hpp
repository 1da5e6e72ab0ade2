#pragma once
// Fills a real SQLite database with several weeks of one profile's history for the export tests
// (and the FHIR sample writer): quad-set and squat sessions, MVC tests of both legs, pain at
// every moment (one child profile on the faces scale), red flags, decisions and a plan.

#include "profiles/sqlite.hpp"
#include "profiles/store.hpp"
#include "tests/profiles/records.hpp"

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace qv::report::test {

/// Makes "local time" UTC in this process, so local dates in the exports are predictable.
inline void use_utc() {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
}

/// What the filler created.
struct Filled {
    std::int64_t profile_id = 0;
    std::int64_t child_id = 0;
    int sessions = 0;
    int quad_reps = 0;
    int squat_reps = 0;
};

inline void must(const Status& s) {
    if (!s) {
        throw std::runtime_error(s.error().message);
    }
}

template <typename T> T must(Result<T> r) {
    if (!r) {
        throw std::runtime_error(r.error().message);
    }
    return std::move(r.value());
}

/// "2026-11-02T09:30:00.000Z" for day `day` (0 = 2026-11-02) at hour:minute UTC.
inline std::string at(int day, int hour, int minute = 0) {
    // November 2026 has 30 days; December follows.
    int d = 2 + day;
    int month = 11;
    if (d > 30) {
        d -= 30;
        month = 12;
    }
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "2026-%02d-%02dT%02d:%02d:00.000Z", month, d, hour,
                  minute);
    return buffer;
}

inline void run_sql(profiles::Store& store, const std::string& sql, const std::string& text = {},
                    std::int64_t id = 0) {
    auto stmt = must(profiles::sql::Statement::prepare(store.handle(), sql, "test fill"));
    if (sql.find("?1") != std::string::npos) {
        stmt.bind_text(1, text);
    }
    if (sql.find("?2") != std::string::npos) {
        stmt.bind_int64(2, id);
    }
    must(stmt.run());
}

/// Adds a squat set with `reps` squats to a session (exercise "squat", squat_sets and squat_reps
/// rows written with SQL: the store has no squat API of its own yet).
inline int add_squat_set(profiles::Store& store, std::int64_t session_id, int set_index, int day,
                         int reps) {
    profiles::SetRecord set;
    set.session_id = session_id;
    set.set_index = set_index;
    set.exercise = "squat";
    set.dose = QuadSetDose{1, reps, 1.0, 30.0, 60.0, 0.0, 45.0};
    set.started_at = at(day, 10, 10);
    set.ended_at = at(day, 10, 14);
    const auto set_id = must(store.commit_set(set));
    auto ss = must(profiles::sql::Statement::prepare(
        store.handle(),
        "INSERT INTO squat_sets (set_id, mode, depth_deg, depth_cap_deg, down_s, pause_s, up_s, "
        "tempo_tol_s, corridor) VALUES (?1, 'knee_angle', 45, 60, 3, 0, 2, 0.75, 8)",
        "test squat set"));
    ss.bind_int64(1, set_id);
    must(ss.run());
    auto rep = must(profiles::sql::Statement::prepare(
        store.handle(),
        "INSERT INTO squat_reps (set_id, rep_index, time_in_corridor_s, duration_s, rmse, "
        "down_s, pause_s, up_s, tempo_ok, depth_reached, violations, success) "
        "VALUES (?1, ?2, ?3, 5.5, ?4, 3.1, 0, 2.2, ?5, ?6, ?7, ?8)",
        "test squat rep"));
    for (int i = 0; i < reps; ++i) {
        rep.reset();
        rep.bind_int64(1, set_id).bind_int64(2, i).bind_double(3, 4.25 + 0.1 * i);
        rep.bind_double(4, 2.5 + 0.01 * i).bind_int64(5, i % 4 != 3 ? 1 : 0);
        rep.bind_double(6, 40.5 + i).bind_int64(7, i % 4 == 3 ? 1 : 0);
        rep.bind_int64(8, i % 4 != 3 ? 1 : 0);
        must(rep.run());
    }
    return reps;
}

/// `weeks` weeks of sessions (4 a week) starting 2026-11-02 for a new adult profile, plus a
/// child profile with two faces-scale sessions. Throws (failing the test) when the store refuses.
inline Filled fill(profiles::Store& store, int weeks = 4) {
    Filled f;
    const auto profile = must(store.create_profile("Sam", "fox", "Q2"));
    f.profile_id = profile.id;

    profiles::PlanRecord plan;
    plan.profile_id = profile.id;
    plan.dose = QuadSetDose{3, 10, 10.0, 10.0, 60.0, 30.0, 50.0};
    plan.cap_sets = 3;
    plan.cap_reps = 12;
    plan.cap_hold_s = 12;
    plan.cap_band_high_pct = 60;
    must(store.save_plan(plan));
    run_sql(store,
            "UPDATE plans SET condition = 'knee_replacement', side = ?1, surgery_date = "
            "'2026-10-01' WHERE profile_id = ?2",
            "right", profile.id);

    // MVC tests: affected leg weekly (rising), the other leg once.
    for (int w = 0; w <= weeks; ++w) {
        profiles::CalibrationRecord cal;
        cal.profile_id = profile.id;
        cal.created_at = at(w * 7, 9, 0);
        cal.source_driver = "open-sensor";
        cal.mvc_n = 180.0 + 9.5 * w + (w % 2 == 0 ? 4.0 : -3.0);
        cal.attempts_n = {cal.mvc_n - 5, cal.mvc_n};
        must(store.add_calibration(cal));
    }
    {
        profiles::CalibrationRecord other;
        other.profile_id = profile.id;
        other.created_at = at(1, 9, 0);
        other.source_driver = "open-sensor";
        other.mvc_n = 262.0;
        const auto id = must(store.add_calibration(other));
        run_sql(store, "UPDATE calibrations SET leg = ?1 WHERE id = ?2", "other", id);
    }

    const int days[] = {0, 1, 3, 5};
    for (int w = 0; w < weeks; ++w) {
        for (int k = 0; k < 4; ++k) {
            const int day = w * 7 + days[k];
            auto session = profiles::test::make_session(profile.id, at(day, 10, 0));
            session.source.model = "OS-1, \"rev B\"";
            const auto id = must(store.begin_session(session));
            const bool stopped = w == 2 && k == 1;
            const int sets = stopped ? 1 : 3;
            for (int s = 0; s < sets; ++s) {
                auto set = profiles::test::make_set(id, s, stopped ? 6 : 10, 10, s);
                set.started_at = at(day, 10, 1 + 3 * s);
                set.ended_at = at(day, 10, 3 + 3 * s);
                f.quad_reps += static_cast<int>(set.reps.size());
                must(store.commit_set(set));
            }
            if (k == 2) {
                f.squat_reps += add_squat_set(store, id, sets, day, 8);
            }
            must(store.finish_session(id,
                                      stopped ? profiles::SessionStatus::StoppedPain
                                              : profiles::SessionStatus::Completed,
                                      stopped ? 0 : 2 + k % 2, 5));
            run_sql(store, "UPDATE sessions SET ended_at = ?1 WHERE id = ?2", at(day, 10, 20), id);
            const auto pain = [&](profiles::PainMoment m, int score, int hour, int day_offset) {
                profiles::PainEntry p;
                p.profile_id = profile.id;
                p.session_id = id;
                p.moment = m;
                p.score = score;
                p.recorded_at = at(day + day_offset, hour, 30);
                must(store.add_pain(p));
            };
            pain(profiles::PainMoment::Before, 2 + (w + k) % 2, 9, 0);
            pain(profiles::PainMoment::During, stopped ? 7 : 3 + k % 2, 10, 0);
            pain(profiles::PainMoment::During, 2, 10, 0);
            pain(profiles::PainMoment::After, stopped ? 5 : 2 + k % 3, 11, 0);
            pain(profiles::PainMoment::NextMorning, 2 + (k == 3 ? 1 : 0), 8, 1);
            if (stopped) {
                profiles::RedFlagCheck check;
                check.profile_id = profile.id;
                check.session_id = id;
                check.moment = "in_session";
                check.checked_at = at(day, 10, 5);
                check.flags = {"knee_gave_way"};
                must(store.add_red_flag_check(check));
            }
            profiles::DecisionRecord d;
            d.profile_id = profile.id;
            d.session_id = id;
            d.created_at = at(day, 9, 45);
            if (stopped) {
                d.light = "red";
                d.action = "step_back";
                d.variable = "hold_s";
                d.from_value = 10;
                d.to_value = 8;
                d.reason_code = "red_pain_during";
                d.reason = "Your knee hurt a lot during the last session, so holds go back "
                           "from 10 s to 8 s.";
            } else if (k == 0) {
                d.light = "green";
                d.action = "progress";
                d.variable = "reps";
                d.from_value = 8 + w;
                d.to_value = 9 + w;
                d.reason_code = "green_two_sessions";
                d.reason = "Your knee stayed calm two sessions in a row, so each set gets one "
                           "more hold.";
            } else {
                d.light = k == 3 ? "amber" : "green";
                d.action = "hold";
                d.reason_code = k == 3 ? "amber_next_morning" : "green_one_session";
                d.reason = k == 3 ? "Your knee was a bit sore the next morning, so the dose "
                                    "stays the same."
                                  : "One calm session so far: same dose again to be sure.";
            }
            must(store.add_decision(d));
            ++f.sessions;
        }
    }
    {
        // A check-in red flag on a day without a session.
        profiles::RedFlagCheck check;
        check.profile_id = profile.id;
        check.checked_at = at(16, 8, 15);
        check.flags = {"new_swelling", "calf_pain"};
        must(store.add_red_flag_check(check));
    }

    // A child on the faces scale.
    const auto child = must(store.create_profile("Mia", "owl", "Q1"));
    f.child_id = child.id;
    must(store.set_child(child.id, true));
    for (int k = 0; k < 2; ++k) {
        const auto id =
            must(store.begin_session(profiles::test::make_session(child.id, at(k * 2, 16))));
        auto set = profiles::test::make_set(id, 0, 5, 10, k);
        set.started_at = at(k * 2, 16, 1);
        set.ended_at = at(k * 2, 16, 3);
        must(store.commit_set(set));
        must(store.finish_session(id, profiles::SessionStatus::Completed, 3, 2));
        profiles::PainEntry p;
        p.profile_id = child.id;
        p.session_id = id;
        p.moment = profiles::PainMoment::During;
        p.scale = "qv_faces";
        p.score = 4;
        p.recorded_at = at(k * 2, 16, 2);
        must(store.add_pain(p));
    }
    return f;
}

} // namespace qv::report::test
