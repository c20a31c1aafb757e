// A server in a task of its own, for the root task's cross-address-space IPC test
// (IPC0023); it is in the boot image but not in the manifest, so only that test starts it.
// Its endpoint is its first given capability; the starter moves a Reply object into its
// first empty slot before it runs, and a capability sent to it lands in the next one.
// Every Call is answered with the caller's badge as label and each word plus one (words 4..
// through the IPC buffers); a notification capability that arrives is signalled (with its
// own badge) and deleted.
#include <userlib/invocations.hpp>
#include <userlib/ipc.hpp>
#include <userlib/start.hpp>
#include <userlib/syscalls.hpp>

using namespace tessera;
using namespace tessera::user;

namespace {

IpcMessage answer_to(const IpcMessage& request, IpcBuffer& buffer) {
    MessageInfo info = request.info();
    IpcMessage answer(MessageInfo{request.badge, info.length, 0, 0});
    for (u64 i = 0; i < info.length; ++i) {
        if (i < kMessageRegisterCount) answer.words[i] = request.words[i] + 1;
        else buffer.message[i] = buffer.message[i] + 1;
    }
    return answer;
}

} // namespace

int task_main(const TaskStart& start) {
    if (start.task_info == nullptr) return 1;
    const CNode own_cnode(CPtr{slot_of(TaskSlot::CNode)});
    const Endpoint endpoint(CPtr{slot_of(TaskSlot::FirstGiven)});
    const ReplyObject reply(CPtr{start.task_info->empty.start});
    const CPtr received{start.task_info->empty.start + 1};
    IpcBuffer& buffer = *current_ipc_buffer();
    set_receive_slot(buffer, own_cnode, SlotPath::at(received));

    IpcMessage request = endpoint.recv(reply);
    for (;;) {
        if (request.info().extra_caps == 1 && request.info().caps_unwrapped == 0) {
            (void)Notification(received).signal();
            (void)own_cnode.delete_(SlotPath::at(received));
        }
        request = endpoint.reply_recv(reply, answer_to(request, buffer));
    }
}
