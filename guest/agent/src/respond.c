#define _GNU_SOURCE
#include "respond.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "health.h"
#include "identity.h"

#define MAX_BODY (256 * 1024)

static void send_json(struct buf *out, int status, const char *reason, const char *extra_headers,
                      const char *body, size_t body_len) {
    buf_printf(out,
               "HTTP/1.1 %d %s\r\n"
               "Content-Type: application/json\r\n"
               "Content-Length: %zu\r\n"
               "Cache-Control: no-store\r\n"
               "Connection: close\r\n"
               "%s"
               "\r\n",
               status, reason, body_len, extra_headers);
    buf_append(out, body, body_len);
}

/* {"error":message} under the status line "status reason". */
static void send_message(struct buf *out, int status, const char *reason, const char *extra_headers,
                         const char *message) {
    struct buf body;
    buf_init(&body, 4096);
    buf_puts(&body, "{\"error\":");
    buf_json_string(&body, message, strlen(message));
    buf_puts(&body, "}");
    send_json(out, status, reason, extra_headers, body.data, body.len);
    buf_free(&body);
}

static void send_error(struct buf *out, int status, const char *reason, const char *extra_headers) {
    send_message(out, status, reason, extra_headers, reason);
}

static bool is_identity_post(const struct http_request *req) {
    return !req->path_too_long && strcmp(req->path, "/identity") == 0 && strcmp(req->method, "POST") == 0;
}

size_t respond_body_wanted(enum http_verdict verdict, const struct http_request *req) {
    if (verdict != HTTP_REQUEST || !is_identity_post(req) || req->transfer_encoding || req->content_length <= 0
        || req->content_length > IDENTITY_MAX_BODY) {
        return 0;
    }
    return (size_t)req->content_length;
}

/* text/plain, optionally with parameters; a charset other than UTF-8 (or ASCII) is refused. */
static bool text_plain(const char *type) {
    size_t n = strlen("text/plain");
    if (type[0] == '\0') {
        return true;  /* tolerated: the body's grammar is checked anyway */
    }
    if (strncasecmp(type, "text/plain", n) != 0 || (type[n] != '\0' && type[n] != ';' && type[n] != ' ')) {
        return false;
    }
    const char *charset = strcasestr(type + n, "charset=");
    if (charset == NULL) {
        return true;
    }
    charset += strlen("charset=");
    if (*charset == '"') {
        charset++;
    }
    return strncasecmp(charset, "utf-8", 5) == 0 || strncasecmp(charset, "us-ascii", 8) == 0;
}

static void respond_identity(const struct http_request *req, const char *body, size_t body_len,
                             const struct respond_context *ctx, struct buf *out) {
    if (!ctx->host_peer) {
        send_message(out, 403, "Forbidden", "", "identity is accepted only from the host side of the channel");
        return;
    }
    if (req->transfer_encoding) {
        send_message(out, 400, "Bad Request", "", "request: Transfer-Encoding is not supported; send Content-Length");
        return;
    }
    if (req->content_length < 0) {
        send_message(out, 400, "Bad Request", "", "request: Content-Length is required");
        return;
    }
    if (req->content_length > IDENTITY_MAX_BODY) {
        send_message(out, 413, "Content Too Large", "", "request: body over 16384 bytes");
        return;
    }
    if (!text_plain(req->content_type)) {
        send_message(out, 400, "Bad Request", "", "request: Content-Type must be text/plain; charset=utf-8");
        return;
    }
    if (body_len != (size_t)req->content_length) {
        send_message(out, 400, "Bad Request", "", "request: the body is shorter than its Content-Length");
        return;
    }
    struct identity *id = calloc(1, sizeof *id);
    char err[IDENTITY_ERR];
    if (id == NULL) {
        send_message(out, 500, "Internal Server Error", "", "request: out of memory");
        return;
    }
    if (!identity_parse(body, body_len, id, err, sizeof err)) {
        send_message(out, 400, "Bad Request", "", err);
    } else if (!identity_apply(id, ctx->apply, err, sizeof err)) {
        send_message(out, 500, "Internal Server Error", "", err);
    } else {
        const char ok[] = "{\"applied\":true}";
        send_json(out, 200, "OK", "", ok, sizeof ok - 1);
    }
    explicit_bzero(id, sizeof *id);  /* the private key and the entropy */
    free(id);
}

/*
 * POST /sync: the host is about to save this guest (a golden snapshot), so its dirty pages go to
 * its disks now rather than in every guest restored from it, where writing them back would
 * delay the first flush of its identity. Host side only, like the identity.
 */
static void respond_sync(const struct respond_context *ctx, struct buf *out) {
    if (!ctx->host_peer) {
        send_message(out, 403, "Forbidden", "", "sync is accepted only from the host side of the channel");
        return;
    }
    sync();
    const char ok[] = "{\"synced\":true}";
    send_json(out, 200, "OK", "", ok, sizeof ok - 1);
}

static void respond_to(enum http_verdict verdict, const struct http_request *req, const char *body, size_t body_len,
                       const struct respond_context *ctx, struct buf *out) {
    switch (verdict) {
    case HTTP_PING:
        buf_puts(out, "PONG\n");
        return;
    case HTTP_TOO_LARGE:
        send_error(out, 431, "Request Header Fields Too Large", "");
        return;
    case HTTP_BAD_VERSION:
        send_error(out, 505, "HTTP Version Not Supported", "");
        return;
    case HTTP_BAD:
    case HTTP_NEED_MORE:
        send_error(out, 400, "Bad Request", "");
        return;
    case HTTP_REQUEST:
        break;
    }
    if (!req->path_too_long && strcmp(req->path, "/identity") == 0) {
        if (strcmp(req->method, "POST") != 0) {
            send_error(out, 405, "Method Not Allowed", "Allow: POST\r\n");
        } else {
            respond_identity(req, body, body_len, ctx, out);
        }
        return;
    }
    if (!req->path_too_long && strcmp(req->path, "/sync") == 0) {
        if (strcmp(req->method, "POST") != 0) {
            send_error(out, 405, "Method Not Allowed", "Allow: POST\r\n");
        } else {
            respond_sync(ctx, out);
        }
        return;
    }
    if (req->path_too_long || strcmp(req->path, "/healthz") != 0) {
        send_error(out, 404, "Not Found", "");
        return;
    }
    if (strcmp(req->method, "GET") != 0) {
        send_error(out, 405, "Method Not Allowed", "Allow: GET\r\n");
        return;
    }
    struct buf doc;
    buf_init(&doc, MAX_BODY);
    if (health_render(ctx->root, &doc)) {
        send_json(out, 200, "OK", "", doc.data, doc.len);
    } else {
        send_error(out, 500, "Internal Server Error", "");
    }
    buf_free(&doc);
}

/*
 * The request's X-Request-Id goes back in the answer's head: over the virtio-serial port every
 * host connection shares one byte stream, and an answer to a request the host gave up on arrives
 * at the next one, which skips answers that are not its own.
 */
void respond(enum http_verdict verdict, const struct http_request *req, const char *body, size_t body_len,
             const struct respond_context *ctx, struct buf *out) {
    if (verdict != HTTP_REQUEST || req->request_id[0] == '\0') {
        respond_to(verdict, req, body, body_len, ctx, out);
        return;
    }
    struct buf answer;
    buf_init(&answer, MAX_BODY + HTTP_MAX_HEAD);
    respond_to(verdict, req, body, body_len, ctx, &answer);
    const char *eol = answer.len > 0 ? memmem(answer.data, answer.len, "\r\n", 2) : NULL;
    if (eol == NULL) {
        buf_append(out, answer.data, answer.len);
    } else {
        size_t status_line = (size_t)(eol - answer.data) + 2;
        buf_append(out, answer.data, status_line);
        buf_printf(out, "X-Request-Id: %s\r\n", req->request_id);
        buf_append(out, answer.data + status_line, answer.len - status_line);
    }
    buf_free(&answer);
}
