#pragma once
// What every screen gets: content, storage, input, audio, the screen stack and the state of the
// session being played. Passed by reference; there are no singletons.

#include "content/content.hpp"
#include "core/clock.hpp"
#include "engine/staircase.hpp"
#include "input/calibration.hpp"
#include "input/drivers/simulator/patient_model.hpp"
#include "input/hub.hpp"
#include "input/registry.hpp"
#include "profiles/storage_worker.hpp"
#include "profiles/store.hpp"

#include <fmt/format.h>
#include <future>
#include <optional>
#include <string>
#include <vector>

namespace qv::game {

class Audio;
class Kiosk;
class ScreenStack;

/// What has been decided so far about the session in progress.
struct SessionDraft {
    std::string exercise = "quad_set"; ///< "quad_set" or "squat": what today's session trains
    std::string game = "balloon";      ///< the game (GameTheme id) the player chose
    int pain_before = -1;
    std::string pain_scale = "nrs"; ///< "qv_faces" for children
    std::string morning_vs_usual;
    std::string driver_id; ///< chosen source
    std::optional<profiles::CalibrationRecord> calibration;
    std::string level_id;          ///< the ladder level the plan started from (a label)
    QuadSetDose dose;              ///< today's dose, from the plan (outer loop)
    std::string plan_reason;       ///< why today's dose is what it is
    bool plan_locked = false;      ///< progression paused: contact the clinician
    engine::StaircaseParams stair; ///< the inner loop's bounds for today
    engine::StaircaseState stair_state;
    std::int64_t session_id = 0; ///< once play has begun
    std::vector<QuadSetRepScore> reps;
    SquatDose squat_dose; ///< today's squat dose (exercise "squat")
    SquatMode squat_mode = SquatMode::KneeAngle;
    /// Force-pad squat modes: the body weight the shares refer to, newtons (0 until weighed; the
    /// keyboard's full effort when the keyboard stands in for the pad).
    double squat_body_weight_n = 0;
    /// Force-pad squat modes: the pad's zero taken with nobody on it, newtons.
    double squat_pad_zero_n = 0;
    std::vector<SquatRepScore> squat_reps; ///< scored squats of this session
    /// The squat inner loop (corridor, tempo tolerance) for today, when the plan set it.
    std::optional<engine::SquatStaircaseParams> squat_stair;
    engine::SquatStaircaseState squat_stair_state;
    int stars = 0;
    int sets_done = 0;
    bool stopped_for_pain = false;
    bool ended_by_player = false;
    bool stopped_red_flag = false;   ///< "my knee gave way" during play
    bool red_flag_emergency = false; ///< a check-in answer calls for emergency services
    std::string stop_message;
    int pain_after = -1;
    int effort_rating = -1;
    /// Set commits not yet confirmed by the storage thread.
    std::vector<std::future<Result<std::int64_t>>> pending_commits;
};

/// Shared state of the running game.
struct Context {
    const content::Content& content;
    profiles::Store& store;          ///< read connection (and small writes at screen changes)
    profiles::StorageWorker& worker; ///< set commits, off the render thread
    input::InputHub& input;
    input::DriverContext drivers;
    Audio& audio;
    ScreenStack& screens;
    const Clock& clock;
    bool realtime = true; ///< false in the accelerated headless demo

    std::optional<profiles::Profile> profile;
    SessionDraft draft;
    std::string storage_error; ///< shown in a banner when a write failed
    bool quit = false;
    /// The waiting-room kiosk when it is on (docs/kiosk.md); null at home.
    Kiosk* kiosk = nullptr;

    /// Player-facing text by key (all text lives in content/data/texts).
    std::string t(const std::string& key) const { return content.text(key); }
    /// Text with {} placeholders filled in.
    template <typename... Args> std::string tf(const std::string& key, Args&&... args) const {
        try {
            return fmt::format(fmt::runtime(content.text(key)), std::forward<Args>(args)...);
        } catch (const fmt::format_error&) {
            return "[" + key + "]";
        }
    }
    /// Starts the driver with this registry id as the active source; false when it failed.
    bool use_source(const std::string& driver_id);
};

/// Tells the virtual patient (when it is the active source) what the screen asks for now.
void set_patient_cue(Context& ctx, const input::PatientCue& cue);
/// True when the keyboard is the active source.
bool source_is_keyboard(const Context& ctx);
/// The keyboard source's effort (0..1), 0 when another source is active.
double keyboard_effort(const Context& ctx);

} // namespace qv::game
