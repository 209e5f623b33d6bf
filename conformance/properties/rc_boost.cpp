// SPDX-License-Identifier: Apache-2.0
#include "rc_boost.h"

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include <boost/test/unit_test.hpp>
#include <rapidcheck/detail/Configuration.h>

namespace qemud::properties {

double property_scale() {
    static const double scale = [] {
        const char* text = std::getenv("QEMUD_PROPERTY_SCALE");
        if (!text || !*text) return 1.0;
        char* end = nullptr;
        const double value = std::strtod(text, &end);
        if (*end != '\0' || !(value > 0) || !std::isfinite(value)) {
            std::cerr << "QEMUD_PROPERTY_SCALE must be a positive number, not '" << text << "'\n";
            std::exit(2);
        }
        return value;
    }();
    return scale;
}

int max_success_for(int base) {
    // RapidCheck's own default is 100; a different value came from RC_PARAMS.
    const int configured = rc::detail::configuration().testParams.maxSuccess;
    const int chosen = configured != rc::detail::TestParams{}.maxSuccess ? configured : base;
    return std::max(1, static_cast<int>(std::lround(chosen * property_scale())));
}

rc::detail::TestResult run_property(const std::string& id, const std::function<void()>& property, int base) {
    rc::detail::TestMetadata metadata;
    metadata.id = id;
    metadata.description = id;
    rc::detail::TestParams params = rc::detail::configuration().testParams;
    params.maxSuccess = max_success_for(base);
    return rc::detail::checkTestable(property, metadata, params);
}

std::string reproduce_command(const std::string& id, const rc::detail::FailureResult& failure,
                              const std::string& binary) {
    rc::detail::Configuration config;
    config.reproduce[id] = failure.reproduce;
    // Keep only the reproduce key: it alone decides what is replayed.
    std::string params = rc::detail::configToMinimalString(config);
    const auto start = params.find("reproduce=");
    params = params.substr(start, params.find(' ', start) - start);
    return "RC_PARAMS=\"" + params + "\" " + binary + " --run_test=" + id;
}

std::string describe_result(const std::string& id, const rc::detail::TestResult& result, const std::string& binary) {
    std::ostringstream os;
    rc::detail::printResultMessage(result, os);
    if (result.is<rc::detail::FailureResult>()) {
        os << "\n\nReplay this case with:\n  "
           << reproduce_command(id, result.get<rc::detail::FailureResult>(), binary) << "\n";
    }
    return os.str();
}

void check_in_current_case(const std::function<void()>& property, int base) {
    const auto& test_case = boost::unit_test::framework::current_test_case();
    const std::string id = test_case.full_name();
    const auto& master = boost::unit_test::framework::master_test_suite();
    const std::string binary = master.argc > 0 ? master.argv[0] : "property_test";
    const auto result = run_property(id, property, base);
    if (result.is<rc::detail::SuccessResult>()) {
        const auto& success = result.get<rc::detail::SuccessResult>();
        BOOST_TEST(success.numSuccess >= 0);  // a passing property is one assertion
        if (!success.distribution.empty()) {
            std::ostringstream os;
            rc::detail::printResultMessage(result, os);
            BOOST_TEST_MESSAGE(id << ": " << os.str());
        }
        return;
    }
    BOOST_ERROR("\n" << describe_result(id, result, binary));
}

}  // namespace qemud::properties
