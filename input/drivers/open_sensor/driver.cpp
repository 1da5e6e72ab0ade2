#include "input/drivers/open_sensor/driver.hpp"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <libusb.h>
#include <utility>

namespace qv::input {

namespace {

constexpr std::uint8_t kHidClass = 3;
constexpr std::uint8_t kHidGetReport = 0x01;
constexpr std::uint16_t kHidReportTypeFeature = 3;
constexpr unsigned kControlTimeoutMs = 500;
// How long stop() lets cancelled transfers come back before giving up on them.
constexpr auto kCancelGrace = std::chrono::seconds(2);

std::shared_ptr<spdlog::logger> logger() {
    return log::get("input");
}

Micros now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string usb_error(int code) {
    return libusb_strerror(code);
}

// A string descriptor in ASCII, or empty when the device has none or it cannot be read.
std::string string_descriptor(libusb_device_handle* handle, std::uint8_t index) {
    if (index == 0) {
        return {};
    }
    std::array<unsigned char, 128> text{};
    const int n = libusb_get_string_descriptor_ascii(handle, index, text.data(),
                                                     static_cast<int>(text.size()));
    if (n <= 0 || static_cast<std::size_t>(n) > text.size()) {
        return {};
    }
    return std::string(reinterpret_cast<const char*>(text.data()), static_cast<std::size_t>(n));
}

} // namespace

OpenSensorSource::OpenSensorSource(std::uint16_t vendor_id, std::uint16_t product_id)
    : vendor_id_(vendor_id), product_id_(product_id) {
    identity_.driver = "open-sensor";
    identity_.model = "Quadventure open sensor";
    identity_.is_measurement = true;
    caps_.force = true;
    caps_.knee_angle = true; // until the identity report says otherwise
    caps_.rate_hz = 0;
}

OpenSensorSource::~OpenSensorSource() {
    stop();
}

SourceCaps OpenSensorSource::caps() const {
    return caps_;
}

std::string OpenSensorSource::last_error() const {
    std::lock_guard lock(error_mutex_);
    return last_error_;
}

void OpenSensorSource::set_error(std::string message) {
    std::lock_guard lock(error_mutex_);
    last_error_ = std::move(message);
}

void OpenSensorSource::fail(std::string message) {
    logger()->error("open sensor: {}", message);
    set_error(std::move(message));
    close_device();
    state_ = SourceState::Failed;
}

bool OpenSensorSource::start(SampleSink& sink) {
    if (thread_.joinable()) {
        stop();
    }
    set_error({});
    rejected_ = 0;
    zero_length_ = 0;
    lost_ = 0;
    dropped_ = 0;
    decoder_ = open_sensor::StreamDecoder{};
    cancelled_ = false;
    device_gone_ = false;
    stopping_ = false;
    sink_ = &sink;

    const int r = libusb_init(&ctx_);
    if (r != LIBUSB_SUCCESS) {
        ctx_ = nullptr;
        fail(fmt::format("cannot start libusb: {}", usb_error(r)));
        return false;
    }
    if (!open_device() || !find_endpoint()) {
        return false;
    }

    // usbhid owns HID interfaces: detach it ourselves (automatic detach is not used: it does not
    // work everywhere, e.g. under umockdev) and give the interface back in close_device().
    const int active = libusb_kernel_driver_active(handle_, interface_);
    if (active == 1) {
        const int d = libusb_detach_kernel_driver(handle_, interface_);
        if (d != LIBUSB_SUCCESS) {
            fail(fmt::format("cannot detach the kernel driver from {:04x}:{:04x}: {}", vendor_id_,
                             product_id_, usb_error(d)));
            return false;
        }
        kernel_driver_detached_ = true;
    } else if (active < 0 && active != LIBUSB_ERROR_NOT_SUPPORTED) {
        logger()->warn("open sensor: cannot tell whether a kernel driver is bound: {}",
                       usb_error(active));
    }
    const int c = libusb_claim_interface(handle_, interface_);
    if (c != LIBUSB_SUCCESS) {
        fail(fmt::format("cannot claim interface {} of {:04x}:{:04x}: {}", interface_, vendor_id_,
                         product_id_, usb_error(c)));
        return false;
    }
    interface_claimed_ = true;

    read_identity();

    for (Slot& slot : slots_) {
        slot.owner = this;
        slot.buffer.assign(packet_size_, 0);
        slot.transfer = libusb_alloc_transfer(0);
        if (slot.transfer == nullptr) {
            fail("cannot allocate a USB transfer");
            return false;
        }
        libusb_fill_interrupt_transfer(slot.transfer, handle_, endpoint_, slot.buffer.data(),
                                       static_cast<int>(slot.buffer.size()), &transfer_done, &slot,
                                       0);
    }
    for (Slot& slot : slots_) {
        if (!submit(slot)) {
            const std::string why = last_error();
            // Nothing runs the events yet: cancel what went out and drain it here.
            stopping_ = true;
            thread_ = std::thread([this] { run_events(); });
            thread_.join();
            fail(why.empty() ? std::string("cannot submit a USB transfer") : why);
            return false;
        }
    }
    state_ = SourceState::Streaming;
    thread_ = std::thread([this] { run_events(); });
    logger()->info("open sensor {} (serial {}, firmware {}) streaming from endpoint 0x{:02x}",
                   identity_.model, identity_.serial.empty() ? "?" : identity_.serial,
                   identity_.firmware.empty() ? "?" : identity_.firmware, endpoint_);
    return true;
}

bool OpenSensorSource::open_device() {
    libusb_device** list = nullptr;
    const ssize_t count = libusb_get_device_list(ctx_, &list);
    if (count < 0) {
        fail(fmt::format("cannot list USB devices: {}", usb_error(static_cast<int>(count))));
        return false;
    }
    libusb_device* found = nullptr;
    for (ssize_t i = 0; i < count; ++i) {
        libusb_device_descriptor desc{};
        if (libusb_get_device_descriptor(list[i], &desc) == LIBUSB_SUCCESS &&
            desc.idVendor == vendor_id_ && desc.idProduct == product_id_) {
            found = list[i];
            break;
        }
    }
    if (found == nullptr) {
        libusb_free_device_list(list, 1);
        fail(fmt::format("no open sensor ({:04x}:{:04x}) is connected", vendor_id_, product_id_));
        return false;
    }
    const int r = libusb_open(found, &handle_);
    const int bus = libusb_get_bus_number(found);
    const int address = libusb_get_device_address(found);
    libusb_device_descriptor desc{};
    const int dr = libusb_get_device_descriptor(found, &desc);
    libusb_free_device_list(list, 1);
    if (r != LIBUSB_SUCCESS) {
        handle_ = nullptr;
        if (r == LIBUSB_ERROR_ACCESS) {
            fail(fmt::format("cannot open {:04x}:{:04x} (bus {} device {}): access denied — see "
                             "packaging/udev rules",
                             vendor_id_, product_id_, bus, address));
        } else {
            fail(fmt::format("cannot open {:04x}:{:04x} (bus {} device {}): {}", vendor_id_,
                             product_id_, bus, address, usb_error(r)));
        }
        return false;
    }
    if (dr == LIBUSB_SUCCESS) {
        const std::string product = string_descriptor(handle_, desc.iProduct);
        if (!product.empty()) {
            identity_.model = product;
        }
        identity_.serial = string_descriptor(handle_, desc.iSerialNumber);
    }
    return true;
}

bool OpenSensorSource::find_endpoint() {
    libusb_device* dev = libusb_get_device(handle_);
    libusb_config_descriptor* config = nullptr;
    const int r = libusb_get_active_config_descriptor(dev, &config);
    if (r != LIBUSB_SUCCESS || config == nullptr) {
        fail(fmt::format("cannot read the configuration of {:04x}:{:04x}: {}", vendor_id_,
                         product_id_, usb_error(r)));
        return false;
    }
    std::string problem = "it has no HID interface with an interrupt IN endpoint";
    int interval_ms = 0;
    for (std::uint8_t i = 0; i < config->bNumInterfaces && interface_ < 0; ++i) {
        const libusb_interface& itf = config->interface[i];
        if (itf.num_altsetting < 1 || itf.altsetting == nullptr) {
            continue;
        }
        const libusb_interface_descriptor& alt = itf.altsetting[0];
        if (alt.bInterfaceClass != kHidClass || alt.endpoint == nullptr) {
            continue;
        }
        for (std::uint8_t e = 0; e < alt.bNumEndpoints; ++e) {
            const libusb_endpoint_descriptor& ep = alt.endpoint[e];
            const bool in = (ep.bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_IN;
            const bool interrupt =
                (ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) == LIBUSB_TRANSFER_TYPE_INTERRUPT;
            if (!in || !interrupt) {
                continue;
            }
            const std::size_t size = ep.wMaxPacketSize & 0x07FFu;
            if (size < open_sensor::kReportV1Size) {
                problem = fmt::format("its endpoint 0x{:02x} reports wMaxPacketSize {}, below the "
                                      "{} bytes of a report",
                                      ep.bEndpointAddress, size, open_sensor::kReportV1Size);
                continue;
            }
            interface_ = alt.bInterfaceNumber;
            endpoint_ = ep.bEndpointAddress;
            packet_size_ = size;
            interval_ms = ep.bInterval;
            break;
        }
    }
    libusb_free_config_descriptor(config);
    if (interface_ < 0) {
        fail(fmt::format("{:04x}:{:04x} is not an open sensor: {}", vendor_id_, product_id_,
                         problem));
        return false;
    }
    if (interval_ms > 0 && caps_.rate_hz <= 0) {
        caps_.rate_hz = 1000.0 / interval_ms;
    }
    return true;
}

void OpenSensorSource::read_identity() {
    std::array<unsigned char, 64> buf{};
    const auto request_type =
        static_cast<std::uint8_t>(static_cast<unsigned>(LIBUSB_ENDPOINT_IN) |
                                  static_cast<unsigned>(LIBUSB_REQUEST_TYPE_CLASS) |
                                  static_cast<unsigned>(LIBUSB_RECIPIENT_INTERFACE));
    const auto value =
        static_cast<std::uint16_t>((kHidReportTypeFeature << 8) | open_sensor::kReportIdIdentity);
    const int n = libusb_control_transfer(
        handle_, request_type, kHidGetReport, value, static_cast<std::uint16_t>(interface_),
        buf.data(), static_cast<std::uint16_t>(open_sensor::kIdentitySize), kControlTimeoutMs);
    if (n < 0) {
        logger()->warn("open sensor: no identity report: {}", usb_error(n));
        return;
    }
    const auto len = std::min(static_cast<std::size_t>(n), buf.size());
    open_sensor::Identity id;
    if (auto err = open_sensor::parse_identity(std::span(buf.data(), len), id)) {
        logger()->warn("open sensor: identity report rejected: {}", err->message);
        return;
    }
    identity_.firmware = id.firmware();
    caps_.force = (id.capabilities & open_sensor::kCapForce) != 0;
    caps_.knee_angle = (id.capabilities & open_sensor::kCapAngle) != 0;
    if (id.rate_hz > 0) {
        caps_.rate_hz = id.rate_hz;
    }
}

bool OpenSensorSource::submit(Slot& slot) {
    const int r = libusb_submit_transfer(slot.transfer);
    if (r == LIBUSB_SUCCESS) {
        slot.in_flight = true;
        return true;
    }
    slot.in_flight = false;
    if (r == LIBUSB_ERROR_NO_DEVICE) {
        device_gone_ = true;
        set_error(
            fmt::format("the open sensor {:04x}:{:04x} was disconnected", vendor_id_, product_id_));
    } else {
        set_error(fmt::format("cannot submit a transfer to endpoint 0x{:02x}: {}", endpoint_,
                              usb_error(r)));
    }
    return false;
}

void OpenSensorSource::transfer_done(libusb_transfer* transfer) {
    auto* slot = static_cast<Slot*>(transfer->user_data);
    slot->owner->on_transfer(*slot);
}

// Runs on the event thread.
void OpenSensorSource::on_transfer(Slot& slot) {
    slot.in_flight = false;
    libusb_transfer* t = slot.transfer;
    const Micros t_us = now_us();
    bool resubmit = !cancelled_ && !device_gone_;

    switch (t->status) {
    case LIBUSB_TRANSFER_COMPLETED: {
        const auto len = static_cast<std::size_t>(std::max(0, t->actual_length));
        if (len == 0) {
            ++zero_length_; // a real HID gadget sends one after every report: not a report
            break;
        }
        if (len > slot.buffer.size()) {
            ++rejected_;
            break;
        }
        scratch_.clear();
        if (auto err = decoder_.feed(std::span(slot.buffer.data(), len), t_us, scratch_)) {
            ++rejected_;
            int held = 0;
            if (limiter_.allow("decode", &held)) {
                logger()->warn("open sensor: report rejected: {} ({} more held back)", err->message,
                               held);
            }
            break;
        }
        lost_ = decoder_.lost_reports();
        for (const Sample& s : scratch_) {
            if (!sink_->push(s)) {
                ++dropped_;
                int held = 0;
                if (limiter_.allow("queue", &held)) {
                    logger()->warn("open sensor: sample queue full, sample dropped ({} more held "
                                   "back)",
                                   held);
                }
            }
        }
        break;
    }
    case LIBUSB_TRANSFER_CANCELLED:
        resubmit = false;
        break;
    case LIBUSB_TRANSFER_NO_DEVICE:
        device_gone_ = true;
        resubmit = false;
        set_error(
            fmt::format("the open sensor {:04x}:{:04x} was disconnected", vendor_id_, product_id_));
        break;
    case LIBUSB_TRANSFER_STALL: {
        const int r = libusb_clear_halt(handle_, endpoint_);
        int held = 0;
        if (limiter_.allow("stall", &held)) {
            logger()->warn("open sensor: endpoint 0x{:02x} stalled, halt cleared: {} ({} more "
                           "held back)",
                           endpoint_, r == LIBUSB_SUCCESS ? "ok" : usb_error(r), held);
        }
        if (r == LIBUSB_ERROR_NO_DEVICE) {
            device_gone_ = true;
            resubmit = false;
        }
        break;
    }
    case LIBUSB_TRANSFER_ERROR:
    case LIBUSB_TRANSFER_TIMED_OUT:
    case LIBUSB_TRANSFER_OVERFLOW:
    default: {
        int held = 0;
        if (limiter_.allow("transfer", &held)) {
            logger()->warn("open sensor: transfer on endpoint 0x{:02x} failed ({}), resubmitting "
                           "({} more held back)",
                           endpoint_, libusb_error_name(static_cast<int>(t->status)), held);
        }
        break;
    }
    }

    if (resubmit) {
        submit(slot);
    }
    if (device_gone_ && !cancelled_) {
        if (state_.load() == SourceState::Streaming) {
            logger()->warn("open sensor: disconnected");
        }
        set_error(
            fmt::format("the open sensor {:04x}:{:04x} was disconnected", vendor_id_, product_id_));
        state_ = SourceState::Disconnected;
    }
}

int OpenSensorSource::in_flight() const {
    int n = 0;
    for (const Slot& s : slots_) {
        n += s.in_flight ? 1 : 0;
    }
    return n;
}

// The event thread: handles libusb events until stop() asks, then cancels the transfers and
// keeps handling events until every callback has come back.
void OpenSensorSource::run_events() {
    std::chrono::steady_clock::time_point deadline{};
    while (true) {
        if (stopping_.load() && !cancelled_) {
            cancelled_ = true;
            deadline = std::chrono::steady_clock::now() + kCancelGrace;
            for (Slot& s : slots_) {
                if (s.in_flight && s.transfer != nullptr) {
                    // NOT_FOUND also means "completed, callback not delivered yet" on a real
                    // kernel (found by the QEMU tier): only the callback may clear in_flight.
                    libusb_cancel_transfer(s.transfer);
                }
            }
        }
        if (cancelled_ && in_flight() == 0) {
            return;
        }
        if (cancelled_ && std::chrono::steady_clock::now() > deadline) {
            logger()->error("open sensor: {} transfers did not come back after cancelling",
                            in_flight());
            return;
        }
        timeval tv{0, 50'000};
        const int r = libusb_handle_events_timeout_completed(ctx_, &tv, nullptr);
        if (r != LIBUSB_SUCCESS && r != LIBUSB_ERROR_INTERRUPTED) {
            int held = 0;
            if (limiter_.allow("events", &held)) {
                logger()->warn("open sensor: handling USB events failed: {}", usb_error(r));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
}

void OpenSensorSource::stop() {
    stopping_ = true;
    if (thread_.joinable()) {
        if (ctx_ != nullptr) {
            libusb_interrupt_event_handler(ctx_);
        }
        thread_.join();
    }
    close_device();
    if (state_.load() == SourceState::Streaming) {
        state_ = SourceState::Stopped;
    }
}

void OpenSensorSource::close_device() {
    const bool leaked = in_flight() > 0;
    for (Slot& s : slots_) {
        // A transfer that never came back stays allocated: libusb may still write to it.
        if (s.transfer != nullptr && !s.in_flight) {
            libusb_free_transfer(s.transfer);
        }
        s.transfer = nullptr;
        s.in_flight = false;
    }
    if (handle_ != nullptr) {
        if (interface_claimed_) {
            libusb_release_interface(handle_, interface_);
            interface_claimed_ = false;
        }
        if (kernel_driver_detached_) {
            const int r = libusb_attach_kernel_driver(handle_, interface_);
            if (r != LIBUSB_SUCCESS && r != LIBUSB_ERROR_NO_DEVICE) {
                logger()->warn("open sensor: cannot give the interface back to the kernel: {}",
                               usb_error(r));
            }
            kernel_driver_detached_ = false;
        }
        if (!leaked) {
            libusb_close(handle_);
        }
        handle_ = nullptr;
    }
    if (ctx_ != nullptr && !leaked) {
        libusb_exit(ctx_);
    }
    ctx_ = nullptr;
    interface_ = -1;
    endpoint_ = 0;
    sink_ = nullptr;
}

} // namespace qv::input
