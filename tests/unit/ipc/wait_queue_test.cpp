// The two-word queue under endpoints and notifications: FIFO order, removal anywhere,
// and the owner's state bits surviving every change of the tail.
#include <catch2/catch.hpp>

#include <ipc/wait_queue.hpp>

#include <cstdlib>
#include <vector>

using namespace tessera;

namespace {

// TCBs aligned as Retype places them, so the tail's low bits are free.
struct AlignedThreads {
    static constexpr u64 kCount = 5;
    u8* memory;
    AlignedThreads() {
        memory = static_cast<u8*>(std::aligned_alloc(u64{1} << kTcbSizeBits, kCount << kTcbSizeBits));
        for (u64 i = 0; i < kCount; ++i) new (&(*this)[i]) Tcb{};
    }
    ~AlignedThreads() { std::free(memory); }
    Tcb& operator[](u64 i) { return *reinterpret_cast<Tcb*>(memory + (i << kTcbSizeBits)); }
};

std::vector<Tcb*> contents(const WaitQueue& queue) {
    std::vector<Tcb*> out;
    Tcb* previous = nullptr;
    for (Tcb* t = queue.front(); t != nullptr; t = t->ipc.next) {
        REQUIRE(t->ipc.prev == previous);
        out.push_back(t);
        previous = t;
    }
    REQUIRE(queue.back() == previous);
    return out;
}

} // namespace

TEST_CASE("WaitQueue: FIFO order, removal from any place, state bits kept") {
    static_assert(sizeof(Tcb) <= (u64{1} << kTcbSizeBits));
    AlignedThreads t;
    WaitQueue queue;
    CHECK(queue.empty());
    CHECK(queue.state() == 0);
    queue.set_state(2);
    for (u64 i = 0; i < 4; ++i) queue.push_back(t[i]);
    CHECK(queue.state() == 2);
    CHECK(contents(queue) == std::vector<Tcb*>{&t[0], &t[1], &t[2], &t[3]});

    queue.remove(t[2]); // middle
    CHECK(contents(queue) == std::vector<Tcb*>{&t[0], &t[1], &t[3]});
    CHECK(t[2].ipc.next == nullptr);
    CHECK(t[2].ipc.prev == nullptr);
    queue.remove(t[3]); // tail
    CHECK(queue.back() == &t[1]);
    CHECK(queue.state() == 2);
    CHECK(queue.pop_front() == &t[0]); // head
    CHECK(contents(queue) == std::vector<Tcb*>{&t[1]});
    queue.set_state(1);
    queue.push_back(t[4]);
    queue.push_back(t[2]);
    CHECK(contents(queue) == std::vector<Tcb*>{&t[1], &t[4], &t[2]});
    CHECK(queue.state() == 1);
    while (queue.pop_front() != nullptr) {}
    CHECK(queue.empty());
    CHECK(queue.back() == nullptr);
    CHECK(queue.state() == 1);
}
