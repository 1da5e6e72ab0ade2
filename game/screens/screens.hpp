#pragma once
// Factories for every screen; the flow between them is in each screen's handle().
//
// profile_select -> new_profile -> profile_home -> checkin -> red_flags (first session of a
// day; any yes -> red_flag_stop) -> sensor -> calibrate (when due)
// -> plan -> play (pain overlay at any time) -> after -> results -> profile_home

#include "game/screen.hpp"

#include <memory>

namespace qv::game {

std::unique_ptr<Screen> make_profile_select(Context& ctx);
std::unique_ptr<Screen> make_new_profile(Context& ctx);
std::unique_ptr<Screen> make_profile_home(Context& ctx);
/// The player's progress (from profile_home): strength, work done, pain, calendar, plan changes.
std::unique_ptr<Screen> make_progress(Context& ctx);
std::unique_ptr<Screen> make_checkin(Context& ctx);
std::unique_ptr<Screen> make_rest_today(Context& ctx);
std::unique_ptr<Screen> make_red_flags(Context& ctx);
std::unique_ptr<Screen> make_red_flag_stop(Context& ctx);
std::unique_ptr<Screen> make_sensor(Context& ctx);
std::unique_ptr<Screen> make_calibrate(Context& ctx);
/// Two-point calibration of a raw load cell (joystick board, PhidgetBridge): zero, then a known
/// weight; stores and applies the scale, then continues to make_calibrate().
std::unique_ptr<Screen> make_two_point_calibration(Context& ctx);
std::unique_ptr<Screen> make_plan(Context& ctx);
std::unique_ptr<Screen> make_play(Context& ctx);
/// The game choice at the start of a session: quad-set and squat games (Enter or 1-9).
std::unique_ptr<Screen> make_choose_game(Context& ctx);
/// Today's squats, then the squat game the player chose.
std::unique_ptr<Screen> make_squat_plan(Context& ctx);
std::unique_ptr<Screen> make_squat_play(Context& ctx);
std::unique_ptr<Screen> make_after(Context& ctx);
std::unique_ptr<Screen> make_results(Context& ctx);
/// Language, large text, high contrast, sound, one-switch mode (key S on profile_select and
/// profile_home; docs/accessibility.md).
std::unique_ptr<Screen> make_settings(Context& ctx);

// The clinician side (clinician_screens.cpp), behind the PIN:
// [first start: set a PIN or home-only] -> profile_select -C-> clinician_pin -> clinician_home
// -> clinician_profile_edit / clinician_plan / clinician_history / clinician_set_pin

/// At first start (no PIN set and no home-only choice yet) the screen that asks for a clinician
/// PIN, which then replaces itself with `next`; otherwise `next` itself.
std::unique_ptr<Screen> make_first_start_or(Context& ctx, std::unique_ptr<Screen> next);
/// The way into the clinician side: the PIN entry, or with no PIN (home-only install) the
/// clinician's home directly, saying that no PIN protects it.
std::unique_ptr<Screen> make_clinician_entry(Context& ctx);
/// The clinician's home without asking for the PIN (tests, screenshots).
std::unique_ptr<Screen> make_clinician_home(Context& ctx);

// The waiting-room kiosk (kiosk_screens.cpp; docs/kiosk.md), when ctx.kiosk is set:
// kiosk_attract -> kiosk_pick (avatars, no names, or Guest) -> choose_game -> ... -> results
// -> kiosk_goodbye -> kiosk_attract. Esc on the attract screen or closing the window asks for
// the clinician PIN (kiosk_pin) before kiosk_admin offers to quit, the clinician side or the
// settings. With the kiosk on, make_profile_select() gives the attract screen and
// make_profile_home() the goodbye screen, so every way back home ends the visit.

/// The attract screen that invites the next person to play.
std::unique_ptr<Screen> make_kiosk_attract(Context& ctx);
/// The thank-you at the end of a visit; it ends the visit (end_kiosk_visit) after a few seconds.
std::unique_ptr<Screen> make_kiosk_goodbye(Context& ctx);
/// The clinician PIN before the kiosk's staff menu (quit, clinician screens, settings).
std::unique_ptr<Screen> make_kiosk_pin(Context& ctx);
/// "Still there?" over whatever is on screen, with the seconds before the visit ends.
void draw_kiosk_idle_warning(Gfx& gfx, const Context& ctx, double seconds_left);
/// The clinician's kiosk settings (from the clinician's home): kiosk on start, guest data, idle
/// timeout.
std::unique_ptr<Screen> make_kiosk_settings(Context& ctx);

} // namespace qv::game
