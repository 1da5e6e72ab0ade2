#pragma once
// The clinician PIN as it is typed: up to 8 digits shown as dots. Used by the clinician's PIN
// screens and by the kiosk's way out.

#include <SDL.h>
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

} // namespace qv::game
