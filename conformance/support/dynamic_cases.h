// SPDX-License-Identifier: Apache-2.0
// dynamic_cases.h: registers Boost.Test cases at run time under path-like
// names ("round_trip/cxx/QEMUD_CLIENT_PKT_DOMAIN_CREATE"), one per arm and
// implementation, enumerated from protocol.x rather than typed in.
//
// A test file defines `void register_cases()` calling add_case, and its
// main is QEMUD_DYNAMIC_TEST_MAIN(register_cases).
#pragma once

#define BOOST_TEST_NO_MAIN
#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>

namespace qemud::testing {

// add_case adds a test case named by the last element of path, inside
// nested suites named by the others (created on first use).
void add_case(const std::string& path, std::function<void()> body);

// run_dynamic_tests runs Boost.Test's main with register_cases as the
// initialisation step.
int run_dynamic_tests(int argc, char** argv, void (*register_cases)());

}  // namespace qemud::testing

#define QEMUD_DYNAMIC_TEST_MAIN(register_fn) \
    int main(int argc, char** argv) { return ::qemud::testing::run_dynamic_tests(argc, argv, register_fn); }
