#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t limit) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->limit = limit;
    b->overflow = false;
}

void buf_free(struct buf *b) {
    free(b->data);
    buf_init(b, b->limit);
}

void buf_reset(struct buf *b) {
    b->len = 0;
    b->overflow = false;
}

static bool reserve(struct buf *b, size_t extra) {
    if (b->overflow) {
        return false;
    }
    if (extra > b->limit || b->len > b->limit - extra) {
        b->overflow = true;
        return false;
    }
    size_t need = b->len + extra;
    if (need <= b->cap) {
        return true;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) {
        cap *= 2;
    }
    if (cap > b->limit) {
        cap = b->limit;
    }
    char *grown = realloc(b->data, cap);
    if (grown == NULL) {
        b->overflow = true;
        return false;
    }
    b->data = grown;
    b->cap = cap;
    return true;
}

bool buf_append(struct buf *b, const void *data, size_t n) {
    if (n == 0) {
        return !b->overflow;
    }
    if (!reserve(b, n)) {
        return false;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    return true;
}

bool buf_puts(struct buf *b, const char *s) {
    return buf_append(b, s, strlen(s));
}

bool buf_printf(struct buf *b, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->overflow = true;
        return false;
    }
    if ((size_t)n < sizeof small) {
        return buf_append(b, small, (size_t)n);
    }
    if (!reserve(b, (size_t)n + 1)) {
        return false;
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not valid. */
static size_t utf8_sequence(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    size_t len;
    unsigned int min;
    unsigned int cp;
    if (c < 0x80) {
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2; min = 0x80; cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3; min = 0x800; cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4; min = 0x10000; cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

bool buf_json_string(struct buf *b, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    if (!buf_append(b, "\"", 1)) {
        return false;
    }
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            buf_append(b, esc, 2);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            switch (c) {
            case '\n': buf_append(b, "\\n", 2); break;
            case '\r': buf_append(b, "\\r", 2); break;
            case '\t': buf_append(b, "\\t", 2); break;
            default: buf_printf(b, "\\u%04x", c); break;
            }
            i++;
        } else {
            size_t len = utf8_sequence(p + i, n - i);
            if (len == 0) {
                buf_append(b, "\\ufffd", 6);
                i++;
            } else {
                buf_append(b, p + i, len);
                i += len;
            }
        }
    }
    return buf_append(b, "\"", 1);
}

void buf_consume(struct buf *b, size_t n) {
    if (n >= b->len) {
        b->len = 0;
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}
