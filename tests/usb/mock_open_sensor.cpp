#include "tests/usb/mock_open_sensor.hpp"

#include "input/drivers/open_sensor/protocol.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>
#include <umockdev.h>

namespace qv::test {

namespace {

constexpr std::uint8_t kEndpointIn = 0x81;

// The device as sysfs shows it: device descriptor (1209:0001, strings 1-3), one configuration
// with one HID interface (no boot protocol), its HID descriptor (report descriptor of 39 bytes)
// and one interrupt IN endpoint (wMaxPacketSize 16, bInterval 2 ms).
constexpr const char* kDevice = "P: /devices/usb1/1-1\n"
                                "N: bus/usb/001/002\n"
                                "E: SUBSYSTEM=usb\n"
                                "E: DEVTYPE=usb_device\n"
                                "E: DRIVER=usb\n"
                                "E: BUSNUM=001\n"
                                "E: DEVNUM=002\n"
                                "E: DEVNAME=/dev/bus/usb/001/002\n"
                                "E: PRODUCT=1209/1/100\n"
                                "A: busnum=1\\n\n"
                                "A: devnum=2\\n\n"
                                "A: speed=12\\n\n"
                                "A: bConfigurationValue=1\\n\n"
                                "A: idVendor=1209\\n\n"
                                "A: idProduct=0001\\n\n"
                                "H: descriptors="
                                "120100020000004009120100000101020301"
                                "09022200010100803209040000010300000009211101000122270007058103"
                                "100002\n";

std::int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

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

} // namespace

MockOpenSensor::MockOpenSensor(double rate_hz) : period_us_(1e6 / rate_hz) {
    testbed_ = umockdev_testbed_new();
    if (testbed_ == nullptr) {
        error_ = "umockdev_testbed_new failed";
        return;
    }
    handler_ = umockdev_ioctl_base_new();
    g_signal_connect(handler_, "handle-ioctl", reinterpret_cast<GCallback>(&handle_ioctl), this);
    GError* err = nullptr;
    // The handler first, so the node answers as soon as the device appears.
    if (!umockdev_testbed_attach_ioctl(testbed_, "/dev/bus/usb/001/002", handler_, &err)) {
        error_ = std::string("attach_ioctl: ") + (err != nullptr ? err->message : "?");
        g_clear_error(&err);
        return;
    }
    if (!umockdev_testbed_add_from_string(testbed_, kDevice, &err)) {
        error_ = std::string("add_from_string: ") + (err != nullptr ? err->message : "?");
        g_clear_error(&err);
        return;
    }
    ok_ = umockdev_in_mock_environment();
    if (!ok_) {
        error_ = "not in a umockdev environment (libumockdev-preload is not loaded)";
    }
}

MockOpenSensor::~MockOpenSensor() {
    if (testbed_ != nullptr) {
        umockdev_testbed_detach_ioctl(testbed_, "/dev/bus/usb/001/002", nullptr);
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

void MockOpenSensor::script(std::vector<DeviceEvent> events) {
    std::lock_guard lock(mutex_);
    for (DeviceEvent& e : events) {
        script_.push_back(std::move(e));
    }
}

bool MockOpenSensor::script_done() {
    std::lock_guard lock(mutex_);
    return script_.empty();
}

DeviceCounters MockOpenSensor::counters() {
    std::lock_guard lock(mutex_);
    return counters_;
}

int MockOpenSensor::handle_ioctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, void* self) {
    return static_cast<MockOpenSensor*>(self)->on_ioctl(client) ? 1 : 0;
}

bool MockOpenSensor::on_ioctl(UMockdevIoctlClient* client) {
    std::lock_guard lock(mutex_);
    const gulong request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
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
        if (unplugged_) {
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
        if (unplugged_) {
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
            // The kernel returns 1 when a driver bound to the interface (0: none wanted it).
            umockdev_ioctl_client_complete(client, 1, 0);
            return true;
        }
        return fail(ENOTTY);
    }
    case USBDEVFS_CLAIMINTERFACE:
        if (unplugged_) {
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
        if (unplugged_) {
            return fail(ENODEV);
        }
        counters_.claimed = false;
        ++counters_.releases;
        return succeed();
    case USBDEVFS_CLEAR_HALT:
        if (unplugged_) {
            return fail(ENODEV);
        }
        halted_ = false;
        ++counters_.clear_halts;
        return succeed();
    case USBDEVFS_SUBMITURB: {
        if (unplugged_) {
            return fail(ENODEV);
        }
        UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
        usbdevfs_urb* urb = urb_of(d);
        Urb u{d, 0, {}};
        if (urb->type == USBDEVFS_URB_TYPE_CONTROL && urb->buffer_length >= 8) {
            // In-process: the buffer is libusb's own memory, the setup packet is its first bytes.
            control_reply(static_cast<const std::uint8_t*>(urb->buffer), u);
            done_.push_back(std::move(u));
            return succeed();
        }
        if (urb->type == USBDEVFS_URB_TYPE_INTERRUPT && urb->endpoint == kEndpointIn) {
            if (halted_) {
                ++counters_.submits_while_halted;
            }
            if (in_flight_.empty() && next_step_us_ == 0) {
                next_step_us_ = now_us() + static_cast<std::int64_t>(period_us_);
            }
            in_flight_.push_back(std::move(u));
            counters_.max_in_flight =
                std::max(counters_.max_in_flight, static_cast<int>(in_flight_.size()));
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
                ++counters_.discards;
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

void MockOpenSensor::control_reply(const std::uint8_t* setup, Urb& urb) {
    const std::uint8_t type = setup[0];
    const std::uint8_t request = setup[1];
    const auto value = static_cast<std::uint16_t>(setup[2] | (setup[3] << 8));
    const auto length = static_cast<std::size_t>(setup[6] | (setup[7] << 8));
    std::vector<std::uint8_t> reply;
    if (type == 0x80 && request == 0x06 && (value >> 8) == 0x03) { // GET_DESCRIPTOR, string
        switch (value & 0xFF) {
        case 0:
            reply = {0x04, 0x03, 0x09, 0x04}; // English (US)
            break;
        case 1:
            reply = string_descriptor("Quadventure DIY");
            break;
        case 2:
            reply = string_descriptor(kProduct);
            break;
        case 3:
            reply = string_descriptor(kSerial);
            break;
        default:
            urb.status = -EPIPE;
            return;
        }
    } else if (type == 0xA1 && request == 0x01 && value == 0x0340) { // GET_REPORT feature 0x40
        input::open_sensor::Identity id;
        id.report_version = 1;
        id.firmware_major = 1;
        id.firmware_minor = 2;
        id.firmware_patch = 3;
        id.rate_hz = 500;
        id.capabilities = input::open_sensor::kCapForce | input::open_sensor::kCapAngle;
        id.full_scale_mn = 2'000'000;
        const auto bytes = input::open_sensor::encode_identity(id);
        reply.assign(bytes.begin(), bytes.end());
    } else {
        urb.status = -EPIPE;
        return;
    }
    if (reply.size() > length) {
        reply.resize(length);
    }
    urb.reply = std::move(reply);
}

// Takes one script step when one is due and an IN URB is waiting for it.
void MockOpenSensor::step_model() {
    if (in_flight_.empty() || script_.empty() || now_us() < next_step_us_) {
        return;
    }
    next_step_us_ += static_cast<std::int64_t>(period_us_);
    DeviceEvent e = std::move(script_.front());
    script_.pop_front();
    ++counters_.events_done;
    Urb u = std::move(in_flight_.front());
    in_flight_.pop_front();
    switch (e.kind) {
    case DeviceEvent::Kind::Bytes:
        u.reply = std::move(e.bytes);
        done_.push_back(std::move(u));
        break;
    case DeviceEvent::Kind::Stall:
        halted_ = true;
        u.status = -EPIPE;
        done_.push_back(std::move(u));
        break;
    case DeviceEvent::Kind::Error:
        u.status = -EPROTO;
        done_.push_back(std::move(u));
        break;
    case DeviceEvent::Kind::Unplug:
        // What the kernel does: the pending URB fails with -EPROTO, the rest with -ESHUTDOWN,
        // and every later submission with ENODEV.
        unplugged_ = true;
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

bool MockOpenSensor::reap(UMockdevIoctlClient* client, UMockdevIoctlData* arg) {
    step_model();
    if (done_.empty()) {
        umockdev_ioctl_client_complete(client, -1, unplugged_ ? ENODEV : EAGAIN);
        return true;
    }
    Urb u = std::move(done_.front());
    done_.pop_front();
    usbdevfs_urb* urb = urb_of(u.data);
    const bool control = urb->type == USBDEVFS_URB_TYPE_CONTROL;
    const std::size_t offset = control ? 8 : 0;
    const auto capacity = static_cast<std::size_t>(std::max(0, urb->buffer_length));
    std::size_t n = u.reply.size();
    if (offset + n > capacity) {
        n = capacity > offset ? capacity - offset : 0;
        u.status = u.status != 0 ? u.status : -EOVERFLOW;
    }
    if (n > 0) {
        std::memcpy(static_cast<std::uint8_t*>(urb->buffer) + offset, u.reply.data(), n);
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
