#pragma once
// Pieces that several screens draw: the backdrop, titles, key hints, rating and choice rows,
// avatars and stars.

#include "content/content.hpp"
#include "game/gfx.hpp"

#include <SDL.h>
#include <string>
#include <utility> // std::exchange
#include <vector>

namespace qv::game {

/// Sky, drifting clouds and rolling hills; `t` is seconds since the screen opened.
void draw_backdrop(Gfx& gfx, double t);
/// A title centred near the top, with an optional line below it.
void draw_title(Gfx& gfx, const std::string& title, const std::string& subtitle = {});
/// The bottom bar of key hints: {key, what it does}. Each hint whose key is one key (Enter, Esc,
/// Tab, Space, a letter or digit) can be tapped; the InputMap turns the tap into that key.
void draw_hints(Gfx& gfx, const std::vector<std::pair<std::string, std::string>>& hints);
/// A white card.
void draw_card(Gfx& gfx, float x, float y, float w, float h, bool highlighted = false);
/// An avatar drawn from its content description.
void draw_avatar(Gfx& gfx, const content::Avatar& avatar, float cx, float cy, float r);
/// `filled` of `total` stars centred at cx.
void draw_stars(Gfx& gfx, int filled, int total, float cx, float cy, float r);
/// A banner at the top for errors that must be seen (storage failed, sensor lost).
void draw_banner(Gfx& gfx, const std::string& message);

/// A 0..10 scale of tiles chosen with arrows, digits (0-9; 1 then 0 for ten), a tap (a second
/// tap on the chosen tile confirms) or one-switch scanning (scan_next_event()).
class RatingRow {
  public:
    explicit RatingRow(int initial = -1) : value_(initial) {}
    /// Handles keys and clicks; true when used. Sets confirmed() on Enter with a value chosen.
    bool handle(const SDL_Event& e);
    void draw(Gfx& gfx, float y, const std::string& low_label, const std::string& high_label);
    int value() const { return value_; }
    /// True once after Enter confirmed a value (taking it, so a key-up or a second event in
    /// the same frame cannot act on it again).
    bool confirmed() { return std::exchange(confirmed_, false); }
    void reset(int value = -1) {
        value_ = value;
        confirmed_ = false;
    }

  private:
    int value_;
    bool confirmed_ = false;
    bool pending_one_ = false;
    bool drawn_ = false; ///< taps count only once the row is on screen (y_ known)
    float y_ = 0;
};

/// The game's own faces pain scale for children: six neutral drawn faces (no smiles, no tears)
/// scored 0, 2, 4, 6, 8, 10. Not the FPS-R or Wong-Baker faces, which may not be shipped.
class FacesRow {
  public:
    /// Handles arrows, digits (0, 2, 4, 6, 8, and 1 then 0 for ten) and clicks.
    bool handle(const SDL_Event& e);
    void draw(Gfx& gfx, float y, const std::string& low_label, const std::string& high_label);
    /// 0..10 in steps of 2, or -1 before a choice.
    int value() const { return index_ < 0 ? -1 : index_ * 2; }
    /// True once after a confirmed choice (see RatingRow::confirmed).
    bool confirmed() { return std::exchange(confirmed_, false); }
    void reset(int value = -1) {
        index_ = value < 0 ? -1 : value / 2;
        confirmed_ = false;
    }

  private:
    int index_ = -1;
    bool confirmed_ = false;
    bool pending_one_ = false;
    bool drawn_ = false;
    float y_ = 0;
};

/// One face of the faces scale, `level` 0..5 (how much it hurts), centred at cx, cy.
void draw_face(Gfx& gfx, int level, float cx, float cy, float r);

/// A 0..10 rating on the numeric scale for adults and the faces scale for children.
class PainScale {
  public:
    explicit PainScale(bool child) : child_(child) {}
    bool handle(const SDL_Event& e) { return child_ ? faces_.handle(e) : numbers_.handle(e); }
    void draw(Gfx& gfx, float y, const std::string& low_label, const std::string& high_label) {
        child_ ? faces_.draw(gfx, y, low_label, high_label)
               : numbers_.draw(gfx, y, low_label, high_label);
    }
    int value() const { return child_ ? faces_.value() : numbers_.value(); }
    bool confirmed() { return child_ ? faces_.confirmed() : numbers_.confirmed(); }
    void reset(int value = -1) { child_ ? faces_.reset(value) : numbers_.reset(value); }
    /// "qv_faces" or "nrs", as stored with the rating.
    std::string scale() const { return child_ ? "qv_faces" : "nrs"; }
    bool child() const { return child_; }

  private:
    bool child_;
    RatingRow numbers_;
    FacesRow faces_;
};

/// A row of labelled choices.
class ChoiceRow {
  public:
    explicit ChoiceRow(std::vector<std::string> labels, int initial = 0)
        : labels_(std::move(labels)), value_(initial) {}
    bool handle(const SDL_Event& e);
    void draw(Gfx& gfx, float y, float tile_w = 300, float tile_h = 110);
    int value() const { return value_; }
    /// True once after a confirmed choice (see RatingRow::confirmed).
    bool confirmed() { return std::exchange(confirmed_, false); }
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
/// The event one-switch scanning sends to move a row's highlight one step on (wrapping).
SDL_Event scan_next_event();
/// True for scan_next_event().
bool is_scan_next(const SDL_Event& e);
/// True for a left click or a tap (SDL turns a touchscreen tap into a left click).
bool is_tap(const SDL_Event& e);

} // namespace qv::game
