#pragma once
// The command-line export, for `quadventure --export ...` (no UI, no SDL):
//
//   quadventure --export csv|fhir|pdf --profile ID --out PATH
//               [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--database FILE]
//               [--include-name] [--patient-name TEXT] [--patient-id TEXT]
//               [--patient-id-system URI]
//
// Exit status: 0 written, 1 the export failed (the message says why), 2 bad command line.

#include "report/export.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace qv::report {

/// A parsed export command.
struct ExportCommandArgs {
    ExportOptions options;
    /// The database to read; empty = the default (profiles::default_database_path()).
    std::filesystem::path database;
};

/// The usage text shown with a command-line error.
std::string export_command_usage();

/// Parses the words after the program name ("--export", "pdf", "--profile", "3", ...); options
/// may also be written "--name=value". The error names the offending word.
Result<ExportCommandArgs> parse_export_command(const std::vector<std::string>& words);

/// Opens the database (which must already exist: an export never creates one) and exports.
/// Reports each written file on `out` and any error on `err`. Returns 0 or 1.
int run_export_command(const ExportCommandArgs& args, std::ostream& out, std::ostream& err);

/// parse_export_command then run_export_command; 2 (with the usage on `err`) for a bad command
/// line. The game's main can hand its arguments over when it sees "--export".
int export_main(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

} // namespace qv::report
