#include "app/calls_module.hpp"

#include <boost/asio/io_context.hpp>

#include "app/door_setup.hpp"
#include "base/log.hpp"
#include "device/asio_timer_factory.hpp"
#include "intercom/intercom.hpp"
#include "media/media_engine.hpp"
#include "sip/ua/sip_server.hpp"

namespace portier::app {
namespace {

media::RtpConfig media_config(const Config& c) {
  media::RtpConfig r;
  r.bind_address = c.rtp.bind_address;
  r.port_min = static_cast<std::uint16_t>(c.rtp.port_min);
  r.port_max = static_cast<std::uint16_t>(c.rtp.port_max);
  r.idle_timeout = c.rtp.idle_timeout;
  return r;
}

// The address phones send media to: rtp.public_address, else the host of the first SIP listener.
std::string media_address(const Config& c) {
  if (!c.rtp.public_address.empty()) return c.rtp.public_address;
  if (c.rtp.bind_address != "0.0.0.0" && c.rtp.bind_address != "::") return c.rtp.bind_address;
  for (const auto& l : c.sip.listen) {
    const auto colon = l.find(':');
    HostPort hp;
    if (colon != std::string::npos && parse_host_port(l.substr(colon + 1), hp) && hp.host != "0.0.0.0" &&
        hp.host != "::")
      return hp.host;
  }
  return "127.0.0.1";
}

std::vector<intercom::RingGroup> ring_groups(const Config& c) {
  std::vector<intercom::RingGroup> out;
  for (const auto& g : c.ring_groups) {
    intercom::RingGroup r;
    r.id = g.id;
    r.members = g.members;
    r.strategy = g.strategy == "sequential" ? intercom::RingStrategy::sequential : intercom::RingStrategy::parallel;
    r.ring_timeout = g.ring_timeout;
    r.member_timeout = g.member_timeout;
    r.answer = g.answer == "conference" ? intercom::AnswerMode::conference : intercom::AnswerMode::first;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<intercom::DoorCallSettings> door_settings(const Config& c) {
  std::vector<intercom::DoorCallSettings> out;
  for (const auto& e : merged_door_entries(c)) {
    intercom::DoorCallSettings d;
    d.door = e.id;
    d.station = e.station.value_or("");
    d.ring_group = e.ring_group.value_or("");
    d.dtmf_code = e.dtmf_code.value_or("#");
    d.call_limit = std::chrono::seconds{e.call_limit_s.value_or(120)};
    d.visitor_message = e.visitor_message.value_or(false);
    out.push_back(std::move(d));
  }
  return out;
}

intercom::IntercomOptions intercom_options(const Config& c) {
  intercom::IntercomOptions o;
  o.media_address = media_address(c);
  o.recordings_dir = (c.data_dir / "recordings").string();
  o.visitor_prompt = c.calls.visitor_prompt.string();
  o.visitor_message_max = c.calls.visitor_message_max;
  o.dtmf_max_failures = c.calls.dtmf_max_failures;
  o.dtmf_lockout = c.calls.dtmf_lockout;
  return o;
}

}  // namespace

struct CallsModule::Impl final : api::CallControl {
  Impl(boost::asio::io_context& io, const Clock& clock, SipModule& sip, DoorsModule& doors, const Config& config)
      : engine(io, clock, media_config(config)),
        options(intercom_options(config)),
        timers(io),
        intercom(io, clock, timers, sip.server(), engine, doors.doors(), doors.stream(), ring_groups(config),
                 door_settings(config), options),
        sip_server(sip.server()),
        doors_module(doors) {
    sip_server.set_invite_handler(&intercom);
    doors.set_ring_handler([this](const std::string& door) { intercom.on_door_ring(door); });
    portier::log::get("calls")->info("calls: media relay on {} ports {}..{}, announced as {}", config.rtp.bind_address,
                                     config.rtp.port_min, config.rtp.port_max, options.media_address);
  }
  ~Impl() override {
    sip_server.set_invite_handler(nullptr);
    doors_module.set_ring_handler(nullptr);
  }

  std::vector<api::CallView> calls() const override {
    std::vector<api::CallView> out;
    for (const auto& c : intercom.calls()) {
      api::CallView v{c.id, c.door, c.state, c.ring_group, c.answered_by, c.started, {}};
      for (const auto& l : c.legs) v.legs.push_back({l.id, l.role, l.extension, l.state});
      out.push_back(std::move(v));
    }
    return out;
  }
  bool hangup(std::uint64_t id) override { return intercom.hangup(id); }

  media::MediaEngine engine;
  intercom::IntercomOptions options;
  device::AsioTimerFactory timers;  // the calls' timers; declared before (destroyed after) the intercom
  intercom::Intercom intercom;
  sip::ua::SipServer& sip_server;
  DoorsModule& doors_module;
};

CallsModule::CallsModule(boost::asio::io_context& io, const Clock& clock, SipModule& sip, DoorsModule& doors,
                         const Config& config)
    : impl_(std::make_unique<Impl>(io, clock, sip, doors, config)) {}

CallsModule::~CallsModule() = default;

api::CallControl& CallsModule::control() { return *impl_; }
std::string CallsModule::recordings_dir() const { return impl_->options.recordings_dir; }
intercom::Intercom& CallsModule::intercom() { return impl_->intercom; }
std::string CallsModule::media_address() const { return impl_->options.media_address; }

}  // namespace portier::app
