// The shell task: the root task starts it last, with the services' endpoints in the
// ClientSlot slots (userlib/services/layout.hpp). Everything it shows and reads goes
// through the console service, so typing at it exercises the UART driver's interrupt path.
#include <userlib/services/console.hpp>
#include <userlib/services/layout.hpp>
#include <userlib/start.hpp>
#include <userlib/syscalls.hpp>

#include "shell.hpp"

namespace tessera::shell {
namespace {

using user::ClientSlot;

bool is_busy(const Error& error) {
    return error.library == user::LibraryError::ServiceRefused &&
           error.detail == static_cast<u64>(user::ServiceStatus::Busy);
}

bool is_cancelled(const Error& error) {
    return error.library == user::LibraryError::IpcFailed && error.detail == static_cast<u64>(IpcStatus::Cancelled);
}

constexpr user::Endpoint endpoint_in(ClientSlot slot) { return user::Endpoint(user::CPtr{user::slot_of(slot)}); }

class MachineServices final : public ShellServices {
public:
    void write_text(kstd::StringView text) override {
        // Nothing is left to report a failed console write to; a lost console shows up
        // as a failed read, which ends the shell.
        (void)console_.write(text);
    }
    Result<u64> console_read(kstd::Span<u8> out) override {
        for (;;) {
            Result<u64> count = console_.read(out);
            // Busy: other tasks' reads fill the driver's slots for held requests. Theirs
            // end as input arrives, so the shell asks again rather than giving up.
            // Cancelled: the console driver was restarted under the read; its new instance
            // takes the next one.
            if (count.ok() || !(is_busy(count.error()) || is_cancelled(count.error()))) return count;
            user::yield();
        }
    }

    Result<u64> clock_now() override { return clock_.now(); }
    Result<u64> clock_sleep_until(u64 deadline) override { return clock_.sleep_until(deadline); }

    Result<user::BlockInfo> block_info() override { return block_.info(); }
    Result<void> block_read(u64 sector, kstd::Span<u8> out) override { return block_.read(sector, out); }
    Result<void> block_write(u64 sector, kstd::Bytes data) override { return block_.write(sector, data); }

    Result<user::ThreadEntry> system_thread(u64 index) override { return system_.thread(index); }
    Result<user::IrqEntry> system_irq(u64 index) override { return system_.irq(index); }
    Result<user::CapEntry> system_capability(kstd::StringView task, u64 first_slot) override {
        return system_.capability(task, first_slot);
    }
    Result<void> system_halt() override { return system_.halt(); }
    Result<void> system_fault(kstd::StringView task) override { return system_.fault(task); }

    user::ConsoleClient console() const { return console_; }

private:
    user::ConsoleClient console_{endpoint_in(ClientSlot::Console)};
    user::ClockClient clock_{endpoint_in(ClientSlot::Clock)};
    user::BlockClient block_{endpoint_in(ClientSlot::Block)};
    user::SystemClient system_{endpoint_in(ClientSlot::System)};
};

} // namespace
} // namespace tessera::shell

int task_main(const tessera::user::TaskStart&) {
    using namespace tessera;
    // Static: the shell's buffers are a few KiB, more than is worth putting on the stack.
    static shell::MachineServices services;
    static shell::Shell shell(services);
    user::use_console(services.console());
    user::Result<void> result = shell.run();
    if (!result.ok()) {
        // With the console gone, the kernel's debug output is the only place left to say why.
        char text[128];
        kstd::BufferSink message(text, sizeof(text));
        if (shell::is_absent_service(result.error())) kstd::format_to(message, "shell: no console service\n");
        else kstd::format_to(message, "shell: the console failed: {}\n", result.error());
        user::debug_put_string(message.view());
        return 1;
    }
    // halt was asked for; the root task powers the machine off, and this thread waits for it.
    user::end_current_thread();
}
