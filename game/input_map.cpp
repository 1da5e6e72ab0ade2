#include "game/input_map.hpp"

#include "core/log.hpp"
#include "game/gfx.hpp"
#include "game/widgets.hpp"

#include <algorithm>
#include <functional>

namespace qv::game {

namespace {

// A stick or trigger counts as pressed past this and as released below the lower value
// (hysteresis, so a stick resting near the threshold does not chatter).
constexpr Sint16 kPress = 16000, kRelease = 8000;

SDL_Event key_event(SDL_Keycode key, bool down) {
    SDL_Event e{};
    e.type = down ? SDL_KEYDOWN : SDL_KEYUP;
    e.key.state = down ? SDL_PRESSED : SDL_RELEASED;
    e.key.keysym.sym = key;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(key);
    return e;
}

SDL_Keycode button_key(Uint8 button) {
    switch (button) {
    case SDL_CONTROLLER_BUTTON_A:
        return SDLK_RETURN;
    case SDL_CONTROLLER_BUTTON_B:
    case SDL_CONTROLLER_BUTTON_START:
        return SDLK_ESCAPE;
    case SDL_CONTROLLER_BUTTON_X:
        return SDLK_TAB;
    case SDL_CONTROLLER_BUTTON_Y:
        return SDLK_p;
    case SDL_CONTROLLER_BUTTON_DPAD_UP:
        return SDLK_UP;
    case SDL_CONTROLLER_BUTTON_DPAD_DOWN:
        return SDLK_DOWN;
    case SDL_CONTROLLER_BUTTON_DPAD_LEFT:
        return SDLK_LEFT;
    case SDL_CONTROLLER_BUTTON_DPAD_RIGHT:
        return SDLK_RIGHT;
    case SDL_CONTROLLER_BUTTON_RIGHTSHOULDER:
        return SDLK_SPACE;
    default:
        return SDLK_UNKNOWN;
    }
}

// -1, 0 or 1 for a stick axis, keeping `previous` inside the hysteresis band.
int stick_direction(Sint16 value, int previous) {
    if (value > kPress || (previous > 0 && value > kRelease)) {
        return 1;
    }
    if (value < -kPress || (previous < 0 && value < -kRelease)) {
        return -1;
    }
    return 0;
}

bool shows_push(const FrameInput& shown) {
    return std::any_of(shown.hints.begin(), shown.hints.end(),
                       [](const HintButton& h) { return h.key == SDLK_SPACE; });
}

std::size_t signature_of(const FrameInput& shown) {
    std::size_t sig = std::hash<int>{}(shown.scan_rows);
    for (const auto& h : shown.hints) {
        sig = sig * 31 + std::hash<int>{}(h.key);
    }
    return sig;
}

} // namespace

InputMap::InputMap(const content::AccessibilityParams& params) : params_(params) {
    if (SDL_WasInit(SDL_INIT_GAMECONTROLLER) == 0) {
        subsystem_ = SDL_InitSubSystem(SDL_INIT_GAMECONTROLLER) == 0;
        if (!subsystem_) {
            log::get("game")->info("no gamepad support: {}", SDL_GetError());
        }
    }
    // Pads plugged in before the start arrive as SDL_CONTROLLERDEVICEADDED events too.
}

InputMap::~InputMap() {
    for (auto& [id, pad] : pads_) {
        SDL_GameControllerClose(pad);
    }
    if (subsystem_) {
        SDL_QuitSubSystem(SDL_INIT_GAMECONTROLLER);
    }
}

void InputMap::open_pad(int device_index) {
    if (SDL_IsGameController(device_index) == SDL_FALSE) {
        return;
    }
    SDL_GameController* pad = SDL_GameControllerOpen(device_index);
    if (pad == nullptr) {
        log::get("game")->warn("cannot open gamepad {}: {}", device_index, SDL_GetError());
        return;
    }
    const SDL_JoystickID id = SDL_JoystickInstanceID(SDL_GameControllerGetJoystick(pad));
    if (pads_.count(id) != 0) {
        SDL_GameControllerClose(pad);
        return;
    }
    pads_[id] = pad;
    log::get("game")->info("gamepad connected: {}", SDL_GameControllerName(pad));
}

std::vector<SDL_Event> InputMap::axis(SDL_GameControllerAxis which, Sint16 value) {
    std::vector<SDL_Event> out;
    auto move = [&](int& state, int now, SDL_Keycode minus, SDL_Keycode plus) {
        if (now == state) {
            return;
        }
        if (state != 0) {
            out.push_back(key_event(state < 0 ? minus : plus, false));
        }
        if (now != 0) {
            out.push_back(key_event(now < 0 ? minus : plus, true));
        }
        state = now;
    };
    switch (which) {
    case SDL_CONTROLLER_AXIS_LEFTX:
        move(stick_x_, stick_direction(value, stick_x_), SDLK_LEFT, SDLK_RIGHT);
        break;
    case SDL_CONTROLLER_AXIS_LEFTY: // SDL's y grows downward
        move(stick_y_, stick_direction(value, stick_y_), SDLK_UP, SDLK_DOWN);
        break;
    case SDL_CONTROLLER_AXIS_TRIGGERRIGHT: {
        const bool now = value > kPress || (trigger_ && value > kRelease);
        if (now != trigger_) {
            trigger_ = now;
            out.push_back(key_event(SDLK_SPACE, now));
        }
        break;
    }
    default:
        break;
    }
    return out;
}

bool InputMap::scanning_hints(const FrameInput& shown) const {
    return shown.scan_rows == 0 && !shows_push(shown) &&
           std::any_of(shown.hints.begin(), shown.hints.end(),
                       [](const HintButton& h) { return h.key != SDLK_UNKNOWN; });
}

InputMap::Translation InputMap::translate(const SDL_Event& e, const FrameInput& shown,
                                          bool one_switch) {
    Translation t;
    switch (e.type) {
    case SDL_CONTROLLERDEVICEADDED:
        open_pad(e.cdevice.which);
        t.handled = true;
        return t;
    case SDL_CONTROLLERDEVICEREMOVED:
        if (auto it = pads_.find(e.cdevice.which); it != pads_.end()) {
            SDL_GameControllerClose(it->second);
            pads_.erase(it);
            // A pad pulled out while pushing must not leave the push held.
            if (trigger_) {
                trigger_ = false;
                t.events.push_back(key_event(SDLK_SPACE, false));
            }
        }
        t.handled = true;
        return t;
    case SDL_CONTROLLERBUTTONDOWN:
    case SDL_CONTROLLERBUTTONUP:
        t.handled = true;
        if (const SDL_Keycode key = button_key(e.cbutton.button); key != SDLK_UNKNOWN) {
            t.events.push_back(key_event(key, e.type == SDL_CONTROLLERBUTTONDOWN));
        }
        return t;
    case SDL_CONTROLLERAXISMOTION:
        t.handled = true;
        t.events = axis(static_cast<SDL_GameControllerAxis>(e.caxis.axis), e.caxis.value);
        return t;
    case SDL_MOUSEBUTTONDOWN: {
        if (e.button.button != SDL_BUTTON_LEFT) {
            return t;
        }
        const auto x = static_cast<float>(e.button.x), y = static_cast<float>(e.button.y);
        for (const HintButton& h : shown.hints) {
            if (h.key != SDLK_UNKNOWN && h.area.contains(x, y)) {
                t.handled = true;
                t.events = {key_event(h.key, true), key_event(h.key, false)};
                return t;
            }
        }
        return t;
    }
    case SDL_KEYDOWN:
    case SDL_KEYUP: {
        if (!one_switch || e.key.keysym.sym != SDLK_SPACE) {
            return t;
        }
        if (e.type == SDL_KEYUP) { // the release of a switch press we turned into a key
            if (switch_down_) {
                switch_down_ = false;
                t.handled = true;
                t.events.push_back(key_event(switch_key_, false));
            }
            return t;
        }
        if (e.key.repeat != 0 && switch_down_) {
            t.handled = true;
            return t;
        }
        SDL_Keycode key = SDLK_UNKNOWN;
        if (shown.scan_rows > 0) {
            key = SDLK_RETURN; // choose the highlighted tile
        } else if (scanning_hints(shown) && hint_ >= 0 &&
                   hint_ < static_cast<int>(shown.hints.size())) {
            key = shown.hints[static_cast<std::size_t>(hint_)].key;
        }
        if (key == SDLK_UNKNOWN) {
            return t; // a push screen: the switch is the push, Space passes through
        }
        t.handled = true;
        switch_down_ = true;
        switch_key_ = key;
        t.events.push_back(key_event(key, true));
        since_step_ = 0; // a choice made: give the next screen a full interval
        return t;
    }
    default:
        return t;
    }
}

std::vector<SDL_Event> InputMap::scan(double dt, const FrameInput& shown, bool one_switch) {
    std::vector<SDL_Event> out;
    if (!one_switch) {
        hint_ = -1;
        return out;
    }
    const std::size_t sig = signature_of(shown);
    if (sig != signature_) { // another screen or another step of it: start again
        signature_ = sig;
        since_step_ = 0;
        hint_ = -1;
    }
    const bool hints = scanning_hints(shown);
    if (hints && hint_ < 0) {
        hint_ = 0;
        while (hint_ < static_cast<int>(shown.hints.size()) &&
               shown.hints[static_cast<std::size_t>(hint_)].key == SDLK_UNKNOWN) {
            ++hint_;
        }
    }
    if (!hints) {
        hint_ = -1;
    }
    since_step_ += dt;
    if (since_step_ < params_.scan_interval_s) {
        return out;
    }
    since_step_ = 0;
    if (shown.scan_rows > 0) {
        out.push_back(scan_next_event());
    } else if (hints) {
        const int n = static_cast<int>(shown.hints.size());
        for (int i = 1; i <= n; ++i) {
            const int next = (hint_ + i) % n;
            if (shown.hints[static_cast<std::size_t>(next)].key != SDLK_UNKNOWN) {
                hint_ = next;
                break;
            }
        }
    }
    return out;
}

bool InputMap::consume(const SDL_Event& e, Gfx& gfx) {
    Translation t = translate(e, gfx.last_frame_input(), gfx.one_switch());
    for (SDL_Event& out : t.events) {
        SDL_PushEvent(&out);
    }
    return t.handled;
}

void InputMap::step(double dt, Gfx& gfx) {
    for (SDL_Event& out : scan(dt, gfx.last_frame_input(), gfx.one_switch())) {
        SDL_PushEvent(&out);
    }
    gfx.set_scan_hint(hint_);
}

} // namespace qv::game
