#pragma once
// The CSV export: a sessions file (one row per session) and a reps file (one row per rep, quad-set
// holds and squats told apart by the exercise column). RFC 4180: comma separated, CRLF line
// ends, fields quoted when they hold a comma, quote, CR or LF, quotes doubled. The first row
// names the columns; the first column ("format") names the file's format and version on every
// row. Columns are documented in docs/exports.md and are only ever appended.

#include "report/data.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace qv::report {

/// Value of the "format" column of the sessions file.
inline constexpr std::string_view kSessionsCsvFormat = "quadventure-sessions-v1";
/// Value of the "format" column of the reps file.
inline constexpr std::string_view kRepsCsvFormat = "quadventure-reps-v1";

/// The sessions file's column names, in order.
const std::vector<std::string>& sessions_csv_columns();
/// The reps file's column names, in order.
const std::vector<std::string>& reps_csv_columns();

/// One field quoted per RFC 4180 when it needs it.
std::string csv_field(std::string_view value);
/// A number in the shortest text that reads back to the same double ("12.5", "0.1"); no locale.
std::string csv_number(double value);

/// The sessions file: header and one row per session, CRLF line ends.
std::string sessions_csv(const ReportData& data);
/// The reps file: header and one row per quad-set rep, then one per squat rep, oldest first.
std::string reps_csv(const ReportData& data);

} // namespace qv::report
