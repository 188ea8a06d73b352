/*
 * graphml.c: GraphML maps (the Internet Topology Zoo's other format):
 *
 *     <key id="d1" for="node" attr.name="label" attr.type="string"/>
 *     <key id="d2" for="edge" attr.name="LinkSpeedRaw" attr.type="double"/>
 *     <graph edgedefault="undirected">
 *       <node id="0"><data key="d1">New York</data></node>
 *       <edge source="0" target="1"><data key="d2">1e10</data></edge>
 *
 * A small XML reader that knows elements, attributes, text, comments,
 * processing instructions and the DOCTYPE line: enough for GraphML, with
 * every element checked to close in order. Only node ids and labels and
 * edge ends and speeds are read.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "import.h"

#define XML_MAX_DEPTH 64
#define XML_MAX_ATTRS 16

struct xml {
	struct import *im;
	const char *p, *end;
	int line;
	char *stack[XML_MAX_DEPTH];
	int depth;
	/* the element being read */
	char *name;
	char *an[XML_MAX_ATTRS], *av[XML_MAX_ATTRS];
	int na;
	bool closing, empty;
};

static bool
xml_error(struct xml *x, const char *fmt, const char *a, const char *b)
{
	sb_printf(x->im->err, "%s:%d: ", x->im->file, x->line);
	sb_printf(x->im->err, fmt, a, b);
	sb_addc(x->im->err, '\n');
	return false;
}

static void
clear_tag(struct xml *x)
{
	free(x->name);
	x->name = NULL;
	for (int i = 0; i < x->na; i++) {
		free(x->an[i]);
		free(x->av[i]);
	}
	x->na = 0;
}

static const char *
attr(const struct xml *x, const char *name)
{
	for (int i = 0; i < x->na; i++)
		if (strcmp(x->an[i], name) == 0)
			return x->av[i];
	return NULL;
}

static void
advance(struct xml *x, const char *to)
{
	for (; x->p < to; x->p++)
		if (*x->p == '\n')
			x->line++;
}

static bool
name_ch(char c)
{
	return c != '\0' && strchr(" \t\r\n/>=<\"'", c) == NULL;
}

/*
 * The next tag, with the text before it in *text (decoded, caller frees).
 * Returns 1 for a tag, 0 at the end of the file, -1 on an error.
 */
static int
next_tag(struct xml *x, char **text)
{
	const char *lt, *q;

	clear_tag(x);
	*text = NULL;
	for (;;) {
		lt = memchr(x->p, '<', (size_t)(x->end - x->p));
		if (lt == NULL) {
			advance(x, x->end);
			return 0;
		}
		*text = xstrndup(x->p, (size_t)(lt - x->p));
		advance(x, lt);
		if (strncmp(x->p, "<!--", 4) == 0 || strncmp(x->p, "<?", 2) == 0 ||
		    strncmp(x->p, "<!", 2) == 0) {
			const char *close = x->p[1] == '?' ? "?>" : (x->p[2] == '-' ? "-->" : ">");

			q = memmem(x->p, (size_t)(x->end - x->p), close, strlen(close));
			if (q == NULL)
				return xml_error(x, "unterminated %s%s",
				           x->p[1] == '?' ? "<?" : "<!", ""),
				       -1;
			advance(x, q + strlen(close));
			free(*text);
			*text = NULL;
			continue;
		}
		break;
	}
	x->p++;
	x->closing = x->p < x->end && *x->p == '/';
	x->empty = false;
	if (x->closing)
		x->p++;
	for (q = x->p; q < x->end && name_ch(*q); q++)
		;
	if (q == x->p)
		return xml_error(x, "a '<' without an element name%s%s", "", ""), -1;
	x->name = xstrndup(x->p, (size_t)(q - x->p));
	advance(x, q);
	for (;;) {
		const char *n0;
		char quote;

		while (x->p < x->end && strchr(" \t\r\n", *x->p) != NULL)
			advance(x, x->p + 1);
		if (x->p >= x->end)
			return xml_error(x, "unterminated <%s%s", x->name, ""), -1;
		if (*x->p == '>') {
			x->p++;
			return 1;
		}
		if (x->p + 1 < x->end && x->p[0] == '/' && x->p[1] == '>') {
			x->p += 2;
			x->empty = true;
			return 1;
		}
		for (n0 = x->p; x->p < x->end && name_ch(*x->p); x->p++)
			;
		if (x->p == n0 || x->p + 1 >= x->end || *x->p != '=' ||
		    (x->p[1] != '"' && x->p[1] != '\''))
			return xml_error(x, "<%s>: expected name=\"value\"%s", x->name, ""), -1;
		quote = x->p[1];
		q = memchr(x->p + 2, quote, (size_t)(x->end - x->p - 2));
		if (q == NULL)
			return xml_error(x, "<%s>: unterminated attribute value%s", x->name, ""),
			    -1;
		if (x->na == XML_MAX_ATTRS)
			return xml_error(x, "<%s>: too many attributes%s", x->name, ""), -1;
		x->an[x->na] = xstrndup(n0, (size_t)(x->p - n0));
		x->av[x->na] = xstrndup(x->p + 2, (size_t)(q - x->p - 2));
		import_entities(x->av[x->na]);
		x->na++;
		advance(x, q + 1);
	}
}

/* What a <key> id stands for. */
enum keykind { K_OTHER, K_LABEL, K_SPEED };

bool
import_graphml(struct import *im, const char *text, size_t len)
{
	struct xml x;
	struct hmap keys; /* str_hash(key id) -> enum keykind + 1 (first id wins a collision) */
	char *txt = NULL, *cur_id = NULL, *cur_label = NULL, *src = NULL, *dst = NULL;
	enum keykind data = K_OTHER;
	double bps = 0;
	int rc, item_line = 0;
	bool ok = true, graph = false, in_data = false;

	memset(&x, 0, sizeof(x));
	x.im = im;
	x.p = text;
	x.end = text + len;
	x.line = 1;
	hmap_init(&keys);
	while ((rc = next_tag(&x, &txt)) == 1) {
		if (in_data && txt != NULL) {
			import_entities(txt);
			if (data == K_LABEL && cur_label == NULL)
				cur_label = xstrdup(txt);
			else if (data == K_SPEED)
				bps = strtod(txt, NULL);
		}
		free(txt);
		txt = NULL;
		if (x.closing) {
			if (x.depth == 0 || strcmp(x.stack[x.depth - 1], x.name) != 0) {
				ok = xml_error(&x, "</%s> does not close <%s>", x.name,
				    x.depth > 0 ? x.stack[x.depth - 1] : "(nothing)");
				break;
			}
			free(x.stack[--x.depth]);
		} else if (!x.empty) {
			if (x.depth == XML_MAX_DEPTH) {
				ok = xml_error(&x, "elements nested too deeply%s%s", "", "");
				break;
			}
			x.stack[x.depth++] = xstrdup(x.name);
		}
		if (strcmp(x.name, "data") == 0) {
			const char *k = attr(&x, "key");
			void *v = k != NULL ? hmap_get(&keys, str_hash(k)) : NULL;

			in_data = !x.closing && !x.empty;
			data = v != NULL ? (enum keykind)((uintptr_t)v - 1) : K_OTHER;
		} else if (strcmp(x.name, "key") == 0 && !x.closing) {
			const char *id = attr(&x, "id"), *an = attr(&x, "attr.name");
			enum keykind kind = K_OTHER;

			if (an != NULL && strcmp(an, "label") == 0)
				kind = K_LABEL;
			else if (an != NULL && strcmp(an, "LinkSpeedRaw") == 0)
				kind = K_SPEED;
			if (id != NULL && hmap_get(&keys, str_hash(id)) == NULL)
				hmap_put(&keys, str_hash(id), (void *)(uintptr_t)(kind + 1));
		} else if (strcmp(x.name, "graph") == 0 && !x.closing) {
			graph = true;
		} else if ((strcmp(x.name, "node") == 0 || strcmp(x.name, "edge") == 0) &&
		    !x.closing) {
			bool node = x.name[0] == 'n';
			const char *a = attr(&x, node ? "id" : "source"), *b = attr(&x, "target");

			if (a == NULL || (!node && b == NULL)) {
				ok = xml_error(&x, "<%s> without %s", x.name,
				    node ? "an id" : (a == NULL ? "a source" : "a target"));
				continue;
			}
			item_line = x.line;
			free(cur_label);
			cur_label = NULL;
			bps = 0;
			if (node) {
				free(cur_id);
				cur_id = xstrdup(a);
			} else {
				free(src);
				free(dst);
				src = xstrdup(a);
				dst = xstrdup(b);
			}
		}
		/* A node or edge is complete at its end (its data elements are inside it). */
		if (strcmp(x.name, "node") == 0 && (x.closing || x.empty) && cur_id != NULL) {
			ok &= import_node(im, cur_id, cur_label, item_line);
			free(cur_id);
			cur_id = NULL;
		} else if (strcmp(x.name, "edge") == 0 && (x.closing || x.empty) && src != NULL) {
			import_edge(im, src, dst, bps, item_line);
			free(src);
			free(dst);
			src = dst = NULL;
		}
	}
	if (rc < 0)
		ok = false;
	else if (ok && x.depth > 0)
		ok = xml_error(&x, "unexpected end of file: <%s> is not closed%s",
		    x.stack[x.depth - 1], "");
	else if (ok && !graph) {
		sb_printf(im->err, "%s: not a GraphML graph (no <graph>)\n", im->file);
		ok = false;
	}
	free(txt);
	free(cur_id);
	free(cur_label);
	free(src);
	free(dst);
	clear_tag(&x);
	while (x.depth > 0)
		free(x.stack[--x.depth]);
	hmap_free(&keys);
	return ok && import_finish(im);
}
