#pragma once
// Clocks: a real monotonic one and a manual one that tests and the headless demo advance.

#include "core/sample.hpp"

#include <atomic>
#include <chrono>

namespace qv {

/// A source of "now" in microseconds. Implementations must be safe to read from any thread.
class Clock {
  public:
    virtual ~Clock() = default;
    /// Current time in microseconds since an arbitrary fixed origin.
    virtual Micros now_us() const = 0;
};

/// The process's steady clock.
class SteadyClock final : public Clock {
  public:
    Micros now_us() const override {
        return std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
};

/// A clock that only moves when told to; used for replay, tests and accelerated demos.
class ManualClock final : public Clock {
  public:
    explicit ManualClock(Micros start = 0) : now_(start) {}
    Micros now_us() const override { return now_.load(std::memory_order_acquire); }
    void advance(Micros dt) { now_.fetch_add(dt, std::memory_order_acq_rel); }
    void set(Micros t) { now_.store(t, std::memory_order_release); }

  private:
    std::atomic<Micros> now_;
};

/// Seconds as double from microseconds.
constexpr double to_seconds(Micros us) {
    return static_cast<double>(us) * 1e-6;
}
/// Microseconds from seconds (rounded toward zero).
constexpr Micros from_seconds(double s) {
    return static_cast<Micros>(s * 1e6);
}

} // namespace qv
