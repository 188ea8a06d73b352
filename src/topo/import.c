/*
 * import.c: what the map readers share (import.h): nodes kept under the
 * file's ids, links resolved once the whole file is read (a file may name a
 * node before defining it), links from a node to itself left out with a
 * warning, and nodes without links found.
 */
#include "import.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"

void
import_init(struct import *im, struct tgraph *g, const char *file, struct strbuf *err,
    struct strbuf *warn)
{
	memset(im, 0, sizeof(*im));
	im->g = g;
	im->file = file;
	im->err = err;
	im->warn = warn;
	hmap_init(&im->ids);
}

void
import_free(struct import *im)
{
	for (size_t i = 0; i < im->g->nn; i++)
		free(im->id[i]);
	for (size_t i = 0; i < im->nedges; i++) {
		free(im->edges[i].a);
		free(im->edges[i].b);
	}
	free(im->id);
	free(im->edges);
	hmap_free(&im->ids);
}

static const char *
id_of(const void *im, int i)
{
	return ((const struct import *)im)->id[i];
}

/* The node with the file's id, or -1; *slot is where a new one would go. */
static int
find_id(const struct import *im, const char *id, uint64_t *slot)
{
	return hmap_str_find(&im->ids, id, id_of, im, slot);
}

int
import_find(const struct import *im, const char *id)
{
	uint64_t slot;

	return find_id(im, id, &slot);
}

bool
import_node(struct import *im, const char *id, const char *label, int line)
{
	uint64_t slot;
	int idx, prev;

	if ((prev = find_id(im, id, &slot)) >= 0) {
		sb_printf(im->err, "%s:%d: node id '%s' is used twice (first at line %d)\n",
		    im->file, line, id, im->g->n[prev].line);
		return false;
	}
	idx = tg_add_node(im->g, label != NULL && *label != '\0' ? label : id, line);
	grow_array((void **)&im->id, &im->idcap, (size_t)idx + 1, sizeof(*im->id));
	im->id[idx] = xstrdup(id);
	hmap_put(&im->ids, slot, (void *)(uintptr_t)(idx + 1));
	return true;
}

void
import_edge(struct import *im, const char *a, const char *b, double bps, int line)
{
	struct imp_edge e = {xstrdup(a), xstrdup(b), bps, line};

	VEC_PUSH(im->edges, im->nedges, im->ecap, e);
}

/* A link's cost from its speed: the reference bandwidth over it, 1 to 65535. */
static int
speed_cost(double bps)
{
	double c;

	if (!(bps > 0))
		return 0;
	c = floor(IMPORT_REF_BPS / bps + 0.5);
	return c < 1 ? 1 : (c > 65535 ? 65535 : (int)c);
}

bool
import_finish(struct import *im)
{
	bool ok = true;
	uint64_t slot;

	for (size_t i = 0; i < im->nedges; i++) {
		struct imp_edge *e = &im->edges[i];
		int a = find_id(im, e->a, &slot), b = find_id(im, e->b, &slot);
		int cost = speed_cost(e->bps);

		if (a < 0 || b < 0) {
			sb_printf(im->err,
			    "%s:%d: link to node '%s', which the file does not define\n",
			    im->file, e->line, a < 0 ? e->a : e->b);
			ok = false;
		} else if (a == b) {
			sb_printf(im->warn, "%s:%d: warning: link from '%s' to itself left out\n",
			    im->file, e->line, im->g->n[a].name);
		} else {
			tg_add_edge(im->g, a, b, cost, cost, e->line);
		}
	}
	if (ok && im->g->nn == 0) {
		sb_printf(im->err, "%s: no nodes\n", im->file);
		ok = false;
	}
	return ok;
}

bool
import_isolated(struct import *im, bool drop)
{
	struct tgraph *g = im->g;
	size_t *deg = xcalloc(g->nn + 1, sizeof(size_t)), nisolated = 0;
	int *map = xmalloc((g->nn + 1) * sizeof(int));

	for (size_t i = 0; i < g->ne; i++) {
		deg[g->e[i].a]++;
		deg[g->e[i].b]++;
	}
	for (size_t v = 0; v < g->nn; v++) {
		if (deg[v] > 0)
			continue;
		if (!drop)
			sb_printf(im->err,
			    "%s:%d: node '%s' has no links "
			    "(--drop-isolated leaves such nodes out)\n",
			    im->file, g->n[v].line, g->n[v].name);
		nisolated++;
	}
	if (nisolated == 0 || !drop) {
		free(deg);
		free(map);
		return nisolated == 0;
	}
	/* The file's ids are no longer needed: only the names go on. */
	for (size_t v = 0; v < g->nn; v++) {
		free(im->id[v]);
		im->id[v] = NULL;
	}
	hmap_free(&im->ids);
	hmap_init(&im->ids);
	for (size_t v = 0; v < g->nn; v++)
		map[v] = deg[v] > 0;
	tg_keep_nodes(g, map);
	sb_printf(im->warn, "%s: %zu node%s without links left out\n", im->file, nisolated,
	    nisolated == 1 ? "" : "s");
	free(deg);
	free(map);
	return true;
}

void
import_entities(char *s)
{
	static const struct {
		const char *name;
		char c;
	} ent[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
	char *w = s;

	for (const char *r = s; *r != '\0';) {
		size_t i;

		if (*r != '&') {
			*w++ = *r++;
			continue;
		}
		for (i = 0; i < ARRAY_LEN(ent); i++)
			if (strncmp(r + 1, ent[i].name, strlen(ent[i].name)) == 0)
				break;
		if (i < ARRAY_LEN(ent)) {
			*w++ = ent[i].c;
			r += 1 + strlen(ent[i].name);
		} else if (r[1] == '#' && strchr(r, ';') != NULL) {
			/* A character reference: outside ASCII, '_' (as in a name anyway). */
			long c = r[2] == 'x' ? strtol(r + 3, NULL, 16) : strtol(r + 2, NULL, 10);

			*w++ = c > 0 && c < 128 ? (char)c : '_';
			r = strchr(r, ';') + 1;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}
