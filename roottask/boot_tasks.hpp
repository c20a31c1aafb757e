#pragma once
// Starting the tasks the boot image's manifest lists, each in its own CSpace and VSpace,
// with badged capabilities to the system's services (userlib/services/layout.hpp).
#include "root_environment.hpp"
#include "service_directory.hpp"
#include "task_registry.hpp"

namespace tessera::roottask {

// Starts every task of the manifest; a task that cannot start is reported and skipped.
// Returns how many started; an unreadable boot image or manifest is an error.
user::Result<u64> start_boot_tasks(RootEnvironment& root, TaskRegistry& registry, const ServiceDirectory& services);

// Starts one task of the boot image as a client of the services; its index in the registry.
user::Result<usize> start_client_task(RootEnvironment& root, TaskRegistry& registry, const ServiceDirectory& services,
                                      kstd::StringView file, u64 priority, u64 stack_pages);

} // namespace tessera::roottask
