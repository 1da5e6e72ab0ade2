#pragma once
// The Quadventure open sensor protocol (docs/open-sensor.md): a vendor-defined HID device that
// sends one input report per load-cell conversion. Pure bytes in, samples or a typed error out;
// no libusb here. The encoders exist for firmware builders and for the emulated devices of the
// driver tests.

#include "core/sample.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace qv::input::open_sensor {

/// Report id of the v1 input report; input report ids 0x01..0x1F are format versions.
inline constexpr std::uint8_t kReportIdV1 = 0x01;
/// Report id of the identity feature report (GET_REPORT, Feature).
inline constexpr std::uint8_t kReportIdIdentity = 0x40;
/// Report id of the command output report.
inline constexpr std::uint8_t kReportIdCommand = 0x41;

/// Size of a v1 input report, report id included. Later revisions of v1 may append fields.
inline constexpr std::size_t kReportV1Size = 12;
/// Size of the identity feature report, report id included.
inline constexpr std::size_t kIdentitySize = 16;
/// Size of the command output report, report id included.
inline constexpr std::size_t kCommandSize = 3;

/// The angle value meaning "no angle sensor fitted or it is disconnected".
inline constexpr std::int16_t kNoAngle = INT16_MIN;

/// Status bits of an input report (byte 10).
enum StatusBit : std::uint8_t {
    kStatusSaturated = 1u << 0,    ///< the ADC is at full scale
    kStatusNotTared = 1u << 1,     ///< no zero has been set since power-up
    kStatusLowSupply = 1u << 2,    ///< the supply is below what the bridge needs
    kStatusAnglePresent = 1u << 3, ///< the angle field holds a measurement
};

/// Capability bits of the identity report (byte 8).
enum CapabilityBit : std::uint8_t {
    kCapForce = 1u << 0, ///< a load cell is fitted
    kCapAngle = 1u << 1, ///< a goniometer is fitted
    kCapTare = 1u << 2,  ///< the device accepts the tare command
};

/// Commands of the command output report (byte 1).
enum class Command : std::uint8_t {
    Tare = 0x01, ///< take the current load as zero
};

/// The HID report descriptor every open sensor must present, byte for byte.
inline constexpr std::array<std::uint8_t, 39> kReportDescriptor{
    0x06, 0x00, 0xFF, // Usage Page (Vendor Defined 0xFF00)
    0x09, 0x01,       // Usage (0x01)
    0xA1, 0x01,       // Collection (Application)
    0x15, 0x00,       //   Logical Minimum (0)
    0x26, 0xFF, 0x00, //   Logical Maximum (255)
    0x75, 0x08,       //   Report Size (8)
    0x85, 0x01,       //   Report ID (1): input report v1
    0x09, 0x02,       //   Usage (0x02)
    0x95, 0x0B,       //   Report Count (11)
    0x81, 0x02,       //   Input (Data, Variable, Absolute)
    0x85, 0x40,       //   Report ID (0x40): identity
    0x09, 0x03,       //   Usage (0x03)
    0x95, 0x0F,       //   Report Count (15)
    0xB1, 0x02,       //   Feature (Data, Variable, Absolute)
    0x85, 0x41,       //   Report ID (0x41): command
    0x09, 0x04,       //   Usage (0x04)
    0x95, 0x02,       //   Report Count (2)
    0x91, 0x02,       //   Output (Data, Variable, Absolute)
    0xC0,             // End Collection
};

/// One decoded input report.
struct Report {
    std::uint16_t sequence = 0;
    std::int32_t force_mn = 0;          ///< millinewtons, compression positive
    std::int16_t angle_cdeg = kNoAngle; ///< hundredths of a degree of knee flexion
    std::uint8_t status = 0;            ///< StatusBit flags
    /// The angle in hundredths of a degree when the report carries one.
    std::optional<std::int16_t> angle() const;
};

/// What the device says about itself in the identity feature report.
struct Identity {
    std::uint8_t report_version = 0; ///< the input report version the device sends
    std::uint8_t firmware_major = 0;
    std::uint8_t firmware_minor = 0;
    std::uint8_t firmware_patch = 0;
    std::uint16_t rate_hz = 0;       ///< input reports per second
    std::uint8_t capabilities = 0;   ///< CapabilityBit flags
    std::uint32_t full_scale_mn = 0; ///< the force at which the device reports saturation
    /// "major.minor.patch", for SourceIdentity::firmware.
    std::string firmware() const;
};

/// Why a report could not be used.
enum class Errc : std::uint8_t {
    TooShort,       ///< fewer bytes than the header or than the length field promises
    UnknownVersion, ///< a report id this host does not know
    BadLength,      ///< the length field is below the minimum of its version
    BadValue,       ///< a field holds a value the protocol forbids
    Duplicate,      ///< the same sequence number twice in a row (report dropped)
};

/// A typed decoding error with words for the log.
struct DecodeError {
    Errc code;
    std::string message;
};

/// Decodes one input report (report id first). Zero-length input is not a report: callers skip
/// it before calling (StreamDecoder does). Never reads past `bytes`.
[[nodiscard]] std::optional<DecodeError> parse_report(std::span<const std::uint8_t> bytes,
                                                      Report& out);

/// Decodes the identity feature report (report id first).
[[nodiscard]] std::optional<DecodeError> parse_identity(std::span<const std::uint8_t> bytes,
                                                        Identity& out);

/// Encodes a v1 input report (for firmware reference and emulated devices in tests).
std::array<std::uint8_t, kReportV1Size> encode_report(const Report& report);

/// Encodes the identity feature report.
std::array<std::uint8_t, kIdentitySize> encode_identity(const Identity& identity);

/// The command output report asking the device to tare.
std::array<std::uint8_t, kCommandSize> tare_command();

/// Turns a stream of input reports into samples: force (N) and, when present, knee angle
/// (degrees), with the status bits as sample flags and kFlagGapBefore after a sequence gap.
/// Owns the last sequence number seen and the count of reports lost.
class StreamDecoder {
  public:
    /// Appends the samples of one report taken at `t_us`. A zero-length report (a HID gadget
    /// sends one after each report) appends nothing and is not an error. On error nothing is
    /// appended.
    [[nodiscard]] std::optional<DecodeError> feed(std::span<const std::uint8_t> bytes, Micros t_us,
                                                  std::vector<Sample>& out);
    /// Reports missing between sequence numbers seen so far.
    std::uint64_t lost_reports() const { return lost_; }
    /// Forgets the sequence (after a reconnect); the next report starts a new stream.
    void reset() { last_.reset(); }

  private:
    std::optional<std::uint16_t> last_;
    std::uint64_t lost_ = 0;
};

} // namespace qv::input::open_sensor
