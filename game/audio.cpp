#include "game/audio.hpp"

#include "core/log.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace qv::game {

std::vector<std::int16_t> Audio::synthesize(const content::SoundCue& cue, int rate) {
    const auto per_note = static_cast<std::size_t>(std::max(0.0, cue.note_s) * rate);
    std::vector<std::int16_t> pcm;
    pcm.reserve(per_note * cue.notes_hz.size());
    const double attack = 0.01 * rate;
    for (double hz : cue.notes_hz) {
        for (std::size_t i = 0; i < per_note; ++i) {
            const double t = static_cast<double>(i) / rate;
            const double phase = std::fmod(t * hz, 1.0);
            double s = cue.wave == "triangle" ? 4.0 * std::abs(phase - 0.5) - 1.0
                                              : std::sin(2 * std::numbers::pi * phase);
            // Soft attack, exponential release: a bell rather than a beep.
            const double env =
                std::min(1.0, static_cast<double>(i) / attack) *
                std::exp(-3.0 * static_cast<double>(i) / static_cast<double>(per_note));
            s *= env * std::clamp(cue.volume, 0.0, 1.0);
            pcm.push_back(static_cast<std::int16_t>(std::lround(s * 32000.0)));
        }
    }
    return pcm;
}

Audio::Audio(const std::vector<content::SoundCue>& cues) {
    if (Mix_OpenAudio(rate_, AUDIO_S16SYS, 1, 1024) != 0) {
        log::get("audio")->warn("no audio device ({}); cues are shown on screen only",
                                Mix_GetError());
        return;
    }
    open_ = true;
    for (const auto& cue : cues) {
        Chunk c;
        c.pcm = synthesize(cue, rate_);
        c.chunk = Mix_QuickLoad_RAW(reinterpret_cast<Uint8*>(c.pcm.data()),
                                    static_cast<Uint32>(c.pcm.size() * sizeof(std::int16_t)));
        chunks_[cue.id] = std::move(c);
    }
}

Audio::~Audio() {
    if (!open_) {
        return;
    }
    Mix_HaltChannel(-1);
    for (auto& [id, c] : chunks_) {
        Mix_FreeChunk(c.chunk);
    }
    Mix_CloseAudio();
}

void Audio::play(const std::string& id) {
    ++played_[id];
    if (!open_) {
        return;
    }
    if (auto it = chunks_.find(id); it != chunks_.end() && it->second.chunk != nullptr) {
        Mix_PlayChannel(-1, it->second.chunk, 0);
    }
}

} // namespace qv::game
