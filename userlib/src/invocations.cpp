// The typed wrappers: each builds the words and extra capabilities its label documents
// (abi/invocation_labels.hpp, docs/invocations.md) and sends them through invoke().
#include <userlib/invocations.hpp>
#include <userlib/ipc_message.hpp>

namespace tessera::user {

namespace {

Request request(InvocationLabel label) { return Request(label); }

Request& slot(Request& r, SlotPath path) { return r.word(path.index).word(path.depth); }

} // namespace

Result<void> Untyped::retype(ObjectType type, u64 size_bits, CNode root, u64 node_index, u64 node_depth,
                             u64 first_slot, u64 count) const {
    Request r = request(InvocationLabel::UntypedRetype);
    r.word(static_cast<u64>(type)).word(size_bits).word(node_index).word(node_depth).word(first_slot).word(count);
    r.cap(root.cap());
    return invoke(cap(), r);
}

Result<void> CNode::revoke(SlotPath target) const {
    Request r = request(InvocationLabel::CNodeRevoke);
    return invoke(cap(), slot(r, target));
}

Result<void> CNode::delete_(SlotPath target) const {
    Request r = request(InvocationLabel::CNodeDelete);
    return invoke(cap(), slot(r, target));
}

Result<void> CNode::copy(SlotPath destination, CNode source_root, SlotPath source, CapRights rights) const {
    Request r = request(InvocationLabel::CNodeCopy);
    slot(slot(r, destination), source).word(rights.bits).cap(source_root.cap());
    return invoke(cap(), r);
}

Result<void> CNode::mint(SlotPath destination, CNode source_root, SlotPath source, CapRights rights, u64 data) const {
    Request r = request(InvocationLabel::CNodeMint);
    slot(slot(r, destination), source).word(rights.bits).word(data).cap(source_root.cap());
    return invoke(cap(), r);
}

Result<void> CNode::move(SlotPath destination, CNode source_root, SlotPath source) const {
    Request r = request(InvocationLabel::CNodeMove);
    slot(slot(r, destination), source).cap(source_root.cap());
    return invoke(cap(), r);
}

Result<void> CNode::mutate(SlotPath destination, CNode source_root, SlotPath source, u64 guard_data) const {
    Request r = request(InvocationLabel::CNodeMutate);
    slot(slot(r, destination), source).word(guard_data).cap(source_root.cap());
    return invoke(cap(), r);
}

Result<void> CNode::rotate(SlotPath destination, u64 pivot_new_data, CNode pivot_root, SlotPath pivot,
                           u64 source_new_data, CNode source_root, SlotPath source) const {
    Request r = request(InvocationLabel::CNodeRotate);
    slot(r, destination).word(pivot_new_data);
    slot(r, pivot).word(source_new_data);
    slot(r, source).cap(pivot_root.cap()).cap(source_root.cap());
    return invoke(cap(), r);
}

Result<void> CNode::cancel_badged_sends(SlotPath endpoint) const {
    Request r = request(InvocationLabel::CNodeCancelBadgedSends);
    return invoke(cap(), slot(r, endpoint));
}

Result<CapabilityReport> CNode::describe(SlotPath target) const {
    Request r = request(InvocationLabel::CNodeDescribe);
    Reply reply;
    TRY(invoke(cap(), slot(r, target), reply));
    if (reply.length < static_cast<u64>(CapabilityDescription::Count))
        return kstd::fail(Error::of(LibraryError::UnexpectedReply));
    auto word = [&](CapabilityDescription which) { return reply.words[static_cast<u64>(which)]; };
    return CapabilityReport{static_cast<CapabilityKind>(word(CapabilityDescription::Kind)),
                            word(CapabilityDescription::Rights), word(CapabilityDescription::Data),
                            word(CapabilityDescription::Object), word(CapabilityDescription::SizeBits)};
}

Result<void> PageTable::map(PageTable vspace, u64 vaddr, u64 attributes) const {
    Request r = request(InvocationLabel::PageTableMap);
    r.word(vaddr).word(attributes).cap(vspace.cap());
    return invoke(cap(), r);
}

Result<void> PageTable::unmap() const { return invoke(cap(), request(InvocationLabel::PageTableUnmap)); }

Result<void> Frame::map(PageTable vspace, u64 vaddr, u64 rights, u64 attributes) const {
    Request r = request(InvocationLabel::FrameMap);
    r.word(vaddr).word(rights).word(attributes).cap(vspace.cap());
    return invoke(cap(), r);
}

Result<void> Frame::remap(u64 rights, u64 attributes) const {
    Request r = request(InvocationLabel::FrameRemap);
    r.word(rights).word(attributes);
    return invoke(cap(), r);
}

Result<void> Frame::unmap() const { return invoke(cap(), request(InvocationLabel::FrameUnmap)); }

Result<u64> Frame::get_address() const {
    Reply reply;
    TRY(invoke(cap(), request(InvocationLabel::FrameGetAddress), reply));
    if (reply.length < 1) return kstd::fail(Error::of(LibraryError::UnexpectedReply));
    return reply.words[0];
}

Result<void> Tcb::configure(CPtr fault_endpoint, CNode cspace_root, u64 cspace_root_data, PageTable vspace_root,
                            u64 vspace_root_data, u64 ipc_buffer_address, Frame ipc_buffer_frame) const {
    Request r = request(InvocationLabel::TcbConfigure);
    r.word(fault_endpoint.value).word(cspace_root_data).word(vspace_root_data).word(ipc_buffer_address);
    r.cap(cspace_root.cap()).cap(vspace_root.cap());
    if (ipc_buffer_address != 0) r.cap(ipc_buffer_frame.cap());
    return invoke(cap(), r);
}

Result<void> Tcb::set_priority(u64 priority, Tcb authority) const {
    Request r = request(InvocationLabel::TcbSetPriority);
    r.word(priority).cap(authority.cap());
    return invoke(cap(), r);
}

Result<void> Tcb::set_mc_priority(u64 mcp, Tcb authority) const {
    Request r = request(InvocationLabel::TcbSetMCPriority);
    r.word(mcp).cap(authority.cap());
    return invoke(cap(), r);
}

Result<void> Tcb::set_ipc_buffer(u64 ipc_buffer_address, Frame ipc_buffer_frame) const {
    Request r = request(InvocationLabel::TcbSetIpcBuffer);
    r.word(ipc_buffer_address);
    if (ipc_buffer_address != 0) r.cap(ipc_buffer_frame.cap());
    return invoke(cap(), r);
}

Result<void> Tcb::set_space(CPtr fault_endpoint, CNode cspace_root, u64 cspace_root_data, PageTable vspace_root,
                            u64 vspace_root_data) const {
    Request r = request(InvocationLabel::TcbSetSpace);
    r.word(fault_endpoint.value).word(cspace_root_data).word(vspace_root_data);
    r.cap(cspace_root.cap()).cap(vspace_root.cap());
    return invoke(cap(), r);
}

Result<void> Tcb::suspend() const { return invoke(cap(), request(InvocationLabel::TcbSuspend)); }

Result<void> Tcb::resume() const { return invoke(cap(), request(InvocationLabel::TcbResume)); }

Result<arch::UserContext> Tcb::read_registers(u64 count) const {
    if (count > arch::kUserContextWords) count = arch::kUserContextWords;
    Request r = request(InvocationLabel::TcbReadRegisters);
    r.word(count);
    Reply reply;
    TRY(invoke(cap(), r, reply));
    if (reply.length < count) return kstd::fail(Error::of(LibraryError::UnexpectedReply, reply.length));
    arch::UserContext context{};
    for (u64 i = 0; i < count; ++i) {
        if (i == 0) context.pc = reply.words[0];
        else context.x[i - 1] = reply.words[i];
    }
    return context;
}

Result<void> Tcb::write_registers(const arch::UserContext& context, bool resume, u64 count) const {
    if (count > arch::kUserContextWords) count = arch::kUserContextWords;
    Request r = request(InvocationLabel::TcbWriteRegisters);
    r.word(resume ? 1 : 0).word(count);
    for (u64 i = 0; i < count; ++i) r.word(i == 0 ? context.pc : context.x[i - 1]);
    return invoke(cap(), r);
}

Result<void> Tcb::copy_registers(Tcb source, TcbCopyRegisterSets sets) const {
    Request r = request(InvocationLabel::TcbCopyRegisters);
    r.word(sets.suspend_source).word(sets.resume_target).word(sets.frame).word(sets.integer);
    r.cap(source.cap());
    return invoke(cap(), r);
}

PackedName pack_tcb_name(kstd::StringView name) {
    PackedName packed;
    for (usize i = 0; i < name.size() && i < kTcbNameBytes; ++i)
        packed.words[i / 8] |= u64{static_cast<u8>(name[i])} << (8 * (i % 8));
    return packed;
}

Result<void> Tcb::set_name(kstd::StringView name) const {
    PackedName packed = pack_tcb_name(name);
    Request r = request(InvocationLabel::TcbSetName);
    r.word(packed.words[0]).word(packed.words[1]);
    return invoke(cap(), r);
}

Result<void> Tcb::bind_notification(Notification notification) const {
    Request r = request(InvocationLabel::TcbBindNotification);
    r.cap(notification.cap());
    return invoke(cap(), r);
}

Result<void> Tcb::unbind_notification() const {
    return invoke(cap(), request(InvocationLabel::TcbUnbindNotification));
}

Result<ThreadReport> Tcb::get_status() const {
    Reply reply;
    TRY(invoke(cap(), request(InvocationLabel::TcbGetStatus), reply));
    if (reply.length < static_cast<u64>(ThreadStatusWord::Count))
        return kstd::fail(Error::of(LibraryError::UnexpectedReply));
    auto word = [&](ThreadStatusWord which) { return reply.words[static_cast<u64>(which)]; };
    ThreadReport report;
    report.state = static_cast<ThreadStatus>(word(ThreadStatusWord::State));
    report.priority = word(ThreadStatusWord::Priority);
    report.max_controlled_priority = word(ThreadStatusWord::MaxControlledPriority);
    u64 name[2] = {word(ThreadStatusWord::NameLow), word(ThreadStatusWord::NameHigh)};
    for (usize i = 0; i + 1 < sizeof(report.name); ++i) report.name[i] = static_cast<char>(name[i / 8] >> (8 * (i % 8)));
    return report;
}

Result<void> AsidControl::make_pool(Untyped untyped, CNode root, SlotPath destination) const {
    Request r = request(InvocationLabel::AsidControlMakePool);
    slot(r, destination).cap(untyped.cap()).cap(root.cap());
    return invoke(cap(), r);
}

Result<void> AsidPool::assign(PageTable vspace_root) const {
    Request r = request(InvocationLabel::AsidPoolAssign);
    r.cap(vspace_root.cap());
    return invoke(cap(), r);
}

Result<void> IrqControl::get(u64 line, IrqTrigger trigger, bool shared, CNode root, SlotPath destination) const {
    Request r = request(InvocationLabel::IrqControlGet);
    r.word(line).word(static_cast<u64>(trigger)).word(shared ? 1 : 0);
    slot(r, destination).cap(root.cap());
    return invoke(cap(), r);
}

Result<void> IrqHandler::set_notification(Notification notification) const {
    Request r = request(InvocationLabel::IrqHandlerSetNotification);
    r.cap(notification.cap());
    return invoke(cap(), r);
}

Result<void> IrqHandler::ack() const { return invoke(cap(), request(InvocationLabel::IrqHandlerAck)); }

Result<void> IrqHandler::clear() const { return invoke(cap(), request(InvocationLabel::IrqHandlerClear)); }

Result<void> IrqHandler::set_priority(u64 priority) const {
    Request r = request(InvocationLabel::IrqHandlerSetPriority);
    r.word(priority);
    return invoke(cap(), r);
}

Result<IrqHandlerStatus> IrqHandler::status() const {
    Reply reply;
    TRY(invoke(cap(), request(InvocationLabel::IrqHandlerGetStatus), reply));
    if (reply.length < kIrqStatusWords) return kstd::fail(Error::of(LibraryError::UnexpectedReply));
    auto word = [&](IrqStatusWord which) { return reply.words[static_cast<u64>(which)]; };
    IrqHandlerStatus status;
    status.bound = word(IrqStatusWord::Bound) != 0;
    status.masked = word(IrqStatusWord::Masked) != 0;
    status.delivered = word(IrqStatusWord::Delivered);
    status.last_time = word(IrqStatusWord::LastTime);
    status.line = word(IrqStatusWord::Line);
    status.shared = word(IrqStatusWord::Shared) != 0;
    status.awaiting_ack = word(IrqStatusWord::AwaitingAck) != 0;
    return status;
}

} // namespace tessera::user
