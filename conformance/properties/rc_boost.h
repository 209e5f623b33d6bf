// SPDX-License-Identifier: Apache-2.0
// rc_boost.h: runs a RapidCheck property inside a run-time registered
// Boost.Test case (dynamic_cases.h), the way rapidcheck/boost_test.h does
// for RC_BOOST_PROP, plus what the harness needs on top:
//
// * the property's RapidCheck id is the case's full Boost name
//   ("value_round_trip/cxx/QEMUD_CLIENT_PKT_DOMAIN_CREATE"), so
//   RC_PARAMS="reproduce=..." replays exactly that case;
// * the number of cases is the property's base count times
//   QEMUD_PROPERTY_SCALE (see README.md);
// * a failure is reported through Boost.Test with RapidCheck's shrunk
//   counterexample and the one-line command that replays it.
#pragma once

#include <functional>
#include <string>

#include <rapidcheck.h>

namespace qemud::properties {

// property_scale is QEMUD_PROPERTY_SCALE (a positive number, default 1);
// an unparsable value aborts the run with a message.
double property_scale();

// max_success_for gives the number of successful cases to run for a
// property whose default is `base`: RC_PARAMS's max_success when it sets
// one, else base; times property_scale(), at least 1.
int max_success_for(int base);

// run_property checks `property` under RapidCheck id `id` (honouring
// RC_PARAMS: seed, max_size, reproduce, ...) with max_success_for(base).
rc::detail::TestResult run_property(const std::string& id, const std::function<void()>& property, int base);

// reproduce_command is the line that replays a failure of the case `id`:
//   RC_PARAMS="reproduce=..." <test binary> --run_test=<id>
std::string reproduce_command(const std::string& id, const rc::detail::FailureResult& failure,
                              const std::string& binary);

// describe_result prints a result as RapidCheck does, plus the replay
// command for a failure.
std::string describe_result(const std::string& id, const rc::detail::TestResult& result, const std::string& binary);

// check_in_current_case runs the property as the current Boost.Test case
// (id = its full name) and fails the case, with describe_result, unless it
// holds. The distribution of RC_TAG tags is printed at message level.
void check_in_current_case(const std::function<void()>& property, int base);

}  // namespace qemud::properties
