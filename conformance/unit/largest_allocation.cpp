// SPDX-License-Identifier: Apache-2.0
// largest_allocation.cpp: a replacement global operator new that records
// the largest request (largest_allocation.h). Linked only into the tests
// that measure allocation, never into a library.
#include "largest_allocation.h"

#include <cstdlib>
#include <new>

std::atomic<std::size_t> largest_allocation{0};

// GCC flags free() in a replaced operator delete as mismatched; malloc and
// free are exactly the pair used here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
    std::size_t seen = largest_allocation.load();
    while (size > seen && !largest_allocation.compare_exchange_weak(seen, size)) {
    }
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop
