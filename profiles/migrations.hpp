#pragma once
// The numbered schema migrations of the profiles database.

#include <span>
#include <string_view>

namespace qv::profiles {

/// One step of the schema: applying `sql` to a database at version `version - 1` brings it to
/// `version`. Steps are applied in order, each in its own transaction.
struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;
};

/// Every migration, in order, numbered 1, 2, 3, ... without gaps.
std::span<const Migration> migrations();

/// Marks a database as Quadventure's (PRAGMA application_id), so another program's file is refused.
inline constexpr int kApplicationId = 0x51564454; // "QVDT"

} // namespace qv::profiles
