#pragma once
// Route registration, one function per resource group (each in its own file).
#include <nlohmann/json.hpp>

#include "api/api_context.hpp"
#include "api/router.hpp"

namespace portier::api {

void register_auth_routes(Router& router, ApiContext& ctx);    // /api/auth/*
void register_user_routes(Router& router, ApiContext& ctx);    // /api/users, /api/tokens
void register_system_routes(Router& router, ApiContext& ctx);  // /health, /metrics, /api/version
void register_door_routes(Router& router, ApiContext& ctx);    // /api/doors/*, /api/buttons, /api/permissions
void register_event_routes(Router& router, ApiContext& ctx);   // /api/events/history, /api/audit, /api/sim/*
void register_sip_routes(Router& router, ApiContext& ctx);     // /api/sip/*
void register_pass_routes(Router& router, ApiContext& ctx);    // /api/passes/*, /api/qr
void register_guest_routes(Router& router, ApiContext& ctx);   // /g/{token}, /g/{token}/open (no login)
void register_device_routes(Router& router, ApiContext& ctx);  // /api/devices*, legacy /device_login etc.
void register_call_routes(Router& router, ApiContext& ctx);    // /api/calls, /api/recordings/{name}
void register_webrtc_routes(Router& router, ApiContext& ctx);  // /api/webrtc/* (browser phone)

// JSON for a user as the API shows it (never the password hash).
nlohmann::json user_json(const access::User& u);

}  // namespace portier::api
