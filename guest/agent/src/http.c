#include "http.h"

#include <string.h>

static bool is_tchar(unsigned char c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        return true;
    }
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool ieq(const char *a, size_t alen, const char *b) {
    size_t blen = strlen(b);
    if (alen != blen) {
        return false;
    }
    for (size_t i = 0; i < alen; i++) {
        unsigned char x = (unsigned char)a[i];
        unsigned char y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z') x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = (unsigned char)(y - 'A' + 'a');
        if (x != y) {
            return false;
        }
    }
    return true;
}

/* A line [start, end) without its LF; a trailing CR is dropped, any other CR is an error. */
static bool strip_cr(const char *line, size_t *n) {
    if (*n > 0 && line[*n - 1] == '\r') {
        (*n)--;
    }
    return memchr(line, '\r', *n) == NULL;
}

static enum http_verdict parse_request_line(const char *line, size_t n, struct http_request *req) {
    const char *sp1 = memchr(line, ' ', n);
    if (sp1 == NULL || sp1 == line) {
        return HTTP_BAD;
    }
    size_t mlen = (size_t)(sp1 - line);
    if (mlen >= sizeof req->method) {
        return HTTP_BAD;
    }
    for (size_t i = 0; i < mlen; i++) {
        if (!is_tchar((unsigned char)line[i])) {
            return HTTP_BAD;
        }
    }
    const char *target = sp1 + 1;
    const char *end = line + n;
    const char *sp2 = memchr(target, ' ', (size_t)(end - target));
    if (sp2 == NULL || sp2 == target) {
        return HTTP_BAD;
    }
    const char *version = sp2 + 1;
    size_t vlen = (size_t)(end - version);
    for (const char *p = target; p < sp2; p++) {
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7F) {
            return HTTP_BAD;
        }
    }
    if (vlen != 8 || memcmp(version, "HTTP/", 5) != 0 || version[6] != '.' ||
        version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9') {
        return HTTP_BAD;
    }
    if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
        return HTTP_BAD_VERSION;
    }
    memcpy(req->method, line, mlen);
    req->method[mlen] = '\0';
    req->http10 = version[7] == '0';

    /* absolute-form (RFC 9112 3.2.2): drop scheme and authority, keep the path. */
    if ((size_t)(sp2 - target) > 7 && ieq(target, 7, "http://")) {
        const char *slash = memchr(target + 7, '/', (size_t)(sp2 - target - 7));
        target = slash != NULL ? slash : sp2;
    }
    const char *path_end = target;
    while (path_end < sp2 && *path_end != '?' && *path_end != '#') {
        path_end++;
    }
    size_t plen = (size_t)(path_end - target);
    if (plen == 0 && target == sp2) {
        memcpy(req->path, "/", 2);
    } else if (plen >= sizeof req->path) {
        req->path[0] = '\0';
        req->path_too_long = true;
    } else {
        if (*target != '/' && !(plen == 1 && *target == '*')) {
            return HTTP_BAD;
        }
        memcpy(req->path, target, plen);
        req->path[plen] = '\0';
    }
    return HTTP_REQUEST;
}

static enum http_verdict parse_header(const char *line, size_t n, struct http_request *req, int *hosts) {
    const char *colon = memchr(line, ':', n);
    if (colon == NULL || colon == line) {
        return HTTP_BAD;  /* includes obs-fold: a line starting with whitespace has no token name */
    }
    size_t name_len = (size_t)(colon - line);
    for (size_t i = 0; i < name_len; i++) {
        if (!is_tchar((unsigned char)line[i])) {
            return HTTP_BAD;
        }
    }
    const char *value = colon + 1;
    const char *end = line + n;
    for (const char *p = value; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
            return HTTP_BAD;
        }
    }
    while (value < end && (*value == ' ' || *value == '\t')) value++;
    while (end > value && (end[-1] == ' ' || end[-1] == '\t')) end--;
    size_t vlen = (size_t)(end - value);
    if (ieq(line, name_len, "host")) {
        (*hosts)++;
    } else if (ieq(line, name_len, "transfer-encoding")) {
        req->has_body = true;
        req->transfer_encoding = true;
    } else if (ieq(line, name_len, "x-request-id")) {
        /* Echoed into the answer's head, so only characters that cannot end or split a header line. */
        if (vlen == 0 || vlen > sizeof req->request_id - 1) {
            return HTTP_BAD;
        }
        for (size_t i = 0; i < vlen; i++) {
            char c = value[i];
            bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                      || c == '-';
            if (!ok) {
                return HTTP_BAD;
            }
        }
        memcpy(req->request_id, value, vlen);
        req->request_id[vlen] = '\0';
    } else if (ieq(line, name_len, "content-type")) {
        size_t keep = vlen < sizeof req->content_type - 1 ? vlen : sizeof req->content_type - 1;
        memcpy(req->content_type, value, keep);
        req->content_type[keep] = '\0';
    } else if (ieq(line, name_len, "content-length")) {
        if (vlen == 0 || vlen > 18) {
            return HTTP_BAD;
        }
        long long length = 0;
        for (size_t i = 0; i < vlen; i++) {
            if (value[i] < '0' || value[i] > '9') {
                return HTTP_BAD;
            }
            length = length * 10 + (value[i] - '0');  /* 18 digits fit */
        }
        /* RFC 9112 6.3: differing lengths make the message's framing unknowable. */
        if (req->content_length >= 0 && req->content_length != length) {
            return HTTP_BAD;
        }
        req->content_length = length;
        req->has_body |= length > 0;
    }
    return HTTP_REQUEST;
}

enum http_verdict http_parse(const char *data, size_t len, size_t max_head, struct http_request *req,
                             size_t *consumed) {
    memset(req, 0, sizeof *req);
    req->content_length = -1;
    *consumed = 0;
    if (len == 0) {
        return HTTP_NEED_MORE;  /* data may be NULL then, and memchr(NULL, ...) is undefined */
    }
    size_t start = 0;
    /* RFC 9112 2.2: ignore empty lines before the request line. */
    while (start < len && (data[start] == '\r' || data[start] == '\n')) {
        start++;
    }
    const char *nl = memchr(data + start, '\n', len - start);
    if (nl == NULL) {
        /* Reject binary noise at once instead of waiting for a line that will not come. */
        for (size_t i = start; i < len; i++) {
            unsigned char c = (unsigned char)data[i];
            if ((c < 0x20 && c != '\r' && c != '\t') || c == 0x7F) {
                return HTTP_BAD;
            }
        }
        return len >= max_head ? HTTP_TOO_LARGE : HTTP_NEED_MORE;
    }
    size_t line_len = (size_t)(nl - (data + start));
    if ((size_t)(nl - data) + 1 > max_head) {
        return HTTP_TOO_LARGE;
    }
    if (!strip_cr(data + start, &line_len)) {
        return HTTP_BAD;
    }
    if (line_len == 4 && memcmp(data + start, "PING", 4) == 0) {
        *consumed = (size_t)(nl - data) + 1;
        return HTTP_PING;
    }
    enum http_verdict v = parse_request_line(data + start, line_len, req);
    if (v != HTTP_REQUEST) {
        return v;
    }
    size_t pos = (size_t)(nl - data) + 1;
    int headers = 0;
    int hosts = 0;
    for (;;) {
        const char *next = memchr(data + pos, '\n', len - pos);
        if (next == NULL) {
            return len >= max_head ? HTTP_TOO_LARGE : HTTP_NEED_MORE;
        }
        size_t end = (size_t)(next - data) + 1;
        if (end > max_head) {
            return HTTP_TOO_LARGE;
        }
        size_t n = (size_t)(next - (data + pos));
        if (!strip_cr(data + pos, &n)) {
            return HTTP_BAD;
        }
        if (n == 0) {
            *consumed = end;
            break;
        }
        if (++headers > HTTP_MAX_HEADERS) {
            return HTTP_TOO_LARGE;
        }
        v = parse_header(data + pos, n, req, &hosts);
        if (v != HTTP_REQUEST) {
            return v;
        }
        pos = end;
    }
    /* RFC 9112 3.2: an HTTP/1.1 request must carry exactly one Host. */
    if (hosts > 1 || (!req->http10 && hosts != 1)) {
        return HTTP_BAD;
    }
    return HTTP_REQUEST;
}
