/*
 * cfg.h: a configuration tree with source positions.
 *
 * The YAML loader (yaml.c) and the Lua bindings both produce this tree, and
 * everything that reads configuration (the topology builder, each protocol's
 * config hook) reads it through the accessors below. Each accessor reports a
 * problem as "file:line:col: message" on the document's error list and
 * returns false/NULL, so a reader can go on and report every error in one go.
 * Map keys that nobody asked for are reported by cfg_check_unknown().
 */
#ifndef NETSIM_CFG_H
#define NETSIM_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/ip.h"
#include "../lib/strbuf.h"
#include "simtime.h"

enum cfg_type { CFG_SCALAR, CFG_MAP, CFG_SEQ };

struct cfg_doc;

struct cfg {
	enum cfg_type type;
	struct cfg_doc *doc;
	int line, col;     /* 1-based position of the node's first character */
	char *str;         /* CFG_SCALAR: the text */
	bool quoted;       /* CFG_SCALAR: written in quotes (never a number/bool/null) */
	struct cfg **v;    /* CFG_SEQ items, CFG_MAP values */
	struct cfg **k;    /* CFG_MAP keys (scalars, with their positions) */
	bool *used;        /* CFG_MAP: key was read */
	size_t n;
};

struct cfg_doc {
	char *file;        /* as given by the user, for messages */
	struct cfg *root;
	struct strbuf errors; /* one "file:line:col: message\n" per error */
	int nerrors;
};

/* Parse YAML text/file into a document; on syntax errors root is NULL and errors say why. */
/* (Duplicate keys and bad "<<" merges are reported but keep root: check nerrors too.) */
struct cfg_doc *cfg_parse_yaml(const char *file, const char *text, size_t len);
struct cfg_doc *cfg_load_yaml(const char *path);
struct cfg_doc *cfg_doc_new(const char *file);
struct cfg *cfg_new(struct cfg_doc *, enum cfg_type, int line, int col);
void cfg_map_add(struct cfg *map, struct cfg *key, struct cfg *val);
void cfg_seq_add(struct cfg *seq, struct cfg *item);
void cfg_doc_free(struct cfg_doc *);
/* A scalar holding a copy of s[0..len). */
struct cfg *cfg_new_scalar(struct cfg_doc *, int line, int col, const char *s, size_t len,
    bool quoted);
/* Free a node and everything below it (for nodes not attached to a document's root). */
void cfg_free(struct cfg *);
/* A null value (`key:`, `~`, `null`): an unquoted empty scalar. */
bool cfg_is_null(const struct cfg *);

/* Limits of cfg_parse_yaml, so that a hostile or generated file fails with a message. */
#define CFG_YAML_MAX_BYTES (64u << 20)  /* file size */
#define CFG_YAML_MAX_DEPTH 64           /* nested mappings/lists */
/*
 * Aliases and merges copy what they refer to: the copies may take at most
 * CFG_YAML_ALIAS_FACTOR times the document's size in bytes of memory (a
 * document's own tree already takes some tens of times its size), and at
 * least CFG_YAML_ALIAS_MIN, rounded up to whole MiB.
 */
#define CFG_YAML_ALIAS_MIN    (32u << 20)
#define CFG_YAML_ALIAS_FACTOR 10u
size_t cfg_yaml_alias_budget(size_t len);

/* Report an error at a node's position (printf-style). Always returns false. */
bool cfg_error(const struct cfg *at, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * A warning at a node's position, printed at once on stderr as
 * "file:line:col: warning: message": the document stays valid (a loader's
 * advice, such as a BGP network with no route to anchor it).
 */
void cfg_warn(const struct cfg *at, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Report an error at a document-level position. */
void cfg_doc_error(struct cfg_doc *, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A scalar's text as messages quote it: at most 40 characters, control characters escaped. */
#define CFG_SHOW_BUF (40 * 4 + 8)
const char *cfg_show(const struct cfg *, char buf[CFG_SHOW_BUF]);

/*
 * The list a file of items holds: the document's root when it is a list, or
 * the list under `key:` when the root is a map (any other key is an error);
 * NULL after reporting why ("expected a list of KEY, or 'KEY:' with one").
 */
const struct cfg *cfg_doc_list(const struct cfg_doc *, const char *key);
/* Lookup: the value under key (and mark the key used), or NULL. */
struct cfg *cfg_get(const struct cfg *map, const char *key);
/* Type checks that report "expected a mapping/list/scalar for 'what'". */
bool cfg_is_map(const struct cfg *, const char *what);
bool cfg_is_seq(const struct cfg *, const char *what);
bool cfg_is_scalar(const struct cfg *, const char *what);
/* Report every key of map that was not read with cfg_get, as "unknown key 'k' in what". */
void cfg_check_unknown(const struct cfg *map, const char *what);

/* Scalar conversions: on failure they report at the node and return false. */
bool cfg_str(const struct cfg *, const char *what, const char **out);
bool cfg_int(const struct cfg *, const char *what, long long min, long long max, long long *out);
bool cfg_bool(const struct cfg *, const char *what, bool *out);
bool cfg_ip(const struct cfg *, const char *what, uint32_t *out);
bool cfg_ip_plen(const struct cfg *, const char *what, uint32_t *addr, uint8_t *plen);
bool cfg_prefix(const struct cfg *, const char *what, struct prefix *out);
/* A duration: "10", "100ms", "2s", "250us" (bare numbers are milliseconds unless unit_s). */
bool cfg_time(const struct cfg *, const char *what, bool bare_is_seconds, sim_time *out);
/* A percentage 0..100, "5" or "5%". */
bool cfg_percent(const struct cfg *, const char *what, double *out);
/* A bandwidth "100M", "1G", "10000000", "1.5Gbps" -> bits per second. */
bool cfg_bandwidth(const struct cfg *, const char *what, uint64_t *bps);
/* A 32-bit dotted or plain number (OSPF area "0" or "0.0.0.0"). */
bool cfg_dotted32(const struct cfg *, const char *what, uint32_t *out);

/* Convenience: look up key and convert; absent keys leave *out untouched and return true. */
bool cfg_opt_str(const struct cfg *map, const char *key, const char **out);
/* A string that must be there: "what needs 'key'" when it is not. */
bool cfg_need_str(const struct cfg *map, const char *key, const char *what, const char **out);
bool cfg_opt_int(const struct cfg *map, const char *key, long long min, long long max,
    long long *out);
bool cfg_opt_bool(const struct cfg *map, const char *key, bool *out);
/*
 * Whole seconds from 1 to max ("10", "10s"), for protocols that carry a time
 * in seconds on the wire; why ("OSPF carries it in seconds") ends the error.
 * *out is left alone when the key is absent.
 */
bool cfg_opt_seconds(const struct cfg *map, const char *key, long long max, const char *why,
    uint32_t *out);
/* The same for a value: whole seconds from min to max. */
bool cfg_seconds(const struct cfg *, const char *what, long long min, long long max,
    const char *why, long long *out);

/* A keyword: one of words[0..n) (aliases may share a value); `expected` names them in errors. */
struct cfg_word {
	const char *name;
	int value;
};
bool cfg_keyword(const struct cfg *, const char *what, const struct cfg_word *words, size_t n,
    const char *expected, int *out);
bool cfg_opt_time(const struct cfg *map, const char *key, bool bare_is_seconds, sim_time *out);

#endif
