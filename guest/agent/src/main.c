/*
 * banger-agent: the guest's health endpoint. Serves GET /healthz over AF_VSOCK and, where vsock
 * is missing, over a virtio-serial port; read-only apart from POST /identity and POST /sync, which
 * only the host side may send (a restored golden snapshot learns who it is; a golden guest writes
 * its dirty pages back before it is saved).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/vm_sockets.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "apply.h"
#include "health.h"
#include "server.h"

#define DEFAULT_PORT 10000
#define DEFAULT_DEVICE "/dev/virtio-ports/org.banger.agent.0"
#define PORT_NAME "org.banger.agent.0"
#define DEFAULT_APPLY "/usr/local/sbin/banger-identity-apply"

static volatile sig_atomic_t stop_requested = 0;

static void on_stop(int signo) {
    (void)signo;
    stop_requested = 1;
}

static void usage(FILE *out) {
    fprintf(out,
            "usage: banger-agent [--port N] [--device PATH] [--root DIR]\n"
            "       banger-agent --listen-unix PATH [--device PATH] [--root DIR]\n"
            "  --port N            vsock port (default %d)\n"
            "  --device PATH       virtio-serial port (default %s, used when it exists)\n"
            "  --listen-unix PATH  serve on a Unix socket instead of vsock (tests)\n"
            "  --root DIR          read /proc and /etc under DIR (tests)\n"
            "  --timeout-ms N      per-connection read timeout (default 5000)\n"
            "  --max-connections N concurrent connections (default 32)\n"
            "  --identity-root DIR write POST /identity's files under DIR (default /); sshd's pid\n"
            "                      file is read there too\n"
            "  --identity-apply PATH  program run as PATH GROW_ROOT RELOAD_SSHD (each yes|no) when\n"
            "                      /root must grow or no live sshd took a hang-up (default %s)\n"
            "  --identity-over-unix accept POST /identity on --listen-unix (tests)\n"
            "  --identity-test      validate clock and entropy but never set them (tests); the\n"
            "                      hostname and network are always set: run tests in namespaces\n"
            "  --identity-timeout-ms N  bound on the apply program (default %d)\n",
            DEFAULT_PORT, DEFAULT_DEVICE, DEFAULT_APPLY, APPLY_TIMEOUT_MS);
}

static bool parse_int(const char *text, long min, long max, int *out) {
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
        return false;
    }
    *out = (int)value;
    return true;
}

/* A root prefix without its trailing '/': "" for "/" (the real system). */
static bool parse_root(const char *value, char *out, size_t cap) {
    size_t n = strlen(value);
    while (n > 1 && value[n - 1] == '/') {
        n--;
    }
    if (n == 1 && value[0] == '/') {
        out[0] = '\0';
        return true;
    }
    if (n == 0 || n >= cap) {
        return false;
    }
    memcpy(out, value, n);
    out[n] = '\0';
    return true;
}

static int listen_vsock(int port) {
    int fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(stderr, "banger-agent: vsock unavailable: %s\n", strerror(errno));
        return -1;
    }
    struct sockaddr_vm addr;
    memset(&addr, 0, sizeof addr);
    addr.svm_family = AF_VSOCK;
    addr.svm_cid = VMADDR_CID_ANY;
    addr.svm_port = (unsigned int)port;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 64) < 0) {
        fprintf(stderr, "banger-agent: vsock port %d: %s\n", port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int listen_unix(const char *path) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr.sun_path) {
        fprintf(stderr, "banger-agent: socket path too long: %s\n", path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(stderr, "banger-agent: socket: %s\n", strerror(errno));
        return -1;
    }
    /* A stale socket from an earlier run would make bind fail; never remove anything else. */
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        unlink(path);
    }
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 64) < 0) {
        fprintf(stderr, "banger-agent: %s: %s\n", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv) {
    int port = DEFAULT_PORT;
    const char *unix_path = NULL;
    const char *device = NULL;
    bool device_given = false;
    char root[PATH_MAX] = "";
    char identity_root[PATH_MAX] = "";
    struct apply_config apply = {.root = identity_root, .program = DEFAULT_APPLY, .timeout_ms = APPLY_TIMEOUT_MS};
    struct server_config config = {.read_timeout_ms = 5000, .max_connections = 32, .apply = &apply};

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(arg, "--version") == 0) {
            printf("banger-agent %s\n", AGENT_VERSION);
            return 0;
        }
        if (strcmp(arg, "--identity-over-unix") == 0) {
            config.identity_over_unix = true;
            continue;
        }
        if (strcmp(arg, "--identity-test") == 0) {
            apply.test = true;
            continue;
        }
        if (value == NULL) {
            fprintf(stderr, "banger-agent: unknown option or missing value: %s\n", arg);
            usage(stderr);
            return 2;
        }
        bool ok = true;
        if (strcmp(arg, "--port") == 0) {
            ok = parse_int(value, 1, 0x7fffffff, &port);
        } else if (strcmp(arg, "--listen-unix") == 0) {
            unix_path = value;
        } else if (strcmp(arg, "--device") == 0) {
            device = value;
            device_given = true;
        } else if (strcmp(arg, "--root") == 0) {
            ok = parse_root(value, root, sizeof root);
        } else if (strcmp(arg, "--identity-root") == 0) {
            ok = parse_root(value, identity_root, sizeof identity_root);
        } else if (strcmp(arg, "--identity-apply") == 0) {
            apply.program = value;
            ok = value[0] == '/';
        } else if (strcmp(arg, "--identity-timeout-ms") == 0) {
            ok = parse_int(value, 1, 600000, &apply.timeout_ms);
        } else if (strcmp(arg, "--timeout-ms") == 0) {
            ok = parse_int(value, 1, 3600000, &config.read_timeout_ms);
        } else if (strcmp(arg, "--max-connections") == 0) {
            ok = parse_int(value, 1, 4096, &config.max_connections);
        } else {
            fprintf(stderr, "banger-agent: unknown option: %s\n", arg);
            usage(stderr);
            return 2;
        }
        if (!ok) {
            fprintf(stderr, "banger-agent: invalid value for %s: %s\n", arg, value);
            return 2;
        }
        i++;
    }
    config.root = root;

    struct sigaction ignore = {.sa_handler = SIG_IGN};
    sigaction(SIGPIPE, &ignore, NULL);
    struct sigaction stop = {.sa_handler = on_stop};
    sigemptyset(&stop.sa_mask);
    sigaction(SIGTERM, &stop, NULL);
    sigaction(SIGINT, &stop, NULL);
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGTERM);
    sigaddset(&blocked, SIGINT);
    sigprocmask(SIG_BLOCK, &blocked, NULL);

    if (unix_path != NULL) {
        int fd = listen_unix(unix_path);
        if (fd < 0) {
            return 1;
        }
        config.listeners[config.listener_count++] = fd;
    } else {
        int fd = listen_vsock(port);
        if (fd >= 0) {
            config.listeners[config.listener_count++] = fd;
        }
        if (!device_given) {
            device = DEFAULT_DEVICE;
        }
    }
    if (!device_given && unix_path == NULL) {
        /* The port may appear after the agent starts (its driver loads late); the server keeps trying. */
        config.device_path = device;
        config.device_port = PORT_NAME;
    } else if (device != NULL && access(device, F_OK) == 0) {
        config.device_path = device;
    } else if (device_given) {
        fprintf(stderr, "banger-agent: %s does not exist; not serving it\n", device);
    }
    if (config.listener_count == 0 && config.device_path == NULL) {
        fprintf(stderr, "banger-agent: neither vsock nor %s is available; nothing to serve\n", DEFAULT_DEVICE);
        return 1;
    }
    fprintf(stderr, "banger-agent %s: serving%s%s%s%s\n", AGENT_VERSION,
            unix_path != NULL ? " unix:" : (config.listener_count > 0 ? " vsock" : ""),
            unix_path != NULL ? unix_path : "", config.device_path != NULL ? " and " : "",
            config.device_path != NULL ? config.device_path : "");

    int status = server_run(&config, &stop_requested);
    for (int i = 0; i < config.listener_count; i++) {
        close(config.listeners[i]);
    }
    if (unix_path != NULL) {
        unlink(unix_path);
    }
    return status;
}
