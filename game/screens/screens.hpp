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
std::unique_ptr<Screen> make_checkin(Context& ctx);
std::unique_ptr<Screen> make_rest_today(Context& ctx);
std::unique_ptr<Screen> make_red_flags(Context& ctx);
std::unique_ptr<Screen> make_red_flag_stop(Context& ctx);
std::unique_ptr<Screen> make_sensor(Context& ctx);
std::unique_ptr<Screen> make_calibrate(Context& ctx);
std::unique_ptr<Screen> make_plan(Context& ctx);
std::unique_ptr<Screen> make_play(Context& ctx);
std::unique_ptr<Screen> make_after(Context& ctx);
std::unique_ptr<Screen> make_results(Context& ctx);

} // namespace qv::game
