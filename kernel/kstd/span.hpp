#pragma once
// A bounds-checked view over contiguous objects, in place of raw pointer-and-length pairs.
#include "assert.hpp"
#include "types.hpp"

namespace kstd {

template <typename T> class Span {
public:
    constexpr Span() = default;
    constexpr Span(T* data, usize size) : data_(data), size_(size) {}
    template <usize N> constexpr Span(T (&array)[N]) : data_(array), size_(N) {}

    constexpr T* data() const { return data_; }
    constexpr usize size() const { return size_; }
    constexpr bool empty() const { return size_ == 0; }
    constexpr T* begin() const { return data_; }
    constexpr T* end() const { return data_ + size_; }

    constexpr T& operator[](usize index) const {
        KASSERT(index < size_);
        return data_[index];
    }

    constexpr Span subspan(usize offset, usize count) const {
        KASSERT(offset <= size_ && count <= size_ - offset);
        return Span(data_ + offset, count);
    }
    constexpr Span subspan(usize offset) const { return subspan(offset, size_ - offset); }

    constexpr operator Span<const T>() const { return Span<const T>(data_, size_); }

private:
    T* data_ = nullptr;
    usize size_ = 0;
};

using Bytes = Span<const u8>;

} // namespace kstd
