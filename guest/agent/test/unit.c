#define _GNU_SOURCE
/* Unit tests of the pure parts: the request parser, JSON string escaping, the identity validators and body parser. */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "http.h"
#include "identity.h"
#include "ports.h"
#include "apply.h"
#include "netcfg.h"
#include "respond.h"
#include "server.h"

#include <arpa/inet.h>
#include <linux/vm_sockets.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "isolate.h"

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
    struct apply_config apply = {.root = "/nonexistent-root", .program = "/bin/false", .test = true, .timeout_ms = 1000};
    struct respond_context ctx = {.root = "/nonexistent-root", .apply = &apply, .host_peer = false};
    enum http_verdict v = parse("DELETE /healthz HTTP/1.1\r\nHost: a\r\n\r\n", &req, &consumed);
    respond(v, &req, NULL, 0, &ctx, &out);
    CHECK(out.len > 0 && strstr(out.data, "HTTP/1.1 405 ") == out.data, "405 status");
    CHECK(contains(&out, "\r\nAllow: GET\r\n"), "Allow header");
    buf_reset(&out);
    v = parse("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n", &req, &consumed);
    respond(v, &req, NULL, 0, &ctx, &out);
    CHECK(memcmp(out.data, "HTTP/1.1 404 ", 13) == 0, "404 status");
    buf_reset(&out);
    v = parse("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n", &req, &consumed);
    respond(v, &req, NULL, 0, &ctx, &out);
    CHECK(memcmp(out.data, "HTTP/1.1 200 ", 13) == 0, "200 even when nothing can be read");
    CHECK(contains(&out, "\"status\":\"degraded\""), "degraded without sshd");
    CHECK(contains(&out, "\"bootId\":null"), "missing boot id is null");

    buf_reset(&out);
    v = parse("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Request-Id: 0f.A_b-9\r\n\r\n", &req, &consumed);
    CHECK(v == HTTP_REQUEST && strcmp(req.request_id, "0f.A_b-9") == 0, "a request id is kept");
    respond(v, &req, NULL, 0, &ctx, &out);
    const char *echoed = "HTTP/1.1 200 OK\r\nX-Request-Id: 0f.A_b-9\r\nContent-Type: application/json\r\n";
    CHECK(out.len > strlen(echoed) && memcmp(out.data, echoed, strlen(echoed)) == 0,
          "the answer echoes the request id after its status line: %.*s", (int)(out.len < 80 ? out.len : 80), out.data);
    buf_reset(&out);
    v = parse("GET /nowhere HTTP/1.1\r\nHost: a\r\nX-Request-Id: 7\r\n\r\n", &req, &consumed);
    respond(v, &req, NULL, 0, &ctx, &out);
    echoed = "HTTP/1.1 404 Not Found\r\nX-Request-Id: 7\r\n";
    CHECK(out.len > strlen(echoed) && memcmp(out.data, echoed, strlen(echoed)) == 0, "errors echo it too");
    buf_reset(&out);
    CHECK(parse("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Request-Id: a b\r\n\r\n", &req, &consumed) == HTTP_BAD,
          "a request id with a blank is refused");
    char long_id[160];
    snprintf(long_id, sizeof long_id, "GET /healthz HTTP/1.1\r\nHost: a\r\nX-Request-Id: %065d\r\n\r\n", 1);
    CHECK(parse(long_id, &req, &consumed) == HTTP_BAD, "a request id over 64 characters is refused");
    CHECK(parse("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Request-Id:\r\n\r\n", &req, &consumed) == HTTP_BAD,
          "an empty request id is refused");

    v = parse("POST /sync HTTP/1.1\r\nHost: a\r\n\r\n", &req, &consumed);
    CHECK(respond_body_wanted(v, &req) == 0, "POST /sync has no body to wait for");
    respond(v, &req, NULL, 0, &ctx, &out);
    CHECK(memcmp(out.data, "HTTP/1.1 403 ", 13) == 0 && contains(&out, "sync is accepted only from the host side"),
          "sync, not the host side: 403");
    ctx.host_peer = true;
    buf_reset(&out);
    respond(v, &req, NULL, 0, &ctx, &out);
    CHECK(memcmp(out.data, "HTTP/1.1 200 ", 13) == 0 && contains(&out, "{\"synced\":true}"), "sync from the host: 200");
    ctx.host_peer = false;
    buf_reset(&out);
    v = parse("GET /sync HTTP/1.1\r\nHost: a\r\n\r\n", &req, &consumed);
    respond(v, &req, NULL, 0, &ctx, &out);
    CHECK(memcmp(out.data, "HTTP/1.1 405 ", 13) == 0 && contains(&out, "\r\nAllow: POST\r\n"), "GET /sync is 405");

    buf_reset(&out);
    v = parse("GET /identity HTTP/1.1\r\nHost: a\r\n\r\n", &req, &consumed);
    respond(v, &req, NULL, 0, &ctx, &out);
    CHECK(memcmp(out.data, "HTTP/1.1 405 ", 13) == 0 && contains(&out, "\r\nAllow: POST\r\n"), "GET /identity is 405");
    const char *post = "POST /identity HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n";
    v = parse(post, &req, &consumed);
    CHECK(respond_body_wanted(v, &req) == 4, "a POST /identity waits for its body");
    buf_reset(&out);
    respond(v, &req, "x=y\n", 4, &ctx, &out);
    CHECK(memcmp(out.data, "HTTP/1.1 403 ", 13) == 0, "not the host side: 403");
    ctx.host_peer = true;
    buf_reset(&out);
    respond(v, &req, "x=y\n", 4, &ctx, &out);
    CHECK(memcmp(out.data, "HTTP/1.1 400 ", 13) == 0 && contains(&out, "{\"error\":\"x: unknown field\"}"),
          "unknown field: 400 naming it, got %.*s", (int)out.len, out.data);
    buf_reset(&out);
    respond(v, &req, "x=", 2, &ctx, &out);
    CHECK(memcmp(out.data, "HTTP/1.1 400 ", 13) == 0 && contains(&out, "shorter than its Content-Length"),
          "a short body is 400");
    v = parse("POST /identity HTTP/1.1\r\nHost: a\r\nContent-Length: 16385\r\n\r\n", &req, &consumed);
    CHECK(respond_body_wanted(v, &req) == 0, "an oversized body is not waited for");
    buf_reset(&out);
    respond(v, &req, NULL, 0, &ctx, &out);
    CHECK(memcmp(out.data, "HTTP/1.1 413 ", 13) == 0, "over 16384 bytes: 413");
    v = parse("POST /identity HTTP/1.1\r\nHost: a\r\n\r\n", &req, &consumed);
    buf_reset(&out);
    respond(v, &req, NULL, 0, &ctx, &out);
    CHECK(memcmp(out.data, "HTTP/1.1 400 ", 13) == 0 && contains(&out, "Content-Length is required"), "no length: 400");
    v = parse("POST /identity HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 1\r\n\r\n",
              &req, &consumed);
    buf_reset(&out);
    respond(v, &req, "x", 1, &ctx, &out);
    CHECK(memcmp(out.data, "HTTP/1.1 400 ", 13) == 0 && contains(&out, "Content-Type"), "wrong type: 400");
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

#define BAD(check, value, ...) CHECK(check(value, strlen(value) __VA_OPT__(,) __VA_ARGS__) != NULL, #check " refuses [%s]", value)
#define GOOD(check, value, ...) CHECK(check(value, strlen(value) __VA_OPT__(,) __VA_ARGS__) == NULL, #check " accepts [%s]", value)

static void test_identity_validators(void) {
    GOOD(identity_check_hostname, "a");
    GOOD(identity_check_hostname, "dev-1");
    GOOD(identity_check_hostname, "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0");  /* 63 */
    BAD(identity_check_hostname, "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01");  /* 64 */
    BAD(identity_check_hostname, "");
    BAD(identity_check_hostname, "-dev");
    BAD(identity_check_hostname, "dev-");
    BAD(identity_check_hostname, "Dev");
    BAD(identity_check_hostname, "dev.local");
    BAD(identity_check_hostname, "dev_1");

    GOOD(identity_check_ipv4, "0.0.0.0");
    GOOD(identity_check_ipv4, "255.255.255.255");
    BAD(identity_check_ipv4, "256.1.1.1");
    BAD(identity_check_ipv4, "1.1.1");
    BAD(identity_check_ipv4, "1.1.1.1.1");
    BAD(identity_check_ipv4, "01.1.1.1");
    BAD(identity_check_ipv4, "1..1.1");
    BAD(identity_check_ipv4, "1.1.1.1 ");
    BAD(identity_check_ipv4, "");
    GOOD(identity_check_address, "172.16.0.5/24");
    GOOD(identity_check_address, "10.0.0.1/32");
    GOOD(identity_check_address, "10.0.0.1/1");
    BAD(identity_check_address, "10.0.0.1/0");
    BAD(identity_check_address, "10.0.0.1/33");
    BAD(identity_check_address, "10.0.0.1/024");
    BAD(identity_check_address, "10.0.0.1");
    BAD(identity_check_address, "10.0.0.1/");
    BAD(identity_check_address, "10.0.0/24");
    GOOD(identity_check_dns, "1.1.1.1");
    GOOD(identity_check_dns, "1.1.1.1,8.8.8.8,9.9.9.9");
    BAD(identity_check_dns, "1.1.1.1,8.8.8.8,9.9.9.9,1.0.0.1");
    BAD(identity_check_dns, "");
    BAD(identity_check_dns, "1.1.1.1,");
    BAD(identity_check_dns, "1.1.1.1, 8.8.8.8");

    GOOD(identity_check_mac, "02:fc:00:00:00:05");
    BAD(identity_check_mac, "03:fc:00:00:00:05");  /* multicast */
    BAD(identity_check_mac, "02:FC:00:00:00:05");
    BAD(identity_check_mac, "02-fc-00-00-00-05");
    BAD(identity_check_mac, "02:fc:00:00:00");
    BAD(identity_check_mac, "02:fc:00:00:00:05:");
    GOOD(identity_check_machine_id, "0123456789abcdef0123456789abcdef");
    BAD(identity_check_machine_id, "00000000000000000000000000000000");
    BAD(identity_check_machine_id, "0123456789ABCDEF0123456789abcdef");
    BAD(identity_check_machine_id, "0123456789abcdef0123456789abcde");

    long long sec = 0;
    long ns = 0;
    CHECK(identity_check_clock("1764940000.123456789", 20, &sec, &ns) == NULL && sec == 1764940000 && ns == 123456789,
          "clock parsed: %lld.%ld", sec, ns);
    CHECK(identity_check_clock("0.000000000", 11, &sec, &ns) == NULL && sec == 0 && ns == 0, "the epoch");
    BAD(identity_check_clock, "1764940000.12345678", &sec, &ns);
    BAD(identity_check_clock, "1764940000.1234567890", &sec, &ns);
    BAD(identity_check_clock, "1764940000", &sec, &ns);
    BAD(identity_check_clock, ".123456789", &sec, &ns);
    BAD(identity_check_clock, "-1.123456789", &sec, &ns);
    BAD(identity_check_clock, "99999999999999999999.123456789", &sec, &ns);
    BAD(identity_check_clock, "17649400x0.123456789", &sec, &ns);

    unsigned char entropy[64];
    char hex[129];
    for (int i = 0; i < 128; i++) hex[i] = "0123456789abcdef"[i % 16];
    hex[128] = '\0';
    CHECK(identity_check_entropy(hex, 128, entropy) == NULL && entropy[0] == 0x01 && entropy[63] == 0xef, "entropy decoded");
    hex[5] = 'A';
    BAD(identity_check_entropy, hex, entropy);
    BAD(identity_check_entropy, "00", entropy);

    char key[IDENTITY_MAX_KEY];
    size_t key_len = 0;
    /* base64 of "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n" */
    const char *b64 = "LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEUgS0VZLS0tLS0KeAo=";
    CHECK(identity_check_host_key(b64, strlen(b64), key, sizeof key, &key_len) == NULL && key_len == 38
              && memcmp(key + 35, "\nx\n", 3) == 0, "private key decoded (%zu bytes)", key_len);
    BAD(identity_check_host_key, "LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEUgS0VZLS0tLS0KeAo", key, sizeof key, &key_len);
    BAD(identity_check_host_key, "LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEUgS0VZLS0tLS0K\neAo=", key, sizeof key, &key_len);
    BAD(identity_check_host_key, "aGVsbG8K", key, sizeof key, &key_len);  /* "hello" */
    BAD(identity_check_host_key, "LS0t=S1C", key, sizeof key, &key_len);
    CHECK(identity_check_host_key(b64, strlen(b64), key, 20, &key_len) != NULL, "a key over the cap is refused");
    GOOD(identity_check_host_key_pub, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHc+/=");
    BAD(identity_check_host_key_pub, "ssh-ed25519 AAAAC3Nza root@dev1");
    BAD(identity_check_host_key_pub, "ssh-ed25519 ");
    BAD(identity_check_host_key_pub, "ssh-rsa AAAAB3");
    bool yes = false;
    CHECK(identity_check_grow_root("yes", 3, &yes) == NULL && yes, "grow_root yes");
    CHECK(identity_check_grow_root("no", 2, &yes) == NULL && !yes, "grow_root no");
    BAD(identity_check_grow_root, "true", &yes);
}

static const char *valid_identity =
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

/* The valid body with the line starting with key replaced by line (or removed when line is ""). */
static void edited(char *out, size_t cap, const char *key, const char *line) {
    out[0] = '\0';
    const char *p = valid_identity;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = (size_t)(nl - p) + 1;
        if (strncmp(p, key, strlen(key)) == 0 && p[strlen(key)] == '=') {
            strncat(out, line, cap - strlen(out) - 1);
        } else {
            strncat(out, p, n < cap - strlen(out) - 1 ? n : cap - strlen(out) - 1);
        }
        p += n;
    }
}

static void parse_fails(const char *body, const char *want) {
    static struct identity id;
    char err[IDENTITY_ERR] = "";
    bool ok = identity_parse(body, strlen(body), &id, err, sizeof err);
    CHECK(!ok && strcmp(err, want) == 0, "body error: got [%s] want [%s]", ok ? "(accepted)" : err, want);
}

static void test_identity_parser(void) {
    static struct identity id;
    char err[IDENTITY_ERR] = "";
    CHECK(identity_parse(valid_identity, strlen(valid_identity), &id, err, sizeof err), "valid body: %s", err);
    CHECK(strcmp(id.hostname, "dev1") == 0 && strcmp(id.address, "172.16.0.5/24") == 0
              && strcmp(id.gateway, "172.16.0.1") == 0 && strcmp(id.dns, "1.1.1.1,8.8.8.8") == 0
              && strcmp(id.mac, "02:fc:00:00:00:05") == 0 && !id.grow_root && id.clock_nanos == 123456789
              && id.entropy[0x3f] == 0x3f && id.host_key_len == 38
              && strcmp(id.host_key_pub, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5") == 0,
          "fields parsed");
    /* No trailing LF, and any order. */
    char body[4096];
    edited(body, sizeof body, "grow_root", "");
    strncat(body, "grow_root=yes", sizeof body - strlen(body) - 1);
    CHECK(identity_parse(body, strlen(body), &id, err, sizeof err) && id.grow_root, "last line without LF: %s", err);

    edited(body, sizeof body, "mac", "");
    parse_fails(body, "mac: missing");
    edited(body, sizeof body, "mac", "mac=02:fc:00:00:00:05\nmac=02:fc:00:00:00:05\n");
    parse_fails(body, "mac: given more than once");
    edited(body, sizeof body, "mac", "mac=02:fc:00:00:00:05\ncolour=blue\n");
    parse_fails(body, "colour: unknown field");
    edited(body, sizeof body, "hostname", "hostname=Dev1\n");
    parse_fails(body, "hostname: only a-z, 0-9 and '-' are allowed");
    edited(body, sizeof body, "hostname", "hostname=dev1\r\n");
    parse_fails(body, "hostname: only a-z, 0-9 and '-' are allowed");
    edited(body, sizeof body, "dns", "dns\n");
    parse_fails(body, "request: line 4 is not key=value");
    edited(body, sizeof body, "dns", "\x01\xff=1\n");
    parse_fails(body, "??: unknown field");
    edited(body, sizeof body, "grow_root", "grow_root=no\n\n");
    parse_fails(body, "request: line 12 is not key=value");
    parse_fails("", "hostname: missing");
    CHECK(!identity_parse("hostname=a\0", 11, &id, err, sizeof err) && strstr(err, "NUL") != NULL, "NUL refused");
}

static void test_host_peer(void) {
    struct sockaddr_storage peer;
    memset(&peer, 0, sizeof peer);
    struct sockaddr_vm *vm = (struct sockaddr_vm *)&peer;
    vm->svm_family = AF_VSOCK;
    vm->svm_cid = VMADDR_CID_HOST;
    CHECK(server_peer_is_host(&peer, false), "vsock CID 2 is the host");
    vm->svm_cid = 1;
    CHECK(!server_peer_is_host(&peer, true), "vsock CID 1 (guest-local) is not the host");
    vm->svm_cid = 3;
    CHECK(!server_peer_is_host(&peer, true), "the guest's own CID is not the host");
    memset(&peer, 0, sizeof peer);
    peer.ss_family = AF_UNIX;
    CHECK(!server_peer_is_host(&peer, false), "a Unix peer is not the host by default");
    CHECK(server_peer_is_host(&peer, true), "a Unix peer is the host with --identity-over-unix");
    peer.ss_family = AF_INET;
    CHECK(!server_peer_is_host(&peer, true), "any other family is not the host");
}

/* mode 0: any mode. */
static bool file_equals(const char *path, const char *want, mode_t mode) {
    struct stat st;
    char got[4096];
    FILE *f = fopen(path, "r");
    size_t n = f != NULL ? fread(got, 1, sizeof got - 1, f) : 0;
    if (f != NULL) fclose(f);
    got[n] = '\0';
    return f != NULL && stat(path, &st) == 0 && (mode == 0 || (st.st_mode & 07777) == mode) && strcmp(got, want) == 0;
}

static void test_netcfg_pure(void) {
    CHECK(netcfg_netmask(24) == 0xffffff00u, "/24");
    CHECK(netcfg_netmask(32) == 0xffffffffu, "/32");
    CHECK(netcfg_netmask(1) == 0x80000000u, "/1");
    CHECK(netcfg_netmask(0) == 0, "/0");
    CHECK(netcfg_netmask(17) == 0xffff8000u, "/17");

    const char *names[] = {"lo", "eth1", ".hidden", "eth0", "ens3"};
    CHECK(netcfg_pick_interface(names, 5) == 4, "ens3 comes first in byte order, lo and dot names left out");
    CHECK(netcfg_pick_interface(names, 4) == 3, "then eth0 before eth1");
    const char *only_lo[] = {"lo"};
    CHECK(netcfg_pick_interface(only_lo, 1) == -1, "lo alone is no interface");
    CHECK(netcfg_pick_interface(NULL, 0) == -1, "an empty listing");
    const char *long_name[] = {"averyveryverylongname", "wlan0"};
    CHECK(netcfg_pick_interface(long_name, 2) == 1, "a name no interface can have is skipped");

    char text[256];
    CHECK(netcfg_resolv_text("1.1.1.1,8.8.8.8,9.9.9.9", text, sizeof text)
              && strcmp(text, "nameserver 1.1.1.1\nnameserver 8.8.8.8\nnameserver 9.9.9.9\n") == 0,
          "three servers: %s", text);
    CHECK(netcfg_resolv_text("10.0.0.1", text, sizeof text) && strcmp(text, "nameserver 10.0.0.1\n") == 0, "one");
    CHECK(!netcfg_resolv_text("1.1.1.1,8.8.8.8", text, 24), "too small a buffer is refused");

    const char *args[2];
    CHECK(!apply_program_args(false, true, args) && strcmp(args[0], "no") == 0 && strcmp(args[1], "no") == 0,
          "nothing left for the program when sshd took the hang-up and nothing grows");
    CHECK(apply_program_args(true, true, args) && strcmp(args[0], "yes") == 0 && strcmp(args[1], "no") == 0,
          "growing /root runs it");
    CHECK(apply_program_args(false, false, args) && strcmp(args[0], "no") == 0 && strcmp(args[1], "yes") == 0,
          "no live sshd: the program reloads it");
    CHECK(apply_program_args(true, false, args) && strcmp(args[0], "yes") == 0 && strcmp(args[1], "yes") == 0, "both");

    CHECK(apply_parse_pid("4321\n") == 4321, "a pid file");
    CHECK(apply_parse_pid("4321") == 4321, "without LF");
    CHECK(apply_parse_pid("1\n") == 0, "never init");
    CHECK(apply_parse_pid("0\n") == 0 && apply_parse_pid("") == 0 && apply_parse_pid("-5") == 0, "not a pid");
    CHECK(apply_parse_pid("1; reboot\n") == 0 && apply_parse_pid("12 34") == 0, "trailing junk");
    CHECK(apply_parse_pid("99999999999999999999") == 0, "overflow");
}

/* Asks the kernel about an interface (an ioctl of the SIOCGIF family); false when it would not say. */
static bool if_query(const char *name, unsigned long request, struct ifreq *ifr) {
    memset(ifr, 0, sizeof *ifr);
    snprintf(ifr->ifr_name, IFNAMSIZ, "%s", name);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    bool ok = fd >= 0 && ioctl(fd, request, ifr) == 0;
    if (fd >= 0) close(fd);
    return ok;
}

/* The interface's IPv4 address or netmask (SIOCGIFADDR, SIOCGIFNETMASK) as text. */
static void if_ipv4(const char *name, unsigned long request, char *out, size_t cap) {
    struct ifreq ifr;
    out[0] = '\0';
    if (if_query(name, request, &ifr)) {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr, out, (socklen_t)cap);
    }
}

static void if_mac(const char *name, char *out, size_t cap) {
    struct ifreq ifr;
    out[0] = '\0';
    if (if_query(name, SIOCGIFHWADDR, &ifr)) {
        unsigned char *m = (unsigned char *)ifr.ifr_hwaddr.sa_data;
        snprintf(out, cap, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    }
}

/* The default routes of this namespace as "IFACE GATEWAY;" entries (from /proc/net/route). */
static void default_routes(char *out, size_t cap) {
    out[0] = '\0';
    FILE *f = fopen("/proc/net/route", "r");
    char line[256];
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        char iface[32];
        unsigned int dst, gw, flags, mask;
        if (sscanf(line, "%31s %x %x %x %*d %*d %*d %x", iface, &dst, &gw, &flags, &mask) == 5 && dst == 0
            && mask == 0) {
            struct in_addr a = {.s_addr = gw};
            char text[16];
            inet_ntop(AF_INET, &a, text, sizeof text);
            size_t len = strlen(out);
            snprintf(out + len, cap - len, "%s %s;", iface, text);
        }
    }
    if (f != NULL) fclose(f);
}

/* A process standing in for sshd: waits to be signalled. */
static pid_t start_sshd(const char *root) {
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGHUP, SIG_DFL);
        pause();
        _exit(0);
    }
    char path[512];
    char text[32];
    snprintf(path, sizeof path, "%s/run/sshd.pid", root);
    snprintf(text, sizeof text, "%d\n", (int)pid);
    write_file(path, text);
    return pid;
}

/* The stand-in's end: SIGHUP when the agent hung it up; else it is killed here and false returned. */
static bool ended_by_hangup(pid_t pid) {
    int status = 0;
    for (int tries = 0; tries < 500; tries++) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            return WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP;
        }
        struct timespec nap = {0, 10 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return false;
}

/*
 * identity_apply against a scratch root, in namespaces of this process's own (a TAP named eth0),
 * with small scripts as the apply program; never the clock.
 */
static void test_identity_apply(void) {
    char why[256];
    if (!isolate_namespaces(why, sizeof why)) {
        CHECK(false, "cannot isolate the identity tests: %s", why);
        return;
    }
    static struct identity id;
    char err[IDENTITY_ERR] = "";
    char root[] = "/tmp/banger-apply-XXXXXX";
    CHECK(mkdtemp(root) != NULL, "mkdtemp");
    char path[512];
    char script[512];
    char argv_path[512];
    snprintf(script, sizeof script, "%s/apply.sh", root);
    snprintf(argv_path, sizeof argv_path, "%s/argv", root);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "#!/bin/sh\necho \"$1 $2\" > '%s'\necho ' line one'\necho 'it broke' >&2\nexit \"${BANGER_EXIT:-0}\"\n",
             argv_path);
    write_file(script, cmd);
    chmod(script, 0700);
    snprintf(path, sizeof path, "%s/etc", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/etc/ssh", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/run", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/etc/ssh/ssh_host_rsa_key", root);
    write_file(path, "old");
    /* As systemd-resolved images have it: a link the new file replaces rather than writes through. */
    snprintf(path, sizeof path, "%s/etc/resolv.conf", root);
    CHECK(symlink("../run/stub-resolv.conf", path) == 0, "resolv.conf link");

    /* The golden machine's network, which the identity replaces. */
    const char *golden = "hostname=golden\naddress=10.99.0.2/16\ngateway=10.99.0.1\ndns=10.99.0.1\n"
                         "mac=02:aa:00:00:00:01\nmachine_id=0123456789abcdef0123456789abcdef\n"
                         "clock=1764940000.123456789\nentropy=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                         "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f\n"
                         "host_key_ed25519=LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEUgS0VZLS0tLS0KeAo=\n"
                         "host_key_ed25519_pub=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\ngrow_root=no\n";
    CHECK(identity_parse(golden, strlen(golden), &id, err, sizeof err), "golden body: %s", err);
    CHECK(netcfg_apply(&id, NETCFG_SYS_NET, err, sizeof err), "golden network: %s", err);
    char text[128];
    default_routes(text, sizeof text);
    CHECK(strcmp(text, "eth0 10.99.0.1;") == 0, "golden default route: %s", text);

    CHECK(identity_parse(valid_identity, strlen(valid_identity), &id, err, sizeof err), "valid body: %s", err);
    struct apply_config config = {.root = root, .program = script, .test = true, .timeout_ms = 5000};
    setenv("BANGER_EXIT", "0", 1);
    /* An OpenSSH that hands the listener's keys to sshd-session: the listener is hung up. */
    snprintf(path, sizeof path, "%s/usr", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/usr/libexec", root);
    CHECK(mkdir(path, 0755) == 0, "usr/libexec");
    snprintf(path, sizeof path, "%s/usr/libexec/sshd-session", root);
    write_file(path, "");
    CHECK(!apply_sshd_loads_keys_per_connection(root), "sshd-session: the listener holds the keys");
    pid_t sshd = start_sshd(root);
    CHECK(identity_apply(&id, &config, err, sizeof err), "applied: %s", err);
    snprintf(path, sizeof path, "%s/etc/hostname", root);
    CHECK(file_equals(path, "dev1\n", 0644), "hostname file");
    snprintf(path, sizeof path, "%s/etc/machine-id", root);
    CHECK(file_equals(path, "0123456789abcdef0123456789abcdef\n", 0444), "machine-id file");
    snprintf(path, sizeof path, "%s/etc/ssh/ssh_host_ed25519_key", root);
    CHECK(file_equals(path, "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n", 0600), "private key file");
    snprintf(path, sizeof path, "%s/etc/ssh/ssh_host_rsa_key", root);
    CHECK(access(path, F_OK) != 0, "the old RSA key is gone");
    snprintf(path, sizeof path, "%s/etc/resolv.conf", root);
    struct stat st;
    CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode) && file_equals(path, "nameserver 1.1.1.1\nnameserver 8.8.8.8\n", 0644),
          "resolv.conf replaces the link");
    snprintf(path, sizeof path, "%s/run/stub-resolv.conf", root);
    CHECK(access(path, F_OK) != 0, "nothing was written through the old link");
    char host[65] = "";
    gethostname(host, sizeof host);
    CHECK(strcmp(host, "dev1") == 0, "the kernel's hostname: %s", host);
    if_mac("eth0", text, sizeof text);
    CHECK(strcmp(text, "02:fc:00:00:00:05") == 0, "the MAC: %s", text);
    if_ipv4("eth0", SIOCGIFADDR, text, sizeof text);
    CHECK(strcmp(text, "172.16.0.5") == 0, "the address: %s", text);
    if_ipv4("eth0", SIOCGIFNETMASK, text, sizeof text);
    CHECK(strcmp(text, "255.255.255.0") == 0, "the netmask: %s", text);
    default_routes(text, sizeof text);
    CHECK(strcmp(text, "eth0 172.16.0.1;") == 0, "only the new default route: %s", text);
    CHECK(ended_by_hangup(sshd), "sshd was hung up");
    CHECK(access(argv_path, F_OK) != 0, "nothing left for the apply program: not run");

    /* Again with /root to grow: the program runs, sshd having been hung up. */
    id.grow_root = true;
    sshd = start_sshd(root);
    CHECK(identity_apply(&id, &config, err, sizeof err), "applied again: %s", err);
    CHECK(file_equals(argv_path, "yes no\n", 0), "the program grows /root only");
    CHECK(ended_by_hangup(sshd), "sshd was hung up again");
    default_routes(text, sizeof text);
    CHECK(strcmp(text, "eth0 172.16.0.1;") == 0, "still one default route: %s", text);

    /* An older OpenSSH reads the keys in each connection's child: the listener is left alone. */
    id.grow_root = false;
    snprintf(path, sizeof path, "%s/usr/libexec/sshd-session", root);
    CHECK(unlink(path) == 0, "no sshd-session");
    CHECK(apply_sshd_loads_keys_per_connection(root), "no sshd-session: keys per connection");
    unlink(argv_path);
    sshd = start_sshd(root);
    CHECK(identity_apply(&id, &config, err, sizeof err), "applied for an older sshd: %s", err);
    CHECK(kill(sshd, 0) == 0 && waitpid(sshd, NULL, WNOHANG) == 0, "the listener still runs, not hung up");
    CHECK(access(argv_path, F_OK) != 0, "nothing left for the apply program");
    kill(sshd, SIGKILL);
    waitpid(sshd, NULL, 0);

    /* A stale pid file (the process is gone): the program reloads sshd. */
    CHECK(identity_apply(&id, &config, err, sizeof err), "applied with a stale pid: %s", err);
    CHECK(file_equals(argv_path, "no yes\n", 0), "the program reloads sshd");

    setenv("BANGER_EXIT", "3", 1);
    CHECK(!identity_apply(&id, &config, err, sizeof err) && strstr(err, "exited with 3: ") != NULL
              && strstr(err, "it broke") != NULL, "a failing program: %s", err);
    unsetenv("BANGER_EXIT");

    snprintf(cmd, sizeof cmd, "#!/bin/sh\necho waiting\nexec sleep 30\n");
    write_file(script, cmd);
    config.timeout_ms = 300;
    struct timespec t0;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(!identity_apply(&id, &config, err, sizeof err) && strstr(err, "did not finish within 300 ms (killed): waiting")
              != NULL, "a program past its bound is killed: %s", err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    CHECK(ms < 3000, "the bound holds (%ld ms)", ms);

    config.program = "/nonexistent/banger-identity-apply";
    CHECK(!identity_apply(&id, &config, err, sizeof err) && strstr(err, "exited with 127") != NULL
              && strstr(err, "cannot run") != NULL, "a missing program: %s", err);

    /* A gateway outside the address's network: the step and the interface are named. */
    snprintf(id.gateway, sizeof id.gateway, "192.0.2.1");
    CHECK(!identity_apply(&id, &config, err, sizeof err)
              && strcmp(err, "network: eth0: add default route via 192.0.2.1: Network is unreachable") == 0,
          "an unreachable gateway: %s", err);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0, "cleanup");
}

int main(void) {
    test_host_peer();
    test_netcfg_pure();
    test_identity_apply();
    test_identity_validators();
    test_identity_parser();
    test_port_lookup();
    test_parser();
    test_json_escaping();
    test_routes();
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
