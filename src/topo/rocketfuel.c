/*
 * rocketfuel.c: Rocketfuel's inferred link weights (weights.intra):
 *
 *     San+Jose,+CA4062 Anaheim,+CA4101 2.5
 *
 * one line per direction of a link: the router it leaves, the router it
 * reaches, the weight. Both directions make one link whose two interfaces
 * get their own cost, ten times the weight (the weights come in halves:
 * 2.5 -> 25), at most 65535. A direction given twice keeps its first
 * weight; a link given in one direction only has that cost both ways.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "import.h"

bool
import_rocketfuel(struct import *im, const char *text, size_t len)
{
	struct hmap links; /* (lower, higher node) -> edge index + 1 */
	const char *p = text, *end = text + len;
	bool ok = true, *seen_back = NULL; /* per link: its reverse direction was read */
	size_t nseen = 0, seencap = 0;
	uint64_t key;
	void *v;

	hmap_init(&links);
	for (int line = 1; p < end; line++) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		char buf[512], a[256], b[256], extra[2];
		size_t n = (size_t)((eol != NULL ? eol : end) - p);
		double w;
		int ia, ib, cost;

		if (n >= sizeof(buf)) {
			sb_printf(im->err, "%s:%d: line too long\n", im->file, line);
			ok = false;
			break;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		p = eol != NULL ? eol + 1 : end;
		if (strspn(buf, " \t\r") == n || buf[strspn(buf, " \t")] == '#')
			continue;
		if (sscanf(buf, "%255s %255s %lf %1s", a, b, &w, extra) != 3 || !(w > 0) ||
		    w > 6553.5) {
			sb_printf(im->err,
			    "%s:%d: expected 'ROUTER ROUTER WEIGHT' "
			    "(a weight above 0, up to 6553.5)\n",
			    im->file, line);
			ok = false;
			continue;
		}
		if (strcmp(a, b) == 0) {
			sb_printf(im->warn, "%s:%d: warning: link from '%s' to itself left out\n",
			    im->file, line, a);
			continue;
		}
		cost = (int)MAX(1, MIN(65535, lround(w * 10)));
		if ((ia = import_find(im, a)) < 0 && import_node(im, a, a, line))
			ia = (int)im->g->nn - 1;
		if ((ib = import_find(im, b)) < 0 && import_node(im, b, b, line))
			ib = (int)im->g->nn - 1;
		key = (uint64_t)MIN(ia, ib) << 32 | (uint64_t)MAX(ia, ib);
		if ((v = hmap_get(&links, key)) == NULL) {
			int e = tg_add_edge(im->g, ia, ib, cost, cost, line);

			hmap_put(&links, key, (void *)(uintptr_t)(e + 1));
			VEC_PUSH(seen_back, nseen, seencap, false);
		} else {
			size_t e = (uintptr_t)v - 1;

			/* The first line of the reverse direction sets the far end's cost. */
			if (im->g->e[e].a == ib && !seen_back[e]) {
				im->g->e[e].cost_ba = cost;
				seen_back[e] = true;
			}
		}
	}
	free(seen_back);
	hmap_free(&links);
	if (ok && im->g->nn == 0) {
		sb_printf(im->err, "%s: no links\n", im->file);
		ok = false;
	}
	return ok;
}
