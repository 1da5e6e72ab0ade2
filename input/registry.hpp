#pragma once
// The one explicit table of input drivers. Every driver, virtual or USB, is a row here; USB ids
// live only in this table (udev rules and the supported-devices list are generated from it).

#include "core/tuning.hpp"
#include "input/drivers/joystick/joystick.hpp"
#include "input/source.hpp"
#include "input/two_point.hpp"
#include "input/usb_watch.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace qv::input {

/// How a driver reaches its device.
enum class Transport { Virtual, Sdl, Usb };

/// Everything a driver may need to create a source.
struct DriverContext {
    KeyboardModelParams keyboard;
    SimPatientParams patient;
    std::uint64_t seed = 1;
    /// The recording the "replay" row plays (docs/recording-format.md).
    std::filesystem::path replay_file;
    /// When not empty, every source started through the game is recorded into this file.
    std::filesystem::path record_file;
    /// When set, replaces the table: tests hand in their own sources by id (nullptr: absent).
    std::function<std::unique_ptr<Source>(std::string_view id)> factory;
    /// The SDL joystick the "joystick" row reads, when one is plugged in (the game keeps this
    /// current on hot-plug; game/joystick.hpp).
    std::optional<JoystickDevice> joystick;
    /// Two-point calibrations by driver id ("joystick", "phidget-bridge"), applied to the
    /// sources those rows create, so a replugged sensor measures in newtons at once.
    std::map<std::string, TwoPointScale, std::less<>> two_point;
};

struct DriverInfo;

/// Makes a source for one row (a USB row's source opens the device with that row's ids).
using CreateSource = std::unique_ptr<Source> (*)(const DriverInfo& row, const DriverContext& ctx);

/// One row of the registry.
struct DriverInfo {
    std::string_view id;          ///< stable id, stored with sessions ("keyboard")
    std::string_view description; ///< for --list-sensors
    Transport transport;
    std::uint16_t usb_vendor; ///< 0 unless Transport::Usb
    std::uint16_t usb_product;
    bool measures; ///< produces real measurements (false for keyboard/simulator)
    CreateSource make;

    /// A new source for this row.
    std::unique_ptr<Source> create(const DriverContext& ctx) const { return make(*this, ctx); }
};

/// All drivers, in the order they are tried when looking for a sensor.
std::span<const DriverInfo> drivers();

/// The USB ids of every USB row, in table order (for UsbWatcher and connected_usb_devices()).
std::vector<UsbId> usb_ids();

/// The USB row with these ids, or nullptr.
const DriverInfo* find_usb_driver(std::uint16_t vendor, std::uint16_t product);

/// The row with this id, or nullptr.
const DriverInfo* find_driver(std::string_view id);

} // namespace qv::input
