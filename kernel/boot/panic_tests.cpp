// Deliberate kernel faults, selected with panic-test=<kind>, so the system suite can check
// that each ends in a clear report and a power-off, never a hang or a trap loop.
#include <boot/boot_state.hpp>
#include <console/console.hpp>
#include <kstd/assert.hpp>

namespace tessera {

namespace {

// Far deeper than any kernel stack; volatile so the compiler cannot see the bound.
volatile u64 recursion_limit = u64{1} << 40;

// Each frame holds a buffer that is used after the recursive call, so the compiler can
// neither drop the frames nor turn the recursion into a loop.
[[gnu::noinline]] u64 recurse_forever(u64 depth) {
    if (depth > recursion_limit) return 0;
    volatile u8 frame[512];
    frame[depth % sizeof(frame)] = static_cast<u8>(depth);
    return recurse_forever(depth + 1) + frame[(depth * 7) % sizeof(frame)];
}

} // namespace

bool run_panic_test(kstd::StringView kind) {
    kprintln("panic-test: {}", kind);
    if (kind == "page-fault") {
        // The low half holds no kernel mapping, so this load faults in kernel mode.
        volatile u64* unmapped = reinterpret_cast<volatile u64*>(0x10);
        return *unmapped != 0;
    }
    if (kind == "stack-overflow") return recurse_forever(0) != 0;
    if (kind == "assert") {
        volatile bool broken = true;
        KASSERT(!broken);
        return true;
    }
    return false;
}

} // namespace tessera
