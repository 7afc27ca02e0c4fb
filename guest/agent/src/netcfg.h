/*
 * A restored guest's network, set natively from its identity: the first non-loopback interface
 * gets the VM's MAC, is brought up, takes its IPv4 address and a default route through the
 * gateway (ioctls on one socket, no `ip` processes: each costs tens of milliseconds under
 * emulation). The pure parts (netmask, interface choice, resolv.conf text) are separate so
 * they can be tested without a network namespace.
 */
#ifndef BANGER_AGENT_NETCFG_H
#define BANGER_AGENT_NETCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "identity.h"

#define NETCFG_SYS_NET "/sys/class/net"

/* The netmask of a prefix length 0..32, in host byte order. */
uint32_t netcfg_netmask(int prefix);

/*
 * The interface to configure among the names of a directory listing: the first in byte order
 * that is not "lo" and does not start with '.'. Returns its index, or -1 when there is none.
 */
int netcfg_pick_interface(const char *const names[], size_t count);

/* "nameserver X\n" per comma-separated address of dns; false when it does not fit in cap. */
bool netcfg_resolv_text(const char *dns, char *out, size_t cap);

/*
 * Configures the interface chosen from sys_net's entries (directories only): MAC, up, address
 * and netmask (replacing its primary IPv4 address), default route via the gateway (replacing
 * every default route of the main table); loopback is brought up too. On failure err holds
 * "network: <interface>: <step>: <reason>".
 */
bool netcfg_apply(const struct identity *id, const char *sys_net, char *err, size_t errlen);

#endif
