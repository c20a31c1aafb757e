#pragma once
// The IPC buffer: one per thread, 1 KiB, naturally aligned, inside a frame the thread has
// mapped and named with TCB.Configure or TCB.SetIpcBuffer. The kernel reads message
// words beyond the registers and the extra capabilities' pointers from it and writes
// reply words into it.
#include <abi/message_info.hpp>
#include <kstd/types.hpp>

namespace tessera {

struct IpcBuffer {
    u64 tag;                                            // message info (mirrors a1)
    u64 message[MessageInfo::kMaxMessageLength];        // words 0..3 also travel in a2..a5
    u64 user_data;                                      // free for user space (thread data)
    u64 caps_or_badges[MessageInfo::kMaxExtraCaps];     // extra capabilities' pointers
    u64 receive_cnode;                                  // where a received capability goes
    u64 receive_index;
    u64 receive_depth;
};

inline constexpr u64 kIpcBufferSizeBits = 10;
static_assert(sizeof(IpcBuffer) == (u64{1} << kIpcBufferSizeBits), "the IPC buffer layout is ABI");
static_assert(__builtin_offsetof(IpcBuffer, message) == 8);
static_assert(__builtin_offsetof(IpcBuffer, caps_or_badges) == 8 * 122);

} // namespace tessera
