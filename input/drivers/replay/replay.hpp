#pragma once
// The replay source: plays a recording (input/recording.hpp) back on whatever clock drives it,
// so recorded sessions go through the same pipeline as live ones in tests and demos.
//
// Identity: the driver is "replay"; the model is "<recorded driver>/<recorded model>" (just the
// recorded driver when it had no model); serial, firmware and is_measurement are the recorded
// source's. A replay of a real sensor therefore still counts as a measurement, and a replay of
// the keyboard never does. recorded_identity() gives the recorded identity unchanged.

#include "core/exercise.hpp"
#include "input/recording.hpp"
#include "input/source.hpp"

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace qv::input {

/// Owns the recording and the play position. advance_to() on the input thread; the rest from
/// any thread.
class ReplaySource final : public ClockedSource {
  public:
    /// Plays `recording`; its samples are played in time order (stable for equal times).
    explicit ReplaySource(Recording recording);
    /// Loads `path`. A file that cannot be read gives a source in the Failed state whose
    /// last_error() names the file and line.
    static std::unique_ptr<ReplaySource> open(const std::filesystem::path& path);

    const SourceIdentity& identity() const override { return identity_; }
    SourceCaps caps() const override;
    bool start(SampleSink& sink) override;
    void stop() override;
    /// Streaming while playing, Disconnected once every sample has been played (the end of a
    /// recording looks like an unplugged sensor), Failed when the file could not be loaded.
    SourceState state() const override;
    std::string last_error() const override;
    /// Emits every sample whose recorded offset is at most t_us minus the start, stamped start
    /// plus its offset. The start is the time of the first advance_to() after start(); after a
    /// stop and start, playing resumes where it stopped without skipping or repeating samples.
    void advance_to(Micros t_us) override;

    /// The identity of the source that was recorded.
    const SourceIdentity& recorded_identity() const { return recording_.header.source; }
    /// Plays from the beginning again at the next advance_to().
    void rewind();
    /// Samples emitted since the last rewind.
    std::size_t played() const;
    /// Samples in the recording.
    std::size_t size() const { return recording_.samples.size(); }

  private:
    struct LoadFailure {
        std::string error;
    };
    explicit ReplaySource(LoadFailure failure);

    Recording recording_;
    SourceIdentity identity_;
    std::string error_;
    std::atomic<SampleSink*> sink_{nullptr};
    mutable std::mutex mutex_; // guards the play position below
    std::size_t next_ = 0;
    bool anchored_ = false;
    Micros start_us_ = 0;
    Micros resume_offset_us_ = 0;
};

} // namespace qv::input
