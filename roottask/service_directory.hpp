#pragma once
// The services of the running system, as the root task holds them: one Endpoint each,
// with every right. Every task the root task starts gets badged copies that only allow
// Call (write and grant-reply), in the slots userlib/services/layout.hpp fixes; the badge
// tells the server which task is calling.
#include <userlib/services/layout.hpp>
#include <userlib/task_loader.hpp>

#include "root_environment.hpp"

namespace tessera::roottask {

struct ServiceDirectory {
    user::CPtr console; // the UART driver's endpoint
    user::CPtr clock;   // the RTC driver's
    user::CPtr block;   // the virtio-blk driver's
    user::CPtr system;  // the root task's own
};

inline constexpr usize kClientServiceCount = 4;
static_assert(user::slot_of(user::ClientSlot::End) - user::slot_of(user::ClientSlot::Console) == kClientServiceCount);

// The capabilities to give a client, in ClientSlot order; a service that is absent stays
// an empty slot (source 0).
struct ClientCaps {
    user::GivenCap caps[kClientServiceCount];
    kstd::Span<const user::GivenCap> span() const { return kstd::Span<const user::GivenCap>(caps, kClientServiceCount); }
};

// Mints the badged copies for the client with `badge` (not 0) into new slots of the root task.
user::Result<ClientCaps> client_caps(RootEnvironment& root, const ServiceDirectory& services, u64 badge);

// A badged copy of one service endpoint for a client; CPtr{0} when the service is absent.
user::Result<user::CPtr> client_endpoint(RootEnvironment& root, user::CPtr service, u64 badge);

} // namespace tessera::roottask
