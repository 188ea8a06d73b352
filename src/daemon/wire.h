/*
 * wire.h: the control socket's protocol (docs/daemon-protocol.md).
 *
 * Each direction carries one JSON object per line, UTF-8, "\n"-terminated.
 * Every request names the protocol version ("v") and may carry an "id" of
 * the client's choice, echoed in its reply; a reply says "ok" true or false
 * (then with "error": {"code", "message"}). Streams (events --follow) are
 * further lines with the id of the request that opened them and no "ok".
 */
#ifndef NETSIM_WIRE_H
#define NETSIM_WIRE_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/json.h"
#include "../lib/strbuf.h"
#include "../sim/sim.h"

#define WIRE_VERSION  1
#define WIRE_MIN_VERSION 1
/* Longest request line; longer ones are refused (and skipped up to their newline). */
#define WIRE_MAX_LINE (1u << 20)

/* A copy of s with every invalid UTF-8 byte replaced by U+FFFD. */
char *wire_utf8(const char *s);
/* A simulated time as milliseconds with nanosecond precision. */
void wire_kv_time(struct json *, const char *key, sim_time);
/* {"v":1,"id":ID,"ok":OK, ... : id_raw is the request's id as JSON text ("null" if none). */
void wire_begin(struct json *, struct strbuf *, const char *id_raw, bool ok);
/* Close the object and the line. */
void wire_end(struct json *);
/* A whole error reply line. */
void wire_error(struct strbuf *, const char *id_raw, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The request's id as JSON text (a number or string, else "null"); malloc'd. */
char *wire_id(const struct jval *req);
/* The same of an id value itself (NULL: "null"), as in a reference to a request (MCP's cancelled). */
char *wire_id_value(const struct jval *id);
/*
 * One request line (without its newline) checked up to its op: JSON that
 * json_parse accepts (so no \u0000 and no repeated key), an object, a
 * supported "v", an "op" string. Returns the request, or NULL with an error
 * code and message for the reply. *id is the request's id as JSON text
 * (malloc'd, "null" when unknown) either way.
 */
struct jval *wire_request(const char *line, size_t len, char **id, const char **code,
    struct strbuf *msg);
/*
 * Write a parsed value compactly (a command's pretty JSON inside a one-line
 * reply). Containers nested deeper than the writer takes (JSON_MAXDEPTH,
 * counting the reply around them) become null; keys are made valid UTF-8 and
 * a key that then repeats an earlier one of its object is left out.
 */
void wire_value(struct json *, const struct jval *, int depth);
/* A field as a bool/number with a default. */
bool wire_bool(const struct jval *, const char *key, bool dflt);
double wire_num(const struct jval *, const char *key, double dflt);

#endif
