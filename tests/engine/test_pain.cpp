#include "engine/pain.hpp"

#include <catch2/catch.hpp>
#include <optional>

using qv::engine::classify;
using qv::engine::Light;
using qv::engine::PainDiary;
using qv::engine::PainReport;
using qv::engine::PainRule;
using qv::engine::PainThresholds;

namespace {

// A calm session: everything reported and at the usual level.
PainReport calm() {
    PainReport r;
    r.during = 2;
    r.after = 1;
    r.next_morning = 2;
    r.baseline = 2;
    r.trend_per_week = 0;
    return r;
}

} // namespace

TEST_CASE("traffic light: pain during at every boundary, adults and children") {
    struct Row {
        double during;
        bool child;
        Light light;
        PainRule rule;
    };
    const Row row = GENERATE(Row{0, false, Light::Green, PainRule::Calm},
                             Row{3, false, Light::Green, PainRule::Calm},
                             Row{3.5, false, Light::Green, PainRule::Calm},
                             Row{4, false, Light::Amber, PainRule::DuringModerate},
                             Row{5, false, Light::Amber, PainRule::DuringModerate},
                             Row{5.9, false, Light::Amber, PainRule::DuringModerate},
                             Row{6, false, Light::Red, PainRule::DuringHigh},
                             Row{10, false, Light::Red, PainRule::DuringHigh},
                             Row{2, true, Light::Green, PainRule::Calm},
                             Row{4, true, Light::Amber, PainRule::DuringModerate},
                             Row{6, true, Light::Red, PainRule::DuringHigh},
                             Row{8, true, Light::Red, PainRule::DuringHigh});
    PainReport r = calm();
    r.during = row.during;
    r.child = row.child;
    const auto v = classify(r, PainThresholds{});
    INFO("during " << row.during << " child " << row.child);
    CHECK(v.light == row.light);
    CHECK(v.rule == row.rule);
}

TEST_CASE("traffic light: next morning against the 3-day baseline at every boundary") {
    struct Row {
        double morning;
        double baseline;
        Light light;
        PainRule rule;
    };
    const Row row = GENERATE(
        Row{2, 2, Light::Green, PainRule::Calm}, Row{1, 2, Light::Green, PainRule::Calm},
        // a real-valued baseline: less than one point above is "not above"
        Row{3, 2.34, Light::Green, PainRule::Calm},
        Row{3, 2, Light::Amber, PainRule::MorningAboveBaseline},
        Row{4, 2.67, Light::Amber, PainRule::MorningAboveBaseline},
        Row{4, 2, Light::Red, PainRule::MorningHigh}, Row{7, 2, Light::Red, PainRule::MorningHigh});
    PainReport r = calm();
    r.next_morning = row.morning;
    r.baseline = row.baseline;
    const auto v = classify(r, PainThresholds{});
    INFO("morning " << row.morning << " baseline " << row.baseline);
    CHECK(v.light == row.light);
    CHECK(v.rule == row.rule);
}

TEST_CASE("traffic light: weekly trend and pain after at every boundary") {
    struct Row {
        std::optional<double> trend;
        std::optional<double> after;
        Light light;
        PainRule rule;
    };
    const Row row = GENERATE(
        Row{-1.0, 1.0, Light::Green, PainRule::Calm}, Row{0.5, 1.0, Light::Green, PainRule::Calm},
        Row{0.67, 1.0, Light::Amber, PainRule::TrendRising},
        Row{0.99, 1.0, Light::Amber, PainRule::TrendRising},
        Row{1.0, 1.0, Light::Red, PainRule::TrendHigh},
        // less than a week of ratings: no trend, which does not count as rising
        Row{std::nullopt, 1.0, Light::Green, PainRule::Calm},
        Row{0.0, 3.0, Light::Green, PainRule::Calm},
        Row{0.0, 4.0, Light::Amber, PainRule::AfterModerate},
        Row{0.0, 6.0, Light::Red, PainRule::AfterHigh},
        // a missing pain-after rating is ignored
        Row{0.0, std::nullopt, Light::Green, PainRule::Calm});
    PainReport r = calm();
    r.trend_per_week = row.trend;
    r.after = row.after;
    const auto v = classify(r, PainThresholds{});
    CHECK(v.light == row.light);
    CHECK(v.rule == row.rule);
}

TEST_CASE("traffic light: missing reports are never green, red still wins") {
    PainReport r = calm();
    SECTION("no next-morning report") {
        r.next_morning.reset();
        CHECK(classify(r, {}).light == Light::Amber);
        CHECK(classify(r, {}).rule == PainRule::MissingMorning);
    }
    SECTION("no pain-during rating") {
        r.during.reset();
        CHECK(classify(r, {}).rule == PainRule::MissingDuring);
        CHECK(classify(r, {}).light == Light::Amber);
    }
    SECTION("no baseline to compare the morning with") {
        r.baseline.reset();
        CHECK(classify(r, {}).rule == PainRule::MissingBaseline);
    }
    SECTION("a red rule is red even when the morning is missing") {
        r.next_morning.reset();
        r.during = 7;
        CHECK(classify(r, {}).light == Light::Red);
        CHECK(classify(r, {}).rule == PainRule::DuringHigh);
    }
    SECTION("a red flag is red whatever the ratings") {
        r.red_flag = true;
        CHECK(classify(r, {}).light == Light::Red);
        CHECK(classify(r, {}).rule == PainRule::RedFlag);
    }
}

TEST_CASE("traffic light: thresholds are editable per profile") {
    PainThresholds strict;
    strict.during_amber_at = 3;
    strict.during_red_at = 5;
    PainReport r = calm();
    r.during = 3;
    CHECK(classify(r, strict).light == Light::Amber);
    r.during = 5;
    CHECK(classify(r, strict).light == Light::Red);
    CHECK(classify(r, PainThresholds{}).light == Light::Amber);
}

TEST_CASE("pain diary: baseline is the 3-rating average, trend compares a week back") {
    PainDiary d;
    CHECK_FALSE(d.baseline(0).has_value());
    d.record(0, 2);
    d.record(1, 3);
    CHECK(*d.baseline(1) == Approx(2.5));
    d.record(2, 4);
    d.record(4, 1);
    CHECK(*d.baseline(4) == Approx((3 + 4 + 1) / 3.0));
    CHECK(*d.baseline(2) == Approx(3.0)); // ratings after the day are not used
    CHECK_FALSE(d.weekly_trend(4).has_value());
    d.record(8, 5);
    d.record(9, 5);
    // day 9: last three are 1, 5, 5; a week back (day 2): 2, 3, 4.
    REQUIRE(d.weekly_trend(9).has_value());
    CHECK(*d.weekly_trend(9) == Approx(11.0 / 3.0 - 3.0));
    d.record(3, 9); // out of order: ignored
    CHECK(*d.baseline(9) == Approx(11.0 / 3.0));
}
