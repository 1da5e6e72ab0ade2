#include "tests/usb/mock_hid.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fmt/format.h>
#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>
#include <umockdev.h>

namespace qv::test {

namespace {

constexpr const char* kNode = "/dev/bus/usb/001/002";
constexpr std::uint8_t kEndpointIn = 0x81;
constexpr std::uint8_t kEndpointOut = 0x02;

std::vector<std::uint8_t> string_descriptor(const std::string& text) {
    std::vector<std::uint8_t> d{static_cast<std::uint8_t>(2 + 2 * text.size()), 0x03};
    for (char c : text) {
        d.push_back(static_cast<std::uint8_t>(c));
        d.push_back(0);
    }
    return d;
}

usbdevfs_urb* urb_of(UMockdevIoctlData* data) {
    return reinterpret_cast<usbdevfs_urb*>(data->data);
}

std::string hex(const std::vector<std::uint8_t>& b) {
    std::string s;
    for (std::uint8_t x : b) {
        s += fmt::format("{:02x}", x);
    }
    return s;
}

void le16(std::vector<std::uint8_t>& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v & 0xFF));
    b.push_back(static_cast<std::uint8_t>(v >> 8));
}

} // namespace

std::string hid_device_description(const HidDeviceSpec& spec, int devnum, const std::string& port) {
    std::vector<std::uint8_t> d{0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40};
    le16(d, spec.vendor);
    le16(d, spec.product);
    d.insert(d.end(), {0x00, 0x01, 0x01, 0x02, 0x03, 0x01});
    const bool out = spec.out_size > 0;
    const auto total = static_cast<std::uint16_t>(9 + 9 + 9 + 7 + (out ? 7 : 0));
    d.insert(d.end(), {0x09, 0x02});
    le16(d, total);
    d.insert(d.end(), {0x01, 0x01, 0x00, 0x80, 0x32});
    d.insert(d.end(), {0x09, 0x04, 0x00, 0x00, static_cast<std::uint8_t>(out ? 2 : 1), 0x03, 0x00,
                       0x00, 0x00});
    d.insert(d.end(), {0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22});
    le16(d, spec.report_descriptor_size);
    d.insert(d.end(), {0x07, 0x05, kEndpointIn, 0x03});
    le16(d, spec.in_size);
    d.push_back(spec.interval_ms);
    if (out) {
        d.insert(d.end(), {0x07, 0x05, kEndpointOut, 0x03});
        le16(d, spec.out_size);
        d.push_back(spec.interval_ms);
    }
    return fmt::format("P: /devices/usb1/{4}\n"
                       "N: bus/usb/001/{0:03d}\n"
                       "E: SUBSYSTEM=usb\n"
                       "E: DEVTYPE=usb_device\n"
                       "E: DRIVER=usb\n"
                       "E: BUSNUM=001\n"
                       "E: DEVNUM={0:03d}\n"
                       "E: DEVNAME=/dev/bus/usb/001/{0:03d}\n"
                       "E: PRODUCT={1:x}/{2:x}/100\n"
                       "A: busnum=1\\n\n"
                       "A: devnum={0}\\n\n"
                       "A: speed=12\\n\n"
                       "A: bConfigurationValue=1\\n\n"
                       "A: idVendor={1:04x}\\n\n"
                       "A: idProduct={2:04x}\\n\n"
                       "H: descriptors={3}\n",
                       devnum, spec.vendor, spec.product, hex(d), port);
}

std::int64_t MockHidDevice::now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

MockHidDevice::MockHidDevice(HidDeviceSpec spec) : spec_(std::move(spec)) {
    testbed_ = umockdev_testbed_new();
    if (testbed_ == nullptr) {
        error_ = "umockdev_testbed_new failed";
        return;
    }
    handler_ = umockdev_ioctl_base_new();
    g_signal_connect(handler_, "handle-ioctl", reinterpret_cast<GCallback>(&handle_ioctl), this);
    GError* err = nullptr;
    if (!umockdev_testbed_attach_ioctl(testbed_, kNode, handler_, &err)) {
        error_ = std::string("attach_ioctl: ") + (err != nullptr ? err->message : "?");
        g_clear_error(&err);
        return;
    }
    if (!umockdev_testbed_add_from_string(testbed_, hid_device_description(spec_, 2).c_str(),
                                          &err)) {
        error_ = std::string("add_from_string: ") + (err != nullptr ? err->message : "?");
        g_clear_error(&err);
        return;
    }
    ok_ = umockdev_in_mock_environment();
    if (!ok_) {
        error_ = "not in a umockdev environment (libumockdev-preload is not loaded)";
    }
}

MockHidDevice::~MockHidDevice() {
    if (testbed_ != nullptr) {
        umockdev_testbed_detach_ioctl(testbed_, kNode, nullptr);
    }
    {
        std::lock_guard lock(mutex_);
        for (Urb& u : in_flight_) {
            umockdev_ioctl_data_unref(u.data);
        }
        for (Urb& u : done_) {
            umockdev_ioctl_data_unref(u.data);
        }
        in_flight_.clear();
        done_.clear();
    }
    if (handler_ != nullptr) {
        g_object_unref(handler_);
    }
    if (testbed_ != nullptr) {
        g_object_unref(testbed_);
    }
}

HidCounters MockHidDevice::counters() {
    std::lock_guard lock(mutex_);
    return counters_;
}

void MockHidDevice::queue(std::vector<InEvent> events) {
    std::lock_guard lock(mutex_);
    for (InEvent& e : events) {
        in_events_.push_back(std::move(e));
    }
}

bool MockHidDevice::idle() {
    std::lock_guard lock(mutex_);
    return in_events_.empty();
}

void MockHidDevice::fault_at(int index, InEvent event) {
    std::lock_guard lock(mutex_);
    faults_.emplace(index, std::move(event));
}

void MockHidDevice::set_max_reports(int n) {
    std::lock_guard lock(mutex_);
    max_reports_ = n;
}

int MockHidDevice::reports_sent() {
    std::lock_guard lock(mutex_);
    return sent_;
}

void MockHidDevice::start_stream(std::int64_t period_us) {
    streaming_ = true;
    period_us_ = std::max<std::int64_t>(1, period_us);
    next_due_us_ = now_us() + period_us_;
}

void MockHidDevice::replug() {
    std::lock_guard lock(mutex_);
    counters_.unplugged = false;
    counters_.kernel_driver_bound = true;
    counters_.claimed = false;
    halted_ = false;
    streaming_ = false;
    in_events_.clear();
    faults_.clear();
    sent_ = 0;
    max_reports_ = -1;
    on_replug();
}

int MockHidDevice::handle_ioctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, void* self) {
    return static_cast<MockHidDevice*>(self)->on_ioctl(client) ? 1 : 0;
}

bool MockHidDevice::on_ioctl(UMockdevIoctlClient* client) {
    std::lock_guard lock(mutex_);
    const gulong request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
    const bool gone = counters_.unplugged;
    auto fail = [client](int err) {
        umockdev_ioctl_client_complete(client, -1, err);
        return true;
    };
    auto succeed = [client]() {
        umockdev_ioctl_client_complete(client, 0, 0);
        return true;
    };

    switch (request) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(std::uint32_t), nullptr);
        const std::uint32_t caps = USBDEVFS_CAP_REAP_AFTER_DISCONNECT |
                                   USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_ZERO_PACKET;
        std::memcpy(d->data, &caps, sizeof caps);
        umockdev_ioctl_data_unref(d);
        return succeed();
    }
    case USBDEVFS_GETDRIVER: {
        if (gone) {
            return fail(ENODEV);
        }
        if (!counters_.kernel_driver_bound) {
            return fail(ENODATA);
        }
        UMockdevIoctlData* d =
            umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_getdriver), nullptr);
        auto* gd = reinterpret_cast<usbdevfs_getdriver*>(d->data);
        std::memset(gd->driver, 0, sizeof gd->driver);
        std::strcpy(gd->driver, "usbhid");
        umockdev_ioctl_data_unref(d);
        return succeed();
    }
    case USBDEVFS_IOCTL: {
        if (gone) {
            return fail(ENODEV);
        }
        UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_ioctl), nullptr);
        const auto code = static_cast<unsigned long>(
            static_cast<unsigned>(reinterpret_cast<usbdevfs_ioctl*>(d->data)->ioctl_code));
        umockdev_ioctl_data_unref(d);
        if (code == USBDEVFS_DISCONNECT) {
            if (!counters_.kernel_driver_bound) {
                return fail(ENODATA);
            }
            counters_.kernel_driver_bound = false;
            ++counters_.detaches;
            return succeed();
        }
        if (code == USBDEVFS_CONNECT) {
            if (counters_.claimed) {
                return fail(EBUSY);
            }
            counters_.kernel_driver_bound = true;
            ++counters_.attaches;
            umockdev_ioctl_client_complete(client, 1, 0);
            return true;
        }
        return fail(ENOTTY);
    }
    case USBDEVFS_CLAIMINTERFACE:
        if (gone) {
            return fail(ENODEV);
        }
        if (counters_.kernel_driver_bound) {
            ++counters_.busy_claims;
            return fail(EBUSY);
        }
        counters_.claimed = true;
        ++counters_.claims;
        return succeed();
    case USBDEVFS_RELEASEINTERFACE:
        if (gone) {
            return fail(ENODEV);
        }
        counters_.claimed = false;
        ++counters_.releases;
        return succeed();
    case USBDEVFS_CLEAR_HALT:
        if (gone) {
            return fail(ENODEV);
        }
        halted_ = false;
        ++counters_.clear_halts;
        return succeed();
    case USBDEVFS_SUBMITURB: {
        if (gone) {
            return fail(ENODEV);
        }
        UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
        usbdevfs_urb* urb = urb_of(d);
        Urb u{d, 0, {}};
        const auto length = static_cast<std::size_t>(std::max(0, urb->buffer_length));
        const auto* buffer = static_cast<const std::uint8_t*>(urb->buffer);
        if (urb->type == USBDEVFS_URB_TYPE_CONTROL && length >= 8) {
            control(buffer, buffer + 8, length - 8, u);
            done_.push_back(std::move(u));
            return succeed();
        }
        if (urb->type == USBDEVFS_URB_TYPE_INTERRUPT && urb->endpoint == kEndpointIn) {
            in_flight_.push_back(std::move(u));
            counters_.max_in_flight =
                std::max(counters_.max_in_flight, static_cast<int>(in_flight_.size()));
            return succeed();
        }
        if (urb->type == USBDEVFS_URB_TYPE_INTERRUPT && urb->endpoint == kEndpointOut &&
            spec_.out_size > 0) {
            ++counters_.out_reports;
            on_out_report(std::vector<std::uint8_t>(buffer, buffer + length));
            u.reply.assign(length, 0); // "sent": actual_length = the whole buffer
            u.status = 1;              // marks an OUT completion for reap()
            done_.push_back(std::move(u));
            return succeed();
        }
        umockdev_ioctl_data_unref(d);
        return fail(EINVAL);
    }
    case USBDEVFS_DISCARDURB: {
        const auto addr = reinterpret_cast<gulong>(*reinterpret_cast<void**>(arg->data));
        for (auto it = in_flight_.begin(); it != in_flight_.end(); ++it) {
            if (it->data->client_addr == addr) {
                Urb u = std::move(*it);
                in_flight_.erase(it);
                u.status = -ENOENT;
                u.reply.clear();
                done_.push_back(std::move(u));
                return succeed();
            }
        }
        return fail(EINVAL);
    }
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY:
        return reap(client, arg);
    default:
        return false;
    }
}

void MockHidDevice::control(const std::uint8_t* setup, const std::uint8_t* data,
                            std::size_t data_len, Urb& urb) {
    const std::uint8_t type = setup[0];
    const std::uint8_t request = setup[1];
    const auto value = static_cast<std::uint16_t>(setup[2] | (setup[3] << 8));
    const auto length = static_cast<std::size_t>(setup[6] | (setup[7] << 8));
    std::vector<std::uint8_t> reply;
    if (type == 0x80 && request == 0x06 && (value >> 8) == 0x03) { // GET_DESCRIPTOR, string
        switch (value & 0xFF) {
        case 0:
            reply = {0x04, 0x03, 0x09, 0x04};
            break;
        case 1:
            reply = string_descriptor(spec_.manufacturer);
            break;
        case 2:
            reply = string_descriptor(spec_.product_name);
            break;
        case 3:
            reply = string_descriptor(spec_.serial);
            break;
        default:
            urb.status = -EPIPE;
            return;
        }
        if (reply.size() > length) {
            reply.resize(length);
        }
        urb.reply = std::move(reply);
        return;
    }
    if (type == 0x21 && request == 0x09 && (value >> 8) == 0x02) { // SET_REPORT, output
        ++counters_.set_reports;
        const std::size_t n = std::min(length, data_len);
        on_out_report(std::vector<std::uint8_t>(data, data + n));
        urb.reply.assign(n, 0);
        urb.status = 1; // an OUT data stage: nothing to copy back
        return;
    }
    urb.status = -EPIPE;
}

// Takes the due IN events (the model's stream first) and completes waiting IN URBs with them.
void MockHidDevice::step() {
    const std::int64_t now = now_us();
    while (streaming_ && now >= next_due_us_ && (max_reports_ < 0 || sent_ < max_reports_) &&
           in_events_.size() < 64) {
        auto [first, last] = faults_.equal_range(sent_);
        for (auto it = first; it != last; ++it) {
            in_events_.push_back(it->second);
        }
        faults_.erase(first, last);
        in_events_.push_back(InEvent{InEvent::Kind::Bytes, stream_report(sent_), 0});
        ++sent_;
        next_due_us_ += period_us_;
    }
    while (!in_flight_.empty() && !in_events_.empty() && in_events_.front().due_us <= now &&
           !counters_.unplugged) {
        InEvent e = std::move(in_events_.front());
        in_events_.pop_front();
        Urb u = std::move(in_flight_.front());
        in_flight_.pop_front();
        switch (e.kind) {
        case InEvent::Kind::Bytes:
            u.reply = std::move(e.bytes);
            done_.push_back(std::move(u));
            break;
        case InEvent::Kind::Stall:
            halted_ = true;
            u.status = -EPIPE;
            done_.push_back(std::move(u));
            break;
        case InEvent::Kind::Error:
            u.status = -EPROTO;
            done_.push_back(std::move(u));
            break;
        case InEvent::Kind::Unplug:
            counters_.unplugged = true;
            streaming_ = false;
            u.status = -EPROTO;
            done_.push_back(std::move(u));
            while (!in_flight_.empty()) {
                Urb rest = std::move(in_flight_.front());
                in_flight_.pop_front();
                rest.status = -ESHUTDOWN;
                done_.push_back(std::move(rest));
            }
            break;
        }
    }
}

bool MockHidDevice::reap(UMockdevIoctlClient* client, UMockdevIoctlData* arg) {
    step();
    if (done_.empty()) {
        umockdev_ioctl_client_complete(client, -1, counters_.unplugged ? ENODEV : EAGAIN);
        return true;
    }
    Urb u = std::move(done_.front());
    done_.pop_front();
    usbdevfs_urb* urb = urb_of(u.data);
    const bool control = urb->type == USBDEVFS_URB_TYPE_CONTROL;
    const std::size_t offset = control ? 8 : 0;
    const auto capacity = static_cast<std::size_t>(std::max(0, urb->buffer_length));
    std::size_t n = u.reply.size();
    if (u.status == 1) { // OUT: the host's bytes were taken, nothing to copy
        u.status = 0;
    } else {
        if (offset + n > capacity) {
            n = capacity > offset ? capacity - offset : 0;
            u.status = u.status != 0 ? u.status : -EOVERFLOW;
        }
        if (n > 0) {
            std::memcpy(static_cast<std::uint8_t*>(urb->buffer) + offset, u.reply.data(), n);
        }
    }
    urb->actual_length = static_cast<int>(n);
    urb->status = u.status;
    UMockdevIoctlData* ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(void*), nullptr);
    umockdev_ioctl_data_set_ptr(ptr, 0, u.data);
    umockdev_ioctl_client_complete(client, 0, 0);
    umockdev_ioctl_data_unref(ptr);
    umockdev_ioctl_data_unref(u.data);
    return true;
}

} // namespace qv::test
