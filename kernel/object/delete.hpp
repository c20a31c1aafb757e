#pragma once
// Delete and Revoke. Both can be long (a CNode of a million slots, a deep derivation
// tree), so both stop at preemption points when an interrupt is pending and return
// ErrorCode::Preempted; the kernel takes the interrupt and restarts the invocation, which
// continues where it stopped because every step leaves the tree consistent.
#include <kstd/result.hpp>
#include <object/errors.hpp>
#include <object/slot.hpp>

namespace tessera {

class PreemptionPoint {
public:
    using Check = bool (*)(void* context);
    PreemptionPoint(Check interrupt_pending, void* context) : pending_(interrupt_pending), context_(context) {}

    // True when the operation should stop now; counted so tests can see the points.
    bool should_stop() {
        ++points_;
        return pending_ != nullptr && pending_(context_);
    }
    u64 points_passed() const { return points_; }

private:
    Check pending_;
    void* context_;
    u64 points_ = 0;
};

// Deletes the capability in `slot`, finalising its object if it was the last capability
// (seL4's cteDelete with exposed = true).
kstd::Result<void, ErrorCode> delete_slot(Slot& slot, PreemptionPoint& preemption);

// Deletes every descendant of the capability in `slot`; the capability itself stays.
kstd::Result<void, ErrorCode> revoke_slot(Slot& slot, PreemptionPoint& preemption);

} // namespace tessera
