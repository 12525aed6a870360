// libFuzzer target: datagrams into server- and client-side DtlsTransports, packets into SrtpSession::unprotect.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return portier::fuzz::dtls_srtp(data, size);
}
