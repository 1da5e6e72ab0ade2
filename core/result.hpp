#pragma once
// A value or an error message that says what went wrong and where.

#include <string>
#include <utility>
#include <variant>

namespace qv {

/// What went wrong, in words a person can act on ("levels/quadset.toml:12: hold_s must be > 0").
struct Error {
    std::string message;
};

/// Either a T or an Error. Small on purpose: C++20 has no std::expected yet.
template <typename T> class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(v_); }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<T>(v_); }
    const T& value() const& { return std::get<T>(v_); }
    T&& value() && { return std::get<T>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    const Error& error() const { return std::get<Error>(v_); }

  private:
    std::variant<T, Error> v_;
};

/// Result for operations that return nothing on success.
struct Ok {};
using Status = Result<Ok>;

/// Shorthand for a failed Result.
inline Error fail(std::string message) {
    return Error{std::move(message)};
}

} // namespace qv
