#include "input/registry.hpp"

#include "input/drivers/keyboard/keyboard.hpp"
#include "input/drivers/open_sensor/driver.hpp"
#include "input/drivers/simulator/simulator.hpp"

#include <array>

namespace qv::input {

namespace {

std::unique_ptr<Source> create_keyboard(const DriverInfo&, const DriverContext& ctx) {
    return std::make_unique<KeyboardSource>(ctx.keyboard, ctx.seed);
}

std::unique_ptr<Source> create_open_sensor(const DriverInfo& row, const DriverContext&) {
    return std::make_unique<OpenSensorSource>(row.usb_vendor, row.usb_product);
}

std::unique_ptr<Source> create_simulator(const DriverInfo&, const DriverContext& ctx) {
    return std::make_unique<SimulatorSource>(ctx.patient, ctx.seed);
}

// The table. USB drivers go first (a real sensor is preferred over the fallbacks); one row per
// device, rebranded devices are extra rows pointing at the same create.
const std::array kDrivers{
    DriverInfo{"open-sensor", "Quadventure open sensor (do-it-yourself HID load cell, docs/open-sensor.md)",
               Transport::Usb, 0x1209, 0x0001, true, &create_open_sensor},
    DriverInfo{"keyboard", "Keyboard: a held key stands in for a force sensor", Transport::Sdl, 0,
               0, false, &create_keyboard},
    DriverInfo{"simulator", "Simulator: a virtual patient following the game's cues",
               Transport::Virtual, 0, 0, false, &create_simulator},
};

} // namespace

std::span<const DriverInfo> drivers() {
    return kDrivers;
}

const DriverInfo* find_driver(std::string_view id) {
    for (const DriverInfo& d : kDrivers) {
        if (d.id == id) {
            return &d;
        }
    }
    return nullptr;
}

} // namespace qv::input
