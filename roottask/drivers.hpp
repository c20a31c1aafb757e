#pragma once
// Starting the driver tasks: the root task looks in the device tree for the devices the
// boot image has drivers for (by `compatible`, and for virtio-mmio by the device ID the
// transport reports), and starts one driver per device, supervised, with only that
// device's register frame, an IrqHandler for its line, the endpoint it serves on and what
// serving needs (userlib/services/layout.hpp).
#include <userlib/device_tree.hpp>

#include "supervisor.hpp"

namespace tessera::roottask {

// Fills in the directory's console, clock and block endpoints for the drivers that
// started; a device that is missing or whose driver cannot start is reported and skipped.
void start_drivers(RootEnvironment& root, Supervisor& supervisor, ServiceDirectory& services,
                   const user::DeviceTree& tree);

} // namespace tessera::roottask
