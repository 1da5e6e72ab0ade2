#include "game/rules/quadset.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

// Timing model. Time comes only from the readings. Between two readings the band state of the
// earlier one holds (zero-order hold), so the hold timer of a rep runs over [last reading, next
// reading) when the earlier reading left the player in the band. Phase ends are computed exactly
// from the phase start (and, for a Hold, from the in-band time still missing), so a phase that ends
// between two readings, or during a long gap, ends at its own time and the following phases start
// from there. A reading is applied after the phase ends that precede it have been processed; a
// reading exactly at a phase end belongs to the next phase.
//
// Band membership is reset when a rep starts (using the latest reading, without margin) and
// cleared without a LeftBand event when the Hold ends: EnteredBand and LeftBand only report
// transitions during a Hold.

namespace qv::rules {

namespace {

constexpr Micros kNever = std::numeric_limits<Micros>::max();

Micros to_us(double seconds) {
    return static_cast<Micros>(std::llround(std::max(0.0, seconds) * 1e6));
}

double to_s(Micros us) {
    return static_cast<double>(us) / 1e6;
}

} // namespace

QuadSetSession::QuadSetSession(const QuadSetDose& dose, const QuadSetRuleParams& params)
    : dose_(dose), p_(params) {
    stop_reasons_.resize(static_cast<std::size_t>(std::max(0, dose_.sets)));
    if (dose_.sets <= 0 || dose_.reps <= 0)
        phase_ = QuadSetPhase::Done; // nothing prescribed: nothing to play
}

void QuadSetSession::update(Micros t_us, double pct_mvc, double force_n) {
    if (!started_) {
        // The first reading starts the clock; whatever phase we are in (normally GetReady, or
        // the phase a stop before the first reading led to) starts now.
        started_ = true;
        now_ = t_us;
        last_t_ = t_us;
        phase_start_ = t_us;
        last_pct_ = pct_mvc;
        return;
    }
    if (t_us < last_t_ || phase_ == QuadSetPhase::Done)
        return;
    advance_to(t_us);
    if (phase_ == QuadSetPhase::Hold)
        apply_hold_sample(pct_mvc, force_n);
    now_ = t_us;
    last_t_ = t_us;
    last_pct_ = pct_mvc;
}

Micros QuadSetSession::phase_end() const {
    switch (phase_) {
    case QuadSetPhase::GetReady:
        return phase_start_ + to_us(p_.get_ready_s);
    case QuadSetPhase::Rest:
        return phase_start_ + to_us(dose_.rest_s);
    case QuadSetPhase::SetRest:
        return phase_start_ + to_us(dose_.set_rest_s);
    case QuadSetPhase::Hold: {
        const Micros timeout =
            phase_start_ + to_us(dose_.hold_s * p_.rep_timeout_factor + p_.rep_timeout_grace_s);
        if (time_in_band_s_ >= dose_.hold_s)
            return std::min(now_, timeout);
        if (!in_band_)
            return timeout;
        const auto missing = static_cast<Micros>(std::ceil((dose_.hold_s - time_in_band_s_) * 1e6));
        return std::min(now_ + missing, timeout);
    }
    case QuadSetPhase::Done:
        break;
    }
    return kNever;
}

void QuadSetSession::advance_to(Micros t_us) {
    while (phase_ != QuadSetPhase::Done) {
        const Micros end = phase_end();
        if (end > t_us)
            break;
        switch (phase_) {
        case QuadSetPhase::GetReady:
            rep_ = 0;
            enter(QuadSetPhase::Hold, end);
            break;
        case QuadSetPhase::Rest:
            emit(QuadSetEvent::Kind::RestEnded);
            ++rep_;
            enter(QuadSetPhase::Hold, end);
            break;
        case QuadSetPhase::SetRest:
            ++set_;
            rep_ = 0;
            enter(QuadSetPhase::GetReady, end);
            break;
        case QuadSetPhase::Hold: {
            bool success = false;
            if (in_band_) {
                const double missing = dose_.hold_s - time_in_band_s_;
                time_in_band_s_ += to_s(end - now_);
                if (time_in_band_s_ >= dose_.hold_s || to_s(end - now_) >= missing) {
                    time_in_band_s_ = dose_.hold_s;
                    success = true;
                }
            } else if (time_in_band_s_ >= dose_.hold_s) {
                success = true;
            }
            now_ = end;
            finish_rep(end, success);
            break;
        }
        case QuadSetPhase::Done:
            break;
        }
    }
    if (phase_ == QuadSetPhase::Hold && in_band_ && t_us > now_)
        time_in_band_s_ = std::min(dose_.hold_s, time_in_band_s_ + to_s(t_us - now_));
    now_ = std::max(now_, t_us);
}

void QuadSetSession::apply_hold_sample(double pct_mvc, double force_n) {
    peak_pct_ = std::max(peak_pct_, pct_mvc);
    peak_n_ = std::max(peak_n_, force_n);
    const double low = dose_.band_low_pct;
    const double high = dose_.band_high_pct;
    const double margin = p_.band_enter_margin_pct;
    const bool now_in = in_band_ ? (low - margin <= pct_mvc && pct_mvc <= high + margin)
                                 : (low <= pct_mvc && pct_mvc <= high);
    if (now_in != in_band_) {
        in_band_ = now_in;
        emit(now_in ? QuadSetEvent::Kind::EnteredBand : QuadSetEvent::Kind::LeftBand);
    }
    if (in_band_) {
        band_n_ += 1;
        band_sum_ += force_n;
        band_sum_sq_ += force_n * force_n;
        band_pct_sum_ += pct_mvc;
    }
}

void QuadSetSession::enter(QuadSetPhase phase, Micros t_us) {
    phase_ = phase;
    phase_start_ = t_us;
    now_ = t_us;
    in_band_ = false;
    if (phase != QuadSetPhase::Hold)
        return;
    if (pending_band_) {
        dose_.band_low_pct = pending_band_->first;
        dose_.band_high_pct = pending_band_->second;
        pending_band_.reset();
    }
    time_in_band_s_ = 0;
    peak_pct_ = 0;
    peak_n_ = 0;
    band_n_ = 0;
    band_sum_ = 0;
    band_sum_sq_ = 0;
    band_pct_sum_ = 0;
    emit(QuadSetEvent::Kind::RepStarted);
    if (dose_.band_low_pct <= last_pct_ && last_pct_ <= dose_.band_high_pct) {
        in_band_ = true;
        emit(QuadSetEvent::Kind::EnteredBand);
    }
}

void QuadSetSession::finish_rep(Micros t_us, bool success) {
    QuadSetRepScore score;
    score.set_index = set_;
    score.rep_index = rep_;
    score.target_low_pct = dose_.band_low_pct;
    score.target_high_pct = dose_.band_high_pct;
    score.hold_s = dose_.hold_s;
    score.time_in_band_s = time_in_band_s_;
    score.duration_s = to_s(t_us - phase_start_);
    score.peak_pct = peak_pct_;
    score.peak_n = peak_n_;
    if (band_n_ > 0) {
        const double mean_n = band_sum_ / band_n_;
        const double var = std::max(0.0, band_sum_sq_ / band_n_ - mean_n * mean_n);
        score.mean_pct = band_pct_sum_ / band_n_;
        score.steadiness_cv = mean_n > 0 ? std::sqrt(var) / mean_n : 0.0;
    }
    score.success = success;
    reps_.push_back(score);
    emit(QuadSetEvent::Kind::RepCompleted, score);
    if (rep_ + 1 >= dose_.reps)
        end_set(t_us, false);
    else
        enter(QuadSetPhase::Rest, t_us);
}

void QuadSetSession::end_set(Micros t_us, bool end_session) {
    emit(QuadSetEvent::Kind::SetCompleted);
    if (end_session || set_ + 1 >= dose_.sets) {
        emit(QuadSetEvent::Kind::SessionCompleted);
        enter(QuadSetPhase::Done, t_us);
    } else if (dose_.set_rest_s > 0) {
        enter(QuadSetPhase::SetRest, t_us);
    } else {
        ++set_;
        rep_ = 0;
        enter(QuadSetPhase::GetReady, t_us);
    }
}

void QuadSetSession::stop_set(const std::string& reason, bool end_session) {
    if (phase_ == QuadSetPhase::Done)
        return;
    if (phase_ == QuadSetPhase::SetRest) {
        // The set before this rest finished as planned; the stop ends the next one before its
        // first hold.
        ++set_;
        rep_ = 0;
    }
    // Whatever the current rep had gathered is discarded: it is never scored.
    stop_reasons_[static_cast<std::size_t>(set_)] = reason;
    const bool ends_session = end_session || set_ + 1 >= dose_.sets;
    if (ends_session)
        stopped_session_ = true;
    end_set(now_, ends_session);
}

std::vector<QuadSetEvent> QuadSetSession::take_events() {
    std::vector<QuadSetEvent> out;
    out.swap(events_);
    return out;
}

double QuadSetSession::hold_progress() const {
    if (phase_ != QuadSetPhase::Hold || dose_.hold_s <= 0)
        return 0.0;
    return std::clamp(time_in_band_s_ / dose_.hold_s, 0.0, 1.0);
}

double QuadSetSession::phase_remaining_s() const {
    if (phase_ == QuadSetPhase::Done)
        return 0.0;
    Micros end = 0;
    if (phase_ == QuadSetPhase::Hold)
        end = phase_start_ + to_us(dose_.hold_s * p_.rep_timeout_factor + p_.rep_timeout_grace_s);
    else
        end = phase_end();
    return std::max(0.0, to_s(end - now_));
}

std::string QuadSetSession::stop_reason(int set_index) const {
    if (set_index < 0 || set_index >= static_cast<int>(stop_reasons_.size()))
        return {};
    return stop_reasons_[static_cast<std::size_t>(set_index)];
}

int QuadSetSession::stars() const {
    if (reps_.empty())
        return 0;
    int successes = 0;
    int steady_reps = 0;
    double cv_sum = 0;
    for (const auto& r : reps_) {
        successes += r.success ? 1 : 0;
        // Steadiness is measured only for reps that spent time in the band.
        if (r.time_in_band_s > 0) {
            ++steady_reps;
            cv_sum += r.steadiness_cv;
        }
    }
    const double share = static_cast<double>(successes) / static_cast<double>(reps_.size());
    if (share >= p_.star2_success) {
        const double mean_cv = steady_reps > 0 ? cv_sum / static_cast<double>(steady_reps) : 0.0;
        return mean_cv <= p_.star3_max_cv ? 3 : 2;
    }
    return share >= p_.star1_success ? 1 : 0;
}

void QuadSetSession::emit(QuadSetEvent::Kind kind, std::optional<QuadSetRepScore> rep) {
    events_.push_back(QuadSetEvent{kind, set_, rep_, std::move(rep)});
}

void QuadSetSession::set_band(double low_pct, double high_pct) {
    if (!(low_pct >= 0) || !(high_pct > low_pct)) {
        return; // a band must have a positive width; the caller's bounds keep it so
    }
    if (phase_ == QuadSetPhase::Hold) {
        pending_band_ = std::make_pair(low_pct, high_pct);
    } else {
        dose_.band_low_pct = low_pct;
        dose_.band_high_pct = high_pct;
        pending_band_.reset();
    }
}

} // namespace qv::rules
