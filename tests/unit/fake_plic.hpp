#pragma once
// A fake PLIC register window for the host tests: it records every access in order and
// behaves like the device where the driver depends on it. Priority registers keep only
// the bits a 3-bit PLIC implements (QEMU's virt machine has levels 0..7), and a read of a
// context's claim register hands out the lines a test queued for that context, then 0.
// Everything else is plain memory, zero until written.
#include <cstdint>
#include <deque>
#include <map>
#include <ostream>
#include <vector>

#include <irq/plic.hpp>

namespace tessera_test {

struct RegisterAccess {
    bool write;
    u64 offset;
    u32 value;
    bool operator==(const RegisterAccess&) const = default;
};

// How Catch shows an access in a failed comparison: "write 0x2080 <- 0x400".
inline std::ostream& operator<<(std::ostream& out, const RegisterAccess& access) {
    return out << (access.write ? "write 0x" : "read 0x") << std::hex << access.offset
               << (access.write ? " <- 0x" : " -> 0x") << access.value << std::dec;
}

inline RegisterAccess write_of(u64 offset, u32 value) { return {true, offset, value}; }
inline RegisterAccess read_of(u64 offset, u32 value) { return {false, offset, value}; }

class FakePlicRegisters {
public:
    // QEMU virt's window: contexts up to 1023 fit in it.
    static constexpr u64 kDefaultSize = 0x600000;

    explicit FakePlicRegisters(u64 size = kDefaultSize, u32 priority_mask = 7)
        : size_(size), priority_mask_(priority_mask) {}

    tessera::RegisterWindow window() { return tessera::RegisterWindow(&kAccess, this, size_); }

    void queue_claims(u32 context, std::initializer_list<u32> lines) {
        for (u32 line : lines) claims_[context].push_back(line);
    }
    // Sets a register without recording it, as the hardware would (pending bits).
    void preset(u64 offset, u32 value) { memory_[offset] = value; }
    u32 peek(u64 offset) const {
        auto found = memory_.find(offset);
        return found == memory_.end() ? 0 : found->second;
    }

    const std::vector<RegisterAccess>& journal() const { return journal_; }
    std::vector<RegisterAccess> writes() const {
        std::vector<RegisterAccess> only;
        for (const RegisterAccess& access : journal_)
            if (access.write) only.push_back(access);
        return only;
    }
    void forget() { journal_.clear(); }

private:
    static bool is_claim_complete(u64 offset) {
        namespace layout = tessera::plic_layout;
        return offset >= layout::kContextBase &&
               (offset - layout::kContextBase) % layout::kContextStride == layout::kClaimCompleteOffset;
    }
    static u32 context_of_claim(u64 offset) {
        namespace layout = tessera::plic_layout;
        return static_cast<u32>((offset - layout::kContextBase) / layout::kContextStride);
    }
    static bool is_priority(u64 offset) { return offset < tessera::plic_layout::kPendingBase; }

    static u32 read(void* context, u64 offset) {
        auto* self = static_cast<FakePlicRegisters*>(context);
        u32 value = self->peek(offset);
        if (is_claim_complete(offset)) {
            auto& queue = self->claims_[context_of_claim(offset)];
            value = queue.empty() ? 0 : queue.front();
            if (!queue.empty()) queue.pop_front();
        }
        self->journal_.push_back(read_of(offset, value));
        return value;
    }
    static void write(void* context, u64 offset, u32 value) {
        auto* self = static_cast<FakePlicRegisters*>(context);
        self->journal_.push_back(write_of(offset, value));
        if (is_claim_complete(offset)) return; // a completion is an event, not a value
        self->memory_[offset] = is_priority(offset) ? value & self->priority_mask_ : value;
    }
    static constexpr tessera::RegisterWindow::Access kAccess{read, write};

    u64 size_;
    u32 priority_mask_;
    std::map<u64, u32> memory_;
    std::map<u32, std::deque<u32>> claims_;
    std::vector<RegisterAccess> journal_;
};

} // namespace tessera_test
