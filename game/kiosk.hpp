#pragma once
// The waiting-room kiosk while it runs (docs/kiosk.md): the clinic's settings, the idle timer and
// the end of a visit. One visit is whatever happens between leaving the attract screen and
// coming back to it: a profile or a guest picked, a session played, or nothing at all.

#include "content/content.hpp"
#include "profiles/kiosk_store.hpp"

#include <SDL.h>

namespace qv::input {
class InputHub;
}

namespace qv::game {

struct Context;

/// What the idle timer says after a step.
enum class KioskIdle {
    Active,   ///< someone is there (or no visit is on)
    Warning,  ///< "still there?": the visit ends in seconds_left()
    TimedOut, ///< no one is there: end the visit now
};

class Kiosk {
  public:
    Kiosk(const content::KioskParams& params, const profiles::KioskSettings& settings);

    const content::KioskParams& params() const { return params_; }
    const profiles::KioskSettings& settings() const { return settings_; }
    void set_settings(const profiles::KioskSettings& s) { settings_ = s; }

    /// True for the events that mean a person is at the kiosk: keys, clicks, taps, wheel,
    /// gamepad and joystick input. Window and timer events are not.
    static bool is_person(const SDL_Event& e);
    /// Someone did something: the idle timer starts again.
    void note_input() { idle_s_ = 0; }
    /// A sensor moving beyond the activity thresholds is someone exercising.
    void note_signal(const input::InputHub& hub);
    /// Advances the idle timer by `dt` seconds while a visit is on (`visiting`).
    KioskIdle step(double dt, bool visiting);
    /// Seconds until the visit ends for lack of input.
    double seconds_left() const;
    /// Seconds with no input.
    double idle_s() const { return idle_s_; }

  private:
    content::KioskParams params_;
    profiles::KioskSettings settings_;
    double idle_s_ = 0;
    bool have_signal_ = false;
    double last_force_n_ = 0;
    double last_angle_deg_ = 0;
};

/// Ends the visit in progress and shows the attract screen: waits for the set commits in
/// flight, marks a session still in progress as ended early (its finished sets stay), ends a
/// guest's visit as the clinic chose (kept anonymous or deleted), closes the profile and stops
/// the sensor. `why` is logged ("idle", "finished", "left").
void end_kiosk_visit(Context& ctx, const char* why);

} // namespace qv::game
