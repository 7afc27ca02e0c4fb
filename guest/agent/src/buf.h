/* Growable byte buffer with a hard cap, plus JSON string escaping. */
#ifndef BANGER_AGENT_BUF_H
#define BANGER_AGENT_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data;
    size_t len;
    size_t cap;
    size_t limit;   /* never grows past this; appends beyond it set overflow */
    bool overflow;
};

void buf_init(struct buf *b, size_t limit);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
/* Appends n bytes; on failure (limit or ENOMEM) sets overflow and returns false. */
bool buf_append(struct buf *b, const void *data, size_t n);
bool buf_puts(struct buf *b, const char *s);
bool buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s[0..n) as a quoted JSON string: control characters escaped, invalid UTF-8 replaced by U+FFFD. */
bool buf_json_string(struct buf *b, const char *s, size_t n);
/* Drops the first n bytes. */
void buf_consume(struct buf *b, size_t n);

#endif
