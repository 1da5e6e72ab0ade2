#pragma once
// The pain traffic light (CLINICAL.md, "Pain-guided progression"): pain during, after and the
// next morning, against the person's usual pain and its weekly trend, gives Green, Amber or Red
// and names the rule that decided it. Also the pain diary that yields the baseline and the trend.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace qv::engine {

/// The traffic light of one session.
enum class Light : std::uint8_t { Green, Amber, Red };

/// The rule that set the light (the first one that fired, red rules first).
enum class PainRule : std::uint8_t {
    Calm,                 ///< green: every rule passed
    DuringModerate,       ///< amber: pain during in the amber range (adults 4-5)
    AfterModerate,        ///< amber: pain after in the amber range
    MorningAboveBaseline, ///< amber: next morning one point above the baseline
    TrendRising,          ///< amber: the weekly trend rises, but less than the red step
    MissingDuring,        ///< amber: no pain-during rating, not enough information
    MissingMorning,       ///< amber: no next-morning report, not enough information
    MissingBaseline,      ///< amber: no pre-session ratings to compare the morning with
    RedFlag,              ///< red: a red-flag answer or an in-session stop ("gave way")
    DuringHigh,           ///< red: pain during at or above the red threshold
    AfterHigh,            ///< red: pain after at or above the red threshold
    MorningHigh,          ///< red: next morning two or more points above the baseline
    TrendHigh,            ///< red: the weekly mean rose by the red step or more
};

/// Thresholds of the traffic light; defaults from CLINICAL.md, editable per profile.
struct PainThresholds {
    double during_amber_at = 4;       ///< adults: pain during at or above this is amber
    double during_red_at = 6;         ///< adults: pain during at or above this is red
    double child_during_amber_at = 4; ///< children (faces 0-2-4-6-8-10): amber from "mild"
    double child_during_red_at = 6;   ///< children: faces score 6 ("moderate") is red
    double after_amber_at = 4;        ///< pain after, judged like pain during
    double after_red_at = 6;
    double morning_amber_excess = 1; ///< next morning this far above the baseline is amber
    double morning_red_excess = 2;   ///< next morning this far above the baseline is red
    double trend_rising_above = 0.5; ///< a weekly rise above this is "rising" (amber)
    double trend_red_at = 1;         ///< a weekly rise of this or more is red
};

/// Everything the light looks at for one session. Ratings are 0-10; missing is nullopt.
struct PainReport {
    std::optional<double> during;         ///< highest rating during the session
    std::optional<double> after;          ///< rating after the session
    std::optional<double> next_morning;   ///< rating the next morning
    std::optional<double> baseline;       ///< usual pain: 3-rating average before sessions
    std::optional<double> trend_per_week; ///< change of the 3-rating average over 7 days
    bool child = false;                   ///< use the children's faces thresholds
    bool red_flag = false;                ///< a red flag or an in-session stop happened
};

/// The light and the rule that set it.
struct LightVerdict {
    Light light = Light::Amber;
    PainRule rule = PainRule::MissingDuring;
};

/// Classifies one session. Red rules win over amber rules, amber over green. A missing
/// next-morning report (or pain-during rating, or baseline) is never green. A missing trend (less
/// than a week of ratings) does not count as rising. A missing pain-after rating is ignored.
LightVerdict classify(const PainReport& report, const PainThresholds& thresholds);

/// Short stable name of a light ("green").
std::string_view light_name(Light light);
/// Short stable name of a rule ("morning_high").
std::string_view rule_name(PainRule rule);

/// Pre-session ratings in day order; gives the baseline and the weekly trend, both from 3-rating
/// averages because a one-point change of a single rating is noise (MDC about 1.8 points).
class PainDiary {
  public:
    /// Adds the pre-session rating of `day`. Ratings must come in day order.
    void record(int day, double rating);
    /// Mean of the last three ratings on or before `day`; nullopt without any.
    std::optional<double> baseline(int day) const;
    /// baseline(day) - baseline(day - 7); nullopt while there is no rating a week back.
    std::optional<double> weekly_trend(int day) const;

  private:
    struct Entry {
        int day;
        double rating;
    };
    std::vector<Entry> entries_;
};

} // namespace qv::engine
