/*
 * dist_net.c: the network over several ranks (see dist_net.h and
 * docs/distributed.md).
 *
 * Frames. A tick's messages are delivered on the rank of their sender (the
 * sender's generator draws the loss, its link's counters count), in the
 * engine's order. A receiver on another rank gets the frame as bytes; a
 * receiver here has its arrival held back. When every rank has delivered,
 * the bytes are exchanged, and each rank sets all its held and received
 * arrivals in the order one process would have set them: by the message's
 * (send time, sender, sender's sequence), then by the receiver's place in
 * the message (a frame on a shared segment reaches its ends in order). So a
 * receiver's timers get the same sequence numbers as in a single-process
 * run, and ties at one instant break the same way.
 *
 * Pcaps (--pcap). Each link's file is written by one rank, its first end's
 * (dist_link_owner): the records its frames leave at delivery on other
 * ranks come to it in the exchange with the same keys, and it writes each
 * tick's records in their order, as one process writes them at the merge.
 *
 * Events. The nodes' queued events are gathered from every rank to every
 * rank, so the timeline, `at: EVENT` entries and convergence (the global
 * context) run the same everywhere; rank 0's is the one printed.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../sim/dist.h"
#include "../sim/partition.h"
#include "dist_net.h"
#include "events.h"
#include "net.h"
#include "pcap.h"
#include "pkt.h"

/* Where a frame's arrival stands in the single-process order. */
struct fkey {
	sim_time sent;
	uint64_t seq;
	uint32_t src;
	uint32_t k; /* the receiver's place among the frame's receivers */
};

/* A frame on the wire between ranks, followed by its bytes. */
struct fwire {
	struct fkey key;
	sim_time when;
	uint32_t node, len;
	uint16_t ifindex;
	uint8_t cls;
	bool traced; /* a struct pkt_trace follows the bytes (ping's round-trip path) */
};

struct held {
	struct fkey key;
	sim_time when;
	struct timer *t;
};

/* A pcap record for the rank that writes its link's file, followed by its bytes. */
struct pwire {
	struct fkey key; /* k: the record's place among its frame's records */
	sim_time t;
	uint32_t link, len;
};

struct prec {
	struct pwire w;
	char *data;
};

/* What follows in an exchange: a frame for a receiver, or a pcap record. */
enum { TAG_FRAME = 'F', TAG_PCAP = 'P' };

static struct {
	struct network *net;
	struct fkey cur;        /* the frame being delivered */
	struct strbuf *out;     /* per rank: the frames for it */
	struct strbuf in;
	struct held *held;
	size_t nheld, heldcap;
	bool capture;           /* --pcap: records go to the rank of their link */
	bool startup;           /* every rank runs every device's start (dist_replicated) */
	uint64_t startup_changes; /* the route changes of start-up, counted by every rank */
	uint32_t pk;            /* the frame being delivered: its records so far */
	struct prec *recs;      /* the tick's records for this rank's links */
	size_t nrecs, reccap;
	const char **protos;    /* event protocol names, interned (events keep static strings) */
	size_t nprotos, protocap;
	bool incmd;             /* a command run on every rank (dist_command_begin) */
	int alone;              /* a device's rank runs something alone (dist_alone_begin) */
	uint32_t ncmd;          /* the commands since the last exchange, this one too */
	uint64_t point, sub;    /* its replicated points so far, the events since the last */
	struct net_ev *cmdev;   /* its events, seq: their place in it */
	size_t ncmdev, cmdevcap;
} dn;

static int
owner_of(const struct node *n)
{
	return n->rank;
}

int
dist_net_owner(const struct network *net, uint32_t node)
{
	return node < net->nnodes ? owner_of(net->nodes[node]) : 0;
}

static int
key_cmp(const struct fkey *a, const struct fkey *b)
{
	if (a->sent != b->sent)
		return a->sent < b->sent ? -1 : 1;
	if (a->src != b->src)
		return a->src < b->src ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return (a->k > b->k) - (a->k < b->k);
}

static int
held_cmp(const void *x, const void *y)
{
	return key_cmp(&((const struct held *)x)->key, &((const struct held *)y)->key);
}

static uint64_t cmd_place(void);

void
dist_frame_begin(const struct msg *m)
{
	dn.cur = (struct fkey){.sent = m->sent, .seq = m->seq, .src = m->src, .k = 0};
	/*
	 * A command's frames (sent from global context, by several devices on
	 * several ranks) go in the order one process sends them in: the
	 * command's, as its events (dist_command_keep), after those of the
	 * commands before it at the same instant (they cross together at the
	 * next exchange; no tick's frames cross with them).
	 */
	if (dn.incmd)
		dn.cur = (struct fkey){.sent = m->sent, .seq = cmd_place(), .src = dn.ncmd, .k = 0};
	dn.pk = 0;
}

struct network *
dist_net_network(void)
{
	return dn.net;
}

bool
dist_replicated(void)
{
	return dn.startup;
}

void
dist_alone_begin(void)
{
	dn.alone++;
}

void
dist_alone_end(void)
{
	dn.alone--;
}

bool
dist_alone(void)
{
	return dn.alone > 0;
}

void
dist_started(void)
{
	dn.startup = false;
	dn.startup_changes = dn.net->rib_changes;
	dn.net->sim.owned_sends = true;
}

uint64_t
dist_startup_changes(void)
{
	return dn.startup_changes;
}

int
dist_link_owner(const struct link *l)
{
	return owner_of(l->ends[0]->node);
}

void
dist_capture_start(void)
{
	dn.capture = true;
}

static void
keep_record(const struct pwire *w, const char *data)
{
	struct prec r = {.w = *w, .data = xmalloc(w->len + 1)};

	memcpy(r.data, data, w->len);
	VEC_PUSH(dn.recs, dn.nrecs, dn.reccap, r);
}

void
dist_capture(const struct link *l, sim_time t, const struct pkt *p)
{
	struct pwire w = {.key = dn.cur, .t = t, .link = l->id, .len = p->len};
	int r = dist_link_owner(l);

	if (!dn.capture)
		return;
	w.key.k = dn.pk++;
	if (r == dist_rank) {
		keep_record(&w, (const char *)p->data);
		return;
	}
	sb_addc(&dn.out[r], TAG_PCAP);
	sb_addn(&dn.out[r], (const char *)&w, sizeof(w));
	sb_addn(&dn.out[r], (const char *)p->data, p->len);
}

static int
rec_cmp(const void *x, const void *y)
{
	return key_cmp(&((const struct prec *)x)->w.key, &((const struct prec *)y)->w.key);
}

/* The tick's records of this rank's links, in the order one process writes them. */
static void
write_records(struct network *net)
{
	if (dn.nrecs > 1)
		qsort(dn.recs, dn.nrecs, sizeof(*dn.recs), rec_cmp);
	for (size_t i = 0; i < dn.nrecs; i++) {
		struct link *l = net->links[dn.recs[i].w.link];

		if (l->pcap)
			pcap_write(l->pcap, dn.recs[i].w.t, (const uint8_t *)dn.recs[i].data,
			    dn.recs[i].w.len);
		free(dn.recs[i].data);
	}
	dn.nrecs = 0;
}

void
dist_frame_ship(const struct iface *to, const struct pkt *p, sim_time when)
{
	struct fwire w = {.key = dn.cur, .when = when, .node = to->node->id, .len = p->len,
	    .ifindex = to->idx, .cls = p->cls, .traced = p->trace != NULL};
	struct strbuf *b = &dn.out[owner_of(to->node)];

	dn.cur.k++;
	sb_addc(b, TAG_FRAME);
	sb_addn(b, (const char *)&w, sizeof(w));
	sb_addn(b, (const char *)p->data, p->len);
	if (p->trace != NULL)
		sb_addn(b, (const char *)p->trace, sizeof(*p->trace));
}

void
dist_frame_defer(struct timer *t, sim_time when)
{
	struct held h = {.key = dn.cur, .when = when, .t = t};

	dn.cur.k++;
	VEC_PUSH(dn.held, dn.nheld, dn.heldcap, h);
}

/* The end of every tick, on every rank: swap the frames, then set the arrivals in order. */
static void
exchange(struct sim *s, void *arg)
{
	struct network *net = arg;
	int64_t clock = s->now;

	/* The clock global context resumes at: the tick's latest event over the ranks. */
	dist_alltoallv(dn.out, &dn.in, &clock);
	s->now = clock;
	for (int r = 0; r < dist_size; r++)
		sb_reset(&dn.out[r]);
	for (size_t off = 0; off < dn.in.len;) {
		struct fwire w;
		struct node *n;
		struct pkt *p;
		struct held h;
		char tag = dn.in.s[off++];

		if (tag == TAG_PCAP) {
			struct pwire pw;

			if (dn.in.len - off < sizeof(pw))
				bug("distributed run: a truncated pcap record from another rank");
			memcpy(&pw, dn.in.s + off, sizeof(pw));
			off += sizeof(pw);
			if (pw.link >= net->nlinks || dn.in.len - off < pw.len)
				bug("distributed run: a bad pcap record from another rank");
			keep_record(&pw, dn.in.s + off);
			off += pw.len;
			continue;
		}
		if (tag != TAG_FRAME || dn.in.len - off < sizeof(w))
			bug("distributed run: a truncated frame from another rank");
		memcpy(&w, dn.in.s + off, sizeof(w));
		off += sizeof(w);
		if (w.node >= net->nnodes || w.ifindex >= net->nodes[w.node]->nifs ||
		    dn.in.len - off < w.len || net->nodes[w.node]->actor.ghost)
			bug("distributed run: a frame from another rank for a device not here");
		n = net->nodes[w.node];
		p = pkt_from((const uint8_t *)dn.in.s + off, w.len);
		p->cls = w.cls;
		off += w.len;
		if (w.traced) {
			if (dn.in.len - off < sizeof(*p->trace))
				bug("distributed run: a truncated packet trace from another rank");
			p->trace = xmalloc(sizeof(*p->trace));
			memcpy(p->trace, dn.in.s + off, sizeof(*p->trace));
			off += sizeof(*p->trace);
		}
		h = (struct held){.key = w.key, .when = w.when, .t = link_arrival_new(n->ifs[w.ifindex], p)};
		VEC_PUSH(dn.held, dn.nheld, dn.heldcap, h);
	}
	if (dn.nheld > 1)
		qsort(dn.held, dn.nheld, sizeof(*dn.held), held_cmp);
	for (size_t i = 0; i < dn.nheld; i++)
		timer_set_at(dn.held[i].t, dn.held[i].when);
	dn.nheld = 0;
	dn.ncmd = 0;
	write_records(net);
}

/*
 * The devices as a graph (an edge between every two ends of a link, so a
 * shared segment is a clique), partitioned; pins from the topology stay.
 */
void
dist_net_setup(struct network *net)
{
	size_t n = net->nnodes, ne = 0;
	size_t *off = xcalloc(n + 2, sizeof(*off)), *fill = NULL;
	uint32_t *adj = NULL;
	int *pin = xcalloc(n + 1, sizeof(*pin)), *part = xcalloc(n + 1, sizeof(*part));

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < net->nlinks; i++) {
			struct link *l = net->links[i];

			for (size_t a = 0; a < l->nends; a++)
				for (size_t b = 0; b < l->nends; b++) {
					uint32_t u = l->ends[a]->node->id, v = l->ends[b]->node->id;

					if (a == b || u == v)
						continue;
					if (pass == 0)
						off[u + 1]++;
					else
						adj[fill[u]++] = v;
				}
		}
		if (pass == 0) {
			for (size_t v = 0; v < n; v++)
				off[v + 1] += off[v];
			ne = off[n];
			adj = xmalloc(sizeof(*adj) * (ne + 1));
			fill = xmalloc(sizeof(*fill) * (n + 1));
			memcpy(fill, off, sizeof(*fill) * (n + 1));
		}
	}
	for (size_t v = 0; v < n; v++)
		pin[v] = net->nodes[v]->rank;
	partition_bfs(n, off, adj, pin, dist_size, part);
	for (size_t v = 0; v < n; v++) {
		net->nodes[v]->rank = part[v];
		net->nodes[v]->actor.ghost = part[v] != dist_rank;
	}
	free(off);
	free(fill);
	free(adj);
	free(pin);
	free(part);
	dn.net = net;
	dn.startup = true;
	dn.out = xcalloc((size_t)dist_size, sizeof(*dn.out));
	net->sim.exchange = exchange;
	net->sim.exchange_arg = net;
}

/* --- events --------------------------------------------------------------------------- */

struct ewire {
	int64_t t;
	uint64_t seq;
	int32_t kind, ifindex, link;
	uint32_t node, addr;
	uint32_t len[3]; /* proto, text, text2: UINT32_MAX for NULL */
	uint8_t plen;
};

static void
put_str(struct strbuf *b, const char *s)
{
	if (s != NULL)
		sb_addn(b, s, strlen(s));
}

static const char *
intern_proto(const char *s, size_t len)
{
	char *c;

	for (size_t i = 0; i < dn.nprotos; i++)
		if (strlen(dn.protos[i]) == len && memcmp(dn.protos[i], s, len) == 0)
			return dn.protos[i];
	c = xmalloc(len + 1);
	memcpy(c, s, len);
	c[len] = '\0';
	VEC_PUSH(dn.protos, dn.nprotos, dn.protocap, c);
	return c;
}

void
dist_events_gather(struct network *net UNUSED, struct net_ev **all, size_t *n, size_t *cap)
{
	struct strbuf mine = STRBUF_INIT, got = STRBUF_INIT;
	struct net_ev *v = *all;

	for (size_t i = 0; i < *n; i++) {
		const struct net_ev *e = &v[i];
		const char *s[3] = {e->proto, e->text, e->text2};
		struct ewire w = {.t = e->t, .seq = e->seq, .kind = (int32_t)e->kind,
		    .ifindex = e->ifindex, .link = e->link, .node = e->node, .addr = e->pfx.addr,
		    .plen = e->pfx.len};

		for (int k = 0; k < 3; k++)
			w.len[k] = s[k] ? (uint32_t)strlen(s[k]) : UINT32_MAX;
		sb_addn(&mine, (const char *)&w, sizeof(w));
		for (int k = 0; k < 3; k++)
			put_str(&mine, s[k]);
		free(e->text);
		free(e->text2);
	}
	*n = 0;
	dist_allgatherv(&mine, &got);
	for (size_t off = 0; off < got.len;) {
		struct ewire w;
		struct net_ev e = {0};
		char *s[3];

		memcpy(&w, got.s + off, sizeof(w));
		off += sizeof(w);
		for (int k = 0; k < 3; k++) {
			if (w.len[k] == UINT32_MAX) {
				s[k] = NULL;
				continue;
			}
			if (k == 0) {
				e.proto = intern_proto(got.s + off, w.len[k]);
				s[k] = NULL;
			} else {
				s[k] = xmalloc(w.len[k] + 1);
				memcpy(s[k], got.s + off, w.len[k]);
				s[k][w.len[k]] = '\0';
			}
			off += w.len[k];
		}
		e.kind = (enum ev_kind)w.kind;
		e.t = w.t;
		e.seq = w.seq;
		e.node = w.node;
		e.ifindex = w.ifindex;
		e.link = w.link;
		e.pfx.addr = w.addr;
		e.pfx.len = w.plen;
		e.text = s[1];
		e.text2 = s[2];
		VEC_PUSH(v, *n, *cap, e);
	}
	*all = v;
	sb_free(&mine);
	sb_free(&got);
}

/* --- commands run on every rank ------------------------------------------------------- */

void
dist_command_begin(void)
{
	dn.incmd = true;
	dn.ncmd++;
	dn.point = dn.sub = 0;
}

bool
dist_in_command(void)
{
	return dn.incmd;
}

void
dist_command_point(void)
{
	dn.point++;
	dn.sub = 0;
}

/* A place in the command: point, then the owner's order since, then the rank (a tie-break only). */
#define CMD_SUB_BITS 20
#define CMD_RANK_BITS 12 /* DIST_MAX_RANKS */

/* The next place in the command, on this rank. */
static uint64_t
cmd_place(void)
{
	if (dn.sub >= (1u << CMD_SUB_BITS) - 1)
		fatalx("distributed run: a command caused more than %u events or frames at once",
		    (1u << CMD_SUB_BITS) - 1);
	return dn.point << (CMD_SUB_BITS + CMD_RANK_BITS) | dn.sub++ << CMD_RANK_BITS |
	    (uint64_t)dist_rank;
}

void
dist_command_keep(const struct node *n, const struct net_ev *e)
{
	struct net_ev c = *e;

	if (n == NULL) {
		/* Network-wide (a link's, convergence): every rank posts it, rank 0 keeps it. */
		dist_command_point();
		if (dist_rank != 0)
			return;
	} else if (n->actor.ghost) {
		return; /* its owner posts it */
	}
	c.seq = cmd_place();
	c.text = e->text ? xstrdup(e->text) : NULL;
	c.text2 = e->text2 ? xstrdup(e->text2) : NULL;
	VEC_PUSH(dn.cmdev, dn.ncmdev, dn.cmdevcap, c);
}

static int
seq_cmp(const void *x, const void *y)
{
	uint64_t a = ((const struct net_ev *)x)->seq, b = ((const struct net_ev *)y)->seq;

	return (a > b) - (a < b);
}

void
dist_command_end(struct network *net, struct net_ev **all, size_t *n)
{
	size_t cap = dn.cmdevcap;

	*all = dn.cmdev;
	*n = dn.ncmdev;
	dn.cmdev = NULL;
	dn.ncmdev = dn.cmdevcap = 0;
	dn.incmd = false;
	dist_events_gather(net, all, n, &cap);
	if (*n > 1)
		qsort(*all, *n, sizeof(**all), seq_cmp);
}

/* --- network-wide totals ---------------------------------------------------------------- */

bool
dist_quiet(struct network *net, sim_time *last)
{
	/*
	 * Every rank's (sent, done, busy, last activity) in one gather, summed
	 * here; with them its earliest pending event, for the next step
	 * (sim.h's dist_next).
	 */
	struct sim *s = &net->sim;
	uint64_t mine[5] = {net->ctrl_sent, net->ctrl_done, net->nbusy, (uint64_t)net->last_activity,
	    (uint64_t)sim_local_next(s)};
	uint64_t *all = xmalloc(sizeof(mine) * (size_t)dist_size), c[3] = {0};
	sim_time l = net->last_activity, next = SIM_NEVER;

	dist_allgather(mine, sizeof(mine), all);
	for (int r = 0; r < dist_size; r++) {
		for (int k = 0; k < 3; k++)
			c[k] += all[5 * r + k];
		l = MAX(l, (sim_time)all[5 * r + 3]);
		next = MIN(next, (sim_time)all[5 * r + 4]);
	}
	free(all);
	s->dist_next = next;
	s->dist_next_ok = true;
	*last = l;
	return c[0] == c[1] && c[2] == 0;
}

/* A count starts at c: a digit that does not continue a word or number ("OSPFv2" is a word). */
static bool
number_at(const char *line, const char *c)
{
	return *c >= '0' && *c <= '9' && (c == line || !isalnum((unsigned char)c[-1]));
}

/*
 * A protocol's end-of-run line counts over the devices each rank runs
 * ("OSPF events: 12 hellos, ..."): the same words on every rank, numbers
 * that add up. A rank without such devices has no line and adds nothing.
 */
void
dist_sum_line(struct strbuf *b)
{
	struct strbuf all = STRBUF_INIT, out = STRBUF_INIT;
	const char *shape = NULL;
	size_t nnum = 0, numcap = 0;
	uint64_t *sum = NULL;

	sb_addc(b, '\0'); /* each rank's line ends with its NUL in the gathered text */
	dist_allgatherv(b, &all);
	for (const char *s = all.s; s != NULL && s < all.s + all.len; s += strlen(s) + 1) {
		size_t k = 0;

		if (*s == '\0')
			continue;
		if (shape == NULL)
			shape = s;
		for (const char *c = s; *c;) {
			if (number_at(s, c)) {
				uint64_t v = strtoull(c, (char **)&c, 10);

				if (k == nnum)
					VEC_PUSH(sum, nnum, numcap, 0);
				sum[k++] += v;
				continue;
			}
			c++;
		}
	}
	if (shape != NULL) {
		size_t k = 0;

		for (const char *c = shape; *c;) {
			if (number_at(shape, c)) {
				sb_printf(&out, "%llu", (unsigned long long)sum[k++]);
				strtoull(c, (char **)&c, 10);
				continue;
			}
			sb_addc(&out, *c++);
		}
	}
	sb_reset(b);
	sb_addn(b, out.s ? out.s : "", out.len);
	free(sum);
	sb_free(&all);
	sb_free(&out);
}
