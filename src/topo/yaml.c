/*
 * yaml.c: YAML text -> configuration tree (cfg.h), through libyaml's events.
 *
 * libyaml's document API (yaml_parser_load) builds a tree too, but its aliases
 * are shared nodes that a reader walks once per reference (a "billion laughs"
 * document stays small there and explodes in the topology builder), and it
 * cannot stop at a limit of ours. So we build the tree from the event stream
 * and check duplicate keys, depth and alias expansion as we go: one frame per
 * open mapping/list, nodes attached to their parent as soon as they start (so
 * that freeing the root frees everything, on every error path).
 *
 * Aliases are deep copies: every consumer may then mark keys used and report
 * positions without caring about sharing. The cost is bounded in bytes, not
 * nodes: every alias and merge is charged the memory its copy takes (nodes,
 * their text and their arrays) against one budget per document (see
 * cfg_yaml_alias_budget), which is what stops a "billion laughs" document,
 * and also one long string aliased thousands of times, which a count of nodes
 * let through. CFG_YAML_MAX_DEPTH bounds every recursion here and in cfg.c.
 * Anchors are found through a hash table, so a document with many anchors
 * and aliases costs time in proportion to its size. YAML 1.1 merge keys
 * ("<<: *defaults") are resolved when their mapping ends: keys written in the
 * mapping win over merged ones, and earlier mappings in a "<<" list win over
 * later ones.
 *
 * Duplicate keys and bad merges are reported but keep the tree (so the
 * builder can report more); syntax errors, limits and bad aliases stop the
 * parse and leave root NULL.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "../lib/hmap.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "../lib/cfg.h"

/* Up to this many keys a mapping's duplicate check is a scan; past it, a hash. */
#define DUP_SCAN_MAX 16

#define TAG_STR "tag:yaml.org,2002:str"

struct frame {
	struct cfg *node;
	char *anchor;     /* registered once the collection is complete */
	bool want_value;  /* a mapping's last key waits for its value */
	bool merge;       /* a "<<" key to resolve when the mapping ends */
	bool hashed;      /* keys holds the mapping's keys */
	struct hmap keys; /* str_hash of a key -> its first key node */
};

struct anchor {
	char *name;
	struct cfg *node; /* complete; in the tree or in the graveyard */
	size_t older;     /* 1 + index of the previous anchor with this name's hash, or 0 */
};

struct loader {
	struct cfg_doc *doc;
	const char *text;
	size_t len;
	struct frame *st;
	size_t depth, stcap;
	struct anchor *an;
	size_t nan, ancap;
	struct hmap anchors; /* str_hash of a name -> 1 + index of its newest anchor in an */
	/*
	 * "<<" keys and values taken out of their mapping. An anchor may still
	 * point into them, so they live until the parse ends.
	 */
	struct cfg **grave;
	size_t ngrave, gravecap;
	size_t copied; /* bytes created by aliases and merges */
	size_t budget; /* ... and how many they may create */
	int ndocs;
	bool failed, done;
};

static void
fail(struct loader *ld, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
fail(struct loader *ld, int line, int col, const char *fmt, ...)
{
	struct strbuf b = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	cfg_doc_error(ld->doc, line, col, "%s", sb_str(&b));
	sb_free(&b);
	ld->failed = true;
}

static int
mline(const yaml_mark_t *m)
{
	return (int)MIN(m->line + 1, (size_t)INT32_MAX);
}

static int
mcol(const yaml_mark_t *m)
{
	return (int)MIN(m->column + 1, (size_t)INT32_MAX);
}

/* ---- syntax errors -------------------------------------------------------------------- */

/*
 * Reader errors (bad UTF-8, control characters) carry a byte offset, not a
 * mark; count lines and characters up to it ourselves.
 */
static void
offset_pos(const struct loader *ld, size_t off, int *line, int *col)
{
	const unsigned char *s = (const unsigned char *)ld->text;
	size_t i = 0;

	*line = 1;
	*col = 1;
	if (ld->len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		i = 3;
	for (; i < off && i < ld->len; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if ((s[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/*
 * The byte at a mark, or NULL past the end. A mark's index counts characters,
 * not bytes (and not the byte order mark libyaml skipped), so walk the UTF-8.
 */
static const char *
mark_byte(const struct loader *ld, const yaml_mark_t *m)
{
	const unsigned char *s = (const unsigned char *)ld->text;
	size_t i = 0, chars = 0;

	if (ld->len >= 2 && ((s[0] == 0xff && s[1] == 0xfe) || (s[0] == 0xfe && s[1] == 0xff)))
		return NULL; /* UTF-16: libyaml transcoded it, we did not */
	if (ld->len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		i = 3;
	for (; i < ld->len; i++) {
		if ((s[i] & 0xc0) == 0x80)
			continue;
		if (chars++ == m->index)
			return ld->text + i;
	}
	return NULL;
}

static void
syntax_error(struct loader *ld, const yaml_parser_t *p)
{
	const char *at;
	struct strbuf b = STRBUF_INIT;
	int line, col;

	if (p->error == YAML_MEMORY_ERROR)
		fatalx("%s: out of memory in the YAML parser", ld->doc->file);
	if (p->error == YAML_READER_ERROR) {
		offset_pos(ld, p->problem_offset, &line, &col);
		sb_add(&b, p->problem ? p->problem : "cannot read the text");
		if (p->problem_value >= 0)
			sb_printf(&b, " (byte 0x%02x)", (unsigned)p->problem_value & 0xff);
		fail(ld, line, col, "%s", sb_str(&b));
		sb_free(&b);
		return;
	}
	line = mline(&p->problem_mark);
	col = mcol(&p->problem_mark);
	sb_add(&b, p->problem ? p->problem : "syntax error");
	at = mark_byte(ld, &p->problem_mark);
	if (p->context != NULL && at == NULL) {
		/*
		 * Ran off the end inside something (a quote, a bracket): the end of
		 * the file is no place to look, where that something opened is.
		 */
		line = mline(&p->context_mark);
		col = mcol(&p->context_mark);
		sb_printf(&b, " (%s)", p->context);
	} else if (p->context != NULL) {
		sb_printf(&b, " (%s", p->context);
		if (p->context_mark.index != p->problem_mark.index)
			sb_printf(&b, " that starts at line %d, column %d", mline(&p->context_mark),
			    mcol(&p->context_mark));
		sb_addc(&b, ')');
	}
	/*
	 * libyaml's complaint about a tab says nothing about tabs ("found character
	 * that cannot start any token"), and editors hide them: name the culprit.
	 */
	if (at != NULL && *at == '\t')
		sb_add(&b, p->problem && strstr(p->problem, "tab") ?
		    ": YAML indentation must use spaces, not tabs" :
		    ": this is a tab, and YAML indentation must use spaces, not tabs");
	fail(ld, line, col, "%s", sb_str(&b));
	sb_free(&b);
}

/* ---- the node stack ------------------------------------------------------------------- */

static bool
is_merge_key(const struct cfg *k)
{
	return !k->quoted && strcmp(k->str, "<<") == 0;
}

static struct cfg *
scan_key(const struct cfg *map, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(map->k[i]->str, s) == 0)
			return map->k[i];
	return NULL;
}

/* The first key of the frame's mapping spelled s, or NULL. */
static struct cfg *
find_key(struct frame *f, const char *s)
{
	struct cfg *k;

	if (!f->hashed)
		return scan_key(f->node, f->node->n, s);
	k = hmap_get(&f->keys, str_hash(s));
	if (k == NULL || strcmp(k->str, s) == 0)
		return k;
	/* Two keys with one 64-bit hash: astronomically rare, but stay correct. */
	return scan_key(f->node, f->node->n, s);
}

static void
hash_key(struct frame *f, struct cfg *key)
{
	uint64_t h = str_hash(key->str);

	if (hmap_get(&f->keys, h) == NULL)
		hmap_put(&f->keys, h, key);
}

static void
add_key(struct loader *ld, struct frame *f, struct cfg *key)
{
	struct cfg *map = f->node;
	struct cfg *first = find_key(f, key->str);

	cfg_map_add(map, key, NULL);
	f->want_value = true;
	if (first != NULL) {
		cfg_doc_error(ld->doc, key->line, key->col, "duplicate key '%s' (first at line %d)",
		    key->str, first->line);
		/* Keep it, so the tree stays whole, but never report it as unknown too. */
		map->used[map->n - 1] = true;
		return;
	}
	if (is_merge_key(key))
		f->merge = true;
	if (f->hashed) {
		hash_key(f, key);
	} else if (map->n > DUP_SCAN_MAX) {
		hmap_init(&f->keys);
		f->hashed = true;
		/* In order, so each spelling maps to its first key. */
		for (size_t i = 0; i < map->n; i++)
			hash_key(f, map->k[i]);
	}
}

static const char *
kind(const struct cfg *c)
{
	return c->type == CFG_MAP ? "a mapping" : "a list";
}

/* Give node to its parent (or make it the root). Takes ownership, even on failure. */
static bool
attach(struct loader *ld, struct cfg *node)
{
	struct frame *f;

	if (ld->depth == 0) {
		if (ld->doc->root != NULL)
			bug("yaml: a second root node");
		ld->doc->root = node;
		return true;
	}
	f = &ld->st[ld->depth - 1];
	if (f->node->type == CFG_SEQ) {
		cfg_seq_add(f->node, node);
		return true;
	}
	if (f->want_value) {
		f->node->v[f->node->n - 1] = node;
		f->want_value = false;
		return true;
	}
	if (node->type != CFG_SCALAR) {
		fail(ld, node->line, node->col, "a mapping key must be a plain value, not %s",
		    kind(node));
		cfg_free(node);
		return false;
	}
	add_key(ld, f, node);
	return true;
}

static bool
next_is_key(const struct loader *ld)
{
	const struct frame *f = ld->depth ? &ld->st[ld->depth - 1] : NULL;

	return f != NULL && f->node->type == CFG_MAP && !f->want_value;
}

/* ---- anchors, aliases and merges ------------------------------------------------------ */

/*
 * The table maps a name's hash to its newest anchor, and each anchor links to
 * the previous one with the same hash: a redefined name, or (astronomically
 * rarely) another name with the same 64-bit hash.
 */
static void
add_anchor(struct loader *ld, const char *name, struct cfg *node)
{
	uint64_t h = str_hash(name);
	struct anchor a = {xstrdup(name), node, (uintptr_t)hmap_get(&ld->anchors, h)};

	VEC_PUSH(ld->an, ld->nan, ld->ancap, a);
	hmap_put(&ld->anchors, h, (void *)(uintptr_t)ld->nan);
}

/* A later anchor of the same name replaces an earlier one (YAML 1.2 3.2.2.2). */
static struct cfg *
find_anchor(const struct loader *ld, const char *name)
{
	size_t i = (uintptr_t)hmap_get(&ld->anchors, str_hash(name));

	while (i != 0 && strcmp(ld->an[i - 1].name, name) != 0)
		i = ld->an[i - 1].older;
	return i ? ld->an[i - 1].node : NULL;
}

/* Memory one node takes (without what hangs below it): what a copy of it costs. */
static size_t
node_bytes(const struct cfg *c)
{
	size_t slot = c->type == CFG_MAP ? 2 * sizeof(*c->v) + sizeof(*c->used) : sizeof(*c->v);

	return sizeof(*c) + (c->str ? strlen(c->str) + 1 : 0) + c->n * slot;
}

/* Bytes of the subtree, counting no further than limit. */
static size_t
size_of(const struct cfg *c, size_t limit)
{
	size_t n = node_bytes(c);

	for (size_t i = 0; i < c->n && n <= limit; i++) {
		n += size_of(c->v[i], limit);
		if (c->type == CFG_MAP)
			n += size_of(c->k[i], limit);
	}
	return n;
}

/* Levels of collections in the subtree: 0 for a scalar. */
static size_t
height(const struct cfg *c)
{
	size_t h = 0;

	if (c->type == CFG_SCALAR)
		return 0;
	for (size_t i = 0; i < c->n; i++) {
		size_t hi = height(c->v[i]); /* not inside MAX(), which evaluates twice */

		h = MAX(h, hi);
	}
	return h + 1;
}

static struct cfg *
copy(struct loader *ld, const struct cfg *src)
{
	struct cfg *c = cfg_new(ld->doc, src->type, src->line, src->col);

	c->str = src->str ? xstrdup(src->str) : NULL;
	c->quoted = src->quoted;
	for (size_t i = 0; i < src->n; i++) {
		if (src->type == CFG_MAP) {
			cfg_map_add(c, copy(ld, src->k[i]), copy(ld, src->v[i]));
			c->used[i] = src->used[i];
		} else {
			cfg_seq_add(c, copy(ld, src->v[i]));
		}
	}
	ld->copied += node_bytes(src);
	return c;
}

/* What is left of the alias budget; a subtree larger than this cannot be copied. */
static size_t
left(const struct loader *ld)
{
	return ld->budget - ld->copied;
}

/* Charge n bytes about to be copied to the alias budget; false (the parse fails) past it. */
static bool
charge(struct loader *ld, size_t n, int line, int col)
{
	if (n > left(ld)) {
		fail(ld, line, col, "aliases expand to more than %zu MiB "
		    "(nested aliases that multiply, like the 'billion laughs' attack?)",
		    ld->budget >> 20);
		return false;
	}
	return true;
}

static void
on_alias(struct loader *ld, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	int line = mline(&ev->start_mark), col = mcol(&ev->start_mark);
	struct cfg *src = find_anchor(ld, name);
	struct cfg *c;

	if (src == NULL) {
		for (size_t i = 0; i < ld->depth; i++) {
			if (ld->st[i].anchor != NULL && strcmp(ld->st[i].anchor, name) == 0) {
				fail(ld, line, col, "alias '*%s' refers to the node that "
				    "contains it (a recursive alias)", name);
				return;
			}
		}
		fail(ld, line, col, "unknown alias '*%s' (no anchor '&%s' before it)", name, name);
		return;
	}
	if (ld->depth + height(src) > CFG_YAML_MAX_DEPTH) {
		fail(ld, line, col, "alias '*%s' nests deeper than %d levels", name,
		    CFG_YAML_MAX_DEPTH);
		return;
	}
	if (!charge(ld, size_of(src, left(ld)), line, col))
		return;
	c = copy(ld, src);
	/* Point at the use: the anchor's own position is still on everything inside. */
	c->line = line;
	c->col = col;
	attach(ld, c);
}

static void
bury(struct loader *ld, struct cfg *c)
{
	VEC_PUSH(ld->grave, ld->ngrave, ld->gravecap, c);
}

/*
 * Is key s written in map itself (not by a merge), or already in out? seen
 * hashes every such key (the first of each spelling), so that merging a large
 * mapping is not quadratic.
 */
static bool
merge_has(const struct hmap *seen, const struct cfg *map, const struct cfg *out, const char *s)
{
	const struct cfg *k = hmap_get(seen, str_hash(s));

	if (k == NULL || strcmp(k->str, s) == 0)
		return k != NULL;
	/* Another spelling with the same 64-bit hash: look the slow way. */
	for (size_t i = 0; i < map->n; i++)
		if (!is_merge_key(map->k[i]) && strcmp(map->k[i]->str, s) == 0)
			return true;
	return scan_key(out, out->n, s) != NULL;
}

static void
merge_see(struct hmap *seen, struct cfg *key)
{
	uint64_t h = str_hash(key->str);

	if (hmap_get(seen, h) == NULL)
		hmap_put(seen, h, key);
}

static void
merge_from(struct loader *ld, struct hmap *seen, const struct cfg *map, struct cfg *out,
    const struct cfg *src)
{
	for (size_t i = 0; i < src->n && !ld->failed; i++) {
		if (is_merge_key(src->k[i]) || merge_has(seen, map, out, src->k[i]->str))
			continue;
		if (!charge(ld, size_of(src->k[i], left(ld)) + size_of(src->v[i], left(ld)),
		    src->k[i]->line, src->k[i]->col))
			return;
		cfg_map_add(out, copy(ld, src->k[i]), copy(ld, src->v[i]));
		out->used[out->n - 1] = src->used[i];
		merge_see(seen, out->k[out->n - 1]);
	}
}

/* Replace each "<<" entry of map by the entries it merges (YAML 1.1 merge key type). */
static void
resolve_merges(struct loader *ld, struct cfg *map)
{
	struct cfg *out = cfg_new(ld->doc, CFG_MAP, map->line, map->col);
	struct hmap seen;

	hmap_init(&seen);
	for (size_t i = 0; i < map->n; i++)
		if (!is_merge_key(map->k[i]))
			merge_see(&seen, map->k[i]);
	for (size_t i = 0; i < map->n; i++) {
		struct cfg *k = map->k[i], *v = map->v[i];

		if (!is_merge_key(k) || map->used[i]) {
			cfg_map_add(out, k, v);
			out->used[out->n - 1] = map->used[i];
			continue;
		}
		if (v->type == CFG_MAP) {
			merge_from(ld, &seen, map, out, v);
		} else if (v->type == CFG_SEQ) {
			for (size_t j = 0; j < v->n; j++) {
				if (v->v[j]->type == CFG_MAP)
					merge_from(ld, &seen, map, out, v->v[j]);
				else
					cfg_doc_error(ld->doc, v->v[j]->line, v->v[j]->col,
					    "expected a mapping to merge with '<<', got %s",
					    v->v[j]->type == CFG_SEQ ? "a list" : "a single value");
			}
		} else {
			cfg_doc_error(ld->doc, v->line, v->col, "expected a mapping or a list of "
			    "mappings to merge with '<<', got a single value");
		}
		bury(ld, k);
		bury(ld, v);
	}
	hmap_free(&seen);
	/* Every node now lives in out or in the graveyard: take out's arrays, keep map itself. */
	free(map->k);
	free(map->v);
	free(map->used);
	map->k = out->k;
	map->v = out->v;
	map->used = out->used;
	map->n = out->n;
	out->k = NULL;
	out->v = NULL;
	out->used = NULL;
	out->n = 0;
	cfg_free(out);
}

/* ---- events --------------------------------------------------------------------------- */

static void
on_scalar(struct loader *ld, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	int line = mline(&ev->start_mark), col = mcol(&ev->start_mark);
	bool quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    (tag != NULL && (strcmp(tag, TAG_STR) == 0 || strcmp(tag, "!") == 0));
	struct cfg *c;

	/* "\0" in a double-quoted string would silently cut it short everywhere after. */
	if (memchr(s, '\0', len) != NULL) {
		fail(ld, line, col, "a NUL character (\\0) is not allowed in a string");
		return;
	}
	/* YAML's null: a consumer sees one spelling of "no value", and keys stay as written. */
	if (!quoted && tag == NULL && !next_is_key(ld) &&
	    (strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	    strcmp(s, "NULL") == 0))
		len = 0;
	c = cfg_new_scalar(ld->doc, line, col, s, len, quoted);
	if (attach(ld, c) && ev->data.scalar.anchor != NULL)
		add_anchor(ld, (const char *)ev->data.scalar.anchor, c);
}

static void
on_start(struct loader *ld, const yaml_event_t *ev, enum cfg_type type)
{
	const yaml_char_t *anchor = type == CFG_MAP ? ev->data.mapping_start.anchor :
	    ev->data.sequence_start.anchor;
	int line = mline(&ev->start_mark), col = mcol(&ev->start_mark);
	struct cfg *c;
	struct frame f = {0};

	if (ld->depth >= CFG_YAML_MAX_DEPTH) {
		fail(ld, line, col, "nesting deeper than %d levels", CFG_YAML_MAX_DEPTH);
		return;
	}
	c = cfg_new(ld->doc, type, line, col);
	if (!attach(ld, c))
		return;
	f.node = c;
	f.anchor = anchor ? xstrdup((const char *)anchor) : NULL;
	VEC_PUSH(ld->st, ld->depth, ld->stcap, f);
}

static void
on_end(struct loader *ld)
{
	struct frame *f = &ld->st[--ld->depth];

	if (f->merge)
		resolve_merges(ld, f->node);
	if (f->anchor != NULL)
		add_anchor(ld, f->anchor, f->node);
	free(f->anchor);
	if (f->hashed)
		hmap_free(&f->keys);
}

static void
on_event(struct loader *ld, const yaml_event_t *ev)
{
	struct cfg *root;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (ld->ndocs++ > 0)
			fail(ld, mline(&ev->start_mark), mcol(&ev->start_mark),
			    "a second document ('---'): a topology file holds exactly one");
		break;
	case YAML_STREAM_END_EVENT:
		root = ld->doc->root;
		if (ld->ndocs == 0)
			fail(ld, 1, 1, "empty topology");
		else if (cfg_is_null(root))
			fail(ld, root->line, root->col, "empty topology");
		ld->done = true;
		break;
	case YAML_ALIAS_EVENT:
		on_alias(ld, ev);
		break;
	case YAML_SCALAR_EVENT:
		on_scalar(ld, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
		on_start(ld, ev, CFG_SEQ);
		break;
	case YAML_MAPPING_START_EVENT:
		on_start(ld, ev, CFG_MAP);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		on_end(ld);
		break;
	default:
		break;
	}
}

/* ---- entry points --------------------------------------------------------------------- */

size_t
cfg_yaml_alias_budget(size_t len)
{
	size_t b = MAX((size_t)CFG_YAML_ALIAS_MIN, len * CFG_YAML_ALIAS_FACTOR);

	return (b + ((1u << 20) - 1)) & ~(size_t)((1u << 20) - 1); /* whole MiB, for the message */
}

struct cfg_doc *
cfg_parse_yaml(const char *file, const char *text, size_t len)
{
	struct loader ld = {0};
	yaml_parser_t p;
	yaml_event_t ev;

	ld.doc = cfg_doc_new(file);
	ld.text = text ? text : "";
	ld.len = text ? len : 0;
	if (ld.len > CFG_YAML_MAX_BYTES) {
		cfg_doc_error(ld.doc, 0, 0, "too large (%zu bytes; the limit is %u MiB)", ld.len,
		    CFG_YAML_MAX_BYTES >> 20);
		return ld.doc;
	}
	ld.budget = cfg_yaml_alias_budget(ld.len);
	hmap_init(&ld.anchors);
	if (!yaml_parser_initialize(&p))
		fatalx("%s: out of memory in the YAML parser", ld.doc->file);
	yaml_parser_set_input_string(&p, (const unsigned char *)ld.text, ld.len);
	while (!ld.done && !ld.failed) {
		if (!yaml_parser_parse(&p, &ev)) {
			syntax_error(&ld, &p);
			break;
		}
		on_event(&ld, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);

	/* Every node hangs off the root (or the graveyard), so this is all there is to free. */
	while (ld.depth > 0) {
		struct frame *f = &ld.st[--ld.depth];

		free(f->anchor);
		if (f->hashed)
			hmap_free(&f->keys);
	}
	free(ld.st);
	for (size_t i = 0; i < ld.nan; i++)
		free(ld.an[i].name);
	free(ld.an);
	hmap_free(&ld.anchors);
	for (size_t i = 0; i < ld.ngrave; i++)
		cfg_free(ld.grave[i]);
	free(ld.grave);
	if (ld.failed) {
		cfg_free(ld.doc->root);
		ld.doc->root = NULL;
	}
	return ld.doc;
}

struct cfg_doc *
cfg_load_yaml(const char *path)
{
	struct cfg_doc *doc;
	struct strbuf b = STRBUF_INIT;

	if (sb_read_file(&b, path, CFG_YAML_MAX_BYTES) < 0) {
		int e = errno;

		sb_free(&b);
		if (e == EFBIG) {
			doc = cfg_doc_new(path);
			cfg_doc_error(doc, 0, 0, "too large (more than %u MiB)", CFG_YAML_MAX_BYTES >> 20);
			return doc;
		}
		errno = e;
		goto unreadable;
	}
	doc = cfg_parse_yaml(path, sb_str(&b), b.len);
	sb_free(&b);
	return doc;
unreadable:
	doc = cfg_doc_new(path);
	cfg_doc_error(doc, 0, 0, "cannot read: %s", strerror(errno));
	return doc;
}
