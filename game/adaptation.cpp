#include "game/adaptation.hpp"

#include "core/log.hpp"
#include "engine/describe.hpp"
#include "engine/pain.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

namespace qv::game {

namespace {

using nlohmann::json;

constexpr int kSessionsLooked = 4; // the outer loop needs the newest two; a little history helps

json dose_json(const QuadSetDose& d) {
    return {d.sets, d.reps, d.hold_s, d.rest_s, d.set_rest_s, d.band_low_pct, d.band_high_pct};
}
QuadSetDose dose_from(const json& j) {
    return QuadSetDose{j.at(0).get<int>(),    j.at(1).get<int>(),    j.at(2).get<double>(),
                       j.at(3).get<double>(), j.at(4).get<double>(), j.at(5).get<double>(),
                       j.at(6).get<double>()};
}

/// The engine's memory as stored in the plan (the dose itself lives in the plan's columns).
std::string state_json(const engine::ProgressionState& s, const engine::StaircaseState& stair) {
    json undo = json::array();
    for (const auto& d : s.undo) {
        undo.push_back(dose_json(d));
    }
    json vars = json::array();
    for (auto v : s.undo_vars) {
        vars.push_back(static_cast<int>(v));
    }
    return json{
        {"red_days", s.red_days},
        {"undo", undo},
        {"undo_vars", vars},
        {"last_session_id", s.last_session_id},
        {"stair",
         {stair.value, stair.step_harder, stair.reversals, stair.last_direction, stair.trials}}}
        .dump();
}

void read_state(const std::string& text, engine::ProgressionState& s,
                engine::StaircaseState& stair) {
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return;
    }
    try {
        s.red_days = j.value("red_days", std::vector<int>{});
        for (const auto& d : j.value("undo", json::array())) {
            s.undo.push_back(dose_from(d));
        }
        for (const auto& v : j.value("undo_vars", json::array())) {
            s.undo_vars.push_back(static_cast<engine::Variable>(v.get<int>()));
        }
        s.last_session_id = j.value("last_session_id", -1);
        if (const auto st = j.value("stair", json::array()); st.size() == 5) {
            stair = {st[0].get<double>(), st[1].get<double>(), st[2].get<int>(), st[3].get<int>(),
                     st[4].get<int>()};
        }
    } catch (const json::exception& e) {
        log::get("game")->warn("the adaptation state could not be read ({}); starting afresh",
                               e.what());
        s = {s.dose, s.locked, {}, {}, {}, -1};
    }
}

profiles::PlanRecord default_plan(const Context& ctx) {
    const auto& t = ctx.content.tuning;
    const auto* start = ctx.content.level(t.default_level);
    const auto* cap = ctx.content.level(t.max_level_without_plan);
    profiles::PlanRecord p;
    p.profile_id = ctx.profile->id;
    p.dose = start ? start->dose : ctx.content.quadset_levels.front().dose;
    const QuadSetDose c = cap ? cap->dose : p.dose;
    // No clinician's plan: conservative caps, at most the content's highest level without one.
    p.cap_sets = std::max(c.sets, p.dose.sets);
    p.cap_reps = std::max(c.reps, p.dose.reps);
    p.cap_hold_s = std::max(c.hold_s, p.dose.hold_s);
    p.cap_band_high_pct = std::max(c.band_high_pct, p.dose.band_high_pct);
    return p;
}

engine::EngineConfig config_for(const Context& ctx, const profiles::PlanRecord& plan) {
    engine::EngineConfig cfg;
    cfg.caps.max_sets = plan.cap_sets;
    cfg.caps.max_reps = plan.cap_reps;
    cfg.caps.max_hold_s = plan.cap_hold_s;
    cfg.caps.max_band_high_pct = plan.cap_band_high_pct;
    cfg.child = ctx.profile->child;
    const auto& a = ctx.content.tuning.adaptation;
    // The in-session stop line is also the light's red line for pain during and after.
    const auto red = static_cast<double>(ctx.content.tuning.pain.stop_set_at);
    cfg.pain.during_amber_at = cfg.pain.child_during_amber_at = cfg.pain.after_amber_at =
        a.during_amber_at;
    cfg.pain.during_red_at = cfg.pain.child_during_red_at = cfg.pain.after_red_at = red;
    cfg.pain.morning_amber_excess = a.morning_amber_excess;
    cfg.pain.morning_red_excess = a.morning_red_excess;
    cfg.pain.trend_rising_above = a.trend_rising_above;
    cfg.pain.trend_red_at = a.trend_red_at;
    auto& p = cfg.progression;
    p.success_target = a.success_target;
    p.child_success_target = a.child_success_target;
    p.success_margin = a.success_margin;
    p.sessions_needed = a.sessions_needed;
    p.red_lock_count = a.red_lock_count;
    p.red_window_days = a.red_window_days;
    p.volume_step = a.volume_step;
    p.hold_step = a.hold_step;
    p.intensity_step = a.intensity_step;
    return cfg;
}

/// What the stored sessions tell the outer loop, oldest first.
std::vector<engine::SessionOutcome> outcomes(Context& ctx, const engine::EngineConfig& cfg,
                                             const QuadSetDose& fallback_dose) {
    const auto id = ctx.profile->id;
    // Pain: the diary of pre-session ratings, and each session's during/after/next morning.
    engine::PainDiary diary;
    struct SessionPain {
        std::optional<double> during, after, morning;
    };
    std::map<std::int64_t, SessionPain> by_session;
    auto pains = ctx.store.pain_of(id);
    std::sort(pains.begin(), pains.end(),
              [](const auto& a, const auto& b) { return a.recorded_at < b.recorded_at; });
    for (const auto& p : pains) {
        const auto v = static_cast<double>(p.score);
        auto& sp = by_session[p.session_id];
        switch (p.moment) {
        case profiles::PainMoment::Before:
            diary.record(local_day(p.recorded_at), v);
            break;
        case profiles::PainMoment::During:
            sp.during = std::max(sp.during.value_or(0), v);
            break;
        case profiles::PainMoment::After:
            sp.after = v;
            break;
        case profiles::PainMoment::NextMorning:
            sp.morning = v;
            break;
        }
    }
    auto history = ctx.store.recent_sessions(id, kSessionsLooked + 1);
    std::vector<engine::SessionOutcome> out;
    for (auto it = history.rbegin(); it != history.rend(); ++it) {
        const auto& s = it->session;
        if (s.status == profiles::SessionStatus::InProgress) {
            continue;
        }
        engine::SessionOutcome o;
        o.id = static_cast<int>(s.id);
        o.day = local_day(s.started_at);
        const auto sets = ctx.store.sets_of(s.id);
        o.dose = sets.empty() ? fallback_dose : sets.front().dose;
        std::vector<QuadSetRepScore> reps;
        for (const auto& set : sets) {
            reps.insert(reps.end(), set.reps.begin(), set.reps.end());
        }
        o.completed = s.status == profiles::SessionStatus::Completed &&
                      static_cast<int>(reps.size()) >= o.dose.sets * o.dose.reps;
        const double target =
            cfg.child ? cfg.progression.child_success_target : cfg.progression.success_target;
        o.success =
            engine::summarize_success(reps, o.dose.reps, target, cfg.progression.late_share).share;
        const auto& sp = by_session[s.id];
        o.pain.during = sp.during;
        o.pain.after = sp.after;
        o.pain.next_morning = sp.morning;
        o.pain.baseline = diary.baseline(o.day);
        o.pain.trend_per_week = diary.weekly_trend(o.day);
        o.pain.child = cfg.child;
        o.pain.red_flag = s.status == profiles::SessionStatus::StoppedRedFlag;
        out.push_back(o);
    }
    return out;
}

std::string num(double v) {
    return std::abs(v - std::round(v)) < 0.05 ? fmt::format("{:.0f}", v) : fmt::format("{:.1f}", v);
}

} // namespace

int local_day(const std::string& iso) {
    std::tm tm{};
    if (strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) {
        return 0;
    }
    const std::time_t utc = timegm(&tm);
    std::tm local{};
    localtime_r(&utc, &local);
    return static_cast<int>(std::floor(static_cast<double>(utc + local.tm_gmtoff) / 86400.0));
}

std::string decision_text(const Context& ctx, const engine::Decision& d) {
    const std::string code(engine::reason_name(d.reason));
    std::string change;
    switch (d.variable) {
    case engine::Variable::Reps:
        change = ctx.tf("reason.change.reps", d.dose_before.sets, d.dose_before.reps,
                        d.dose_after.sets, d.dose_after.reps);
        break;
    case engine::Variable::Hold:
        change = ctx.tf("reason.change.hold", num(d.from), num(d.to));
        break;
    case engine::Variable::Intensity:
        change = ctx.tf("reason.change.intensity", num(d.from), num(d.to));
        break;
    case engine::Variable::Depth:
    case engine::Variable::None:
        change = ctx.t("reason.change.none");
        break;
    }
    const std::string pain = ctx.t("reason.pain." + std::string(engine::rule_name(d.rule)));
    try {
        return fmt::format(fmt::runtime(ctx.t("reason." + code)), fmt::arg("change", change),
                           fmt::arg("pain", pain), fmt::arg("observed", num(d.observed)),
                           fmt::arg("limit", num(d.limit)),
                           fmt::arg("observed_pct", num(d.observed * 100)),
                           fmt::arg("limit_pct", num(d.limit * 100)));
    } catch (const fmt::format_error&) {
        return engine::describe(d); // a broken text falls back to the engine's own words
    }
}

TodayPlan plan_today(Context& ctx) {
    auto stored = ctx.store.plan(ctx.profile->id);
    profiles::PlanRecord plan = stored ? *stored : default_plan(ctx);
    const auto cfg = config_for(ctx, plan);

    engine::ProgressionState state;
    state.dose = plan.dose;
    state.locked = plan.locked;
    const double band = engine::band_half_width(plan.dose);
    engine::StaircaseState stair{band, ctx.content.tuning.adaptation.staircase_step_pct, 0, 0, 0};
    read_state(plan.engine_state_json, state, stair);

    TodayPlan today;
    const auto recent = outcomes(ctx, cfg, plan.dose);
    if (plan.progression_enabled) {
        const auto decision =
            engine::decide(state, recent, local_day(profiles::now_iso8601()), cfg);
        if (decision.reason != engine::Reason::AlreadyDecided) {
            state = engine::apply(state, decision);
            profiles::DecisionRecord rec;
            rec.profile_id = ctx.profile->id;
            const auto light_of_last =
                decision.inputs.lights.empty()
                    ? std::string("none")
                    : std::string(engine::light_name(decision.inputs.lights.back().light));
            rec.light = light_of_last;
            rec.action = engine::action_name(decision.action);
            rec.variable = engine::variable_name(decision.variable);
            if (decision.variable != engine::Variable::None) {
                rec.from_value = decision.from;
                rec.to_value = decision.to;
            }
            rec.reason_code = engine::reason_name(decision.reason);
            rec.reason = decision_text(ctx, decision);
            rec.inputs_json = json{{"today", decision.inputs.today},
                                   {"sessions", decision.inputs.sessions.size()},
                                   {"reds_in_window", decision.inputs.reds_in_window},
                                   {"success_needed", decision.inputs.success_needed},
                                   {"observed", decision.observed},
                                   {"limit", decision.limit},
                                   {"rule", engine::rule_name(decision.rule)},
                                   {"dose_before", dose_json(decision.dose_before)},
                                   {"dose_after", dose_json(decision.dose_after)}}
                                  .dump();
            if (auto r = ctx.store.add_decision(rec); !r) {
                ctx.storage_error = r.error().message;
            }
            if (decision.dose_after.band_high_pct != decision.dose_before.band_high_pct ||
                decision.dose_after.band_low_pct != decision.dose_before.band_low_pct) {
                stair.value = engine::band_half_width(decision.dose_after); // a new target
            }
        }
    }
    plan.dose = state.dose;
    plan.locked = state.locked;
    plan.engine_state_json = state_json(state, stair);
    if (auto r = ctx.store.save_plan(plan); !r) {
        ctx.storage_error = r.error().message;
    }

    today.dose = plan.dose;
    today.locked = plan.locked;
    const auto last = ctx.store.decisions(ctx.profile->id, 1);
    today.reason = last.empty() ? std::string() : last.front().reason;
    today.stair.target_success =
        ctx.profile->child ? cfg.progression.child_success_target : cfg.progression.success_target;
    const auto& a = ctx.content.tuning.adaptation;
    today.stair.step_harder = a.staircase_step_pct;
    today.stair.min_step_harder = a.staircase_min_step_pct;
    today.stair.reversals_per_halving = a.staircase_reversals;
    const double hw = engine::band_half_width(plan.dose);
    today.stair.floor = std::max(a.staircase_min_step_pct, hw * a.band_floor_factor);
    today.stair.ceiling = hw * a.band_ceiling_factor;
    today.stair_state = stair;
    today.stair_state.value = std::clamp(stair.value, today.stair.floor, today.stair.ceiling);
    return today;
}

void save_staircase(Context& ctx, const engine::StaircaseState& stair) {
    auto plan = ctx.store.plan(ctx.profile->id);
    if (!plan) {
        return;
    }
    engine::ProgressionState state;
    engine::StaircaseState old;
    read_state(plan->engine_state_json, state, old);
    state.dose = plan->dose;
    state.locked = plan->locked;
    plan->engine_state_json = state_json(state, stair);
    if (auto r = ctx.store.save_plan(*plan); !r) {
        ctx.storage_error = r.error().message;
    }
}

} // namespace qv::game
