// Mapping one 4 KiB frame into a page table that already exists, changing its rights, and
// unmapping it: Frame.Map, Frame.Remap (read-write -> read-only) and Frame.Unmap, each the
// Call system call between two counter reads. The registers are loaded as the invocation
// ABI has them (docs/invocations.md) before the first read, as libsel4's inline stubs do,
// so userlib's request building is not in the figure; the result is checked afterwards.
#include <userlib/address_space.hpp>

#include "bench_support.hpp"

namespace tessera::roottask::bench {

namespace {

user::Result<void> frame_operations(Bench& bench) {
    RootEnvironment& root = bench.root();
    const user::PageTable vspace = RootEnvironment::own_caps().vspace;
    u64 address = TRY(root.addresses.reserve(1));
    // Mapped once through userlib, which makes the page tables the address needs; the
    // measured maps then find them in place.
    user::Frame frame = TRY(user::map_new_frame(root.objects, root.objects, vspace, address, VmRights::kReadWrite));
    TRY(frame.unmap());

    Samples map;
    Samples protect;
    Samples unmap;
    for (u64 round = 0; round < kRounds; ++round) {
        Stamps mapped;
        Stamps protected_;
        Stamps unmapped;
        bool ok = timed_invocation(frame.cap(), InvocationLabel::FrameMap, 3, address, VmRights::kReadWrite,
                                   kVmAttributesNone, vspace.cap(), mapped);
        // A store through the new mapping, outside the measurement: the frame is really there.
        *reinterpret_cast<volatile u64*>(address) = round;
        ok = ok && timed_invocation(frame.cap(), InvocationLabel::FrameRemap, 2, VmRights::kReadOnly,
                                    kVmAttributesNone, 0, user::CPtr{0}, protected_);
        ok = ok && timed_invocation(frame.cap(), InvocationLabel::FrameUnmap, 0, 0, 0, 0, user::CPtr{0}, unmapped);
        if (!ok) return kstd::fail(user::Error::of(ErrorCode::IllegalOperation));
        if (round < kWarmup) continue;
        map.add(interval(mapped.before, mapped.after));
        protect.add(interval(protected_.before, protected_.after));
        unmap.add(interval(unmapped.before, unmapped.after));
    }
    bench.report("map_frame_4k", map);
    bench.report("unmap_frame_4k", unmap);
    bench.report("protect_frame_4k", protect);
    return {};
}

} // namespace

void run_vm_benchmarks(Bench& bench) {
    if (auto ran = frame_operations(bench); !ran) bench.fail("map_frame_4k", ran.error());
}

} // namespace tessera::roottask::bench
