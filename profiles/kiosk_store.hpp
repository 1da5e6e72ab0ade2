#pragma once
// The waiting-room kiosk's side of the store: its settings (app-wide, set by the clinician) and
// guest profiles. A guest is an anonymous profile (guest = 1) that lives for one visit; at the
// end of the visit it is either kept, archived, as anonymous sessions, or deleted with everything
// it recorded, as the clinic chose. Guests never appear in the player's list or the clinician's
// archive. Free functions over a Store's connection; like the Store they are not thread-safe.

#include "core/result.hpp"
#include "profiles/store.hpp"

#include <cstdint>
#include <string>

namespace qv::profiles {

/// What happens to a guest's sessions when the visit ends.
enum class GuestData {
    Keep,    ///< kept as anonymous sessions (the guest profile is archived)
    Discard, ///< deleted with the guest profile
};
std::string to_string(GuestData g);

/// The clinic's kiosk settings (settings keys "kiosk.enabled", "kiosk.guest_data",
/// "kiosk.idle_timeout_s"); unset keys take the defaults passed in.
struct KioskSettings {
    bool enabled = false; ///< start in kiosk mode even without --kiosk
    GuestData guest_data = GuestData::Discard;
    int idle_timeout_s = 90; ///< no input this long: back to the attract screen
    bool operator==(const KioskSettings&) const = default;
};

/// The stored kiosk settings; a value that does not parse is logged and the default kept.
KioskSettings kiosk_settings(Store& store, const KioskSettings& defaults);
/// Stores the kiosk settings. The idle timeout must be 20-900 s (an error names both numbers).
Status set_kiosk_settings(Store& store, const KioskSettings& settings);

/// Creates an anonymous guest profile (name "Guest", never shown) with this avatar and level.
Result<Profile> create_guest(Store& store, const std::string& avatar, const std::string& level_id);
/// Ends a guest's visit: archives it (Keep) or deletes it with all its data (Discard). An error
/// when the profile is not a guest, so a player's profile can never be deleted this way.
Status end_guest_visit(Store& store, std::int64_t guest_id, GuestData what);
/// Guests whose visit never ended (the game was killed mid-visit) are ended now, as the clinic
/// chose. Call at start-up in kiosk mode. Returns how many.
Result<int> end_open_guest_visits(Store& store, GuestData what);

/// Kept guest visits: how many guest profiles and their sessions are stored.
struct GuestTotals {
    int guests = 0;
    int sessions = 0;
};
GuestTotals guest_totals(Store& store);

} // namespace qv::profiles
