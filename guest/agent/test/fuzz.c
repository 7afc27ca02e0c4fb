/*
 * Robustness driver: starts the sanitizer build of the agent on a Unix socket over a fake root,
 * throws thousands of random, truncated and malformed requests at it with valid ones
 * interleaved, checks the answers, holds idle connections open to prove a slow client cannot
 * wedge it, sends valid, mutated, truncated and oversized POST /identity requests (the agent
 * writes under a scratch root and sets the hostname and network in namespaces of its own with a
 * TAP named eth0, never sets the clock, runs /bin/true), drives the serial path
 * through a raw pty, then stops it with SIGTERM so LeakSanitizer runs, and fails on any
 * sanitizer report or non-zero exit.
 *
 * usage: agent-fuzz AGENT_BINARY   (FUZZ_ITERATIONS and FUZZ_SEED override the defaults)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "isolate.h"

#define AGENT_TIMEOUT_MS 1000
#define IO_TIMEOUT_MS 5000
#define AGENT_MAX_CONNS 32

static int passed;
static int failed;
static char dir[64];
static char sock_path[128];

static void check(bool ok, const char *fmt, ...) {
    if (ok) {
        passed++;
        return;
    }
    failed++;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_file(const char *rel, const char *content, size_t len) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *p = path + strlen(dir) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
    FILE *f = fopen(path, "w");
    if (f == NULL || fwrite(content, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
}

static void make_fake_root(void) {
    const char *tcp =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n"
        "   1: 0100007F:1000 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 2 1\n";
    const char *tcp6 =
        "  sl  local_address                         remote_address                        st tx_queue\n"
        "   0: 00000000000000000000000000000000:1000 00000000000000000000000000000000:0000 0A 00000000:00000000\n";
    const char hostname[] = "we\"ird\\\x01\xffhost\n";
    write_file("root/proc/net/tcp", tcp, strlen(tcp));
    write_file("root/proc/net/tcp6", tcp6, strlen(tcp6));
    write_file("root/proc/uptime", "12.34 56.78\n", 12);
    write_file("root/proc/sys/kernel/random/boot_id", "0f0e0d0c-1111-2222-3333-444455556666\n", 37);
    write_file("root/proc/sys/kernel/hostname", hostname, sizeof hostname - 1);
    write_file("root/proc/self/mounts", "/dev/vda / ext4 ro 0 0\n/dev/vdb /root ext4 rw 0 0\n", 50);
    write_file("root/etc/ssh/ssh_host_rsa_key.pub", "ssh-rsa AAAArsa root@vm\n", 24);
    write_file("root/etc/ssh/ssh_host_ed25519_key.pub", "  ssh-ed25519 AAAAed root@vm \n", 30);
    write_file("root/etc/ssh/ssh_host_ed25519_key", "PRIVATE\n", 8);
}

static const char *expected_body =
    "{\"status\":\"ok\",\"bootId\":\"0f0e0d0c-1111-2222-3333-444455556666\",\"uptimeSeconds\":12.34,"
    "\"hostname\":\"we\\\"ird\\\\\\u0001\\ufffdhost\","
    "\"services\":{\"sshd\":{\"port\":22,\"listening\":true},\"opencode\":{\"port\":4096,\"listening\":true}},"
    "\"workDisk\":{\"mountPoint\":\"/root\",\"mounted\":true},"
    "\"hostKeys\":[\"ssh-ed25519 AAAAed root@vm\",\"ssh-rsa AAAArsa root@vm\"],\"agentVersion\":\"0.1.0\"}";

static bool file_contains(const char *path, const char *a, const char *b) {
    FILE *f = fopen(path, "r");
    char line[1024];
    bool found = false;
    while (f != NULL && !found && fgets(line, sizeof line, f) != NULL) {
        found = strstr(line, a) != NULL || strstr(line, b) != NULL;
    }
    if (f != NULL) {
        fclose(f);
    }
    return found;
}

/* Starts the agent; returns its pid once it has said it is serving (on stdout or stderr). */
static pid_t start_agent(const char *binary, char *const extra[], const char *stderr_name) {
    char err_path[256];
    snprintf(err_path, sizeof err_path, "%s/%s", dir, stderr_name);
    char root[256];
    snprintf(root, sizeof root, "%s/root", dir);
    pid_t pid = fork();
    if (pid == 0) {
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(err, 1);
        dup2(err, 2);
        /* An identity sets the hostname and the network for real: only in namespaces of its own. */
        char why[256];
        if (!isolate_namespaces(why, sizeof why)) {
            fprintf(stderr, "agent-fuzz: %s\n", why);
            _exit(125);
        }
        char *argv[24] = {(char *)binary, "--root", root, "--timeout-ms", "1000"};
        int n = 5;
        for (int i = 0; extra[i] != NULL && n < 23; i++) {
            argv[n++] = extra[i];
        }
        argv[n] = NULL;
        execv(binary, argv);
        _exit(127);
    }
    long long deadline = now_ms() + 20000;
    while (!file_contains(err_path, "serving", "ready")) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            fprintf(stderr, "agent exited (status 0x%x) before it was serving (see %s)\n", status, err_path);
            exit(2);
        }
        if (now_ms() > deadline) {
            fprintf(stderr, "agent did not start serving within 20 s\n");
            kill(pid, SIGKILL);
            exit(2);
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return pid;
}

/* Stops the agent with SIGTERM and checks it exited 0 with no sanitizer report. */
static void stop_agent(pid_t pid, const char *stderr_name) {
    kill(pid, SIGTERM);
    int status = 0;
    long long deadline = now_ms() + 30000;
    pid_t got = 0;
    while ((got = waitpid(pid, &status, WNOHANG)) == 0 && now_ms() < deadline) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (got == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    check(got == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "agent (%s) exits 0 after SIGTERM (status 0x%x)", stderr_name, status);
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, stderr_name);
    FILE *f = fopen(path, "r");
    char line[1024];
    bool clean = true;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strstr(line, "Sanitizer") != NULL || strstr(line, "runtime error") != NULL) {
            clean = false;
        }
        fputs(line, stderr);
    }
    if (f != NULL) {
        fclose(f);
    }
    check(clean, "no sanitizer report from the agent (%s)", stderr_name);
}

static int connect_agent(void) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, sock_path);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        fprintf(stderr, "connect: %s\n", strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

static void send_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0) {
            return;  /* the agent may have answered and closed already */
        }
        data += n;
        len -= (size_t)n;
    }
}

/* Reads until EOF or timeout; returns bytes read, or -1 on timeout. */
static ssize_t read_all(int fd, char *out, size_t cap, int timeout_ms) {
    size_t len = 0;
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        long long left = deadline - now_ms();
        if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
            return -1;
        }
        ssize_t n = read(fd, out + len, cap - 1 - len);
        if (n < 0 && errno == ECONNRESET) {
            break;
        }
        if (n <= 0) {
            break;
        }
        len += (size_t)n;
        if (len == cap - 1) {
            break;
        }
    }
    out[len] = '\0';
    return (ssize_t)len;
}

/* One exchange: send, half-close, read the whole answer. */
static ssize_t exchange(const char *req, size_t len, char *resp, size_t cap) {
    int fd = connect_agent();
    if (fd < 0) {
        return -2;
    }
    send_all(fd, req, len);
    shutdown(fd, SHUT_WR);
    ssize_t n = read_all(fd, resp, cap, IO_TIMEOUT_MS);
    close(fd);
    return n;
}

static int status_of(const char *resp) {
    int status = 0;
    if (sscanf(resp, "HTTP/1.1 %3d ", &status) != 1) {
        return -1;
    }
    return status;
}

static const char valid[] = "GET /healthz HTTP/1.1\r\nHost: agent\r\nAccept: application/json\r\n\r\n";

static void check_valid(const char *what) {
    char resp[65536];
    ssize_t n = exchange(valid, sizeof valid - 1, resp, sizeof resp);
    const char *body = n > 0 ? strstr(resp, "\r\n\r\n") : NULL;
    bool ok = n > 0 && status_of(resp) == 200 && body != NULL && strcmp(body + 4, expected_body) == 0;
    check(ok, "%s: valid GET /healthz answers the expected document, got [%s]", what, n > 0 ? resp : "(nothing)");
}

static const char identity_body[] =
    "hostname=dev1\n"
    "address=172.16.0.5/24\n"
    "gateway=172.16.0.1\n"
    "dns=1.1.1.1,8.8.8.8\n"
    "mac=02:fc:00:00:00:05\n"
    "machine_id=0123456789abcdef0123456789abcdef\n"
    "clock=1764940000.123456789\n"
    "entropy=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f\n"
    "host_key_ed25519=LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEUgS0VZLS0tLS0KeAo=\n"
    "host_key_ed25519_pub=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\n"
    "grow_root=no\n";

/* A POST /identity head declaring length (or no Content-Length when length < 0). */
static size_t identity_head(char *out, size_t cap, long long length) {
    int n = snprintf(out, cap, "POST /identity HTTP/1.1\r\nHost: agent\r\nContent-Type: text/plain; charset=utf-8\r\n");
    if (length >= 0) {
        n += snprintf(out + n, cap - (size_t)n, "Content-Length: %lld\r\n", length);
    }
    n += snprintf(out + n, cap - (size_t)n, "\r\n");
    return (size_t)n;
}

static unsigned int rnd(unsigned int bound) {
    return bound == 0 ? 0 : (unsigned int)random() % bound;
}

static const char *pieces[] = {
    "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "G\x00T", "get", " ", "  ", "\t", "/", "/healthz",
    "/healthz?x=1", "*", "http://agent/healthz", "/%00", "/../../etc/passwd", "HTTP/1.1", "HTTP/1.0",
    "HTTP/2.0", "HTTP/1.", "HTTP/", "\r\n", "\n", "\r", "\r\n\r\n", "Host: agent", "Host:", ":",
    "Content-Length: 5", "Content-Length: -1", "Content-Length: 99999999999999999999",
    "Transfer-Encoding: chunked", "X: \x01\x7f\xff", " folded", "PING", "PONG", "\xc3\x28", "%s%n%x",
};

static size_t build_random_request(char *out, size_t cap) {
    size_t len = 0;
    switch (rnd(5)) {
    case 0: { /* pure noise */
        size_t n = rnd(600);
        for (size_t i = 0; i < n && len < cap; i++) out[len++] = (char)rnd(256);
        break;
    }
    case 1: { /* mutated valid request */
        memcpy(out, valid, sizeof valid - 1);
        len = sizeof valid - 1;
        int edits = 1 + (int)rnd(8);
        for (int e = 0; e < edits && len > 0; e++) {
            size_t at = rnd((unsigned int)len);
            switch (rnd(3)) {
            case 0: out[at] = (char)rnd(256); break;
            case 1: memmove(out + at, out + at + 1, len - at - 1); len--; break;
            default:
                if (len < cap) { memmove(out + at + 1, out + at, len - at); out[at] = (char)rnd(256); len++; }
            }
        }
        break;
    }
    case 2: /* truncated valid request */
        len = rnd(sizeof valid - 1);
        memcpy(out, valid, len);
        break;
    default: { /* grammar-ish soup */
        int n = 1 + (int)rnd(14);
        for (int i = 0; i < n; i++) {
            const char *p = pieces[rnd(sizeof pieces / sizeof pieces[0])];
            size_t pl = strlen(p);
            if (p[0] == 'G' && p[1] == '\0' + 0 && pl == 1) pl = 3;  /* keeps the embedded NUL piece */
            if (len + pl < cap) { memcpy(out + len, p, pl); len += pl; }
        }
        break;
    }
    }
    return len;
}

static void run_random(int iterations) {
    char req[2048];
    char resp[65536];
    int answered = 0;
    for (int i = 0; i < iterations; i++) {
        if (i % 7 == 0) {
            check_valid("interleaved");
            continue;
        }
        size_t len = build_random_request(req, sizeof req);
        int fd = connect_agent();
        if (fd < 0) {
            check(false, "agent accepts connection %d", i);
            return;
        }
        if (rnd(4) == 0) {
            /* trickle: several small writes */
            for (size_t off = 0; off < len;) {
                size_t n = 1 + rnd(16);
                if (n > len - off) n = len - off;
                send_all(fd, req + off, n);
                off += n;
            }
        } else {
            send_all(fd, req, len);
        }
        if (rnd(10) == 0) {
            close(fd);  /* hang up without reading */
            continue;
        }
        shutdown(fd, SHUT_WR);
        ssize_t n = read_all(fd, resp, sizeof resp, IO_TIMEOUT_MS);
        close(fd);
        bool shape = n == 0 || (n > 0 && (status_of(resp) > 0 || strcmp(resp, "PONG\n") == 0));
        if (!shape) {
            check(false, "iteration %d: answer is an HTTP response, PONG or nothing (got %zd bytes: %.80s)", i, n,
                  n > 0 ? resp : "");
        } else {
            passed++;
            answered += n > 0;
        }
    }
    check(answered > iterations / 2, "most malformed requests got an answer (%d of %d)", answered, iterations);
}

static void run_fixed(void) {
    char resp[65536];
    struct { const char *req; int status; const char *what; } cases[] = {
        {"GET /nope HTTP/1.1\r\nHost: a\r\n\r\n", 404, "unknown path"},
        {"POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", 405, "POST with a body"},
        {"HEAD /healthz HTTP/1.1\r\nHost: a\r\n\r\n", 405, "HEAD"},
        {"GET /healthz HTTP/1.1\r\n\r\n", 400, "missing Host"},
        {"GET /healthz\r\n\r\n", 400, "HTTP/0.9 style"},
        {"GET /healthz HTTP/3.0\r\nHost: a\r\n\r\n", 505, "unknown version"},
        {"GET /healthz HTTP/1.1\r\nHost: a\r\n", 400, "head cut short by EOF"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ssize_t n = exchange(cases[i].req, strlen(cases[i].req), resp, sizeof resp);
        check(n > 0 && status_of(resp) == cases[i].status, "%s answers %d, got [%s]", cases[i].what,
              cases[i].status, n > 0 ? resp : "(nothing)");
    }
    ssize_t n = exchange("DELETE /healthz HTTP/1.1\r\nHost: a\r\n\r\n", 37, resp, sizeof resp);
    check(n > 0 && strstr(resp, "\r\nAllow: GET\r\n") != NULL, "405 carries Allow: GET");
    n = exchange("PING\n", 5, resp, sizeof resp);
    check(n == 5 && strcmp(resp, "PONG\n") == 0, "legacy PING gets PONG, got [%s]", n > 0 ? resp : "");

    static char big[20000];
    size_t len = (size_t)snprintf(big, sizeof big, "GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: ");
    memset(big + len, 'x', 12000);
    len += 12000;
    memcpy(big + len, "\r\n\r\n", 4);
    len += 4;
    n = exchange(big, len, resp, sizeof resp);
    check(n > 0 && status_of(resp) == 431, "oversized head answers 431, got [%.60s]", n > 0 ? resp : "");
}

static bool file_is(const char *rel, const char *want) {
    char path[512];
    char got[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "r");
    size_t n = f != NULL ? fread(got, 1, sizeof got - 1, f) : 0;
    if (f != NULL) fclose(f);
    got[n] = '\0';
    return f != NULL && strcmp(got, want) == 0;
}

static void run_identity_fixed(void) {
    static char req[65536];
    char resp[65536];
    size_t len = identity_head(req, sizeof req, (long long)sizeof identity_body - 1);
    memcpy(req + len, identity_body, sizeof identity_body - 1);
    len += sizeof identity_body - 1;
    ssize_t n = exchange(req, len, resp, sizeof resp);
    check(n > 0 && status_of(resp) == 200 && strstr(resp, "{\"applied\":true}") != NULL,
          "a valid identity is applied, got [%s]", n > 0 ? resp : "(nothing)");
    check(file_is("idroot/etc/hostname", "dev1\n"), "identity: etc/hostname written");
    check(file_is("idroot/etc/ssh/ssh_host_ed25519_key", "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n"),
          "identity: the private key is decoded");
    check(file_is("idroot/etc/resolv.conf", "nameserver 1.1.1.1\nnameserver 8.8.8.8\n"), "identity: resolv.conf");

    struct { const char *req; int status; const char *what; } cases[] = {
        {"GET /identity HTTP/1.1\r\nHost: a\r\n\r\n", 405, "GET /identity"},
        {"POST /identity HTTP/1.1\r\nHost: a\r\n\r\n", 400, "POST /identity without Content-Length"},
        {"POST /identity HTTP/1.1\r\nHost: a\r\nContent-Length: 999999999999999999\r\n\r\n", 413, "huge Content-Length"},
        {"POST /identity HTTP/1.1\r\nHost: a\r\nContent-Length: 16385\r\n\r\n", 413, "one byte too many"},
        {"POST /identity HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n", 400, "body missing"},
        {"POST /identity HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhostname=a", 400, "fields missing"},
        {"POST /identity HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "chunked"},
        {"POST /identity HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400,
         "two different lengths"},
        {"POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", 405, "POST /healthz"},
        {"POST /sync HTTP/1.1\r\nHost: a\r\n\r\n", 200, "POST /sync"},
        {"GET /sync HTTP/1.1\r\nHost: a\r\n\r\n", 405, "GET /sync"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        n = exchange(cases[i].req, strlen(cases[i].req), resp, sizeof resp);
        check(n > 0 && status_of(resp) == cases[i].status, "%s answers %d, got [%s]", cases[i].what,
              cases[i].status, n > 0 ? resp : "(nothing)");
    }
}

static const char *identity_pieces[] = {
    "hostname=", "address=", "gateway=", "dns=", "mac=", "machine_id=", "clock=", "entropy=", "host_key_ed25519=",
    "host_key_ed25519_pub=", "grow_root=", "dev1", "-", "172.16.0.5/24", "/33", "1.1.1.1", ",", "02:fc:00:00:00:05",
    "ff:", "0123456789abcdef", "1764940000.123456789", ".", "yes", "no", "ssh-ed25519 ", "AAAA", "LS0t", "=", "==",
    "\n", "\r\n", "\x00", "\xff", "%s%n", "unknown=1\n",
};

/* Random POST /identity requests: each must get a well-formed answer with a status its shape allows. */
static void run_identity_random(int iterations) {
    static char req[65536];
    static char body[32768];
    char resp[65536];
    for (int i = 0; i < iterations; i++) {
        size_t blen = 0;
        long long declared;
        bool ok200 = false;
        int kind = (int)rnd(7);
        switch (kind) {
        case 0: /* mutated valid body */
            memcpy(body, identity_body, sizeof identity_body - 1);
            blen = sizeof identity_body - 1;
            for (int e = 1 + (int)rnd(4); e > 0; e--) {
                size_t at = rnd((unsigned int)blen);
                body[at] = (char)rnd(256);
            }
            ok200 = true;  /* a mutation may keep it valid */
            break;
        case 1: /* pieces soup */
            for (int p = 1 + (int)rnd(40); p > 0; p--) {
                const char *piece = identity_pieces[rnd(sizeof identity_pieces / sizeof identity_pieces[0])];
                size_t pl = piece[0] == '\0' ? 1 : strlen(piece);
                if (blen + pl < sizeof body) { memcpy(body + blen, piece, pl); blen += pl; }
            }
            break;
        case 2: /* noise, sometimes past the limit */
            blen = rnd(2) ? rnd(600) : 16000 + rnd(1000);
            for (size_t b = 0; b < blen; b++) body[b] = (char)rnd(256);
            break;
        default: /* the valid body, cut or whole */
            blen = rnd(sizeof identity_body);
            memcpy(body, identity_body, blen);
            ok200 = blen >= sizeof identity_body - 2;  /* whole, or missing only the last LF */
            break;
        }
        declared = (long long)blen;
        int framing = (int)rnd(8);
        if (framing == 0) {
            declared = -1;  /* no Content-Length */
        } else if (framing == 1) {
            declared = (long long)blen + 1 + rnd(100);  /* body shorter than declared */
        } else if (framing == 2) {
            declared = 16385 + (long long)rnd(1u << 30) * (rnd(2) ? 1000000000LL : 1);  /* too large */
        } else if (framing == 3 && blen > 0) {
            declared = (long long)rnd((unsigned int)blen);  /* cut by the length */
        }
        size_t len = identity_head(req, sizeof req, declared);
        memcpy(req + len, body, blen);
        len += blen;
        int fd = connect_agent();
        if (fd < 0) {
            check(false, "agent accepts identity connection %d", i);
            return;
        }
        for (size_t off = 0; off < len;) {
            size_t step = rnd(4) == 0 ? 1 + rnd(64) : len - off;
            if (step > len - off) step = len - off;
            send_all(fd, req + off, step);
            off += step;
        }
        shutdown(fd, SHUT_WR);
        ssize_t n = read_all(fd, resp, sizeof resp, IO_TIMEOUT_MS);
        close(fd);
        int status = n > 0 ? status_of(resp) : -1;
        bool allowed;
        if (declared < 0 || declared > 999999999999999999LL) {
            allowed = status == 400;  /* no length, or more digits than the parser takes */
        } else if (declared > 16384) {
            allowed = status == 413;
        } else {
            allowed = status == 400 || (status == 200 && (ok200 || kind == 1));
        }
        if (allowed) {
            allowed = strstr(resp, "\r\n\r\n{\"") != NULL;  /* a JSON body */
        }
        check(allowed, "identity iteration %d (kind %d, declared %lld, %zu body bytes): got [%.200s]", i, kind,
              declared, blen, n > 0 ? resp : "(nothing)");
    }
}

/* Idle connections up to and past the cap must not stop a fresh client from being served. */
static void run_slow_clients(void) {
    int idle[AGENT_MAX_CONNS + 8];
    int count = 0;
    for (int i = 0; i < 5; i++) {
        idle[count] = connect_agent();
        if (idle[count] >= 0) {
            send_all(idle[count], "GET /hea", 8);
            count++;
        }
    }
    long long start = now_ms();
    check_valid("with 5 stalled clients");
    check(now_ms() - start < AGENT_TIMEOUT_MS, "stalled clients do not delay others (%lld ms)", now_ms() - start);
    for (int i = count; i < AGENT_MAX_CONNS + 8; i++) {
        idle[i] = connect_agent();
        if (idle[i] >= 0) count = i + 1;
    }
    /* Every slot is held now; the agent's per-connection deadline must free them. */
    start = now_ms();
    check_valid("past the connection cap");
    long long took = now_ms() - start;
    check(took < 4 * AGENT_TIMEOUT_MS, "past the cap a client waits at most about one timeout (%lld ms)", took);
    char scratch[256];
    ssize_t n = read_all(idle[0], scratch, sizeof scratch, IO_TIMEOUT_MS);
    check(n >= 0, "a stalled client is closed by its deadline");
    for (int i = 0; i < count; i++) {
        if (idle[i] >= 0) close(idle[i]);
    }
}

/* Reads from the pty master until want bytes arrived or timeout. */
static ssize_t pty_read(int master, char *out, size_t cap, const char *until) {
    size_t len = 0;
    long long deadline = now_ms() + IO_TIMEOUT_MS;
    while (len < cap - 1) {
        struct pollfd p = {master, POLLIN, 0};
        long long left = deadline - now_ms();
        if (left <= 0 || poll(&p, 1, (int)left) <= 0) break;
        ssize_t n = read(master, out + len, cap - 1 - len);
        if (n <= 0) break;
        len += (size_t)n;
        out[len] = '\0';
        if (strstr(out, until) != NULL) break;
    }
    out[len] = '\0';
    return (ssize_t)len;
}

static void run_serial(const char *binary) {
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        check(false, "a pty is available for the serial test");
        return;
    }
    char *slave_name = ptsname(master);
    int slave = open(slave_name, O_RDWR | O_NOCTTY);
    struct termios t;
    tcgetattr(slave, &t);
    cfmakeraw(&t);
    tcsetattr(slave, TCSANOW, &t);
    /* The agent also listens on vsock in this mode; a random high port keeps runs apart. */
    char port[16];
    snprintf(port, sizeof port, "%u", 40000u + (unsigned int)getpid() % 20000u);
    char idroot[256];
    snprintf(idroot, sizeof idroot, "%s/idroot-serial", dir);
    mkdir(idroot, 0700);
    char *extra[] = {"--port", port, "--device", slave_name, "--identity-test", "--identity-root", idroot,
                     "--identity-apply", "/bin/true", NULL};
    pid_t pid = start_agent(binary, extra, "agent-serial.stderr");
    close(slave);
    char resp[65536];

    const char *ping = "PING\n";
    (void)!write(master, ping, strlen(ping));
    ssize_t n = pty_read(master, resp, sizeof resp, "PONG\n");
    check(n == 5 && strcmp(resp, "PONG\n") == 0, "serial: PING gets PONG, got [%s]", resp);

    (void)!write(master, valid, sizeof valid - 1);
    n = pty_read(master, resp, sizeof resp, "\"agentVersion\":\"0.1.0\"}");
    const char *body = strstr(resp, "\r\n\r\n");
    check(status_of(resp) == 200 && body != NULL && strcmp(body + 4, expected_body) == 0,
          "serial: GET /healthz answers the document, got [%s]", resp);

    const char *two = "GET /x HTTP/1.1\r\nHost: a\r\n\r\nPING\n";
    (void)!write(master, two, strlen(two));
    n = pty_read(master, resp, sizeof resp, "PONG\n");
    check(status_of(resp) == 404 && strstr(resp, "PONG\n") != NULL, "serial: back-to-back requests each answered");

    /* An identity and a PING in one write: the body is consumed exactly, the PING still answered. */
    static char req[8192];
    size_t len = identity_head(req, sizeof req, (long long)sizeof identity_body - 1);
    memcpy(req + len, identity_body, sizeof identity_body - 1);
    len += sizeof identity_body - 1;
    memcpy(req + len, "PING\n", 5);
    len += 5;
    (void)!write(master, req, len);
    n = pty_read(master, resp, sizeof resp, "PONG\n");
    check(status_of(resp) == 200 && strstr(resp, "{\"applied\":true}PONG\n") != NULL,
          "serial: an identity is applied and the next request answered, got [%s]", resp);

    (void)!write(master, "\x01garbage\n", 9);
    n = pty_read(master, resp, sizeof resp, "}");
    check(status_of(resp) == 400, "serial: garbage answers 400, got [%s]", resp);
    /* After the quiet window the port serves again. */
    struct timespec ts = {0, 400 * 1000 * 1000};
    nanosleep(&ts, NULL);
    (void)!write(master, ping, strlen(ping));
    n = pty_read(master, resp, sizeof resp, "PONG\n");
    check(strcmp(resp, "PONG\n") == 0, "serial: serves again after a bad request, got [%s]", resp);

    stop_agent(pid, "agent-serial.stderr");
    close(master);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: agent-fuzz AGENT_BINARY\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int iterations = getenv("FUZZ_ITERATIONS") ? atoi(getenv("FUZZ_ITERATIONS")) : 5000;
    unsigned int seed = getenv("FUZZ_SEED") ? (unsigned int)atoi(getenv("FUZZ_SEED")) : (unsigned int)time(NULL);
    srandom(seed);
    printf("agent-fuzz: seed %u, %d iterations\n", seed, iterations);
    strcpy(dir, "/tmp/banger-agent-fuzz.XXXXXX");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 2;
    }
    snprintf(sock_path, sizeof sock_path, "%s/agent.sock", dir);
    make_fake_root();

    char idroot[256];
    snprintf(idroot, sizeof idroot, "%s/idroot", dir);
    mkdir(idroot, 0700);
    char *extra[] = {"--listen-unix", sock_path, "--identity-over-unix", "--identity-test", "--identity-root", idroot,
                     "--identity-apply", "/bin/true", NULL};
    pid_t pid = start_agent(argv[1], extra, "agent.stderr");
    check_valid("first");
    run_fixed();
    run_identity_fixed();
    run_random(iterations);
    run_identity_random(iterations / 5);
    run_slow_clients();
    check_valid("last");
    stop_agent(pid, "agent.stderr");
    run_serial(argv[1]);

    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", dir);
    }
    printf("agent-fuzz: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
