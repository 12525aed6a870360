#pragma once
// RFC 3261 §17 timer base values (Table 4).
#include <chrono>

namespace portier::sip::txn {

struct TimerValues {
  std::chrono::milliseconds t1{500};
  std::chrono::milliseconds t2{4000};
  std::chrono::milliseconds t4{5000};
};

}  // namespace portier::sip::txn
