#pragma once
// Recordings of any source's samples, in the line-based text format of
// docs/recording-format.md: a header naming the source, its channels, rate and start time, then
// one line per sample ("t_us channel value flags"). The writer is a SampleSink that records
// while passing samples on; the reader never crashes and names the file and line of the first
// problem it finds.

#include "core/exercise.hpp"
#include "core/result.hpp"
#include "core/sample.hpp"
#include "input/source.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace qv::input {

/// The format version this build writes and reads.
inline constexpr int kRecordingVersion = 1;

/// What a recording says about where its samples came from.
struct RecordingHeader {
    SourceIdentity source;         ///< the recorded source, unchanged
    std::vector<Channel> channels; ///< channels the samples use, at least one
    double rate_hz = 0;            ///< nominal samples per second per channel (0 = unknown)
    std::string start_time;        ///< wall clock at the start, ISO 8601 UTC
};

/// A recording in memory. Sample times are offsets from the start of the recording.
struct Recording {
    RecordingHeader header;
    std::vector<Sample> samples;
};

/// `t` as ISO 8601 UTC with seconds ("2025-03-01T10:15:00Z"), for RecordingHeader::start_time.
std::string utc_timestamp(std::chrono::system_clock::time_point t);

/// The header text of a recording, up to and including the "samples" line.
std::string format_header(const RecordingHeader& header);

/// One sample line (newline included); `s.t_us` is written as it is (an offset).
std::string format_sample(const Sample& s);

/// Parses a whole recording. Errors read "<name>:<line>: <what is wrong>".
Result<Recording> parse_recording(std::string_view text, std::string_view name);

/// Reads a recording file (at most 256 MiB). Errors name the path and line.
Result<Recording> read_recording(const std::filesystem::path& path);

/// Writes a whole recording to `path`, replacing it.
Status write_recording(const std::filesystem::path& path, const Recording& recording);

/// A SampleSink decorator: writes every sample it is given to a recording file, then hands it
/// to the next sink. Recording never gets in the way of the game: a write error is remembered
/// (see close()) and the samples keep flowing. Owns the open file. push() may be called from
/// the source's thread; close() from another once the source is stopped.
class RecordingWriter final : public SampleSink {
  public:
    /// Creates `path` and writes the header. Samples are recorded at t_us - origin_us, so pass
    /// the clock's time when recording starts.
    static Result<std::unique_ptr<RecordingWriter>> create(const std::filesystem::path& path,
                                                           const RecordingHeader& header,
                                                           Micros origin_us, SampleSink& next);
    ~RecordingWriter() override;
    RecordingWriter(const RecordingWriter&) = delete;
    RecordingWriter& operator=(const RecordingWriter&) = delete;

    /// Records `sample` and returns what the next sink returns.
    bool push(const Sample& sample) override;
    /// Flushes and closes the file; reports the first write error. Safe to call twice.
    Status close();
    /// Samples written so far.
    std::uint64_t recorded() const;

  private:
    RecordingWriter(std::filesystem::path path, std::ofstream file, Micros origin_us,
                    SampleSink& next);

    std::filesystem::path path_;
    Micros origin_us_;
    SampleSink& next_;
    mutable std::mutex mutex_; // guards the members below
    std::ofstream file_;
    std::uint64_t recorded_ = 0;
    std::string error_;
};

} // namespace qv::input
