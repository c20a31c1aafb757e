#pragma once
// A small CSpace for the boot self-tests that exercise kernel objects on the target: a
// root CNode of 256 slots (slot 0: itself, slot 1: a 128 KiB Untyped over free RAM).
// Capability pointers are plain slot numbers. Only used in selftest mode, which powers
// off afterwards, so the memory is never also handed to a root task.
#include <boot/selftest.hpp>
#include <object/invocation.hpp>

namespace tessera {

// Empties the space and places the CNode and the Untyped; false (with a failure
// recorded) when no free RAM holds an aligned 128 KiB block.
bool selftest_space_set_up(SelfTestContext& t);
Slot& selftest_slot(u64 index);
// Invokes a capability of the space; `extra_pointer` ~0 means no extra capability.
InvocationReply selftest_invoke(u64 pointer, InvocationLabel label, kstd::Span<const u64> words, u64 extra_pointer,
                                PreemptionPoint& preemption);

} // namespace tessera
