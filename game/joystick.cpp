#include "game/joystick.hpp"

#include "core/log.hpp"
#include "game/context.hpp"
#include "input/drivers/replay/recorded_source.hpp"

#include <algorithm>
#include <array>

namespace qv::game {

namespace {

input::JoystickAxisSource* active_board(Context& ctx) {
    return dynamic_cast<input::JoystickAxisSource*>(input::underlying(ctx.input.source()));
}

} // namespace

JoystickBoards::JoystickBoards(Context& ctx) : ctx_(ctx) {
    // A load cell keeps measuring while another window has the focus.
    SDL_SetHint(SDL_HINT_JOYSTICK_ALLOW_BACKGROUND_EVENTS, "1");
    if (SDL_InitSubSystem(SDL_INIT_JOYSTICK) != 0) {
        log::get("input")->info("no joysticks: {}", SDL_GetError());
        return;
    }
    started_ = true;
    // Joysticks present at start arrive as SDL_JOYDEVICEADDED events too; add() ignores a
    // device already open, so opening them now only makes them visible from the first frame.
    for (int i = 0; i < SDL_NumJoysticks(); ++i) {
        add(i);
    }
}

JoystickBoards::~JoystickBoards() {
    for (auto& o : open_) {
        SDL_JoystickClose(o.joystick);
    }
    open_.clear();
    if (started_) {
        SDL_QuitSubSystem(SDL_INIT_JOYSTICK);
    }
}

bool JoystickBoards::handle(const SDL_Event& e) {
    switch (e.type) {
    case SDL_JOYDEVICEADDED:
        add(e.jdevice.which);
        return true;
    case SDL_JOYDEVICEREMOVED:
        remove(e.jdevice.which);
        return true;
    case SDL_JOYAXISMOTION:
    case SDL_JOYBALLMOTION:
    case SDL_JOYHATMOTION:
    case SDL_JOYBUTTONDOWN:
    case SDL_JOYBUTTONUP:
        return true;
    default:
        return false;
    }
}

void JoystickBoards::add(int device_index) {
    if (!started_) {
        return;
    }
    const SDL_JoystickID id = SDL_JoystickGetDeviceInstanceID(device_index);
    if (std::any_of(open_.begin(), open_.end(),
                    [id](const Open& o) { return o.device.instance_id == id; })) {
        return;
    }
    SDL_Joystick* js = SDL_JoystickOpen(device_index);
    if (js == nullptr) {
        log::get("input")->warn("cannot open joystick {}: {}", device_index, SDL_GetError());
        return;
    }
    Open o;
    o.joystick = js;
    o.device.instance_id = SDL_JoystickInstanceID(js);
    const char* name = SDL_JoystickName(js);
    o.device.name = name != nullptr ? name : "joystick";
    std::array<char, 33> guid{};
    SDL_JoystickGetGUIDString(SDL_JoystickGetGUID(js), guid.data(), static_cast<int>(guid.size()));
    o.device.guid = guid.data();
    o.device.axis = 0;
    o.game_controller = SDL_IsGameController(device_index) == SDL_TRUE;
    if (SDL_JoystickNumAxes(js) <= o.device.axis) {
        log::get("input")->info("joystick '{}' has no axis: not a load-cell board", o.device.name);
        SDL_JoystickClose(js);
        return;
    }
    log::get("input")->info("joystick '{}' ({}){} plugged in", o.device.name, o.device.guid,
                            o.game_controller ? ", a game controller" : "");
    open_.push_back(std::move(o));
    choose();
}

void JoystickBoards::remove(SDL_JoystickID instance_id) {
    const auto it = std::find_if(open_.begin(), open_.end(), [instance_id](const Open& o) {
        return o.device.instance_id == instance_id;
    });
    if (it == open_.end()) {
        return;
    }
    log::get("input")->info("joystick '{}' unplugged", it->device.name);
    if (auto* board = active_board(ctx_);
        board != nullptr && board->device() && board->device()->instance_id == instance_id) {
        board->set_disconnected();
    }
    SDL_JoystickClose(it->joystick);
    open_.erase(it);
    choose();
}

void JoystickBoards::choose() {
    // A joystick that is not a game controller is the board; a game controller only when
    // nothing else is plugged in.
    const auto board =
        std::find_if(open_.begin(), open_.end(), [](const Open& o) { return !o.game_controller; });
    if (board != open_.end()) {
        ctx_.drivers.joystick = board->device;
    } else if (!open_.empty()) {
        ctx_.drivers.joystick = open_.front().device;
    } else {
        ctx_.drivers.joystick.reset();
    }
}

void JoystickBoards::feed() {
    auto* board = active_board(ctx_);
    if (board == nullptr || !board->device() || board->state() != input::SourceState::Streaming) {
        return;
    }
    const auto it = std::find_if(open_.begin(), open_.end(), [board](const Open& o) {
        return o.device.instance_id == board->device()->instance_id;
    });
    if (it == open_.end() || SDL_JoystickGetAttached(it->joystick) != SDL_TRUE) {
        board->set_disconnected();
        return;
    }
    board->feed_axis(ctx_.clock.now_us(), SDL_JoystickGetAxis(it->joystick, board->device()->axis));
}

} // namespace qv::game
