#pragma once
// Every way of playing besides the keyboard, turned into the key events the screens already
// handle, in one place: a gamepad (SDL GameController), taps on the hint bar, and one-switch
// mode (auto-scanning, the switch chooses). Screens never see a controller or a switch.
//
// Gamepad map: A = Enter, B = Esc, X = Tab, Y = P (pain), Start = Esc (pause), D-pad and left
// stick = arrows, right trigger or right shoulder = Space held (the keyboard source's push).

#include "content/content.hpp"

#include <SDL.h>
#include <map>
#include <vector>

namespace qv::game {

class Gfx;
struct FrameInput;

/// Owns the open game controllers and the one-switch scanning state.
class InputMap {
  public:
    /// Starts SDL's game-controller support (when it can) and opens the pads plugged in.
    explicit InputMap(const content::AccessibilityParams& params);
    ~InputMap();
    InputMap(const InputMap&) = delete;
    InputMap& operator=(const InputMap&) = delete;

    /// The App's event loop calls this first for each event: true when the event was one of
    /// ours (controller, tap on a hint, the switch in one-switch mode) and its key events were
    /// pushed onto SDL's queue instead; the caller then skips the event.
    bool consume(const SDL_Event& e, Gfx& gfx);
    /// Once per frame: moves the one-switch scanning on (pushes scan events onto SDL's queue).
    void step(double dt, Gfx& gfx);

    /// What `e` becomes, given what the last frame showed and whether one-switch mode is on;
    /// `handled` is false when the event is not ours. (consume() without SDL's queue, for
    /// tests.)
    struct Translation {
        bool handled = false;
        std::vector<SDL_Event> events;
    };
    Translation translate(const SDL_Event& e, const FrameInput& shown, bool one_switch);
    /// What the scanning does after `dt` seconds: the events to send (a scan step) and which
    /// hint it highlights now (-1 for none). (step() without SDL's queue, for tests.)
    std::vector<SDL_Event> scan(double dt, const FrameInput& shown, bool one_switch);
    int scan_hint() const { return hint_; }

  private:
    void open_pad(int device_index);
    std::vector<SDL_Event> axis(SDL_GameControllerAxis which, Sint16 value);
    bool scanning_hints(const FrameInput& shown) const;

    content::AccessibilityParams params_;
    std::map<SDL_JoystickID, SDL_GameController*> pads_;
    bool subsystem_ = false;
    // Stick and trigger state, so a held stick sends one arrow press, not one per event.
    int stick_x_ = 0, stick_y_ = 0;
    bool trigger_ = false;
    // One-switch scanning.
    double since_step_ = 0;
    int hint_ = -1;             ///< index into shown.hints, or -1
    std::size_t signature_ = 0; ///< what the screen offered when scanning started
    bool switch_down_ = false;  ///< the switch press was turned into another key
    SDL_Keycode switch_key_ = SDLK_UNKNOWN;
};

} // namespace qv::game
