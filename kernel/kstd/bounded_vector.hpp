#pragma once
// A vector with a fixed capacity and in-place storage: boot-time tables without a heap.
#include "assert.hpp"
#include "span.hpp"
#include "utility.hpp"

namespace kstd {

template <typename T, usize Capacity> class BoundedVector {
public:
    static constexpr usize capacity() { return Capacity; }
    constexpr usize size() const { return size_; }
    constexpr bool empty() const { return size_ == 0; }
    constexpr bool full() const { return size_ == Capacity; }

    // False when full; the caller decides whether that is an error worth reporting.
    [[nodiscard]] constexpr bool push_back(const T& value) {
        if (size_ == Capacity) return false;
        items_[size_++] = value;
        return true;
    }

    [[nodiscard]] constexpr bool insert(usize index, const T& value) {
        KASSERT(index <= size_);
        if (size_ == Capacity) return false;
        for (usize i = size_; i > index; --i) items_[i] = items_[i - 1];
        items_[index] = value;
        ++size_;
        return true;
    }

    constexpr void erase(usize index) {
        KASSERT(index < size_);
        for (usize i = index; i + 1 < size_; ++i) items_[i] = items_[i + 1];
        --size_;
    }

    constexpr void clear() { size_ = 0; }

    constexpr T& operator[](usize index) {
        KASSERT(index < size_);
        return items_[index];
    }
    constexpr const T& operator[](usize index) const {
        KASSERT(index < size_);
        return items_[index];
    }
    constexpr T& back() { return (*this)[size_ - 1]; }

    constexpr T* begin() { return items_; }
    constexpr T* end() { return items_ + size_; }
    constexpr const T* begin() const { return items_; }
    constexpr const T* end() const { return items_ + size_; }

    constexpr Span<T> span() { return Span<T>(items_, size_); }
    constexpr Span<const T> span() const { return Span<const T>(items_, size_); }

private:
    T items_[Capacity]{};
    usize size_ = 0;
};

} // namespace kstd
