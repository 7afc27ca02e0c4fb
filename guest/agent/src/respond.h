/* Turns a parser verdict into the bytes to send back. The endpoint is read-only. */
#ifndef BANGER_AGENT_RESPOND_H
#define BANGER_AGENT_RESPOND_H

#include "buf.h"
#include "http.h"

/* Appends the full response for verdict/req to out. root is the --root prefix. */
void respond(enum http_verdict verdict, const struct http_request *req, const char *root, struct buf *out);

#endif
