#include "input/usb_hid.hpp"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <libusb.h>
#include <utility>

namespace qv::input::usb {

namespace {

constexpr std::uint8_t kHidClass = 3;
constexpr std::uint8_t kHidSetReport = 0x09;
constexpr std::uint16_t kHidReportTypeOutput = 2;
// How long stop_reading() lets cancelled transfers come back before giving up on them.
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

HidConnection::HidConnection(std::string what) : what_(std::move(what)) {}

HidConnection::~HidConnection() {
    close();
}

bool HidConnection::open(std::uint16_t vendor, std::uint16_t product, std::size_t min_in_size) {
    close();
    vendor_ = vendor;
    product_id_ = product;
    error_.clear();
    product_.clear();
    serial_.clear();
    gone_ = false;
    gone_reported_ = false;
    transfer_errors_ = 0;
    oversized_ = 0;

    int r = libusb_init(&ctx_);
    if (r != LIBUSB_SUCCESS) {
        ctx_ = nullptr;
        error_ = fmt::format("cannot start libusb: {}", usb_error(r));
        return false;
    }
    libusb_device** list = nullptr;
    const ssize_t count = libusb_get_device_list(ctx_, &list);
    if (count < 0) {
        error_ = fmt::format("cannot list USB devices: {}", usb_error(static_cast<int>(count)));
        close();
        return false;
    }
    libusb_device* found = nullptr;
    libusb_device_descriptor desc{};
    for (ssize_t i = 0; i < count; ++i) {
        if (libusb_get_device_descriptor(list[i], &desc) == LIBUSB_SUCCESS &&
            desc.idVendor == vendor && desc.idProduct == product) {
            found = list[i];
            break;
        }
    }
    if (found == nullptr) {
        libusb_free_device_list(list, 1);
        error_ = fmt::format("no {} ({:04x}:{:04x}) is connected", what_, vendor, product);
        close();
        return false;
    }
    const int bus = libusb_get_bus_number(found);
    const int address = libusb_get_device_address(found);
    r = libusb_open(found, &handle_);
    libusb_free_device_list(list, 1);
    if (r != LIBUSB_SUCCESS) {
        handle_ = nullptr;
        error_ = fmt::format(
            "cannot open {:04x}:{:04x} (bus {} device {}): {}", vendor, product, bus, address,
            r == LIBUSB_ERROR_ACCESS ? std::string("access denied — see packaging/udev rules")
                                     : usb_error(r));
        close();
        return false;
    }
    product_ = string_descriptor(handle_, desc.iProduct);
    serial_ = string_descriptor(handle_, desc.iSerialNumber);
    if (!find_endpoints(min_in_size)) {
        close();
        return false;
    }

    // usbhid owns HID interfaces: detach it ourselves (automatic detach does not work
    // everywhere, e.g. under umockdev) and give the interface back in close().
    const int active = libusb_kernel_driver_active(handle_, ep_.interface);
    if (active == 1) {
        r = libusb_detach_kernel_driver(handle_, ep_.interface);
        if (r != LIBUSB_SUCCESS) {
            error_ = fmt::format("cannot detach the kernel driver from {:04x}:{:04x}: {}", vendor,
                                 product, usb_error(r));
            close();
            return false;
        }
        detached_ = true;
    } else if (active < 0 && active != LIBUSB_ERROR_NOT_SUPPORTED) {
        logger()->warn("{}: cannot tell whether a kernel driver is bound: {}", what_,
                       usb_error(active));
    }
    r = libusb_claim_interface(handle_, ep_.interface);
    if (r != LIBUSB_SUCCESS) {
        error_ = fmt::format("cannot claim interface {} of {:04x}:{:04x}: {}", ep_.interface,
                             vendor, product, usb_error(r));
        close();
        return false;
    }
    claimed_ = true;
    return true;
}

bool HidConnection::find_endpoints(std::size_t min_in_size) {
    libusb_config_descriptor* config = nullptr;
    const int r = libusb_get_active_config_descriptor(libusb_get_device(handle_), &config);
    if (r != LIBUSB_SUCCESS || config == nullptr) {
        error_ = fmt::format("cannot read the configuration of {:04x}:{:04x}: {}", vendor_,
                             product_id_, usb_error(r));
        return false;
    }
    std::string problem = "it has no HID interface with an interrupt IN endpoint";
    HidEndpoints found;
    for (std::uint8_t i = 0; i < config->bNumInterfaces && found.interface < 0; ++i) {
        const libusb_interface& itf = config->interface[i];
        if (itf.num_altsetting < 1 || itf.altsetting == nullptr) {
            continue;
        }
        const libusb_interface_descriptor& alt = itf.altsetting[0];
        if (alt.bInterfaceClass != kHidClass || alt.endpoint == nullptr) {
            continue;
        }
        HidEndpoints e;
        for (std::uint8_t k = 0; k < alt.bNumEndpoints; ++k) {
            const libusb_endpoint_descriptor& ep = alt.endpoint[k];
            if ((ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_INTERRUPT) {
                continue;
            }
            const std::size_t size = ep.wMaxPacketSize & 0x07FFu;
            const bool in = (ep.bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_IN;
            if (in && e.in == 0) {
                if (size < min_in_size) {
                    problem = fmt::format("its endpoint 0x{:02x} reports wMaxPacketSize {}, below "
                                          "the {} bytes of a report",
                                          ep.bEndpointAddress, size, min_in_size);
                    continue;
                }
                e.in = ep.bEndpointAddress;
                e.in_size = size;
                e.in_interval_ms = ep.bInterval;
            } else if (!in && e.out == 0 && size > 0) {
                e.out = ep.bEndpointAddress;
                e.out_size = size;
            }
        }
        if (e.in != 0) {
            e.interface = alt.bInterfaceNumber;
            found = e;
        }
    }
    libusb_free_config_descriptor(config);
    if (found.interface < 0) {
        error_ = fmt::format("{:04x}:{:04x} is not a usable {}: {}", vendor_, product_id_, what_,
                             problem);
        return false;
    }
    ep_ = found;
    return true;
}

bool HidConnection::start_reading(ReportFn on_report, GoneFn on_gone) {
    if (handle_ == nullptr || thread_.joinable()) {
        error_ = "the device is not open";
        return false;
    }
    on_report_ = std::move(on_report);
    on_gone_ = std::move(on_gone);
    cancelled_ = false;
    stopping_ = false;
    for (Slot& slot : slots_) {
        slot.owner = this;
        slot.buffer.assign(ep_.in_size, 0);
        slot.transfer = libusb_alloc_transfer(0);
        if (slot.transfer == nullptr) {
            error_ = "cannot allocate a USB transfer";
            stopping_ = true;
            return false;
        }
        libusb_fill_interrupt_transfer(slot.transfer, handle_, ep_.in, slot.buffer.data(),
                                       static_cast<int>(slot.buffer.size()), &transfer_done, &slot,
                                       0);
    }
    for (Slot& slot : slots_) {
        if (!submit(slot)) {
            error_ = last_submit_error_ == LIBUSB_ERROR_NO_DEVICE
                         ? fmt::format("the {} {:04x}:{:04x} was disconnected", what_, vendor_,
                                       product_id_)
                         : fmt::format("cannot submit a transfer to endpoint 0x{:02x}: {}", ep_.in,
                                       usb_error(last_submit_error_));
            // Nothing runs the events yet: cancel what went out and drain it here.
            stopping_ = true;
            thread_ = std::thread([this] { run_events(); });
            thread_.join();
            return false;
        }
    }
    thread_ = std::thread([this] { run_events(); });
    return true;
}

int HidConnection::write(std::span<const std::uint8_t> report, unsigned timeout_ms) {
    if (handle_ == nullptr) {
        return LIBUSB_ERROR_NO_DEVICE;
    }
    if (report.size() > 0xFFFF) {
        return LIBUSB_ERROR_INVALID_PARAM;
    }
    std::vector<std::uint8_t> buf(report.begin(), report.end());
    if (ep_.out != 0) {
        int sent = 0;
        const int r = libusb_interrupt_transfer(handle_, ep_.out, buf.data(),
                                                static_cast<int>(buf.size()), &sent, timeout_ms);
        if (r == LIBUSB_SUCCESS && static_cast<std::size_t>(sent) != buf.size()) {
            return LIBUSB_ERROR_IO;
        }
        return r;
    }
    const auto request_type =
        static_cast<std::uint8_t>(static_cast<unsigned>(LIBUSB_ENDPOINT_OUT) |
                                  static_cast<unsigned>(LIBUSB_REQUEST_TYPE_CLASS) |
                                  static_cast<unsigned>(LIBUSB_RECIPIENT_INTERFACE));
    const int r = libusb_control_transfer(handle_, request_type, kHidSetReport,
                                          static_cast<std::uint16_t>(kHidReportTypeOutput << 8),
                                          static_cast<std::uint16_t>(ep_.interface), buf.data(),
                                          static_cast<std::uint16_t>(buf.size()), timeout_ms);
    if (r < 0) {
        return r;
    }
    return static_cast<std::size_t>(r) == buf.size() ? LIBUSB_SUCCESS : LIBUSB_ERROR_IO;
}

bool HidConnection::submit(Slot& slot) {
    const int r = libusb_submit_transfer(slot.transfer);
    if (r == LIBUSB_SUCCESS) {
        slot.in_flight = true;
        return true;
    }
    slot.in_flight = false;
    last_submit_error_ = r;
    if (r == LIBUSB_ERROR_NO_DEVICE) {
        mark_gone();
    }
    return false;
}

void HidConnection::mark_gone() {
    gone_ = true;
}

void HidConnection::transfer_done(libusb_transfer* transfer) {
    auto* slot = static_cast<Slot*>(transfer->user_data);
    slot->owner->on_transfer(*slot);
}

// Runs on the event thread.
void HidConnection::on_transfer(Slot& slot) {
    slot.in_flight = false;
    libusb_transfer* t = slot.transfer;
    const Micros t_us = now_us();
    bool resubmit = !cancelled_ && !gone_.load();

    switch (t->status) {
    case LIBUSB_TRANSFER_COMPLETED: {
        const int n = t->actual_length;
        if (n <= 0) {
            break; // zero-length packets follow reports on some stacks; they are not reports
        }
        if (static_cast<std::size_t>(n) > slot.buffer.size()) {
            ++oversized_;
            break;
        }
        if (on_report_ && !cancelled_) {
            on_report_(std::span(slot.buffer.data(), static_cast<std::size_t>(n)), t_us);
        }
        break;
    }
    case LIBUSB_TRANSFER_CANCELLED:
        resubmit = false;
        break;
    case LIBUSB_TRANSFER_NO_DEVICE:
        mark_gone();
        resubmit = false;
        break;
    case LIBUSB_TRANSFER_STALL: {
        ++transfer_errors_;
        const int r = libusb_clear_halt(handle_, ep_.in);
        int held = 0;
        if (limiter_.allow("stall", &held)) {
            logger()->warn("{}: endpoint 0x{:02x} stalled, halt cleared: {} ({} more held back)",
                           what_, ep_.in, r == LIBUSB_SUCCESS ? "ok" : usb_error(r), held);
        }
        if (r == LIBUSB_ERROR_NO_DEVICE) {
            mark_gone();
            resubmit = false;
        }
        break;
    }
    case LIBUSB_TRANSFER_ERROR:
    case LIBUSB_TRANSFER_TIMED_OUT:
    case LIBUSB_TRANSFER_OVERFLOW:
    default: {
        // An unplug first fails transfers with -EPROTO/-ESHUTDOWN: resubmit until NO_DEVICE.
        ++transfer_errors_;
        int held = 0;
        if (limiter_.allow("transfer", &held)) {
            logger()->warn("{}: transfer on endpoint 0x{:02x} failed ({}), resubmitting ({} more "
                           "held back)",
                           what_, ep_.in, libusb_error_name(static_cast<int>(t->status)), held);
        }
        break;
    }
    }

    if (resubmit) {
        submit(slot);
    }
    if (gone_.load() && !cancelled_ && !gone_reported_) {
        gone_reported_ = true;
        logger()->warn("{}: disconnected", what_);
        if (on_gone_) {
            on_gone_();
        }
    }
}

int HidConnection::in_flight() const {
    int n = 0;
    for (const Slot& s : slots_) {
        n += s.in_flight ? 1 : 0;
    }
    return n;
}

// The event thread: handles libusb events until stop_reading() asks, then cancels the transfers
// and keeps handling events until every callback has come back.
void HidConnection::run_events() {
    std::chrono::steady_clock::time_point deadline{};
    while (true) {
        if (stopping_.load() && !cancelled_) {
            cancelled_ = true;
            deadline = std::chrono::steady_clock::now() + kCancelGrace;
            for (Slot& s : slots_) {
                if (s.in_flight && s.transfer != nullptr &&
                    libusb_cancel_transfer(s.transfer) == LIBUSB_ERROR_NOT_FOUND) {
                    s.in_flight = false; // already completed and not resubmitted
                }
            }
        }
        if (cancelled_ && in_flight() == 0) {
            return;
        }
        if (cancelled_ && std::chrono::steady_clock::now() > deadline) {
            logger()->error("{}: {} transfers did not come back after cancelling", what_,
                            in_flight());
            return;
        }
        timeval tv{0, 50'000};
        const int r = libusb_handle_events_timeout_completed(ctx_, &tv, nullptr);
        if (r != LIBUSB_SUCCESS && r != LIBUSB_ERROR_INTERRUPTED) {
            int held = 0;
            if (limiter_.allow("events", &held)) {
                logger()->warn("{}: handling USB events failed: {} ({} more held back)", what_,
                               usb_error(r), held);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
}

void HidConnection::stop_reading() {
    stopping_ = true;
    if (thread_.joinable()) {
        if (ctx_ != nullptr) {
            libusb_interrupt_event_handler(ctx_);
        }
        thread_.join();
    }
}

void HidConnection::close() {
    stop_reading();
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
        if (claimed_) {
            libusb_release_interface(handle_, ep_.interface);
            claimed_ = false;
        }
        if (detached_) {
            const int r = libusb_attach_kernel_driver(handle_, ep_.interface);
            if (r != LIBUSB_SUCCESS && r != LIBUSB_ERROR_NO_DEVICE) {
                logger()->warn("{}: cannot give the interface back to the kernel: {}", what_,
                               usb_error(r));
            }
            detached_ = false;
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
    ep_ = HidEndpoints{};
    on_report_ = nullptr;
    on_gone_ = nullptr;
}

} // namespace qv::input::usb
