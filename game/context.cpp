#include "game/context.hpp"

#include "core/log.hpp"
#include "input/drivers/keyboard/keyboard.hpp"
#include "input/drivers/replay/recorded_source.hpp"
#include "input/drivers/simulator/simulator.hpp"

namespace qv::game {

bool Context::use_source(const std::string& driver_id) {
    std::unique_ptr<input::Source> source;
    if (drivers.factory) {
        source = drivers.factory(driver_id);
    } else if (const auto* info = input::find_driver(driver_id)) {
        source = info->create(drivers);
    } else {
        log::get("game")->error("no input driver '{}'", driver_id);
        return false;
    }
    if (source == nullptr) {
        return false;
    }
    if (!drivers.record_file.empty()) {
        source =
            std::make_unique<input::RecordedSource>(std::move(source), drivers.record_file, clock);
    }
    if (!input.use(std::move(source), realtime)) {
        const auto* src = input.source();
        log::get("game")->error("cannot start {}: {}", driver_id,
                                src != nullptr ? src->last_error() : "unknown error");
        return false;
    }
    return true;
}

void set_patient_cue(Context& ctx, const input::PatientCue& cue) {
    if (auto* sim = dynamic_cast<input::SimulatorSource*>(input::underlying(ctx.input.source()))) {
        sim->set_cue(cue);
    }
}

bool source_is_keyboard(const Context& ctx) {
    return dynamic_cast<const input::KeyboardSource*>(input::underlying(ctx.input.source())) !=
           nullptr;
}

double keyboard_effort(const Context& ctx) {
    const auto* kb =
        dynamic_cast<const input::KeyboardSource*>(input::underlying(ctx.input.source()));
    return kb != nullptr ? kb->effort() : 0.0;
}

} // namespace qv::game
