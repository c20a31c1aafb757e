#include <userlib/print.hpp>
#include <userlib/syscalls.hpp>

#include "bench_support.hpp"

namespace tessera::roottask::bench {

namespace {

// Set once by Bench::prepare, before any interval is taken.
u64 g_overhead = 0;

// Two reads in a row: what a measurement costs when nothing happens between its reads.
u64 back_to_back_reads() {
    u64 first;
    u64 second;
    asm volatile("rdcycle %0\n\trdcycle %1" : "=&r"(first), "=&r"(second) : : "memory");
    return second - first;
}

} // namespace

void Samples::sort() {
    // Insertion sort: a few hundred values, once per metric.
    for (u64 i = 1; i < count_; ++i) {
        u64 value = values_[i];
        u64 j = i;
        for (; j > 0 && values_[j - 1] > value; --j) values_[j] = values_[j - 1];
        values_[j] = value;
    }
}

u64 Samples::median() const { return count_ == 0 ? 0 : values_[count_ / 2]; }
u64 Samples::min() const { return count_ == 0 ? 0 : values_[0]; }
u64 Samples::max() const { return count_ == 0 ? 0 : values_[count_ - 1]; }

u64 interval(u64 start, u64 end) {
    if (end < start + g_overhead) return 0;
    return end - start - g_overhead;
}

// The words beyond the registers and the extra capability travel in the IPC buffer
// (docs/invocations.md); everything is in place before the first read.
bool timed_invocation(user::CPtr target, InvocationLabel label, u64 length, u64 word0, u64 word1, u64 word2,
                      user::CPtr extra, Stamps& stamps) {
    u64 extra_count = extra.value != 0 ? 1 : 0;
    IpcBuffer& buffer = *user::current_ipc_buffer();
    MessageInfo info{static_cast<u64>(label), length, extra_count, 0};
    if (extra_count != 0) buffer.caps_or_badges[0] = extra.value;
    buffer.tag = info.to_word();
    Registers r;
    r.a[kCapabilityRegister] = target.value;
    r.a[kInfoRegister] = info.to_word();
    r.a[kFirstWordRegister] = word0;
    r.a[kFirstWordRegister + 1] = word1;
    r.a[kFirstWordRegister + 2] = word2;
    r.a[7] = static_cast<u64>(Syscall::Call);
    stamps = timed_ecall(r);
    return ipc_ok(r) && MessageInfo::from_word(r.a[kInfoRegister]).label == 0;
}

bool Bench::prepare() {
    // The overhead is taken as sel4bench takes it: the smallest of many back-to-back pairs
    // after a warm-up (the first reads may take a first-touch or a timer interrupt).
    u64 smallest = ~u64{0};
    for (u64 round = 0; round < kRounds; ++round) {
        u64 cost = back_to_back_reads();
        if (round >= kWarmup && cost < smallest) smallest = cost;
    }
    overhead_ = g_overhead = smallest;
    user::println("bench: counter overhead {} (two back-to-back reads, subtracted from every sample)", overhead_);

    auto notification = root_.objects.allocate(ObjectType::Notification);
    if (!notification) {
        fail("setup", notification.error());
        return false;
    }
    done_ = user::Notification(notification.value());
    return true;
}

user::Result<user::Tcb> Bench::spawn(kstd::StringView name, user::ThreadEntry entry, u64 argument, u64 priority) {
    if (thread_count_ >= kMaxThreads) return kstd::fail(user::Error::of(user::LibraryError::OutOfSlots));
    user::StarterResources starter = root_.starter();
    user::ThreadSpec spec;
    spec.name = name;
    spec.entry = entry;
    spec.argument = argument;
    spec.priority = priority;
    user::Thread thread = TRY(user::start_thread(starter, spec));
    threads_[thread_count_++] = thread.tcb;
    return thread.tcb;
}

void Bench::finish() {
    (void)done_.wait();
    for (usize i = 0; i < thread_count_; ++i) (void)threads_[i].suspend();
    thread_count_ = 0;
}

bool Bench::report(kstd::StringView metric, Samples& samples, kstd::StringView unit) {
    // sel4bench's floor: fewer than 100 samples is no figure.
    if (samples.count() < 100) {
        fail(metric, "fewer than 100 samples");
        return false;
    }
    samples.sort();
    user::println("{{\"metric\": \"{}\", \"unit\": \"{}\", \"median\": {}, \"min\": {}, \"max\": {}, \"samples\": {}}}",
                  metric, unit, samples.median(), samples.min(), samples.max(), samples.count());
    return true;
}

void Bench::report_once(kstd::StringView metric, u64 value) {
    user::println("{{\"metric\": \"{}\", \"unit\": \"instructions\", \"median\": {}, \"min\": {}, \"max\": {}, "
                  "\"samples\": 1}}",
                  metric, value, value, value);
}

void Bench::fail(kstd::StringView metric, const user::Error& error) {
    user::println("bench: {}: {}", metric, error);
    ++failures_;
}

void Bench::fail(kstd::StringView metric, kstd::StringView why) {
    user::println("bench: {}: {}", metric, why);
    ++failures_;
}

} // namespace tessera::roottask::bench
