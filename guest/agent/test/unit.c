#define _GNU_SOURCE
/* Unit tests of the pure parts: the request parser and JSON string escaping. */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "http.h"
#include "ports.h"
#include "respond.h"

static int passed;
static int failed;

#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (cond) {                                        \
            passed++;                                      \
        } else {                                           \
            failed++;                                      \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                  \
            fprintf(stderr, "\n");                         \
        }                                                  \
    } while (0)

static enum http_verdict parse(const char *s, struct http_request *req, size_t *consumed) {
    return http_parse(s, strlen(s), HTTP_MAX_HEAD, req, consumed);
}

static void verdict_is(const char *input, enum http_verdict want) {
    struct http_request req;
    size_t consumed;
    enum http_verdict got = parse(input, &req, &consumed);
    CHECK(got == want, "verdict for [%s]: got %d want %d", input, got, want);
}

static void test_parser(void) {
    struct http_request req;
    size_t consumed;
    const char *get = "GET /healthz HTTP/1.1\r\nHost: agent\r\n\r\nNEXT";
    CHECK(parse(get, &req, &consumed) == HTTP_REQUEST, "simple GET");
    CHECK(strcmp(req.method, "GET") == 0 && strcmp(req.path, "/healthz") == 0, "method and path");
    CHECK(consumed == strlen(get) - 4, "consumed stops at the end of the head, got %zu", consumed);
    CHECK(!req.has_body, "no body");

    CHECK(parse("GET /healthz?verbose=1 HTTP/1.0\n\n", &req, &consumed) == HTTP_REQUEST, "bare LF, 1.0, no Host");
    CHECK(strcmp(req.path, "/healthz") == 0 && req.http10, "query dropped");
    CHECK(parse("GET http://agent/healthz HTTP/1.1\r\nHost: agent\r\n\r\n", &req, &consumed) == HTTP_REQUEST,
          "absolute form");
    CHECK(strcmp(req.path, "/healthz") == 0, "absolute form path: %s", req.path);
    CHECK(parse("\r\n\r\nPOST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n", &req, &consumed) ==
              HTTP_REQUEST && req.has_body, "leading empty lines are skipped, body noticed");
    CHECK(parse("PING\n", &req, &consumed) == HTTP_PING && consumed == 5, "legacy PING");
    CHECK(parse("PING\r\n", &req, &consumed) == HTTP_PING && consumed == 6, "legacy PING with CRLF");

    verdict_is("GET /healthz HTTP/1.1\r\nHost: a\r\n", HTTP_NEED_MORE);
    verdict_is("GET /hea", HTTP_NEED_MORE);
    CHECK(http_parse(NULL, 0, HTTP_MAX_HEAD, &req, &consumed) == HTTP_NEED_MORE, "empty input, NULL buffer");
    verdict_is("PIN", HTTP_NEED_MORE);
    verdict_is("PINGPONG\n\n", HTTP_BAD);
    verdict_is("GET /healthz HTTP/1.1\r\n\r\n", HTTP_BAD);                       /* no Host */
    verdict_is("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", HTTP_BAD);  /* two Hosts */
    verdict_is("GET /healthz HTTP/2.0\r\nHost: a\r\n\r\n", HTTP_BAD_VERSION);
    verdict_is("GET /healthz HTTX/1.1\r\nHost: a\r\n\r\n", HTTP_BAD);
    verdict_is("GET  /healthz HTTP/1.1\r\nHost: a\r\n\r\n", HTTP_BAD);
    verdict_is("GET healthz HTTP/1.1\r\nHost: a\r\n\r\n", HTTP_BAD);
    verdict_is("G(T /healthz HTTP/1.1\r\nHost: a\r\n\r\n", HTTP_BAD);
    verdict_is("GET /healthz HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", HTTP_BAD);
    verdict_is("GET /healthz HTTP/1.1\r\nHost : a\r\n\r\n", HTTP_BAD);
    verdict_is("GET /healthz HTTP/1.1\r\nHost: a\rb\r\n\r\n", HTTP_BAD);
    verdict_is("GET /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", HTTP_BAD);
    verdict_is("\x01\x02garbage", HTTP_BAD);

    char big[HTTP_MAX_HEAD + 64];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memcpy(big, "GET /healthz HTTP/1.1\r\nX: ", 26);
    verdict_is(big, HTTP_TOO_LARGE);
}

static void test_json_escaping(void) {
    struct buf b;
    buf_init(&b, 1024);
    const char input[] = "a\"b\\c\n\x01\x7f\xff\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xed\xa0\x80";
    buf_json_string(&b, input, sizeof input - 1);
    const char *want = "\"a\\\"b\\\\c\\n\\u0001\\u007f\\ufffd\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\\ufffd\\ufffd\\ufffd\"";
    CHECK(b.len == strlen(want) && memcmp(b.data, want, b.len) == 0, "escaped: %.*s", (int)b.len, b.data);
    buf_free(&b);

    buf_init(&b, 8);
    CHECK(!buf_puts(&b, "123456789") && b.overflow, "cap is enforced");
    buf_free(&b);
}

static bool contains(const struct buf *b, const char *needle) {
    return memmem(b->data, b->len, needle, strlen(needle)) != NULL;
}

static void test_routes(void) {
    struct http_request req;
    size_t consumed;
    struct buf out;
    buf_init(&out, 1 << 20);
    enum http_verdict v = parse("DELETE /healthz HTTP/1.1\r\nHost: a\r\n\r\n", &req, &consumed);
    respond(v, &req, "/nonexistent-root", &out);
    CHECK(out.len > 0 && strstr(out.data, "HTTP/1.1 405 ") == out.data, "405 status");
    CHECK(contains(&out, "\r\nAllow: GET\r\n"), "Allow header");
    buf_reset(&out);
    v = parse("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n", &req, &consumed);
    respond(v, &req, "/nonexistent-root", &out);
    CHECK(memcmp(out.data, "HTTP/1.1 404 ", 13) == 0, "404 status");
    buf_reset(&out);
    v = parse("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n", &req, &consumed);
    respond(v, &req, "/nonexistent-root", &out);
    CHECK(memcmp(out.data, "HTTP/1.1 200 ", 13) == 0, "200 even when nothing can be read");
    CHECK(contains(&out, "\"status\":\"degraded\""), "degraded without sshd");
    CHECK(contains(&out, "\"bootId\":null"), "missing boot id is null");
    buf_free(&out);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_port_lookup(void) {
    char root[] = "/tmp/banger-ports-XXXXXX";
    CHECK(mkdtemp(root) != NULL, "mkdtemp");
    char path[256];
    snprintf(path, sizeof path, "%s/vport0p0", root);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/vport0p0/name", root);
    write_file(path, "org.qemu.guest_agent.0\n");
    snprintf(path, sizeof path, "%s/vport0p1", root);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/vport0p1/name", root);
    write_file(path, "org.banger.agent.0\n");

    char out[64];
    CHECK(ports_find_by_name(root, "/dev", "org.banger.agent.0", out, sizeof out) == 0, "port found by name");
    CHECK(strcmp(out, "/dev/vport0p1") == 0, "port device is /dev/vport0p1, got %s", out);
    CHECK(ports_find_by_name(root, "/dev", "org.other", out, sizeof out) == -1, "unknown port name");
    CHECK(ports_find_by_name(root, "/dev", "org.banger.agent.0", out, 8) == -1, "too small buffer refused");
    CHECK(ports_find_by_name("/nonexistent-banger", "/dev", "org.banger.agent.0", out, sizeof out) == -1, "no sysfs dir");

    snprintf(path, sizeof path, "%s/vport0p0/name", root);
    unlink(path);
    snprintf(path, sizeof path, "%s/vport0p1/name", root);
    unlink(path);
    snprintf(path, sizeof path, "%s/vport0p0", root);
    rmdir(path);
    snprintf(path, sizeof path, "%s/vport0p1", root);
    rmdir(path);
    rmdir(root);
}

int main(void) {
    test_port_lookup();
    test_parser();
    test_json_escaping();
    test_routes();
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
