#include "engine/describe.hpp"

#include <cmath>
#include <cstdio>

namespace qv::engine {

namespace {

// A number without needless decimals: "10", "27.5".
std::string num(double v) {
    char buf[32];
    if (std::abs(v - std::round(v)) < 0.05)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else
        std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

template <typename Dose> std::string sets_reps(const Dose& d) {
    return num(d.sets) + " x " + num(d.reps);
}

// "holds go from 8 s to 10 s", "reps go from 1 x 10 to 2 x 6", "effort goes from 25 % to 27 %",
// "depth goes from 30 to 35 degrees".
template <typename Dose> std::string change(const BasicDecision<Dose>& d) {
    switch (d.variable) {
    case Variable::Reps:
        return "reps go from " + sets_reps(d.dose_before) + " to " + sets_reps(d.dose_after);
    case Variable::Hold:
        return "holds go from " + num(d.from) + " s to " + num(d.to) + " s";
    case Variable::Intensity:
        return "effort goes from " + num(d.from) + " % to " + num(d.to) + " % of your maximum";
    case Variable::Depth:
        return "depth goes from " + num(d.from) + " to " + num(d.to) + " degrees";
    case Variable::None:
        break;
    }
    return "the exercise stays the same";
}

std::string pain_words(PainRule rule) {
    switch (rule) {
    case PainRule::DuringModerate:
    case PainRule::DuringHigh:
        return "your knee hurt during the exercise";
    case PainRule::AfterModerate:
    case PainRule::AfterHigh:
        return "your knee hurt after the exercise";
    case PainRule::MorningAboveBaseline:
    case PainRule::MorningHigh:
        return "your knee was sorer than usual the next morning";
    case PainRule::TrendRising:
    case PainRule::TrendHigh:
        return "your usual pain has been going up this week";
    case PainRule::MissingDuring:
        return "we did not get a pain rating during the exercise";
    case PainRule::MissingMorning:
        return "we did not get your next-morning report";
    case PainRule::MissingBaseline:
        return "we do not know your usual pain yet";
    case PainRule::RedFlag:
        return "you reported a warning sign";
    case PainRule::Calm:
        break;
    }
    return "your knee was calm";
}

} // namespace

namespace {

// `unit` names what success counts: "holds" or "squats".
template <typename Dose>
std::string describe_impl(const BasicDecision<Dose>& d, const std::string& unit) {
    switch (d.reason) {
    case Reason::CalmTwoSessions:
        return "Your knee stayed calm two sessions in a row, so " + change(d) + ".";
    case Reason::AllAtCap:
        return "You have reached the top of your plan, so the exercise stays the same.";
    case Reason::NotEnoughSessions:
        return "We need " + num(d.limit) + " sessions to see how your knee responds; so far " +
               num(d.observed) + ", so the exercise stays the same.";
    case Reason::AlreadyDecided:
        return "No new session since the last check, so the exercise stays the same.";
    case Reason::LongBreak:
        return "Your last two sessions were " + num(d.observed) +
               " days apart, so the exercise stays the same for now.";
    case Reason::PainAmber:
        return "Because " + pain_words(d.rule) + ", the exercise stays the same.";
    case Reason::MissingMorning:
        return "We did not get your next-morning report, so the exercise stays the same.";
    case Reason::RecentRed:
        return "Your knee was sore two sessions ago, so the exercise stays the same.";
    case Reason::DoseNotCompleted:
        return "Not every set was finished, so the exercise stays the same.";
    case Reason::SuccessBelowTarget:
        return "You completed " + num(d.observed * 100) + " % of your " + unit + " (we look for " +
               num(d.limit * 100) + " %), so the exercise stays the same.";
    case Reason::PainRed:
        return "Because " + pain_words(d.rule) + ", we go one step back: " + change(d) + ".";
    case Reason::RedAtFloor:
        return "Because " + pain_words(d.rule) +
               ", we would go a step back, but this is already the gentlest level.";
    case Reason::TwoRedsInWeek:
        return "Your knee was sore twice within a week, so we go one step back and pause "
               "progress. Please contact your clinician.";
    case Reason::Locked:
        return "Progress is paused until your clinician has seen how your knee is doing.";
    case Reason::AbovePlanCap:
        return "Your clinician's plan has changed, so the exercise now fits the new limits.";
    }
    return "The exercise stays the same.";
}

} // namespace

std::string describe(const Decision& d) {
    return describe_impl(d, "holds");
}

std::string describe(const SquatDecision& d) {
    return describe_impl(d, "squats");
}

std::string_view reason_name(Reason reason) {
    switch (reason) {
    case Reason::CalmTwoSessions:
        return "calm_two_sessions";
    case Reason::AllAtCap:
        return "all_at_cap";
    case Reason::NotEnoughSessions:
        return "not_enough_sessions";
    case Reason::AlreadyDecided:
        return "already_decided";
    case Reason::LongBreak:
        return "long_break";
    case Reason::PainAmber:
        return "pain_amber";
    case Reason::MissingMorning:
        return "missing_morning";
    case Reason::RecentRed:
        return "recent_red";
    case Reason::DoseNotCompleted:
        return "dose_not_completed";
    case Reason::SuccessBelowTarget:
        return "success_below_target";
    case Reason::PainRed:
        return "pain_red";
    case Reason::RedAtFloor:
        return "red_at_floor";
    case Reason::TwoRedsInWeek:
        return "two_reds_in_week";
    case Reason::Locked:
        return "locked";
    case Reason::AbovePlanCap:
        return "above_plan_cap";
    }
    return "unknown";
}

std::string_view action_name(Action action) {
    switch (action) {
    case Action::Progress:
        return "progress";
    case Action::Hold:
        return "hold";
    case Action::StepBack:
        return "step_back";
    case Action::Lock:
        return "lock";
    case Action::AtCap:
        return "at_cap";
    }
    return "unknown";
}

std::string_view variable_name(Variable variable) {
    switch (variable) {
    case Variable::None:
        return "none";
    case Variable::Reps:
        return "reps";
    case Variable::Hold:
        return "hold";
    case Variable::Intensity:
        return "intensity";
    case Variable::Depth:
        return "depth";
    }
    return "unknown";
}

} // namespace qv::engine
