#pragma once
// The console service: the UART driver (drivers/uart_ns16550a) serves it, so every byte
// a task reads came through the UART's receive interrupt. docs/services.md has the layouts.
//   Write: w0 the byte count (1..kConsoleMaxTransfer), the bytes from w1. The answer (Ok,
//          w0 = the count) comes once every byte is in the transmit buffer, so a writer
//          waits while the buffer is full instead of losing output.
//   Read:  w0 the most bytes wanted (1..kConsoleMaxTransfer). The answer comes when at
//          least one byte has arrived: w0 the count, the bytes from w1. At most
//          kConsoleMaxHeldReads reads wait at once (Busy beyond); they are served in order.
#include <userlib/services/service_message.hpp>

namespace tessera::user {

enum class ConsoleRequest : u64 { Write = 1, Read = 2 };

inline constexpr u64 kConsoleMaxTransfer = 896; // 112 words after the count
inline constexpr u64 kConsoleMaxHeldReads = 2;

class ConsoleClient {
public:
    ConsoleClient() = default;
    explicit ConsoleClient(Endpoint endpoint) : endpoint_(endpoint) {}

    bool present() const { return endpoint_.cap().value != 0; }
    // Writes all of `text`, in as many requests as it takes.
    Result<void> write(kstd::StringView text) const;
    // Blocks until at least one byte arrived; returns how many were stored in `out`.
    Result<u64> read(kstd::Span<u8> out) const;

private:
    Endpoint endpoint_;
};

// From now on user::print and user::println of this task go to `console` instead of the
// kernel's debug output (which stays the fallback when `console` is not present).
void use_console(ConsoleClient console);

} // namespace tessera::user
