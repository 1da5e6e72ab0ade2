#include "input/drivers/open_sensor/protocol.hpp"

#include <fmt/format.h>

namespace qv::input::open_sensor {

namespace {

std::uint16_t u16_le(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}

std::uint32_t u32_le(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint32_t>(b[at]) | (static_cast<std::uint32_t>(b[at + 1]) << 8) |
           (static_cast<std::uint32_t>(b[at + 2]) << 16) |
           (static_cast<std::uint32_t>(b[at + 3]) << 24);
}

void put_u16_le(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v & 0xFF);
    b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}

void put_u32_le(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i) {
        b[at + i] = static_cast<std::uint8_t>((v >> (8 * i)) & 0xFF);
    }
}

DecodeError error(Errc code, std::string message) {
    return DecodeError{code, std::move(message)};
}

// Checks the common header (report id, length byte) of a report of `expected_id` whose version
// needs at least `minimum` bytes.
std::optional<DecodeError> check_header(std::span<const std::uint8_t> bytes,
                                        std::uint8_t expected_id, std::size_t minimum,
                                        const char* what) {
    if (bytes.size() < 2) {
        return error(Errc::TooShort, fmt::format("{} report of {} byte(s) has no length field",
                                                 what, bytes.size()));
    }
    if (bytes[0] != expected_id) {
        return error(Errc::UnknownVersion,
                     fmt::format("{} report has unknown report id 0x{:02X}", what, bytes[0]));
    }
    const std::size_t length = bytes[1];
    if (length < minimum) {
        return error(Errc::BadLength,
                     fmt::format("{} report length field says {} byte(s), at least {} needed", what,
                                 length, minimum));
    }
    if (length > bytes.size()) {
        return error(Errc::TooShort,
                     fmt::format("{} report length field says {} byte(s), only {} received", what,
                                 length, bytes.size()));
    }
    return std::nullopt;
}

} // namespace

std::optional<std::int16_t> Report::angle() const {
    if ((status & kStatusAnglePresent) == 0 || angle_cdeg == kNoAngle) {
        return std::nullopt;
    }
    return angle_cdeg;
}

std::string Identity::firmware() const {
    return fmt::format("{}.{}.{}", firmware_major, firmware_minor, firmware_patch);
}

std::optional<DecodeError> parse_report(std::span<const std::uint8_t> bytes, Report& out) {
    if (bytes.empty()) {
        return error(Errc::TooShort, "empty input report");
    }
    if (bytes[0] != kReportIdV1) {
        return error(Errc::UnknownVersion,
                     fmt::format("input report version 0x{:02X} is not supported (this host "
                                 "reads version 0x{:02X})",
                                 bytes[0], kReportIdV1));
    }
    if (auto e = check_header(bytes, kReportIdV1, kReportV1Size, "input")) {
        return e;
    }
    Report r;
    r.sequence = u16_le(bytes, 2);
    r.force_mn = static_cast<std::int32_t>(u32_le(bytes, 4));
    r.angle_cdeg = static_cast<std::int16_t>(u16_le(bytes, 8));
    r.status = bytes[10];
    out = r;
    return std::nullopt;
}

std::optional<DecodeError> parse_identity(std::span<const std::uint8_t> bytes, Identity& out) {
    if (auto e = check_header(bytes, kReportIdIdentity, kIdentitySize, "identity")) {
        return e;
    }
    Identity id;
    id.report_version = bytes[2];
    id.firmware_major = bytes[3];
    id.firmware_minor = bytes[4];
    id.firmware_patch = bytes[5];
    id.rate_hz = u16_le(bytes, 6);
    id.capabilities = bytes[8];
    id.full_scale_mn = u32_le(bytes, 10);
    if (id.report_version == 0 || id.report_version > 0x1F) {
        return error(Errc::BadValue, fmt::format("identity names input report version {}, "
                                                 "not one of 1..31",
                                                 id.report_version));
    }
    if (id.rate_hz == 0) {
        return error(Errc::BadValue, "identity gives a report rate of 0 Hz");
    }
    out = id;
    return std::nullopt;
}

std::array<std::uint8_t, kReportV1Size> encode_report(const Report& report) {
    std::array<std::uint8_t, kReportV1Size> b{};
    b[0] = kReportIdV1;
    b[1] = static_cast<std::uint8_t>(kReportV1Size);
    put_u16_le(b, 2, report.sequence);
    put_u32_le(b, 4, static_cast<std::uint32_t>(report.force_mn));
    put_u16_le(b, 8, static_cast<std::uint16_t>(report.angle_cdeg));
    b[10] = report.status;
    return b;
}

std::array<std::uint8_t, kIdentitySize> encode_identity(const Identity& identity) {
    std::array<std::uint8_t, kIdentitySize> b{};
    b[0] = kReportIdIdentity;
    b[1] = static_cast<std::uint8_t>(kIdentitySize);
    b[2] = identity.report_version;
    b[3] = identity.firmware_major;
    b[4] = identity.firmware_minor;
    b[5] = identity.firmware_patch;
    put_u16_le(b, 6, identity.rate_hz);
    b[8] = identity.capabilities;
    put_u32_le(b, 10, identity.full_scale_mn);
    return b;
}

std::array<std::uint8_t, kCommandSize> tare_command() {
    return {kReportIdCommand, static_cast<std::uint8_t>(Command::Tare), 0x00};
}

std::optional<DecodeError> StreamDecoder::feed(std::span<const std::uint8_t> bytes, Micros t_us,
                                               std::vector<Sample>& out) {
    if (bytes.empty()) {
        return std::nullopt;
    }
    Report r;
    if (auto e = parse_report(bytes, r)) {
        return e;
    }
    std::uint16_t flags = kFlagNone;
    if (last_) {
        if (r.sequence == *last_) {
            return error(Errc::Duplicate,
                         fmt::format("input report repeats sequence number {}", r.sequence));
        }
        const auto expected = static_cast<std::uint16_t>(*last_ + 1);
        if (r.sequence != expected) {
            lost_ += static_cast<std::uint16_t>(r.sequence - expected);
            flags |= kFlagGapBefore;
        }
    }
    last_ = r.sequence;

    std::uint16_t shared = flags;
    if ((r.status & kStatusLowSupply) != 0) {
        shared |= kFlagLowSupply;
    }
    std::uint16_t force_flags = shared;
    if ((r.status & kStatusSaturated) != 0) {
        force_flags |= kFlagSaturated;
    }
    if ((r.status & kStatusNotTared) != 0) {
        force_flags |= kFlagNotTared;
    }
    out.push_back(
        Sample{t_us, Channel::Force, static_cast<float>(r.force_mn / 1000.0), force_flags});
    if (const auto angle = r.angle()) {
        out.push_back(Sample{t_us, Channel::KneeAngle, static_cast<float>(*angle / 100.0), shared});
    }
    return std::nullopt;
}

} // namespace qv::input::open_sensor
