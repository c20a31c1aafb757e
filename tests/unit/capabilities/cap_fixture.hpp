#pragma once
// A host "kernel" for the capability tests: an aligned arena of RAM that a boot-original
// Untyped capability covers, a root CNode (outside the arena, like the boot CNode) whose
// capability pointers are plain slot numbers, and helpers that make invocations read like
// the calls a root task would make. Everything beyond the boot originals is created through
// the real invocation path (handle_invocation).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <object/capability.hpp>
#include <object/cspace.hpp>
#include <object/delete.hpp>
#include <object/derivation.hpp>
#include <object/errors.hpp>
#include <object/finalise.hpp>
#include <object/invocation.hpp>
#include <object/object_types.hpp>
#include <object/slot.hpp>

namespace captest {

using namespace tessera;

// `2^bits` bytes aligned to their size, filled with `fill` so that missing zeroing shows.
class Arena {
public:
    explicit Arena(unsigned bits, u8 fill = 0xa5);
    ~Arena();
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;

    u64 base() const { return reinterpret_cast<u64>(memory_); }
    u64 size() const { return u64{1} << bits_; }
    unsigned bits() const { return bits_; }
    u8* bytes() const { return static_cast<u8*>(memory_); }
    bool contains(u64 address) const { return address >= base() && address - base() < size(); }
    // True when [address, address + length) holds only `value`.
    static bool all_bytes(u64 address, u64 length, u8 value);

private:
    void* memory_;
    unsigned bits_;
};

// An invocation's outcome as the caller sees it: success, an error reply (label = error
// code, words = the details), a capability fault, or a restart request.
struct Reply {
    InvocationOutcome outcome = InvocationOutcome::Success;
    u64 label = 0;
    std::vector<u64> words;
    CapabilityFault fault;

    bool ok() const { return outcome == InvocationOutcome::Success; }
    bool operator==(const Reply& other) const;
};

Reply success();
Reply error(ErrorCode code, std::vector<u64> details = {});
// FailedLookup: w0 = source flag, w1 = failure type, then the failure's details.
Reply lookup_error(bool source, LookupFailureType type, std::vector<u64> details = {});
Reply capability_fault(u64 pointer, const LookupFailure& failure);
Reply from_invocation_reply(const InvocationReply& reply);

std::string describe(const Capability& cap);
std::string describe(const Reply& reply);
std::string describe(const InvocationError& error);

// A PreemptionPoint whose interrupt is "pending" at every `period`-th check (0: never).
struct PeriodicInterrupt {
    explicit PeriodicInterrupt(u64 period) : period(period), point(&PeriodicInterrupt::check, this) {}
    static bool check(void* self);
    u64 period;
    u64 calls = 0;
    PreemptionPoint point;
};

// Finaliser hooks that record every call; installed for the fixture's lifetime and reset
// (to no hooks) when it ends.
struct FinaliserEvent {
    CapType type;
    u64 value; // the object's address, or the IRQ line
    bool operator==(const FinaliserEvent&) const = default;
};
class FinaliserLog {
public:
    FinaliserLog();
    ~FinaliserLog();
    FinaliserLog(const FinaliserLog&) = delete;
    FinaliserLog& operator=(const FinaliserLog&) = delete;
    u64 count(CapType type, u64 value) const;
    u64 count(CapType type) const;
    const std::vector<FinaliserEvent>& events() const;
    void clear();
};

class Kernel {
public:
    static constexpr u64 kRootCNodeSlot = 2; // the root CNode's capability to itself
    static constexpr u64 kUntypedSlot = 1;   // the boot Untyped over the arena

    // `root_radix`: the root CNode's size; its guard is 64 - radix zero bits, so a pointer
    // is a slot number. The arena's Untyped goes in `untyped_slot`.
    explicit Kernel(unsigned arena_bits = 20, unsigned root_radix = 12, u64 untyped_slot = kUntypedSlot);
    ~Kernel();
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;

    Arena& arena() { return arena_; }
    unsigned root_radix() const { return root_radix_; }
    u64 root_slots() const { return u64{1} << root_radix_; }
    Slot& slot(u64 index);
    const Capability& cap(u64 index) { return slot(index).cap; }
    Slot& cspace_root() { return cspace_root_; } // the thread's CSpace root (the original)
    Slot* root_storage() const { return root_storage_; }

    // A boot-time original (revocable, in no list), as the boot code makes them.
    void place_original(u64 index, const Capability& cap);

    // Invokes capability pointer `invoked` with `label`, `words` and extra capability
    // pointers, as a thread with this CSpace would; `interrupt` stands for pending IRQs.
    Reply invoke(u64 invoked, u64 label, const std::vector<u64>& words, const std::vector<u64>& extra = {},
                 PreemptionPoint* interrupt = nullptr);
    Reply invoke(u64 invoked, InvocationLabel label, const std::vector<u64>& words,
                 const std::vector<u64>& extra = {}, PreemptionPoint* interrupt = nullptr) {
        return invoke(invoked, static_cast<u64>(label), words, extra, interrupt);
    }
    // Re-issues a preempted invocation until it completes; `restarts` counts the restarts.
    Reply invoke_until_done(u64 invoked, InvocationLabel label, const std::vector<u64>& words,
                            const std::vector<u64>& extra, PreemptionPoint& interrupt, u64* restarts = nullptr);

    // Untyped.Retype into the root CNode (extra[0] = the root CNode, depth 0).
    Reply retype(u64 untyped, ObjectType type, u64 size_bits, u64 first_slot, u64 count = 1);
    // The full form: destination CNode (index, depth) in extra[0]'s CSpace.
    Reply retype(u64 untyped, u64 type, u64 size_bits, u64 node_root, u64 node_index, u64 node_depth,
                 u64 offset, u64 count);
    Reply retype(u64 untyped, ObjectType type, u64 size_bits, u64 node_root, u64 node_index, u64 node_depth,
                 u64 offset, u64 count) {
        return retype(untyped, static_cast<u64>(type), size_bits, node_root, node_index, node_depth, offset, count);
    }

    // CNode operations on root-CNode slots (invoked: the root CNode; depth 64).
    Reply copy(u64 dest, u64 src, u64 rights = Rights::kMask);
    Reply mint(u64 dest, u64 src, u64 rights, u64 data);
    Reply move(u64 dest, u64 src);
    Reply mutate(u64 dest, u64 src, u64 data);
    Reply rotate(u64 dest, u64 pivot_data, u64 pivot, u64 src_data, u64 src);
    Reply remove(u64 slot, PreemptionPoint* interrupt = nullptr); // CNode.Delete
    Reply revoke(u64 slot, PreemptionPoint* interrupt = nullptr);

private:
    Arena arena_;
    unsigned root_radix_;
    Slot* root_storage_;
    Slot cspace_root_;
};

// The data word of Mint, Mutate and Rotate for a CNode: its new guard and guard size.
inline u64 cnode_data(u64 guard, u64 guard_bits) { return (guard << 6) | guard_bits; }

// Derivation-list checks: walks from `head` and fails (Catch) on asymmetric links or a
// cycle; returns the nodes in order.
std::vector<Slot*> derivation_list(Slot& head);
// The nodes following `slot` that the kernel considers its descendants (Revoke's view).
std::vector<Slot*> descendants_of(Slot& slot);
// Links among `slots` are symmetric, and empty slots are linked to nothing.
void require_linked_consistently(Slot* slots, u64 count);

// A normalised picture of the derivation lists reachable from the given heads: slot
// locations and object addresses relative to the arena, so two runs can be compared.
std::vector<std::string> snapshot(Kernel& kernel, const std::vector<Slot*>& heads);
std::string normalised(Kernel& kernel, u64 value);
std::string normalised(Kernel& kernel, const Capability& cap);

// Everything a test can see: the lists headed by the CSpace root and by root-CNode slots,
// and every root-CNode slot's capability.
std::vector<std::string> picture(Kernel& kernel);

// Checks at the end of its scope that nothing changed (errors change nothing).
struct Unchanged {
    explicit Unchanged(Kernel& k) : kernel(k), before(picture(k)) {}
    ~Unchanged() { CHECK(picture(kernel) == before); }
    Unchanged(const Unchanged&) = delete;
    Unchanged& operator=(const Unchanged&) = delete;
    Kernel& kernel;
    std::vector<std::string> before;
};

} // namespace captest

namespace Catch {
template <> struct StringMaker<tessera::Capability> {
    static std::string convert(const tessera::Capability& cap) { return captest::describe(cap); }
};
template <> struct StringMaker<captest::Reply> {
    static std::string convert(const captest::Reply& reply) { return captest::describe(reply); }
};
} // namespace Catch
