#include "report/export.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "profiles/store.hpp"
#include "report/csv.hpp"
#include "report/data.hpp"
#include "report/fhir.hpp"
#include "report/pdf.hpp"
#include "report/private_file.hpp"

#include <exception>
#include <system_error>

namespace qv::report {

namespace fs = std::filesystem;

namespace {

Status check_date(const std::string& date, std::string_view which) {
    if (!date.empty() && !is_calendar_date(date)) {
        return fail("bad " + std::string(which) + " date \"" + date +
                    "\": expected a calendar day written YYYY-MM-DD, e.g. 2026-11-01");
    }
    return Ok{};
}

std::string range_text(const ExportOptions& o) {
    if (o.from.empty() && o.to.empty()) {
        return "all dates";
    }
    return (o.from.empty() ? std::string("the start") : o.from) + " to " +
           (o.to.empty() ? std::string("the end") : o.to);
}

Status export_csv(const ReportData& data, const ExportOptions& options) {
    if (auto s = paths::ensure_private_dir(options.out); !s) {
        return fail("cannot write CSV files into " + options.out.string() + ": " +
                    s.error().message);
    }
    const auto files = output_files(options);
    auto sessions = PrivateFile::create(files[0]);
    if (!sessions) {
        return sessions.error();
    }
    auto reps = PrivateFile::create(files[1]);
    if (!reps) {
        return reps.error();
    }
    if (auto s = sessions->write(sessions_csv(data)); !s) {
        return s;
    }
    if (auto s = reps->write(reps_csv(data)); !s) {
        return s;
    }
    if (auto s = sessions->commit(); !s) {
        return s;
    }
    return reps->commit();
}

} // namespace

std::string to_string(ExportFormat format) {
    switch (format) {
    case ExportFormat::Csv:
        return "csv";
    case ExportFormat::Fhir:
        return "fhir";
    case ExportFormat::Pdf:
        return "pdf";
    }
    return "pdf";
}

Result<ExportFormat> export_format_from(const std::string& word) {
    if (word == "csv") {
        return ExportFormat::Csv;
    }
    if (word == "fhir") {
        return ExportFormat::Fhir;
    }
    if (word == "pdf") {
        return ExportFormat::Pdf;
    }
    return fail("unknown export format \"" + word + "\": use csv, fhir or pdf");
}

Status validate_options(const ExportOptions& options) {
    if (auto s = check_date(options.from, "--from"); !s) {
        return s;
    }
    if (auto s = check_date(options.to, "--to"); !s) {
        return s;
    }
    if (!options.from.empty() && !options.to.empty() && options.from > options.to) {
        return fail("the date range is empty: --from " + options.from + " is after --to " +
                    options.to);
    }
    if (options.out.empty()) {
        return fail(options.format == ExportFormat::Csv
                        ? "no output directory given for the CSV files"
                        : "no output file given for the " + to_string(options.format) + " export");
    }
    if (options.format != ExportFormat::Csv && options.out.filename().empty()) {
        return fail("the output " + options.out.string() + " names a directory, not a file");
    }
    return Ok{};
}

std::vector<fs::path> output_files(const ExportOptions& options) {
    if (options.format == ExportFormat::Csv) {
        const std::string stem = "profile-" + std::to_string(options.profile_id);
        return {options.out / (stem + "-sessions.csv"), options.out / (stem + "-reps.csv")};
    }
    return {options.out};
}

Status export_profile(profiles::Store& store, const ExportOptions& options) {
    try {
        if (auto s = validate_options(options); !s) {
            return s;
        }
        std::error_code ec;
        if (options.format != ExportFormat::Csv && fs::is_directory(options.out, ec)) {
            return fail("cannot write " + options.out.string() + ": it is a directory");
        }
        auto data = load_report_data(store, options.profile_id, options.from, options.to);
        if (!data) {
            return data.error();
        }
        Status written = Ok{};
        switch (options.format) {
        case ExportFormat::Csv:
            written = export_csv(*data, options);
            break;
        case ExportFormat::Fhir: {
            auto text = fhir_bundle_json(*data, options);
            written = text ? write_private_file(options.out, *text) : Status(text.error());
            break;
        }
        case ExportFormat::Pdf:
            written = write_pdf_report(*data, options, options.out);
            break;
        }
        if (!written) {
            return written;
        }
        log::get("report")->info("exported profile {} ({}, {} sessions) as {} to {}",
                                 options.profile_id, range_text(options), data->sessions.size(),
                                 to_string(options.format), options.out.string());
        return Ok{};
    } catch (const std::exception& e) {
        return fail(std::string("export failed: ") + e.what());
    }
}

} // namespace qv::report
