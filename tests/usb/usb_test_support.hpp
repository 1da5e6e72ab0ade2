#pragma once
// Helpers shared by the umockdev driver tests: a collecting sink, waiting with a limit, and the
// visible skip when the umockdev preload library is not active.

#include "core/sample.hpp"
#include "input/source.hpp"
#include "tests/usb/mock_hid.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace qv::test {

/// Collects what a driver delivers; push() runs on the driver's event thread.
class CollectingSink : public input::SampleSink {
  public:
    bool push(const Sample& sample) override {
        std::lock_guard lock(mutex_);
        samples_.push_back(sample);
        return true;
    }
    std::vector<Sample> samples() {
        std::lock_guard lock(mutex_);
        return samples_;
    }
    std::size_t size() {
        std::lock_guard lock(mutex_);
        return samples_.size();
    }

  private:
    std::mutex mutex_;
    std::vector<Sample> samples_;
};

/// Exits with the skip code when the emulated device cannot run here.
inline void require_mock(const MockHidDevice& dev) {
    if (!dev.ok()) {
        std::fprintf(stderr, "SKIPPED: %s\n", dev.error().c_str());
        std::fflush(stderr);
        std::_Exit(kSkipCode);
    }
}

/// Polls `done` every 2 ms until it holds or `limit` passes.
inline bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

} // namespace qv::test
