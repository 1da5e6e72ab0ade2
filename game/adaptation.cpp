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
        {"locked", s.locked},
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

// The traffic light's thresholds: the plan's where set, else tuning.
engine::PainThresholds thresholds_of(const Context& ctx, const profiles::PainThresholds& t) {
    const auto& a = ctx.content.tuning.adaptation;
    engine::PainThresholds out;
    // The in-session stop line is also the light's red line for pain during and after.
    const double red =
        static_cast<double>(t.stop_set_at.value_or(ctx.content.tuning.pain.stop_set_at));
    const double amber =
        t.during_amber_at ? static_cast<double>(*t.during_amber_at) : a.during_amber_at;
    out.during_amber_at = out.child_during_amber_at = out.after_amber_at = amber;
    out.during_red_at = out.child_during_red_at = out.after_red_at = red;
    out.morning_amber_excess = t.morning_amber_excess.value_or(a.morning_amber_excess);
    out.morning_red_excess = t.morning_red_excess.value_or(a.morning_red_excess);
    out.trend_rising_above = a.trend_rising_above;
    out.trend_red_at = t.trend_red_at.value_or(a.trend_red_at);
    return out;
}

void fill_progression(const Context& ctx, engine::ProgressionParams& p) {
    const auto& a = ctx.content.tuning.adaptation;
    p.success_target = a.success_target;
    p.child_success_target = a.child_success_target;
    p.success_margin = a.success_margin;
    p.sessions_needed = a.sessions_needed;
    p.red_lock_count = a.red_lock_count;
    p.red_window_days = a.red_window_days;
    p.volume_step = a.volume_step;
    p.hold_step = a.hold_step;
    p.intensity_step = a.intensity_step;
    if (a.squat_depth_step_deg > 0) {
        p.depth_step_deg = a.squat_depth_step_deg;
    }
}

engine::EngineConfig config_for(const Context& ctx, const profiles::PlanRecord& plan) {
    engine::EngineConfig cfg;
    cfg.caps.max_sets = plan.cap_sets;
    cfg.caps.max_reps = plan.cap_reps;
    cfg.caps.max_hold_s = plan.cap_hold_s;
    cfg.caps.max_band_high_pct = plan.cap_band_high_pct;
    cfg.caps.max_band_low_pct = plan.band_low_cap_pct;
    cfg.child = ctx.profile->child;
    cfg.pain = thresholds_of(ctx, plan.thresholds);
    fill_progression(ctx, cfg.progression);
    return cfg;
}

/// Each session's pain (during at worst, after, next morning) and the diary of usual pain.
struct PainHistory {
    struct SessionPain {
        std::optional<double> during, after, morning;
    };
    engine::PainDiary diary;
    std::map<std::int64_t, SessionPain> by_session;
};

PainHistory pain_history(Context& ctx) {
    PainHistory h;
    auto pains = ctx.store.pain_of(ctx.profile->id);
    std::sort(pains.begin(), pains.end(),
              [](const auto& a, const auto& b) { return a.recorded_at < b.recorded_at; });
    for (const auto& p : pains) {
        const auto v = static_cast<double>(p.score);
        auto& sp = h.by_session[p.session_id];
        switch (p.moment) {
        case profiles::PainMoment::Before:
            h.diary.record(local_day(p.recorded_at), v);
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
    return h;
}

/// Fills an outcome's pain report from the history.
template <typename Outcome>
void fill_pain(Outcome& o, const PainHistory& h, const profiles::SessionRecord& s, bool child) {
    if (const auto it = h.by_session.find(s.id); it != h.by_session.end()) {
        o.pain.during = it->second.during;
        o.pain.after = it->second.after;
        o.pain.next_morning = it->second.morning;
    }
    o.pain.baseline = h.diary.baseline(o.day);
    o.pain.trend_per_week = h.diary.weekly_trend(o.day);
    o.pain.child = child;
    o.pain.red_flag = s.status == profiles::SessionStatus::StoppedRedFlag;
}

constexpr const char* kQuadExercise = "quad_set";

/// What the stored sessions tell the quad-set outer loop, oldest first. A session counts when it
/// has quad sets or no set at all (stopped before the first: its pain still matters); a session
/// of squats only is the squat loop's.
std::vector<engine::SessionOutcome> outcomes(Context& ctx, const engine::EngineConfig& cfg,
                                             const QuadSetDose& fallback_dose) {
    const auto id = ctx.profile->id;
    const PainHistory h = pain_history(ctx);
    auto history = ctx.store.recent_sessions(id, kSessionsLooked + 1);
    std::vector<engine::SessionOutcome> out;
    for (auto it = history.rbegin(); it != history.rend(); ++it) {
        const auto& s = it->session;
        if (s.status == profiles::SessionStatus::InProgress) {
            continue;
        }
        auto all_sets = ctx.store.sets_of(s.id);
        std::vector<profiles::SetRecord> sets;
        for (auto& set : all_sets) {
            if (set.exercise == kQuadExercise) {
                sets.push_back(std::move(set));
            }
        }
        if (sets.empty() && !all_sets.empty()) {
            continue; // squats only
        }
        engine::SessionOutcome o;
        o.id = static_cast<int>(s.id);
        o.day = local_day(s.started_at);
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
        fill_pain(o, h, s, cfg.child);
        out.push_back(o);
    }
    return out;
}

/// The same for the squat outer loop: sessions with squat sets, or with no set at all.
std::vector<engine::SquatSessionOutcome>
squat_outcomes(Context& ctx, const engine::SquatEngineConfig& cfg, const SquatDose& fallback_dose) {
    const auto id = ctx.profile->id;
    const PainHistory h = pain_history(ctx);
    auto history = ctx.store.recent_sessions(id, kSessionsLooked + 1);
    std::vector<engine::SquatSessionOutcome> out;
    for (auto it = history.rbegin(); it != history.rend(); ++it) {
        const auto& s = it->session;
        if (s.status == profiles::SessionStatus::InProgress) {
            continue;
        }
        const auto sets = profiles::squat_sets_of(ctx.store, s.id);
        if (sets.empty() && !ctx.store.sets_of(s.id).empty()) {
            continue; // quad sets only
        }
        engine::SquatSessionOutcome o;
        o.id = static_cast<int>(s.id);
        o.day = local_day(s.started_at);
        o.dose = sets.empty() ? fallback_dose : sets.front().dose;
        std::vector<SquatRepScore> reps;
        for (const auto& set : sets) {
            reps.insert(reps.end(), set.reps.begin(), set.reps.end());
        }
        o.completed = s.status == profiles::SessionStatus::Completed &&
                      static_cast<int>(reps.size()) >= o.dose.sets * o.dose.reps;
        const double target =
            cfg.child ? cfg.progression.child_success_target : cfg.progression.success_target;
        o.success =
            engine::summarize_success(reps, o.dose.reps, target, cfg.progression.late_share).share;
        fill_pain(o, h, s, cfg.child);
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

namespace {

// Fills a reason text with the decision's numbers; `key` is the text, `change` what moved.
template <typename Dose>
std::string reason_line(const Context& ctx, const engine::BasicDecision<Dose>& d,
                        const std::string& key, const std::string& change) {
    const std::string pain = ctx.t("reason.pain." + std::string(engine::rule_name(d.rule)));
    try {
        return fmt::format(fmt::runtime(ctx.t(key)), fmt::arg("change", change),
                           fmt::arg("pain", pain), fmt::arg("observed", num(d.observed)),
                           fmt::arg("limit", num(d.limit)),
                           fmt::arg("observed_pct", num(d.observed * 100)),
                           fmt::arg("limit_pct", num(d.limit * 100)));
    } catch (const fmt::format_error&) {
        return engine::describe(d); // a broken text falls back to the engine's own words
    }
}

constexpr const char* kSquatPrefix = "squat_";

bool is_squat_decision(const profiles::DecisionRecord& d) {
    return d.variable.rfind(kSquatPrefix, 0) == 0;
}

// The newest stored decision of one exercise, its reason; empty without one.
std::string latest_reason(Context& ctx, bool squat) {
    for (const auto& d : ctx.store.decisions(ctx.profile->id, 50)) {
        if (is_squat_decision(d) == squat) {
            return d.reason;
        }
    }
    return {};
}

// Stores one decision of the outer loop with its inputs and its line.
template <typename Dose, typename DoseJson>
void store_decision(Context& ctx, const engine::BasicDecision<Dose>& decision,
                    const std::string& text, const std::string& variable_prefix,
                    const char* exercise, DoseJson to_json) {
    profiles::DecisionRecord rec;
    rec.profile_id = ctx.profile->id;
    rec.light = decision.inputs.lights.empty()
                    ? std::string("none")
                    : std::string(engine::light_name(decision.inputs.lights.back().light));
    rec.action = engine::action_name(decision.action);
    rec.variable = variable_prefix + std::string(engine::variable_name(decision.variable));
    if (decision.variable != engine::Variable::None) {
        rec.from_value = decision.from;
        rec.to_value = decision.to;
    }
    rec.reason_code = engine::reason_name(decision.reason);
    rec.reason = text;
    rec.inputs_json = json{{"exercise", exercise},
                           {"today", decision.inputs.today},
                           {"sessions", decision.inputs.sessions.size()},
                           {"reds_in_window", decision.inputs.reds_in_window},
                           {"success_needed", decision.inputs.success_needed},
                           {"observed", decision.observed},
                           {"limit", decision.limit},
                           {"rule", engine::rule_name(decision.rule)},
                           {"dose_before", to_json(decision.dose_before)},
                           {"dose_after", to_json(decision.dose_after)}}
                          .dump();
    if (auto r = ctx.store.add_decision(rec); !r) {
        ctx.storage_error = r.error().message;
    }
}

// Red days of the other exercise's stored state, so that the lock is the profile's: two reds
// within the window lock progression whichever exercise they were in.
std::vector<int> red_days_in(const std::string& text) {
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return {};
    }
    try {
        return j.value("red_days", std::vector<int>{});
    } catch (const json::exception&) {
        return {};
    }
}

void merge_red_days(std::vector<int>& into, const std::vector<int>& other) {
    into.insert(into.end(), other.begin(), other.end());
    std::sort(into.begin(), into.end());
    into.erase(std::unique(into.begin(), into.end()), into.end());
}

// The lock as stored in an engine state: a lock lifted by the clinician since then clears the
// red history (OuterLoop::unlock()), so one new red does not lock again at once.
bool was_locked_in(const std::string& text) {
    const json j = json::parse(text, nullptr, false);
    return !j.is_discarded() && j.is_object() && j.value("locked", false);
}

// ---- controlled squats ----

json squat_dose_json(const SquatDose& d) {
    return {d.sets, d.reps,   d.depth_deg,  d.depth_cap_deg, d.down_s,  d.pause_s,
            d.up_s, d.rest_s, d.set_rest_s, d.tempo_tol_s,   d.corridor};
}
SquatDose squat_dose_from(const json& j) {
    SquatDose d;
    d.sets = j.at(0).get<int>();
    d.reps = j.at(1).get<int>();
    d.depth_deg = j.at(2).get<double>();
    d.depth_cap_deg = j.at(3).get<double>();
    d.down_s = j.at(4).get<double>();
    d.pause_s = j.at(5).get<double>();
    d.up_s = j.at(6).get<double>();
    d.rest_s = j.at(7).get<double>();
    d.set_rest_s = j.at(8).get<double>();
    d.tempo_tol_s = j.at(9).get<double>();
    d.corridor = j.at(10).get<double>();
    return d;
}
json stair_json(const engine::StaircaseState& s) {
    return {s.value, s.step_harder, s.reversals, s.last_direction, s.trials};
}
void stair_from(const json& j, engine::StaircaseState& s) {
    if (j.is_array() && j.size() == 5) {
        s = {j[0].get<double>(), j[1].get<double>(), j[2].get<int>(), j[3].get<int>(),
             j[4].get<int>()};
    }
}

std::string squat_state_json(const engine::SquatProgressionState& s,
                             const engine::SquatStaircaseState& stair) {
    json undo = json::array();
    for (const auto& d : s.undo) {
        undo.push_back(squat_dose_json(d));
    }
    json vars = json::array();
    for (auto v : s.undo_vars) {
        vars.push_back(static_cast<int>(v));
    }
    return json{{"red_days", s.red_days},
                {"undo", undo},
                {"undo_vars", vars},
                {"last_session_id", s.last_session_id},
                {"locked", s.locked},
                {"corridor", stair_json(stair.corridor)},
                {"tempo", stair_json(stair.tempo)}}
        .dump();
}

void read_squat_state(const std::string& text, engine::SquatProgressionState& s,
                      engine::SquatStaircaseState& stair) {
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return;
    }
    try {
        s.red_days = j.value("red_days", std::vector<int>{});
        for (const auto& d : j.value("undo", json::array())) {
            s.undo.push_back(squat_dose_from(d));
        }
        for (const auto& v : j.value("undo_vars", json::array())) {
            s.undo_vars.push_back(static_cast<engine::Variable>(v.get<int>()));
        }
        if (s.undo.size() != s.undo_vars.size()) {
            s.undo.clear();
            s.undo_vars.clear();
        }
        s.last_session_id = j.value("last_session_id", -1);
        stair_from(j.value("corridor", json::array()), stair.corridor);
        stair_from(j.value("tempo", json::array()), stair.tempo);
    } catch (const json::exception& e) {
        log::get("game")->warn("the squat adaptation state could not be read ({}); starting afresh",
                               e.what());
        s = {s.dose, s.locked, {}, {}, {}, -1};
    }
}

// The squat level a plan started from, else the content's default, else the first.
const content::SquatLevel* level_of(const Context& ctx, const std::string& id) {
    if (const auto* l = ctx.content.squat_level(id)) {
        return l;
    }
    if (const auto* l = ctx.content.squat_level(ctx.content.tuning.squat_default_level)) {
        return l;
    }
    return ctx.content.squat_levels.empty() ? nullptr : &ctx.content.squat_levels.front();
}

engine::SquatEngineConfig squat_config_for(const Context& ctx, const profiles::PlanRecord& plan,
                                           const profiles::SquatPlanRecord& squat) {
    engine::SquatEngineConfig cfg;
    const auto& a = ctx.content.tuning.adaptation;
    cfg.caps.max_sets = squat.cap_sets;
    cfg.caps.max_reps = squat.cap_reps;
    cfg.caps.max_depth_deg = std::min(squat.dose.depth_cap_deg, engine::kMaxSquatDepthDeg);
    // The floors never lift a clinician's smaller dose.
    cfg.caps.min_reps = std::min(cfg.caps.min_reps, std::max(1, squat.dose.reps));
    cfg.caps.min_sets = std::min(cfg.caps.min_sets, std::max(1, squat.dose.sets));
    cfg.caps.min_depth_deg =
        std::min(a.squat_min_depth_deg > 0 ? a.squat_min_depth_deg : cfg.caps.min_depth_deg,
                 squat.dose.depth_deg);
    cfg.child = ctx.profile->child;
    cfg.pain = thresholds_of(ctx, plan.thresholds);
    fill_progression(ctx, cfg.progression);
    return cfg;
}

engine::SquatStaircaseParams squat_stair_params(const Context& ctx, const SquatDose& nominal,
                                                const engine::SquatEngineConfig& cfg) {
    const auto& a = ctx.content.tuning.adaptation;
    const auto pos = [](double v, double fallback) { return v > 0 ? v : fallback; };
    engine::SquatStaircaseParams p;
    p.target_success =
        cfg.child ? cfg.progression.child_success_target : cfg.progression.success_target;
    p.corridor_share = ctx.content.tuning.squat.success_corridor_share;
    p.corridor.step_harder = pos(a.squat_corridor_step, 1.0);
    p.corridor.min_step_harder = pos(a.squat_corridor_min_step, 0.25);
    p.corridor.reversals_per_halving = a.staircase_reversals;
    const double corridor = nominal.corridor > 0 ? nominal.corridor : 6.0;
    p.corridor.floor = corridor * pos(a.squat_corridor_floor_factor, 0.5);
    p.corridor.ceiling = corridor * pos(a.squat_corridor_ceiling_factor, 1.5);
    p.tempo.step_harder = pos(a.squat_tempo_step_s, 0.1);
    p.tempo.min_step_harder = pos(a.squat_tempo_min_step_s, 0.025);
    p.tempo.reversals_per_halving = a.staircase_reversals;
    // The clinician's tolerance stays reachable even outside the usual window.
    p.tempo.floor = std::min(pos(a.squat_tempo_floor_s, 0.5), nominal.tempo_tol_s);
    p.tempo.ceiling = std::max(pos(a.squat_tempo_ceiling_s, 1.0), nominal.tempo_tol_s);
    return p;
}

double level_length(int reps, double work_s, double rest_s, double ready_s) {
    return ready_s + reps * work_s + std::max(0, reps - 1) * rest_s;
}

/// Fits one exercise's sets into a child's levels (see child_quadset_dose).
ChildFit fit_levels(int& sets, int& reps, double work_s, double& rest_s, double& set_rest_s,
                    int cap_reps, const content::ChildParams& c, double ready_s) {
    ChildFit fit;
    fit.applied = true;
    if (sets <= 0 || reps <= 0) {
        return fit;
    }
    const int cap = std::max(cap_reps, reps);
    const auto length = [&](int n) { return level_length(n, work_s, rest_s, ready_s); };
    // Too long: shorter rests first, then fewer holds per level.
    rest_s = std::min(rest_s, c.max_rest_s);
    if (length(reps) > c.max_level_s) {
        const double room = c.max_level_s - ready_s + rest_s;
        const int fits = std::max(1, static_cast<int>(std::floor(room / (work_s + rest_s))));
        if (fits < reps) {
            reps = fits;
            fit.shortened = true;
        }
    }
    // Too short: join sets into longer levels, never more holds in all nor past the cap ...
    while (sets > 1 && length(reps) < c.min_level_s) {
        const int joined = sets * reps / (sets - 1);
        if (joined > cap || length(joined) > c.max_level_s) {
            break;
        }
        --sets;
        reps = joined;
        fit.joined = true;
    }
    // ... then longer rests between the holds (a rest is never harder), up to max_rest_s.
    if (length(reps) < c.min_level_s && reps > 1) {
        const double need = std::ceil((c.min_level_s - ready_s - reps * work_s) / (reps - 1));
        rest_s = std::max(rest_s, std::min(c.max_rest_s, need));
    }
    if (sets > 1) {
        set_rest_s = std::clamp(set_rest_s, c.min_set_rest_s, c.max_set_rest_s);
    }
    fit.level_s = length(reps);
    fit.below_min = fit.level_s < c.min_level_s - 1e-9;
    return fit;
}

} // namespace

double level_seconds(const QuadSetDose& d, double get_ready_s) {
    return level_length(d.reps, d.hold_s, d.rest_s, get_ready_s);
}

double level_seconds(const SquatDose& d, double get_ready_s) {
    return level_length(d.reps, d.down_s + d.pause_s + d.up_s, d.rest_s, get_ready_s);
}

QuadSetDose child_quadset_dose(const QuadSetDose& dose, int cap_reps,
                               const content::ChildParams& child, double get_ready_s,
                               ChildFit* fit) {
    QuadSetDose d = dose;
    const ChildFit f =
        fit_levels(d.sets, d.reps, d.hold_s, d.rest_s, d.set_rest_s, cap_reps, child, get_ready_s);
    if (fit != nullptr) {
        *fit = f;
    }
    return d;
}

SquatDose child_squat_dose(const SquatDose& dose, int cap_reps, const content::ChildParams& child,
                           double get_ready_s, ChildFit* fit) {
    SquatDose d = dose;
    const ChildFit f = fit_levels(d.sets, d.reps, d.down_s + d.pause_s + d.up_s, d.rest_s,
                                  d.set_rest_s, cap_reps, child, get_ready_s);
    if (fit != nullptr) {
        *fit = f;
    }
    return d;
}

QuadSetDose dose_for_profile(const Context& ctx, const QuadSetDose& dose, int cap_reps,
                             ChildFit* fit) {
    if (!ctx.profile || !ctx.profile->child) {
        if (fit != nullptr) {
            *fit = {};
        }
        return dose;
    }
    return child_quadset_dose(dose, cap_reps, ctx.content.tuning.child,
                              ctx.content.tuning.quadset.get_ready_s, fit);
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
    return reason_line(ctx, d, "reason." + code, change);
}

std::string decision_text(const Context& ctx, const engine::SquatDecision& d) {
    const std::string code(engine::reason_name(d.reason));
    std::string change;
    switch (d.variable) {
    case engine::Variable::Reps:
        change = ctx.tf("reason.squat_change.reps", d.dose_before.sets, d.dose_before.reps,
                        d.dose_after.sets, d.dose_after.reps);
        break;
    case engine::Variable::Depth:
        change = ctx.tf("reason.squat_change.depth", num(d.from), num(d.to));
        break;
    case engine::Variable::Hold:
    case engine::Variable::Intensity:
    case engine::Variable::None:
        change = ctx.t("reason.change.none");
        break;
    }
    const std::string squat_key = "reason.squat." + code;
    const bool own = ctx.content.texts.count(squat_key) != 0;
    return reason_line(ctx, d, own ? squat_key : "reason." + code, change);
}

engine::PainThresholds pain_thresholds_for(const Context& ctx) {
    profiles::PainThresholds t;
    if (ctx.profile) {
        if (auto plan = ctx.store.plan(ctx.profile->id)) {
            t = plan->thresholds;
        }
    }
    return thresholds_of(ctx, t);
}

PainRuleParams pain_rules_for(const Context& ctx) {
    PainRuleParams p = ctx.content.tuning.pain;
    if (ctx.profile) {
        if (auto plan = ctx.store.plan(ctx.profile->id)) {
            p.stop_set_at = plan->thresholds.stop_set_at.value_or(p.stop_set_at);
            p.stop_session_at = plan->thresholds.stop_session_at.value_or(p.stop_session_at);
        }
    }
    return p;
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
    if (was_locked_in(plan.engine_state_json) && !plan.locked) {
        state.red_days.clear(); // the clinician lifted the lock
    } else if (const auto squat = profiles::squat_plan(ctx.store, ctx.profile->id)) {
        merge_red_days(state.red_days, red_days_in(squat->engine_state_json));
    }

    TodayPlan today;
    std::string reason;
    const auto recent = outcomes(ctx, cfg, plan.dose);
    if (plan.progression_enabled) {
        const auto decision =
            engine::decide(state, recent, local_day(profiles::now_iso8601()), cfg);
        if (decision.reason != engine::Reason::AlreadyDecided) {
            state = engine::apply(state, decision);
            reason = decision_text(ctx, decision);
            store_decision(ctx, decision, reason, "", kQuadExercise, dose_json);
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

    // A child plays the plan's dose in short levels; the plan itself (and what the outer loop
    // moves) stays the clinician's and the engine's.
    today.cap_reps = plan.cap_reps;
    today.dose = dose_for_profile(ctx, plan.dose, plan.cap_reps, &today.child);
    today.locked = plan.locked;
    today.reason = reason.empty() ? latest_reason(ctx, false) : reason;
    today.stair.target_success =
        ctx.profile->child ? cfg.progression.child_success_target : cfg.progression.success_target;
    const auto& a = ctx.content.tuning.adaptation;
    today.stair.step_harder = a.staircase_step_pct;
    today.stair.min_step_harder = a.staircase_min_step_pct;
    today.stair.reversals_per_halving = a.staircase_reversals;
    const double hw = engine::band_half_width(plan.dose);
    today.stair.floor = std::max(a.staircase_min_step_pct, hw * a.band_floor_factor);
    if (plan.band_low_cap_pct > 0) {
        // Narrowing the band raises its lower edge: never past the plan's cap on it.
        const double centre = 0.5 * (plan.dose.band_low_pct + plan.dose.band_high_pct);
        today.stair.floor = std::max(today.stair.floor, centre - plan.band_low_cap_pct);
    }
    today.stair.ceiling = std::max(hw * a.band_ceiling_factor, today.stair.floor);
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

profiles::SquatPlanRecord default_squat_plan(const Context& ctx, std::int64_t profile_id) {
    const auto& t = ctx.content.tuning;
    const auto* start = level_of(ctx, t.squat_default_level);
    const auto* cap = ctx.content.squat_level(t.squat_max_level_without_plan);
    profiles::SquatPlanRecord p;
    p.profile_id = profile_id;
    if (start != nullptr) {
        p.level_id = start->id;
        p.dose = start->dose;
    } else { // no squat levels at all: CLINICAL.md's S1
        p.level_id = "S1";
        p.dose = SquatDose{1, 10, 30, 3, 0, 2, 2, 0, 0.75, 6, 45};
    }
    const SquatDose c = cap ? cap->dose : p.dose;
    // No clinician's plan: at most the highest level without one, and no deeper than its depth.
    p.cap_sets = std::max(c.sets, p.dose.sets);
    p.cap_reps = std::max(c.reps, p.dose.reps);
    p.dose.depth_cap_deg = std::max(p.dose.depth_deg, std::min(c.depth_deg, c.depth_cap_deg));
    return p;
}

SquatTodayPlan plan_squats_today(Context& ctx) {
    const auto id = ctx.profile->id;
    auto stored_plan = ctx.store.plan(id);
    const profiles::PlanRecord plan = stored_plan ? *stored_plan : default_plan(ctx);
    auto stored = profiles::squat_plan(ctx.store, id);
    profiles::SquatPlanRecord squat = stored ? *stored : default_squat_plan(ctx, id);
    const auto* level = level_of(ctx, squat.level_id);
    // Corridor and set rest are not part of a plan: the level's.
    SquatDose nominal = squat.dose;
    nominal.corridor = level ? level->dose.corridor : 6.0;
    nominal.set_rest_s = level ? level->dose.set_rest_s : 0.0;
    const auto cfg = squat_config_for(ctx, plan, squat);

    engine::SquatProgressionState state;
    state.dose = nominal;
    state.locked = plan.locked;
    const auto params = squat_stair_params(ctx, nominal, cfg);
    engine::SquatStaircaseState stair{{nominal.corridor, params.corridor.step_harder, 0, 0, 0},
                                      {nominal.tempo_tol_s, params.tempo.step_harder, 0, 0, 0}};
    read_squat_state(squat.engine_state_json, state, stair);
    if (was_locked_in(squat.engine_state_json) && !plan.locked) {
        state.red_days.clear(); // the clinician lifted the lock
    } else {
        merge_red_days(state.red_days, red_days_in(plan.engine_state_json));
    }

    std::string reason;
    const auto recent = squat_outcomes(ctx, cfg, nominal);
    if (plan.progression_enabled) {
        const auto decision =
            engine::decide(state, recent, local_day(profiles::now_iso8601()), cfg);
        if (decision.reason != engine::Reason::AlreadyDecided) {
            state = engine::apply(state, decision);
            reason = decision_text(ctx, decision);
            store_decision(ctx, decision, reason, kSquatPrefix, "squat", squat_dose_json);
        }
    }
    // Only what the outer loop moves comes from its state; tempo and rests stay the plan's.
    squat.dose.sets = state.dose.sets;
    squat.dose.reps = state.dose.reps;
    squat.dose.depth_deg = state.dose.depth_deg;
    squat.dose.depth_cap_deg = std::min(squat.dose.depth_cap_deg, state.dose.depth_cap_deg);
    squat.engine_state_json = squat_state_json(state, stair);
    if (auto r = profiles::save_squat_plan(ctx.store, squat); !r) {
        ctx.storage_error = r.error().message;
    }
    // The lock is the profile's: a lock decided here pauses quad sets too.
    if (state.locked && !plan.locked) {
        profiles::PlanRecord locked = stored_plan ? *stored_plan : plan;
        locked.locked = true;
        if (auto r = ctx.store.save_plan(locked); !r) {
            ctx.storage_error = r.error().message;
        }
    }

    SquatTodayPlan today;
    today.level_id = squat.level_id;
    today.locked = state.locked;
    today.enabled = plan.squat_enabled;
    today.reason = reason.empty() ? latest_reason(ctx, true) : reason;
    today.stair = params;
    today.stair_state = stair;
    today.stair_state.corridor.value =
        std::clamp(stair.corridor.value, params.corridor.floor, params.corridor.ceiling);
    today.stair_state.tempo.value =
        std::clamp(stair.tempo.value, params.tempo.floor, params.tempo.ceiling);
    SquatDose dose = squat.dose;
    dose.corridor = today.stair_state.corridor.value;
    dose.tempo_tol_s = today.stair_state.tempo.value;
    dose.set_rest_s = nominal.set_rest_s;
    today.dose = dose;
    if (ctx.profile->child) { // short levels with forced rests (docs/child-mode.md)
        today.dose = child_squat_dose(dose, squat.cap_reps, ctx.content.tuning.child,
                                      ctx.content.tuning.squat.get_ready_s, &today.child);
    }
    return today;
}

void save_squat_staircases(Context& ctx, const engine::SquatStaircaseState& stair) {
    auto squat = profiles::squat_plan(ctx.store, ctx.profile->id);
    if (!squat) {
        return;
    }
    engine::SquatProgressionState state;
    engine::SquatStaircaseState old;
    read_squat_state(squat->engine_state_json, state, old);
    state.dose = squat->dose;
    state.locked = was_locked_in(squat->engine_state_json);
    squat->engine_state_json = squat_state_json(state, stair);
    if (auto r = profiles::save_squat_plan(ctx.store, *squat); !r) {
        ctx.storage_error = r.error().message;
    }
}

} // namespace qv::game
