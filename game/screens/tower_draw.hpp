#pragma once
// Drawing of the tower game's world (the quad-set play screen draws its HUD on top): the building
// site's sky, the golden target band, the crane with its hook and load, the towers and the
// sparkles where a block lands.

#include "content/content.hpp"
#include "game/gfx.hpp"
#include "game/scene/tower_scene.hpp"

#include <string>

namespace qv::game {

/// What the play screen knows that the drawing needs besides the scene.
struct TowerWorldView {
    const content::GameTheme* theme = nullptr;  ///< colours; the default look when null
    double band_low_pct = 0, band_high_pct = 0; ///< the band as the rules have it now
    std::string band_label;                     ///< "20–30 %"
    bool holding = false;                       ///< in the hold phase
    bool in_band = false;                       ///< holding and inside the band
    double hold_progress = 0;                   ///< 0..1 of the hold time spent in the band
    double t_s = 0;                             ///< seconds since the screen opened
};

/// Draws the whole world of the tower game (everything under the HUD).
void draw_tower_world(Gfx& gfx, const TowerScene& scene, const TowerWorldView& view);

} // namespace qv::game
