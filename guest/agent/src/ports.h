#ifndef BANGER_AGENT_PORTS_H
#define BANGER_AGENT_PORTS_H

#include <stddef.h>

/*
 * Finds the character device of the virtio-serial port called `name` by reading
 * <sysfs_class>/<vportNpM>/name, so the agent needs no udev rule (its /dev/virtio-ports/ link may
 * not exist yet this early in boot). Writes "<dev_dir>/<vportNpM>" into `out` and returns 0, or
 * returns -1 when no port has that name or `out` is too small.
 */
int ports_find_by_name(const char *sysfs_class, const char *dev_dir, const char *name, char *out, size_t outlen);

#endif
