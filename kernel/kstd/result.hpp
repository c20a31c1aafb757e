#pragma once
// Result<T, E>: either a value or an error, and TRY() to pass an error up. The kernel has
// no exceptions, so every fallible call returns one of these and the caller must look.
#include "assert.hpp"
#include "utility.hpp"

namespace kstd {

template <typename E> struct Failure {
    E error;
};

template <typename E> constexpr Failure<remove_cvref_t<E>> fail(E&& error) {
    return Failure<remove_cvref_t<E>>{forward<E>(error)};
}

template <typename T, typename E> class [[nodiscard]] Result {
public:
    constexpr Result(const T& value) : value_(value), ok_(true) {}
    constexpr Result(T&& value) : value_(move(value)), ok_(true) {}
    template <typename F> constexpr Result(Failure<F> failure) : error_(move(failure.error)), ok_(false) {}

    constexpr bool ok() const { return ok_; }
    constexpr explicit operator bool() const { return ok_; }

    constexpr T& value() {
        KASSERT(ok_);
        return value_;
    }
    constexpr const T& value() const {
        KASSERT(ok_);
        return value_;
    }
    constexpr const E& error() const {
        KASSERT(!ok_);
        return error_;
    }
    constexpr T release_value() { return move(value()); }

private:
    T value_{};
    E error_{};
    bool ok_;
};

// A result that carries no value: success, or an error.
template <typename E> class [[nodiscard]] Result<void, E> {
public:
    constexpr Result() : ok_(true) {}
    template <typename F> constexpr Result(Failure<F> failure) : error_(move(failure.error)), ok_(false) {}

    constexpr bool ok() const { return ok_; }
    constexpr explicit operator bool() const { return ok_; }
    constexpr const E& error() const {
        KASSERT(!ok_);
        return error_;
    }
    constexpr void release_value() {}

private:
    E error_{};
    bool ok_;
};

} // namespace kstd

// Evaluates a Result; on error returns it from the enclosing function, otherwise yields the value.
#define TRY(expression)                                                                    \
    ({                                                                                     \
        auto try_result_ = (expression);                                                   \
        if (!try_result_.ok()) [[unlikely]]                                                \
            return ::kstd::fail(try_result_.error());                                      \
        try_result_.release_value();                                                       \
    })
