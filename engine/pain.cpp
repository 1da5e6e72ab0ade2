#include "engine/pain.hpp"

namespace qv::engine {

namespace {

// Entries older than this many days before the newest are dropped; the trend needs 7 days back
// plus up to three ratings before that.
constexpr int kKeepDays = 28;

} // namespace

LightVerdict classify(const PainReport& r, const PainThresholds& t) {
    const double during_amber = r.child ? t.child_during_amber_at : t.during_amber_at;
    const double during_red = r.child ? t.child_during_red_at : t.during_red_at;
    const bool have_morning = r.next_morning.has_value() && r.baseline.has_value();
    const double morning_excess = have_morning ? r.next_morning.value() - r.baseline.value() : 0.0;

    // Red rules first: any one of them stops progression.
    if (r.red_flag)
        return {Light::Red, PainRule::RedFlag};
    if (r.during && *r.during >= during_red)
        return {Light::Red, PainRule::DuringHigh};
    if (r.after && *r.after >= t.after_red_at)
        return {Light::Red, PainRule::AfterHigh};
    if (have_morning && morning_excess >= t.morning_red_excess)
        return {Light::Red, PainRule::MorningHigh};
    if (r.trend_per_week && *r.trend_per_week >= t.trend_red_at)
        return {Light::Red, PainRule::TrendHigh};

    // Amber rules with evidence, then the ones for missing information.
    if (r.during && *r.during >= during_amber)
        return {Light::Amber, PainRule::DuringModerate};
    if (r.after && *r.after >= t.after_amber_at)
        return {Light::Amber, PainRule::AfterModerate};
    if (have_morning && morning_excess >= t.morning_amber_excess)
        return {Light::Amber, PainRule::MorningAboveBaseline};
    if (r.trend_per_week && *r.trend_per_week > t.trend_rising_above)
        return {Light::Amber, PainRule::TrendRising};
    if (!r.during)
        return {Light::Amber, PainRule::MissingDuring};
    if (!r.next_morning)
        return {Light::Amber, PainRule::MissingMorning};
    if (!r.baseline)
        return {Light::Amber, PainRule::MissingBaseline};
    return {Light::Green, PainRule::Calm};
}

std::string_view light_name(Light light) {
    switch (light) {
    case Light::Green:
        return "green";
    case Light::Amber:
        return "amber";
    case Light::Red:
        return "red";
    }
    return "unknown";
}

std::string_view rule_name(PainRule rule) {
    switch (rule) {
    case PainRule::Calm:
        return "calm";
    case PainRule::DuringModerate:
        return "during_moderate";
    case PainRule::AfterModerate:
        return "after_moderate";
    case PainRule::MorningAboveBaseline:
        return "morning_above_baseline";
    case PainRule::TrendRising:
        return "trend_rising";
    case PainRule::MissingDuring:
        return "missing_during";
    case PainRule::MissingMorning:
        return "missing_morning";
    case PainRule::MissingBaseline:
        return "missing_baseline";
    case PainRule::RedFlag:
        return "red_flag";
    case PainRule::DuringHigh:
        return "during_high";
    case PainRule::AfterHigh:
        return "after_high";
    case PainRule::MorningHigh:
        return "morning_high";
    case PainRule::TrendHigh:
        return "trend_high";
    }
    return "unknown";
}

void PainDiary::record(int day, double rating) {
    if (!entries_.empty() && day < entries_.back().day)
        return; // out of order: ignored, the diary only moves forward
    entries_.push_back({day, rating});
    std::size_t first = 0;
    while (first < entries_.size() && entries_[first].day < day - kKeepDays)
        ++first;
    if (first > 0)
        entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(first));
}

std::optional<double> PainDiary::baseline(int day) const {
    double sum = 0;
    int n = 0;
    for (auto it = entries_.rbegin(); it != entries_.rend() && n < 3; ++it) {
        if (it->day > day)
            continue;
        sum += it->rating;
        ++n;
    }
    if (n == 0)
        return std::nullopt;
    return sum / n;
}

std::optional<double> PainDiary::weekly_trend(int day) const {
    const auto now = baseline(day);
    const auto before = baseline(day - 7);
    if (!now || !before)
        return std::nullopt;
    return *now - *before;
}

} // namespace qv::engine
