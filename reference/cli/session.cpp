// SPDX-License-Identifier: Apache-2.0
#include "cli/session.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace qemud::cli {

namespace {

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

std::size_t run_session(int fd, const std::vector<Call>& calls, const SessionOptions& options,
                        const SessionEvents& events) {
    ReplyMatcher matcher(options.framing, options.bugs);
    Serials serials(options.bugs);
    Bytes out;
    for (const Call& call : calls) {
        const std::uint32_t serial = serials.next();
        const Bytes frame = frame_call(call, serial, options.framing);
        out.insert(out.end(), frame.begin(), frame.end());
        matcher.expect(serial, call.type);
    }

    std::size_t values = 0;
    const auto report = [&](const FeedResult& result) {
        for (const auto& ignored : result.ignored) events.ignored(ignored);
        for (const auto& settled : result.settled) {
            if (settled.kind == Settled::Kind::value) ++values;
            events.settled(settled);
        }
    };

    std::size_t written = 0;
    std::array<std::uint8_t, 65536> buffer{};
    std::string end_reason;
    while (matcher.outstanding() > 0) {
        const int wait = remaining_ms(options.deadline);
        if (wait == 0) {
            end_reason = "no reply within " + std::to_string(options.timeout_ms) + " ms";
            break;
        }
        pollfd p{fd, static_cast<short>(POLLIN | (written < out.size() ? POLLOUT : 0)), 0};
        const int ready = ::poll(&p, 1, wait);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) {
            end_reason = std::string("poll: ") + std::strerror(errno);
            break;
        }
        if (ready == 0) continue;  // the deadline check above ends the loop
        if ((p.revents & POLLOUT) && written < out.size()) {
            // MSG_NOSIGNAL: a server that closed gives EPIPE here, not SIGPIPE.
            const ssize_t n = ::send(fd, out.data() + written, out.size() - written, MSG_NOSIGNAL);
            if (n > 0) written += static_cast<std::size_t>(n);
            else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                // The calls not yet written are lost, but replies already
                // sent may still be read: keep reading until EOF.
                written = out.size();
            }
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
            if (n > 0) {
                report(matcher.feed(ByteView(buffer.data(), static_cast<std::size_t>(n))));
            } else if (n == 0) {
                end_reason = "connection closed by the server";
                break;
            } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                end_reason = std::string("connection lost: ") + std::strerror(errno);
                break;
            }
        }
    }
    if (matcher.outstanding() > 0) report(matcher.finish(end_reason));
    return values;
}

}  // namespace qemud::cli
