#include "game/screen.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace {
struct Log {
    std::vector<std::string> lines;
};

class Probe final : public qv::game::Screen {
  public:
    Probe(qv::game::Context& ctx, std::string name, Log& log, bool overlay = false)
        : Screen(ctx), name_(std::move(name)), log_(log), overlay_(overlay) {}
    ~Probe() override { log_.lines.push_back("destroy " + name_); }
    std::string name() const override { return name_; }
    void step(double) override {}
    void draw(qv::game::Gfx&) override {}
    bool handle(const SDL_Event&) override { return true; }
    bool is_overlay() const override { return overlay_; }
    void resumed() override { log_.lines.push_back("resumed " + name_); }

  private:
    std::string name_;
    Log& log_;
    bool overlay_;
};

qv::game::Context& no_context() {
    // Probe screens never touch the context; a reference is all the base class keeps.
    static char storage[1];
    return *reinterpret_cast<qv::game::Context*>(storage);
}
} // namespace

SCENARIO("screen changes take effect at the next apply", "[screens]") {
    Log log;
    qv::game::ScreenStack stack;
    auto& ctx = no_context();
    GIVEN("a stack with one screen") {
        stack.push(std::make_unique<Probe>(ctx, "a", log));
        CHECK(stack.top() == nullptr); // not yet applied
        CHECK(stack.apply());
        REQUIRE(stack.top()->name() == "a");

        WHEN("a screen is pushed and the top pops itself in the same frame") {
            stack.push(std::make_unique<Probe>(ctx, "b", log));
            REQUIRE(stack.top()->name() == "a"); // still a until apply
            stack.apply();
            stack.pop();
            CHECK(stack.top()->name() == "b"); // popping is deferred: b is safe to keep running
            stack.apply();
            THEN("the screen below is back on top and told so") {
                CHECK(stack.top()->name() == "a");
                CHECK(log.lines == std::vector<std::string>{"destroy b", "resumed a"});
            }
        }
        WHEN("the stack is reset") {
            stack.push(std::make_unique<Probe>(ctx, "b", log));
            stack.apply();
            stack.reset(std::make_unique<Probe>(ctx, "c", log));
            stack.apply();
            THEN("only the new screen remains") {
                CHECK(stack.top()->name() == "c");
                stack.pop();
                stack.apply();
                CHECK(stack.top() == nullptr);
                CHECK(stack.empty());
            }
        }
        WHEN("nothing is pending") {
            THEN("apply reports no change") {
                CHECK_FALSE(stack.apply());
            }
        }
    }
}
