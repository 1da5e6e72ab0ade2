#pragma once
// The clinician PIN as it is typed: up to 8 digits shown as dots. Used by the clinician's PIN
// screens and by the kiosk's way out.

#include "game/screen.hpp"

#include <SDL.h>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace qv::game {

class Gfx;

/// The digit a key stands for (top row or keypad), or -1.
int digit_of(const SDL_Event& e);

/// Up to 8 digits typed and shown as dots; the first four are required, the rest optional.
class PinField {
  public:
    /// Digits and Backspace; true when used.
    bool handle(const SDL_Event& e);
    /// The dots, centred on the screen at height `cy`.
    void draw(Gfx& gfx, float cy) const;
    const std::string& pin() const { return pin_; }
    /// Forgets the digits, overwriting them first.
    void clear();

  private:
    std::string pin_;
};

/// A screen that asks for the clinician PIN (rate-limited by clinician_store) and, once it is
/// right, replaces itself with `next()`; Esc goes back. The clinician's entry and the kiosk's way
/// out differ only in their name, words and what comes next.
class PinGate final : public Screen {
  public:
    struct Words {
        std::string title;    ///< text key of the title
        std::string body;     ///< text key of the explanation
        std::string footnote; ///< text key of a note at the bottom, or empty
    };
    PinGate(Context& ctx, std::string name, Words words,
            std::function<std::unique_ptr<Screen>()> next);
    ~PinGate() override;
    std::string name() const override { return name_; }
    void step(double dt) override { t_ += dt; }
    void draw(Gfx& gfx) override;
    bool handle(const SDL_Event& e) override;

  private:
    std::string name_;
    Words words_;
    std::function<std::unique_ptr<Screen>()> next_;
    PinField field_;
    std::string error_;
    std::int64_t locked_until_ = 0;
    double t_ = 0;
};

} // namespace qv::game
