#pragma once
// The message-info word that accompanies every message, invocation and reply (seL4's
// layout):
//   bits 0..6   length: message words, at most kMaxMessageLength
//   bits 7..8   extra capabilities, at most kMaxExtraCaps
//   bits 9..11  capabilities unwrapped (a bit per extra capability, on receive)
//   bits 12..63 label: the operation, or the error code in a reply
#include <kstd/types.hpp>

namespace tessera {

struct MessageInfo {
    u64 label = 0;
    u64 length = 0;
    u64 extra_caps = 0;
    u64 caps_unwrapped = 0;

    static constexpr u64 kMaxMessageLength = 120;
    static constexpr u64 kMaxExtraCaps = 3;

    static constexpr MessageInfo from_word(u64 word) {
        MessageInfo info;
        info.length = word & 0x7f;
        info.extra_caps = (word >> 7) & 0x3;
        info.caps_unwrapped = (word >> 9) & 0x7;
        info.label = word >> 12;
        if (info.length > kMaxMessageLength) info.length = kMaxMessageLength;
        return info;
    }
    constexpr u64 to_word() const {
        return (label << 12) | ((caps_unwrapped & 0x7) << 9) | ((extra_caps & 0x3) << 7) | (length & 0x7f);
    }
    constexpr bool operator==(const MessageInfo&) const = default;
};

} // namespace tessera
