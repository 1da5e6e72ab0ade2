#include "game/audio.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>

TEST_CASE("a cue is synthesised with the right length, loudness and pitch", "[audio]") {
    qv::content::SoundCue cue;
    cue.id = "test";
    cue.notes_hz = {440.0, 660.0};
    cue.note_s = 0.25;
    cue.volume = 0.5;
    cue.wave = "sine";
    const int rate = 44100;
    const auto pcm = qv::game::Audio::synthesize(cue, rate);
    REQUIRE(pcm.size() == static_cast<std::size_t>(2 * 0.25 * rate));
    const auto peak = std::abs(static_cast<int>(*std::max_element(
        pcm.begin(), pcm.end(), [](auto a, auto b) { return std::abs(a) < std::abs(b); })));
    CHECK(peak <= 16000);
    CHECK(peak > 8000);
    // Count rising zero crossings in the first note: ~440 per second.
    const std::size_t n = pcm.size() / 2;
    int crossings = 0;
    for (std::size_t i = 1; i < n; ++i) {
        if (pcm[i - 1] < 0 && pcm[i] >= 0) {
            ++crossings;
        }
    }
    CHECK(std::abs(crossings - 110) <= 2); // 440 Hz for 0.25 s
}

TEST_CASE("a silent or empty cue gives silence, never garbage", "[audio]") {
    qv::content::SoundCue cue;
    cue.notes_hz = {440.0};
    cue.note_s = 0.1;
    cue.volume = 0.0;
    const auto pcm = qv::game::Audio::synthesize(cue, 8000);
    CHECK(std::all_of(pcm.begin(), pcm.end(), [](auto s) { return s == 0; }));
    cue.notes_hz.clear();
    CHECK(qv::game::Audio::synthesize(cue, 8000).empty());
}
