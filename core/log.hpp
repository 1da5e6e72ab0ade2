#pragma once
// One logging API for the whole program: a named logger per module, and a rate limiter for
// errors that could repeat every sample (an unplugged sensor must not flood the log).

#include <chrono>
#include <memory>
#include <mutex>
#include <spdlog/spdlog.h>
#include <string>
#include <unordered_map>

namespace qv::log {

/// The logger of one module ("input", "storage", "game", ...). Created on first use.
std::shared_ptr<spdlog::logger> get(const std::string& module);

/// Sets the level of every logger ("trace" ... "off").
void set_level(spdlog::level::level_enum level);

/// Lets a given key through at most once per interval; counts what it held back.
class RateLimiter {
  public:
    explicit RateLimiter(std::chrono::milliseconds interval = std::chrono::seconds(5))
        : interval_(interval) {}
    /// True when a message with this key may be logged now; `suppressed` gets how many
    /// were held back since the last one that passed.
    bool allow(const std::string& key, int* suppressed = nullptr);

  private:
    struct Entry {
        std::chrono::steady_clock::time_point last{};
        int held = 0;
        bool seen = false;
    };
    std::chrono::milliseconds interval_;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

} // namespace qv::log
