#pragma once
// The demo's player: presses the keys a person would press on each screen, while the virtual
// patient (the simulator source) does the exercise. It drives the real screens, so the demo
// exercises the same code paths as a person at the keyboard.

#include "game/context.hpp"

#include <SDL.h>
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace qv::game {

/// Decides the next input events from the name of the screen on top.
class Autopilot {
  public:
    /// `level_index`: which ladder level to pick on the plan screen (-1 keeps the profile's).
    /// `linger_on`: a screen to stay on longer (so --screenshot --screen can photograph it).
    /// `game`: the game to pick (a GameTheme id; its exercise comes with it).
    explicit Autopilot(int level_index = -1, std::string linger_on = {},
                       std::string game = "balloon")
        : level_index_(level_index), linger_on_(std::move(linger_on)), game_(std::move(game)) {}
    /// Events to deliver now. `screen_time_s` is how long this screen has been on top.
    std::vector<SDL_Event> act(const std::string& screen, double screen_time_s, Context& ctx);
    /// Set when the demo has seen the results and should end.
    bool finished() const { return finished_; }
    /// Kiosk demo: play this many visits (attract, Guest, a session, goodbye), then finish. In a
    /// long run (the soak) every fourth visitor walks away at the check-in, so the idle timeout
    /// ends that visit, and each visit waits ten minutes on the attract screen first.
    void set_kiosk_visits(int visits) { kiosk_visits_ = visits; }
    /// The squat mode to choose on the squat plan: "knee-angle", "load-share" or
    /// "sit-to-stand" (anything else keeps the plan's default).
    void set_squat_mode(const std::string& mode);
    /// Play as "Demo child", a child's profile (child mode), instead of "Demo patient".
    void set_child(bool child) { child_ = child; }
    /// Kiosk demo: finish once back on the attract screen.
    void stop_visiting() { kiosk_visits_ = std::min(kiosk_visits_, visits_started_); }

  private:
    std::string last_screen_;
    bool acted_ = false;
    bool rated_pain_ = false;
    int calibration_retries_ = 0;
    std::optional<SquatMode> squat_mode_; ///< set_squat_mode()
    int mode_presses_ = 0;
    bool finished_ = false;
    int kiosk_visits_ = 0;   ///< 0: not a kiosk demo
    int visits_started_ = 0; ///< kiosk visits begun so far
    int level_index_;
    std::string linger_on_;
    std::string game_;
    bool child_ = false; ///< set_child()
};

/// A key press (down and up) as SDL would deliver it.
std::vector<SDL_Event> key_press(SDL_Keycode key);
/// A text-input event.
SDL_Event text_input(const std::string& text);

} // namespace qv::game
