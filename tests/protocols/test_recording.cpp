// Recording files: the writer as a sink decorator, exact round trips, the documented example,
// and the reader's file:line errors on the broken corpus and on every truncation.

#include "input/recording.hpp"
#include "tests/protocols/support.hpp"

#include <bit>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <limits>
#include <unistd.h>

using namespace qv;
using namespace qv::input;
namespace fs = std::filesystem;

namespace {

// Collects what it is given; refuses everything once `full` is set.
class VectorSink final : public SampleSink {
  public:
    bool push(const Sample& sample) override {
        if (full) {
            return false;
        }
        samples.push_back(sample);
        return true;
    }
    std::vector<Sample> samples;
    bool full = false;
};

// A fresh directory under /tmp, removed with its contents at the end of the test.
class ScratchDir {
  public:
    ScratchDir() {
        std::string pattern = (fs::temp_directory_path() / "qv-recording-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

RecordingHeader open_sensor_header() {
    RecordingHeader h;
    h.source = SourceIdentity{"open-sensor", "Quadventure open sensor", "QV-0042", "1.0.3", true};
    h.channels = {Channel::Force, Channel::KneeAngle};
    h.rate_hz = 80;
    h.start_time = "2025-03-01T10:15:00Z";
    return h;
}

// Same bits, so that -0.0 and 0.0 or rounding differences are told apart.
bool same(const Sample& a, const Sample& b) {
    return a.t_us == b.t_us && a.channel == b.channel && a.flags == b.flags &&
           std::bit_cast<std::uint32_t>(a.value) == std::bit_cast<std::uint32_t>(b.value);
}

fs::path broken(const std::string& name) {
    return qv::test::source_dir() / "tests" / "protocols" / "broken" / name;
}

std::string example_text() {
    return qv::test::read_text(qv::test::source_dir() / "tests" / "protocols" / "recordings" /
                               "example.qvrec");
}

} // namespace

TEST_CASE("recording: the writer records while passing samples on", "[recording]") {
    ScratchDir dir;
    const fs::path file = dir.path() / "hold.qvrec";
    VectorSink next;
    const Micros origin = 7'000'000;
    const std::vector<Sample> samples{
        {origin, Channel::Force, 0.1f, kFlagNone},
        {origin, Channel::KneeAngle, 12.25f, kFlagLowSupply},
        {origin + 12'500, Channel::Force, -0.0f, kFlagGapBefore | kFlagSaturated},
        {origin + 25'000, Channel::Force, 1e-7f, 0xFFFF},
        {origin + 37'500, Channel::Force, 3.4028235e38f, kFlagNone},
        {origin + 50'000, Channel::Force, std::numeric_limits<float>::infinity(), kFlagNone},
        {origin + 62'500, Channel::Force, 123.456789f, kFlagNotTared},
        {origin - 500, Channel::Force, 2.0f, kFlagNone}, // older than the origin
    };
    {
        auto writer = RecordingWriter::create(file, open_sensor_header(), origin, next);
        REQUIRE(writer);
        for (const Sample& s : samples) {
            CHECK((*writer)->push(s));
        }
        CHECK((*writer)->recorded() == samples.size());
        REQUIRE((*writer)->close());
        CHECK((*writer)->close()); // twice is fine
    }
    // The next sink saw the samples unchanged.
    REQUIRE(next.samples.size() == samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        CHECK(same(next.samples[i], samples[i]));
    }
    // The file holds them relative to the origin, bit for bit.
    const Result<Recording> rec = read_recording(file);
    INFO((rec ? std::string() : rec.error().message));
    REQUIRE(rec);
    CHECK(rec->header.source.driver == "open-sensor");
    CHECK(rec->header.source.model == "Quadventure open sensor");
    CHECK(rec->header.source.serial == "QV-0042");
    CHECK(rec->header.source.firmware == "1.0.3");
    CHECK(rec->header.source.is_measurement);
    CHECK(rec->header.channels == std::vector<Channel>{Channel::Force, Channel::KneeAngle});
    CHECK(rec->header.rate_hz == 80);
    CHECK(rec->header.start_time == "2025-03-01T10:15:00Z");
    REQUIRE(rec->samples.size() == samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        Sample expected = samples[i];
        expected.t_us -= origin;
        CAPTURE(i);
        CHECK(same(rec->samples[i], expected));
    }
}

TEST_CASE("recording: the writer passes on what the next sink says", "[recording]") {
    ScratchDir dir;
    VectorSink next;
    next.full = true;
    auto writer = RecordingWriter::create(dir.path() / "full.qvrec", open_sensor_header(), 0, next);
    REQUIRE(writer);
    CHECK_FALSE((*writer)->push(Sample{5, Channel::Force, 1.0f, 0}));
    // Recorded anyway: the recording is of the source, not of what the game kept.
    CHECK((*writer)->recorded() == 1);
    REQUIRE((*writer)->close());
    const auto rec = read_recording(dir.path() / "full.qvrec");
    REQUIRE(rec);
    CHECK(rec->samples.size() == 1);
}

TEST_CASE("recording: the writer refuses what it cannot write", "[recording]") {
    ScratchDir dir;
    VectorSink next;
    const fs::path nowhere = dir.path() / "missing" / "x.qvrec";
    const auto no_dir = RecordingWriter::create(nowhere, open_sensor_header(), 0, next);
    REQUIRE_FALSE(no_dir);
    CHECK(no_dir.error().message.find(nowhere.string()) == 0);
    RecordingHeader no_channels = open_sensor_header();
    no_channels.channels.clear();
    CHECK_FALSE(RecordingWriter::create(dir.path() / "a.qvrec", no_channels, 0, next));
    RecordingHeader no_driver = open_sensor_header();
    no_driver.source.driver.clear();
    CHECK_FALSE(RecordingWriter::create(dir.path() / "b.qvrec", no_driver, 0, next));
}

TEST_CASE("recording: identity text with spaces, tabs, newlines and backslashes survives",
          "[recording]") {
    Recording rec;
    rec.header = open_sensor_header();
    rec.header.source.model = "  Odd\tmodel\\name\nsecond line\r ";
    rec.header.source.serial = "";
    rec.header.source.is_measurement = false;
    rec.header.rate_hz = 83.5;
    rec.samples = {{0, Channel::Force, 1.0f, 0}};
    const std::string text = format_header(rec.header) + format_sample(rec.samples[0]);
    const auto back = parse_recording(text, "mem");
    INFO((back ? std::string() : back.error().message));
    REQUIRE(back);
    CHECK(back->header.source.model == rec.header.source.model);
    CHECK(back->header.source.serial.empty());
    CHECK_FALSE(back->header.source.is_measurement);
    CHECK(back->header.rate_hz == 83.5);
}

TEST_CASE("recording: the header text is exactly the documented one", "[recording]") {
    CHECK(format_header(open_sensor_header()) == "quadventure-recording 1\n"
                                                 "source.driver open-sensor\n"
                                                 "source.model Quadventure open sensor\n"
                                                 "source.serial QV-0042\n"
                                                 "source.firmware 1.0.3\n"
                                                 "source.is_measurement true\n"
                                                 "channels force knee_angle\n"
                                                 "rate_hz 80\n"
                                                 "start_time 2025-03-01T10:15:00Z\n"
                                                 "samples\n");
    CHECK(format_sample(Sample{12500, Channel::KneeAngle, 4.5f, 16}) ==
          "12500 knee_angle 4.5 16\n");
    CHECK(utc_timestamp(std::chrono::system_clock::time_point(std::chrono::seconds(1740824100))) ==
          "2025-03-01T10:15:00Z");
}

TEST_CASE("recording: the example with comments, blank lines and CRLF", "[recording]") {
    const std::string text = example_text();
    REQUIRE_FALSE(text.empty());
    const auto rec = parse_recording(text, "example.qvrec");
    INFO((rec ? std::string() : rec.error().message));
    REQUIRE(rec);
    CHECK(rec->header.source.driver == "open-sensor");
    REQUIRE(rec->samples.size() == 9);
    CHECK(same(rec->samples[0], Sample{0, Channel::Force, 1.25f, 0}));
    CHECK(same(rec->samples[1], Sample{0, Channel::KneeAngle, 4.5f, 0}));
    CHECK(same(rec->samples.back(), Sample{100'000, Channel::Force, 0.75f, 0}));

    std::string crlf;
    for (char c : text) {
        if (c == '\n') {
            crlf += '\r';
        }
        crlf += c;
    }
    const auto again = parse_recording(crlf, "crlf");
    REQUIRE(again);
    REQUIRE(again->samples.size() == rec->samples.size());
    for (std::size_t i = 0; i < rec->samples.size(); ++i) {
        CHECK(same(again->samples[i], rec->samples[i]));
    }
}

TEST_CASE("recording: docs/recording-format.md's example is a valid recording",
          "[recording][docs]") {
    const std::string doc =
        qv::test::read_text(qv::test::source_dir() / "docs" / "recording-format.md");
    REQUIRE_FALSE(doc.empty());
    const auto at = doc.find("<!-- recording-example -->");
    REQUIRE(at != std::string::npos);
    const auto open = doc.find("```", at);
    REQUIRE(open != std::string::npos);
    const auto body = doc.find('\n', open) + 1;
    const auto close = doc.find("```", body);
    REQUIRE(close != std::string::npos);
    const auto rec = parse_recording(doc.substr(body, close - body), "recording-format.md");
    INFO((rec ? std::string() : rec.error().message));
    REQUIRE(rec);
    CHECK(rec->samples.size() >= 4);
}

TEST_CASE("recording: broken files name the file and line of the problem", "[recording][broken]") {
    struct Case {
        const char* file;
        int line;
        const char* message;
    };
    const auto c = GENERATE(
        Case{"empty.qvrec", 1, "empty file, not a Quadventure recording"},
        Case{"not_a_recording.qvrec", 1,
             "not a Quadventure recording (the first line must be 'quadventure-recording 1')"},
        Case{"future_version.qvrec", 1,
             "recording format version '2' is not supported (this build reads version 1)"},
        Case{"empty_driver.qvrec", 2, "source.driver must not be empty"},
        Case{"bad_escape.qvrec", 3, "'source.model' has a backslash not followed by \\, n, r or t"},
        Case{"unknown_key.qvrec", 6, "unknown header key 'source.colour'"},
        Case{"bad_bool.qvrec", 6, "source.is_measurement must be true or false, not 'yes'"},
        Case{"unknown_channel.qvrec", 7,
             "unknown channel 'elbow_angle' (known: force, knee_angle)"},
        Case{"duplicate_channel.qvrec", 7, "channel 'force' is listed twice"},
        Case{"bad_rate.qvrec", 8, "rate_hz must be a number >= 0, not '-5'"},
        Case{"bad_start_time.qvrec", 9,
             "start_time must look like 2025-03-01T10:15:00Z, not 'yesterday'"},
        Case{"duplicate_key.qvrec", 9, "'rate_hz' is given twice"},
        Case{"missing_key.qvrec", 9, "the header lacks 'rate_hz'"},
        Case{"no_samples_line.qvrec", 9, "the header never ends (no 'samples' line)"},
        Case{"channel_not_in_header.qvrec", 12,
             "channel 'knee_angle' is not in the header's channels"},
        Case{"bad_time.qvrec", 13, "time '1.25e4' is not a whole number of microseconds"},
        Case{"bad_value.qvrec", 13, "value 'twelve' is not a number"},
        Case{"bad_flags.qvrec", 13, "flags '70000' is not a whole number 0..65535"},
        Case{"short_sample.qvrec", 14, "expected 't_us channel value flags', got 3 field(s)"},
        Case{"binary_in_samples.qvrec", 14, "line holds control characters (binary data?)"},
        Case{"truncated.qvrec", 14, "expected 't_us channel value flags', got 2 field(s)"});
    const fs::path path = broken(c.file);
    REQUIRE(fs::exists(path));
    const auto rec = read_recording(path);
    REQUIRE_FALSE(rec);
    CHECK(rec.error().message == path.string() + ":" + std::to_string(c.line) + ": " + c.message);
}

TEST_CASE("recording: a missing file and an overlong line", "[recording][broken]") {
    const auto missing = read_recording(broken("does_not_exist.qvrec"));
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("does_not_exist.qvrec: cannot read") != std::string::npos);

    const std::string text = format_header(open_sensor_header()) + "0 force 1 0\n" +
                             std::string(5000, '7') + " force 1 0\n";
    const auto rec = parse_recording(text, "long");
    REQUIRE_FALSE(rec);
    CHECK(rec.error().message == "long:12: line is longer than 4096 characters");
}

TEST_CASE("recording: every truncation and byte flip of a valid file is read or refused",
          "[recording][broken]") {
    const std::string text = example_text();
    REQUIRE_FALSE(text.empty());
    std::size_t refused = 0;
    for (std::size_t n = 0; n <= text.size(); ++n) {
        const auto rec = parse_recording(text.substr(0, n), "cut");
        if (!rec) {
            ++refused;
            CHECK(rec.error().message.rfind("cut:", 0) == 0);
        }
    }
    CHECK(refused > 0);
    std::uint32_t state = 12345;
    for (int i = 0; i < 2000; ++i) {
        std::string mutated = text;
        state = state * 1664525u + 1013904223u;
        const std::size_t at = (state >> 8) % mutated.size();
        state = state * 1664525u + 1013904223u;
        mutated[at] = static_cast<char>(state >> 24);
        const auto rec = parse_recording(mutated, "flip");
        if (!rec) {
            CHECK(rec.error().message.rfind("flip:", 0) == 0);
        }
    }
}
