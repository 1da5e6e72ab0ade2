# Included from input/CMakeLists.txt. Paths are relative to this file so it works wherever it is
# included from.

# qv_protocols: the pure, hardware-free protocol parsers and builders of the USB sensors (bytes
# in, samples or a typed error out). Only qv_core: no libusb, no threads, no files.
add_library(qv_protocols STATIC
    ${CMAKE_CURRENT_LIST_DIR}/drivers/open_sensor/protocol.cpp
    ${CMAKE_CURRENT_LIST_DIR}/drivers/godirect/protocol.cpp
    ${CMAKE_CURRENT_LIST_DIR}/drivers/phidget_bridge/protocol.cpp)
target_link_libraries(qv_protocols PUBLIC qv_core)
qv_target_defaults(qv_protocols)

# The recording format and the replay source are part of qv_input itself (the registry's replay
# row needs them): see input/CMakeLists.txt.
