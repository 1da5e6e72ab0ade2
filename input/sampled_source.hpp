#pragma once
// A clocked source that produces one force sample per period on a fixed time grid. The keyboard
// and the simulator are sampled sources: they differ only in how the next value is computed.

#include "input/source.hpp"

#include <atomic>
#include <mutex>

namespace qv::input {

/// Owns the sink, the lock and the sample grid. advance_to() emits a sample at every multiple
/// of the period since the first call after start(); the last emitted time survives a stop and
/// a start, so no time is ever emitted twice.
class SampledSource : public ClockedSource {
  public:
    SourceCaps caps() const override { return SourceCaps{true, false, rate_hz_}; }
    bool start(SampleSink& sink) override;
    void stop() override;
    SourceState state() const override;
    std::string last_error() const override { return {}; }
    void advance_to(Micros t_us) final;

  protected:
    explicit SampledSource(double rate_hz) : rate_hz_(rate_hz) {}
    /// The value of the next sample, taken `dt_s` after the previous one (0 for the first).
    /// Called with mutex_ held.
    virtual double next_value(double dt_s) = 0;
    /// Guards the subclass's model state as well as the grid.
    mutable std::mutex mutex_;

  private:
    double rate_hz_;
    std::atomic<SampleSink*> sink_{nullptr};
    Micros last_t_ = -1;
    Micros next_sample_t_ = -1;
};

} // namespace qv::input
