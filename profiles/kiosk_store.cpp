#include "profiles/kiosk_store.hpp"

#include "profiles/clinician_store.hpp"
#include "profiles/sqlite.hpp"
#include "profiles/store_detail.hpp"

#include <charconv>
#include <sqlite3.h>
#include <vector>

namespace qv::profiles {

using namespace detail;

namespace {

constexpr const char* kEnabled = "kiosk.enabled";
constexpr const char* kGuestData = "kiosk.guest_data";
constexpr const char* kIdleTimeout = "kiosk.idle_timeout_s";
constexpr int kMinIdleS = 20;
constexpr int kMaxIdleS = 900;
constexpr const char* kGuestName = "Guest";

Result<std::vector<std::int64_t>> ids_of(Store& store, std::string_view query, std::string what) {
    auto stmt = sql::Statement::prepare(store.handle(), query, std::move(what));
    if (!stmt) {
        return stmt.error();
    }
    std::vector<std::int64_t> ids;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return row.error();
        }
        if (!row.value()) {
            return ids;
        }
        ids.push_back(stmt->column_int64(0));
    }
}

} // namespace

std::string to_string(GuestData g) {
    return g == GuestData::Keep ? "keep" : "discard";
}

KioskSettings kiosk_settings(Store& store, const KioskSettings& defaults) {
    KioskSettings out = defaults;
    if (const auto v = setting(store, kEnabled)) {
        if (*v == "1" || *v == "0") {
            out.enabled = *v == "1";
        } else {
            logger()->warn("setting {} is \"{}\", not 0 or 1; kept {}", kEnabled, *v,
                           defaults.enabled ? 1 : 0);
        }
    }
    if (const auto v = setting(store, kGuestData)) {
        if (*v == "keep" || *v == "discard") {
            out.guest_data = *v == "keep" ? GuestData::Keep : GuestData::Discard;
        } else {
            logger()->warn("setting {} is \"{}\", not keep or discard; kept {}", kGuestData, *v,
                           to_string(defaults.guest_data));
        }
    }
    if (const auto v = setting(store, kIdleTimeout)) {
        int s = 0;
        const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), s);
        if (ec == std::errc() && end == v->data() + v->size() && s >= kMinIdleS && s <= kMaxIdleS) {
            out.idle_timeout_s = s;
        } else {
            logger()->warn("setting {} is \"{}\", not {}-{} seconds; kept {}", kIdleTimeout, *v,
                           kMinIdleS, kMaxIdleS, defaults.idle_timeout_s);
        }
    }
    return out;
}

Status set_kiosk_settings(Store& store, const KioskSettings& s) {
    if (s.idle_timeout_s < kMinIdleS || s.idle_timeout_s > kMaxIdleS) {
        return fail("the kiosk's idle timeout is " + std::to_string(s.idle_timeout_s) +
                    " s; it must be " + std::to_string(kMinIdleS) + " to " +
                    std::to_string(kMaxIdleS) + " s");
    }
    auto tx = sql::Transaction::begin(store.handle(), "storing the kiosk settings");
    if (!tx) {
        return tx.error();
    }
    for (const auto& [key, value] :
         {std::pair<const char*, std::string>{kEnabled, s.enabled ? "1" : "0"},
          {kGuestData, to_string(s.guest_data)},
          {kIdleTimeout, std::to_string(s.idle_timeout_s)}}) {
        if (auto r = set_setting(store, key, value); !r) {
            return r.error();
        }
    }
    return tx->commit();
}

Result<Profile> create_guest(Store& store, const std::string& avatar, const std::string& level_id) {
    auto tx = sql::Transaction::begin(store.handle(), "creating a guest");
    if (!tx) {
        return tx.error();
    }
    auto p = store.create_profile(kGuestName, avatar, level_id);
    if (!p) {
        return p.error();
    }
    auto stmt =
        sql::Statement::prepare(store.handle(), "UPDATE profiles SET guest = 1 WHERE id = ?1",
                                "marking profile " + std::to_string(p->id) + " a guest");
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind_int64(1, p->id);
    if (auto s = stmt->run(); !s) {
        return s.error();
    }
    if (auto s = tx->commit(); !s) {
        return s.error();
    }
    p->guest = true;
    return p;
}

Status end_guest_visit(Store& store, std::int64_t guest_id, GuestData what) {
    auto guest = exists(store.handle(), "SELECT 1 FROM profiles WHERE id = ?1 AND guest = 1",
                        guest_id, "looking up guest " + std::to_string(guest_id));
    if (!guest) {
        return guest.error();
    }
    if (!guest.value()) {
        return fail("profile " + std::to_string(guest_id) +
                    " is not a kiosk guest; only a guest's visit can be ended");
    }
    if (what == GuestData::Discard) {
        auto removed = delete_profile(store, guest_id);
        if (!removed) {
            return removed.error();
        }
        return Ok{};
    }
    return archive_profile(store, guest_id);
}

Result<int> end_open_guest_visits(Store& store, GuestData what) {
    auto ids = ids_of(store, "SELECT id FROM profiles WHERE guest = 1 AND archived = 0",
                      "finding guest visits left open");
    if (!ids) {
        return ids.error();
    }
    for (const auto id : *ids) {
        if (auto s = end_guest_visit(store, id, what); !s) {
            return s.error();
        }
    }
    return static_cast<int>(ids->size());
}

GuestTotals guest_totals(Store& store) {
    GuestTotals t;
    auto stmt = sql::Statement::prepare(
        store.handle(),
        "SELECT (SELECT count(*) FROM profiles WHERE guest = 1), (SELECT count(*) FROM sessions s "
        "JOIN profiles p ON p.id = s.profile_id WHERE p.guest = 1)",
        "counting kept guest visits");
    if (!stmt) {
        logger()->error("{}", stmt.error().message);
        return t;
    }
    if (auto row = stmt->step(); row && row.value()) {
        t.guests = stmt->column_int(0);
        t.sessions = stmt->column_int(1);
    }
    return t;
}

} // namespace qv::profiles
