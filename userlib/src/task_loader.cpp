#include <kstd/bit.hpp>
#include <userlib/elf_plan.hpp>
#include <userlib/task_loader.hpp>

namespace tessera::user {

namespace {

// A page of the starter's own address space where new frames are filled before they
// move to the task.
class ScratchPage {
public:
    ScratchPage(StarterResources& starter, u64 address) : starter_(starter), address_(address) {}

    // Maps `frame` here, lets `fill` write the page, unmaps it again.
    template <typename Fill> Result<void> fill(Frame frame, Fill&& fill_bytes) {
        TRY(map_frame(starter_.tables_for_own_space(), starter_.own.vspace, frame, address_, VmRights::kReadWrite));
        fill_bytes(kstd::Span<u8>(reinterpret_cast<u8*>(address_), kPageBytes));
        return frame.unmap();
    }

private:
    StarterResources& starter_;
    u64 address_;
};

struct NewTask {
    CNode cnode;        // unguarded: addresses the task's slots at depth kTaskCNodeRadix
    CNode cnode_guarded; // what the task's CSpace root is
    PageTable vspace;
    Tcb tcb;
    Frame ipc_buffer;
};

Result<NewTask> make_objects(StarterResources& starter) {
    ObjectAllocator& objects = starter.objects;
    NewTask task;
    task.cnode = CNode(TRY(objects.allocate(ObjectType::CNode, kTaskCNodeRadix)));
    // A guard of the bits above the radix makes every 64-bit pointer a plain slot number.
    task.cnode_guarded = CNode(TRY(objects.slots().allocate()));
    TRY(starter.own.cnode.mint(SlotPath::at(task.cnode_guarded.cap()), starter.own.cnode, SlotPath::at(task.cnode.cap()),
                               CapRights::all(), cnode_guard_data(0, 64 - kTaskCNodeRadix)));
    task.vspace = PageTable(TRY(objects.allocate(ObjectType::PageTable)));
    TRY(starter.own.asid_pool.assign(task.vspace));
    task.tcb = Tcb(TRY(objects.allocate(ObjectType::Tcb)));
    task.ipc_buffer = Frame(TRY(objects.allocate(ObjectType::Frame4K)));
    return task;
}

TaskInfo make_task_info(const TaskSpec& spec) {
    TaskInfo info{};
    info.magic = kTaskInfoMagic;
    info.version = kTaskInfoVersion;
    info.cnode_radix = kTaskCNodeRadix;
    info.ipc_buffer = kTaskIpcBufferAddress;
    info.given = SlotRange{slot_of(TaskSlot::FirstGiven), slot_of(TaskSlot::FirstGiven) + spec.caps.size()};
    info.empty = SlotRange{info.given.end, u64{1} << kTaskCNodeRadix};
    info.stack_top = kTaskStackTop;
    info.argument = spec.argument;
    for (usize i = 0; i < spec.name.size() && i + 1 < kTaskNameBytes; ++i) info.name[i] = spec.name[i];
    return info;
}

// TaskInfo at the top of the stack; the stack pointer starts just below it.
constexpr u64 kTaskInfoAddress = kTaskStackTop - kstd::align_up(sizeof(TaskInfo), 16);

Result<void> load_image(StarterResources& starter, ScratchPage& scratch, const NewTask& task, const ElfImage& image,
                        const LoadPlan& plan, u64& pages) {
    for (const PageRun& run : plan.runs) {
        for (u64 page = run.first_page; page < run.end(); page += kPageBytes) {
            Frame frame(TRY(starter.objects.allocate(ObjectType::Frame4K)));
            TRY(scratch.fill(frame, [&](kstd::Span<u8> bytes) { fill_page(image, page, bytes); }));
            TRY(map_frame(starter.objects, task.vspace, frame, page, run.rights));
            ++pages;
        }
    }
    return {};
}

Result<void> make_stack(StarterResources& starter, ScratchPage& scratch, const NewTask& task, const TaskSpec& spec,
                        u64& pages) {
    TaskInfo info = make_task_info(spec);
    u64 stack_pages = kstd::max<u64>(spec.stack_pages, 1);
    for (u64 i = 0; i < stack_pages; ++i) {
        u64 page = kTaskStackTop - (i + 1) * kPageBytes;
        Frame frame(TRY(starter.objects.allocate(ObjectType::Frame4K)));
        if (i == 0) {
            TRY(scratch.fill(frame, [&](kstd::Span<u8> bytes) {
                __builtin_memcpy(bytes.data() + (kTaskInfoAddress - page), &info, sizeof(info));
            }));
        }
        TRY(map_frame(starter.objects, task.vspace, frame, page, VmRights::kReadWrite));
        ++pages;
    }
    TRY(map_frame(starter.objects, task.vspace, task.ipc_buffer, kTaskIpcBufferAddress, VmRights::kReadWrite));
    ++pages;
    return {};
}

Result<void> map_given_frames(StarterResources& starter, const NewTask& task, const TaskSpec& spec, u64& pages) {
    CNode own = starter.own.cnode;
    for (const MappedFrame& mapping : spec.mappings) {
        Frame copy(TRY(starter.objects.slots().allocate()));
        TRY(own.copy(SlotPath::at(copy.cap()), own, SlotPath::at(mapping.frame), CapRights::all()));
        TRY(map_frame(starter.objects, task.vspace, copy, mapping.address, mapping.rights));
        ++pages;
    }
    return {};
}

// The task's initial CSpace (task_layout.hpp): itself, its VSpace, TCB, IPC buffer, then
// exactly the listed capabilities.
Result<void> fill_cspace(StarterResources& starter, const NewTask& task, const TaskSpec& spec) {
    CNode own = starter.own.cnode;
    auto into = [&](TaskSlot slot, u64 offset = 0) { return SlotPath{slot_of(slot) + offset, kTaskCNodeRadix}; };
    TRY(task.cnode.copy(into(TaskSlot::CNode), own, SlotPath::at(task.cnode_guarded.cap()), CapRights::all()));
    TRY(task.cnode.copy(into(TaskSlot::VSpace), own, SlotPath::at(task.vspace.cap()), CapRights::all()));
    TRY(task.cnode.copy(into(TaskSlot::Tcb), own, SlotPath::at(task.tcb.cap()), CapRights::all()));
    TRY(task.cnode.copy(into(TaskSlot::IpcBufferFrame), own, SlotPath::at(task.ipc_buffer.cap()), CapRights::all()));
    for (usize i = 0; i < spec.caps.size(); ++i) {
        const GivenCap& given = spec.caps[i];
        if (given.source.is_null()) continue; // a service the system lacks: the slot stays empty
        if (given.move) TRY(task.cnode.move(into(TaskSlot::FirstGiven, i), own, SlotPath::at(given.source)));
        else TRY(task.cnode.copy(into(TaskSlot::FirstGiven, i), own, SlotPath::at(given.source), given.rights));
    }
    return {};
}

Result<void> start_thread_of(StarterResources& starter, const NewTask& task, const TaskSpec& spec, u64 entry) {
    TRY(task.tcb.configure(spec.fault_endpoint, task.cnode_guarded, 0, task.vspace, 0, kTaskIpcBufferAddress,
                           task.ipc_buffer));
    TRY(task.tcb.set_mc_priority(spec.max_controlled_priority, starter.own.tcb));
    TRY(task.tcb.set_priority(spec.priority, starter.own.tcb));
    TRY(task.tcb.set_name(spec.name));
    arch::UserContext registers{};
    registers.pc = entry;
    registers.reg(2) = kTaskInfoAddress;  // sp
    registers.reg(10) = kTaskInfoAddress; // a0
    TRY(task.tcb.write_registers(registers, false));
    return task.tcb.resume();
}

} // namespace

Result<StartedTask> start_task(StarterResources& starter, const TaskSpec& spec) {
    if (spec.caps.size() > (u64{1} << kTaskCNodeRadix) - slot_of(TaskSlot::FirstGiven))
        return kstd::fail(Error::of(LibraryError::OutOfSlots, spec.caps.size()));
    ElfTarget target{static_cast<ElfMachine>(arch::kUserElfMachine), kDynamicRegionBase};
    auto parsed = parse_elf(spec.elf, target);
    if (!parsed) return kstd::fail(Error::of(LibraryError::BadElf, static_cast<u64>(parsed.error().kind)));
    const ElfImage& image = parsed.value();
    LoadPlan plan = TRY(plan_load(image));

    ScratchPage scratch(starter, TRY(starter.own_addresses.reserve(1)));
    NewTask task = TRY(make_objects(starter));
    StartedTask started{task.cnode, task.vspace, task.tcb, image.entry, 0};
    TRY(load_image(starter, scratch, task, image, plan, started.pages));
    TRY(make_stack(starter, scratch, task, spec, started.pages));
    TRY(map_given_frames(starter, task, spec, started.pages));
    TRY(fill_cspace(starter, task, spec));
    TRY(start_thread_of(starter, task, spec, image.entry));
    return started;
}

} // namespace tessera::user
