#include "engine/red_flags.hpp"

#include <catch2/catch.hpp>

using qv::engine::InSessionStop;
using qv::engine::RedFlag;
using qv::engine::RedFlagAnswers;

namespace {

qv::PainRuleParams rules() {
    qv::PainRuleParams p;
    p.stop_set_at = 6;
    p.stop_session_at = 8;
    return p;
}

} // namespace

TEST_CASE("red flags: any yes stops today, the emergency wording comes first") {
    RedFlagAnswers a;
    CHECK_FALSE(qv::engine::screen(a, rules()).stop_today);
    a.rest_pain = 7;
    CHECK_FALSE(qv::engine::screen(a, rules()).stop_today);
    a.rest_pain = 8;
    CHECK(qv::engine::screen(a, rules()).flag == RedFlag::RestPain);
    a.new_swelling = true;
    CHECK(qv::engine::screen(a, rules()).flag == RedFlag::NewSwelling);
    a.breathless_or_chest_pain = true;
    const auto v = qv::engine::screen(a, rules());
    CHECK(v.stop_today);
    CHECK(v.emergency);
    CHECK(v.flag == RedFlag::BreathlessOrChestPain);
}

TEST_CASE("in-session stops at their thresholds") {
    using qv::engine::in_session_check;
    CHECK(in_session_check(5, false, rules()) == InSessionStop::Continue);
    CHECK(in_session_check(6, false, rules()) == InSessionStop::StopSet);
    CHECK(in_session_check(8, false, rules()) == InSessionStop::StopSession);
    CHECK(in_session_check(std::nullopt, false, rules()) == InSessionStop::Continue);
    CHECK(in_session_check(std::nullopt, true, rules()) == InSessionStop::StopSession);
}
