# Included from input/CMakeLists.txt. Paths are relative to this file so it works wherever it is
# included from.

# qv_usb: the libusb drivers of the USB sensors (open, claim, transfers on an event thread), the
# shared HID connection they use (usb_hid) and USB presence/hot-plug (usb_watch, given ids, not the
# registry). The bytes are parsed by qv_protocols; libusb stays out of qv_input.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBUSB REQUIRED IMPORTED_TARGET GLOBAL libusb-1.0)

add_library(qv_usb STATIC
    ${CMAKE_CURRENT_LIST_DIR}/usb_hid.cpp
    ${CMAKE_CURRENT_LIST_DIR}/usb_watch.cpp
    ${CMAKE_CURRENT_LIST_DIR}/drivers/open_sensor/driver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/drivers/godirect/driver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/drivers/phidget_bridge/driver.cpp)
target_link_libraries(qv_usb PUBLIC qv_input qv_protocols PRIVATE PkgConfig::LIBUSB)
qv_target_defaults(qv_usb)
