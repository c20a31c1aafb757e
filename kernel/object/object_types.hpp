#pragma once
// The object types and their sizes are ABI (abi/object_types.hpp); kernel code includes
// them through here together with the capability representation.
#include <abi/object_types.hpp>
#include <kstd/optional.hpp>
#include <object/capability.hpp>
