#pragma once
// Bookkeeping of RTP port pairs in [port_min, port_max]: even RTP port, RTCP on the next one. Next-fit, so that a
// freed pair is not reused at once (late packets of the old call must not reach the new one). Pure; the engine
// binds the sockets and gives a pair back when another process holds one of its ports.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace portier::media {

class PortPool {
 public:
  PortPool(std::uint16_t port_min, std::uint16_t port_max);
  // The RTP port of a free pair, or nullopt when every pair is taken.
  std::optional<std::uint16_t> acquire();
  void release(std::uint16_t rtp_port);
  std::size_t capacity() const { return used_.size(); }
  std::size_t in_use() const { return in_use_; }
  std::string dump() const;

 private:
  std::uint16_t first_;  // first even port >= port_min
  std::vector<bool> used_;
  std::size_t next_ = 0;
  std::size_t in_use_ = 0;
};

}  // namespace portier::media
