#include "engine/red_flags.hpp"

namespace qv::engine {

RedFlagVerdict screen(const RedFlagAnswers& a, const PainRuleParams& params) {
    RedFlagVerdict v;
    if (a.breathless_or_chest_pain)
        v.flag = RedFlag::BreathlessOrChestPain;
    else if (a.calf_pain_or_swelling)
        v.flag = RedFlag::CalfPainOrSwelling;
    else if (a.fever_or_wound)
        v.flag = RedFlag::FeverOrWound;
    else if (a.new_swelling)
        v.flag = RedFlag::NewSwelling;
    else if (a.giving_way_or_locking)
        v.flag = RedFlag::GivingWayOrLocking;
    else if (a.rest_pain && *a.rest_pain >= params.stop_session_at)
        v.flag = RedFlag::RestPain;
    v.stop_today = v.flag != RedFlag::None;
    v.emergency = v.flag == RedFlag::BreathlessOrChestPain;
    return v;
}

InSessionStop in_session_check(std::optional<double> rating, bool gave_way,
                               const PainRuleParams& params) {
    if (gave_way || (rating && *rating >= params.stop_session_at))
        return InSessionStop::StopSession;
    if (rating && *rating >= params.stop_set_at)
        return InSessionStop::StopSet;
    return InSessionStop::Continue;
}

} // namespace qv::engine
