#define _GNU_SOURCE
#include "server.h"
#include "ports.h"

#include <errno.h>
#include <linux/vm_sockets.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "http.h"
#include "identity.h"
#include "respond.h"

/* A response is a few KiB; the cap only guards against a runaway render. */
#define MAX_RESPONSE (512 * 1024)
/* After answering, read and discard what the client still sends so close() does not reset
 * the connection before the client has read the answer; bounded in bytes and time. */
#define DRAIN_LIMIT (1024 * 1024)
#define DRAIN_MS 1000
/* A disconnected virtio-serial port reports POLLHUP continuously; look again this much later. */
#define DEVICE_IDLE_MS 200
#define DEVICE_REOPEN_MS 250

enum conn_state { CONN_FREE, CONN_READING, CONN_WRITING, CONN_DRAINING };

struct conn {
    int fd;
    enum conn_state state;
    bool is_device;
    bool host_peer;      /* may POST /identity: the host's vsock CID, the serial port, or --identity-over-unix */
    struct buf in;
    struct buf out;
    size_t out_pos;
    size_t drained;
    long long deadline;  /* monotonic ms; 0 means none */
};

struct server {
    const struct server_config *config;
    struct conn *conns;     /* max_connections sockets, then one slot for the device */
    int active;             /* socket connections in use */
    struct conn *device;
    long long device_wake;  /* do not poll the device before this */
};

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void conn_release(struct server *s, struct conn *c) {
    if (c->fd >= 0) {
        close(c->fd);
    }
    c->fd = -1;
    buf_free(&c->in);
    buf_free(&c->out);
    c->out_pos = 0;
    c->drained = 0;
    c->deadline = 0;
    if (!c->is_device && c->state != CONN_FREE) {
        s->active--;
    }
    c->state = CONN_FREE;
}

/* The input buffer holds a request head and an identity body at most. */
#define MAX_REQUEST (HTTP_MAX_HEAD + IDENTITY_MAX_BODY)

static void conn_start(struct conn *c, int fd, bool is_device, bool host_peer, long long deadline) {
    c->fd = fd;
    c->is_device = is_device;
    c->host_peer = host_peer;
    c->state = CONN_READING;
    buf_init(&c->in, MAX_REQUEST);
    buf_init(&c->out, MAX_RESPONSE);
    c->out_pos = 0;
    c->drained = 0;
    c->deadline = deadline;
}

static void device_open(struct server *s) {
    int fd = open(s->config->device_path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    char found[256];
    if (fd < 0 && s->config->device_port != NULL
        && ports_find_by_name("/sys/class/virtio-ports", "/dev", s->config->device_port, found, sizeof found) == 0) {
        /* Early in boot udev may not have made the /dev/virtio-ports link; the kernel's node is enough. */
        fd = open(found, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    }
    if (fd < 0) {
        s->device_wake = now_ms() + DEVICE_REOPEN_MS;
        return;
    }
    conn_start(s->device, fd, true, true, 0);  /* virtio-serial: only the host holds the other end */
    s->device_wake = 0;
}

/* The device has no connection to close: forget the half-read request and rest a while. */
static void device_idle(struct server *s) {
    struct conn *c = s->device;
    buf_reset(&c->in);
    buf_reset(&c->out);
    c->out_pos = 0;
    c->state = CONN_READING;
    c->deadline = 0;
    s->device_wake = now_ms() + DEVICE_IDLE_MS;
}

static void begin_write(struct server *s, struct conn *c, enum http_verdict verdict, const struct http_request *req,
                        const char *body, size_t body_len) {
    struct respond_context ctx = {.root = s->config->root, .apply = s->config->apply, .host_peer = c->host_peer};
    buf_reset(&c->out);
    respond(verdict, req, body, body_len, &ctx, &c->out);
    int timeout_ms = s->config->read_timeout_ms;
    c->out_pos = 0;
    c->state = CONN_WRITING;
    c->deadline = now_ms() + timeout_ms;
}

/* Looks at the buffered input; starts a response once there is something to answer. */
static void process_input(struct server *s, struct conn *c, bool eof) {
    struct http_request req;
    size_t consumed = 0;
    enum http_verdict verdict = http_parse(c->in.data, c->in.len, HTTP_MAX_HEAD, &req, &consumed);
    const char *body = NULL;
    size_t body_len = 0;
    size_t wanted = respond_body_wanted(verdict, &req);
    if (wanted > 0) {
        /* The head is complete; the answer needs the body too (at most IDENTITY_MAX_BODY). */
        if (c->in.len - consumed < wanted && !eof) {
            verdict = HTTP_NEED_MORE;
        } else {
            body = c->in.data + consumed;
            body_len = c->in.len - consumed < wanted ? c->in.len - consumed : wanted;
            consumed += body_len;
        }
    }
    if (verdict == HTTP_NEED_MORE && !eof) {
        if (c->is_device && c->in.len > 0 && c->deadline == 0) {
            c->deadline = now_ms() + s->config->read_timeout_ms;
        }
        return;
    }
    if (verdict == HTTP_NEED_MORE && c->in.len == 0) {
        if (c->is_device) {
            device_idle(s);
        } else {
            conn_release(s, c);
        }
        return;
    }
    if (c->is_device) {
        /* A stream device carries request after request; anything unparseable resynchronises
         * by dropping what is buffered. */
        bool keep = verdict == HTTP_REQUEST || verdict == HTTP_PING;
        begin_write(s, c, verdict, &req, body, body_len);
        buf_consume(&c->in, keep ? consumed : c->in.len);
        return;
    }
    begin_write(s, c, verdict, &req, body, body_len);
}

static void handle_read(struct server *s, struct conn *c) {
    char chunk[4096];
    size_t room = MAX_REQUEST - c->in.len;
    size_t want = room < sizeof chunk ? room : sizeof chunk;
    if (c->state == CONN_DRAINING) {
        want = sizeof chunk;
    }
    if (want == 0) {
        process_input(s, c, false);
        return;
    }
    ssize_t n = read(c->fd, chunk, want);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) {
            return;
        }
        if (c->is_device) {
            device_idle(s);
        } else {
            conn_release(s, c);
        }
        return;
    }
    if (c->state == CONN_DRAINING) {
        c->drained += (size_t)n;
        if (n == 0 || c->drained > DRAIN_LIMIT) {
            conn_release(s, c);
        }
        return;
    }
    if (n == 0) {
        if (c->is_device) {
            device_idle(s);  /* the host side went away mid-request */
        } else {
            process_input(s, c, true);
        }
        return;
    }
    buf_append(&c->in, chunk, (size_t)n);
    process_input(s, c, false);
}

static void handle_write(struct server *s, struct conn *c) {
    while (c->out_pos < c->out.len) {
        ssize_t n;
        if (c->is_device) {
            n = write(c->fd, c->out.data + c->out_pos, c->out.len - c->out_pos);
        } else {
            n = send(c->fd, c->out.data + c->out_pos, c->out.len - c->out_pos, MSG_NOSIGNAL);
        }
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) {
                return;
            }
            if (c->is_device) {
                device_idle(s);
            } else {
                conn_release(s, c);
            }
            return;
        }
        c->out_pos += (size_t)n;
    }
    if (c->is_device) {
        buf_reset(&c->out);
        c->out_pos = 0;
        c->state = CONN_READING;
        c->deadline = 0;
        if (c->in.len > 0) {
            process_input(s, c, false);
        }
        return;
    }
    shutdown(c->fd, SHUT_WR);
    c->state = CONN_DRAINING;
    c->deadline = now_ms() + DRAIN_MS;
}

bool server_peer_is_host(const struct sockaddr_storage *peer, bool identity_over_unix) {
    if (peer->ss_family == AF_VSOCK) {
        return ((const struct sockaddr_vm *)peer)->svm_cid == VMADDR_CID_HOST;
    }
    return peer->ss_family == AF_UNIX && identity_over_unix;
}

static void accept_all(struct server *s, int listener) {
    while (s->active < s->config->max_connections) {
        struct sockaddr_storage peer;
        socklen_t peer_len = sizeof peer;
        memset(&peer, 0, sizeof peer);
        int fd = accept4(listener, (struct sockaddr *)&peer, &peer_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == ECONNABORTED || errno == EINTR) {
                continue;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                fprintf(stderr, "banger-agent: accept: %s\n", strerror(errno));
            }
            return;
        }
        for (int i = 0; i < s->config->max_connections; i++) {
            if (s->conns[i].state == CONN_FREE) {
                conn_start(&s->conns[i], fd, false, server_peer_is_host(&peer, s->config->identity_over_unix), now_ms() + s->config->read_timeout_ms);
                s->active++;
                break;
            }
        }
    }
}

static void expire(struct server *s, long long now) {
    for (int i = 0; i <= s->config->max_connections; i++) {
        struct conn *c = &s->conns[i];
        if (c->state == CONN_FREE || c->deadline == 0 || c->deadline > now) {
            continue;
        }
        if (c->is_device) {
            device_idle(s);
        } else {
            conn_release(s, c);
        }
    }
}

static int poll_timeout(const struct server *s, long long now) {
    long long next = now + 60000;
    for (int i = 0; i <= s->config->max_connections; i++) {
        const struct conn *c = &s->conns[i];
        if (c->state != CONN_FREE && c->deadline != 0 && c->deadline < next) {
            next = c->deadline;
        }
    }
    if (s->device_wake != 0 && s->device_wake < next) {
        next = s->device_wake;
    }
    return next <= now ? 0 : (int)(next - now);
}

int server_run(const struct server_config *config, volatile sig_atomic_t *stop) {
    struct server s = {.config = config, .active = 0, .device_wake = 0};
    int slots = config->max_connections + 1;
    s.conns = calloc((size_t)slots, sizeof *s.conns);
    struct pollfd *fds = calloc((size_t)(slots + SERVER_MAX_LISTENERS), sizeof *fds);
    struct conn **owners = calloc((size_t)(slots + SERVER_MAX_LISTENERS), sizeof *owners);
    if (s.conns == NULL || fds == NULL || owners == NULL) {
        fprintf(stderr, "banger-agent: out of memory\n");
        free(s.conns);
        free(fds);
        free(owners);
        return 1;
    }
    for (int i = 0; i < slots; i++) {
        s.conns[i].fd = -1;
        s.conns[i].state = CONN_FREE;
        buf_init(&s.conns[i].in, HTTP_MAX_HEAD);
        buf_init(&s.conns[i].out, MAX_RESPONSE);
    }
    s.device = &s.conns[config->max_connections];
    s.device->is_device = true;
    if (config->device_path != NULL) {
        device_open(&s);
    }

    sigset_t unblocked;
    sigemptyset(&unblocked);
    int status = 0;
    while (!*stop) {
        long long now = now_ms();
        if (config->device_path != NULL && s.device->state == CONN_FREE && s.device_wake <= now) {
            device_open(&s);
        }
        nfds_t n = 0;
        if (s.active < config->max_connections) {
            for (int i = 0; i < config->listener_count; i++) {
                fds[n] = (struct pollfd){.fd = config->listeners[i], .events = POLLIN};
                owners[n++] = NULL;
            }
        }
        for (int i = 0; i < slots; i++) {
            struct conn *c = &s.conns[i];
            if (c->state == CONN_FREE || (c->is_device && s.device_wake > now)) {
                continue;
            }
            short events = c->state == CONN_WRITING ? POLLOUT : POLLIN;
            fds[n] = (struct pollfd){.fd = c->fd, .events = events};
            owners[n++] = c;
        }
        int timeout = poll_timeout(&s, now);
        struct timespec ts = {.tv_sec = timeout / 1000, .tv_nsec = (long)(timeout % 1000) * 1000000};
        int ready = ppoll(fds, n, &ts, &unblocked);
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            fprintf(stderr, "banger-agent: poll: %s\n", strerror(errno));
            status = 1;
            break;
        }
        for (nfds_t i = 0; i < n && ready > 0; i++) {
            if (fds[i].revents == 0) {
                continue;
            }
            struct conn *c = owners[i];
            if (c == NULL) {
                accept_all(&s, fds[i].fd);
                continue;
            }
            if (c->state == CONN_FREE || c->fd != fds[i].fd) {
                continue;
            }
            if (fds[i].revents & POLLNVAL) {
                conn_release(&s, c);
                if (c->is_device) {
                    s.device_wake = now_ms() + DEVICE_REOPEN_MS;
                }
            } else if (c->state == CONN_WRITING) {
                if (fds[i].revents & (POLLOUT | POLLERR | POLLHUP)) {
                    handle_write(&s, c);
                }
            } else if (fds[i].revents & POLLIN) {
                handle_read(&s, c);
            } else if (c->is_device) {
                device_idle(&s);  /* POLLHUP without data: the host side is not connected */
            } else {
                conn_release(&s, c);
            }
        }
        expire(&s, now_ms());
    }
    for (int i = 0; i < slots; i++) {
        conn_release(&s, &s.conns[i]);
    }
    free(s.conns);
    free(fds);
    free(owners);
    return status;
}
