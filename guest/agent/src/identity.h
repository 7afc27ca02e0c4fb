/*
 * The identity a restored guest receives over the host-only channel (POST /identity): a pure
 * parser and validators, bytes in, a struct or "field: reason" out. No I/O, no allocation.
 */
#ifndef BANGER_AGENT_IDENTITY_H
#define BANGER_AGENT_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#define IDENTITY_MAX_BODY 16384
#define IDENTITY_MAX_KEY 4096  /* the decoded private key is shorter than this */
#define IDENTITY_ERR 2048  /* room for the end of the apply program's output */

struct identity {
    char hostname[64];
    char address[19];       /* a.b.c.d/pp */
    char gateway[16];
    char dns[3 * 16];       /* as sent: 1..3 comma-separated */
    char mac[18];
    char machine_id[33];
    long long clock_seconds;
    long clock_nanos;
    unsigned char entropy[64];
    char host_key[IDENTITY_MAX_KEY];
    size_t host_key_len;
    char host_key_pub[1024];   /* an ed25519 line is 80 bytes; the cap only bounds the struct */
    bool grow_root;
};

/* Each validator takes the value (not NUL-terminated) and returns NULL or why it is invalid. */
const char *identity_check_hostname(const char *s, size_t n);
const char *identity_check_ipv4(const char *s, size_t n);
const char *identity_check_address(const char *s, size_t n);
const char *identity_check_dns(const char *s, size_t n);
const char *identity_check_mac(const char *s, size_t n);
const char *identity_check_machine_id(const char *s, size_t n);
const char *identity_check_clock(const char *s, size_t n, long long *seconds, long *nanos);
const char *identity_check_entropy(const char *s, size_t n, unsigned char out[64]);
/* Decodes standard base64 into out (cap bytes); *out_len receives the length. */
const char *identity_check_host_key(const char *s, size_t n, char *out, size_t cap, size_t *out_len);
const char *identity_check_host_key_pub(const char *s, size_t n);
const char *identity_check_grow_root(const char *s, size_t n, bool *yes);

/*
 * Parses a whole body: LF-separated key=value lines, every known key exactly once, nothing else.
 * Returns true with *id filled, or false with err holding "<field>: <reason>".
 */
bool identity_parse(const char *body, size_t len, struct identity *id, char *err, size_t errlen);

#endif
