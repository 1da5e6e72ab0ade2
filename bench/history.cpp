#include "bench/history.hpp"

#include "core/rng.hpp"
#include "game/progress.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <sqlite3.h>

namespace qv::bench {

namespace {

std::string at(const std::string& day, int hour, int minute = 0) {
    return fmt::format("{}T{:02d}:{:02d}:00.000Z", day, hour, minute);
}

int clamp_pain(double v) {
    return std::clamp(static_cast<int>(std::lround(v)), 0, 10);
}

Status exec(profiles::Store& store, const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(store.handle(), sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
        Error e{std::string("generator: ") + (msg ? msg : "?") + " in: " + sql};
        sqlite3_free(msg);
        return e;
    }
    return Ok{};
}

} // namespace

Result<std::int64_t> fill_history(profiles::Store& store, const HistoryOptions& o) {
    if (game::weekday(o.last_day) < 0) {
        return Error{"generator: last_day '" + o.last_day + "' is not a date"};
    }
    if (auto s = exec(store, "PRAGMA synchronous = OFF"); !s) {
        return s.error();
    }
    auto created = store.create_profile(o.name, "owl", "Q2");
    if (!created) {
        return created.error();
    }
    const std::int64_t pid = created->id;
    if (o.child) {
        if (auto s = store.set_child(pid, true); !s) {
            return s.error();
        }
    }
    Rng rng(o.seed);
    const bool measured = o.driver != "keyboard" && o.driver != "simulator";
    double true_mvc = 210;        // affected leg, grows with training
    const double other_mvc = 330; // the other leg
    double hold_s = 6;
    int calm_in_a_row = 0;
    double usual_pain = 2.5;
    std::int64_t last_session = 0;
    std::string last_day_trained;
    double last_after = -1;
    std::string pending_reason;
    std::optional<double> pending_from, pending_to;
    std::string pending_action = "hold";

    const auto add_mvc = [&](const std::string& day, double mvc, const char* leg) -> Status {
        profiles::CalibrationRecord c;
        c.profile_id = pid;
        c.created_at = at(day, 9, 50);
        c.source_driver = o.driver;
        c.zero_n = 3;
        c.mvc_n = mvc;
        c.attempts_n = {mvc * 0.93, mvc, mvc * 0.96};
        auto id = store.add_calibration(c);
        if (!id) {
            return id.error();
        }
        if (std::string(leg) == "other") {
            return exec(store, fmt::format("UPDATE calibrations SET leg = 'other' WHERE id = {}",
                                           id.value()));
        }
        return Ok{};
    };

    for (int i = o.days - 1; i >= 0; --i) {
        const std::string day = game::add_days(o.last_day, -i);
        const int index = o.days - 1 - i;
        // Next-morning pain of the last session, asked at the next session's check-in.
        if (last_session != 0 && !last_day_trained.empty() && last_day_trained < day &&
            rng.chance(0.9)) {
            profiles::PainEntry p;
            p.profile_id = pid;
            p.session_id = last_session;
            p.moment = profiles::PainMoment::NextMorning;
            p.scale = o.child ? "qv_faces" : "nrs";
            p.score = clamp_pain(std::max(usual_pain, last_after - 1) + rng.normal(0, 0.7));
            if (o.child) {
                p.score -= p.score % 2;
            }
            p.recorded_at = at(day, 8);
            if (auto r = store.add_pain(p); !r) {
                return r.error();
            }
            last_session = 0;
        }
        if (index % 7 == 0) {
            if (auto s = add_mvc(day, true_mvc * (1 + rng.normal(0, 0.04)), "affected"); !s) {
                return s.error();
            }
            if (o.both_legs && index % 28 == 0) {
                if (auto s = add_mvc(day, other_mvc * (1 + rng.normal(0, 0.03)), "other"); !s) {
                    return s.error();
                }
            }
        }
        const bool is_today = i == 0;
        if (is_today && !o.today_done) {
            continue;
        }
        if (!rng.chance(o.adherence)) {
            continue; // a rest day
        }
        if (rng.chance(o.red_flag_chance)) {
            profiles::RedFlagCheck check;
            check.profile_id = pid;
            check.checked_at = at(day, 10);
            check.flags = {"swelling"};
            if (auto r = store.add_red_flag_check(check); !r) {
                return r.error();
            }
            continue; // no exercise today
        }
        // The plan's decision for today, made from yesterday's session.
        if (!pending_reason.empty()) {
            profiles::DecisionRecord d;
            d.profile_id = pid;
            d.created_at = at(day, 10, 1);
            d.light = pending_action == "step_back"  ? "red"
                      : pending_action == "progress" ? "green"
                                                     : "amber";
            d.action = pending_action;
            d.variable = pending_from ? "hold" : "";
            d.from_value = pending_from;
            d.to_value = pending_to;
            d.reason_code = pending_action;
            d.reason = pending_reason;
            if (auto r = store.add_decision(d); !r) {
                return r.error();
            }
        }
        profiles::SessionRecord s;
        s.profile_id = pid;
        s.started_at = at(day, 10, 2);
        s.source = SourceIdentity{o.driver, "", "", "", measured};
        s.level_id = "Q3";
        auto sid = store.begin_session(s);
        if (!sid) {
            return sid.error();
        }
        profiles::PainEntry before;
        before.profile_id = pid;
        before.session_id = sid.value();
        before.moment = profiles::PainMoment::Before;
        before.score = clamp_pain(usual_pain + rng.normal(0, 0.8));
        before.recorded_at = at(day, 10, 1);
        if (auto r = store.add_pain(before); !r) {
            return r.error();
        }
        const bool pain_stop = rng.chance(o.pain_stop_chance);
        const QuadSetDose dose{3, 10, hold_s, 10, 60, 30, 50};
        const int stop_set = pain_stop ? static_cast<int>(rng.uniform(0, 3)) : 3;
        for (int set = 0; set < 3 && set <= stop_set; ++set) {
            profiles::SetRecord rec;
            rec.session_id = sid.value();
            rec.set_index = set;
            rec.dose = dose;
            rec.started_at = at(day, 10, 3 + set * 4);
            rec.ended_at = at(day, 10, 6 + set * 4);
            const int reps = set == stop_set ? static_cast<int>(rng.uniform(2, 9)) : 10;
            if (set == stop_set) {
                rec.stop_reason = "pain 7/10";
            }
            for (int r = 0; r < reps; ++r) {
                QuadSetRepScore rep;
                rep.set_index = set;
                rep.rep_index = r;
                rep.target_low_pct = 30;
                rep.target_high_pct = 50;
                rep.hold_s = hold_s;
                rep.success = rng.chance(0.9 - 0.03 * r);
                rep.time_in_band_s = rep.success ? hold_s : hold_s * rng.uniform(0.3, 0.9);
                rep.duration_s = hold_s + 1.5;
                rep.steadiness_cv = rng.uniform(0.03, 0.12);
                rep.mean_pct = 40;
                rep.peak_pct = 52;
                rep.peak_n = true_mvc * 0.52;
                rec.reps.push_back(rep);
            }
            if (auto r = store.commit_set(rec); !r) {
                return r.error();
            }
        }
        const int during = pain_stop ? 7 : clamp_pain(usual_pain + 1 + rng.normal(0, 1.0));
        const int after = clamp_pain(during - 1 + rng.normal(0, 0.7));
        for (auto [moment, score] : {std::pair{profiles::PainMoment::During, during},
                                     std::pair{profiles::PainMoment::After, after}}) {
            profiles::PainEntry p;
            p.profile_id = pid;
            p.session_id = sid.value();
            p.moment = moment;
            p.scale = o.child ? "qv_faces" : "nrs";
            p.score = o.child ? score - score % 2 : score;
            p.recorded_at = at(day, 10, 20);
            if (auto r = store.add_pain(p); !r) {
                return r.error();
            }
        }
        if (auto r = store.finish_session(sid.value(),
                                          pain_stop ? profiles::SessionStatus::StoppedPain
                                                    : profiles::SessionStatus::Completed,
                                          pain_stop ? 1 : 3, 5);
            !r) {
            return r.error();
        }
        last_session = sid.value();
        last_day_trained = day;
        last_after = after;
        // Training makes the leg stronger, slowly; the pain settles as the knee adapts.
        true_mvc *= 1.006;
        usual_pain = std::max(0.5, usual_pain - 0.01);
        pending_from.reset();
        pending_to.reset();
        if (pain_stop || during >= 6) {
            calm_in_a_row = 0;
            pending_action = "step_back";
            pending_from = hold_s;
            hold_s = std::max(5.0, hold_s - 1);
            pending_to = hold_s;
            pending_reason = fmt::format("Because your knee hurt during the exercise, we go one "
                                         "step back: holds go from {:g} s to {:g} s.",
                                         *pending_from, *pending_to);
        } else if (++calm_in_a_row >= 4 && hold_s < 10) {
            calm_in_a_row = 0;
            pending_action = "progress";
            pending_from = hold_s;
            hold_s += 1;
            pending_to = hold_s;
            pending_reason = fmt::format("Your knee stayed calm two sessions in a row, so holds "
                                         "go from {:g} s to {:g} s.",
                                         *pending_from, *pending_to);
        } else {
            pending_action = "hold";
            pending_reason = during >= 4 ? "Because your knee hurt during the exercise, the "
                                           "exercise stays the same."
                                         : "We need 2 sessions to see how your knee responds; so "
                                           "far 1, so the exercise stays the same.";
        }
    }
    return pid;
}

} // namespace qv::bench
