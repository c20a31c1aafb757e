#pragma once
// The console protocol (userlib/services/console.hpp) over an Ns16550a: which requests
// are answered at once, which are held in which Reply object, and when the held ones are
// answered. Portable: answers to held requests leave through AnswerSink (Reply system
// calls in the driver task, a recorder in the host tests), and the message words beyond
// the registers go into `buffer`, the driver's IPC buffer, right before each answer.
//
// Clients are untrusted: every request word is checked, and no client can make the
// driver lose a byte, stop serving others, or run out of Reply objects to receive with.
// - A Read finds bytes waiting: answered at once with up to the count asked for. It
//   finds none: held (at most kConsoleMaxHeldReads), and answered oldest first as bytes
//   arrive.
// - A Write goes into the transmit ring whole (so writes of different clients never
//   interleave inside one request) and is answered at once; one that does not fit yet is
//   held, with its bytes copied out of the IPC buffer, until it does. Writes keep their
//   order: one that would fit still waits behind a held one.
// - Holding takes the Reply object the request came through; the next receive uses a
//   free one. One object always stays free, so a request that would need the last one
//   gets Busy instead.
#include <kstd/optional.hpp>
#include <userlib/services/console.hpp>
#include <userlib/services/held_replies.hpp>
#include <userlib/services/layout.hpp>

#include "ns16550a.hpp"

namespace tessera::drivers::uart {

class AnswerSink {
public:
    // Answers the caller parked on Reply object `reply_object` (0..kDriverReplyObjects-1);
    // words 4.. of `answer` are in the IPC buffer already.
    virtual void answer(u32 reply_object, const user::IpcMessage& answer) = 0;

protected:
    ~AnswerSink() = default;
};

inline constexpr u32 kReplyObjects = user::HeldReplies::kCount;
// Every Reply object but the one kept for receiving may hold a request.
inline constexpr u32 kMaxHeldRequests = user::HeldReplies::kMaxHeld;
static_assert(kMaxHeldRequests >= user::kConsoleMaxHeldReads + 1,
              "a writer must be able to wait while the most readers do");
// A held Write is queued whole, so the transmit ring must take the longest one with
// every byte a newline.
static_assert(kTransmitRingBytes >= 2 * user::kConsoleMaxTransfer);

class ConsoleService {
public:
    ConsoleService(Ns16550a& uart, IpcBuffer& buffer, AnswerSink& sink)
        : uart_(uart), buffer_(buffer), sink_(sink) {}
    ConsoleService(const ConsoleService&) = delete;
    ConsoleService& operator=(const ConsoleService&) = delete;

    // The Reply object to receive the next request with; no held request uses it.
    u32 receiving_reply_object() const { return replies_.receiving(); }

    // A request received with receiving_reply_object() (its words beyond the registers in
    // the IPC buffer). Returns the answer to give through that object now, or none when
    // the request is held: receiving_reply_object() then names another object.
    kstd::Optional<user::IpcMessage> handle(const user::IpcMessage& request);

    // Services the UART and answers the held requests that can be answered now. Call it
    // on every interrupt and after queuing output of the driver's own.
    void pump();

    u32 held_reads() const { return held_reads_; }
    u32 held_writes() const { return held_writes_; }

private:
    struct HeldRead {
        u32 reply_object = 0;
        u32 wanted = 0;
    };
    struct HeldWrite {
        u32 reply_object = 0;
        u32 length = 0;
        u8 bytes[user::kConsoleMaxTransfer] = {};
    };

    kstd::Optional<user::IpcMessage> handle_write(const user::IpcMessage& request);
    kstd::Optional<user::IpcMessage> handle_read(const user::IpcMessage& request);
    // Answers held requests; returns whether it changed either ring (the UART then needs
    // servicing again).
    bool complete_held();
    user::IpcMessage read_answer(kstd::Bytes bytes);

    Ns16550a& uart_;
    IpcBuffer& buffer_;
    AnswerSink& sink_;

    user::HeldReplies replies_;
    HeldRead reads_[user::kConsoleMaxHeldReads]; // oldest first
    u32 held_reads_ = 0;
    HeldWrite writes_[kMaxHeldRequests]; // a circle from first_write_, oldest first
    u32 first_write_ = 0;
    u32 held_writes_ = 0;
};

} // namespace tessera::drivers::uart
