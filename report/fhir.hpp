#pragma once
// The FHIR R4 export: a Bundle (type "collection") holding one Patient and the profile's
// Observations. Pain on the 0-10 numeric scale is LOINC 72514-3; the game's own faces scale,
// MVC, per-rep force and squat depth, the session dose and red flags use Quadventure's local code
// system (kMeasuresSystem) with UCUM units. Every Observation's subject is the Patient's
// urn:uuid fullUrl inside the bundle. The mapping is documented in docs/exports.md.

#include "report/data.hpp"
#include "report/export.hpp"

#include <string>
#include <string_view>

namespace qv::report {

/// The local code system of Quadventure's measures.
inline constexpr std::string_view kMeasuresSystem =
    "http://quadventure.org/fhir/CodeSystem/measures";
/// The local code system of red-flag ids (the ids of the content's red-flag questions).
inline constexpr std::string_view kRedFlagSystem =
    "http://quadventure.org/fhir/CodeSystem/red-flags";
/// The identifier system of a profile id (unique within one Quadventure database).
inline constexpr std::string_view kProfileIdentifierSystem = "urn:quadventure:profile";
/// Extension: the Quadventure session an Observation belongs to (valueString, the session id).
inline constexpr std::string_view kSessionExtension =
    "http://quadventure.org/fhir/StructureDefinition/session-id";
/// Extension: when a pain rating was taken (valueCode: before, during, after, next-morning).
inline constexpr std::string_view kPainMomentExtension =
    "http://quadventure.org/fhir/StructureDefinition/pain-moment";
/// LOINC code of "Pain severity - 0-10 verbal numeric rating [Score] - Reported".
inline constexpr std::string_view kLoincPainNrs = "72514-3";

/// The Bundle as JSON text (two-space indented). Never throws.
Result<std::string> fhir_bundle_json(const ReportData& data, const ExportOptions& options);

/// A stable UUID (RFC 9562 version 8, name-based on our own hash) for a resource: the same
/// profile, table and row always give the same id, so repeated exports can be merged.
std::string stable_uuid(std::string_view name);

} // namespace qv::report
