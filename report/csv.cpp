#include "report/csv.hpp"

#include <charconv>
#include <cmath>
#include <optional>

namespace qv::report {

namespace {

// Builds one CSV line from fields appended in column order.
class Line {
  public:
    Line& text(std::string_view value) {
        next();
        out_ += csv_field(value);
        return *this;
    }
    Line& integer(long long value) {
        next();
        out_ += std::to_string(value);
        return *this;
    }
    Line& number(double value) {
        next();
        out_ += csv_number(value);
        return *this;
    }
    Line& flag(bool value) { return integer(value ? 1 : 0); }
    Line& blank() {
        next();
        return *this;
    }
    Line& maybe(const std::optional<int>& value) { return value ? integer(*value) : blank(); }
    Line& maybe(const std::optional<double>& value) { return value ? number(*value) : blank(); }
    Line& blanks(int count) {
        for (int i = 0; i < count; ++i) {
            blank();
        }
        return *this;
    }
    std::string finish() {
        out_ += "\r\n";
        return std::move(out_);
    }
    std::size_t fields() const { return fields_; }

  private:
    void next() {
        if (fields_++ > 0) {
            out_ += ',';
        }
    }
    std::string out_;
    std::size_t fields_ = 0;
};

std::string header(const std::vector<std::string>& columns) {
    Line line;
    for (const auto& c : columns) {
        line.text(c);
    }
    return line.finish();
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) {
            out += separator;
        }
        out += p;
    }
    return out;
}

} // namespace

const std::vector<std::string>& sessions_csv_columns() {
    static const std::vector<std::string> columns = {
        "format",
        "profile_id",
        "session_id",
        "started_at_utc",
        "ended_at_utc",
        "local_date",
        "local_time",
        "source_driver",
        "source_model",
        "source_serial",
        "source_firmware",
        "source_is_measurement",
        "calibration_id",
        "calibration_mvc_n",
        "level_id",
        "status",
        "stars",
        "effort_0_10",
        "exercises",
        "sets_done",
        "reps_done",
        "reps_attempted",
        "prescribed_sets",
        "prescribed_reps",
        "prescribed_hold_s",
        "prescribed_band_low_pct",
        "prescribed_band_high_pct",
        "mean_time_in_band_s",
        "total_time_in_band_s",
        "pain_scale",
        "pain_before",
        "pain_during_max",
        "pain_after",
        "pain_next_morning",
        "red_flags",
        "prescribed_reps_total",
    };
    return columns;
}

const std::vector<std::string>& reps_csv_columns() {
    static const std::vector<std::string> columns = {
        "format",
        "profile_id",
        "session_id",
        "set_id",
        "set_index",
        "rep_index",
        "exercise",
        "local_date",
        "set_started_at_utc",
        "success",
        "duration_s",
        // quad-set holds
        "target_low_pct",
        "target_high_pct",
        "hold_s",
        "time_in_band_s",
        "steadiness_cv",
        "mean_pct_mvc",
        "peak_pct_mvc",
        "peak_force_n",
        // squats
        "squat_mode",
        "squat_unit",
        "depth_target",
        "depth_reached",
        "time_in_corridor_s",
        "rmse",
        "down_s",
        "pause_s",
        "up_s",
        "tempo_ok",
        "violations",
    };
    return columns;
}

std::string csv_field(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
        return std::string(value);
    }
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

std::string csv_number(double value) {
    if (!std::isfinite(value)) {
        return ""; // the store refuses these; never print "nan" into a clinical file
    }
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc{} ? std::string(buffer, end) : std::string();
}

std::string sessions_csv(const ReportData& data) {
    std::string out = header(sessions_csv_columns());
    for (const SessionRow& row : data.sessions) {
        const profiles::SessionRecord& s = row.session;
        Line line;
        line.text(kSessionsCsvFormat).integer(data.profile.id).integer(s.id);
        line.text(s.started_at).text(s.ended_at).text(row.local_date).text(row.local_time);
        line.text(s.source.driver).text(s.source.model).text(s.source.serial);
        line.text(s.source.firmware).flag(s.source.is_measurement);
        if (s.calibration_id != 0) {
            line.integer(s.calibration_id);
        } else {
            line.blank();
        }
        line.maybe(row.calibration_mvc_n);
        line.text(s.level_id).text(profiles::to_string(s.status)).integer(s.stars);
        line.maybe(s.effort_rating >= 0 ? std::optional<int>(s.effort_rating) : std::nullopt);
        line.text(row.exercises).integer(row.sets_done).integer(row.reps_done);
        line.integer(row.reps_attempted);
        if (row.prescribed) {
            const QuadSetDose& d = *row.prescribed;
            line.integer(d.sets).integer(d.reps).number(d.hold_s);
            line.number(d.band_low_pct).number(d.band_high_pct);
        } else {
            line.blanks(5);
        }
        line.maybe(row.mean_time_in_band_s);
        if (row.mean_time_in_band_s) {
            line.number(row.total_time_in_band_s);
        } else {
            line.blank();
        }
        line.text(row.pain_scale).maybe(row.pain_before).maybe(row.pain_during_max);
        line.maybe(row.pain_after).maybe(row.pain_next_morning);
        line.text(join(row.red_flags, ";")).maybe(row.prescribed_reps_total);
        out += line.finish();
    }
    return out;
}

std::string reps_csv(const ReportData& data) {
    std::string out = header(reps_csv_columns());
    for (const QuadRepRow& row : data.quad_reps) {
        const QuadSetRepScore& r = row.score;
        Line line;
        line.text(kRepsCsvFormat).integer(data.profile.id).integer(row.session_id);
        line.integer(row.set_id).integer(r.set_index).integer(r.rep_index).text(row.exercise);
        line.text(row.local_date).text(row.set_started_at).flag(r.success).number(r.duration_s);
        line.number(r.target_low_pct).number(r.target_high_pct).number(r.hold_s);
        line.number(r.time_in_band_s).number(r.steadiness_cv).number(r.mean_pct);
        line.number(r.peak_pct).number(r.peak_n);
        line.blanks(11);
        out += line.finish();
    }
    for (const SquatRepRow& row : data.squat_reps) {
        Line line;
        line.text(kRepsCsvFormat).integer(data.profile.id).integer(row.session_id);
        line.integer(row.set_id).integer(row.set_index).integer(row.rep_index).text("squat");
        line.text(row.local_date).text(row.set_started_at).flag(row.success).number(row.duration_s);
        line.blanks(8);
        line.text(row.mode).text(row.unit).number(row.depth_target).number(row.depth_reached);
        line.number(row.time_in_corridor_s).number(row.rmse).number(row.down_s);
        line.number(row.pause_s).number(row.up_s).flag(row.tempo_ok).integer(row.violations);
        out += line.finish();
    }
    return out;
}

} // namespace qv::report
