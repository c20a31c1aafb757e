// The ASID table: one entry per pool of 512 ASIDs (128 in all), each naming the pool
// object or nothing. An ASID is valid exactly while its pool is in the table and the
// pool's entry names a root table; capabilities remember ASIDs, never pools or roots, so
// every use looks the ASID up again and a stale capability finds nothing (or another
// root, which the callers compare against).
#include <arch/vspace_platform.hpp>

#include "vspace_internal.hpp"

namespace arch::vspace {

namespace {

AsidPoolObject* asid_table[kAsidPoolCount];

constexpr u64 pool_index(u64 asid) { return asid >> tessera::kAsidPoolBits; }
constexpr u64 index_in_pool(u64 asid) { return asid & (tessera::kAsidPoolSize - 1); }

} // namespace

u64 root_for_asid(u64 asid) {
    if (asid == kKernelAsid || asid >= (u64{1} << tessera::kAsidBits)) return 0;
    const AsidPoolObject* pool = asid_table[pool_index(asid)];
    return pool == nullptr ? 0 : pool->roots[index_in_pool(asid)];
}

kstd::Optional<u64> free_pool_base() {
    for (u64 i = 0; i < kAsidPoolCount; ++i)
        if (asid_table[i] == nullptr) return i << tessera::kAsidPoolBits;
    return kstd::none;
}

void install_pool(u64 asid_base, AsidPoolObject* pool) {
    KASSERT(index_in_pool(asid_base) == 0 && pool_index(asid_base) < kAsidPoolCount);
    KASSERT(asid_table[pool_index(asid_base)] == nullptr);
    asid_table[pool_index(asid_base)] = pool;
}

AsidPoolObject* pool_at(u64 asid_base) {
    if (pool_index(asid_base) >= kAsidPoolCount) return nullptr;
    return asid_table[pool_index(asid_base)];
}

kstd::Optional<u64> free_asid_in(const AsidPoolObject& pool, u64 asid_base) {
    for (u64 i = 0; i < tessera::kAsidPoolSize; ++i) {
        u64 asid = asid_base + i;
        if (asid != kKernelAsid && pool.roots[i] == 0) return asid;
    }
    return kstd::none;
}

void set_root(u64 asid, u64 root_kernel_address) {
    AsidPoolObject* pool = asid_table[pool_index(asid)];
    KASSERT(pool != nullptr && asid != kKernelAsid);
    pool->roots[index_in_pool(asid)] = root_kernel_address;
}

void remove_pool(u64 address) {
    for (u64 i = 0; i < kAsidPoolCount; ++i) {
        AsidPoolObject* pool = asid_table[i];
        if (reinterpret_cast<u64>(pool) != address) continue;
        asid_table[i] = nullptr;
        for (u64 j = 0; j < tessera::kAsidPoolSize; ++j) {
            if (pool->roots[j] == 0) continue;
            leave_address_space(pool->roots[j]);
            flush_tlb_asid((i << tessera::kAsidPoolBits) + j);
            pool->roots[j] = 0;
        }
    }
}

void clear_asid_table() {
    for (AsidPoolObject*& pool : asid_table) pool = nullptr;
}

} // namespace arch::vspace
