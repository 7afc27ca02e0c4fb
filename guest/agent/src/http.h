/* Pure HTTP/1.x request-head parser: bytes in, a verdict out. No I/O, no allocation. */
#ifndef BANGER_AGENT_HTTP_H
#define BANGER_AGENT_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_MAX_HEAD 8192
#define HTTP_MAX_HEADERS 64

enum http_verdict {
    HTTP_NEED_MORE,   /* no complete head yet */
    HTTP_REQUEST,     /* a well-formed head; see struct http_request */
    HTTP_PING,        /* the legacy line protocol: first line is exactly PING */
    HTTP_BAD,         /* malformed: answer 400 and stop reading */
    HTTP_BAD_VERSION, /* HTTP/x.y other than 1.0 and 1.1: answer 505 */
    HTTP_TOO_LARGE,   /* head exceeds max_head bytes: answer 431 */
};

struct http_request {
    char method[16];
    char path[256];      /* origin-form path without the query; empty when too long */
    bool path_too_long;
    bool has_body;       /* Content-Length > 0 or any Transfer-Encoding */
    bool http10;
    long long content_length;  /* -1 when absent */
    bool transfer_encoding;    /* any Transfer-Encoding header */
    char content_type[128];    /* trimmed value, "" when absent; truncated when longer */
    char request_id[65];       /* X-Request-Id: 1-64 of [A-Za-z0-9._-], echoed in the answer; "" when absent */
};

/*
 * Looks at the first len bytes of a stream. On HTTP_REQUEST and HTTP_PING, *consumed is the
 * length of the head (leading blank lines included) so a stream can continue after it.
 */
enum http_verdict http_parse(const char *data, size_t len, size_t max_head, struct http_request *req,
                             size_t *consumed);

#endif
