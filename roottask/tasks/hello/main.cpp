// The first task the root task starts from the boot image: says hello with the name its
// starter gave it, then ends.
#include <userlib/print.hpp>
#include <userlib/start.hpp>

int task_main(const tessera::user::TaskStart& start) {
    const char* name = start.task_info != nullptr ? start.task_info->name : "?";
    tessera::user::println("hello from {}", name);
    return 0;
}
