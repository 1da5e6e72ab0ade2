#pragma once
// Screens and the screen stack: each screen steps, draws and handles events; push, pop and
// replace take effect at the next step, so a screen may pop itself safely.

#include <SDL.h>
#include <memory>
#include <string>
#include <vector>

namespace qv::game {

class Gfx;
struct Context;

/// One screen of the game. Events a screen does not handle fall through to the one below only
/// when the screen is an overlay (is_overlay()).
class Screen {
  public:
    explicit Screen(Context& ctx) : ctx_(ctx) {}
    virtual ~Screen() = default;
    Screen(const Screen&) = delete;
    Screen& operator=(const Screen&) = delete;

    /// Stable name, used by --screenshot --screen and the demo autopilot.
    virtual std::string name() const = 0;
    /// Advances by dt seconds (game time).
    virtual void step(double dt) = 0;
    /// Draws the whole screen (or, for overlays, on top of the one below).
    virtual void draw(Gfx& gfx) = 0;
    /// Returns true when the event was used.
    virtual bool handle(const SDL_Event& event) = 0;
    /// Overlays draw over the screen below and leave it visible.
    virtual bool is_overlay() const { return false; }
    /// Called when the screen becomes the top again after one above it was popped.
    virtual void resumed() {}
    /// Frames a second this screen needs; a calm screen asks for fewer to save CPU.
    virtual double max_fps() const { return 60; }

  protected:
    Context& ctx_;
};

/// The stack. Owned by the App.
class ScreenStack {
  public:
    void push(std::unique_ptr<Screen> s) { pending_.push_back({Op::Push, std::move(s)}); }
    void pop() { pending_.push_back({Op::Pop, nullptr}); }
    /// Replaces the top screen.
    void replace(std::unique_ptr<Screen> s) { pending_.push_back({Op::Replace, std::move(s)}); }
    /// Clears the stack and pushes `s`.
    void reset(std::unique_ptr<Screen> s) { pending_.push_back({Op::Reset, std::move(s)}); }

    /// Applies pending changes; returns true when the top screen changed.
    bool apply();
    Screen* top() const { return stack_.empty() ? nullptr : stack_.back().get(); }
    bool empty() const { return stack_.empty() && pending_.empty(); }
    /// Draws from the last opaque screen upward.
    void draw(Gfx& gfx);
    /// Offers the event to the top screen.
    bool handle(const SDL_Event& e) { return top() != nullptr && top()->handle(e); }

  private:
    enum class Op { Push, Pop, Replace, Reset };
    struct Pending {
        Op op;
        std::unique_ptr<Screen> screen;
    };
    std::vector<std::unique_ptr<Screen>> stack_;
    std::vector<Pending> pending_;
};

} // namespace qv::game
