#include "api/router.hpp"

namespace portier::api {
namespace {
std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> out;
  for (auto s : split(path, '/'))
    if (!s.empty()) out.push_back(s);
  return out;
}
}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  Route r{std::move(method), std::move(pattern), {}, std::move(handler)};
  for (auto s : path_segments(r.pattern)) r.segments.emplace_back(s);
  routes_.push_back(std::move(r));
}

void Router::add_sync(std::string method, std::string pattern, SyncHandler handler) {
  add(std::move(method), std::move(pattern),
      [h = std::move(handler)](Request& req, Reply reply) { reply(h(req)); });
}

bool Router::match_segments(const Route& r, const std::vector<std::string_view>& parts,
                            std::map<std::string, std::string>* params) {
  if (r.segments.size() != parts.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& seg = r.segments[i];
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      if (params) (*params)[seg.substr(1, seg.size() - 2)] = std::string(parts[i]);
    } else if (seg != parts[i]) {
      return false;
    }
  }
  return true;
}

Router::Match Router::match(Request& req) const {
  const auto parts = path_segments(req.path);
  Match m;
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  for (const auto& r : routes_) {
    if (!match_segments(r, parts, nullptr)) continue;
    if (r.method == method) {
      match_segments(r, parts, &req.params);
      m.handler = &r.handler;
      return m;
    }
    m.status = 405;
    if (m.allow.find(r.method) == std::string::npos) m.allow += (m.allow.empty() ? "" : ", ") + r.method;
  }
  return m;
}

}  // namespace portier::api
