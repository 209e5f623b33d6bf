// SPDX-License-Identifier: Apache-2.0
#include "interrupt.h"

#include <csignal>
#include <cstring>
#include <unistd.h>

namespace qemud::conform {

namespace {

// Only async-signal-safe operations below: lock-free atomics, kill, _exit.
volatile std::sig_atomic_t first_signal = 0;
volatile std::sig_atomic_t child_group = 0;
// Paths copied here before any signal can need them; the handler only reads.
constexpr int max_temporaries = 4;
char temporaries[max_temporaries][4096];
volatile std::sig_atomic_t temporary_count = 0;

void on_signal(int signal) {
    const pid_t group = static_cast<pid_t>(child_group);
    if (group > 0) ::kill(-group, SIGKILL);
    if (first_signal != 0) {  // the second signal: at once
        for (int i = 0; i < temporary_count; ++i) ::unlink(temporaries[i]);
        ::_exit(128 + signal);
    }
    first_signal = signal;
}

}  // namespace

void install_interrupt_handlers() {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: waits return EINTR and look at the flag
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

int interrupted_by() { return first_signal; }

void set_child_group(pid_t group) { child_group = group; }

void remove_on_second_signal(const std::string& path) {
    if (path.empty() || path.size() >= sizeof temporaries[0] || temporary_count >= max_temporaries) return;
    std::memcpy(temporaries[temporary_count], path.c_str(), path.size() + 1);
    temporary_count = temporary_count + 1;  // published after the copy
}

void clear_child_group(pid_t group) {
    if (child_group == group) child_group = 0;
}

}  // namespace qemud::conform
