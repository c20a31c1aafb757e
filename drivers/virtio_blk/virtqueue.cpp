#include "virtqueue.hpp"

namespace tessera::virtio_blk {

namespace {

constexpr bool is_power_of_two(u16 value) { return value != 0 && (value & (value - 1)) == 0; }

} // namespace

bool SplitVirtqueue::initialise(const DmaRegion& region, usize offset, u16 size) {
    if (!is_power_of_two(size) || size > kMaxSize || offset % kDmaPageBytes != 0) return false;
    QueueLayout layout = QueueLayout::for_size(size);
    if (offset > region.size() || layout.bytes > region.size() - offset) return false;
    region_ = region;
    offset_ = offset;
    layout_ = layout;
    u8* memory = region.at(offset);
    for (usize i = 0; i < layout.bytes; ++i) memory[i] = 0;
    for (u16 i = 0; i < size; ++i) {
        link_[i] = static_cast<u16>(i + 1);
        chain_length_[i] = 0;
        in_flight_[i] = false;
    }
    free_head_ = 0;
    free_count_ = size;
    next_available_ = 0;
    last_used_ = 0;
    in_flight_count_ = 0;
    bogus_used_entries_ = 0;
    return true;
}

VirtqDescriptor* SplitVirtqueue::descriptor(u16 index) const {
    return reinterpret_cast<VirtqDescriptor*>(region_.at(offset_ + layout_.descriptors)) + index;
}

u16* SplitVirtqueue::available_field(usize index) const {
    return reinterpret_cast<u16*>(region_.at(offset_ + layout_.available)) + index;
}

u16* SplitVirtqueue::used_index() const {
    return reinterpret_cast<u16*>(region_.at(offset_ + layout_.used)) + 1;
}

volatile VirtqUsedElement* SplitVirtqueue::used_element(u16 slot) const {
    // The ring starts after the two u16s of flags and index.
    return reinterpret_cast<volatile VirtqUsedElement*>(region_.at(offset_ + layout_.used + 2 * sizeof(u16))) + slot;
}

kstd::Optional<u16> SplitVirtqueue::make_available(kstd::Span<const QueueBuffer> buffers) {
    if (buffers.empty() || buffers.size() > free_count_) return kstd::none;
    u16 head = free_head_;
    u16 current = head;
    for (usize i = 0; i < buffers.size(); ++i) {
        const QueueBuffer& buffer = buffers[i];
        KASSERT(buffer.length > 0 && region_.physically_contiguous(buffer.offset, buffer.length));
        bool last = i + 1 == buffers.size();
        u16 next = link_[current];
        VirtqDescriptor* entry = descriptor(current);
        entry->address = region_.physical(buffer.offset);
        entry->length = buffer.length;
        u16 chained = last ? 0 : kDescriptorChained;
        entry->flags = static_cast<u16>(chained | (buffer.device_writes ? kDescriptorDeviceWrites : 0));
        entry->next = last ? 0 : next;
        if (last) free_head_ = next;
        else current = next;
    }
    free_count_ = static_cast<u16>(free_count_ - buffers.size());
    chain_length_[head] = static_cast<u16>(buffers.size());
    in_flight_[head] = true;
    ++in_flight_count_;

    *available_field(2 + next_available_ % layout_.size) = head;
    ++next_available_;
    // The device may read the ring entry and the descriptors as soon as it sees the new
    // index (section 2.7.13.3.1): the release store keeps them ordered before it.
    __atomic_store_n(available_field(1), next_available_, __ATOMIC_RELEASE);
    return head;
}

void SplitVirtqueue::release_chain(u16 head) {
    // Walk the driver's own links, not the descriptors the device could have overwritten.
    u16 tail = head;
    for (u16 i = 1; i < chain_length_[head]; ++i) tail = link_[tail];
    link_[tail] = free_head_;
    free_head_ = head;
    free_count_ = static_cast<u16>(free_count_ + chain_length_[head]);
    chain_length_[head] = 0;
    in_flight_[head] = false;
    --in_flight_count_;
}

kstd::Optional<UsedChain> SplitVirtqueue::take_used() {
    for (;;) {
        // Acquire: the element must be read after the index that covers it (2.7.14).
        u16 device_index = __atomic_load_n(used_index(), __ATOMIC_ACQUIRE);
        if (device_index == last_used_) return kstd::none;
        volatile VirtqUsedElement* element = used_element(static_cast<u16>(last_used_ % layout_.size));
        u32 id = element->id;
        u32 written = element->length;
        ++last_used_;
        if (id >= layout_.size || !in_flight_[id]) {
            ++bogus_used_entries_;
            continue;
        }
        u16 head = static_cast<u16>(id);
        release_chain(head);
        return UsedChain{head, written};
    }
}

} // namespace tessera::virtio_blk
