#include <arch/interface.hpp>
#include <console/console.hpp>

namespace tessera {

void ConsoleSink::flush() {
    if (length_ == 0) return;
    arch::debug_write(kstd::StringView(buffer_, length_));
    length_ = 0;
}

} // namespace tessera
