#include "input/source_thread.hpp"

#include <algorithm>
#include <chrono>

namespace qv::input {

namespace {
// Longest single sleep, so stop() returns promptly even when the period is long.
constexpr std::chrono::milliseconds kMaxSleepSlice{20};
} // namespace

SourceThread::SourceThread(ClockedSource& source, const Clock& clock, Micros period_us)
    : source_(source), clock_(clock), period_us_(std::max<Micros>(period_us, 1)) {}

SourceThread::~SourceThread() {
    stop();
}

void SourceThread::start() {
    if (running_.exchange(true)) {
        return;
    }
    thread_ = std::thread([this] {
        using std::chrono::steady_clock;
        const std::chrono::microseconds period{period_us_};
        auto next = steady_clock::now();
        while (running_.load(std::memory_order_acquire)) {
            source_.advance_to(clock_.now_us());
            next += period;
            auto now = steady_clock::now();
            if (next < now) {
                // Fell behind (machine busy): skip the missed ticks instead of bursting; the
                // source catches up on the time in one advance_to call anyway.
                next = now;
            }
            while (now < next && running_.load(std::memory_order_acquire)) {
                std::this_thread::sleep_until(std::min(next, now + kMaxSleepSlice));
                now = steady_clock::now();
            }
        }
    });
}

void SourceThread::stop() {
    running_.store(false, std::memory_order_release);
    if (thread_.joinable()) {
        thread_.join();
    }
}

} // namespace qv::input
