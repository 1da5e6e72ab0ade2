#include "input/registry.hpp"

#include "input/drivers/godirect/driver.hpp"
#include "input/drivers/keyboard/keyboard.hpp"
#include "input/drivers/open_sensor/driver.hpp"
#include "input/drivers/phidget_bridge/driver.hpp"
#include "input/drivers/replay/replay.hpp"
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

std::unique_ptr<Source> create_godirect(const DriverInfo& row, const DriverContext&) {
    return std::make_unique<GoDirectSource>(row.usb_vendor, row.usb_product);
}

// The board streams bridge ratios; force samples need a two-point calibration given to the
// source (PhidgetBridgeSource::set_calibration) by the calibration flow.
std::unique_ptr<Source> create_phidget_bridge(const DriverInfo& row, const DriverContext& ctx) {
    auto source = std::make_unique<PhidgetBridgeSource>(row.usb_vendor, row.usb_product);
    if (const auto it = ctx.two_point.find(row.id); it != ctx.two_point.end()) {
        // The board's raw unit is the bridge ratio in V/V.
        source->set_calibration({it->second.zero_raw, it->second.newtons_per_raw});
    }
    return source;
}

// The board is read through SDL by the game (game/joystick.hpp), which also says which joystick
// it is; force needs a two-point calibration like the PhidgetBridge's.
std::unique_ptr<Source> create_joystick(const DriverInfo& row, const DriverContext& ctx) {
    auto source = std::make_unique<JoystickAxisSource>(ctx.joystick);
    if (const auto it = ctx.two_point.find(row.id); it != ctx.two_point.end()) {
        source->set_two_point(it->second);
    }
    return source;
}

std::unique_ptr<Source> create_replay(const DriverInfo&, const DriverContext& ctx) {
    return ReplaySource::open(ctx.replay_file);
}

std::unique_ptr<Source> create_simulator(const DriverInfo&, const DriverContext& ctx) {
    return std::make_unique<SimulatorSource>(ctx.patient, ctx.seed);
}

// The table. USB drivers go first (a real sensor is preferred over the fallbacks); one row per
// device, rebranded devices are extra rows pointing at the same create.
const std::array kDrivers{
    DriverInfo{"open-sensor",
               "Quadventure open sensor (do-it-yourself HID load cell, docs/open-sensor.md)",
               Transport::Usb, 0x1209, 0x0001, true, &create_open_sensor},
    DriverInfo{"godirect",
               "Vernier Go Direct force sensor: GDX-FP force plate, GDX-FOR, GDX-HD hand "
               "dynamometer (docs/godirect.md)",
               Transport::Usb, 0x08F7, 0x0010, true, &create_godirect},
    DriverInfo{"phidget-bridge",
               "PhidgetBridge 4-input 1046 with a load cell on input 0, two-point calibration "
               "(docs/phidget-bridge.md)",
               Transport::Usb, 0x06C2, 0x003B, true, &create_phidget_bridge},
    DriverInfo{"joystick",
               "Joystick-board load cell: an HX711 on an Arduino Leonardo/Pro Micro seen as a "
               "standard HID joystick, read through SDL, two-point calibration "
               "(docs/joystick-board.md)",
               Transport::Sdl, 0, 0, true, &create_joystick},
    DriverInfo{"keyboard", "Keyboard: a held key stands in for a force sensor", Transport::Sdl, 0,
               0, false, &create_keyboard},
    DriverInfo{"simulator", "Simulator: a virtual patient following the game's cues",
               Transport::Virtual, 0, 0, false, &create_simulator},
    DriverInfo{"replay",
               "Replay: plays a recorded session (quadventure --replay FILE); a measurement only "
               "when the recorded source was one",
               Transport::Virtual, 0, 0, false, &create_replay},
};

} // namespace

std::span<const DriverInfo> drivers() {
    return kDrivers;
}

std::vector<UsbId> usb_ids() {
    std::vector<UsbId> ids;
    for (const DriverInfo& d : kDrivers) {
        if (d.transport == Transport::Usb) {
            ids.push_back({d.usb_vendor, d.usb_product});
        }
    }
    return ids;
}

const DriverInfo* find_usb_driver(std::uint16_t vendor, std::uint16_t product) {
    for (const DriverInfo& d : kDrivers) {
        if (d.transport == Transport::Usb && d.usb_vendor == vendor && d.usb_product == product) {
            return &d;
        }
    }
    return nullptr;
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
