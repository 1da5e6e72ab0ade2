#pragma once
// Pieces that several screens draw: the backdrop, titles, key hints, rating and choice rows,
// avatars and stars.

#include "content/content.hpp"
#include "game/gfx.hpp"

#include <SDL.h>
#include <string>
#include <utility>
#include <vector>

namespace qv::game {

/// Sky, drifting clouds and rolling hills; `t` is seconds since the screen opened.
void draw_backdrop(Gfx& gfx, double t);
/// A title centred near the top, with an optional line below it.
void draw_title(Gfx& gfx, const std::string& title, const std::string& subtitle = {});
/// The bottom bar of key hints: {key, what it does}.
void draw_hints(Gfx& gfx, const std::vector<std::pair<std::string, std::string>>& hints);
/// A white card.
void draw_card(Gfx& gfx, float x, float y, float w, float h, bool highlighted = false);
/// An avatar drawn from its content description.
void draw_avatar(Gfx& gfx, const content::Avatar& avatar, float cx, float cy, float r);
/// `filled` of `total` stars centred at cx.
void draw_stars(Gfx& gfx, int filled, int total, float cx, float cy, float r);
/// A banner at the top for errors that must be seen (storage failed, sensor lost).
void draw_banner(Gfx& gfx, const std::string& message);

/// A 0..10 scale of tiles chosen with arrows, digits (0-9; 1 then 0 for ten) or a click.
class RatingRow {
  public:
    explicit RatingRow(int initial = -1) : value_(initial) {}
    /// Handles keys and clicks; true when used. Sets confirmed() on Enter with a value chosen.
    bool handle(const SDL_Event& e);
    void draw(Gfx& gfx, float y, const std::string& low_label, const std::string& high_label);
    int value() const { return value_; }
    bool confirmed() const { return confirmed_; }
    void reset(int value = -1) {
        value_ = value;
        confirmed_ = false;
    }

  private:
    int value_;
    bool confirmed_ = false;
    bool pending_one_ = false;
};

/// A row of labelled choices.
class ChoiceRow {
  public:
    explicit ChoiceRow(std::vector<std::string> labels, int initial = 0)
        : labels_(std::move(labels)), value_(initial) {}
    bool handle(const SDL_Event& e);
    void draw(Gfx& gfx, float y, float tile_w = 300, float tile_h = 110);
    int value() const { return value_; }
    bool confirmed() const { return confirmed_; }
    void reset() { confirmed_ = false; }

  private:
    std::vector<std::string> labels_;
    int value_;
    bool confirmed_ = false;
    float y_ = 0, tile_w_ = 0, tile_h_ = 0;
};

/// True for Enter and keypad Enter (Space is the push key, never a confirm).
bool is_confirm(const SDL_Event& e);
/// True for Escape.
bool is_back(const SDL_Event& e);

} // namespace qv::game
