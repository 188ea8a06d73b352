/* tlsvg.c: the convergence timeline of a run as an SVG (see tlsvg.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/simtime.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../sim/dist.h"
#include "tlsvg.h"

/* A kind of mark beside the event kinds: a script command. */
enum { MARK_SCRIPT = EV_KIND_COUNT };

struct tlsvg_mark {
	sim_time t;
	uint32_t node; /* UINT32_MAX: network-wide */
	int kind;
	bool good;     /* an adjacency that came up (green), else one that went down */
	char *text;
};

/* Picture geometry, in pixels. */
enum { LEFT = 130, PLOT_W = 840, RIGHT = 30, TOP = 50, ROW_H = 16, AXIS_H = 46 };

static void
add_mark(struct tlsvg *v, sim_time t, uint32_t node, int kind, bool good, const char *text)
{
	if (v->nmarks >= TLSVG_MAX_MARKS) {
		v->dropped++;
		return;
	}
	VEC_PUSH(v->marks, v->nmarks, v->markcap,
	    ((struct tlsvg_mark){t, node, kind, good, xstrdup(text)}));
}

static void
on_event(struct network *net, const struct net_ev *e, void *arg)
{
	struct tlsvg *v = arg;
	struct strbuf b = STRBUF_INIT;
	bool good = e->kind == EV_SESSION_UP || (e->kind == EV_ADJ_CHANGE && e->text2 != NULL &&
	    (strstr(e->text2, "Full") != NULL || strstr(e->text2, "Up") != NULL));

	ev_format(net, e, &b);
	add_mark(v, e->t, e->node, (int)e->kind, good, sb_str(&b));
	sb_free(&b);
}

void
tlsvg_init(struct tlsvg *v, struct network *net)
{
	memset(v, 0, sizeof(*v));
	v->net = net;
	v->nnodes = net->nnodes;
	v->width = SIM_MS;
	v->counts = xcalloc((size_t)TLSVG_BUCKETS * (v->nnodes + 1), sizeof(*v->counts));
	v->seen = xcalloc(v->nnodes + 1, sizeof(*v->seen));
	for (size_t i = 0; i < v->nnodes; i++)
		v->seen[i] = net->nodes[i]->actor.events;
	/* Route changes are counted as activity already; a mark each would hide the rest. */
	v->sub = ev_subscribe(net, ~(1u << EV_ROUTE_CHANGE | 1u << EV_BESTPATH_CHANGE), on_event, v);
}

/* Merge neighbouring buckets: twice as wide, half as many. */
static void
widen(struct tlsvg *v)
{
	size_t n = v->nnodes;

	for (size_t b = 0; b < TLSVG_BUCKETS / 2; b++)
		for (size_t i = 0; i < n; i++)
			v->counts[b * n + i] = v->counts[2 * b * n + i] + v->counts[(2 * b + 1) * n + i];
	memset(v->counts + (TLSVG_BUCKETS / 2) * n, 0, (TLSVG_BUCKETS / 2) * n * sizeof(*v->counts));
	v->width *= 2;
}

void
tlsvg_step(struct tlsvg *v)
{
	struct sim *s = &v->net->sim;
	size_t b;

	if (s->last_global || s->ndue == 0)
		return;
	while ((size_t)(s->now / v->width) >= TLSVG_BUCKETS)
		widen(v);
	b = (size_t)(s->now / v->width);
	for (size_t k = 0; k < s->ndue; k++) {
		struct node *n = container_of(s->due[k], struct node, actor);
		uint64_t d;

		if (n->id >= v->nnodes)
			continue;
		d = n->actor.events - v->seen[n->id];
		v->seen[n->id] = n->actor.events;
		v->counts[b * v->nnodes + n->id] += (uint32_t)MIN(d, UINT32_MAX / 2);
	}
}

void
tlsvg_note(struct tlsvg *v, sim_time t, const struct node *n, const char *text)
{
	add_mark(v, t, n ? n->id : UINT32_MAX, MARK_SCRIPT, false, text);
}

/* Text for XML: the five characters that need it escaped. */
static void
xml(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sb_add(b, "&amp;"); break;
		case '<': sb_add(b, "&lt;"); break;
		case '>': sb_add(b, "&gt;"); break;
		case '"': sb_add(b, "&quot;"); break;
		case '\'': sb_add(b, "&apos;"); break;
		default: sb_addc(b, *s);
		}
	}
}

static const char *
mark_color(const struct tlsvg_mark *m)
{
	switch (m->kind) {
	case EV_ADJ_CHANGE:
	case EV_SESSION_UP:
	case EV_SESSION_DOWN: return m->good ? "#2e7d32" : "#ef6c00";
	case EV_LINK_DOWN: case EV_IFACE_DOWN: case EV_NODE_DOWN: return "#c62828";
	case EV_LINK_UP: case EV_IFACE_UP: case EV_NODE_UP: return "#2e7d32";
	case EV_CHAOS: return "#6a1b9a";
	case EV_CONVERGED: return "#1565c0";
	case MARK_SCRIPT: return "#212121";
	default: return "#757575";
	}
}

/* A round step for about eight ticks over span: 1, 2 or 5 times a power of ten. */
static sim_time
tick_step(sim_time span)
{
	sim_time step = 1;

	for (;;) {
		if (span / step <= 8)
			return step;
		if (span / (step * 2) <= 8)
			return step * 2;
		if (span / (step * 5) <= 8)
			return step * 5;
		step *= 10;
	}
}

static void
draw(struct tlsvg *v, struct strbuf *o)
{
	struct network *net = v->net;
	size_t rows = MIN(v->nnodes, (size_t)TLSVG_MAX_ROWS), n = v->nnodes;
	sim_time end = net->sim.now > SIM_MS ? net->sim.now : SIM_MS;
	size_t nb = MIN((size_t)(end / v->width) + 1, (size_t)TLSVG_BUCKETS);
	int height = TOP + (int)rows * ROW_H + AXIS_H;
	double scale = (double)PLOT_W / (double)end, bw = (double)v->width * scale, lmax;
	uint32_t max = 0;

#define X(t) (LEFT + (double)(t) * scale)
	for (size_t i = 0; i < nb * n; i++)
		max = MAX(max, v->counts[i]);
	lmax = log1p((double)max);
	sb_printf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
	    LEFT + PLOT_W + RIGHT, height, LEFT + PLOT_W + RIGHT, height);
	sb_printf(o, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n<text x=\"%d\" "
	    "y=\"18\" font-size=\"14\" font-weight=\"bold\">", LEFT);
	xml(o, net->name);
	sb_printf(o, ": %zu devices, %s simulated", n, sim_time_str(net->sim.now));
	if (net->converge_count)
		sb_printf(o, ", converged at %s", sim_time_str(net->converged_at));
	else
		sb_add(o, ", not converged");
	sb_printf(o, "</text>\n<text x=\"%d\" y=\"34\" fill=\"#555\">rows: devices, shaded by "
	    "their engine events per %s (darker: busier); marks: adjacency up (green) or down "
	    "(orange), down (red), chaos (purple), script (black); dashed: converged</text>\n",
	    LEFT, sim_time_str(v->width));
	/* Rows: the label, the activity strip. */
	for (size_t i = 0; i < rows; i++) {
		int y = TOP + (int)i * ROW_H;

		if (i % 2)
			sb_printf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f5f5f5\"/>\n",
			    LEFT, y, PLOT_W, ROW_H);
		sb_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LEFT - 6, y + ROW_H - 4);
		xml(o, net->nodes[i]->name);
		sb_printf(o, "</text>\n<g fill=\"#1e88e5\">\n");
		for (size_t b = 0; b < nb; b++) {
			uint32_t c = v->counts[b * n + i];

			if (c == 0)
				continue;
			sb_printf(o, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" "
			    "fill-opacity=\"%.2f\"><title>%s: %u events from %s</title></rect>\n",
			    X((sim_time)b * v->width), y + 2, MAX(bw, 1.0), ROW_H - 4,
			    lmax > 0 ? 0.15 + 0.85 * log1p((double)c) / lmax : 1.0,
			    net->nodes[i]->name, c, sim_time_str((sim_time)b * v->width));
		}
		sb_add(o, "</g>\n");
	}
	if (rows < n)
		sb_printf(o, "<text x=\"%d\" y=\"%d\" fill=\"#555\">... and %zu more devices "
		    "(not drawn)</text>\n", LEFT, TOP + (int)rows * ROW_H + 12, n - rows);
	/* Marks: network-wide ones across every row, a device's on its row. */
	for (size_t k = 0; k < v->nmarks; k++) {
		const struct tlsvg_mark *m = &v->marks[k];
		double x = X(m->t);

		if (m->node == UINT32_MAX) {
			if (m->kind == EV_LOG)
				continue; /* "Network initialized": the axis says where time starts */
			sb_printf(o, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"%s\" "
			    "stroke-width=\"1.5\"%s><title>[t=%s] ", x, TOP - 4, x,
			    TOP + (int)rows * ROW_H, mark_color(m),
			    m->kind == EV_CONVERGED ? " stroke-dasharray=\"5,3\"" : "", sim_time_str(m->t));
			xml(o, m->text);
			sb_add(o, "</title></line>\n");
			continue;
		}
		if (m->node >= rows)
			continue;
		sb_printf(o, "<circle cx=\"%.2f\" cy=\"%d\" r=\"3.5\" fill=\"%s\"><title>[t=%s] ", x,
		    TOP + (int)m->node * ROW_H + ROW_H / 2, mark_color(m), sim_time_str(m->t));
		xml(o, m->text);
		sb_add(o, "</title></circle>\n");
	}
	if (v->dropped)
		sb_printf(o, "<text x=\"%d\" y=\"%d\" fill=\"#c62828\">%zu more events not drawn</text>\n",
		    LEFT + PLOT_W / 2, height - 4, v->dropped);
	/* The time axis. */
	{
		int y = TOP + (int)rows * ROW_H;
		sim_time step = tick_step(end);

		sb_printf(o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", LEFT, y,
		    LEFT + PLOT_W, y);
		for (sim_time t = 0; t <= end; t += step)
			sb_printf(o, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"#333\"/>"
			    "<text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", X(t), y, X(t),
			    y + 4, X(t), y + 16, sim_time_str(t));
		sb_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">simulated "
		    "time</text>\n", LEFT + PLOT_W / 2, y + 34);
	}
	sb_add(o, "</svg>\n");
#undef X
}

/*
 * Under mpirun (docs/distributed.md): every rank counted its own devices'
 * work (a ghost never runs), in buckets as wide as its own devices' latest
 * step asked for, and kept every mark (events are dispatched on every rank).
 * The widest of the ranks' buckets is one process's (its devices' steps are
 * the union of the ranks', at the same times), and merging pairs of buckets
 * gives what counting in the wider ones from the start would have: each
 * rank widens to it, then the counts are summed, a device's being nonzero on
 * its own rank only.
 */
static void
gather(struct tlsvg *v)
{
	size_t n = (size_t)TLSVG_BUCKETS * v->nnodes;
	int64_t width = v->width;
	uint64_t *sum;

	dist_reduce(DIST_MAX_I64, &width, 1);
	while (v->width < (sim_time)width)
		widen(v);
	sum = xcalloc(n + 1, sizeof(*sum));
	for (size_t i = 0; i < n; i++)
		sum[i] = v->counts[i];
	dist_reduce(DIST_SUM_U64, sum, n);
	for (size_t i = 0; i < n; i++)
		v->counts[i] = (uint32_t)MIN(sum[i], UINT32_MAX);
	free(sum);
}

int
tlsvg_write(struct tlsvg *v, const char *path, struct strbuf *err)
{
	struct strbuf o = STRBUF_INIT;
	FILE *f;
	int rc = 0;

	if (dist_on()) {
		gather(v);
		if (dist_rank != 0) /* rank 0 writes the file; every rank returns what it did */
			return dist_bcast_int(0, 0);
	}
	draw(v, &o);
	if ((f = fopen(path, "w")) == NULL || fwrite(o.s, 1, o.len, f) != o.len) {
		sb_printf(err, "--timeline-svg %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	if (f != NULL && fclose(f) != 0 && rc == 0) {
		sb_printf(err, "--timeline-svg %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	sb_free(&o);
	return dist_on() ? dist_bcast_int(rc, 0) : rc;
}

void
tlsvg_free(struct tlsvg *v)
{
	if (v->net == NULL)
		return;
	ev_unsubscribe(v->net, v->sub);
	for (size_t i = 0; i < v->nmarks; i++)
		free(v->marks[i].text);
	free(v->marks);
	free(v->counts);
	free(v->seen);
	memset(v, 0, sizeof(*v));
}
