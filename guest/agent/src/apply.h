/*
 * Applies a validated identity to the guest: host files written atomically under a root prefix,
 * the clock and the kernel's entropy pool, then the image's apply program, bounded in time.
 */
#ifndef BANGER_AGENT_APPLY_H
#define BANGER_AGENT_APPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "identity.h"

#define APPLY_TIMEOUT_MS 30000
#define APPLY_OUTPUT_CAP 4096

struct apply_config {
    const char *root;     /* "" for the real system, else a directory without a trailing '/' */
    const char *program;  /* run as [program, <root>/run/banger/identity.cmdline, yes|no] */
    bool test;            /* skip clock_settime and RNDADDENTROPY (tests run on a real host) */
    int timeout_ms;       /* for the program; APPLY_TIMEOUT_MS outside tests */
};

/* Returns true when everything was applied; otherwise err holds "<step>: <reason>". */
bool identity_apply(const struct identity *id, const struct apply_config *config, char *err, size_t errlen);

#endif
