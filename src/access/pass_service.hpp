#pragma once
// The guest-pass use case. Hosts (admins, and residents for the doors they may open themselves) create, edit,
// revoke and delete passes; guests holding a link view it and open a door with it.
//
// Guest open flow (`open`), in this order:
//   per-IP rate limit -> 429, nothing audited (a flood must not flood the audit log);
//   look up SHA-256(token); per-token rate limit -> 429;
//   unknown or revoked -> `invalid` (the same answer and the same work: an audited denial and an event);
//   expired / exhausted / not yet valid / outside the weekly schedule / door not on the pass -> audited denial;
//   PIN (when set): locked -> pin_locked; missing -> pin_required; wrong -> counted, the 5th failure (configurable)
//   locks the pass's PIN for 15 minutes; both audited;
//   take one use atomically (none left -> exhausted), then DoorService::unlock as a `pass` actor scoped to the pass's
//   doors (its own audit row `granted`, before the relay moves). A failed unlock gives the use back.
// A GET (view) never takes a use and never moves a relay.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/audit_log.hpp"
#include "access/door_service.hpp"
#include "access/guest_pass.hpp"
#include "access/guest_pass_repository.hpp"
#include "access/rate_limiter.hpp"
#include "access/site_time.hpp"

namespace portier::access {

struct PassOptions {
  std::chrono::seconds purge_after{std::chrono::days{30}};  // passes ended longer ago are deleted (audit rows stay)
  std::chrono::seconds default_validity{std::chrono::days{7}};
  int pin_max_failures = 5;
  std::chrono::seconds pin_lockout{std::chrono::minutes{15}};
  RateLimiter::Options per_ip{30, 10, 100000};
  RateLimiter::Options per_token{20, 10, 100000};
};

// What a host sends; unset fields keep their value on edit (or take the default on create).
struct PassDraft {
  std::optional<std::string> label;
  std::optional<std::vector<std::string>> doors;
  std::optional<Clock::SystemTime> valid_from;
  std::optional<Clock::SystemTime> valid_until;
  std::optional<std::vector<ScheduleWindow>> schedule;
  bool set_max_uses = false;       // with max_uses: nullopt = unlimited
  std::optional<int> max_uses;
  std::optional<std::string> pin;  // "" removes the PIN
  std::optional<std::string> note;
};

class PassService {
 public:
  struct Created {
    GuestPass pass;
    std::string token;  // shown once; only its hash is stored
  };
  struct DoorName {
    std::string id;
    std::string name;
  };
  // What the guest page shows. `pass` is empty for an unknown or revoked link.
  struct GuestView {
    PassDenial denial = PassDenial::none;  // why the pass does not open now (none: it does)
    std::optional<GuestPass> pass;
    std::vector<DoorName> doors;
    int retry_after = 0;  // seconds, for rate_limited and pin_locked
  };
  struct OpenResult {
    PassDenial denial = PassDenial::none;
    std::optional<Error> error;  // the door itself failed (driver, store): the use was given back
    std::optional<DoorService::UnlockReply> unlocked;
    std::optional<int> remaining_uses;
    int retry_after = 0;
    std::optional<GuestPass> pass;  // on a denial of a known, unrevoked pass: for messages that name its times
  };
  using OpenCallback = std::function<void(OpenResult)>;

  // Every reference must outlive the service. `events` receives pass_* events (the app's event stream).
  PassService(GuestPassRepository& repository, DoorService& doors, AuditLog& audit, const SiteTimeZone& zone,
              const Clock& clock, DoorService::Listener& events, PassOptions options = {});

  // Hosts. Errors: invalid_argument (with the field), not_found, permission_denied, unavailable.
  Result<Created> create(const Actor& host, AccessMethod method, const PassDraft& draft);
  Result<std::vector<GuestPass>> list(const Actor& viewer);  // admins: all; others: the passes they made
  Result<GuestPass> get(const Actor& viewer, std::int64_t id);
  Result<GuestPass> update(const Actor& host, AccessMethod method, std::int64_t id, const PassDraft& draft);
  Result<GuestPass> revoke(const Actor& host, AccessMethod method, std::int64_t id);
  Status remove(const Actor& host, AccessMethod method, std::int64_t id);
  // A new link for the pass; the old one stops working.
  Result<Created> new_link(const Actor& host, AccessMethod method, std::int64_t id);
  PassStatus status(const GuestPass& pass) const { return pass_status(pass, clock_.now()); }
  bool open_now(const GuestPass& pass) const { return validity_denial(pass, zone_, clock_.now()) == PassDenial::none; }

  // Guests. Errors only when the store is down (errc::unavailable).
  Result<GuestView> view(std::string_view token, std::string_view client_ip);
  void open(std::string_view token, std::string_view door, std::string_view pin, std::string_view client_ip,
            OpenCallback done);

  // Deletes passes that ended more than purge_after ago; returns how many.
  Result<int> purge();
  const SiteTimeZone& zone() const { return zone_; }
  const PassOptions& options() const { return options_; }

 private:
  // The common start of view() and open(): per-IP limit, the token's hash looked up, per-link limit.
  struct Lookup {
    bool rate_limited = false;
    int retry_after = 0;
    std::optional<GuestPass> pass;  // as stored, revoked or not; empty for an unknown link
  };
  Result<Lookup> lookup(std::string_view token, std::string_view client_ip);
  Result<GuestPass> owned(const Actor& actor, std::int64_t id);
  Status check_draft(const Actor& host, GuestPass& pass, const PassDraft& draft, bool creating);
  void deny(const GuestPass* pass, std::string_view door, PassDenial denial, OpenCallback& done, int retry = 0);
  void audit_host(const Actor& host, AccessMethod method, const GuestPass& pass, const std::string& action,
                  const std::string& detail);
  void emit(EventType type, const std::string& door, const std::string& actor, std::string method,
            std::string detail);
  std::vector<DoorName> door_names(const GuestPass& pass) const;

  GuestPassRepository& repository_;
  DoorService& doors_;
  AuditLog& audit_;
  const SiteTimeZone& zone_;
  const Clock& clock_;
  DoorService::Listener& events_;
  PassOptions options_;
  RateLimiter per_ip_;
  RateLimiter per_token_;
};

}  // namespace portier::access
