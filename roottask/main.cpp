// The root task: takes stock of what the kernel handed over, starts the boot image's
// tasks, and with `roottask-tests` on the command line runs the user-mode tests and
// powers the machine off with their verdict.
#include <userlib/device_tree.hpp>
#include <userlib/print.hpp>
#include <userlib/start.hpp>

#include "boot_tasks.hpp"
#include "root_environment.hpp"
#include "tests/harness.hpp"

using namespace tessera;
using namespace tessera::roottask;

namespace {

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
    if (auto tree = user::DeviceTree::from(info.value().device_tree()); tree) bootargs = tree.value().bootargs();
    else user::println("roottask: device tree: {}", tree.error());
    user::println("roottask: bootargs: {}", bootargs.empty() ? kstd::StringView("(none)") : bootargs);

    RootEnvironment root(info.value());
    if (auto added = root.objects.add_boot_untypeds(root.boot_info); !added) {
        user::println("roottask: untyped table: {}", added.error());
        return 1;
    }

    auto started = start_boot_tasks(root);
    if (!started) return 1;
    user::println("roottask: {} boot tasks started", started.value());
    // Below the boot tasks: they run now, the root task when they block or end.
    user::Tcb self = RootEnvironment::own_caps().tcb;
    if (auto lowered = self.set_priority(kRootRunPriority, self); !lowered)
        user::println("roottask: cannot lower its priority: {}", lowered.error());

    if (user::has_boot_option(bootargs, "roottask-tests")) return run_roottask_tests(root) == 0 ? 0 : 1;

    user::println("roottask: done; suspending (quit QEMU with Ctrl-A X)");
    user::end_current_thread();
}
