#define _GNU_SOURCE
#include "netcfg.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* More default routes than this in a guest means something else keeps adding them. */
#define MAX_DEFAULT_ROUTES 64

uint32_t netcfg_netmask(int prefix) {
    if (prefix <= 0) {
        return 0;
    }
    if (prefix >= 32) {
        return 0xffffffffu;
    }
    return 0xffffffffu << (32 - prefix);
}

int netcfg_pick_interface(const char *const names[], size_t count) {
    int best = -1;
    for (size_t i = 0; i < count; i++) {
        const char *name = names[i];
        if (name[0] == '\0' || name[0] == '.' || strcmp(name, "lo") == 0 || strlen(name) >= IFNAMSIZ) {
            continue;
        }
        if (best < 0 || strcmp(name, names[best]) < 0) {
            best = (int)i;
        }
    }
    return best;
}

bool netcfg_resolv_text(const char *dns, char *out, size_t cap) {
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = dns; *p != '\0';) {
        size_t n = strcspn(p, ",");
        if (n > 0) {
            int w = snprintf(out + len, cap - len, "nameserver %.*s\n", (int)n, p);
            if (w < 0 || (size_t)w >= cap - len) {
                return false;
            }
            len += (size_t)w;
        }
        p += n + (p[n] == ',' ? 1 : 0);
    }
    return true;
}

static bool failed(char *err, size_t errlen, const char *ifname, const char *step, int error) {
    snprintf(err, errlen, "network: %s: %s: %s", ifname, step, strerror(error));
    return false;
}

/* The chosen interface's name from sys_net (its entries are symlinks to device directories). */
static bool choose_interface(const char *sys_net, char *out, size_t cap, char *err, size_t errlen) {
    DIR *d = opendir(sys_net);
    if (d == NULL) {
        snprintf(err, errlen, "network: %s: %s", sys_net, strerror(errno));
        return false;
    }
    enum { MAX_NAMES = 256 };
    char names[MAX_NAMES][IFNAMSIZ];
    const char *list[MAX_NAMES];
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && count < MAX_NAMES) {
        struct stat st;
        if (strlen(e->d_name) >= IFNAMSIZ || fstatat(dirfd(d), e->d_name, &st, 0) != 0 || !S_ISDIR(st.st_mode)) {
            continue;  /* not an interface (bonding_masters is a file), or gone meanwhile */
        }
        memcpy(names[count], e->d_name, strlen(e->d_name) + 1);  /* shorter than IFNAMSIZ, checked above */
        list[count] = names[count];
        count++;
    }
    closedir(d);
    int pick = netcfg_pick_interface(list, count);
    if (pick < 0) {
        snprintf(err, errlen, "network: no interface other than lo in %s; does the VM have a NIC?", sys_net);
        return false;
    }
    snprintf(out, cap, "%s", list[pick]);
    return true;
}

static void request(struct ifreq *ifr, const char *ifname) {
    memset(ifr, 0, sizeof *ifr);
    snprintf(ifr->ifr_name, IFNAMSIZ, "%s", ifname);
}

static bool set_up(int fd, const char *ifname, bool up, char *err, size_t errlen) {
    struct ifreq ifr;
    request(&ifr, ifname);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) {
        return failed(err, errlen, ifname, "read flags", errno);
    }
    short want = up ? (short)(ifr.ifr_flags | IFF_UP) : (short)(ifr.ifr_flags & ~IFF_UP);
    if (want == ifr.ifr_flags) {
        return true;
    }
    ifr.ifr_flags = want;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0) {
        return failed(err, errlen, ifname, up ? "bring up" : "take down", errno);
    }
    return true;
}

static void parse_mac(const char *text, unsigned char mac[6]) {
    for (int i = 0; i < 6; i++) {
        mac[i] = (unsigned char)strtoul(text + 3 * i, NULL, 16);  /* validated: six hex pairs */
    }
}

/* A NIC refuses a new MAC while it is up unless it supports live changes: then down, set, on. */
static bool set_mac(int fd, const char *ifname, const char *text, char *err, size_t errlen) {
    unsigned char mac[6];
    parse_mac(text, mac);
    struct ifreq ifr;
    request(&ifr, ifname);
    if (ioctl(fd, SIOCGIFHWADDR, &ifr) != 0) {
        return failed(err, errlen, ifname, "read MAC", errno);
    }
    if (memcmp(ifr.ifr_hwaddr.sa_data, mac, 6) == 0) {
        return true;
    }
    ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
    memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
    if (ioctl(fd, SIOCSIFHWADDR, &ifr) == 0) {
        return true;
    }
    int first = errno;
    struct ifreq flags;
    request(&flags, ifname);
    char step[48];
    snprintf(step, sizeof step, "set MAC %s", text);
    if (ioctl(fd, SIOCGIFFLAGS, &flags) != 0 || !(flags.ifr_flags & IFF_UP)) {
        return failed(err, errlen, ifname, step, first);
    }
    if (!set_up(fd, ifname, false, err, errlen)) {
        return false;
    }
    if (ioctl(fd, SIOCSIFHWADDR, &ifr) != 0) {
        return failed(err, errlen, ifname, step, errno);
    }
    return true;
}

static void ipv4(struct sockaddr *sa, uint32_t host_order) {
    struct sockaddr_in *in = (struct sockaddr_in *)sa;
    memset(in, 0, sizeof *in);
    in->sin_family = AF_INET;
    in->sin_addr.s_addr = htonl(host_order);
}

static bool set_address(int fd, const char *ifname, const char *address, char *err, size_t errlen) {
    char ip[16];
    const char *slash = strchr(address, '/');
    snprintf(ip, sizeof ip, "%.*s", (int)(slash - address), address);
    struct in_addr addr;
    inet_pton(AF_INET, ip, &addr);  /* validated */
    int prefix = atoi(slash + 1);
    char step[64];
    struct ifreq ifr;
    request(&ifr, ifname);
    ipv4(&ifr.ifr_addr, ntohl(addr.s_addr));
    if (ioctl(fd, SIOCSIFADDR, &ifr) != 0) {
        snprintf(step, sizeof step, "set address %s", ip);
        return failed(err, errlen, ifname, step, errno);
    }
    request(&ifr, ifname);
    ipv4(&ifr.ifr_netmask, netcfg_netmask(prefix));
    if (ioctl(fd, SIOCSIFNETMASK, &ifr) != 0) {
        snprintf(step, sizeof step, "set prefix /%d", prefix);
        return failed(err, errlen, ifname, step, errno);
    }
    return true;
}

static bool set_default_route(int fd, const char *ifname, const char *gateway, char *err, size_t errlen) {
    struct rtentry rt;
    char step[64];
    /* SIOCDELRT with no gateway and no device removes any default route of the main table. */
    int removed = 0;
    for (;;) {
        memset(&rt, 0, sizeof rt);
        ipv4(&rt.rt_dst, 0);
        ipv4(&rt.rt_genmask, 0);
        ipv4(&rt.rt_gateway, 0);
        if (ioctl(fd, SIOCDELRT, &rt) != 0) {
            if (errno == ESRCH) {
                break;
            }
            return failed(err, errlen, ifname, "delete the old default route", errno);
        }
        if (++removed > MAX_DEFAULT_ROUTES) {
            snprintf(err, errlen, "network: %s: still default routes after removing %d", ifname, MAX_DEFAULT_ROUTES);
            return false;
        }
    }
    struct in_addr gw;
    inet_pton(AF_INET, gateway, &gw);  /* validated */
    char dev[IFNAMSIZ];
    snprintf(dev, sizeof dev, "%s", ifname);
    memset(&rt, 0, sizeof rt);
    ipv4(&rt.rt_dst, 0);
    ipv4(&rt.rt_genmask, 0);
    ipv4(&rt.rt_gateway, ntohl(gw.s_addr));
    rt.rt_flags = RTF_UP | RTF_GATEWAY;
    rt.rt_dev = dev;
    if (ioctl(fd, SIOCADDRT, &rt) != 0) {
        snprintf(step, sizeof step, "add default route via %s", gateway);
        return failed(err, errlen, ifname, step, errno);
    }
    return true;
}

bool netcfg_apply(const struct identity *id, const char *sys_net, char *err, size_t errlen) {
    char ifname[IFNAMSIZ];
    if (!choose_interface(sys_net, ifname, sizeof ifname, err, errlen)) {
        return false;
    }
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return failed(err, errlen, ifname, "socket", errno);
    }
    bool ok = set_up(fd, "lo", true, err, errlen)
              && set_mac(fd, ifname, id->mac, err, errlen)
              && set_up(fd, ifname, true, err, errlen)
              && set_address(fd, ifname, id->address, err, errlen)
              && set_default_route(fd, ifname, id->gateway, err, errlen);
    close(fd);
    return ok;
}
