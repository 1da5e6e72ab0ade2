#pragma once
// The input source interface: anything that produces timestamped samples on named channels.

#include "core/exercise.hpp"
#include "core/sample.hpp"

#include <string>

namespace qv::input {

/// What a source can deliver.
struct SourceCaps {
    bool force = false;
    bool knee_angle = false;
    double rate_hz = 0; ///< nominal samples per second per channel
};

/// The state a source reports about itself.
enum class SourceState {
    Stopped,      ///< not started, or stopped on request
    Streaming,    ///< delivering samples
    Disconnected, ///< the device went away; samples already delivered are kept
    Failed,       ///< could not start or broke; see last_error()
};

/// Receives what a source produces. push() is called from the source's own thread.
class SampleSink {
  public:
    virtual ~SampleSink() = default;
    /// Hands one sample over; returns false if it had to be dropped (queue full).
    virtual bool push(const Sample& sample) = 0;
};

/// A producer of samples. start() may spawn a thread; stop() joins it. A source delivers to one
/// sink at a time and is stopped before it is destroyed.
class Source {
  public:
    virtual ~Source() = default;
    Source() = default;
    Source(const Source&) = delete;
    Source& operator=(const Source&) = delete;

    /// Driver id, model, serial, firmware, and whether the data are real measurements.
    virtual const SourceIdentity& identity() const = 0;
    /// Channels and rate.
    virtual SourceCaps caps() const = 0;
    /// Begins delivering samples to `sink`. Returns false and sets last_error() on failure.
    virtual bool start(SampleSink& sink) = 0;
    /// Stops delivering; joins any thread. Safe to call twice.
    virtual void stop() = 0;
    /// Current state.
    virtual SourceState state() const = 0;
    /// The last error in words, empty when none.
    virtual std::string last_error() const = 0;
};

/// A source that generates samples for the time that has passed when told the time. The
/// keyboard and the simulator are clocked: a SourceThread drives them in real time, and the
/// headless demo and tests drive them on a manual clock.
class ClockedSource : public Source {
  public:
    /// Produces every sample due up to and including `t_us` (monotonic, microseconds).
    virtual void advance_to(Micros t_us) = 0;
};

} // namespace qv::input
