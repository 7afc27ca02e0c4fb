/* Renders the /healthz JSON document from the guest's /proc, /sys and /etc/ssh under a root prefix. */
#ifndef BANGER_AGENT_HEALTH_H
#define BANGER_AGENT_HEALTH_H

#include <stdbool.h>

#include "buf.h"

#define AGENT_VERSION "0.1.0"

/* root is "" for the real system, or a directory holding a fake proc/, etc/ tree. */
bool health_render(const char *root, struct buf *out);

#endif
