#pragma once
// Port: where extensions are kept (store/sqlite implements it).
#include <optional>
#include <string>
#include <vector>

#include "access/extension.hpp"
#include "base/result.hpp"

namespace portier::access {

class ExtensionRepository {
 public:
  virtual ~ExtensionRepository() = default;
  // errc::already_exists when the number is taken.
  virtual Result<Extension> create(const Extension& extension) = 0;
  virtual std::optional<Extension> find(const std::string& number) const = 0;
  virtual std::vector<Extension> list() const = 0;
  virtual Status update_secret(const std::string& number, const std::string& secret) = 0;
  virtual Status remove(const std::string& number) = 0;
};

}  // namespace portier::access
