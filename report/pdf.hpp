#pragma once
// The printable report: A4 PDF pages drawn with cairo (DejaVu Sans through cairo's text API):
// title block, summary tiles, charts (MVC trend with its noise band, dose done against dose
// prescribed per session, pain before / during / after / next morning), the dose table, red
// flags and the adaptation decisions with their reasons. Long tables continue on further pages.

#include "core/result.hpp"
#include "report/data.hpp"
#include "report/export.hpp"

#include <filesystem>

namespace qv::report {

/// Day-to-day MVC measurement error used for the noise band (CLINICAL.md: 3-7 %).
inline constexpr double kMvcNoiseFraction = 0.07;

/// Writes the report to `out` (mode 0600, temporary name, renamed when complete).
Status write_pdf_report(const ReportData& data, const ExportOptions& options,
                        const std::filesystem::path& out);

} // namespace qv::report
