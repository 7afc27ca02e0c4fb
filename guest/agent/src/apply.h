/*
 * Applies a validated identity to the guest: host files written atomically under a root prefix
 * (one syncfs for all), the clock and the kernel's entropy pool, the hostname, the network
 * (netcfg.h), a hang-up to sshd, and the image's apply program, bounded in time, only for what
 * needs the image's own tools: growing /root, or reloading an sshd that has no live pid.
 */
#ifndef BANGER_AGENT_APPLY_H
#define BANGER_AGENT_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "identity.h"

#define APPLY_TIMEOUT_MS 30000
#define APPLY_OUTPUT_CAP 4096

struct apply_config {
    const char *root;     /* "" for the real system, else a directory without a trailing '/' */
    const char *program;  /* run as [program, GROW_ROOT, RELOAD_SSHD], each yes|no */
    bool test;            /* skip clock_settime and RNDADDENTROPY (tests run on a real host; the hostname
                             and network are always set, so tests run the agent in its own namespaces) */
    int timeout_ms;       /* for the program; APPLY_TIMEOUT_MS outside tests */
};

/*
 * The apply program's arguments (GROW_ROOT, RELOAD_SSHD) and whether it must run at all: only
 * to grow /root, or to reload sshd through the init when no live sshd serves the new key.
 */
bool apply_program_args(bool grow_root, bool sshd_serves_key, const char *args[2]);

/*
 * Whether the sshd under root reads its host keys in each connection's re-executed child (OpenSSH
 * before 9.8), rather than in the listener that hands them to sshd-session (9.8 and later, known
 * by that program).
 */
bool apply_sshd_loads_keys_per_connection(const char *root);

/* The pid in a pid file's text ("123\n"); 0 for anything else, pid 1 included. */
pid_t apply_parse_pid(const char *text);

/* Returns true when everything was applied; otherwise err holds "<step>: <reason>". */
bool identity_apply(const struct identity *id, const struct apply_config *config, char *err, size_t errlen);

#endif
