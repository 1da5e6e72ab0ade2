#include "core/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace qv::log {

std::shared_ptr<spdlog::logger> get(const std::string& module) {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (auto existing = spdlog::get(module)) {
        return existing;
    }
    auto logger = spdlog::stderr_color_mt(module);
    logger->set_pattern("[%H:%M:%S.%e] [%n] %^%l%$ %v");
    logger->set_level(spdlog::get_level());
    return logger;
}

void set_level(spdlog::level::level_enum level) {
    spdlog::set_level(level);
}

bool RateLimiter::allow(const std::string& key, int* suppressed) {
    std::lock_guard lock(mutex_);
    auto& e = entries_[key];
    const auto now = std::chrono::steady_clock::now();
    if (!e.seen || now - e.last >= interval_) {
        if (suppressed != nullptr) {
            *suppressed = e.held;
        }
        e.seen = true;
        e.last = now;
        e.held = 0;
        return true;
    }
    ++e.held;
    return false;
}

} // namespace qv::log
