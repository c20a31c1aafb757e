#pragma once
// A fixed ring of bytes between the UART and its clients. The driver has one thread, so
// there is no locking; the indices run freely and wrap through the mask, which is why the
// capacity must be a power of two.
#include <kstd/span.hpp>
#include <kstd/types.hpp>

namespace tessera::drivers::uart {

template <usize kCapacity> class ByteRing {
    static_assert(kCapacity > 0 && (kCapacity & (kCapacity - 1)) == 0, "the capacity must be a power of two");

public:
    static constexpr usize capacity() { return kCapacity; }
    usize size() const { return static_cast<usize>(tail_ - head_); }
    usize room() const { return kCapacity - size(); }
    bool empty() const { return head_ == tail_; }
    bool full() const { return size() == kCapacity; }

    // Callers check room() first: a push into a full ring is a bug of the driver.
    void push(u8 byte) {
        KASSERT(!full());
        bytes_[tail_++ & kMask] = byte;
    }
    u8 pop() {
        KASSERT(!empty());
        return bytes_[head_++ & kMask];
    }
    // Moves up to out.size() of the oldest bytes into `out`; returns how many.
    usize pop_into(kstd::Span<u8> out) {
        usize count = out.size() < size() ? out.size() : size();
        for (usize i = 0; i < count; ++i) out[i] = pop();
        return count;
    }

private:
    static constexpr u64 kMask = kCapacity - 1;
    u8 bytes_[kCapacity] = {};
    u64 head_ = 0; // the oldest byte
    u64 tail_ = 0; // where the next byte goes
};

} // namespace tessera::drivers::uart
