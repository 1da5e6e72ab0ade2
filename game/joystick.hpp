#pragma once
// The App's SDL joysticks, for the HX711 joystick board (docs/joystick-board.md). Opens every
// joystick SDL reports (and those plugged in later), picks the one that is the board (a device
// SDL knows as a game controller is a gamepad, used only when there is no other joystick), keeps
// ctx.drivers.joystick current for the sensor screen and the "joystick" registry row, reads its
// axis once per frame into the active input::JoystickAxisSource, and marks that source
// Disconnected when its device is unplugged (SensorGuard then pauses).

#include "input/drivers/joystick/joystick.hpp"

#include <SDL.h>
#include <vector>

namespace qv::game {

struct Context;

/// Owns the open SDL joysticks and the joystick subsystem. Game thread only.
class JoystickBoards {
  public:
    /// Starts SDL's joystick subsystem (failure is logged: then there are simply no boards).
    explicit JoystickBoards(Context& ctx);
    ~JoystickBoards();
    JoystickBoards(const JoystickBoards&) = delete;
    JoystickBoards& operator=(const JoystickBoards&) = delete;

    /// Handles SDL_JOYDEVICEADDED / SDL_JOYDEVICEREMOVED (and swallows SDL_JOYAXISMOTION, read
    /// by feed()). True when the event was a joystick event.
    bool handle(const SDL_Event& e);
    /// Reads the board's axis into the active JoystickAxisSource. Call once per frame.
    void feed();
    /// The joysticks open now.
    std::size_t count() const { return open_.size(); }

  private:
    struct Open {
        SDL_Joystick* joystick = nullptr;
        input::JoystickDevice device;
        bool game_controller = false;
    };
    void add(int device_index);
    void remove(SDL_JoystickID instance_id);
    void choose();

    Context& ctx_;
    bool started_ = false;
    std::vector<Open> open_;
};

} // namespace qv::game
