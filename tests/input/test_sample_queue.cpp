#include "input/sample_queue.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <thread>
#include <vector>

using qv::Sample;
using qv::input::SampleQueue;

namespace {

Sample numbered(std::int64_t n) {
    Sample s;
    s.t_us = n;
    s.value = static_cast<float>(n % 1000);
    return s;
}

} // namespace

TEST_CASE("SampleQueue rounds its capacity up to a power of two", "[sample_queue]") {
    CHECK(SampleQueue(1000).capacity() == 1024);
    CHECK(SampleQueue(1024).capacity() == 1024);
    CHECK(SampleQueue(5).capacity() == 8);
    CHECK(SampleQueue(1).capacity() == 1);
    CHECK(SampleQueue(0).capacity() == 1);
}

SCENARIO("A full SampleQueue drops and counts exactly what it cannot take", "[sample_queue]") {
    GIVEN("a queue of eight") {
        SampleQueue q(8);
        WHEN("ten samples are pushed without popping") {
            int accepted = 0;
            for (int i = 0; i < 10; ++i) {
                accepted += q.push(numbered(i)) ? 1 : 0;
            }
            THEN("eight are taken, two dropped, and the eight come out in order") {
                CHECK(accepted == 8);
                CHECK(q.pushed() == 8);
                CHECK(q.dropped() == 2);
                Sample s;
                for (int i = 0; i < 8; ++i) {
                    REQUIRE(q.pop(s));
                    CHECK(s.t_us == i);
                }
                CHECK_FALSE(q.pop(s));
            }
            AND_WHEN("one is popped") {
                Sample s;
                REQUIRE(q.pop(s));
                THEN("exactly one more fits") {
                    CHECK(q.push(numbered(100)));
                    CHECK_FALSE(q.push(numbered(101)));
                    CHECK(q.dropped() == 3);
                    std::vector<Sample> rest;
                    CHECK(q.drain(rest) == 8);
                    REQUIRE(rest.size() == 8);
                    CHECK(rest.front().t_us == 1);
                    CHECK(rest.back().t_us == 100);
                }
            }
        }
    }
}

TEST_CASE("SampleQueue drain appends and leaves the queue empty", "[sample_queue]") {
    SampleQueue q(16);
    std::vector<Sample> out{numbered(-1)};
    CHECK(q.drain(out) == 0);
    for (int i = 0; i < 5; ++i) {
        q.push(numbered(i));
    }
    CHECK(q.drain(out) == 5);
    REQUIRE(out.size() == 6);
    CHECK(out[0].t_us == -1);
    CHECK(out[5].t_us == 4);
    Sample s;
    CHECK_FALSE(q.pop(s));
}

TEST_CASE("SampleQueue wraps around many times without mixing samples up", "[sample_queue]") {
    SampleQueue q(4);
    std::int64_t next_in = 0;
    std::int64_t next_out = 0;
    Sample s;
    for (int round = 0; round < 1000; ++round) {
        const int n = 1 + round % 4;
        for (int i = 0; i < n; ++i) {
            REQUIRE(q.push(numbered(next_in++)));
        }
        for (int i = 0; i < n; ++i) {
            REQUIRE(q.pop(s));
            REQUIRE(s.t_us == next_out++);
        }
    }
    CHECK(q.dropped() == 0);
}

TEST_CASE("SampleQueue hands a million samples across threads in order with no loss",
          "[sample_queue][thread]") {
    constexpr std::int64_t kCount = 1'000'000;
    SampleQueue q(1u << 20); // holds all of them: nothing may be dropped however slow we are
    std::thread producer([&] {
        for (std::int64_t i = 0; i < kCount; ++i) {
            q.push(numbered(i));
        }
    });
    std::int64_t expected = 0;
    bool in_order = true;
    std::vector<Sample> batch;
    while (expected < kCount) {
        batch.clear();
        q.drain(batch);
        for (const Sample& s : batch) {
            in_order =
                in_order && s.t_us == expected && s.value == static_cast<float>(expected % 1000);
            ++expected;
        }
        if (batch.empty()) {
            std::this_thread::yield();
        }
    }
    producer.join();
    CHECK(in_order);
    CHECK(expected == kCount);
    CHECK(q.dropped() == 0);
    CHECK(q.pushed() == static_cast<std::uint64_t>(kCount));
}

TEST_CASE("SampleQueue stays ordered across threads when it keeps filling up",
          "[sample_queue][thread]") {
    constexpr std::int64_t kCount = 200'000;
    SampleQueue q(64); // small: the producer hits a full queue and retries
    std::thread producer([&] {
        for (std::int64_t i = 0; i < kCount; ++i) {
            while (!q.push(numbered(i))) {
                std::this_thread::yield();
            }
        }
    });
    std::int64_t expected = 0;
    bool in_order = true;
    Sample s;
    while (expected < kCount) {
        if (q.pop(s)) {
            in_order = in_order && s.t_us == expected;
            ++expected;
        } else {
            std::this_thread::yield();
        }
    }
    producer.join();
    CHECK(in_order);
    CHECK(q.pushed() == static_cast<std::uint64_t>(kCount));
    CHECK_FALSE(q.pop(s));
}
