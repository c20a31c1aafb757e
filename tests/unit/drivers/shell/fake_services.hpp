#pragma once
// ShellServices for the host: the console is a queue of input chunks and a string of
// output, the other services are tables the test fills. A service marked absent answers as
// a call through an empty slot does (IpcFailed, InvalidCapability).
#include <algorithm>
#include <cstring>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include <abi/introspection.hpp>

#include "shell.hpp"

namespace tessera_test {

using tessera::IpcStatus;
using tessera::user::Error;
using tessera::user::LibraryError;
using tessera::user::Result;
using tessera::user::ServiceStatus;

inline Error absent_service() {
    return Error::of(LibraryError::IpcFailed, static_cast<u64>(IpcStatus::InvalidCapability));
}

inline Error refused(ServiceStatus status) {
    return Error::of(LibraryError::ServiceRefused, static_cast<u64>(status));
}

inline tessera::user::ThreadEntry thread_entry(const char* task, const char* thread, u64 priority,
                                               tessera::ThreadStatus state, u64 restarts) {
    tessera::user::ThreadEntry entry;
    entry.state = static_cast<u64>(state);
    entry.priority = priority;
    entry.restarts = restarts;
    std::strncpy(entry.task, task, sizeof(entry.task) - 1);
    std::strncpy(entry.thread, thread, sizeof(entry.thread) - 1);
    return entry;
}

class FakeServices final : public tessera::shell::ShellServices {
public:
    // Console: each read takes the next chunk (at most the buffer's size of it); with none
    // left the read fails, which ends Shell::run.
    std::deque<std::string> input;
    std::string output;
    std::vector<std::string> writes; // each write_text, for checks of how output was split
    std::vector<size_t> read_sizes; // the buffer size of each console read

    bool clock_present = true;
    u64 clock_time = 0;
    u64 sleep_overshoot = 0;      // added to the deadline when a sleep ends
    bool clock_busy = false;
    std::vector<u64> deadlines;  // every sleep_until asked for

    bool disk_present = true;
    bool disk_read_only = false;
    std::vector<u8> disk = std::vector<u8>(16 * 512, 0);
    bool disk_fails = false; // reads and writes answer DeviceError

    bool system_present = true;
    std::vector<tessera::user::ThreadEntry> threads;
    std::vector<tessera::user::IrqEntry> irqs;
    std::map<std::string, std::vector<tessera::user::CapEntry>> caps; // by task, sorted by slot
    int halts = 0;
    std::vector<std::string> faulted;

    void write_text(kstd::StringView text) override {
        writes.emplace_back(text.data(), text.size());
        output.append(text.data(), text.size());
    }

    Result<u64> console_read(kstd::Span<u8> out) override {
        read_sizes.push_back(out.size());
        if (input.empty()) return kstd::fail(Error::of(LibraryError::IpcFailed, static_cast<u64>(IpcStatus::Cancelled)));
        std::string& chunk = input.front();
        size_t count = std::min(chunk.size(), out.size());
        std::memcpy(out.data(), chunk.data(), count);
        chunk.erase(0, count);
        if (chunk.empty()) input.pop_front();
        return u64{count};
    }

    Result<u64> clock_now() override {
        if (!clock_present) return kstd::fail(absent_service());
        return clock_time;
    }
    Result<u64> clock_sleep_until(u64 deadline) override {
        if (!clock_present) return kstd::fail(absent_service());
        if (clock_busy) return kstd::fail(refused(ServiceStatus::Busy));
        deadlines.push_back(deadline);
        if (deadline > clock_time) clock_time = deadline + sleep_overshoot;
        return clock_time;
    }

    Result<tessera::user::BlockInfo> block_info() override {
        if (!disk_present) return kstd::fail(absent_service());
        tessera::user::BlockInfo info;
        info.sectors = disk.size() / 512;
        info.read_only = disk_read_only;
        return info;
    }
    Result<void> block_read(u64 sector, kstd::Span<u8> out) override {
        if (!disk_present) return kstd::fail(absent_service());
        if (disk_fails) return kstd::fail(refused(ServiceStatus::DeviceError));
        if (sector >= disk.size() / 512 || out.size() != 512) return kstd::fail(refused(ServiceStatus::OutOfRange));
        std::memcpy(out.data(), disk.data() + sector * 512, 512);
        return {};
    }
    Result<void> block_write(u64 sector, kstd::Bytes data) override {
        if (!disk_present) return kstd::fail(absent_service());
        if (disk_fails) return kstd::fail(refused(ServiceStatus::DeviceError));
        if (sector >= disk.size() / 512 || data.size() != 512) return kstd::fail(refused(ServiceStatus::OutOfRange));
        std::memcpy(disk.data() + sector * 512, data.data(), 512);
        return {};
    }

    Result<tessera::user::ThreadEntry> system_thread(u64 index) override {
        if (!system_present) return kstd::fail(absent_service());
        if (index >= threads.size()) return kstd::fail(refused(ServiceStatus::OutOfRange));
        return threads[index];
    }
    Result<tessera::user::IrqEntry> system_irq(u64 index) override {
        if (!system_present) return kstd::fail(absent_service());
        if (index >= irqs.size()) return kstd::fail(refused(ServiceStatus::OutOfRange));
        return irqs[index];
    }
    Result<tessera::user::CapEntry> system_capability(kstd::StringView task, u64 first_slot) override {
        if (!system_present) return kstd::fail(absent_service());
        auto found = caps.find(std::string(task.data(), task.size()));
        if (found == caps.end()) return kstd::fail(refused(ServiceStatus::NotPresent));
        for (const auto& entry : found->second)
            if (entry.slot >= first_slot) return entry;
        return kstd::fail(refused(ServiceStatus::OutOfRange));
    }
    Result<void> system_fault(kstd::StringView task) override {
        if (!system_present) return kstd::fail(absent_service());
        std::string name(task.data(), task.size());
        if (name != "uart" && name != "rtc") return kstd::fail(refused(ServiceStatus::NotPresent));
        faulted.push_back(name);
        return {};
    }
    Result<void> system_halt() override {
        if (!system_present) return kstd::fail(absent_service());
        ++halts;
        return {};
    }
};

// The shell's output for `line` alone.
inline std::string run_command(FakeServices& services, const char* line) {
    tessera::shell::Shell shell(services);
    services.output.clear();
    shell.execute(line);
    return services.output;
}

} // namespace tessera_test
