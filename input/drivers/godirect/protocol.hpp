#pragma once
// The Vernier Go Direct protocol over USB HID (GDX-FP force plate, GDX-FOR force and
// acceleration, GDX-HD hand dynamometer; all 08f7:0010). Pure bytes: a command builder with the
// rolling counter and checksum, the 64-byte HID framing in both directions, and parsers for
// command responses and every measurement packet type. No libusb here.
//
// Facts as Vernier's own libraries (godirect-js, godirect-py) use them: a packet is
// [magic, length, rolling counter, checksum, command or type, payload...] with the length
// counting the whole packet; commands start 0x58, measurements 0x20; the checksum is the 8-bit
// sum of every packet byte except itself. A response echoes the command at byte 4 and the
// command's counter at byte 5; its payload starts at byte 6. Over USB each 64-byte report
// carries a count of valid bytes (at most 63) and then that many packet bytes; packets longer
// than 63 bytes (device and sensor info) continue in the next reports.

#include "core/sample.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace qv::input::godirect {

/// Size of a HID report in either direction.
inline constexpr std::size_t kReportSize = 64;
/// Packet bytes one report can carry after its count byte.
inline constexpr std::size_t kMaxChunk = 63;
/// First byte of a command packet and of a command response.
inline constexpr std::uint8_t kCommandMagic = 0x58;
/// First byte of a measurement packet.
inline constexpr std::uint8_t kMeasurementMagic = 0x20;
/// Bytes before a command's payload (magic, length, counter, checksum, command).
inline constexpr std::size_t kHeaderSize = 5;
/// Bytes before a response's payload (the header and the echoed counter).
inline constexpr std::size_t kResponseHeaderSize = 6;

/// Command ids.
enum class Command : std::uint8_t {
    GetStatus = 0x10,
    Start = 0x18,
    Stop = 0x19,
    Init = 0x1A,
    SetMeasurementPeriod = 0x1B,
    GetSensorInfo = 0x50,
    GetSensorAvailableMask = 0x51,
    Disconnect = 0x54,
    GetDeviceInfo = 0x55,
    GetDefaultSensorsMask = 0x56,
};

/// Measurement packet types (byte 4 of a packet starting 0x20).
enum class MeasurementType : std::uint8_t {
    NormalReal32 = 0x06,        ///< u16 sensor mask, float32 values interleaved by sensor
    WideReal32 = 0x07,          ///< u32 sensor mask, float32 values interleaved by sensor
    SingleChannelReal32 = 0x08, ///< one sensor, float32 values
    SingleChannelInt32 = 0x09,  ///< one sensor, int32 values
    AperiodicReal32 = 0x0A,     ///< one sensor, float32 values at irregular times
    AperiodicInt32 = 0x0B,      ///< one sensor, int32 values at irregular times
    StartTime = 0x0C,           ///< the device's start time (no values)
    Dropped = 0x0D,             ///< the device dropped measurements (no values)
    Period = 0x0E,              ///< the device's measurement period (no values)
};

/// The Go Direct models this game supports, told apart by the product string.
enum class Model { ForcePlate, ForceAcceleration, HandDynamometer, Other };

/// The model from a USB product string or device name such as "GDX-FP 0K1023A4": the first
/// word is the order code.
Model model_from_product(std::string_view product);

/// Short name of a model for SourceIdentity::model ("GDX-FP", ...; "Go Direct" for Other).
std::string_view model_name(Model model);

/// One packet, header included.
using Packet = std::vector<std::uint8_t>;
/// One 64-byte HID report: count of valid bytes, then the bytes, zero padded.
using HidReport = std::array<std::uint8_t, kReportSize>;

/// The 8-bit sum of every byte of `packet` except byte 3 (the checksum itself).
std::uint8_t checksum(std::span<const std::uint8_t> packet);

/// Wraps a packet of at most 63 bytes in one HID OUT report; nullopt when it does not fit.
std::optional<HidReport> frame(std::span<const std::uint8_t> packet);

/// Builds command packets and keeps the rolling counter. INIT resets the counter to 0xFF; every
/// packet, INIT included, first decrements it (0x00 wraps to 0xFF) and carries the new value,
/// so INIT carries 0xFE and the commands after it 0xFD, 0xFC, ... as in Vernier's libraries.
class CommandBuilder {
  public:
    /// INIT with its fixed 20-byte payload; resets the counter.
    Packet init();
    /// GET_STATUS: firmware versions, battery, charger state.
    Packet get_status();
    /// GET_DEVICE_INFO: order code, serial number, name.
    Packet get_device_info();
    /// GET_SENSOR_AVAILABLE_MASK: which sensor numbers exist.
    Packet get_available_mask();
    /// GET_DEFAULT_SENSORS_MASK: which sensors the device enables by default.
    Packet get_default_mask();
    /// GET_SENSOR_INFO for one sensor number (0..31).
    Packet get_sensor_info(std::uint8_t sensor);
    /// SET_MEASUREMENT_PERIOD: 0xFF 0x00, the period in microseconds (u32 LE), 4 zero bytes.
    Packet set_measurement_period(std::uint32_t period_us);
    /// START: 0xFF 0x01, the sensor mask (u32 LE), 8 zero bytes.
    Packet start(std::uint32_t sensor_mask);
    /// STOP: 0xFF 0x00 0xFF 0xFF 0xFF 0xFF.
    Packet stop();
    /// DISCONNECT.
    Packet disconnect();
    /// The counter carried by the last packet built (0xFF before the first).
    std::uint8_t counter() const { return counter_; }

  private:
    Packet build(Command command, std::span<const std::uint8_t> payload);
    std::uint8_t counter_ = 0xFF;
};

/// Why bytes from the device could not be used.
enum class Errc : std::uint8_t {
    TooShort,      ///< fewer bytes than a header, a field or a length promises
    BadLength,     ///< a length or count field contradicts the bytes around it
    BadChecksum,   ///< the packet's checksum does not match its bytes
    UnknownPacket, ///< neither a command response nor a known measurement type
    WrongCommand,  ///< a response to a different command than the one parsed for
    CountTooLarge, ///< a value count that needs more bytes than the packet holds
    BadValue,      ///< a field holds a value that cannot be right
    Refused,       ///< the device answered with a non-zero status
};

/// A typed decoding error with words for the log.
struct DecodeError {
    Errc code;
    std::string message;
};

/// Reassembles packets from HID IN reports. Owns the partial packet between reports.
class PacketAssembler {
  public:
    /// With `verify_checksum`, packets whose checksum does not match are errors.
    explicit PacketAssembler(bool verify_checksum = true) : verify_(verify_checksum) {}
    /// Feeds one IN report; appends the packet it completes to `out`. Zero-length reports and
    /// reports with a count of 0 are ignored. On error the partial packet is dropped.
    [[nodiscard]] std::optional<DecodeError> feed(std::span<const std::uint8_t> report,
                                                  std::vector<Packet>& out);
    /// True while a packet is incomplete.
    bool pending() const { return !partial_.empty(); }
    /// Drops a partial packet.
    void reset() { partial_.clear(); }

  private:
    bool verify_;
    Packet partial_;
};

/// A command response: the echoed command and counter, and the payload after byte 5.
struct Response {
    std::uint8_t command = 0;
    std::uint8_t counter = 0;
    std::vector<std::uint8_t> payload;
};

/// GET_STATUS.
struct DeviceStatus {
    std::uint8_t status = 0;
    std::string primary_firmware;   ///< "major.minor.build"
    std::string secondary_firmware; ///< the radio's firmware
    std::uint8_t battery_percent = 0;
    std::uint8_t charger_state = 0; ///< 0 idle, 1 charging, 2 complete, 3 error
};

/// GET_DEVICE_INFO.
struct DeviceInfo {
    std::string order_code; ///< "GDX-FP"
    std::string serial_number;
    std::string name;             ///< "GDX-FP 0K1023A4"
    std::string primary_firmware; ///< empty when the response stops before it
    std::string description;      ///< empty when the response stops before it
};

/// GET_SENSOR_INFO.
struct SensorInfo {
    std::uint8_t number = 0;
    std::uint32_t sensor_id = 0;
    std::uint8_t numeric_type = 0;  ///< 0 real, 1 int32
    std::uint8_t sampling_mode = 0; ///< 0 periodic, 1 aperiodic
    std::string description;        ///< "Force"
    std::string unit;               ///< "N"
    double uncertainty = 0;
    double min_value = 0;
    double max_value = 0;
    std::uint32_t min_period_us = 0;
    std::uint64_t max_period_us = 0;
    std::uint32_t typical_period_us = 0;
    std::uint32_t period_granularity_us = 0;
    std::uint32_t mutual_exclusion_mask = 0;
};

/// Splits a complete command response packet (byte 0 not 0x20).
[[nodiscard]] std::optional<DecodeError> parse_response(std::span<const std::uint8_t> packet,
                                                        Response& out);
/// Checks that `response` answers `command` and that its status byte (payload 0) is 0.
[[nodiscard]] std::optional<DecodeError> check_ok(const Response& response, Command command);
/// Decodes a GET_STATUS response.
[[nodiscard]] std::optional<DecodeError> parse_status(const Response& response, DeviceStatus& out);
/// Decodes a GET_DEVICE_INFO response (at least order code, serial and name).
[[nodiscard]] std::optional<DecodeError> parse_device_info(const Response& response,
                                                           DeviceInfo& out);
/// Decodes the u32 mask of a GET_SENSOR_AVAILABLE_MASK or GET_DEFAULT_SENSORS_MASK response.
[[nodiscard]] std::optional<DecodeError> parse_mask(const Response& response, Command command,
                                                    std::uint32_t& out);
/// Decodes a GET_SENSOR_INFO response; a sensor id of 0 means "no such sensor" and is an error.
[[nodiscard]] std::optional<DecodeError> parse_sensor_info(const Response& response,
                                                           SensorInfo& out);

/// One decoded measurement packet.
struct Measurement {
    MeasurementType type = MeasurementType::NormalReal32;
    std::vector<std::uint8_t> sensors; ///< sensor numbers in the order of the values
    std::uint8_t rows = 0;             ///< values per sensor
    std::vector<double> values;        ///< rows x sensors, row by row
    std::vector<std::uint8_t> info;    ///< bytes after byte 4 of StartTime/Dropped/Period
    /// The value of row `row` for the sensor at `index` in `sensors`.
    double at(std::size_t row, std::size_t index) const {
        return values[row * sensors.size() + index];
    }
};

/// Decodes a complete measurement packet (byte 0 is 0x20), validating every length and count.
[[nodiscard]] std::optional<DecodeError> parse_measurement(std::span<const std::uint8_t> packet,
                                                           Measurement& out);

/// The sensor to read force from: the lowest default sensor measuring in newtons, else the
/// lowest available one; nullopt when no sensor measures newtons.
std::optional<std::uint8_t> pick_force_sensor(std::uint32_t default_mask,
                                              std::span<const SensorInfo> sensors);

/// Newtons per unit for the force units a sensor may report: "N" 1, "kN" 1000, "lbf"/"lb"
/// 4.4482216152605, "kgf"/"kg" 9.80665 (whitespace around the unit is ignored); nullopt for
/// anything else (not a force).
std::optional<double> newtons_per_unit(std::string_view unit);

/// Like pick_force_sensor(), but when no sensor measures newtons it falls back to the lowest
/// default, else lowest available, sensor whose unit newtons_per_unit() can convert.
std::optional<std::uint8_t> choose_force_sensor(std::uint32_t default_mask,
                                                std::span<const SensorInfo> sensors);

/// Turns measurement packets into force samples for one sensor. The device sends several rows
/// per packet at its measurement period: the last row is stamped with the arrival time and the
/// earlier ones one period apart before it (never before the previous sample). A Dropped packet
/// flags the next sample with kFlagGapBefore.
class SampleMapper {
  public:
    SampleMapper(std::uint8_t force_sensor, Micros period_us);
    /// Appends the force samples of `m` received at `arrival_us`.
    void feed(const Measurement& m, Micros arrival_us, std::vector<Sample>& out);

  private:
    std::uint8_t sensor_;
    Micros period_us_;
    Micros last_t_ = INT64_MIN;
    bool gap_ = false;
};

} // namespace qv::input::godirect
