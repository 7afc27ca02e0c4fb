/*
 * For tests: moves the calling process into new network, UTS and mount namespaces with a TAP
 * named eth0 and a sysfs of its own at /sys, so an agent applying an identity there sets a
 * hostname, MAC, address and route that nothing else sees. The namespaces, and the TAP with
 * them, go away when the last process in them exits. Needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN).
 */
#ifndef BANGER_AGENT_TEST_ISOLATE_H
#define BANGER_AGENT_TEST_ISOLATE_H

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

static bool isolate_namespaces(char *err, size_t errlen) {
    if (unshare(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWNS) != 0) {
        snprintf(err, errlen, "unshare: %s (the identity tests need root)", strerror(errno));
        return false;
    }
    /* /sys/class/net lists the namespace that mounted sysfs: mount one for this namespace. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0
        || mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
        snprintf(err, errlen, "mount sysfs: %s", strerror(errno));
        return false;
    }
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, IFNAMSIZ, "eth0");
    if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) != 0 || ioctl(fd, TUNSETPERSIST, 1) != 0) {
        snprintf(err, errlen, "TAP eth0: %s", strerror(errno));
        if (fd >= 0) close(fd);
        return false;
    }
    close(fd);
    return true;
}

#endif
