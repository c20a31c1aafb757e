#pragma once
// The block service: the virtio-blk driver (drivers/virtio_blk) serves it, one 512-byte
// sector per request.
//   GetInfo: the answer's w0 is the capacity in sectors, w1 the sector size (512), w2 1
//            when the device is read-only.
//   Read:    w0 the sector. The answer (once the device's completion interrupt came) has
//            the sector's 512 bytes in w1..w64 (length 65).
//   Write:   w0 the sector, the 512 bytes in w1..w64 (length 65). The answer comes once the
//            device reported the write done.
// A sector past the end is OutOfRange; a device failure is DeviceError with w0 the
// virtio status byte.
#include <userlib/services/service_message.hpp>

namespace tessera::user {

enum class BlockRequest : u64 { GetInfo = 1, Read = 2, Write = 3 };

inline constexpr u64 kSectorBytes = 512;
inline constexpr u64 kSectorWords = kSectorBytes / 8;

struct BlockInfo {
    u64 sectors = 0;
    u64 sector_bytes = kSectorBytes;
    bool read_only = false;
};

class BlockClient {
public:
    BlockClient() = default;
    explicit BlockClient(Endpoint endpoint) : endpoint_(endpoint) {}

    bool present() const { return endpoint_.cap().value != 0; }
    Result<BlockInfo> info() const;
    Result<void> read(u64 sector, kstd::Span<u8> out) const;  // out: kSectorBytes
    Result<void> write(u64 sector, kstd::Bytes data) const;   // data: kSectorBytes

private:
    Endpoint endpoint_;
};

} // namespace tessera::user
