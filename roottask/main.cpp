// The root task: takes stock of what the kernel handed over, starts a driver for each
// device it has one for, the boot image's tasks and the shell, then serves the system
// service. With `roottask-tests` on the command line it starts no drivers, runs the
// user-mode tests instead and powers the machine off with their verdict.
#include <userlib/device_tree.hpp>
#include <userlib/print.hpp>
#include <userlib/start.hpp>

#include "bench/benchmarks.hpp"
#include "boot_tasks.hpp"
#include "drivers.hpp"
#include "root_environment.hpp"
#include "system_service.hpp"
#include "tests/harness.hpp"

using namespace tessera;
using namespace tessera::roottask;

namespace {

// The shell comes last, once every service it uses is up; it runs with the other clients.
constexpr kstd::StringView kShellTask = "shell";
constexpr u64 kShellPriority = 100;
constexpr u64 kShellStackPages = 16;

void print_summary(const user::BootInfoView& info) {
    SlotRange empty = info.empty_slots();
    user::println("roottask: {} untyped: {} KiB RAM, {} KiB device in {} regions", info.untypeds().size(),
                  info.ram_untyped_bytes() / 1024, info.device_untyped_bytes() / 1024, info.device_untyped_count());
    user::println("roottask: empty slots {}..{} ({})", empty.start, empty.end - 1, empty.count());
    user::println("roottask: device tree {} bytes, boot image {} bytes", info.raw().device_tree_size,
                  info.raw().boot_image_size);
}

} // namespace

int task_main(const user::TaskStart& start) {
    auto info = user::BootInfoView::from(start.boot_info);
    if (!info) {
        user::println("roottask: bad BootInfo: {}", user::boot_info_problem_name(
                                                         static_cast<user::BootInfoProblem>(info.error().detail)));
        return 1;
    }
    print_summary(info.value());

    kstd::StringView bootargs;
    auto tree = user::DeviceTree::from(info.value().device_tree());
    if (tree) bootargs = tree.value().bootargs();
    else user::println("roottask: device tree: {}", tree.error());
    user::println("roottask: bootargs: {}", bootargs.empty() ? kstd::StringView("(none)") : bootargs);

    RootEnvironment root(info.value());
    if (auto added = root.objects.add_boot_untypeds(root.boot_info); !added) {
        user::println("roottask: untyped table: {}", added.error());
        return 1;
    }

    TaskRegistry registry;
    const user::OwnCaps own = RootEnvironment::own_caps();
    (void)registry.add_task("roottask", own.cnode, 64, u64{1} << info.value().raw().root_cnode_radix, own.tcb);

    if (user::has_boot_option(bootargs, "bench")) return run_benchmarks(root);
    // The tests drive the console UART themselves, so they run without the drivers.
    bool testing = user::has_boot_option(bootargs, "roottask-tests");
    ServiceDirectory services;
    Supervisor supervisor(root, registry, services);
    if (!testing) {
        auto system = root.objects.allocate(ObjectType::Endpoint);
        if (system) services.system = system.value();
        else user::println("roottask: no system service: {}", system.error());
        if (tree && !services.system.is_null()) start_drivers(root, supervisor, services, tree.value());
    }

    auto started = start_boot_tasks(root, registry, services);
    if (!started) return 1;
    user::println("roottask: {} boot tasks started", started.value());
    if (!testing) {
        if (auto shell = start_client_task(root, registry, services, kShellTask, kShellPriority, kShellStackPages); !shell)
            user::println("roottask: cannot start the shell: {}", shell.error());
    }
    // Below the boot tasks: they run now, the root task when they block or end.
    user::Tcb self = own.tcb;
    if (auto lowered = self.set_priority(kRootRunPriority, self); !lowered)
        user::println("roottask: cannot lower its priority: {}", lowered.error());

    if (testing) return run_roottask_tests(root) == 0 ? 0 : 1;

    auto reply = root.objects.allocate(ObjectType::Reply);
    if (!services.system.is_null() && reply)
        serve_system(registry, supervisor, user::Endpoint(services.system), user::ReplyObject(reply.value()));
    user::println("roottask: done; suspending (quit QEMU with Ctrl-A X)");
    user::end_current_thread();
}
