#pragma once
// Red flags (CLINICAL.md, "Red flags"): the questions before the first session of a day, and the
// in-session stops. Any red flag stops exercise; the caller stores every event for the clinician
// and reports it to the outer loop as a red session (PainReport::red_flag).

#include "core/tuning.hpp"

#include <cstdint>
#include <optional>

namespace qv::engine {

/// The answers to the pre-session questions.
struct RedFlagAnswers {
    bool new_swelling = false;
    bool giving_way_or_locking = false;    ///< since last time
    bool fever_or_wound = false;           ///< fever, wound redness or drainage
    bool calf_pain_or_swelling = false;    ///< new calf pain or swelling
    bool breathless_or_chest_pain = false; ///< emergency wording
    std::optional<double> rest_pain;       ///< pain at rest, 0-10
};

/// Which red flag fired first (emergency first).
enum class RedFlag : std::uint8_t {
    None,
    BreathlessOrChestPain,
    CalfPainOrSwelling,
    FeverOrWound,
    NewSwelling,
    GivingWayOrLocking,
    RestPain,
};

/// The outcome of the pre-session questions.
struct RedFlagVerdict {
    bool stop_today = false; ///< no exercise today
    bool emergency = false;  ///< show the emergency wording (call emergency services)
    RedFlag flag = RedFlag::None;
};

/// Screens the answers; pain at rest at or above `params.stop_session_at` (8) is a red flag.
RedFlagVerdict screen(const RedFlagAnswers& answers, const PainRuleParams& params);

/// What to do after an in-session rating or a "my knee gave way" press.
enum class InSessionStop : std::uint8_t {
    Continue,
    StopSet,     ///< rating at or above stop_set_at: end this set (a red session)
    StopSession, ///< rating at or above stop_session_at, or the knee gave way: a red-flag event
};

/// Checks one in-session report. A missing rating never stops by itself.
InSessionStop in_session_check(std::optional<double> rating, bool gave_way,
                               const PainRuleParams& params);

} // namespace qv::engine
