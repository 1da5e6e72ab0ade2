#pragma once
// Drives a ClockedSource in real time on its own thread (the "input thread" for virtual sources).

#include "core/clock.hpp"
#include "input/source.hpp"

#include <atomic>
#include <thread>

namespace qv::input {

/// Calls source.advance_to(clock.now_us()) every `period_us` until stopped. Sleeps between
/// calls (no busy waiting).
class SourceThread {
  public:
    SourceThread(ClockedSource& source, const Clock& clock, Micros period_us = 2000);
    ~SourceThread();
    SourceThread(const SourceThread&) = delete;
    SourceThread& operator=(const SourceThread&) = delete;

    void start();
    void stop();
    bool running() const { return running_.load(); }

  private:
    ClockedSource& source_;
    const Clock& clock_;
    Micros period_us_;
    std::atomic<bool> running_{false};
    std::thread thread_;
};

} // namespace qv::input
