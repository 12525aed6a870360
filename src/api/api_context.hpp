#pragma once
// What route handlers share: the domain services and the server-wide settings. Owned by ApiServer's creator (app).
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "access/auth_service.hpp"
#include "access/audit_repository.hpp"
#include "access/door_service.hpp"
#include "access/pass_service.hpp"
#include "access/permission_repository.hpp"
#include "api/event_hub.hpp"
#include "api/http_types.hpp"
#include "api/metrics.hpp"

namespace portier::api {

class DeviceControl;
class EventStream;
class SimControl;
class SipStatus;
class CallControl;
class WebRtcControl;

struct ApiContext {
  access::AuthService& auth;
  Metrics& metrics;
  EventHub& events;
  access::DoorService* doors = nullptr;               // null: no doors API
  access::PermissionRepository* permissions = nullptr;
  access::AuditRepository* audit = nullptr;
  EventStream* stream = nullptr;                      // history + live events
  SimControl* sim = nullptr;                          // only in demo mode or tests
  // Demo mode with calls: door id -> the ring group a browser dials to ring as that door (the simulator's "Ring as
  // the door" button; only the first door naming a group, as Intercom::door_by_group resolves it).
  std::map<std::string, std::string> sim_door_groups{};
  SipStatus* sip = nullptr;                           // null when SIP is off (sip.listen: [])
  CallControl* calls = nullptr;                       // null when SIP is off
  std::string recordings_dir{};                       // visitor messages (GET /api/recordings/{name}); "" = none
  access::PassService* passes = nullptr;              // null: no guest passes (no doors, or disabled)
  std::string public_url{};                           // guest links start with this; "" = from the request's Host
  DeviceControl* devices = nullptr;                   // null when MQTT is off (no mqtt.broker)
  WebRtcControl* webrtc = nullptr;                    // null: /api/webrtc/* answer 503 "WebRTC is disabled"
  bool secure_cookies = false;                       // set the Secure flag (TLS)
  std::chrono::seconds session_max_age{std::chrono::days{30}};
  std::string version{};
};

constexpr const char* kSessionCookie = "portier_session";

// Who may call a route.
enum class Access { user, admin };
using AuthedHandler = std::function<Response(Request&, const access::Principal&)>;

// Resolves the caller from `Authorization: Bearer` or the session cookie and enforces CSRF on cookie-authenticated
// writes. On failure `error` holds the 401/403 response.
std::optional<access::Principal> authenticate(ApiContext& ctx, const Request& req, Response& error);
// Wraps a handler so it runs only for an authenticated caller with enough rights.
SyncHandler guarded(ApiContext& ctx, Access access, AuthedHandler handler);
// The same for handlers that answer later through `Reply`.
using AuthedAsyncHandler = std::function<void(Request&, const access::Principal&, Reply)>;
Handler guarded_async(ApiContext& ctx, Access access, AuthedAsyncHandler handler);

// The actor behind a request, for permission checks and audit rows; `method` is web for cookie sessions, api for
// tokens.
access::Actor actor_for(const access::Principal& p);
// A token call that says `X-Portier-Client: cli` is audited as cli (the portier CLI talks to a running server).
access::AccessMethod method_for(const Request& req, const access::Principal& p);

// Whether the caller may see events of `door`: admins see everything; others see the doors they may open, and no
// door-less events (SIP registrations and the like).
bool may_see_door(ApiContext& ctx, const access::Principal& p, const std::string& door);
// The same rule with the caller's doors read once (for one request that checks many events).
std::function<bool(const std::string&)> door_filter(ApiContext& ctx, const access::Principal& p);

std::string session_cookie(const ApiContext& ctx, const std::string& token);
std::string expired_session_cookie(const ApiContext& ctx);

}  // namespace portier::api
