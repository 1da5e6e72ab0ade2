// libFuzzer target: the .qvrec recording format (parse_recording over the whole text).

#include "input/recording.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto recording = qv::input::parse_recording(text, "fuzz.qvrec");
    if (recording) {
        // What the writer would make of it must be printable again.
        (void)qv::input::format_header(recording->header);
        for (const qv::Sample& s : recording->samples) {
            (void)qv::input::format_sample(s);
        }
    }
    return 0;
}
