// The first task the root task starts from the boot image: says hello with the name its
// starter gave it, through the console service when the system has one (without it, as
// under `roottask-tests`, the line goes to the kernel's debug output), then ends.
#include <userlib/print.hpp>
#include <userlib/services/console.hpp>
#include <userlib/services/layout.hpp>
#include <userlib/start.hpp>

using namespace tessera;

int task_main(const user::TaskStart& start) {
    user::use_console(user::ConsoleClient(user::Endpoint(user::CPtr{user::slot_of(user::ClientSlot::Console)})));
    const char* name = start.task_info != nullptr ? start.task_info->name : "?";
    user::println("hello from {}", name);
    return 0;
}
