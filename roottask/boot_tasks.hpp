#pragma once
// Starting the tasks the boot image's manifest lists, each in its own CSpace and VSpace.
#include "root_environment.hpp"

namespace tessera::roottask {

// Starts every task of the manifest; a task that cannot start is reported and skipped.
// Returns how many started; an unreadable boot image or manifest is an error.
user::Result<u64> start_boot_tasks(RootEnvironment& root);

} // namespace tessera::roottask
