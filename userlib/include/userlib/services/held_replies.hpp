#pragma once
// A server's Reply objects, by index (docs/services.md, "Held requests"): it receives with
// one, and a request it cannot answer yet stays parked on the object it came with while the
// server receives again with a free one. One object is always kept free for receiving, so
// at most kCount - 1 requests are held. Portable: the drivers' host tests use it.
#include <kstd/assert.hpp>
#include <userlib/services/layout.hpp>

namespace tessera::user {

class HeldReplies {
public:
    static constexpr u32 kCount = static_cast<u32>(kDriverReplyObjects);
    static constexpr u32 kMaxHeld = kCount - 1;

    // The object to receive the next request with.
    u32 receiving() const { return receiving_; }
    bool can_hold() const { return held_ < kMaxHeld; }
    u32 held_count() const { return held_; }
    bool is_held(u32 reply) const { return reply < kCount && held_flags_[reply]; }

    // Keeps the object the current request came with (receiving()) for a later answer and
    // moves receiving() to a free one. Only when can_hold(). Returns the held object.
    u32 hold() {
        KASSERT(can_hold());
        u32 held = receiving_;
        held_flags_[held] = true;
        ++held_;
        for (u32 reply = 0; reply < kCount; ++reply) {
            if (!held_flags_[reply]) {
                receiving_ = reply;
                break;
            }
        }
        return held;
    }

    // The held request on `reply` was answered: the object is free again.
    void release(u32 reply) {
        KASSERT(is_held(reply));
        held_flags_[reply] = false;
        --held_;
    }

private:
    bool held_flags_[kCount] = {};
    u32 held_ = 0;
    u32 receiving_ = 0;
};

} // namespace tessera::user
