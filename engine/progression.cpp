#include "engine/progression.hpp"

#include <algorithm>
#include <cmath>

namespace qv::engine {

namespace {

constexpr double kEps = 1e-9;
// The undo stack keeps at most this many steps (a plan has far fewer rungs).
constexpr std::size_t kMaxUndo = 256;

double centre(const QuadSetDose& d) {
    return 0.5 * (d.band_low_pct + d.band_high_pct);
}

int ceil_div(int a, int b) {
    return b > 0 ? (a + b - 1) / b : a;
}

// Round a band edge to half a percent, the resolution a clinician writes plans in.
double round_half(double v) {
    return std::round(v * 2.0) / 2.0;
}

// A dose with `volume` total reps: as few sets as fit max_reps, never fewer than `min_sets_now`.
template <typename Dose, typename Caps>
Dose with_volume(const Dose& d, int volume, int min_sets_now, const Caps& c) {
    Dose out = d;
    const int max_reps = std::max(1, c.max_reps);
    const int sets = std::clamp(std::max(min_sets_now, ceil_div(volume, max_reps)),
                                std::max(1, c.min_sets), std::max(1, c.max_sets));
    out.sets = sets;
    out.reps = std::clamp(ceil_div(volume, sets), std::max(1, c.min_reps), max_reps);
    return out;
}

// The band scaled by `factor` about zero (relative width kept), edges at half percents.
QuadSetDose scale_band(const QuadSetDose& d, double factor) {
    QuadSetDose out = d;
    out.band_low_pct = round_half(d.band_low_pct * factor);
    out.band_high_pct = round_half(d.band_high_pct * factor);
    return out;
}

template <typename Dose> bool same_value(const Dose& a, const Dose& b, Variable v) {
    return std::abs(variable_value(a, v) - variable_value(b, v)) < kEps;
}

// Volume one step up or down (shared by quad sets and squats).
template <typename Dose, typename Caps>
Dose volume_up(const Dose& dose, const Caps& caps, const ProgressionParams& params) {
    const int volume = dose.sets * dose.reps;
    const int cap = std::max(1, caps.max_sets) * std::max(1, caps.max_reps);
    if (volume >= cap)
        return dose;
    const int wanted =
        std::max(volume + 1, static_cast<int>(std::lround(volume * (1.0 + params.volume_step))));
    const Dose out = with_volume(dose, std::min(wanted, cap), dose.sets, caps);
    return out.sets * out.reps > volume ? out : dose;
}
template <typename Dose, typename Caps>
Dose volume_down(const Dose& dose, const Caps& caps, const ProgressionParams& params) {
    const int volume = dose.sets * dose.reps;
    const int floor = std::max(1, caps.min_sets) * std::max(1, caps.min_reps);
    if (volume <= floor)
        return dose;
    const int wanted =
        std::min(volume - 1, static_cast<int>(std::lround(volume / (1.0 + params.volume_step))));
    const Dose out = with_volume(dose, std::max(wanted, floor), caps.min_sets, caps);
    return out.sets * out.reps < volume ? out : dose;
}

// The deepest a squat dose may go: its own cap, the plan's and 90 degrees, whichever is least.
double depth_limit(const SquatDose& d, const SquatCaps& c) {
    return std::max(0.0, std::min({d.depth_cap_deg, c.max_depth_deg, kMaxSquatDepthDeg}));
}

// True when clamp_to_plan changed something the outer loop prescribes.
bool differs(const QuadSetDose& a, const QuadSetDose& b) {
    return a.sets * a.reps != b.sets * b.reps || a.hold_s != b.hold_s ||
           a.band_high_pct != b.band_high_pct || a.band_low_pct != b.band_low_pct;
}
bool differs(const SquatDose& a, const SquatDose& b) {
    return a.sets * a.reps != b.sets * b.reps || a.depth_deg != b.depth_deg ||
           a.depth_cap_deg != b.depth_cap_deg;
}

} // namespace

std::vector<Variable> ProgressionParams::default_order() {
    std::vector<Variable> order;
    order.reserve(4);
    order.push_back(Variable::Reps);
    order.push_back(Variable::Hold);
    order.push_back(Variable::Intensity);
    order.push_back(Variable::Depth);
    return order;
}

namespace {

template <typename Rep>
SuccessSummary summarize(std::span<const Rep> reps, int reps_per_set, double target,
                         double late_share) {
    SuccessSummary s;
    const int per_set = std::max(1, reps_per_set);
    const int late_from =
        per_set - static_cast<int>(std::ceil(static_cast<double>(per_set) * late_share - kEps));
    // Per set: holds before the late part, and their successes.
    int max_set = -1;
    for (const auto& r : reps)
        max_set = std::max(max_set, r.set_index);
    std::vector<int> early(static_cast<std::size_t>(max_set + 1), 0);
    std::vector<int> early_ok(early.size(), 0);
    for (const auto& r : reps) {
        if (r.rep_index < late_from) {
            ++early[static_cast<std::size_t>(r.set_index)];
            early_ok[static_cast<std::size_t>(r.set_index)] += r.success ? 1 : 0;
        }
    }
    for (const auto& r : reps) {
        ++s.reps;
        if (r.success) {
            ++s.successes;
            continue;
        }
        const auto i = static_cast<std::size_t>(r.set_index);
        const bool late = r.rep_index >= late_from && early[i] > 0;
        if (late && static_cast<double>(early_ok[i]) >= target * early[i] - kEps)
            ++s.excused;
    }
    const int counted = s.reps - s.excused;
    s.share = counted > 0 ? static_cast<double>(s.successes) / counted : 0.0;
    return s;
}

} // namespace

SuccessSummary summarize_success(std::span<const QuadSetRepScore> reps, int reps_per_set,
                                 double target, double late_share) {
    return summarize(reps, reps_per_set, target, late_share);
}

SuccessSummary summarize_success(std::span<const SquatRepScore> reps, int reps_per_set,
                                 double target, double late_share) {
    return summarize(reps, reps_per_set, target, late_share);
}

double variable_value(const QuadSetDose& dose, Variable variable) {
    switch (variable) {
    case Variable::Reps:
        return static_cast<double>(dose.sets * dose.reps);
    case Variable::Hold:
        return dose.hold_s;
    case Variable::Intensity:
        return centre(dose);
    case Variable::None:
    case Variable::Depth:
        break;
    }
    return 0.0;
}

QuadSetDose step_up(const QuadSetDose& dose, Variable variable, const PlanCaps& caps,
                    const ProgressionParams& params) {
    switch (variable) {
    case Variable::Reps:
        return volume_up(dose, caps, params);
    case Variable::Hold: {
        if (dose.hold_s >= caps.max_hold_s - kEps)
            return dose;
        QuadSetDose out = dose;
        const double wanted = std::max(dose.hold_s + params.min_hold_step_s,
                                       std::round(dose.hold_s * (1.0 + params.hold_step)));
        out.hold_s = std::min(wanted, caps.max_hold_s);
        return out;
    }
    case Variable::Intensity: {
        const double c = centre(dose);
        if (dose.band_high_pct >= caps.max_band_high_pct - kEps || c <= 0)
            return dose;
        const bool low_capped = caps.max_band_low_pct > 0 && dose.band_low_pct > 0;
        if (low_capped && dose.band_low_pct >= caps.max_band_low_pct - kEps)
            return dose;
        double factor =
            std::max(1.0 + params.intensity_step, (c + params.min_intensity_step_pct) / c);
        factor = std::min(factor, caps.max_band_high_pct / dose.band_high_pct);
        if (low_capped)
            factor = std::min(factor, caps.max_band_low_pct / dose.band_low_pct);
        QuadSetDose out = scale_band(dose, factor);
        if (out.band_high_pct > caps.max_band_high_pct) {
            out.band_low_pct = dose.band_low_pct * caps.max_band_high_pct / dose.band_high_pct;
            out.band_high_pct = caps.max_band_high_pct;
        }
        if (low_capped && out.band_low_pct > caps.max_band_low_pct) {
            out.band_high_pct = dose.band_high_pct * caps.max_band_low_pct / dose.band_low_pct;
            out.band_low_pct = caps.max_band_low_pct;
        }
        return centre(out) > c + kEps ? out : dose;
    }
    case Variable::None:
    case Variable::Depth:
        break;
    }
    return dose;
}

QuadSetDose step_down(const QuadSetDose& dose, Variable variable, const PlanCaps& caps,
                      const ProgressionParams& params) {
    switch (variable) {
    case Variable::Reps:
        return volume_down(dose, caps, params);
    case Variable::Hold: {
        if (dose.hold_s <= caps.min_hold_s + kEps)
            return dose;
        QuadSetDose out = dose;
        const double wanted = std::min(dose.hold_s - params.min_hold_step_s,
                                       std::round(dose.hold_s / (1.0 + params.hold_step)));
        out.hold_s = std::max(wanted, caps.min_hold_s);
        return out;
    }
    case Variable::Intensity: {
        const double c = centre(dose);
        if (dose.band_low_pct <= caps.min_band_low_pct + kEps || c <= 0)
            return dose;
        double factor =
            std::min(1.0 / (1.0 + params.intensity_step), (c - params.min_intensity_step_pct) / c);
        factor = std::max(factor, caps.min_band_low_pct / dose.band_low_pct);
        QuadSetDose out = scale_band(dose, factor);
        if (out.band_low_pct < caps.min_band_low_pct) {
            out.band_high_pct = dose.band_high_pct * caps.min_band_low_pct / dose.band_low_pct;
            out.band_low_pct = caps.min_band_low_pct;
        }
        return centre(out) < c - kEps ? out : dose;
    }
    case Variable::None:
    case Variable::Depth:
        break;
    }
    return dose;
}

bool at_cap(const QuadSetDose& dose, Variable variable, const PlanCaps& caps,
            const ProgressionParams& params) {
    return same_value(step_up(dose, variable, caps, params), dose, variable);
}

std::optional<Variable> next_variable(const QuadSetDose& dose, const PlanCaps& caps,
                                      const ProgressionParams& params) {
    for (Variable v : params.order) {
        if (!at_cap(dose, v, caps, params))
            return v;
    }
    return std::nullopt;
}

QuadSetDose clamp_to_plan(const QuadSetDose& dose, const PlanCaps& caps) {
    QuadSetDose out = dose;
    out.sets = std::clamp(out.sets, std::max(1, caps.min_sets), std::max(1, caps.max_sets));
    out.reps = std::clamp(out.reps, std::max(1, caps.min_reps), std::max(1, caps.max_reps));
    out.hold_s =
        std::clamp(out.hold_s, caps.min_hold_s, std::max(caps.min_hold_s, caps.max_hold_s));
    if (caps.max_band_low_pct > 0 && out.band_low_pct > caps.max_band_low_pct) {
        out = scale_band(out, caps.max_band_low_pct / out.band_low_pct);
        out.band_low_pct = std::min(out.band_low_pct, caps.max_band_low_pct);
    }
    if (out.band_high_pct > caps.max_band_high_pct && out.band_high_pct > 0)
        out = scale_band(out, caps.max_band_high_pct / out.band_high_pct);
    if (out.band_high_pct > caps.max_band_high_pct)
        out.band_high_pct = caps.max_band_high_pct;
    if (out.band_low_pct < caps.min_band_low_pct) {
        out.band_low_pct = std::min(caps.min_band_low_pct, out.band_high_pct);
    }
    return out;
}

double variable_value(const SquatDose& dose, Variable variable) {
    switch (variable) {
    case Variable::Reps:
        return static_cast<double>(dose.sets * dose.reps);
    case Variable::Depth:
        return dose.depth_deg;
    case Variable::None:
    case Variable::Hold:
    case Variable::Intensity:
        break;
    }
    return 0.0;
}

SquatDose step_up(const SquatDose& dose, Variable variable, const SquatCaps& caps,
                  const ProgressionParams& params) {
    switch (variable) {
    case Variable::Reps:
        return volume_up(dose, caps, params);
    case Variable::Depth: {
        const double limit = depth_limit(dose, caps);
        if (dose.depth_deg >= limit - kEps)
            return dose;
        SquatDose out = dose;
        out.depth_deg = std::min(dose.depth_deg + std::max(0.5, params.depth_step_deg), limit);
        return out;
    }
    case Variable::None:
    case Variable::Hold:
    case Variable::Intensity:
        break;
    }
    return dose;
}

SquatDose step_down(const SquatDose& dose, Variable variable, const SquatCaps& caps,
                    const ProgressionParams& params) {
    switch (variable) {
    case Variable::Reps:
        return volume_down(dose, caps, params);
    case Variable::Depth: {
        if (dose.depth_deg <= caps.min_depth_deg + kEps)
            return dose;
        SquatDose out = dose;
        out.depth_deg =
            std::max(dose.depth_deg - std::max(0.5, params.depth_step_deg), caps.min_depth_deg);
        return out;
    }
    case Variable::None:
    case Variable::Hold:
    case Variable::Intensity:
        break;
    }
    return dose;
}

bool at_cap(const SquatDose& dose, Variable variable, const SquatCaps& caps,
            const ProgressionParams& params) {
    return same_value(step_up(dose, variable, caps, params), dose, variable);
}

std::optional<Variable> next_variable(const SquatDose& dose, const SquatCaps& caps,
                                      const ProgressionParams& params) {
    for (Variable v : params.order) {
        if (!at_cap(dose, v, caps, params))
            return v;
    }
    return std::nullopt;
}

SquatDose clamp_to_plan(const SquatDose& dose, const SquatCaps& caps) {
    SquatDose out = dose;
    out.sets = std::clamp(out.sets, std::max(1, caps.min_sets), std::max(1, caps.max_sets));
    out.reps = std::clamp(out.reps, std::max(1, caps.min_reps), std::max(1, caps.max_reps));
    out.depth_cap_deg = depth_limit(dose, caps);
    out.depth_deg = std::clamp(out.depth_deg, std::min(caps.min_depth_deg, out.depth_cap_deg),
                               out.depth_cap_deg);
    return out;
}

namespace {

// One step back: undo the newest progression, or else step down the variable latest in the
// order that is above its floor. Sets `variable`, `from`, `to` and dose_after.
template <typename Dose>
void step_back(const BasicProgressionState<Dose>& state, const BasicEngineConfig<Dose>& config,
               BasicDecision<Dose>& d) {
    if (!state.undo.empty()) {
        d.variable = state.undo_vars.back();
        d.dose_after = clamp_to_plan(state.undo.back(), config.caps);
    } else {
        const auto& order = config.progression.order;
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            const Dose down = step_down(d.dose_before, *it, config.caps, config.progression);
            if (!same_value(down, d.dose_before, *it)) {
                d.variable = *it;
                d.dose_after = down;
                break;
            }
        }
    }
    d.from = variable_value(d.dose_before, d.variable);
    d.to = variable_value(d.dose_after, d.variable);
}

template <typename Dose>
BasicDecision<Dose> decide_impl(const BasicProgressionState<Dose>& state,
                                std::span<const BasicSessionOutcome<Dose>> recent, int today,
                                const BasicEngineConfig<Dose>& config) {
    const ProgressionParams& p = config.progression;
    BasicDecision<Dose> d;
    d.dose_before = state.dose;
    d.dose_after = state.dose;
    d.locked = state.locked;
    d.inputs.today = today;
    d.inputs.was_locked = state.locked;
    d.inputs.caps = config.caps;
    const double target = config.child ? p.child_success_target : p.success_target;
    d.inputs.success_needed = target - p.success_margin;

    const std::size_t needed = static_cast<std::size_t>(std::max(1, p.sessions_needed));
    const std::size_t n = std::min(needed, recent.size());
    for (std::size_t i = recent.size() - n; i < recent.size(); ++i) {
        BasicSessionOutcome<Dose> s = recent[i];
        s.pain.child = s.pain.child || config.child;
        d.inputs.lights.push_back(classify(s.pain, config.pain));
        d.inputs.sessions.push_back(std::move(s));
    }

    // A plan whose caps were lowered below the dose: bring the dose inside first.
    const Dose inside = clamp_to_plan(state.dose, config.caps);
    const bool outside = differs(inside, state.dose);

    if (n == 0 || d.inputs.sessions.back().id <= state.last_session_id) {
        if (outside) {
            d.action = Action::StepBack;
            d.reason = Reason::AbovePlanCap;
            d.dose_after = inside;
            return d;
        }
        d.action = state.locked ? Action::Lock : Action::Hold;
        d.reason = n == 0 ? Reason::NotEnoughSessions
                          : (state.locked ? Reason::Locked : Reason::AlreadyDecided);
        d.observed = static_cast<double>(n);
        d.limit = static_cast<double>(needed);
        return d;
    }

    const BasicSessionOutcome<Dose>& latest = d.inputs.sessions.back();
    const LightVerdict latest_light = d.inputs.lights.back();

    // Red: one step back for the first red of an episode (a red right after a red holds: the
    // episode has already cost its step); a second red within the window locks progression.
    if (latest_light.light == Light::Red) {
        int reds = 1;
        for (int day : state.red_days) {
            if (day < latest.day && latest.day - day < p.red_window_days)
                ++reds;
        }
        d.inputs.reds_in_window = reds;
        d.rule = latest_light.rule;
        d.observed = latest.pain.during.value_or(0.0);
        const bool after_red = n >= 2 && d.inputs.lights[n - 2].light == Light::Red;
        if (!after_red)
            step_back(state, config, d);
        if (reds >= p.red_lock_count) {
            d.action = Action::Lock;
            d.reason = state.locked ? Reason::Locked : Reason::TwoRedsInWeek;
            d.locked = true;
            d.observed = reds;
            d.limit = p.red_lock_count;
        } else if (d.variable != Variable::None) {
            d.action = Action::StepBack;
            d.reason = Reason::PainRed;
        } else {
            d.action = state.locked ? Action::Lock : Action::Hold;
            d.reason = after_red ? Reason::RecentRed : Reason::RedAtFloor;
        }
        return d;
    }

    if (outside) {
        d.action = Action::StepBack;
        d.reason = Reason::AbovePlanCap;
        d.dose_after = inside;
        return d;
    }
    if (state.locked) {
        d.action = Action::Lock;
        d.reason = Reason::Locked;
        return d;
    }
    if (n < needed) {
        d.action = Action::Hold;
        d.reason = Reason::NotEnoughSessions;
        d.observed = static_cast<double>(n);
        d.limit = static_cast<double>(needed);
        return d;
    }
    const int gap = latest.day - d.inputs.sessions.front().day;
    if (gap > p.max_gap_days) {
        d.action = Action::Hold;
        d.reason = Reason::LongBreak;
        d.observed = gap;
        d.limit = p.max_gap_days;
        return d;
    }
    // Pain: every session of the window green, next morning included. Newest first.
    for (std::size_t i = n; i-- > 0;) {
        const LightVerdict& l = d.inputs.lights[i];
        if (l.light == Light::Green)
            continue;
        d.action = Action::Hold;
        d.rule = l.rule;
        d.reason = l.light == Light::Red                ? Reason::RecentRed
                   : l.rule == PainRule::MissingMorning ? Reason::MissingMorning
                                                        : Reason::PainAmber;
        d.observed = d.inputs.sessions[i].pain.during.value_or(0.0);
        return d;
    }
    for (const auto& s : d.inputs.sessions) {
        if (!s.completed) {
            d.action = Action::Hold;
            d.reason = Reason::DoseNotCompleted;
            return d;
        }
    }
    for (const auto& s : d.inputs.sessions) {
        if (s.success < d.inputs.success_needed - kEps) {
            d.action = Action::Hold;
            d.reason = Reason::SuccessBelowTarget;
            d.observed = s.success;
            d.limit = d.inputs.success_needed;
            return d;
        }
    }
    const auto next = next_variable(state.dose, config.caps, p);
    if (!next) {
        d.action = Action::AtCap;
        d.reason = Reason::AllAtCap;
        return d;
    }
    d.action = Action::Progress;
    d.reason = Reason::CalmTwoSessions;
    d.variable = *next;
    d.dose_after = step_up(state.dose, *next, config.caps, p);
    d.from = variable_value(d.dose_before, d.variable);
    d.to = variable_value(d.dose_after, d.variable);
    return d;
}

template <typename Dose>
BasicProgressionState<Dose> apply_impl(const BasicProgressionState<Dose>& state,
                                       const BasicDecision<Dose>& decision) {
    BasicProgressionState<Dose> s = state;
    s.dose = decision.dose_after;
    s.locked = decision.locked;
    if (!decision.inputs.sessions.empty())
        s.last_session_id = std::max(s.last_session_id, decision.inputs.sessions.back().id);
    if (!decision.inputs.lights.empty() && decision.inputs.lights.back().light == Light::Red &&
        decision.inputs.sessions.back().id > state.last_session_id) {
        s.red_days.push_back(decision.inputs.sessions.back().day);
    }
    // Only reds of the last few weeks matter.
    if (!s.red_days.empty()) {
        const int newest = s.red_days.back();
        std::erase_if(s.red_days, [newest](int day) { return newest - day > 31; });
    }
    if (decision.action == Action::Progress) {
        s.undo.push_back(decision.dose_before);
        s.undo_vars.push_back(decision.variable);
        if (s.undo.size() > kMaxUndo) {
            s.undo.erase(s.undo.begin());
            s.undo_vars.erase(s.undo_vars.begin());
        }
    } else if ((decision.action == Action::StepBack || decision.action == Action::Lock) &&
               decision.variable != Variable::None && decision.reason != Reason::AbovePlanCap &&
               !state.undo.empty()) {
        s.undo.pop_back();
        s.undo_vars.pop_back();
    }
    return s;
}

} // namespace

Decision decide(const ProgressionState& state, std::span<const SessionOutcome> recent, int today,
                const EngineConfig& config) {
    return decide_impl(state, recent, today, config);
}

SquatDecision decide(const SquatProgressionState& state,
                     std::span<const SquatSessionOutcome> recent, int today,
                     const SquatEngineConfig& config) {
    return decide_impl(state, recent, today, config);
}

ProgressionState apply(const ProgressionState& state, const Decision& decision) {
    return apply_impl(state, decision);
}

SquatProgressionState apply(const SquatProgressionState& state, const SquatDecision& decision) {
    return apply_impl(state, decision);
}

template <typename Dose>
BasicOuterLoop<Dose>::BasicOuterLoop(BasicEngineConfig<Dose> config, const Dose& start)
    : config_(std::move(config)) {
    state_.dose = clamp_to_plan(start, config_.caps);
}

template <typename Dose>
BasicOuterLoop<Dose>::BasicOuterLoop(BasicEngineConfig<Dose> config,
                                     BasicProgressionState<Dose> state)
    : config_(std::move(config)), state_(std::move(state)) {}

template <typename Dose>
BasicDecision<Dose> BasicOuterLoop<Dose>::decide(std::span<const BasicSessionOutcome<Dose>> recent,
                                                 int today) {
    BasicDecision<Dose> d = engine::decide(state_, recent, today, config_);
    state_ = engine::apply(state_, d);
    return d;
}

template <typename Dose> void BasicOuterLoop<Dose>::unlock() {
    state_.locked = false;
    state_.red_days.clear();
}

template class BasicOuterLoop<QuadSetDose>;
template class BasicOuterLoop<SquatDose>;

} // namespace qv::engine
