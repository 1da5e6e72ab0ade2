#pragma once
// Sound cues, synthesised at start-up from content (notes, length, wave) and played through
// SDL2_mixer. Without an audio device the game runs silently and says so once in the log.

#include "content/content.hpp"

#include <SDL_mixer.h>
#include <map>
#include <string>
#include <vector>

namespace qv::game {

/// Owns the mixer device and the synthesised chunks.
class Audio {
  public:
    explicit Audio(const std::vector<content::SoundCue>& cues);
    ~Audio();
    Audio(const Audio&) = delete;
    Audio& operator=(const Audio&) = delete;

    /// Plays a cue by id; unknown ids and a missing device are ignored.
    void play(const std::string& id);
    bool available() const { return open_; }
    /// How many times each cue was asked for (the headless demo reports this).
    const std::map<std::string, int>& played() const { return played_; }

    /// 16-bit mono PCM for one cue at `rate` (exposed for tests).
    static std::vector<std::int16_t> synthesize(const content::SoundCue& cue, int rate);

  private:
    struct Chunk {
        std::vector<std::int16_t> pcm;
        Mix_Chunk* chunk = nullptr;
    };
    bool open_ = false;
    int rate_ = 44100;
    std::map<std::string, Chunk> chunks_;
    std::map<std::string, int> played_;
};

} // namespace qv::game
