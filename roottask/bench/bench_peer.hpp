#pragma once
// The bench-peer task (bench_peer.cpp): the IPC server of the cross-address-space
// benchmarks, in the boot image but not in the manifest, so only `make bench` starts it.
#include <kstd/string_view.hpp>
#include <kstd/types.hpp>

namespace tessera::bench {

inline constexpr kstd::StringView kPeerFile = "bench-peer";
// Where the pages the peer shares with the root task (its ServerStamps) are mapped in the
// peer: page-aligned, above its ELF image, below the dynamic region userlib keeps free.
inline constexpr u64 kPeerStampAddress = 0x1000000000;
inline constexpr u64 kPeerStampPages = 2;

} // namespace tessera::bench
