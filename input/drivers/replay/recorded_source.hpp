#pragma once
// Records any source while it plays: a Source decorator that starts the wrapped source with a
// RecordingWriter in front of the real sink, so every sample the source produces is written to
// a .qvrec file (docs/recording-format.md) on its way into the game. Replaying that file with
// ReplaySource on the same clock feeds the game the same samples at the same moments.

#include "core/clock.hpp"
#include "input/recording.hpp"
#include "input/source.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace qv::input {

/// Owns the wrapped source and, between start() and stop(), the recording file.
class RecordedSource final : public ClockedSource {
  public:
    /// Records `inner` into `path` (replaced); sample times are offsets from start() on `clock`.
    RecordedSource(std::unique_ptr<Source> inner, std::filesystem::path path, const Clock& clock);
    ~RecordedSource() override;

    /// The wrapped source's identity: a recording changes nothing about where data came from.
    const SourceIdentity& identity() const override { return inner_->identity(); }
    SourceCaps caps() const override { return inner_->caps(); }
    /// Creates the file, then starts the wrapped source into it. A file that cannot be created
    /// fails the start with a message naming it.
    bool start(SampleSink& sink) override;
    /// Stops the wrapped source and closes the file.
    void stop() override;
    SourceState state() const override { return inner_->state(); }
    std::string last_error() const override;
    /// Forwards to the wrapped source when it is clocked (keyboard, simulator, replay).
    void advance_to(Micros t_us) override;

    /// The wrapped source (e.g. to set the virtual patient's cue).
    Source& inner() { return *inner_; }
    /// Samples written so far.
    std::uint64_t recorded() const { return writer_ ? writer_->recorded() : 0; }

  private:
    std::unique_ptr<Source> inner_;
    ClockedSource* clocked_; ///< inner_ as a clocked source, or nullptr
    std::filesystem::path path_;
    const Clock& clock_;
    std::unique_ptr<RecordingWriter> writer_;
    std::string error_;
};

/// The source doing the work: the wrapped one for a RecordedSource, else `source` itself.
inline Source* underlying(Source* source) {
    auto* recorded = dynamic_cast<RecordedSource*>(source);
    return recorded != nullptr ? &recorded->inner() : source;
}
inline const Source* underlying(const Source* source) {
    return underlying(const_cast<Source*>(source));
}

} // namespace qv::input
