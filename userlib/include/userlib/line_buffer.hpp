#pragma once
// A character sink that collects a line and hands it on whole: one DebugPutString per
// line (or per full buffer) instead of one system call per character, and lines of
// different threads do not interleave mid-line. Portable: the output function is a
// parameter, so host tests can catch what would be written.
#include <kstd/format.hpp>

namespace tessera::user {

class LineBuffer {
public:
    static constexpr usize kCapacity = 256; // the DebugPutString limit
    using Output = void (*)(kstd::StringView text);

    explicit LineBuffer(Output output) : output_(output) {}
    ~LineBuffer() { flush(); }
    LineBuffer(const LineBuffer&) = delete;
    LineBuffer& operator=(const LineBuffer&) = delete;

    void put(char c) {
        buffer_[length_++] = c;
        if (c == '\n' || length_ == kCapacity) flush();
    }
    void flush() {
        if (length_ == 0) return;
        output_(kstd::StringView(buffer_, length_));
        length_ = 0;
    }

private:
    Output output_;
    char buffer_[kCapacity];
    usize length_ = 0;
};

} // namespace tessera::user
