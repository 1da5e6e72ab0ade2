#include "core/log.hpp"

#include <catch2/catch.hpp>
#include <thread>

TEST_CASE("RateLimiter lets a key through once per interval and counts the rest", "[log]") {
    qv::log::RateLimiter limiter(std::chrono::milliseconds(50));
    int held = -1;
    CHECK(limiter.allow("usb", &held));
    CHECK(held == 0);
    for (int i = 0; i < 10; ++i) {
        CHECK_FALSE(limiter.allow("usb"));
    }
    CHECK(limiter.allow("other")); // keys are independent
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    CHECK(limiter.allow("usb", &held));
    CHECK(held == 10);
}

TEST_CASE("log::get returns one logger per module", "[log]") {
    auto a = qv::log::get("test-module");
    auto b = qv::log::get("test-module");
    CHECK(a.get() == b.get());
    CHECK(a->name() == "test-module");
}
