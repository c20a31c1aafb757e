#pragma once
// A doubly linked list whose links live inside the listed objects (a member hook), so
// queueing never allocates: thread run queues and endpoint wait queues are built on it.
#include <kstd/assert.hpp>

namespace kstd {

struct ListHook {
    ListHook* next = nullptr;
    ListHook* prev = nullptr;
    void* owner = nullptr; // the object the hook is in; saves offset arithmetic on member pointers
    bool linked() const { return next != nullptr; }
};

// T must have a ListHook member `Member`; one object can be in several lists through
// several hooks. The list itself is a sentinel, so no operation branches on emptiness.
template <typename T, ListHook T::*Member> class IntrusiveList {
public:
    // constexpr, so that lists in static objects (per-CPU records) need no constructor call.
    constexpr IntrusiveList() : sentinel_{&sentinel_, &sentinel_, nullptr} {}
    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;

    bool empty() const { return sentinel_.next == &sentinel_; }

    void push_back(T& item) { insert_before(sentinel_, hook(item), item); }
    void push_front(T& item) { insert_before(*sentinel_.next, hook(item), item); }

    T* front() const { return empty() ? nullptr : owner(sentinel_.next); }
    T* back() const { return empty() ? nullptr : owner(sentinel_.prev); }

    T* pop_front() {
        T* item = front();
        if (item) remove(*item);
        return item;
    }

    // `item` must be in this list.
    void remove(T& item) {
        ListHook& h = hook(item);
        KASSERT(h.linked());
        h.prev->next = h.next;
        h.next->prev = h.prev;
        h.next = h.prev = nullptr;
    }

    // The item after `item`, or null at the end.
    T* next(const T& item) const {
        const ListHook* following = (item.*Member).next;
        return following == &sentinel_ ? nullptr : owner(following);
    }

    template <typename Visit> void for_each(Visit&& visit) const {
        for (ListHook* h = sentinel_.next; h != &sentinel_; h = h->next) visit(*owner(h));
    }

private:
    static ListHook& hook(T& item) { return item.*Member; }

    static T* owner(const ListHook* h) { return static_cast<T*>(h->owner); }

    static void insert_before(ListHook& position, ListHook& h, T& item) {
        KASSERT(!h.linked());
        h.owner = &item;
        h.next = &position;
        h.prev = position.prev;
        position.prev->next = &h;
        position.prev = &h;
    }

    ListHook sentinel_;
};

} // namespace kstd
