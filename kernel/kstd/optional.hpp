#pragma once
// A value that may be absent, for trivially destructible payloads (all the kernel has).
#include "assert.hpp"
#include "utility.hpp"

namespace kstd {

struct NoneType {};
inline constexpr NoneType none{};

template <typename T> class Optional {
public:
    constexpr Optional() = default;
    constexpr Optional(NoneType) {}
    constexpr Optional(const T& value) : value_(value), present_(true) {}

    constexpr bool has_value() const { return present_; }
    constexpr explicit operator bool() const { return present_; }

    constexpr T& value() {
        KASSERT(present_);
        return value_;
    }
    constexpr const T& value() const {
        KASSERT(present_);
        return value_;
    }
    constexpr T* operator->() { return &value(); }
    constexpr const T* operator->() const { return &value(); }
    constexpr T& operator*() { return value(); }
    constexpr const T& operator*() const { return value(); }

    constexpr T value_or(const T& fallback) const { return present_ ? value_ : fallback; }

private:
    T value_{};
    bool present_ = false;
};

} // namespace kstd
