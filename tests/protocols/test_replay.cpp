// The replay source: exactly the samples due on a manual clock, the recorded identity kept,
// stop and resume, broken files, and a keyboard session recorded and played back.

#include "core/clock.hpp"
#include "input/drivers/keyboard/keyboard.hpp"
#include "input/drivers/replay/replay.hpp"
#include "tests/protocols/support.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <unistd.h>

using namespace qv;
using namespace qv::input;
namespace fs = std::filesystem;

namespace {

class VectorSink final : public SampleSink {
  public:
    bool push(const Sample& sample) override {
        samples.push_back(sample);
        return true;
    }
    std::vector<Sample> samples;
};

Recording recording() {
    Recording r;
    r.header.source =
        SourceIdentity{"open-sensor", "Quadventure open sensor", "QV-0042", "1.0.3", true};
    r.header.channels = {Channel::Force, Channel::KneeAngle};
    r.header.rate_hz = 80;
    r.header.start_time = "2025-03-01T10:15:00Z";
    r.samples = {{0, Channel::Force, 1.0f, 0},
                 {0, Channel::KneeAngle, 5.0f, 0},
                 {10'000, Channel::Force, 2.0f, 0},
                 {20'000, Channel::Force, 3.0f, 0},
                 {25'000, Channel::Force, 4.0f, kFlagGapBefore},
                 {40'000, Channel::Force, 5.0f, 0}};
    return r;
}

std::vector<float> values(const std::vector<Sample>& s) {
    std::vector<float> out;
    for (const Sample& x : s) {
        out.push_back(x.value);
    }
    return out;
}

} // namespace

TEST_CASE("replay: a manual clock gets exactly the samples due", "[replay]") {
    ManualClock clock(1'000'000);
    ReplaySource src(recording());
    VectorSink sink;
    REQUIRE(src.start(sink));
    CHECK(src.state() == SourceState::Streaming);

    src.advance_to(clock.now_us()); // the start: everything at offset 0
    REQUIRE(sink.samples.size() == 2);
    CHECK(sink.samples[0].t_us == 1'000'000);
    CHECK(sink.samples[1].channel == Channel::KneeAngle);
    CHECK(sink.samples[1].t_us == 1'000'000);

    clock.advance(9'999);
    src.advance_to(clock.now_us());
    CHECK(sink.samples.size() == 2);

    clock.advance(1);
    src.advance_to(clock.now_us());
    REQUIRE(sink.samples.size() == 3);
    CHECK(sink.samples[2].t_us == 1'010'000);
    CHECK(sink.samples[2].value == 2.0f);

    clock.set(1'030'000);
    src.advance_to(clock.now_us());
    REQUIRE(sink.samples.size() == 5);
    CHECK(sink.samples[3].t_us == 1'020'000);
    CHECK(sink.samples[4].t_us == 1'025'000);
    CHECK(sink.samples[4].flags == kFlagGapBefore);
    CHECK(src.state() == SourceState::Streaming);

    clock.set(1'039'999);
    src.advance_to(clock.now_us());
    CHECK(sink.samples.size() == 5);
    clock.set(1'500'000);
    src.advance_to(clock.now_us());
    REQUIRE(sink.samples.size() == 6);
    CHECK(sink.samples[5].t_us == 1'040'000);
    CHECK(src.played() == 6);
    CHECK(src.state() == SourceState::Disconnected);

    src.advance_to(2'000'000);
    CHECK(sink.samples.size() == 6);
}

TEST_CASE("replay: the identity says replay and keeps the recorded source", "[replay]") {
    ReplaySource src(recording());
    CHECK(src.identity().driver == "replay");
    CHECK(src.identity().model == "open-sensor/Quadventure open sensor");
    CHECK(src.identity().serial == "QV-0042");
    CHECK(src.identity().firmware == "1.0.3");
    CHECK(src.identity().is_measurement);
    CHECK(src.recorded_identity().driver == "open-sensor");
    CHECK(src.recorded_identity().model == "Quadventure open sensor");
    const SourceCaps caps = src.caps();
    CHECK(caps.force);
    CHECK(caps.knee_angle);
    CHECK(caps.rate_hz == 80);

    Recording kb = recording();
    kb.header.source = SourceIdentity{"keyboard", "", "", "", false};
    kb.header.channels = {Channel::Force};
    kb.samples = {{0, Channel::Force, 1.0f, 0}};
    ReplaySource keyboard(kb);
    CHECK(keyboard.identity().model == "keyboard");
    CHECK_FALSE(keyboard.identity().is_measurement);
    CHECK_FALSE(keyboard.caps().knee_angle);
}

TEST_CASE("replay: nothing flows before start or after stop", "[replay]") {
    ReplaySource src(recording());
    VectorSink sink;
    src.advance_to(0);
    CHECK(src.state() == SourceState::Stopped);
    REQUIRE(src.start(sink));
    src.stop();
    src.stop(); // twice is fine
    src.advance_to(1'000'000);
    CHECK(sink.samples.empty());
    CHECK(src.state() == SourceState::Stopped);
}

TEST_CASE("replay: stop and start resume without skipping or repeating", "[replay]") {
    ReplaySource src(recording());
    VectorSink sink;
    REQUIRE(src.start(sink));
    src.advance_to(500'000);
    src.advance_to(510'000); // offsets 0, 0, 10 000
    REQUIRE(sink.samples.size() == 3);
    src.stop();
    src.advance_to(600'000);
    REQUIRE(src.start(sink));
    // Playing resumes at offset 10 000 from the first advance after the start.
    src.advance_to(900'000);
    CHECK(sink.samples.size() == 3);
    src.advance_to(910'000);
    REQUIRE(sink.samples.size() == 4);
    CHECK(sink.samples[3].t_us == 910'000);
    CHECK(sink.samples[3].value == 3.0f);
    src.advance_to(1'000'000);
    CHECK(values(sink.samples) == std::vector<float>{1, 5, 2, 3, 4, 5});

    src.rewind();
    CHECK(src.state() == SourceState::Streaming);
    src.advance_to(5'000'000);
    CHECK(sink.samples.size() == 8);
    CHECK(sink.samples[6].t_us == 5'000'000);
}

TEST_CASE("replay: samples are played in time order", "[replay]") {
    Recording r = recording();
    std::swap(r.samples[2], r.samples[5]);
    ReplaySource src(r);
    VectorSink sink;
    REQUIRE(src.start(sink));
    src.advance_to(0);
    src.advance_to(100'000);
    CHECK(values(sink.samples) == std::vector<float>{1, 5, 2, 3, 4, 5});
}

TEST_CASE("replay: a broken file gives a failed source naming file and line", "[replay]") {
    const fs::path path =
        qv::test::source_dir() / "tests" / "protocols" / "broken" / "bad_value.qvrec";
    auto src = ReplaySource::open(path);
    REQUIRE(src);
    CHECK(src->state() == SourceState::Failed);
    CHECK(src->last_error() == path.string() + ":13: value 'twelve' is not a number");
    VectorSink sink;
    CHECK_FALSE(src->start(sink));
    src->advance_to(1'000'000);
    CHECK(sink.samples.empty());
    CHECK(src->identity().driver == "replay");
    CHECK_FALSE(src->identity().is_measurement);
}

TEST_CASE("replay: the example recording plays through", "[replay]") {
    auto src = ReplaySource::open(qv::test::source_dir() / "tests" / "protocols" / "recordings" /
                                  "example.qvrec");
    REQUIRE(src);
    INFO(src->last_error());
    REQUIRE(src->state() != SourceState::Failed);
    CHECK(src->size() == 9);
    VectorSink sink;
    REQUIRE(src->start(sink));
    for (Micros t = 0; t <= 100'000; t += 2'000) {
        src->advance_to(t);
    }
    CHECK(sink.samples.size() == 9);
    CHECK(src->state() == SourceState::Disconnected);
}

TEST_CASE("replay: a recorded keyboard session plays back the same samples", "[replay]") {
    std::string pattern = (fs::temp_directory_path() / "qv-replay-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    const fs::path dir = pattern;
    const fs::path file = dir / "keyboard.qvrec";

    KeyboardModelParams p;
    p.max_force_n = 300;
    p.rise_s = 0.3;
    p.fall_s = 0.2;
    p.tremor_pct = 2;
    p.effort_step = 0.1;
    p.start_effort = 0.5;
    p.rate_hz = 100;
    KeyboardSource keyboard(p, 7);

    ManualClock clock(3'000'000);
    VectorSink live;
    {
        RecordingHeader h;
        h.source = keyboard.identity();
        h.channels = {Channel::Force};
        h.rate_hz = keyboard.caps().rate_hz;
        h.start_time = "2025-03-01T10:15:00Z";
        auto writer = RecordingWriter::create(file, h, clock.now_us(), live);
        REQUIRE(writer);
        REQUIRE(keyboard.start(**writer));
        for (int frame = 0; frame < 120; ++frame) {
            keyboard.set_pushing(frame >= 20 && frame < 80);
            keyboard.advance_to(clock.now_us());
            clock.advance(16'667);
        }
        keyboard.stop();
        REQUIRE((*writer)->close());
    }
    REQUIRE(live.samples.size() > 150);

    auto replay = ReplaySource::open(file);
    INFO(replay->last_error());
    REQUIRE(replay->state() != SourceState::Failed);
    CHECK(replay->identity().model == "keyboard/Keyboard");
    CHECK_FALSE(replay->identity().is_measurement);
    ManualClock later(90'000'000);
    VectorSink played;
    REQUIRE(replay->start(played));
    for (int frame = 0; frame < 130; ++frame) {
        replay->advance_to(later.now_us());
        later.advance(16'667);
    }
    REQUIRE(played.samples.size() == live.samples.size());
    for (std::size_t i = 0; i < live.samples.size(); ++i) {
        CAPTURE(i);
        CHECK(played.samples[i].value == live.samples[i].value);
        CHECK(played.samples[i].t_us - 90'000'000 == live.samples[i].t_us - 3'000'000);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
}
