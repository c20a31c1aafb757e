#pragma once
// Kernel console output: kprintln("harts: {}", count). Lines go out whole through the
// architecture's early output path.
#include <kstd/format.hpp>

namespace tessera {

class ConsoleSink {
public:
    ConsoleSink() = default;
    ConsoleSink(const ConsoleSink&) = delete;
    ConsoleSink& operator=(const ConsoleSink&) = delete;
    ~ConsoleSink() { flush(); }

    void put(char c) {
        if (length_ == sizeof(buffer_)) flush();
        buffer_[length_++] = c;
    }
    void flush();

private:
    char buffer_[160];
    usize length_ = 0;
};

template <typename... Args> void kprint(kstd::StringView pattern, const Args&... args) {
    ConsoleSink sink;
    kstd::format_to(sink, pattern, args...);
}

template <typename... Args> void kprintln(kstd::StringView pattern, const Args&... args) {
    ConsoleSink sink;
    kstd::format_to(sink, pattern, args...);
    sink.put('\n');
}

} // namespace tessera
