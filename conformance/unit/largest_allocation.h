// SPDX-License-Identifier: Apache-2.0
// largest_allocation.h: the size of the largest allocation since it was
// last reset to 0. largest_allocation.cpp defines it and replaces the global
// operator new to record it; a test that links that file reads it to prove
// a hostile length word allocates nothing near its claim.
#pragma once

#include <atomic>
#include <cstddef>

extern std::atomic<std::size_t> largest_allocation;
