#pragma once
// The block service's protocol (userlib/services/block.hpp) over a VirtioBlockDevice:
// checking each request, answering at once what needs no device, and holding the Reply
// object of each Read or Write until the device's interrupt says it finished. Portable:
// main.cpp does the system calls, the host tests drive this directly.
//
// The driver owns kReplyObjects Reply objects. It always receives with a free one; a
// request that goes to the device keeps the object it arrived on, and the next receive
// takes another. A receive with a held object would cancel that caller, so one object is
// always kept free and at most kReplyObjects - 1 requests are held (the device's request
// slots are fewer still); more are answered Busy.
#include <userlib/services/block.hpp>
#include <userlib/services/held_replies.hpp>
#include <userlib/services/layout.hpp>

#include "block_device.hpp"

namespace tessera::virtio_blk {

class BlockService {
public:
    static constexpr u32 kReplyObjects = user::HeldReplies::kCount;
    static constexpr u32 kMaxHeld = user::HeldReplies::kMaxHeld;
    static_assert(VirtioBlockDevice::kMaxRequests <= kMaxHeld);

    // `device` null: the device could not be started, and every request is NotPresent.
    explicit BlockService(VirtioBlockDevice* device) : device_(device) {}

    // The Reply object (0..kReplyObjects-1) to receive the next request with.
    u32 receive_reply() const { return replies_.receiving(); }
    u32 held_requests() const { return replies_.held_count(); }

    struct Outcome {
        bool held = false;        // the answer comes from handle_interrupt
        user::IpcMessage answer;  // otherwise: send it now (words from 4 are in the buffer)
    };
    // A request received with receive_reply(); words from 4 in `buffer`.
    Outcome handle_request(const user::IpcMessage& request, IpcBuffer& buffer);

    // After the device's interrupt: acknowledges it at the device and answers every
    // finished request with `answer(reply_object, message)`, which must send the message
    // (words from 4 in `buffer`) before it returns. Returns how many were answered.
    template <typename AnswerFn> u32 handle_interrupt(IpcBuffer& buffer, AnswerFn&& answer) {
        if (device_ == nullptr) return 0;
        device_->acknowledge_interrupt();
        u32 answered = 0;
        while (kstd::Optional<BlockCompletion> completion = device_->take_completion()) {
            u32 reply = held_reply_[completion->slot];
            replies_.release(reply);
            answer(reply, answer_for(*completion, buffer));
            ++answered;
        }
        return answered;
    }

private:
    user::IpcMessage answer_for(const BlockCompletion& completion, IpcBuffer& buffer) const;
    Outcome read(const user::IpcMessage& request);
    Outcome write(const user::IpcMessage& request, IpcBuffer& buffer);
    // The request went to the device in `slot`: keep its Reply object, receive with another.
    Outcome hold(u32 slot);

    VirtioBlockDevice* device_;
    user::HeldReplies replies_;
    u32 held_reply_[VirtioBlockDevice::kMaxRequests] = {};
};

} // namespace tessera::virtio_blk
