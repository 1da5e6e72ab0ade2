#include "core/clock.hpp"
#include "input/source_thread.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace qv;
using namespace qv::input;

namespace {

// Counts advance_to calls and remembers the last time it was given.
class CountingSource final : public ClockedSource {
  public:
    const SourceIdentity& identity() const override { return identity_; }
    SourceCaps caps() const override { return {true, false, 100}; }
    bool start(SampleSink&) override { return true; }
    void stop() override {}
    SourceState state() const override { return SourceState::Streaming; }
    std::string last_error() const override { return {}; }
    void advance_to(Micros t_us) override {
        last_t.store(t_us);
        calls.fetch_add(1);
    }

    std::atomic<int> calls{0};
    std::atomic<Micros> last_t{-1};

  private:
    SourceIdentity identity_{"counting", "Counting", "", "", false};
};

// Waits up to `timeout` for `done()`; generous, never a speed requirement.
template <class F> bool wait_for(F done, std::chrono::seconds timeout = std::chrono::seconds(10)) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

} // namespace

TEST_CASE("SourceThread drives the source with the clock's time and stop() joins",
          "[source_thread][thread]") {
    CountingSource source;
    ManualClock clock(123'456);
    SourceThread thread(source, clock, 2000);
    CHECK_FALSE(thread.running());
    thread.start();
    CHECK(thread.running());
    REQUIRE(wait_for([&] { return source.calls.load() >= 3; }));
    CHECK(source.last_t.load() == 123'456);
    clock.set(999'000);
    REQUIRE(wait_for([&] { return source.last_t.load() == 999'000; }));
    thread.stop();
    CHECK_FALSE(thread.running());
    const int after_stop = source.calls.load();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(source.calls.load() == after_stop);
    thread.stop(); // twice is harmless
}

TEST_CASE("SourceThread stops promptly with a long period and in its destructor",
          "[source_thread][thread]") {
    CountingSource source;
    SteadyClock clock;
    {
        SourceThread thread(source, clock, 60'000'000); // one call a minute
        thread.start();
        REQUIRE(wait_for([&] { return source.calls.load() >= 1; }));
        // Leaving the scope must stop and join without waiting out the minute; the test
        // runner's own timeout would catch a hang.
    }
    const int calls = source.calls.load();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(source.calls.load() == calls);
}

TEST_CASE("SourceThread can be started again after a stop", "[source_thread][thread]") {
    CountingSource source;
    SteadyClock clock;
    SourceThread thread(source, clock, 1000);
    thread.start();
    REQUIRE(wait_for([&] { return source.calls.load() >= 1; }));
    thread.stop();
    const int first = source.calls.load();
    thread.start();
    REQUIRE(wait_for([&] { return source.calls.load() > first; }));
    thread.stop();
}
