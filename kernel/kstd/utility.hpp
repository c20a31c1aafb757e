#pragma once
// The few pieces of <utility> and <type_traits> the kernel needs, on compiler builtins.
#include "types.hpp"

namespace kstd {

template <typename T> struct remove_reference { using type = T; };
template <typename T> struct remove_reference<T&> { using type = T; };
template <typename T> struct remove_reference<T&&> { using type = T; };
template <typename T> using remove_reference_t = typename remove_reference<T>::type;

template <typename T> struct remove_cv { using type = T; };
template <typename T> struct remove_cv<const T> { using type = T; };
template <typename T> struct remove_cv<volatile T> { using type = T; };
template <typename T> struct remove_cv<const volatile T> { using type = T; };
template <typename T> using remove_cvref_t = typename remove_cv<remove_reference_t<T>>::type;

template <typename A, typename B> inline constexpr bool is_same_v = false;
template <typename A> inline constexpr bool is_same_v<A, A> = true;

template <typename T> inline constexpr bool is_integral_v = __is_integral(T);
template <typename T> inline constexpr bool is_enum_v = __is_enum(T);
template <typename T> inline constexpr bool is_signed_v = __is_signed(T);
template <typename T> inline constexpr bool is_trivially_copyable_v = __is_trivially_copyable(T);
template <typename T> inline constexpr bool is_standard_layout_v = __is_standard_layout(T);
template <typename T> using underlying_type_t = __underlying_type(T);

template <typename T> constexpr remove_reference_t<T>&& move(T&& value) noexcept {
    return static_cast<remove_reference_t<T>&&>(value);
}
template <typename T> constexpr T&& forward(remove_reference_t<T>& value) noexcept {
    return static_cast<T&&>(value);
}
template <typename T> constexpr T&& forward(remove_reference_t<T>&& value) noexcept {
    return static_cast<T&&>(value);
}

template <typename T> constexpr const T& min(const T& a, const T& b) { return b < a ? b : a; }
template <typename T> constexpr const T& max(const T& a, const T& b) { return a < b ? b : a; }

template <typename T> constexpr void swap(T& a, T& b) {
    T t = move(a);
    a = move(b);
    b = move(t);
}

template <typename E> constexpr underlying_type_t<E> to_underlying(E e) {
    return static_cast<underlying_type_t<E>>(e);
}

template <typename To, typename From> constexpr To bit_cast(const From& from) {
    static_assert(sizeof(To) == sizeof(From));
    return __builtin_bit_cast(To, from);
}

} // namespace kstd

#if __STDC_HOSTED__
#include <new> // host builds (unit tests) share the standard library's placement new
#else
// Placement new, declared here because the freestanding kernel has no <new>.
inline void* operator new(usize, void* where) noexcept { return where; }
#endif

namespace kstd {
template <typename A, typename B>
concept same_as = is_same_v<A, B> && is_same_v<B, A>;
} // namespace kstd
