/* The poll() loop: accepts on listening sockets, serves a stream device, answers each request. */
#ifndef BANGER_AGENT_SERVER_H
#define BANGER_AGENT_SERVER_H

#include <signal.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "apply.h"

#define SERVER_MAX_LISTENERS 4

struct server_config {
    const char *root;          /* prefix for /proc, /etc reads; "" for the real system */
    int listeners[SERVER_MAX_LISTENERS];
    int listener_count;
    const char *device_path;   /* virtio-serial port, or NULL */
    const char *device_port;   /* its port name, looked up in sysfs when device_path cannot be opened (no udev link yet), or NULL */
    int read_timeout_ms;       /* per connection, from accept to a complete request head */
    int max_connections;
    const struct apply_config *apply;  /* how POST /identity is applied */
    bool identity_over_unix;   /* a Unix-socket peer counts as the host side (tests only) */
};

/*
 * Whether an accepted peer is the host side and so may POST /identity. Over vsock only the host's
 * CID (2) is: a guest process could connect locally (CID 1, or the guest's own CID) and must not
 * rename the machine or replace its host key. A Unix-socket peer is only with --identity-over-unix.
 */
bool server_peer_is_host(const struct sockaddr_storage *peer, bool identity_over_unix);

/*
 * Serves until *stop becomes non-zero. SIGTERM and SIGINT must be blocked by the caller; they are
 * unblocked only while waiting in ppoll, so a stop request is never lost between checks.
 * Returns 0 on a clean stop, 1 on a fatal error.
 */
int server_run(const struct server_config *config, volatile sig_atomic_t *stop);

#endif
