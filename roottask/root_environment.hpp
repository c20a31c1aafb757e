#pragma once
// What the root task owns after boot, in the form userlib works with: its BootInfo, the
// free slots of its CNode, every Untyped, and the dynamic window of its address space.
#include <abi/bootinfo.hpp>
#include <userlib/bootinfo.hpp>
#include <userlib/task_loader.hpp>

namespace tessera::roottask {

struct RootEnvironment {
    explicit RootEnvironment(const user::BootInfoView& info)
        : boot_info(info), slots(info.empty_slots()), objects(own_caps().cnode, slots),
          addresses(user::kDynamicRegionBase, user::kDynamicRegionLimit) {}

    static constexpr user::OwnCaps own_caps() {
        return user::OwnCaps{user::CNode(user::CPtr{static_cast<u64>(RootSlot::CNode)}),
                             user::PageTable(user::CPtr{static_cast<u64>(RootSlot::VSpace)}),
                             user::Tcb(user::CPtr{static_cast<u64>(RootSlot::Tcb)}),
                             user::AsidPool(user::CPtr{static_cast<u64>(RootSlot::AsidPool)})};
    }
    user::StarterResources starter() { return user::StarterResources{own_caps(), objects, addresses}; }

    user::BootInfoView boot_info;
    user::SlotAllocator slots;
    user::ObjectAllocator objects;
    user::VirtualRegionAllocator addresses;
};

// The root task's priority once the boot tasks are started: below theirs, so each of
// them runs until it blocks or ends before the root task continues.
inline constexpr u64 kRootRunPriority = 10;

} // namespace tessera::roottask
