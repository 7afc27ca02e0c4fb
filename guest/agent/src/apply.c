#define _GNU_SOURCE
#include "apply.h"

#include "netcfg.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/random.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef RNDRESEEDCRNG
#define RNDRESEEDCRNG _IO('R', 0x07) /* Linux 4.17 and later */
#endif

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool fail(char *err, size_t errlen, const char *step, const char *path, int error) {
    snprintf(err, errlen, "%s: %s: %s", step, path, strerror(error));
    return false;
}

static bool join(char *out, size_t cap, const char *root, const char *rel) {
    int n = snprintf(out, cap, "%s/%s", root, rel);
    return n > 0 && (size_t)n < cap;
}

/* mkdir -p of root/rel; the last component gets mode (the others 0755). */
static bool make_dirs(const char *root, const char *rel, mode_t mode, char *err, size_t errlen, const char *step) {
    char path[4096];
    if (!join(path, sizeof path, root, rel)) {
        return fail(err, errlen, step, rel, ENAMETOOLONG);
    }
    for (char *p = path + strlen(root) + 1; ; p++) {
        bool last = *p == '\0';
        if (*p == '/' || last) {
            *p = '\0';
            if (mkdir(path, last ? mode : 0755) != 0 && errno != EEXIST) {
                return fail(err, errlen, step, path, errno);
            }
            if (last) {
                break;
            }
            *p = '/';
        }
    }
    return true;
}

/*
 * Writes root/rel as data with exactly mode: a temporary file renamed over the old one (a symlink
 * there is replaced, not followed). Not synced here: identity_apply syncs the file system once
 * after every write, which costs one flush instead of two per file.
 */
static bool write_atomic(const char *root, const char *rel, const char *data, size_t len, mode_t mode,
                         const char *step, char *err, size_t errlen) {
    char path[4096];
    char tmp[4096 + 16];
    if (!join(path, sizeof path, root, rel)) {
        return fail(err, errlen, step, rel, ENAMETOOLONG);
    }
    snprintf(tmp, sizeof tmp, "%s.banger-tmp", path);
    unlink(tmp);  /* a leftover from an interrupted attempt */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        return fail(err, errlen, step, tmp, errno);
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            close(fd);
            unlink(tmp);
            return fail(err, errlen, step, tmp, e);
        }
        done += (size_t)n;
    }
    /* fchmod because the umask may have narrowed the mode open() was given. */
    if (fchmod(fd, mode) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return fail(err, errlen, step, tmp, e);
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return fail(err, errlen, step, path, e);
    }
    return true;
}

static bool remove_if_present(const char *root, const char *rel, char *err, size_t errlen) {
    char path[4096];
    if (!join(path, sizeof path, root, rel)) {
        return fail(err, errlen, "host keys", rel, ENAMETOOLONG);
    }
    if (unlink(path) != 0 && errno != ENOENT) {
        return fail(err, errlen, "host keys", path, errno);
    }
    return true;
}

static bool write_files(const struct identity *id, const char *root, char *err, size_t errlen) {
    char text[sizeof id->host_key_pub + 1];
    snprintf(text, sizeof text, "%s\n", id->hostname);
    if (!make_dirs(root, "etc/ssh", 0755, err, errlen, "hostname")
        || !write_atomic(root, "etc/hostname", text, strlen(text), 0644, "hostname", err, errlen)) {
        return false;
    }
    snprintf(text, sizeof text, "%s\n", id->machine_id);
    if (!write_atomic(root, "etc/machine-id", text, strlen(text), 0444, "machine-id", err, errlen)) {
        return false;
    }
    if (!write_atomic(root, "etc/ssh/ssh_host_ed25519_key", id->host_key, id->host_key_len, 0600, "host keys", err,
                      errlen)) {
        return false;
    }
    snprintf(text, sizeof text, "%s\n", id->host_key_pub);
    if (!write_atomic(root, "etc/ssh/ssh_host_ed25519_key.pub", text, strlen(text), 0644, "host keys", err, errlen)) {
        return false;
    }
    static const char *const stale[] = {
        "etc/ssh/ssh_host_rsa_key", "etc/ssh/ssh_host_rsa_key.pub", "etc/ssh/ssh_host_ecdsa_key",
        "etc/ssh/ssh_host_ecdsa_key.pub",
    };
    for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++) {
        if (!remove_if_present(root, stale[i], err, errlen)) {
            return false;
        }
    }
    char resolv[sizeof id->dns * 4];
    if (!netcfg_resolv_text(id->dns, resolv, sizeof resolv)) {
        snprintf(err, errlen, "resolv.conf: does not fit in %zu bytes", sizeof resolv);
        return false;
    }
    return write_atomic(root, "etc/resolv.conf", resolv, strlen(resolv), 0644, "resolv.conf", err, errlen);
}

/* One flush of the root's file system makes every rename above durable (the renames are ordered). */
static bool sync_root(const char *root, char *err, size_t errlen) {
    const char *dir = root[0] != '\0' ? root : "/";
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || syncfs(fd) != 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        return fail(err, errlen, "sync", dir, e);
    }
    close(fd);
    return true;
}

static bool set_clock_and_entropy(const struct identity *id, char *err, size_t errlen) {
    struct timespec ts = {.tv_sec = (time_t)id->clock_seconds, .tv_nsec = id->clock_nanos};
    if (clock_settime(CLOCK_REALTIME, &ts) != 0) {
        return fail(err, errlen, "clock", "clock_settime", errno);
    }
    struct {
        struct rand_pool_info info;
        unsigned char bytes[64];
    } pool;
    pool.info.entropy_count = 64 * 8;
    pool.info.buf_size = 64;
    memcpy(pool.bytes, id->entropy, 64);
    int fd = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || ioctl(fd, RNDADDENTROPY, &pool.info) != 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        explicit_bzero(pool.bytes, sizeof pool.bytes);
        return fail(err, errlen, "entropy", "/dev/urandom", e);
    }
    /* Credited entropy alone does not reach /dev/urandom's output until the kernel next reseeds its
     * CRNG (up to a minute later): until then every guest restored from one snapshot reads the same
     * bytes. Reseed now. */
    if (ioctl(fd, RNDRESEEDCRNG) != 0) {
        int e = errno;
        close(fd);
        explicit_bzero(pool.bytes, sizeof pool.bytes);
        return fail(err, errlen, "entropy", "RNDRESEEDCRNG", e);
    }
    close(fd);
    explicit_bzero(pool.bytes, sizeof pool.bytes);
    return true;
}

/* Keeps the last APPLY_OUTPUT_CAP bytes of the program's output: the end says what went wrong. */
struct tail {
    char data[APPLY_OUTPUT_CAP];
    size_t len;
    bool cut;
};

static void tail_add(struct tail *t, const char *s, size_t n) {
    if (n >= sizeof t->data) {
        s += n - sizeof t->data;
        n = sizeof t->data;
        t->len = 0;
        t->cut = true;
    } else if (t->len + n > sizeof t->data) {
        size_t drop = t->len + n - sizeof t->data;
        memmove(t->data, t->data + drop, t->len - drop);
        t->len -= drop;
        t->cut = true;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
}

static pid_t spawn(const char *program, char *const argv[], int out_fd) {
    pid_t pid = fork();
    if (pid != 0) {
        return pid;
    }
    /* The child: its own process group (so a timeout kills everything it started), default
     * signal dispositions and mask (the agent blocks SIGTERM and ignores SIGPIPE). */
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0) {
        _exit(126);
    }
    execv(program, argv);
    dprintf(2, "cannot run %s: %s\n", program, strerror(errno));
    _exit(127);
}

static void trim_output(struct tail *t, char *out, size_t cap) {
    size_t n = t->len;
    while (n > 0 && (t->data[n - 1] == '\n' || t->data[n - 1] == '\r' || t->data[n - 1] == ' ')) {
        n--;
    }
    size_t start = n + 1 > cap ? n + 1 - cap : 0;  /* the end is what matters */
    snprintf(out, cap, "%s%.*s", t->cut || start > 0 ? "..." : "", (int)(n - start), t->data + start);
}

static bool run_program(const struct apply_config *config, const char *grow, const char *reload, char *err,
                        size_t errlen) {
    char *argv[] = {(char *)config->program, (char *)grow, (char *)reload, NULL};
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        return fail(err, errlen, "apply", "pipe", errno);
    }
    pid_t pid = spawn(config->program, argv, pipe_fds[1]);
    close(pipe_fds[1]);
    if (pid < 0) {
        int e = errno;
        close(pipe_fds[0]);
        return fail(err, errlen, "apply", config->program, e);
    }
    setpgid(pid, pid);  /* also here, so the group exists whichever side runs first */
    fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
    struct tail *output = calloc(1, sizeof *output);
    long long deadline = now_ms() + config->timeout_ms;
    bool open_pipe = true;
    bool exited = false;
    bool timed_out = false;
    int status = 0;
    /* Reads until the program exits; a daemon it started may keep the pipe open, so its exit,
     * not the pipe's end, decides. Polls briefly between exit checks. */
    while (!exited) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            timed_out = true;
            kill(-pid, SIGKILL);
            /* Bounded too: a process stuck in the kernel (a hung disk) ignores even SIGKILL for a while. */
            for (int tries = 0; tries < 100 && waitpid(pid, &status, WNOHANG) == 0; tries++) {
                struct timespec nap = {0, 10 * 1000 * 1000};
                nanosleep(&nap, NULL);
            }
            break;
        }
        if (open_pipe) {
            struct pollfd p = {.fd = pipe_fds[0], .events = POLLIN};
            poll(&p, 1, left < 20 ? (int)left : 20);
            char chunk[1024];
            ssize_t n;
            while ((n = read(pipe_fds[0], chunk, sizeof chunk)) > 0) {
                if (output != NULL) tail_add(output, chunk, (size_t)n);
            }
            open_pipe = n != 0;
        } else {
            struct timespec nap = {0, 10 * 1000 * 1000};
            nanosleep(&nap, NULL);
        }
        pid_t got = waitpid(pid, &status, WNOHANG);
        exited = got == pid || (got < 0 && errno != EINTR);
    }
    if (exited) {
        char chunk[1024];
        ssize_t n;
        while ((n = read(pipe_fds[0], chunk, sizeof chunk)) > 0) {
            if (output != NULL) tail_add(output, chunk, (size_t)n);
        }
    }
    close(pipe_fds[0]);
    char said[1024] = "";
    if (output != NULL) {
        trim_output(output, said, sizeof said);
        free(output);
    }
    bool ok = false;
    if (timed_out) {
        snprintf(err, errlen, "apply: %s did not finish within %d ms (killed)%s%s", config->program,
                 config->timeout_ms, said[0] ? ": " : "", said);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        ok = true;
    } else if (WIFEXITED(status)) {
        snprintf(err, errlen, "apply: %s exited with %d%s%s", config->program, WEXITSTATUS(status),
                 said[0] ? ": " : "", said);
    } else {
        snprintf(err, errlen, "apply: %s was killed by signal %d%s%s", config->program,
                 WIFSIGNALED(status) ? WTERMSIG(status) : 0, said[0] ? ": " : "", said);
    }
    return ok;
}

bool apply_program_args(bool grow_root, bool sshd_serves_key, const char *args[2]) {
    args[0] = grow_root ? "yes" : "no";
    args[1] = sshd_serves_key ? "no" : "yes";
    return grow_root || !sshd_serves_key;
}

/* A positive decimal pid above 1 (never init) from the text of a pid file, else 0. */
pid_t apply_parse_pid(const char *text) {
    long long pid = 0;
    const char *p = text;
    if (*p < '1' || *p > '9') {
        return 0;
    }
    while (*p >= '0' && *p <= '9') {
        pid = pid * 10 + (*p++ - '0');
        if (pid > 0x3fffffff) {
            return 0;
        }
    }
    if (*p != '\0' && *p != '\n') {
        return 0;
    }
    return pid > 1 ? (pid_t)pid : 0;
}

bool apply_sshd_loads_keys_per_connection(const char *root) {
    static const char *const session_programs[] = {
        "usr/lib/openssh/sshd-session", "usr/libexec/sshd-session", "usr/libexec/openssh/sshd-session",
        "usr/lib/ssh/sshd-session", "usr/sbin/sshd-session",
    };
    char path[4096];
    for (size_t i = 0; i < sizeof session_programs / sizeof session_programs[0]; i++) {
        if (join(path, sizeof path, root, session_programs[i]) && access(path, F_OK) == 0) {
            return false;
        }
    }
    return true;
}

/*
 * Has the sshd named in run/sshd.pid serve the key just written. OpenSSH before 9.8 re-executes
 * itself for every connection, and that child reads the host keys from disk: the next connection
 * gets the new key with the listener left alone (a hang-up would re-execute the listener, a third
 * of a second under emulation without anyone listening). From 9.8 the listener hands its keys to
 * sshd-session, so it is hung up and re-executes with the new one. *served is false when there is
 * no live sshd (no pid file, or a stale one), which leaves the reload to the image's init through
 * the apply program; *how says which way it went, for the log.
 */
static bool serve_new_key(const char *root, char *err, size_t errlen, bool *served, const char **how) {
    *served = false;
    *how = "not running";
    char path[4096];
    if (!join(path, sizeof path, root, "run/sshd.pid")) {
        return fail(err, errlen, "sshd", "run/sshd.pid", ENAMETOOLONG);
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return true;
    }
    char text[32];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    text[n > 0 ? n : 0] = '\0';
    pid_t pid = apply_parse_pid(text);
    if (pid == 0) {
        return true;
    }
    bool per_connection = apply_sshd_loads_keys_per_connection(root);
    if (kill(pid, per_connection ? 0 : SIGHUP) != 0) {
        if (errno == ESRCH) {
            return true;
        }
        char what[64];
        snprintf(what, sizeof what, "%s pid %d", per_connection ? "check" : "hang up", (int)pid);
        return fail(err, errlen, "sshd", what, errno);
    }
    *served = true;
    *how = per_connection ? "loads the key per connection" : "hung up";
    return true;
}

bool identity_apply(const struct identity *id, const struct apply_config *config, char *err, size_t errlen) {
    long long start = now_ms();
    if (!write_files(id, config->root, err, errlen) || !sync_root(config->root, err, errlen)) {
        return false;
    }
    long long files = now_ms();
    if (!config->test && !set_clock_and_entropy(id, err, errlen)) {
        return false;
    }
    if (sethostname(id->hostname, strlen(id->hostname)) != 0) {
        return fail(err, errlen, "hostname", id->hostname, errno);
    }
    if (!netcfg_apply(id, NETCFG_SYS_NET, err, errlen)) {
        return false;
    }
    long long network = now_ms();
    bool served = false;
    const char *sshd = NULL;
    if (!serve_new_key(config->root, err, errlen, &served, &sshd)) {
        return false;
    }
    const char *args[2];
    bool run = apply_program_args(id->grow_root, served, args);
    if (run && !run_program(config, args[0], args[1], err, errlen)) {
        return false;
    }
    long long end = now_ms();
    /* Monotonic time, so a clock just set backwards does not skew it. */
    char program[96] = "apply program not needed";
    if (run) {
        snprintf(program, sizeof program, "apply program (%s %s) %lld ms", args[0], args[1], end - network);
    }
    fprintf(stderr, "banger-agent: identity %s applied in %lld ms: files %lld ms, network %lld ms, sshd %s, %s\n",
            id->hostname, end - start, files - start, network - files, sshd, program);
    return true;
}
