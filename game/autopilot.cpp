#include "game/autopilot.hpp"

#include <cstring>

namespace qv::game {

namespace {
constexpr const char* kDemoName = "Demo patient";
constexpr const char* kChildDemoName = "Demo child"; // --demo --child
constexpr double kLookTime = 0.8;     // let each screen be seen (and photographed) before acting
constexpr double kAttractWaitS = 600; // the soak: ten quiet minutes between two visitors

void append(std::vector<SDL_Event>& to, const std::vector<SDL_Event>& from) {
    to.insert(to.end(), from.begin(), from.end());
}
} // namespace

void Autopilot::set_squat_mode(const std::string& mode) {
    std::string name = mode;
    std::replace(name.begin(), name.end(), '-', '_'); // "load-share" on the command line
    squat_mode_ = squat_mode_from(name);
}

std::vector<SDL_Event> key_press(SDL_Keycode key) {
    SDL_Event down{};
    down.type = SDL_KEYDOWN;
    down.key.state = SDL_PRESSED;
    down.key.keysym.sym = key;
    down.key.keysym.scancode = SDL_GetScancodeFromKey(key);
    SDL_Event up = down;
    up.type = SDL_KEYUP;
    up.key.state = SDL_RELEASED;
    return {down, up};
}

SDL_Event text_input(const std::string& text) {
    SDL_Event e{};
    e.type = SDL_TEXTINPUT;
    std::strncpy(e.text.text, text.c_str(), sizeof(e.text.text) - 1);
    return e;
}

std::vector<SDL_Event> Autopilot::act(const std::string& screen, double screen_time_s,
                                      Context& ctx) {
    if (screen != last_screen_) {
        last_screen_ = screen;
        acted_ = false;
    }
    std::vector<SDL_Event> out;
    const double look = screen == linger_on_ ? 3.0 : kLookTime;
    if (acted_ || screen_time_s < look) {
        return out;
    }
    acted_ = true;
    if (kiosk_visits_ > 0 && (screen == "kiosk_attract" || screen == "kiosk_pick" ||
                              screen == "checkin" || screen == "results")) {
        const bool soak = kiosk_visits_ > 1;
        if (screen == "kiosk_attract") {
            if (visits_started_ >= kiosk_visits_) {
                finished_ = true;
            } else if (soak && screen_time_s < kAttractWaitS) {
                acted_ = false; // the waiting room is quiet for a while
            } else {
                ++visits_started_;
                append(out, key_press(SDLK_RETURN));
            }
        } else if (screen == "kiosk_pick") {
            append(out, key_press(SDLK_RETURN)); // Guest is offered first
        } else if (screen == "checkin") {
            if (!(soak && visits_started_ % 4 == 0)) { // every fourth visitor walks away
                append(out, key_press(SDLK_2));
                append(out, key_press(SDLK_RETURN));
            }
        } else {
            append(out, key_press(SDLK_RETURN)); // results: on to the goodbye
        }
        return out;
    }
    if (screen == "profile_select") {
        const auto profiles = ctx.store.profiles();
        int index = -1;
        for (std::size_t i = 0; i < profiles.size(); ++i) {
            if (profiles[i].name == (child_ ? kChildDemoName : kDemoName)) {
                index = static_cast<int>(i);
            }
        }
        if (index < 0) {
            append(out, key_press(SDLK_n));
        } else {
            for (int i = 0; i < index; ++i) {
                append(out, key_press(SDLK_RIGHT));
            }
            append(out, key_press(SDLK_RETURN));
        }
    } else if (screen == "new_profile") {
        out.push_back(text_input(child_ ? kChildDemoName : kDemoName));
        if (child_) {
            append(out, key_press(SDLK_TAB)); // a child's profile
        }
        append(out, key_press(SDLK_RIGHT));
        append(out, key_press(SDLK_RETURN));
    } else if (screen == "plan" && level_index_ >= 0) {
        for (int i = 0; i < 8; ++i) {
            append(out, key_press(SDLK_LEFT));
        }
        for (int i = 0; i < level_index_; ++i) {
            append(out, key_press(SDLK_RIGHT));
        }
        append(out, key_press(SDLK_RETURN));
    } else if (screen == "choose_game") {
        // The game asked for on the command line (the first one, balloon, by default).
        int index = 0;
        int i = 0;
        for (const char* exercise : {"quad_set", "squat"}) {
            for (const auto* g : ctx.content.games_for(exercise)) {
                if (g->id == game_) {
                    index = i;
                }
                ++i;
            }
        }
        append(out, key_press(static_cast<SDL_Keycode>(SDLK_1 + index)));
    } else if (screen == "squat_plan" && squat_mode_ && ctx.draft.squat_mode != *squat_mode_ &&
               ++mode_presses_ <= 3) {
        // The squat mode asked for on the command line: M steps through the modes offered.
        append(out, key_press(SDLK_m));
        acted_ = false; // look again next frame: press M again, or start
    } else if (screen == "profile_home" && linger_on_ == "progress") {
        append(out, key_press(SDLK_g)); // photographing the progress view: open it
    } else if (screen == "profile_home" || screen == "plan" || screen == "squat_plan" ||
               screen == "calibrate_done" || screen == "calibrate_ready" ||
               screen == "squat_weigh_done" || screen == "checkin_morning" ||
               screen == "rest_today" || screen == "pain_noted") {
        append(out, key_press(SDLK_RETURN));
    } else if (screen == "checkin") {
        append(out, key_press(SDLK_2));
        append(out, key_press(SDLK_RETURN));
    } else if (screen == "checkin_next_morning") {
        append(out, key_press(child_ ? SDLK_2 : SDLK_1)); // the faces go in steps of 2
        append(out, key_press(SDLK_RETURN));
    } else if (screen == "red_flags") {
        for (int i = 0; i < 5; ++i) { // the demo patient answers "no" to each safety question
            append(out, key_press(SDLK_n));
            append(out, key_press(SDLK_RETURN));
        }
    } else if (screen == "sensor") {
        // The last choice: the recording given with --replay, else the virtual patient.
        append(out, key_press(SDLK_END));
        append(out, key_press(SDLK_RETURN));
    } else if (screen == "calibrate_failed" || screen == "squat_weigh_failed") {
        if (++calibration_retries_ > 3) {
            finished_ = true;
        }
        append(out, key_press(SDLK_RETURN));
    } else if ((screen == "play_rest" || screen == "squat_rest") && !rated_pain_) {
        // Once per demo, report a mild pain during a rest, as a person might.
        rated_pain_ = true;
        append(out, key_press(SDLK_p));
        append(out, key_press(SDLK_2));
        append(out, key_press(SDLK_RETURN));
        append(out, key_press(SDLK_RETURN));
    } else if (screen == "after_during") {
        append(out, key_press(SDLK_2));
        append(out, key_press(SDLK_RETURN));
    } else if (screen == "after_pain") {
        append(out, key_press(child_ ? SDLK_2 : SDLK_1)); // the faces go in steps of 2
        append(out, key_press(SDLK_RETURN));
    } else if (screen == "after_effort") {
        append(out, key_press(child_ ? SDLK_4 : SDLK_5)); // the faces go in steps of 2
        append(out, key_press(SDLK_RETURN));
    } else if (screen == "results") {
        finished_ = true;
    } else {
        acted_ = false; // screens the virtual patient plays by itself
    }
    return out;
}

} // namespace qv::game
