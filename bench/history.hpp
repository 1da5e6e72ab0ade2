#pragma once
// A realistic made-up history for one profile, written through the real Store: daily sessions
// (some skipped, a few stopped for pain, rare red flags), their sets and reps, pain before /
// during / after / next morning, weekly strength tests of the affected leg and monthly ones of
// the other leg, and one decision per session. For the progress benchmark and screenshots.

#include "core/result.hpp"
#include "profiles/store.hpp"

#include <cstdint>
#include <string>

namespace qv::bench {

/// What to generate.
struct HistoryOptions {
    std::string name = "Sam";           ///< profile name
    std::string last_day;               ///< local "YYYY-MM-DD" of the newest day (required)
    int days = 42;                      ///< days of history ending on last_day
    double adherence = 0.85;            ///< chance of a session on a day
    double pain_stop_chance = 0.05;     ///< chance a session is stopped for pain
    double red_flag_chance = 0.015;     ///< chance a day's check-in finds a red flag
    bool child = false;                 ///< a child's profile (faces scale)
    bool both_legs = true;              ///< test the other leg too (limb symmetry)
    std::string driver = "open-sensor"; ///< the source of every session and test
    bool today_done = true;             ///< false: no session yet on last_day
    std::uint64_t seed = 7;
};

/// Creates the profile and its history; returns the profile id. Turns synchronous writes off on
/// this connection (a generator does not need a power-cut guarantee).
Result<std::int64_t> fill_history(profiles::Store& store, const HistoryOptions& options);

} // namespace qv::bench
