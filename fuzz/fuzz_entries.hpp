#pragma once
// Fuzz entry functions, shared by the libFuzzer targets and the corpus replay unit test.
#include <cstddef>
#include <cstdint>

namespace portier::fuzz {

// Parse as a SIP datagram and as a stream, exercise every accessor and the response builder. Aborts when an
// invariant breaks (a built response must parse back).
int sip_message(const std::uint8_t* data, std::size_t size);
// Parse as an Authorization / WWW-Authenticate value.
int sip_digest(const std::uint8_t* data, std::size_t size);
// Parse as an MQTT lock command, ack and state, and run the device-side guard on it.
int mqtt_payload(const std::uint8_t* data, std::size_t size);

}  // namespace portier::fuzz
