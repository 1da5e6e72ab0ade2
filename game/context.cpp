#include "game/context.hpp"

#include "core/log.hpp"
#include "input/drivers/keyboard/keyboard.hpp"
#include "input/drivers/simulator/simulator.hpp"

namespace qv::game {

bool Context::use_source(const std::string& driver_id) {
    const auto* info = input::find_driver(driver_id);
    if (info == nullptr) {
        log::get("game")->error("no input driver '{}'", driver_id);
        return false;
    }
    if (!input.use(info->create(drivers), realtime)) {
        const auto* src = input.source();
        log::get("game")->error("cannot start {}: {}", driver_id,
                                src != nullptr ? src->last_error() : "unknown error");
        return false;
    }
    return true;
}

void set_patient_cue(Context& ctx, const input::PatientCue& cue) {
    if (auto* sim = dynamic_cast<input::SimulatorSource*>(ctx.input.source())) {
        sim->set_cue(cue);
    }
}

bool source_is_keyboard(const Context& ctx) {
    return dynamic_cast<const input::KeyboardSource*>(ctx.input.source()) != nullptr;
}

double keyboard_effort(const Context& ctx) {
    const auto* kb = dynamic_cast<const input::KeyboardSource*>(ctx.input.source());
    return kb != nullptr ? kb->effort() : 0.0;
}

} // namespace qv::game
