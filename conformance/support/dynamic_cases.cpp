// SPDX-License-Identifier: Apache-2.0
#include "dynamic_cases.h"

#include <sstream>
#include <vector>

namespace qemud::testing {

namespace {

void (*registered_fn)() = nullptr;

bool init_unit_test() {
    boost::unit_test::framework::master_test_suite().p_name.value = "qemud";
    if (registered_fn) registered_fn();
    return true;
}

boost::unit_test::test_suite& child_suite(boost::unit_test::test_suite& parent, const std::string& name) {
    using namespace boost::unit_test;
    const test_unit_id id = parent.get(name);
    if (id != INV_TEST_UNIT_ID) return framework::get<test_suite>(id);
    auto* suite = BOOST_TEST_SUITE(name);
    parent.add(suite);
    return *suite;
}

}  // namespace

void add_case(const std::string& path, std::function<void()> body) {
    std::vector<std::string> parts;
    std::stringstream in(path);
    for (std::string part; std::getline(in, part, '/');) parts.push_back(part);
    boost::unit_test::test_suite* suite = &boost::unit_test::framework::master_test_suite();
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) suite = &child_suite(*suite, parts[i]);
    suite->add(boost::unit_test::make_test_case(std::move(body), parts.back(), __FILE__, __LINE__));
}

int run_dynamic_tests(int argc, char** argv, void (*register_cases)()) {
    registered_fn = register_cases;
    return boost::unit_test::unit_test_main(&init_unit_test, argc, argv);
}

}  // namespace qemud::testing
