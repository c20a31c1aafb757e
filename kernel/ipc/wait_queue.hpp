#pragma once
// A FIFO of blocked threads in two words, linked through the threads' own TCBs
// (Tcb::ipc.next / prev), so an Endpoint fits in 16 bytes. TCBs are 1 KiB aligned, so the
// tail pointer's low bits are free: they hold a 2-bit state for the object that owns the
// queue (idle / senders / receivers for an endpoint; idle / waiting / active for a
// notification). An all-zero queue is empty with state 0, which is what Retype makes.
#include <object/tcb.hpp>

namespace tessera {

class WaitQueue {
public:
    bool empty() const { return head_ == 0; }
    Tcb* front() const { return reinterpret_cast<Tcb*>(head_); }
    Tcb* back() const { return reinterpret_cast<Tcb*>(tail_ & ~kStateMask); }

    u8 state() const { return static_cast<u8>(tail_ & kStateMask); }
    void set_state(u8 state) { tail_ = (tail_ & ~kStateMask) | (state & kStateMask); }

    void push_back(Tcb& thread) {
        KASSERT(thread.ipc.next == nullptr && thread.ipc.prev == nullptr && front() != &thread);
        Tcb* last = back();
        thread.ipc.prev = last;
        thread.ipc.next = nullptr;
        if (last != nullptr)
            last->ipc.next = &thread;
        else
            head_ = reinterpret_cast<u64>(&thread);
        set_back(&thread);
    }

    // `thread` must be in this queue.
    void remove(Tcb& thread) {
        if (thread.ipc.prev != nullptr)
            thread.ipc.prev->ipc.next = thread.ipc.next;
        else
            head_ = reinterpret_cast<u64>(thread.ipc.next);
        if (thread.ipc.next != nullptr)
            thread.ipc.next->ipc.prev = thread.ipc.prev;
        else
            set_back(thread.ipc.prev);
        thread.ipc.next = nullptr;
        thread.ipc.prev = nullptr;
    }

    Tcb* pop_front() {
        Tcb* first = front();
        if (first != nullptr) remove(*first);
        return first;
    }

private:
    static constexpr u64 kStateMask = 3;
    static_assert(kStateMask < (u64{1} << kTcbSizeBits));

    void set_back(Tcb* thread) { tail_ = reinterpret_cast<u64>(thread) | (tail_ & kStateMask); }

    u64 head_ = 0;
    u64 tail_ = 0; // the last thread, with the owner's state in the low bits
};

static_assert(sizeof(WaitQueue) == 16);

} // namespace tessera
