#include "game/rules/squat.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

// Timing model (as in quadset.cpp). Time comes only from the readings. Timed phase ends
// (countdowns, rests, a rep's timeout, the paced window of the load-share mode) are computed
// exactly from the phase start and processed before the reading that follows them. Corridor time
// is credited with a zero-order hold: the corridor state of one reading holds until the next.
// A squat's start and end come from the signal; their times are interpolated between the two
// readings that straddle the threshold.
//
// Alignment. In knee-angle mode the trajectory starts moving when the Rep phase begins (the cue)
// and the screen shows it on that clock (rep_time_s()), but a person starts a little later. Once
// the squat is detected (flexion rises past start_deg) the rules score against the trajectory
// shifted so that its own crossing of start_deg coincides with the detected crossing: reaction
// time is not tracking error. Corridor time, RMSE and the measured phase durations all use the
// aligned trajectory; the display is never moved back (a person who tracks what they see would
// otherwise fall behind by their reaction time a second time).

namespace qv::rules {

namespace {

constexpr Micros kNever = std::numeric_limits<Micros>::max();

Micros to_us(double seconds) {
    return static_cast<Micros>(std::llround(std::max(0.0, seconds) * 1e6));
}

double to_s(Micros us) {
    return static_cast<double>(us) / 1e6;
}

// Minimum-jerk position profile: 0 -> 1 with zero velocity and acceleration at both ends
// (clamped: rounding near 1 must never take a target past the depth, and so past a cap).
double min_jerk(double tau) {
    const double x = std::clamp(tau, 0.0, 1.0);
    return std::clamp(x * x * x * (10.0 - 15.0 * x + 6.0 * x * x), 0.0, 1.0);
}

// Inverse of min_jerk on [0, 1] by bisection (it is monotonic).
double min_jerk_inverse(double s) {
    if (s <= 0)
        return 0;
    if (s >= 1)
        return 1;
    double lo = 0;
    double hi = 1;
    for (int i = 0; i < 60; ++i) {
        const double mid = 0.5 * (lo + hi);
        (min_jerk(mid) < s ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

double safe_div(double a, double b) {
    return b > 0 ? a / b : 1.0;
}

bool positive(double v) {
    return std::isfinite(v) && v > 0;
}

// Centred moving average over `window_s` (by time) of the points' values.
std::vector<double> smooth(const std::vector<std::pair<double, double>>& pts, double window_s) {
    std::vector<double> out(pts.size());
    const double half = 0.5 * std::max(0.0, window_s);
    std::size_t lo = 0;
    std::size_t hi = 0;
    double sum = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        while (hi < pts.size() && pts[hi].first <= pts[i].first + half)
            sum += pts[hi++].second;
        while (lo < hi && pts[lo].first < pts[i].first - half)
            sum -= pts[lo++].second;
        out[i] = sum / static_cast<double>(hi - lo);
    }
    return out;
}

} // namespace

// ---- trajectory ---------------------------------------------------------------------------

SquatTrajectory::SquatTrajectory(const SquatDose& dose, SquatMode mode, double load_target_pct,
                                 double cap_clearance_deg)
    : mode_(mode), load_target_(load_target_pct) {
    const auto clean = [](double v) { return std::isfinite(v) ? std::max(0.0, v) : 0.0; };
    const double cap = clean(dose.depth_cap_deg);
    // Aim a little below the cap, so that ordinary tracking and sensor noise at the bottom do
    // not cross it; but never give up more than half of a small cap.
    const double clearance = std::min(clean(cap_clearance_deg), 0.5 * cap);
    depth_ = std::min(clean(dose.depth_deg), cap - clearance);
    down_s_ = clean(dose.down_s);
    pause_s_ = clean(dose.pause_s);
    up_s_ = clean(dose.up_s);
}

double SquatTrajectory::depth_profile_at(double t_s) const {
    if (!(t_s > 0))
        return mode_ == SquatMode::SitToStand ? 1.0 : 0.0;
    if (mode_ == SquatMode::SitToStand) {
        // seated -> standing (up_s), standing (pause_s), -> seated (down_s)
        if (t_s < up_s_)
            return 1.0 - min_jerk(t_s / up_s_);
        if (t_s < up_s_ + pause_s_)
            return 0.0;
        return min_jerk(safe_div(t_s - up_s_ - pause_s_, down_s_));
    }
    if (t_s < down_s_)
        return min_jerk(t_s / down_s_);
    if (t_s < down_s_ + pause_s_)
        return 1.0;
    return 1.0 - min_jerk(safe_div(t_s - down_s_ - pause_s_, up_s_));
}

double SquatTrajectory::target_at(double t_s) const {
    return mode_ == SquatMode::KneeAngle ? angle_at(t_s) : load_target_;
}

TrajectoryPhase SquatTrajectory::phase_at(double t_s) const {
    const double t = std::max(0.0, t_s);
    const bool sit = mode_ == SquatMode::SitToStand;
    const double first = sit ? up_s_ : down_s_;
    if (t >= duration_s())
        return TrajectoryPhase::Done;
    if (t < first)
        return sit ? TrajectoryPhase::Up : TrajectoryPhase::Down;
    if (t < first + pause_s_)
        return TrajectoryPhase::Pause;
    return sit ? TrajectoryPhase::Down : TrajectoryPhase::Up;
}

double SquatTrajectory::time_down_to(double deg) const {
    if (!(deg > 0) || !(depth_ > 0))
        return 0;
    return down_s_ * min_jerk_inverse(deg / depth_);
}

double SquatTrajectory::time_up_to(double deg) const {
    if (!(deg > 0) || !(depth_ > 0))
        return duration_s();
    return down_s_ + pause_s_ + up_s_ * min_jerk_inverse(1.0 - std::min(1.0, deg / depth_));
}

// ---- session ------------------------------------------------------------------------------

SquatSession::SquatSession(const SquatDose& dose, SquatMode mode, const SquatRuleParams& params)
    : dose_(dose), mode_(mode), p_(params),
      traj_(dose, mode, params.load_target_pct, params.cap_clearance_deg) {
    stop_reasons_.resize(static_cast<std::size_t>(std::max(0, dose_.sets)));
    if (dose_.sets <= 0 || dose_.reps <= 0 || !(traj_.duration_s() > 0))
        phase_ = SquatPhase::Done; // nothing prescribed: nothing to play
}

double SquatSession::start_deg() const {
    // A shallow capped squat must still be detectable: never above half the depth.
    return std::min(p_.start_deg, 0.5 * traj_.depth_deg());
}

double SquatSession::top_deg() const {
    return std::min(p_.top_deg, 0.4 * traj_.depth_deg());
}

void SquatSession::update(Micros t_us, double value) {
    if (!std::isfinite(value)) {
        ++rejected_;
        return;
    }
    if (!started_) {
        // The first reading starts the clock; whatever phase we are in starts now.
        started_ = true;
        now_ = t_us;
        last_t_ = t_us;
        phase_start_ = t_us;
        last_value_ = value;
        ema_ = value;
        ema_init_ = true;
        if (phase_ != SquatPhase::Done)
            check_cap(value);
        return;
    }
    if (t_us < last_t_ || phase_ == SquatPhase::Done)
        return;
    if (mode_ != SquatMode::KneeAngle) {
        const double dt = to_s(t_us - last_t_);
        const double alpha = p_.load_smooth_s > 0 ? 1.0 - std::exp(-dt / p_.load_smooth_s) : 1.0;
        ema_ = ema_init_ ? ema_ + (value - ema_) * alpha : value;
        ema_init_ = true;
    }
    advance_to(t_us);
    check_cap(value);
    if (phase_ == SquatPhase::Rep) {
        switch (mode_) {
        case SquatMode::KneeAngle:
            apply_knee(t_us, value);
            break;
        case SquatMode::LoadShare:
            apply_load(t_us, value);
            break;
        case SquatMode::SitToStand:
            apply_sit(t_us, value);
            break;
        }
    }
    now_ = std::max(now_, t_us);
    last_t_ = t_us;
    last_value_ = value;
}

Micros SquatSession::phase_end() const {
    switch (phase_) {
    case SquatPhase::GetReady:
        return phase_start_ + to_us(p_.get_ready_s);
    case SquatPhase::Rest:
        return phase_start_ + to_us(dose_.rest_s);
    case SquatPhase::SetRest:
        return phase_start_ + to_us(dose_.set_rest_s);
    case SquatPhase::Rep:
        if (mode_ == SquatMode::LoadShare)
            return phase_start_ + to_us(traj_.duration_s()); // paced by the game
        return phase_start_ +
               to_us(traj_.duration_s() * p_.rep_timeout_factor + p_.rep_timeout_grace_s);
    case SquatPhase::Done:
        break;
    }
    return kNever;
}

bool SquatSession::counting() const {
    if (phase_ != SquatPhase::Rep)
        return false;
    switch (mode_) {
    case SquatMode::KneeAngle:
        return detected_;
    case SquatMode::LoadShare:
        return true;
    case SquatMode::SitToStand:
        return sit_ == SitState::Standing;
    }
    return false;
}

void SquatSession::advance_to(Micros t_us) {
    while (phase_ != SquatPhase::Done) {
        const Micros end = phase_end();
        if (end > t_us)
            break;
        switch (phase_) {
        case SquatPhase::GetReady:
            rep_ = 0;
            enter(SquatPhase::Rep, end);
            break;
        case SquatPhase::Rest:
            emit(SquatEvent::Kind::RestEnded);
            ++rep_;
            enter(SquatPhase::Rep, end);
            break;
        case SquatPhase::SetRest:
            ++set_;
            rep_ = 0;
            enter(SquatPhase::GetReady, end);
            break;
        case SquatPhase::Rep:
            if (counting() && in_corridor_ && end > now_)
                time_in_corridor_s_ += to_s(end - now_);
            now_ = std::max(now_, end);
            // The paced window of the load-share mode ends a completed rep; anything else
            // reaching its end here has timed out.
            finish_rep(end, mode_ == SquatMode::LoadShare);
            break;
        case SquatPhase::Done:
            break;
        }
    }
    if (counting() && in_corridor_ && t_us > now_)
        time_in_corridor_s_ += to_s(t_us - now_);
    now_ = std::max(now_, t_us);
}

void SquatSession::enter(SquatPhase phase, Micros t_us) {
    phase_ = phase;
    phase_start_ = t_us;
    now_ = std::max(now_, t_us);
    in_corridor_ = false;
    if (phase != SquatPhase::Rep)
        return;
    if (pending_precision_) {
        dose_.corridor = pending_precision_->first;
        dose_.tempo_tol_s = pending_precision_->second;
        pending_precision_.reset();
    }
    detected_ = false;
    t_detect_ = t_us;
    t_cross_s_ = 0;
    mid_found_ = false;
    t_mid_s_ = 0;
    time_in_corridor_s_ = 0;
    sq_err_sum_ = 0;
    err_n_ = 0;
    peak_ = 0;
    rep_violations_ = 0;
    points_.clear();
    dip_seen_ = false;
    trough_ = 0;
    moved_ = false;
    emit(SquatEvent::Kind::RepCued);
    switch (mode_) {
    case SquatMode::KneeAngle:
        armed_ = last_value_ <= top_deg();
        t_cross_s_ = traj_.time_down_to(start_deg());
        break;
    case SquatMode::LoadShare:
        baseline_ = ema_;
        detected_ = true; // paced: the squat starts with the window
        t_detect_ = t_us;
        peak_ = last_value_;
        emit(SquatEvent::Kind::RepStarted);
        break;
    case SquatMode::SitToStand:
        sit_ = last_value_ <= p_.sit_low_pct ? SitState::Seated : SitState::WaitSeated;
        break;
    }
}

Micros SquatSession::crossing(Micros t_us, double value, double level) const {
    if (value == last_value_ || t_us <= last_t_)
        return t_us;
    const double frac = std::clamp((level - last_value_) / (value - last_value_), 0.0, 1.0);
    const Micros t =
        last_t_ + static_cast<Micros>(std::llround(frac * static_cast<double>(t_us - last_t_)));
    return std::max(t, phase_start_);
}

void SquatSession::set_corridor_state(bool now_in) {
    if (now_in != in_corridor_) {
        in_corridor_ = now_in;
        emit(now_in ? SquatEvent::Kind::EnteredCorridor : SquatEvent::Kind::LeftCorridor);
    }
}

void SquatSession::update_corridor(double value, double target) {
    const double half = dose_.corridor;
    const double margin = half * p_.corridor_margin_share;
    const double err = std::abs(value - target);
    set_corridor_state(in_corridor_ ? err <= half + margin : err <= half);
}

void SquatSession::add_error(double value, double target) {
    const double e = value - target;
    sq_err_sum_ += e * e;
    ++err_n_;
}

void SquatSession::check_cap(double value) {
    if (mode_ != SquatMode::KneeAngle)
        return; // the force pad cannot see knee flexion
    const double cap = dose_.depth_cap_deg;
    if (cap_armed_ && value > cap) {
        cap_armed_ = false;
        ++total_violations_;
        if (phase_ == SquatPhase::Rep)
            ++rep_violations_;
        emit(SquatEvent::Kind::DepthCapExceeded, std::nullopt, value);
    } else if (!cap_armed_ && value <= cap - p_.cap_margin_deg) {
        cap_armed_ = true;
    }
}

void SquatSession::apply_knee(Micros t_us, double value) {
    if (!detected_) {
        if (value <= top_deg())
            armed_ = true;
        if (armed_ && value > start_deg()) {
            detected_ = true;
            t_detect_ = crossing(t_us, value, start_deg());
            emit(SquatEvent::Kind::RepStarted);
        }
    }
    // Before the squat is detected the corridor follows the trajectory as shown; after, the
    // trajectory aligned on the detected start.
    const double target = traj_.target_at(detected_ ? aligned_time_s() : rep_time_s());
    update_corridor(value, target);
    if (!detected_)
        return;
    const double t_rel = to_s(t_us - t_detect_);
    // Refine the alignment where the trajectory is steepest (half the depth): a crossing there
    // is barely moved by noise, unlike the flat start.
    const double mid = 0.5 * traj_.depth_deg();
    if (!mid_found_ && value >= mid && mid > start_deg()) {
        mid_found_ = true;
        t_mid_s_ = to_s(crossing(t_us, value, mid) - t_detect_);
    }
    points_.push_back({t_rel, value});
    peak_ = std::max(peak_, value);
    if (value < top_deg()) {
        const Micros end = crossing(t_us, value, top_deg());
        finish_rep(end, true);
    }
}

void SquatSession::apply_load(Micros t_us, double value) {
    // What a squat does to the share under one foot (docs/squats.md): the centre of mass first
    // accelerates down (the foot unloads), then is braked and pushed back up (it reloads); and
    // most people shift some weight off the leg as they bend and back onto it as they rise.
    // Either way the smoothed share dips load_dip_pct below its level when the window opened
    // and then recovers by as much from its lowest point. Standing still does neither.
    if (!dip_seen_ && ema_ < baseline_ - p_.load_dip_pct) {
        dip_seen_ = true;
        trough_ = ema_;
    }
    if (dip_seen_)
        trough_ = std::min(trough_, ema_);
    if (dip_seen_ && !moved_ && ema_ > trough_ + p_.load_dip_pct)
        moved_ = true;
    const double target = p_.load_target_pct;
    update_corridor(value, target);
    points_.push_back({to_s(t_us - phase_start_), value});
    peak_ = std::max(peak_, value);
    add_error(value, target);
}

void SquatSession::apply_sit(Micros t_us, double value) {
    const double low = p_.sit_low_pct;
    const double high = p_.sit_high_pct;
    switch (sit_) {
    case SitState::WaitSeated:
        if (value <= low)
            sit_ = SitState::Seated;
        break;
    case SitState::Seated:
        if (value > low) {
            sit_ = SitState::Rising;
            detected_ = true;
            t_detect_ = crossing(t_us, value, low);
            peak_ = value;
            emit(SquatEvent::Kind::RepStarted);
        }
        break;
    case SitState::Rising:
        if (value >= high) {
            sit_ = SitState::Standing;
            t_stand_ = crossing(t_us, value, high);
        } else if (value <= low) {
            sit_ = SitState::Seated; // sat back down without standing: not a squat yet
            detected_ = false;
        }
        break;
    case SitState::Standing:
        if (value < high) {
            sit_ = SitState::Lowering;
            t_leave_high_ = crossing(t_us, value, high);
        }
        break;
    case SitState::Lowering:
        if (value >= high) {
            sit_ = SitState::Standing;
        } else if (value <= low) {
            peak_ = std::max(peak_, value);
            set_corridor_state(false);
            finish_rep(crossing(t_us, value, low), true);
            return;
        }
        break;
    }
    if (detected_)
        peak_ = std::max(peak_, value);
    if (sit_ == SitState::Standing) {
        update_corridor(value, p_.load_target_pct);
        add_error(value, p_.load_target_pct);
    } else {
        set_corridor_state(false);
    }
}

SquatRepScore SquatSession::score_knee(Micros t_end, bool completed) const {
    SquatRepScore s;
    if (points_.empty())
        return s;
    std::vector<std::pair<double, double>> pts;
    pts.reserve(points_.size());
    for (const Point& p : points_)
        pts.emplace_back(p.t_s, p.v);
    const std::vector<double> sm = smooth(pts, p_.smooth_s);
    const double peak = *std::max_element(sm.begin(), sm.end());
    const double zone = peak - p_.bottom_band_deg;
    std::size_t first = 0;
    while (first < sm.size() && sm[first] < zone)
        ++first;
    std::size_t last = sm.size() - 1;
    while (last > first && sm[last] < zone)
        --last;
    const double t_end_rel = std::max(pts.back().first, to_s(t_end - t_detect_));
    s.depth_reached = peak;
    s.down_s = pts[first].first;
    s.pause_s = pts[last].first - pts[first].first;
    s.up_s = completed ? std::max(0.0, t_end_rel - pts[last].first) : 0.0;

    // The trajectory measured the same way: from its start crossing to its top crossing, with
    // the bottom zone the same band below its depth.
    const double depth = traj_.depth_deg();
    const double t_in = traj_.time_down_to(depth - p_.bottom_band_deg);
    const double t_out = traj_.time_up_to(depth - p_.bottom_band_deg);
    const double t_top = traj_.time_up_to(top_deg());
    const double exp_down = t_in - t_cross_s_;
    const double exp_pause = t_out - t_in;
    const double exp_up = t_top - t_out;
    const double tol = dose_.tempo_tol_s;
    s.tempo_ok = completed && std::abs(s.down_s - exp_down) <= tol &&
                 std::abs(s.pause_s - exp_pause) <= tol && std::abs(s.up_s - exp_up) <= tol;

    // Tracking error against the final alignment (refined at half depth when reached).
    double sum_sq = 0;
    for (const Point& p : points_) {
        const double e = p.v - traj_.angle_at(aligned_from_detect(p.t_s));
        sum_sq += e * e;
    }
    s.rmse = std::sqrt(sum_sq / static_cast<double>(points_.size()));
    return s;
}

void SquatSession::finish_rep(Micros t_us, bool completed) {
    SquatRepScore score;
    switch (mode_) {
    case SquatMode::KneeAngle:
        score = score_knee(t_us, completed && detected_);
        break;
    case SquatMode::LoadShare:
        // The pad cannot measure the tempo: the game paced it (docs/squats.md).
        score.depth_reached = peak_;
        break;
    case SquatMode::SitToStand:
        score.depth_reached = peak_;
        if (completed) {
            score.up_s = to_s(t_stand_ - t_detect_);
            score.pause_s = to_s(t_leave_high_ - t_stand_);
            score.down_s = to_s(t_us - t_leave_high_);
            // The load crosses the thresholds only during part of each movement (most of it at
            // seat-off), so the phases between crossings are shorter than the prescribed ones;
            // what is comparable is the whole cycle: two transitions, each within tolerance.
            const double cycle = to_s(t_us - t_detect_);
            score.tempo_ok = std::abs(cycle - traj_.duration_s()) <= 2.0 * dose_.tempo_tol_s;
        }
        break;
    }
    score.set_index = set_;
    score.rep_index = rep_;
    score.time_in_corridor_s = time_in_corridor_s_;
    const Micros start = detected_ ? t_detect_ : phase_start_;
    score.duration_s = to_s(std::max<Micros>(0, t_us - start));
    if (mode_ != SquatMode::KneeAngle)
        score.rmse = err_n_ > 0 ? std::sqrt(sq_err_sum_ / err_n_) : 0.0;
    score.violations = rep_violations_;

    // Share of the tracked time spent in the corridor.
    double tracked_s = score.duration_s;
    if (mode_ == SquatMode::SitToStand)
        tracked_s = score.pause_s;
    const double share = tracked_s > 0 ? score.time_in_corridor_s / tracked_s : 0.0;
    const bool in_corridor_enough = share >= p_.success_corridor_share;
    switch (mode_) {
    case SquatMode::KneeAngle:
        score.success = completed && detected_ && score.tempo_ok && in_corridor_enough &&
                        score.violations == 0 &&
                        score.depth_reached >= p_.min_depth_share * traj_.depth_deg();
        break;
    case SquatMode::LoadShare:
        score.success = completed && moved_ && in_corridor_enough;
        break;
    case SquatMode::SitToStand:
        score.success = completed && in_corridor_enough;
        break;
    }
    reps_.push_back(score);
    detected_ = false;
    in_corridor_ = false;
    emit(SquatEvent::Kind::RepCompleted, score);
    if (rep_ + 1 >= dose_.reps) {
        end_set(t_us, false);
    } else if (dose_.rest_s > 0) {
        enter(SquatPhase::Rest, t_us);
    } else {
        ++rep_;
        enter(SquatPhase::Rep, t_us);
    }
}

void SquatSession::end_set(Micros t_us, bool end_session) {
    detected_ = false;
    emit(SquatEvent::Kind::SetCompleted);
    if (end_session || set_ + 1 >= dose_.sets) {
        emit(SquatEvent::Kind::SessionCompleted);
        enter(SquatPhase::Done, t_us);
    } else if (dose_.set_rest_s > 0) {
        enter(SquatPhase::SetRest, t_us);
    } else {
        ++set_;
        rep_ = 0;
        enter(SquatPhase::GetReady, t_us);
    }
}

void SquatSession::stop_set(const std::string& reason, bool end_session) {
    if (phase_ == SquatPhase::Done)
        return;
    if (phase_ == SquatPhase::SetRest) {
        // The set before this rest finished as planned; the stop ends the next one.
        ++set_;
        rep_ = 0;
    }
    stop_reasons_[static_cast<std::size_t>(set_)] = reason;
    const bool ends_session = end_session || set_ + 1 >= dose_.sets;
    if (ends_session)
        stopped_session_ = true;
    end_set(now_, ends_session);
}

void SquatSession::set_precision(double corridor, double tempo_tol_s) {
    if (!positive(corridor) || !positive(tempo_tol_s))
        return;
    if (phase_ == SquatPhase::Rep) {
        pending_precision_ = std::make_pair(corridor, tempo_tol_s);
    } else {
        dose_.corridor = corridor;
        dose_.tempo_tol_s = tempo_tol_s;
        pending_precision_.reset();
    }
}

std::vector<SquatEvent> SquatSession::take_events() {
    std::vector<SquatEvent> out;
    out.swap(events_);
    return out;
}

double SquatSession::rep_time_s() const {
    return phase_ == SquatPhase::Rep ? to_s(now_ - phase_start_) : 0.0;
}

double SquatSession::aligned_time_s() const {
    if (phase_ != SquatPhase::Rep)
        return 0.0;
    if (detected_ && mode_ == SquatMode::KneeAngle)
        return aligned_from_detect(to_s(now_ - t_detect_));
    return rep_time_s();
}

double SquatSession::aligned_from_detect(double t_rel_s) const {
    if (mid_found_)
        return traj_.time_down_to(0.5 * traj_.depth_deg()) + t_rel_s - t_mid_s_;
    return t_cross_s_ + t_rel_s;
}

double SquatSession::target_now() const {
    if (phase_ == SquatPhase::Rep)
        return traj_.target_at(rep_time_s());
    return mode_ == SquatMode::KneeAngle ? 0.0 : p_.load_target_pct;
}

double SquatSession::phase_remaining_s() const {
    switch (phase_) {
    case SquatPhase::Done:
        return 0.0;
    case SquatPhase::Rep:
        return std::max(0.0, traj_.duration_s() - rep_time_s());
    case SquatPhase::GetReady:
    case SquatPhase::Rest:
    case SquatPhase::SetRest:
        break;
    }
    return std::max(0.0, to_s(phase_end() - now_));
}

std::string SquatSession::stop_reason(int set_index) const {
    if (set_index < 0 || set_index >= static_cast<int>(stop_reasons_.size()))
        return {};
    return stop_reasons_[static_cast<std::size_t>(set_index)];
}

int SquatSession::stars() const {
    if (reps_.empty())
        return 0;
    int successes = 0;
    int at_tempo = 0;
    for (const SquatRepScore& r : reps_) {
        successes += r.success ? 1 : 0;
        at_tempo += r.tempo_ok ? 1 : 0;
    }
    const double n = static_cast<double>(reps_.size());
    const double share = successes / n;
    if (share >= p_.star2_success) {
        // The pad cannot measure the tempo in the load-share mode, so it cannot cost a star.
        const bool tempo = mode_ == SquatMode::LoadShare || at_tempo / n >= p_.star3_tempo_share;
        return tempo && total_violations_ == 0 ? 3 : 2;
    }
    return share >= p_.star1_success ? 1 : 0;
}

void SquatSession::emit(SquatEvent::Kind kind, std::optional<SquatRepScore> rep, double value) {
    events_.push_back(SquatEvent{kind, set_, rep_, std::move(rep), value});
}

// ---- body weight --------------------------------------------------------------------------

BodyWeightProcedure::BodyWeightProcedure(const SquatRuleParams& params) : p_(params) {}

void BodyWeightProcedure::update(Micros t_us, double force_n) {
    if (state_ != State::Measuring || !std::isfinite(force_n))
        return;
    if (!started_) {
        started_ = true;
        t0_ = t_us;
    }
    if (!window_.empty() && t_us < window_.back().first)
        return;
    window_.emplace_back(t_us, force_n);
    const Micros span = to_us(p_.bw_window_s);
    while (window_.size() > 1 && window_.back().first - window_[1].first >= span)
        window_.erase(window_.begin());
    if (window_.back().first - window_.front().first >= span && window_.size() >= 2) {
        double sum = 0;
        double sum_sq = 0;
        for (const auto& [t, f] : window_) {
            (void)t;
            sum += f;
            sum_sq += f * f;
        }
        const double n = static_cast<double>(window_.size());
        const double mean = sum / n;
        const double sd = std::sqrt(std::max(0.0, sum_sq / n - mean * mean));
        if (mean > 0 && sd <= p_.bw_max_sd_pct / 100.0 * mean) {
            if (mean >= p_.bw_min_n && mean <= p_.bw_max_n) {
                body_weight_n_ = mean;
                state_ = State::Done;
                return;
            }
            implausible_seen_ = true;
        }
    }
    if (t_us - t0_ >= to_us(p_.bw_timeout_s)) {
        state_ = State::Failed;
        failure_ = implausible_seen_ ? Failure::Implausible : Failure::Timeout;
    }
}

double BodyWeightProcedure::progress() const {
    if (state_ == State::Done)
        return 1.0;
    if (window_.size() < 2 || !(p_.bw_window_s > 0))
        return 0.0;
    return std::clamp(to_s(window_.back().first - window_.front().first) / p_.bw_window_s, 0.0,
                      1.0);
}

double load_share_pct(double force_n, double body_weight_n) {
    if (!(body_weight_n > 0) || !std::isfinite(force_n))
        return 0.0;
    return force_n / body_weight_n * 100.0;
}

} // namespace qv::rules
