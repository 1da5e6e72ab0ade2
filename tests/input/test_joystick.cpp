// The HX711 joystick board's source: axis values fed by the game become raw readings until a
// two-point calibration is set, then force samples; unplugging reports Disconnected.

#include "core/clock.hpp"
#include "input/drivers/joystick/joystick.hpp"
#include "input/hub.hpp"
#include "input/registry.hpp"
#include "input/two_point.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <vector>

using namespace qv;
using namespace qv::input;

namespace {

struct VectorSink final : SampleSink {
    std::vector<Sample> samples;
    bool push(const Sample& s) override {
        samples.push_back(s);
        return true;
    }
};

JoystickDevice board() {
    return JoystickDevice{7, "Arduino Leonardo", "03000000412300003680000001010000", 0};
}

} // namespace

SCENARIO("An uncalibrated board gives raw readings and no force", "[joystick]") {
    GIVEN("a started source for a plugged-in board") {
        JoystickAxisSource src(board());
        VectorSink sink;
        REQUIRE(src.start(sink));
        CHECK(src.state() == SourceState::Streaming);
        CHECK(src.identity().driver == "joystick");
        CHECK(src.identity().model == "Arduino Leonardo");
        CHECK(src.identity().serial == "03000000412300003680000001010000");
        CHECK_FALSE(src.identity().is_measurement);

        WHEN("axis values are fed") {
            src.feed_axis(1000, -20000);
            src.feed_axis(2000, -19990);
            src.feed_axis(2000, 5); // the same moment again: ignored
            THEN("they are raw readings, not samples") {
                CHECK(sink.samples.empty());
                std::vector<RawReading> raw;
                src.take_raw(raw);
                REQUIRE(raw.size() == 2);
                CHECK(raw[0].t_us == 1000);
                CHECK(raw[0].raw == -20000);
                CHECK(raw[1].raw == -19990);
                CHECK(src.last_axis() == -19990);
                raw.clear();
                src.take_raw(raw);
                CHECK(raw.empty()); // taken once
            }
        }
    }
}

SCENARIO("A calibrated board maps the axis to newtons", "[joystick]") {
    JoystickAxisSource src(board());
    VectorSink sink;
    REQUIRE(src.start(sink));
    // Zero at -20000 counts, 10 kg (98.0665 N) at -10000 counts.
    const auto made = make_two_point(-20000, -10000, weight_n(10), src.min_delta_raw());
    REQUIRE(made.scale);
    src.set_two_point(made.scale);
    CHECK(src.identity().is_measurement);
    REQUIRE(src.two_point());

    src.feed_axis(1000, -20000);
    src.feed_axis(2000, -10000);
    src.feed_axis(3000, -15000);
    src.feed_axis(4000, 40000);  // beyond the axis: clamped and flagged
    src.feed_axis(5000, -40000); // below it
    REQUIRE(sink.samples.size() == 5);
    CHECK(sink.samples[0].value == Approx(0.0).margin(1e-3));
    CHECK(sink.samples[1].value == Approx(98.0665));
    CHECK(sink.samples[2].value == Approx(49.03325));
    CHECK(sink.samples[0].flags == kFlagNone);
    CHECK(sink.samples[3].value == Approx((32767 + 20000) * 98.0665 / 10000));
    CHECK(sink.samples[3].flags == kFlagSaturated);
    CHECK(sink.samples[4].flags == kFlagSaturated);
    for (const auto& s : sink.samples) {
        CHECK(s.channel == Channel::Force);
    }

    src.set_two_point(std::nullopt); // dropped: raw again, not a measurement
    CHECK_FALSE(src.identity().is_measurement);
    src.feed_axis(6000, 0);
    CHECK(sink.samples.size() == 5);
}

SCENARIO("Unplugging the board", "[joystick]") {
    GIVEN("a streaming, calibrated board") {
        JoystickAxisSource src(board());
        VectorSink sink;
        REQUIRE(src.start(sink));
        src.set_two_point(TwoPointScale{0, 0.01});
        src.feed_axis(1000, 1000);
        WHEN("the game says it was unplugged") {
            src.set_disconnected();
            THEN("it reports Disconnected, keeps what it sent and sends nothing more") {
                CHECK(src.state() == SourceState::Disconnected);
                CHECK_FALSE(src.last_error().empty());
                src.feed_axis(2000, 2000);
                CHECK(sink.samples.size() == 1);
                CHECK_FALSE(src.start(sink)); // a new source is made when it comes back
                src.stop();
                CHECK(src.state() == SourceState::Disconnected);
            }
        }
    }
    GIVEN("no board at all") {
        JoystickAxisSource src(std::nullopt);
        VectorSink sink;
        THEN("start fails with a reason") {
            CHECK_FALSE(src.start(sink));
            CHECK(src.state() == SourceState::Failed);
            CHECK_FALSE(src.last_error().empty());
        }
    }
}

TEST_CASE("The joystick row reads the board and the calibration from the context",
          "[joystick][registry]") {
    const DriverInfo* row = find_driver("joystick");
    REQUIRE(row != nullptr);
    CHECK(row->transport == Transport::Sdl);
    CHECK(row->usb_vendor == 0);
    CHECK(row->measures);

    DriverContext ctx;
    auto absent = row->create(ctx);
    VectorSink sink;
    CHECK_FALSE(absent->start(sink));

    ctx.joystick = board();
    ctx.two_point["joystick"] = TwoPointScale{100, 0.5};
    auto present = row->create(ctx);
    auto* js = dynamic_cast<JoystickAxisSource*>(present.get());
    REQUIRE(js != nullptr);
    CHECK(js->identity().is_measurement);
    REQUIRE(js->start(sink));
    js->feed_axis(1000, 300);
    REQUIRE(sink.samples.size() == 1);
    CHECK(sink.samples[0].value == Approx(100.0));
    js->stop();
}

TEST_CASE("Two readings make a scale only when the load cell responded", "[two_point]") {
    const auto ok = make_two_point(1000, 3000, 49.0, 10);
    REQUIRE(ok.scale);
    CHECK(ok.problem == TwoPointProblem::None);
    CHECK(ok.scale->newtons_per_raw == Approx(49.0 / 2000));
    CHECK(ok.scale->newtons(1000) == Approx(0.0));
    CHECK(ok.scale->newtons(3000) == Approx(49.0));

    CHECK(make_two_point(1000, 1005, 49.0, 10).problem == TwoPointProblem::TooSmall);
    CHECK(make_two_point(1000, 1000, 49.0, 0).problem == TwoPointProblem::TooSmall);
    CHECK(make_two_point(3000, 1000, 49.0, 10).problem == TwoPointProblem::Negative);
    CHECK(make_two_point(1000, 3000, 0.0, 10).problem == TwoPointProblem::NoLoad);
    CHECK(make_two_point(1000, 3000, -5.0, 10).problem == TwoPointProblem::NoLoad);
    CHECK(make_two_point(1000, std::nan(""), 5.0, 10).problem == TwoPointProblem::NotFinite);
    CHECK(weight_n(5) == Approx(49.03325));
}

TEST_CASE("A fed board reaches the hub's readings", "[joystick][hub]") {
    ManualClock clock(1'000'000);
    FilterParams fp;
    fp.lowpass_hz = 8;
    fp.spike_threshold_n = 60;
    fp.max_force_n = 2000;
    fp.drift_threshold_n = 5;
    InputHub hub(clock, fp);
    auto owned = std::make_unique<JoystickAxisSource>(board());
    auto* js = owned.get();
    js->set_two_point(TwoPointScale{0, 0.01}); // 100 counts per newton
    REQUIRE(hub.use(std::move(owned), false));
    std::vector<ForceReading> out;
    for (int i = 0; i < 120; ++i) {
        clock.advance(from_seconds(1.0 / 60));
        js->feed_axis(clock.now_us(), 2000);
    }
    hub.poll(out);
    REQUIRE(out.size() == 120);
    CHECK(out.back().filtered_n == Approx(20.0).margin(0.1));
    js->set_disconnected();
    CHECK(hub.source()->state() == SourceState::Disconnected);
}
