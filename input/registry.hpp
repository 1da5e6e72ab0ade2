#pragma once
// The one explicit table of input drivers. Every driver, virtual or USB, is a row here; USB ids
// live only in this table (udev rules and the supported-devices list are generated from it).

#include "core/tuning.hpp"
#include "input/source.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace qv::input {

/// How a driver reaches its device.
enum class Transport { Virtual, Sdl, Usb };

/// Everything a driver may need to create a source.
struct DriverContext {
    KeyboardModelParams keyboard;
    SimPatientParams patient;
    std::uint64_t seed = 1;
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

/// The row with this id, or nullptr.
const DriverInfo* find_driver(std::string_view id);

} // namespace qv::input
