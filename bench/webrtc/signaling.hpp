#pragma once
// How the load client sets up one call's WebRTC leg on the server under test: Portier's REST API
// (portier_signaling.cpp) or Janus's JSON API with the SIP plugin (janus_signaling.cpp). Blocking, called from the
// load client's main thread; the media side (LoopbackClient) lives on the io_context thread.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace portier::bench {

struct OpenedCall {
  std::string answer;                              // the server's SDP answer; empty on failure
  std::string error;                               // why it failed
  std::chrono::steady_clock::time_point offer_sent;  // just before the request that carries the offer
};

class Signaling {
 public:
  virtual ~Signaling() = default;
  // Everything up to and including the offer; returns the answer. Call `index` is the load client's numbering.
  virtual OpenedCall open(int index, const std::string& offer) = 0;
  // After the answer has been given to the client: Portier places the SIP call here (Janus already did). "" = ok.
  virtual std::string after_answer(int index) = 0;
  // Hangs the call up and frees the server's session.
  virtual void close(int index) = 0;
  // Called about once a second while calls are up (Janus sessions need keep-alives).
  virtual void keepalive() {}
  virtual std::string dump() const = 0;
};

struct PortierTarget {
  std::string host = "127.0.0.1";
  std::string port;
  // One API token per call (Authorization: Bearer): Portier allows 8 browser-phone sessions per user, so call i
  // is user i's; the list is used round-robin when shorter than the number of calls.
  std::vector<std::string> tokens;
  // Call i dials extension_base + i: an extension in a call is busy (486) for a second one. All of them are
  // registered by the one sipp UAS.
  int extension_base = 7100;
};
std::unique_ptr<Signaling> make_portier_signaling(const PortierTarget& target);

struct JanusTarget {
  std::string host = "127.0.0.1";
  std::string port = "8088";
  std::string sip_uri;  // called through the SIP plugin, e.g. sip:7002@127.0.0.1:5080
};
std::unique_ptr<Signaling> make_janus_signaling(const JanusTarget& target);

}  // namespace portier::bench
