// SPDX-License-Identifier: Apache-2.0
// interrupt.h: SIGINT and SIGTERM during a run.
//
// The first signal is recorded and the running shim's process group is
// killed at once (so a hung shim cannot hold the run); the runner notices
// between cases and in any wait, drops the case that was cut short, writes
// its reports and summary marked interrupted, and exits 128 + the signal
// (130, 143). A second signal kills the shim's group again and exits at
// once with that status, writing nothing more.
#pragma once

#include <string>
#include <sys/types.h>

namespace qemud::conform {

// install_interrupt_handlers catches SIGINT and SIGTERM (without
// SA_RESTART, so a blocking poll returns EINTR).
void install_interrupt_handlers();

// interrupted_by returns the first signal received, or 0.
int interrupted_by();

// set_child_group names the process group the handler kills (the shim's);
// clear_child_group forgets it if it is still that one. Both are called
// by ShimProcess around the shim's life.
void set_child_group(pid_t group);
void clear_child_group(pid_t group);

// remove_on_second_signal names a temporary report file that the second
// signal unlinks before exiting at once, so no temporary is left behind
// (at most four; empty paths are ignored).
void remove_on_second_signal(const std::string& path);

}  // namespace qemud::conform
