// Janus placeholder until the Janus half exists.
#include "bench/webrtc/signaling.hpp"

namespace portier::bench {
std::unique_ptr<Signaling> make_janus_signaling(const JanusTarget&) { return nullptr; }
}  // namespace portier::bench
