/* Turns a parsed request into the bytes to send back: GET /healthz, and POST /identity and POST /sync from the host. */
#ifndef BANGER_AGENT_RESPOND_H
#define BANGER_AGENT_RESPOND_H

#include <stdbool.h>
#include <stddef.h>

#include "apply.h"
#include "buf.h"
#include "http.h"

struct respond_context {
    const char *root;                  /* the --root prefix /healthz reads under */
    const struct apply_config *apply;  /* how POST /identity applies what it is sent */
    bool host_peer;                    /* the connection comes from the host side (may send identities) */
};

/*
 * How many body bytes must follow the head before respond() can answer: the Content-Length of a
 * POST /identity that may be accepted, otherwise 0 (answered from the head alone).
 */
size_t respond_body_wanted(enum http_verdict verdict, const struct http_request *req);

/* Appends the full response to out; body holds respond_body_wanted() bytes after the head. */
void respond(enum http_verdict verdict, const struct http_request *req, const char *body, size_t body_len,
             const struct respond_context *ctx, struct buf *out);

#endif
