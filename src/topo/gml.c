/*
 * gml.c: GML (Graph Modelling Language) maps, as the Internet Topology Zoo
 * publishes them:
 *
 *     graph [ node [ id 0 label "New York" ... ] edge [ source 0 target 1
 *             LinkSpeedRaw 10000000000.0 ... ] ]
 *
 * A file is key-value pairs; a value is a number, a "string" (no escapes:
 * '&amp;' and friends, decoded) or a [ list ] of pairs. netsim reads a
 * node's id and label and a link's source, target and LinkSpeedRaw (bits
 * per second, its cost); everything else is skipped. '#' starts a comment.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "import.h"

#define GML_MAX_DEPTH 64

enum tok { T_EOF, T_KEY, T_NUM, T_STR, T_OPEN, T_CLOSE, T_ERR };

struct lex {
	struct import *im;
	const char *p, *end;
	int line;     /* of the current position */
	int tokline;  /* of the last token */
	char *text;   /* the last key, number or string */
	size_t cap;
};

static bool
lex_error(struct lex *lx, const char *msg, const char *what)
{
	sb_printf(lx->im->err, "%s:%d: %s%s%s\n", lx->im->file, lx->tokline, msg,
	    what != NULL ? " " : "", what != NULL ? what : "");
	return false;
}

static void
settext(struct lex *lx, const char *s, size_t n)
{
	grow_array((void **)&lx->text, &lx->cap, n + 1, 1);
	memcpy(lx->text, s, n);
	lx->text[n] = '\0';
}

static enum tok
next(struct lex *lx)
{
	const char *s;

	for (;;) {
		while (lx->p < lx->end && isspace((unsigned char)*lx->p))
			if (*lx->p++ == '\n')
				lx->line++;
		if (lx->p < lx->end && *lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		}
		break;
	}
	lx->tokline = lx->line;
	if (lx->p >= lx->end)
		return T_EOF;
	s = lx->p;
	if (*s == '[' || *s == ']') {
		lx->p++;
		return *s == '[' ? T_OPEN : T_CLOSE;
	}
	if (*s == '"') {
		for (lx->p++; lx->p < lx->end && *lx->p != '"'; lx->p++)
			if (*lx->p == '\n')
				lx->line++;
		if (lx->p >= lx->end) {
			lex_error(lx, "unterminated string", NULL);
			return T_ERR;
		}
		settext(lx, s + 1, (size_t)(lx->p - s - 1));
		lx->p++;
		import_entities(lx->text);
		return T_STR;
	}
	if (isalpha((unsigned char)*s) || *s == '_') {
		while (lx->p < lx->end && (isalnum((unsigned char)*lx->p) || *lx->p == '_'))
			lx->p++;
		settext(lx, s, (size_t)(lx->p - s));
		return T_KEY;
	}
	if (isdigit((unsigned char)*s) || *s == '-' || *s == '+' || *s == '.') {
		while (lx->p < lx->end && (isalnum((unsigned char)*lx->p) || *lx->p == '.' ||
					      *lx->p == '-' || *lx->p == '+'))
			lx->p++;
		settext(lx, s, (size_t)(lx->p - s));
		if (strtod(lx->text, NULL) == 0 && strspn(lx->text, "+-.0eE") != strlen(lx->text)) {
			lex_error(lx, "not a number:", lx->text);
			return T_ERR;
		}
		return T_NUM;
	}
	{
		char c[2] = {*s, '\0'};

		lex_error(lx, "unexpected character", isprint((unsigned char)*s) ? c : "(binary)");
	}
	return T_ERR;
}

/* Skip a value whose first token is t (a list to its closing bracket). */
static bool
skip_value(struct lex *lx, enum tok t)
{
	int depth = 0;

	for (;;) {
		switch (t) {
		case T_NUM:
		case T_STR:
		case T_KEY:
			if (depth == 0)
				return true;
			break;
		case T_OPEN:
			if (++depth > GML_MAX_DEPTH)
				return lex_error(lx, "lists nested too deeply", NULL);
			break;
		case T_CLOSE:
			if (depth == 0)
				return lex_error(lx, "']' without a value before it", NULL);
			if (--depth == 0)
				return true;
			break;
		case T_EOF:
			return lex_error(lx, "unexpected end of file: a '[' is not closed", NULL);
		case T_ERR:
			return false;
		}
		t = next(lx);
	}
}

/* A node [...] or edge [...] list: its keys of interest, the rest skipped. */
struct item {
	char *id, *label, *source, *target;
	double bps;
};

static void
item_free(struct item *it)
{
	free(it->id);
	free(it->label);
	free(it->source);
	free(it->target);
}

static bool
read_item(struct lex *lx, struct item *it)
{
	enum tok t;

	memset(it, 0, sizeof(*it));
	while ((t = next(lx)) == T_KEY) {
		char **slot = NULL;
		bool speed = strcmp(lx->text, "LinkSpeedRaw") == 0;

		if (strcmp(lx->text, "id") == 0)
			slot = &it->id;
		else if (strcmp(lx->text, "label") == 0)
			slot = &it->label;
		else if (strcmp(lx->text, "source") == 0)
			slot = &it->source;
		else if (strcmp(lx->text, "target") == 0)
			slot = &it->target;
		t = next(lx);
		if ((slot != NULL || speed) && (t == T_NUM || t == T_STR)) {
			if (speed)
				it->bps = strtod(lx->text, NULL);
			else if (*slot == NULL)
				*slot = xstrdup(lx->text);
		} else if (t == T_KEY || t == T_CLOSE || t == T_EOF) {
			return lex_error(lx, "a key without a value before",
			    t == T_EOF ? "the end" : lx->text);
		} else if (!skip_value(lx, t)) {
			return false;
		}
	}
	if (t == T_CLOSE)
		return true;
	if (t == T_EOF)
		return lex_error(lx, "unexpected end of file: a '[' is not closed", NULL);
	if (t != T_ERR)
		lex_error(lx, "expected a key or ']', found", lx->text);
	return false;
}

static bool
read_graph(struct lex *lx)
{
	enum tok t;
	bool ok = true;

	while ((t = next(lx)) == T_KEY) {
		bool node = strcmp(lx->text, "node") == 0, edge = strcmp(lx->text, "edge") == 0;
		int line = lx->tokline;
		struct item it;

		t = next(lx);
		if (!(node || edge) || t != T_OPEN) {
			if ((node || edge) && t != T_ERR)
				return lex_error(lx, node ? "node:" : "edge:", "expected '['");
			if (t == T_CLOSE || t == T_EOF || t == T_KEY)
				return lex_error(lx, "a key without a value", NULL);
			if (!skip_value(lx, t))
				return false;
			continue;
		}
		if (!read_item(lx, &it)) {
			item_free(&it);
			return false;
		}
		if (node && it.id == NULL) {
			sb_printf(lx->im->err, "%s:%d: node without an id\n", lx->im->file, line);
			ok = false;
		} else if (node) {
			ok &= import_node(lx->im, it.id, it.label, line);
		} else if (it.source == NULL || it.target == NULL) {
			sb_printf(lx->im->err, "%s:%d: edge without a %s\n", lx->im->file, line,
			    it.source == NULL ? "source" : "target");
			ok = false;
		} else {
			import_edge(lx->im, it.source, it.target, it.bps, line);
		}
		item_free(&it);
	}
	if (t == T_CLOSE)
		return ok;
	if (t == T_EOF)
		return lex_error(lx, "unexpected end of file: graph [ is not closed", NULL);
	if (t != T_ERR)
		lex_error(lx, "expected a key or ']'", NULL);
	return false;
}

bool
import_gml(struct import *im, const char *text, size_t len)
{
	struct lex lx = {im, text, text + len, 1, 1, NULL, 0};
	enum tok t;
	bool ok = false, graph = false;

	while ((t = next(&lx)) == T_KEY) {
		bool is_graph = strcmp(lx.text, "graph") == 0;

		t = next(&lx);
		if (is_graph && t == T_OPEN && !graph) {
			graph = true;
			if (!read_graph(&lx))
				goto out;
		} else if (is_graph) {
			lex_error(&lx, graph ? "a second graph" : "graph: expected '['", NULL);
			goto out;
		} else if (t == T_KEY || t == T_CLOSE || t == T_EOF) {
			lex_error(&lx, "a key without a value", NULL);
			goto out;
		} else if (!skip_value(&lx, t)) {
			goto out;
		}
	}
	if (t == T_ERR)
		goto out;
	if (t != T_EOF) {
		lex_error(&lx, "expected a key", NULL);
		goto out;
	}
	if (!graph) {
		sb_printf(im->err, "%s: not a GML graph (no 'graph [ ... ]')\n", im->file);
		goto out;
	}
	ok = import_finish(im);
out:
	free(lx.text);
	return ok;
}
