#include "identity.h"

#include <stdio.h>
#include <string.h>

#define PRIVATE_KEY_HEADER "-----BEGIN OPENSSH PRIVATE KEY-----"
#define PUB_PREFIX "ssh-ed25519 "

static bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

static bool is_lower_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f');
}

static int hex_value(char c) {
    return is_digit(c) ? c - '0' : c - 'a' + 10;
}

/* A decimal number of 1..max_digits digits without a leading zero, at most max; -1 if not. */
static long long decimal(const char *s, size_t n, size_t max_digits, long long max) {
    if (n == 0 || n > max_digits || (n > 1 && s[0] == '0')) {
        return -1;
    }
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i])) {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v <= max ? v : -1;
}

const char *identity_check_hostname(const char *s, size_t n) {
    if (n == 0 || n > 63) {
        return "must be 1 to 63 characters";
    }
    for (size_t i = 0; i < n; i++) {
        if (!(is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'z') || s[i] == '-')) {
            return "only a-z, 0-9 and '-' are allowed";
        }
    }
    if (s[0] == '-' || s[n - 1] == '-') {
        return "must not start or end with '-'";
    }
    return NULL;
}

const char *identity_check_ipv4(const char *s, size_t n) {
    size_t start = 0;
    int parts = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (parts == 4 || decimal(s + start, i - start, 3, 255) < 0) {
                return "not a dotted IPv4 address";
            }
            parts++;
            start = i + 1;
        }
    }
    return parts == 4 ? NULL : "not a dotted IPv4 address";
}

const char *identity_check_address(const char *s, size_t n) {
    const char *slash = memchr(s, '/', n);
    if (slash == NULL) {
        return "needs a /prefix";
    }
    size_t ip_len = (size_t)(slash - s);
    if (identity_check_ipv4(s, ip_len) != NULL) {
        return "not a dotted IPv4 address";
    }
    if (decimal(slash + 1, n - ip_len - 1, 2, 32) < 1) {
        return "prefix must be 1 to 32";
    }
    return NULL;
}

const char *identity_check_dns(const char *s, size_t n) {
    size_t start = 0;
    int count = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == ',') {
            if (++count > 3) {
                return "at most 3 servers";
            }
            if (identity_check_ipv4(s + start, i - start) != NULL) {
                return "not a comma-separated list of dotted IPv4 addresses";
            }
            start = i + 1;
        }
    }
    return NULL;
}

const char *identity_check_mac(const char *s, size_t n) {
    if (n != 17) {
        return "must be six lower-case hex pairs separated by ':'";
    }
    for (size_t i = 0; i < n; i++) {
        bool ok = i % 3 == 2 ? s[i] == ':' : is_lower_hex(s[i]);
        if (!ok) {
            return "must be six lower-case hex pairs separated by ':'";
        }
    }
    if (hex_value(s[1]) & 1) {
        return "must be unicast (the first octet's low bit clear)";
    }
    return NULL;
}

const char *identity_check_machine_id(const char *s, size_t n) {
    if (n != 32) {
        return "must be 32 lower-case hex digits";
    }
    bool nonzero = false;
    for (size_t i = 0; i < n; i++) {
        if (!is_lower_hex(s[i])) {
            return "must be 32 lower-case hex digits";
        }
        nonzero |= s[i] != '0';
    }
    return nonzero ? NULL : "must not be all zero";
}

const char *identity_check_clock(const char *s, size_t n, long long *seconds, long *nanos) {
    const char *dot = memchr(s, '.', n);
    if (dot == NULL || (size_t)(s + n - dot - 1) != 9) {
        return "must be SECONDS.NANOS with exactly 9 digits of nanoseconds";
    }
    long long sec = decimal(s, (size_t)(dot - s), 12, 999999999999LL);
    if (sec < 0) {
        return "seconds must be a decimal number of at most 12 digits";
    }
    long ns = 0;
    for (int i = 1; i <= 9; i++) {
        if (!is_digit(dot[i])) {
            return "must be SECONDS.NANOS with exactly 9 digits of nanoseconds";
        }
        ns = ns * 10 + (dot[i] - '0');
    }
    *seconds = sec;
    *nanos = ns;
    return NULL;
}

const char *identity_check_entropy(const char *s, size_t n, unsigned char out[64]) {
    if (n != 128) {
        return "must be 128 lower-case hex digits";
    }
    for (size_t i = 0; i < n; i++) {
        if (!is_lower_hex(s[i])) {
            return "must be 128 lower-case hex digits";
        }
    }
    for (size_t i = 0; i < 64; i++) {
        out[i] = (unsigned char)(hex_value(s[2 * i]) << 4 | hex_value(s[2 * i + 1]));
    }
    return NULL;
}

static int b64_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (is_digit(c)) return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

const char *identity_check_host_key(const char *s, size_t n, char *out, size_t cap, size_t *out_len) {
    if (n == 0 || n % 4 != 0) {
        return "not standard base64 (length must be a multiple of 4)";
    }
    size_t len = 0;
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        int pad = 0;
        for (int j = 0; j < 4; j++) {
            char c = s[i + (size_t)j];
            if (c == '=' && i + 4 == n && j >= 2) {
                v[j] = 0;
                pad++;
            } else if (pad > 0 || (v[j] = b64_value(c)) < 0) {
                return "not standard base64";
            }
        }
        unsigned int bits = (unsigned int)(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
        unsigned char bytes[3] = {(unsigned char)(bits >> 16), (unsigned char)(bits >> 8), (unsigned char)bits};
        for (int j = 0; j < 3 - pad; j++) {
            if (len >= cap) {
                return "decoded key must be shorter than 4096 bytes";
            }
            out[len++] = (char)bytes[j];
        }
    }
    size_t header = strlen(PRIVATE_KEY_HEADER);
    if (len < header || memcmp(out, PRIVATE_KEY_HEADER, header) != 0) {
        return "not an OpenSSH private key (no " PRIVATE_KEY_HEADER " line)";
    }
    *out_len = len;
    return NULL;
}

const char *identity_check_host_key_pub(const char *s, size_t n) {
    size_t prefix = strlen(PUB_PREFIX);
    if (n <= prefix || memcmp(s, PUB_PREFIX, prefix) != 0) {
        return "must be 'ssh-ed25519 ' followed by the base64 key";
    }
    if (n >= sizeof ((struct identity *)0)->host_key_pub) {
        return "too long for an ed25519 key";
    }
    for (size_t i = prefix; i < n; i++) {
        if (s[i] != '=' && b64_value(s[i]) < 0) {
            return "the key must be base64 with no comment";
        }
    }
    return NULL;
}

const char *identity_check_grow_root(const char *s, size_t n, bool *yes) {
    if (n == 3 && memcmp(s, "yes", 3) == 0) {
        *yes = true;
    } else if (n == 2 && memcmp(s, "no", 2) == 0) {
        *yes = false;
    } else {
        return "must be yes or no";
    }
    return NULL;
}

enum field {
    F_HOSTNAME, F_ADDRESS, F_GATEWAY, F_DNS, F_MAC, F_MACHINE_ID, F_CLOCK, F_ENTROPY, F_HOST_KEY,
    F_HOST_KEY_PUB, F_GROW_ROOT, F_COUNT
};

static const char *const field_names[F_COUNT] = {
    "hostname", "address", "gateway", "dns", "mac", "machine_id", "clock", "entropy", "host_key_ed25519",
    "host_key_ed25519_pub", "grow_root",
};

static void copy_value(char *dst, size_t cap, const char *s, size_t n) {
    if (n >= cap) {
        n = cap - 1;  /* validators bound every copied field below its buffer */
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static const char *check_field(enum field f, const char *v, size_t n, struct identity *id) {
    const char *why = NULL;
    switch (f) {
    case F_HOSTNAME:
        if ((why = identity_check_hostname(v, n)) == NULL) copy_value(id->hostname, sizeof id->hostname, v, n);
        break;
    case F_ADDRESS:
        if ((why = identity_check_address(v, n)) == NULL) copy_value(id->address, sizeof id->address, v, n);
        break;
    case F_GATEWAY:
        if ((why = identity_check_ipv4(v, n)) == NULL) copy_value(id->gateway, sizeof id->gateway, v, n);
        break;
    case F_DNS:
        if ((why = identity_check_dns(v, n)) == NULL) copy_value(id->dns, sizeof id->dns, v, n);
        break;
    case F_MAC:
        if ((why = identity_check_mac(v, n)) == NULL) copy_value(id->mac, sizeof id->mac, v, n);
        break;
    case F_MACHINE_ID:
        if ((why = identity_check_machine_id(v, n)) == NULL) copy_value(id->machine_id, sizeof id->machine_id, v, n);
        break;
    case F_CLOCK:
        why = identity_check_clock(v, n, &id->clock_seconds, &id->clock_nanos);
        break;
    case F_ENTROPY:
        why = identity_check_entropy(v, n, id->entropy);
        break;
    case F_HOST_KEY:
        why = identity_check_host_key(v, n, id->host_key, sizeof id->host_key - 1, &id->host_key_len);
        break;
    case F_HOST_KEY_PUB:
        if ((why = identity_check_host_key_pub(v, n)) == NULL) copy_value(id->host_key_pub, sizeof id->host_key_pub, v, n);
        break;
    case F_GROW_ROOT:
        why = identity_check_grow_root(v, n, &id->grow_root);
        break;
    case F_COUNT:
        why = "unknown field";
        break;
    }
    return why;
}

/* "<key>: <reason>" with the key cut short and non-printable bytes replaced, since it comes from the wire. */
static void field_error(char *err, size_t errlen, const char *key, size_t key_len, const char *reason) {
    char safe[48];
    size_t n = key_len < sizeof safe - 1 ? key_len : sizeof safe - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)key[i];
        safe[i] = c >= 0x20 && c < 0x7F ? (char)c : '?';
    }
    safe[n] = '\0';
    snprintf(err, errlen, "%s%s: %s", safe, key_len > n ? "..." : "", reason);
}

bool identity_parse(const char *body, size_t len, struct identity *id, char *err, size_t errlen) {
    memset(id, 0, sizeof *id);
    if (len > IDENTITY_MAX_BODY) {
        snprintf(err, errlen, "request: body over %d bytes", IDENTITY_MAX_BODY);
        return false;
    }
    if (len > 0 && memchr(body, '\0', len) != NULL) {
        snprintf(err, errlen, "request: body contains a NUL byte");
        return false;
    }
    bool seen[F_COUNT] = {false};
    size_t pos = 0;
    int line = 0;
    while (pos < len) {
        const char *start = body + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl != NULL ? (size_t)(nl - start) : len - pos;
        pos += n + (nl != NULL ? 1 : 0);
        line++;
        const char *eq = memchr(start, '=', n);
        if (eq == NULL) {
            snprintf(err, errlen, "request: line %d is not key=value", line);
            return false;
        }
        size_t key_len = (size_t)(eq - start);
        enum field f = F_COUNT;
        for (int i = 0; i < F_COUNT; i++) {
            if (strlen(field_names[i]) == key_len && memcmp(field_names[i], start, key_len) == 0) {
                f = (enum field)i;
            }
        }
        if (f == F_COUNT) {
            field_error(err, errlen, start, key_len, "unknown field");
            return false;
        }
        if (seen[f]) {
            field_error(err, errlen, start, key_len, "given more than once");
            return false;
        }
        seen[f] = true;
        const char *why = check_field(f, eq + 1, n - key_len - 1, id);
        if (why != NULL) {
            field_error(err, errlen, start, key_len, why);
            return false;
        }
    }
    for (int i = 0; i < F_COUNT; i++) {
        if (!seen[i]) {
            snprintf(err, errlen, "%s: missing", field_names[i]);
            return false;
        }
    }
    return true;
}
