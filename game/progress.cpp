#include "game/progress.hpp"

#include "core/log.hpp"
#include "input/registry.hpp"
#include "profiles/progress_queries.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <limits>
#include <map>
#include <set>

namespace qv::game {

namespace {

using std::chrono::sys_days;

std::optional<sys_days> parse_day(const std::string& s) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) {
        return std::nullopt;
    }
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                          std::chrono::day{d}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return sys_days{ymd};
}

std::string format_day(sys_days d) {
    const std::chrono::year_month_day ymd{d};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

std::string local_today() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

/// The local date of a stored UTC timestamp ("2026-11-24T23:30:00.000Z"), "" when unreadable.
std::string local_day_of(const std::string& iso) {
    std::tm tm{};
    if (::strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) {
        return {};
    }
    const std::time_t t = ::timegm(&tm);
    std::tm local{};
    ::localtime_r(&t, &local);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &local);
    return buf;
}

/// The Monday of the week of `day` ("" for a bad date).
std::string monday_of(const std::string& day) {
    const int wd = weekday(day);
    return wd < 0 ? std::string() : add_days(day, -wd);
}

/// Keyboard practice and the virtual patient are not measurements; neither is a driver this
/// build does not know.
bool measures(const std::string& driver) {
    const auto* row = input::find_driver(driver);
    return row != nullptr && row->measures;
}

SessionKind kind_of(profiles::SessionStatus s) {
    switch (s) {
    case profiles::SessionStatus::StoppedPain:
        return SessionKind::PainStop;
    case profiles::SessionStatus::StoppedRedFlag:
        return SessionKind::RedFlag;
    case profiles::SessionStatus::Aborted:
        return SessionKind::EndedEarly;
    case profiles::SessionStatus::Completed:
    case profiles::SessionStatus::InProgress:
        break;
    }
    return SessionKind::Done;
}

/// Strength points with their band; the practice ones only when there is no measured one (a
/// keyboard "maximum" next to a sensor's would make the trend meaningless).
void fill_strength(ProgressData& out, const profiles::ProgressRows& rows,
                   const ProgressOptions& o) {
    const bool any_measured = std::any_of(rows.mvc.begin(), rows.mvc.end(),
                                          [](const auto& r) { return measures(r.source_driver); });
    out.mvc_practice = !rows.mvc.empty() && !any_measured;
    const double k = o.mvc_noise_pct / 100.0;
    for (const auto& r : rows.mvc) {
        const bool m = measures(r.source_driver);
        if (any_measured && !m) {
            continue;
        }
        MvcPoint p{r.day, r.mvc_n, r.mvc_n * (1 - k), r.mvc_n * (1 + k), m};
        (r.leg == "other" ? out.mvc_other : out.mvc_affected).push_back(std::move(p));
    }
    const auto& a = out.mvc_affected;
    if (a.size() >= 2 && a.front().mvc_n > 0) {
        auto& s = out.strength;
        s.first_n = a.front().mvc_n;
        s.latest_n = a.back().mvc_n;
        s.first_day = a.front().day;
        s.latest_day = a.back().day;
        s.change_pct = (s.latest_n - s.first_n) / s.first_n * 100.0;
        s.trend = s.change_pct >= o.mvc_change_pct    ? StrengthTrend::Stronger
                  : s.change_pct <= -o.mvc_change_pct ? StrengthTrend::Weaker
                                                      : StrengthTrend::Same;
    }
    // Symmetry from each leg's newest test, both measured or both practice, never mixed.
    const auto& la = rows.latest_affected;
    const auto& lo = rows.latest_other;
    if (la && lo && lo->mvc_n > 0 && measures(la->source_driver) == measures(lo->source_driver)) {
        Symmetry sym;
        sym.affected_n = la->mvc_n;
        sym.other_n = lo->mvc_n;
        sym.lsi_pct = la->mvc_n / lo->mvc_n * 100.0;
        sym.affected_day = la->day;
        sym.other_day = lo->day;
        sym.meets_bar = sym.lsi_pct >= 90.0;
        out.symmetry = sym;
    }
}

/// Strongest news first: a red flag, then a session (finished or ended early), then a pain stop.
int rank(DayKind k) {
    switch (k) {
    case DayKind::RedFlag:
        return 3;
    case DayKind::Done:
        return 2;
    case DayKind::PainStop:
        return 1;
    case DayKind::Rest:
    case DayKind::Future:
        break;
    }
    return 0;
}

void fill_calendar(ProgressData& out, const profiles::ProgressRows& rows) {
    std::map<std::string, CalendarDay> by_day;
    const auto mark = [&](const std::string& day, DayKind k, int sessions) {
        auto& c = by_day[day];
        c.sessions += sessions;
        if (rank(k) > rank(c.kind)) {
            c.kind = k;
        }
    };
    for (const auto& s : rows.sessions) {
        const auto k = kind_of(s.status);
        mark(s.day,
             k == SessionKind::PainStop  ? DayKind::PainStop
             : k == SessionKind::RedFlag ? DayKind::RedFlag
                                         : DayKind::Done,
             1);
        if (k == SessionKind::PainStop) {
            ++out.pain_stops;
        }
    }
    for (const auto& c : rows.red_flag_checks) {
        if (c.yes_count > 0) {
            mark(c.day, DayKind::RedFlag, 0);
        }
    }
    const auto first = parse_day(out.first_day);
    const auto today = parse_day(out.today);
    if (!first || !today) {
        return;
    }
    // Whole weeks: up to the Sunday of this week.
    const sys_days end = *today + std::chrono::days{6 - weekday(out.today)};
    for (sys_days d = *first; d <= end; d += std::chrono::days{1}) {
        CalendarDay c;
        c.day = format_day(d);
        c.day_of_month =
            static_cast<int>(static_cast<unsigned>(std::chrono::year_month_day{d}.day()));
        c.today = d == *today;
        if (d > *today) {
            c.kind = DayKind::Future;
        } else if (const auto it = by_day.find(c.day); it != by_day.end()) {
            c.kind = it->second.kind;
            c.sessions = it->second.sessions;
        }
        if (c.kind != DayKind::Rest && c.kind != DayKind::Future) {
            ++out.active_days;
        }
        out.calendar.push_back(std::move(c));
    }
}

/// Sessions per week against the plan (the parents' adherence page).
void fill_weeks(ProgressData& out, const profiles::ProgressRows& rows, const ProgressOptions& o) {
    out.planned_per_week = o.sessions_per_week;
    std::map<std::string, WeekAdherence> by_week;
    for (std::string w = out.first_day; !w.empty() && w <= out.today; w = add_days(w, 7)) {
        by_week[w].monday = w;
    }
    for (const auto& s : rows.sessions) {
        const auto it = by_week.find(monday_of(s.day));
        if (it == by_week.end()) {
            continue;
        }
        auto& w = it->second;
        switch (kind_of(s.status)) {
        case SessionKind::Done:
            if (s.status == profiles::SessionStatus::Completed) {
                ++w.finished;
                ++w.sessions;
            }
            break;
        case SessionKind::PainStop:
        case SessionKind::RedFlag:
            ++w.pain_stops;
            ++w.sessions;
            break;
        case SessionKind::EndedEarly:
            ++w.ended_early;
            break;
        }
    }
    // Check-in stops: days with a "yes" and no session (a session's own red flag, "my knee gave
    // way", is that session's stop and counted above).
    std::set<std::string> session_days, stop_days;
    for (const auto& s : rows.sessions) {
        session_days.insert(s.day);
    }
    for (const auto& c : rows.red_flag_checks) {
        if (c.yes_count > 0 && session_days.count(c.day) == 0) {
            stop_days.insert(c.day);
        }
    }
    for (const auto& day : stop_days) {
        if (const auto it = by_week.find(monday_of(day)); it != by_week.end()) {
            ++it->second.checkin_stops;
        }
    }
    for (auto& [monday, w] : by_week) {
        out.weeks.push_back(w);
    }
}

/// Active weeks in a row, counted back from this week (see ProgressData::active_weeks).
int active_weeks(const std::vector<std::string>& active_days, const std::string& today) {
    std::set<std::string> weeks;
    for (const auto& d : active_days) {
        if (d <= today) {
            weeks.insert(monday_of(d));
        }
    }
    std::string week = monday_of(today);
    if (week.empty()) {
        return 0;
    }
    if (!weeks.count(week)) { // this week is not over: it cannot break the run yet
        week = add_days(week, -7);
    }
    int n = 0;
    while (weeks.count(week)) {
        ++n;
        week = add_days(week, -7);
    }
    return n;
}

} // namespace

Tokens count_tokens(profiles::Store& store, std::int64_t profile_id) {
    Tokens t;
    for (const auto& s : store.recent_sessions(profile_id, std::numeric_limits<int>::max())) {
        switch (s.session.status) {
        case profiles::SessionStatus::Completed:
            ++t.finished;
            break;
        case profiles::SessionStatus::StoppedPain:
            ++t.pain_stops;
            break;
        case profiles::SessionStatus::StoppedRedFlag:
            ++t.red_flag_stops;
            break;
        case profiles::SessionStatus::InProgress:
        case profiles::SessionStatus::Aborted:
            break;
        }
    }
    // A check-in that stopped exercise (not tied to a session: a session's own red flag is
    // already counted above), one token a day however often it was answered.
    std::set<std::string> days;
    for (const auto& c : store.red_flag_checks(profile_id)) {
        if (c.session_id == 0 && c.moment == "check_in" && !c.flags.empty()) {
            days.insert(local_day_of(c.checked_at));
        }
    }
    t.checkin_stops = static_cast<int>(days.size());
    t.total = t.finished + t.pain_stops + t.red_flag_stops + t.checkin_stops;
    return t;
}

std::string add_days(const std::string& day, int days) {
    const auto d = parse_day(day);
    return d ? format_day(*d + std::chrono::days{days}) : std::string();
}

int weekday(const std::string& day) {
    const auto d = parse_day(day);
    if (!d) {
        return -1;
    }
    return static_cast<int>(std::chrono::weekday{*d}.iso_encoding()) - 1;
}

ProgressData load_progress(profiles::Store& store, std::int64_t profile_id,
                           const ProgressOptions& options) {
    ProgressData out;
    out.mvc_noise_pct = options.mvc_noise_pct;
    out.mvc_change_pct = options.mvc_change_pct;
    out.today = options.today.empty() ? local_today() : options.today;
    const std::string this_monday = monday_of(out.today);
    if (this_monday.empty()) {
        out.error = "'" + out.today + "' is not a date (YYYY-MM-DD)";
        return out;
    }
    out.first_day = add_days(this_monday, -7 * (std::max(options.weeks, 1) - 1));

    auto read = profiles::read_progress_rows(store, profile_id, out.first_day, out.today,
                                             options.max_decisions);
    if (!read) {
        log::get("game")->error("{}", read.error().message);
        out.error = read.error().message;
        return out;
    }
    const auto& rows = read.value();

    fill_strength(out, rows, options);

    for (const auto& s : rows.sessions) {
        SessionDose d;
        d.day = s.day;
        d.kind = kind_of(s.status);
        d.done = s.reps_done;
        d.attempted = s.reps_attempted;
        d.prescribed = s.reps_prescribed;
        d.practice = !s.is_measurement;
        out.reps_done += d.done;
        if (d.prescribed > 0) {
            out.reps_prescribed += d.prescribed;
            out.reps_done_prescribed += std::min(d.done, d.prescribed);
        }
        out.dose.push_back(std::move(d));
        out.pain.push_back(
            {s.day, s.pain_before, s.pain_during, s.pain_after, s.pain_next_morning});
    }

    fill_calendar(out, rows);
    out.active_weeks = active_weeks(rows.active_days, out.today);
    fill_weeks(out, rows, options);

    for (const auto& d : rows.decisions) {
        PlanChange c;
        c.day = local_day_of(d.created_at);
        c.action = d.action;
        c.reason = d.reason;
        const bool moved = d.from_value && d.to_value && *d.from_value != *d.to_value;
        c.changed =
            moved || d.action == "progress" || d.action == "step_back" || d.action == "lock";
        out.plan_changes.push_back(std::move(c));
    }
    return out;
}

} // namespace qv::game
