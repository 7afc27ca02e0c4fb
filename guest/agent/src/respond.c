#include "respond.h"

#include <string.h>

#include "health.h"

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

static void send_error(struct buf *out, int status, const char *reason, const char *extra_headers) {
    struct buf body;
    buf_init(&body, 1024);
    buf_puts(&body, "{\"error\":");
    buf_json_string(&body, reason, strlen(reason));
    buf_puts(&body, "}");
    send_json(out, status, reason, extra_headers, body.data, body.len);
    buf_free(&body);
}

void respond(enum http_verdict verdict, const struct http_request *req, const char *root, struct buf *out) {
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
    if (req->path_too_long || strcmp(req->path, "/healthz") != 0) {
        send_error(out, 404, "Not Found", "");
        return;
    }
    if (strcmp(req->method, "GET") != 0) {
        send_error(out, 405, "Method Not Allowed", "Allow: GET\r\n");
        return;
    }
    struct buf body;
    buf_init(&body, MAX_BODY);
    if (health_render(root, &body)) {
        send_json(out, 200, "OK", "", body.data, body.len);
    } else {
        send_error(out, 500, "Internal Server Error", "");
    }
    buf_free(&body);
}
