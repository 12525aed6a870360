#pragma once
// Result<T>: a value or an Error. Expected failures (bad input, auth failures, timeouts) travel as values;
// exceptions are kept for start-up and configuration errors (../shared/STYLE.md, "Errors").
#include <string>
#include <system_error>
#include <utility>
#include <variant>

namespace portier {

struct Error {
  std::error_code code;
  std::string message;  // human-readable detail, safe to show (never contains secrets)

  Error() = default;
  Error(std::error_code c, std::string msg = {}) : code(c), message(std::move(msg)) {}
  template <class E, class = std::enable_if_t<std::is_error_code_enum_v<E>>>
  Error(E e, std::string msg = {}) : code(make_error_code(e)), message(std::move(msg)) {}

  // The message when one was given, else the category's text for the code.
  std::string what() const { return message.empty() ? code.message() : message; }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error err) : v_(std::in_place_index<1>, std::move(err)) {}
  template <class E, class = std::enable_if_t<std::is_error_code_enum_v<E>>>
  Result(E e, std::string msg = {}) : v_(std::in_place_index<1>, Error(e, std::move(msg))) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error err) : err_(std::move(err)), ok_(false) {}
  template <class E, class = std::enable_if_t<std::is_error_code_enum_v<E>>>
  Result(E e, std::string msg = {}) : err_(e, std::move(msg)), ok_(false) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return err_; }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace portier
