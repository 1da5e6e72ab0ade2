#pragma once
// What the player's progress view shows, gathered from the store without SDL: the strength
// (MVC) trend with its noise band and the limb symmetry, dose done against prescribed, pain
// during / after / next morning, a calendar that never punishes rest, and the plan's changes
// with their reasons. The screen (screens/progress_screen.cpp) only draws this.

#include "profiles/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qv::game {

/// Which days the view covers and how it judges a change of strength. The two percentages are
/// tuning (the caller passes them from content; CLINICAL.md: a strength test wobbles 3-7 % from
/// day to day, a change under about 10 % is noise).
struct ProgressOptions {
    int weeks = 12;             ///< whole weeks (Monday first) back from today's, including it
    std::string today;          ///< local "YYYY-MM-DD"; empty: the computer's today
    double mvc_noise_pct = 7;   ///< half-width of the band drawn around each strength test
    double mvc_change_pct = 10; ///< a change of at least this much counts as real
    int max_decisions = 200;    ///< newest decisions kept
    int sessions_per_week = 5;  ///< planned sessions a week (tuning [child]), for adherence
};

/// One strength test with its noise band.
struct MvcPoint {
    std::string day; ///< local "YYYY-MM-DD"
    double mvc_n = 0;
    double low_n = 0; ///< mvc_n less the noise band
    double high_n = 0;
    bool measured = false; ///< false for keyboard practice and the virtual patient
};

/// How the newest strength test of the affected leg compares with the first in the range.
enum class StrengthTrend { NotEnough, Stronger, Same, Weaker };

/// The strength trend in numbers.
struct StrengthSummary {
    StrengthTrend trend = StrengthTrend::NotEnough;
    double first_n = 0;
    double latest_n = 0;
    double change_pct = 0; ///< (latest - first) / first x 100
    std::string first_day, latest_day;
};

/// Limb symmetry index: the affected leg's newest test against the other leg's, with both values.
struct Symmetry {
    double affected_n = 0;
    double other_n = 0;
    double lsi_pct = 0; ///< affected / other x 100
    std::string affected_day, other_day;
    bool meets_bar = false; ///< at or above 90 %, the usual return-to-sport bar
};

/// How a session ended, as the progress view tells it (never as a failure).
enum class SessionKind { Done, EndedEarly, PainStop, RedFlag };

/// Dose done against prescribed for one session.
struct SessionDose {
    std::string day;
    SessionKind kind = SessionKind::Done;
    int done = 0;          ///< successful reps
    int attempted = 0;     ///< reps tried
    int prescribed = 0;    ///< sets x reps of the dose; 0 when unknown (no set stored)
    bool practice = false; ///< keyboard or virtual patient
};

/// Pain around one session; -1 where no rating was given.
struct SessionPain {
    std::string day;
    int before = -1;
    int during = -1; ///< the worst moment
    int after = -1;
    int next_morning = -1;
};

/// What a calendar day was. Rest days are neutral; a pain stop is "listened to your knee"; a
/// red-flag day is "checked with your clinician". None of them is a miss.
enum class DayKind { Future, Rest, Done, PainStop, RedFlag };

/// One day of the calendar.
struct CalendarDay {
    std::string day;
    int day_of_month = 0;
    DayKind kind = DayKind::Rest;
    int sessions = 0;
    bool today = false;
};

/// One decision of the adaptation engine, with its reason as stored.
struct PlanChange {
    std::string day;
    std::string action;   ///< "progress", "hold", "step_back", "lock", ...
    std::string reason;   ///< the one-line reason in the player's language
    bool changed = false; ///< the dose moved or progress was paused (not a "stays the same")
};

/// One week of the parents' adherence page (child mode): sessions against the plan.
struct WeekAdherence {
    std::string monday;    ///< local date of the week's Monday
    int sessions = 0;      ///< sessions that earned a token: finished or stopped for safety
    int finished = 0;      ///< of those, finished
    int pain_stops = 0;    ///< ... stopped for pain or a red flag
    int ended_early = 0;   ///< sessions ended early by choice (no token)
    int checkin_stops = 0; ///< days the check-in said "no exercise today" (a token each)
};

/// Everything the progress view shows.
struct ProgressData {
    std::string first_day, today; ///< the range, local dates; the calendar starts on a Monday
    double mvc_noise_pct = 0;
    double mvc_change_pct = 0;
    std::vector<MvcPoint> mvc_affected; ///< oldest first
    std::vector<MvcPoint> mvc_other;
    bool mvc_practice = false; ///< no measured test: the points are practice values
    StrengthSummary strength;
    std::optional<Symmetry> symmetry; ///< only when both legs were tested

    std::vector<SessionDose> dose; ///< oldest first
    int reps_done = 0;             ///< over the range
    int reps_prescribed = 0;       ///< over the sessions whose prescription is known
    int reps_done_prescribed = 0;  ///< successful reps of those same sessions

    std::vector<SessionPain> pain; ///< oldest first

    std::vector<CalendarDay> calendar; ///< every day of the range, whole weeks, oldest first
    /// Weeks in a row, up to this one, with at least one day of showing up (a session of any
    /// outcome, a pain stop, or a red-flag check that said "rest today"). Rest days never break
    /// it, and this week counts only once it has such a day: it cannot break before it ends.
    int active_weeks = 0;
    int active_days = 0; ///< in the range
    int pain_stops = 0;  ///< in the range

    std::vector<PlanChange> plan_changes; ///< newest first

    std::vector<WeekAdherence> weeks; ///< every week of the range, oldest first
    int planned_per_week = 0;         ///< ProgressOptions::sessions_per_week

    std::string error; ///< set when the store could not be read (the rest is then empty)

    /// True when there is nothing to show yet (no session, no strength test).
    bool empty() const { return dose.empty() && mvc_affected.empty() && mvc_other.empty(); }
};

/// A child's tokens (child mode, docs/child-mode.md): the same token for every session finished,
/// every session stopped for pain or a red flag, and every day the check-in stopped exercise
/// (a red flag, or too much pain at rest; at most one such token a day). A session ended early
/// by choice earns none; nothing is ever taken away.
struct Tokens {
    int total = 0;
    int finished = 0;       ///< sessions finished
    int pain_stops = 0;     ///< sessions stopped for pain
    int red_flag_stops = 0; ///< sessions stopped by a red flag ("my knee gave way")
    int checkin_stops = 0;  ///< days the check-in said "no exercise today"
};

/// Counts the tokens from the stored sessions and red-flag checks (whole history).
Tokens count_tokens(profiles::Store& store, std::int64_t profile_id);

/// Reads the profile's progress for the last `options.weeks` weeks. A few queries in one read
/// transaction, whatever the length of the history.
ProgressData load_progress(profiles::Store& store, std::int64_t profile_id,
                           const ProgressOptions& options = {});

/// Local date of `days` after (negative: before) the date "YYYY-MM-DD"; "" for a bad date.
std::string add_days(const std::string& day, int days);
/// Day of the week of a date, Monday 0 .. Sunday 6; -1 for a bad date.
int weekday(const std::string& day);

} // namespace qv::game
