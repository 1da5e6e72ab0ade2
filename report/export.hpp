#pragma once
// Clinician exports of one profile's history: CSV (one row per rep, one per session), a FHIR R4
// Bundle of Observations, and a printable PDF report. Every file is created mode 0600 under a
// temporary name in the target directory and renamed into place only when complete, so a reader
// never sees a half-written export and nobody else can read it at any moment.
// Formats and columns: docs/exports.md.

#include "core/result.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace qv::profiles {
class Store;
}

namespace qv::report {

/// The kinds of export.
enum class ExportFormat { Csv, Fhir, Pdf };

/// "csv", "fhir" or "pdf".
std::string to_string(ExportFormat format);
/// Parses "csv", "fhir" or "pdf"; an error names the accepted words.
Result<ExportFormat> export_format_from(const std::string& word);

/// What to export and where.
struct ExportOptions {
    ExportFormat format = ExportFormat::Pdf;
    std::int64_t profile_id = 0;
    /// First and last local calendar day included ("2026-11-01"); empty = open-ended.
    std::string from;
    std::string to;
    /// csv: a directory (created 0700 when missing) that receives
    ///      profile-<id>-sessions.csv and profile-<id>-reps.csv;
    /// fhir and pdf: the file to write.
    std::filesystem::path out;
    /// Show the profile's (player-chosen) name in the PDF title and as a FHIR Patient nickname.
    /// Off by default: the game's name is a nickname, not a clinical identity.
    bool include_profile_name = false;
    /// Identity the clinician typed at export time; empty = not given. FHIR: Patient.name.text
    /// and Patient.identifier (with `patient_identifier_system` when given); PDF: title block.
    std::string patient_name;
    std::string patient_identifier;
    std::string patient_identifier_system;
};

/// Checks the options without touching any file: the format's output path is set, the dates are
/// real calendar days ("YYYY-MM-DD") and `from` is not after `to`.
Status validate_options(const ExportOptions& options);

/// The files an export with these options writes (two for CSV, one otherwise).
std::vector<std::filesystem::path> output_files(const ExportOptions& options);

/// Exports one profile. Fails with a message naming what is wrong (unknown profile id, bad date,
/// unwritable path) and then leaves no output file behind. Never throws.
Status export_profile(profiles::Store& store, const ExportOptions& options);

} // namespace qv::report
