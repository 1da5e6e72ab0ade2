#include "input/recording.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace qv::input {

namespace {

constexpr std::string_view kMagic = "quadventure-recording";
constexpr std::string_view kSamplesLine = "samples";
constexpr std::size_t kMaxLine = 4096;
constexpr std::uintmax_t kMaxFileBytes = 256u * 1024u * 1024u;

// The header keys, in the order the writer puts them. Every one is required.
constexpr std::array<std::string_view, 8> kKeys{
    "source.driver",         "source.model", "source.serial", "source.firmware",
    "source.is_measurement", "channels",     "rate_hz",       "start_time"};

Error at(std::string_view name, std::size_t line, const std::string& message) {
    return fail(fmt::format("{}:{}: {}", name, line, message));
}

std::string escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// Undoes escape(); nullopt for a backslash not followed by \, n, r or t.
std::optional<std::string> unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out += s[i];
            continue;
        }
        if (++i == s.size()) {
            return std::nullopt;
        }
        switch (s[i]) {
        case '\\':
            out += '\\';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        default:
            return std::nullopt;
        }
    }
    return out;
}

std::optional<Channel> channel_from_name(std::string_view name) {
    for (Channel c : {Channel::Force, Channel::KneeAngle}) {
        if (channel_name(c) == name) {
            return c;
        }
    }
    return std::nullopt;
}

// Splits at runs of spaces and tabs.
std::vector<std::string_view> fields(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
            ++i;
        }
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            ++i;
        }
        if (i > start) {
            out.push_back(line.substr(start, i - start));
        }
    }
    return out;
}

// A whole field as a number of type T; nullopt when any character is left over.
template <typename T> std::optional<T> number(std::string_view text) {
    T value{};
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    return value;
}

// "YYYY-MM-DDTHH:MM:SSZ"
bool is_utc_timestamp(std::string_view s) {
    constexpr std::string_view shape = "dddd-dd-ddTdd:dd:ddZ";
    if (s.size() != shape.size()) {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool ok = shape[i] == 'd' ? (s[i] >= '0' && s[i] <= '9') : s[i] == shape[i];
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool has_control_character(std::string_view line) {
    for (char c : line) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7F) {
            return true;
        }
    }
    return false;
}

// Reads the header value of `key` into `header`; returns an error message or "".
std::string apply_header_value(RecordingHeader& header, std::string_view key,
                               const std::string& value) {
    if (key == "source.driver") {
        if (value.empty()) {
            return "source.driver must not be empty";
        }
        header.source.driver = value;
    } else if (key == "source.model") {
        header.source.model = value;
    } else if (key == "source.serial") {
        header.source.serial = value;
    } else if (key == "source.firmware") {
        header.source.firmware = value;
    } else if (key == "source.is_measurement") {
        if (value != "true" && value != "false") {
            return fmt::format("source.is_measurement must be true or false, not '{}'", value);
        }
        header.source.is_measurement = value == "true";
    } else if (key == "channels") {
        const auto names = fields(value);
        if (names.empty()) {
            return "channels must name at least one channel";
        }
        for (std::string_view n : names) {
            const auto c = channel_from_name(n);
            if (!c) {
                return fmt::format("unknown channel '{}' (known: force, knee_angle)", n);
            }
            for (Channel seen : header.channels) {
                if (seen == *c) {
                    return fmt::format("channel '{}' is listed twice", n);
                }
            }
            header.channels.push_back(*c);
        }
    } else if (key == "rate_hz") {
        const auto rate = number<double>(value);
        if (!rate || !std::isfinite(*rate) || *rate < 0) {
            return fmt::format("rate_hz must be a number >= 0, not '{}'", value);
        }
        header.rate_hz = *rate;
    } else if (key == "start_time") {
        if (!is_utc_timestamp(value)) {
            return fmt::format("start_time must look like 2025-03-01T10:15:00Z, not '{}'", value);
        }
        header.start_time = value;
    }
    return {};
}

// Parses one sample line; returns an error message or "".
std::string parse_sample(std::string_view line, const RecordingHeader& header, Sample& out) {
    const auto f = fields(line);
    if (f.size() != 4) {
        return fmt::format("expected 't_us channel value flags', got {} field(s)", f.size());
    }
    const auto t = number<std::int64_t>(f[0]);
    if (!t) {
        return fmt::format("time '{}' is not a whole number of microseconds", f[0]);
    }
    const auto channel = channel_from_name(f[1]);
    if (!channel) {
        return fmt::format("unknown channel '{}'", f[1]);
    }
    bool listed = false;
    for (Channel c : header.channels) {
        listed = listed || c == *channel;
    }
    if (!listed) {
        return fmt::format("channel '{}' is not in the header's channels", f[1]);
    }
    const auto value = number<float>(f[2]);
    if (!value) {
        return fmt::format("value '{}' is not a number", f[2]);
    }
    const auto flags = number<std::uint32_t>(f[3]);
    if (!flags || *flags > 0xFFFF) {
        return fmt::format("flags '{}' is not a whole number 0..65535", f[3]);
    }
    out = Sample{*t, *channel, *value, static_cast<std::uint16_t>(*flags)};
    return {};
}

} // namespace

std::string utc_timestamp(std::chrono::system_clock::time_point t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    std::array<char, 32> buf{};
    const std::size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buf.data(), n);
}

std::string format_header(const RecordingHeader& header) {
    std::string channels;
    for (Channel c : header.channels) {
        channels += channels.empty() ? "" : " ";
        channels += channel_name(c);
    }
    const std::array<std::string, kKeys.size()> values{escape(header.source.driver),
                                                       escape(header.source.model),
                                                       escape(header.source.serial),
                                                       escape(header.source.firmware),
                                                       header.source.is_measurement ? "true"
                                                                                    : "false",
                                                       channels,
                                                       fmt::format("{}", header.rate_hz),
                                                       escape(header.start_time)};
    std::string out = fmt::format("{} {}\n", kMagic, kRecordingVersion);
    for (std::size_t i = 0; i < kKeys.size(); ++i) {
        out += kKeys[i];
        if (!values[i].empty()) {
            out += ' ';
            out += values[i];
        }
        out += '\n';
    }
    out += kSamplesLine;
    out += '\n';
    return out;
}

std::string format_sample(const Sample& s) {
    return fmt::format("{} {} {} {}\n", s.t_us, channel_name(s.channel), s.value, s.flags);
}

Result<Recording> parse_recording(std::string_view text, std::string_view name) {
    Recording rec;
    std::array<bool, kKeys.size()> seen{};
    bool in_samples = false;
    std::size_t line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line_no == 1) {
            const std::string expected = fmt::format("{} {}", kMagic, kRecordingVersion);
            if (line == expected) {
                continue;
            }
            if (line.substr(0, kMagic.size() + 1) == fmt::format("{} ", kMagic) &&
                line.size() <= kMagic.size() + 12 && !has_control_character(line)) {
                return at(name, line_no,
                          fmt::format("recording format version '{}' is not supported (this "
                                      "build reads version {})",
                                      line.substr(kMagic.size() + 1), kRecordingVersion));
            }
            return at(
                name, line_no,
                fmt::format("not a Quadventure recording (the first line must be '{}')", expected));
        }
        if (line.size() > kMaxLine) {
            return at(name, line_no, fmt::format("line is longer than {} characters", kMaxLine));
        }
        if (has_control_character(line)) {
            return at(name, line_no, "line holds control characters (binary data?)");
        }
        if (line.empty() || line.front() == '#') {
            continue;
        }
        if (in_samples) {
            Sample s;
            if (std::string e = parse_sample(line, rec.header, s); !e.empty()) {
                return at(name, line_no, e);
            }
            rec.samples.push_back(s);
            continue;
        }
        if (line == kSamplesLine) {
            for (std::size_t i = 0; i < kKeys.size(); ++i) {
                if (!seen[i]) {
                    return at(name, line_no, fmt::format("the header lacks '{}'", kKeys[i]));
                }
            }
            in_samples = true;
            continue;
        }
        const std::size_t space = line.find(' ');
        const std::string_view key = line.substr(0, space);
        const std::string_view raw =
            space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
        std::size_t index = kKeys.size();
        for (std::size_t i = 0; i < kKeys.size(); ++i) {
            if (kKeys[i] == key) {
                index = i;
            }
        }
        if (index == kKeys.size()) {
            return at(name, line_no, fmt::format("unknown header key '{}'", key));
        }
        if (seen[index]) {
            return at(name, line_no, fmt::format("'{}' is given twice", key));
        }
        seen[index] = true;
        const std::optional<std::string> value = unescape(raw);
        if (!value) {
            return at(name, line_no,
                      fmt::format("'{}' has a backslash not followed by \\, n, r or t", key));
        }
        if (std::string e = apply_header_value(rec.header, key, *value); !e.empty()) {
            return at(name, line_no, e);
        }
    }
    if (line_no == 0) {
        return at(name, 1, "empty file, not a Quadventure recording");
    }
    if (!in_samples) {
        return at(name, line_no, "the header never ends (no 'samples' line)");
    }
    return rec;
}

Result<Recording> read_recording(const std::filesystem::path& path) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) {
        return fail(fmt::format("{}: cannot read: {}", path.string(), ec.message()));
    }
    if (size > kMaxFileBytes) {
        return fail(fmt::format("{}: {} bytes is larger than a recording may be ({} bytes)",
                                path.string(), size, kMaxFileBytes));
    }
    std::ifstream in(path, std::ios::binary);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (!in || !in.read(text.data(), static_cast<std::streamsize>(size))) {
        return fail(fmt::format("{}: cannot read: {}", path.string(), std::strerror(errno)));
    }
    return parse_recording(text, path.string());
}

Status write_recording(const std::filesystem::path& path, const Recording& recording) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) {
        return fail(fmt::format("{}: cannot create: {}", path.string(), std::strerror(errno)));
    }
    out << format_header(recording.header);
    for (const Sample& s : recording.samples) {
        out << format_sample(s);
    }
    out.close();
    if (!out) {
        return fail(fmt::format("{}: writing failed", path.string()));
    }
    return Ok{};
}

RecordingWriter::RecordingWriter(std::filesystem::path path, std::ofstream file, Micros origin_us,
                                 SampleSink& next)
    : path_(std::move(path)), origin_us_(origin_us), next_(next), file_(std::move(file)) {}

Result<std::unique_ptr<RecordingWriter>> RecordingWriter::create(const std::filesystem::path& path,
                                                                 const RecordingHeader& header,
                                                                 Micros origin_us,
                                                                 SampleSink& next) {
    if (header.channels.empty()) {
        return fail(fmt::format("{}: a recording needs at least one channel", path.string()));
    }
    if (header.source.driver.empty()) {
        return fail(fmt::format("{}: a recording needs the source's driver id", path.string()));
    }
    // A recording is health data: create it private (0600) before a byte is written, and make
    // an older file private too before truncating it.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || ::fchmod(fd, 0600) != 0) {
        const int err = errno;
        if (fd >= 0) {
            ::close(fd);
        }
        return fail(fmt::format("{}: cannot create: {}", path.string(), std::strerror(err)));
    }
    ::close(fd);
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file) {
        return fail(fmt::format("{}: cannot create: {}", path.string(), std::strerror(errno)));
    }
    file << format_header(header);
    if (!file) {
        return fail(fmt::format("{}: writing the header failed", path.string()));
    }
    return std::unique_ptr<RecordingWriter>(
        new RecordingWriter(path, std::move(file), origin_us, next));
}

RecordingWriter::~RecordingWriter() {
    (void)close();
}

bool RecordingWriter::push(const Sample& sample) {
    {
        std::lock_guard lock(mutex_);
        if (error_.empty() && file_.is_open()) {
            Sample recorded = sample;
            recorded.t_us = sample.t_us - origin_us_;
            file_ << format_sample(recorded);
            if (!file_) {
                error_ = fmt::format("{}: writing sample {} failed", path_.string(), recorded_ + 1);
            } else {
                ++recorded_;
            }
        }
    }
    return next_.push(sample);
}

Status RecordingWriter::close() {
    std::lock_guard lock(mutex_);
    if (file_.is_open()) {
        file_.close();
        if (!file_ && error_.empty()) {
            error_ = fmt::format("{}: closing failed", path_.string());
        }
    }
    if (!error_.empty()) {
        return fail(error_);
    }
    return Ok{};
}

std::uint64_t RecordingWriter::recorded() const {
    std::lock_guard lock(mutex_);
    return recorded_;
}

} // namespace qv::input
