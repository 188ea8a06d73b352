/* flow.c: probe flows, their drops and their FIB walks (see flow.h). */
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/util.h"
#include "eth.h"
#include "flow.h"
#include "ip4.h"
#include "rib.h"
#include "udp.h"

const char *const flow_drop_names[FLOW_DROPS] = {"looped", "blackholed", "cut", "arp"};

/* A drop a router logged in its own context, folded into its flow after the step. */
struct flow_drop_rec {
	uint32_t flow;
	uint8_t kind;
};

struct flow_log {
	struct flow_drop_rec *v;
	size_t n, cap;
};

/* The time of something done in n's context, or in global context between steps. */
static sim_time
now_of(const struct node *n)
{
	return n->actor.running ? node_now(n) : n->net->sim.now;
}

/* A route of n changed: the step's end walks the flows again (device context: n's slot only). */
static void
fib_changed(struct node *n, const struct rib_change *c UNUSED, void *arg)
{
	struct flowset *fs = arg;

	if (fs->running == 0 || n->id >= fs->nnodes)
		return;
	fs->dirty[n->id] = true;
	fs->dirty_at[n->id] = now_of(n);
}

struct flowset *
flowset_get(struct network *net)
{
	struct flowset *fs = net->flows;

	if (fs != NULL)
		return fs;
	fs = xcalloc(1, sizeof(*fs));
	fs->net = net;
	fs->nnodes = net->nnodes;
	fs->logs = xcalloc(fs->nnodes, sizeof(*fs->logs));
	fs->dirty = xcalloc(fs->nnodes, sizeof(*fs->dirty));
	fs->dirty_at = xcalloc(fs->nnodes, sizeof(*fs->dirty_at));
	/* Watched for as long as the network lives (a RIB outlives a crash of its node). */
	for (size_t i = 0; i < net->nnodes; i++)
		if (net->nodes[i]->rib != NULL)
			rib_watch(net->nodes[i]->rib, fib_changed, fs);
	net->flows = fs;
	return fs;
}

static void senders_free(struct flowset *);

static void
flow_free(struct flow *f)
{
	free(f->out);
	free(f->where);
	free(f->wiv);
	free(f);
}

void
flowset_free(struct flowset *fs)
{
	if (fs == NULL)
		return;
	for (size_t i = 0; i < fs->n; i++)
		flow_free(fs->flows[i]);
	for (size_t i = 0; i < fs->nnodes; i++)
		free(fs->logs[i].v);
	senders_free(fs);
	free(fs->changes);
	free(fs->flows);
	free(fs->logs);
	free(fs->dirty);
	free(fs->dirty_at);
	free(fs);
}

static void
log_drop(struct node *n, uint32_t flow, enum flow_drop kind)
{
	struct flowset *fs = n->net->flows;
	struct flow_log *lg;

	if (n->id >= fs->nnodes)
		return;
	lg = &fs->logs[n->id];
	VEC_PUSH(lg->v, lg->n, lg->cap, ((struct flow_drop_rec){flow, (uint8_t)kind}));
}

static void
send_probe(struct flow *f, sim_time now)
{
	struct node *n = f->src;
	struct ip4_out o = {.src = f->saddr, .dst = f->daddr, .ttl = f->ttl};
	struct pkt *p = pkt_new(FLOW_PAYLOAD);

	put32(p->data, FLOW_MAGIC);
	put32(p->data + 4, f->id);
	put32(p->data + 8, (uint32_t)f->sent);
	put32(p->data + 12, (uint32_t)((uint64_t)now >> 32));
	put32(p->data + 16, (uint32_t)now);
	f->sent++;
	if (udp_send(n, p, FLOW_PORT, FLOW_PORT, &o) < 0) {
		f->src_noroute++;
		log_drop(n, f->id, FLOW_BLACKHOLED);
	}
}

/* The source's timer: a probe of each of its flows, and the next ones in an interval. */
static void
send_probes(struct timer *t)
{
	struct flow_sender *s = t->arg;
	sim_time now = node_now(s->src);

	timer_set(t, s->interval);
	if (!s->src->up)
		return; /* a crashed source sends nothing */
	for (size_t i = 0; i < s->n; i++)
		send_probe(s->flows[i], now);
}

/* The sender of src's flows started now every interval, made on first use. */
static struct flow_sender *
sender_for(struct flowset *fs, struct node *src, sim_time interval)
{
	sim_time now = fs->net->sim.now;
	struct flow_sender *s;

	for (s = fs->senders; s != NULL; s = s->next)
		if (s->src == src && s->interval == interval && timer_pending(&s->t) &&
		    s->t.when == now && s->n > 0 && s->flows[0]->start == now)
			return s;
	s = xcalloc(1, sizeof(*s));
	s->src = src;
	s->interval = interval;
	s->next = fs->senders;
	fs->senders = s;
	timer_init_new(&s->t, &src->actor, send_probes, s);
	timer_set_at(&s->t, now);
	return s;
}

static void
senders_free(struct flowset *fs)
{
	struct flow_sender *s, *next;

	for (s = fs->senders; s != NULL; s = next) {
		next = s->next;
		if (timer_pending(&s->t))
			timer_cancel(&s->t);
		free(s->flows);
		free(s);
	}
	fs->senders = NULL;
}

static void rewalk(struct flow *, sim_time);
static void path_now(struct flow *, uint32_t *path, int *n);

struct flow *
flow_start(struct network *net, struct node *src, uint32_t saddr, struct node *dst,
    uint32_t daddr, sim_time interval, uint8_t ttl, const char **err)
{
	struct flowset *fs;
	struct flow *f;

	if (src->ip == NULL || dst->ip == NULL) {
		*err = "a flow's ends must be routers or hosts, not switches";
		return NULL;
	}
	if (src == dst) {
		*err = "a flow needs two different devices";
		return NULL;
	}
	if (interval < SIM_US) {
		*err = "a flow's interval must be at least 1us";
		return NULL;
	}
	if (saddr == 0 || daddr == 0) {
		*err = "a flow's ends need IPv4 addresses";
		return NULL;
	}
	fs = flowset_get(net);
	if (src->id >= fs->nnodes || dst->id >= fs->nnodes) {
		*err = "flows start once the network is built";
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	f->id = (uint32_t)fs->n;
	f->fs = fs;
	f->src = src;
	f->dst = dst;
	f->saddr = saddr;
	f->daddr = daddr;
	f->interval = interval;
	f->start = net->sim.now;
	f->stop = SIM_NEVER;
	f->ttl = ttl ? ttl : IP_DEFAULT_TTL;
	f->hi_seq = -1;
	f->hi_sent = f->start;
	path_now(f, f->path_before, &f->nbefore);
	VEC_PUSH(fs->flows, fs->n, fs->cap, f);
	fs->running++;
	f->sender = sender_for(fs, src, interval);
	VEC_PUSH(f->sender->flows, f->sender->n, f->sender->cap, f);
	rewalk(f, net->sim.now);
	return f;
}

/* Close the walk's open interval at t. */
static void
walk_close(struct flow *f, sim_time t)
{
	if (f->wbad) {
		f->wiv[f->nwiv - 1].to = t;
		f->wbad = false;
	}
}

/* The path f's packets take now, if the walk delivers them (else none). */
static void
path_now(struct flow *f, uint32_t *path, int *n)
{
	struct walk w;

	walk_flow(&w, f->fs->net, f->src, f->saddr, f->daddr);
	*n = w.any_bad ? 0 : w.ngood;
	memcpy(path, w.good, sizeof(*path) * (size_t)*n);
}

void
flow_stop_all(struct network *net)
{
	struct flowset *fs = net->flows;

	if (fs == NULL)
		return;
	for (size_t i = 0; i < fs->n; i++) {
		struct flow *f = fs->flows[i];

		if (f->stop != SIM_NEVER)
			continue;
		f->stop = net->sim.now; /* a walk interval still open stays so: it lasted at least until now */
		path_now(f, f->path_after, &f->nafter);
	}
	fs->running = 0;
	memset(fs->dirty, 0, fs->nnodes * sizeof(*fs->dirty));
	for (struct flow_sender *s = fs->senders; s != NULL; s = s->next)
		if (timer_pending(&s->t))
			timer_cancel(&s->t);
}

void
flow_clear(struct network *net)
{
	struct flowset *fs = net->flows;

	if (fs == NULL)
		return;
	flow_stop_all(net);
	for (size_t i = 0; i < fs->n; i++)
		flow_free(fs->flows[i]);
	fs->n = 0;
	fs->nchanges = 0;
	senders_free(fs);
	for (size_t i = 0; i < fs->nnodes; i++)
		fs->logs[i].n = 0;
}

/* The flow a probe names, if it is one of this network's (the payload after UDP). */
static struct flow *
probe_flow(struct network *net, const uint8_t *d, size_t len)
{
	struct flowset *fs = net->flows;
	uint32_t id;

	if (fs == NULL || len < FLOW_PAYLOAD || get32(d) != FLOW_MAGIC)
		return NULL;
	id = get32(d + 4);
	return id < fs->n ? fs->flows[id] : NULL;
}

/* A late probe (seq below the highest delivered): fills part of a gap, or is a duplicate. */
static void
rx_late(struct flow *f, int64_t seq, sim_time sent)
{
	for (size_t i = f->nout; i-- > 0;) {
		struct flow_outage o = f->out[i];
		struct flow_outage left = {o.from, sent, o.from_seq, seq};
		struct flow_outage right = {sent, o.to, seq, o.to_seq};
		size_t k = 0;
		struct flow_outage keep[2];

		if (seq <= o.from_seq || seq >= o.to_seq)
			continue;
		f->delivered++;
		f->late++;
		/* What remains of the gap on either side of the probe. */
		if (seq > o.from_seq + 1)
			keep[k++] = left;
		if (o.to_seq > seq + 1)
			keep[k++] = right;
		if (k == 0) {
			memmove(f->out + i, f->out + i + 1, (f->nout - i - 1) * sizeof(*f->out));
			f->nout--;
		} else {
			f->out[i] = keep[0];
			if (k == 2) {
				grow_array((void **)&f->out, &f->outcap, f->nout + 1, sizeof(*f->out));
				memmove(f->out + i + 2, f->out + i + 1,
				    (f->nout - i - 1) * sizeof(*f->out));
				f->out[i + 1] = keep[1];
				f->nout++;
			}
		}
		return;
	}
	f->dups++; /* in no gap: delivered before */
}

bool
flow_rx(struct node *n, const uint8_t *d, size_t len)
{
	struct flow *f = probe_flow(n->net, d, len);
	int64_t seq;
	sim_time sent;

	if (f == NULL || f->dst != n)
		return false;
	seq = get32(d + 8);
	sent = (sim_time)((uint64_t)get32(d + 12) << 32 | get32(d + 16));
	if (seq == f->hi_seq) {
		f->dups++;
	} else if (seq > f->hi_seq) {
		f->delivered++;
		if (seq > f->hi_seq + 1) {
			struct flow_outage o = {f->hi_sent, sent, f->hi_seq, seq};

			VEC_PUSH(f->out, f->nout, f->outcap, o);
		}
		f->hi_seq = seq;
		f->hi_sent = sent;
	} else {
		rx_late(f, seq, sent);
	}
	return true;
}

void
flow_dropped(struct node *n, const uint8_t *ip, size_t len, enum flow_drop kind)
{
	size_t hl;
	struct flow *f;

	if (len < IP_HLEN || ip[9] != IPPROTO_UDP_)
		return;
	hl = (size_t)(ip[0] & 15) * 4;
	if (len < hl + UDP_HLEN || get16(ip + hl + 2) != FLOW_PORT)
		return;
	if ((f = probe_flow(n->net, ip + hl + UDP_HLEN, len - hl - UDP_HLEN)) != NULL)
		log_drop(n, f->id, kind);
}

void
flow_frame_cut(struct node *n, const uint8_t *fr, size_t len)
{
	size_t off = ETH_HLEN;

	if (len >= off + 4 && get16(fr + 12) == ETHERTYPE_VLAN)
		off += 4; /* one 802.1Q tag */
	if (len >= off && get16(fr + off - 2) == ETHERTYPE_IP)
		flow_dropped(n, fr + off, len - off, FLOW_CUT);
}

static struct flow_where *
where_of(struct flow *f, uint32_t node)
{
	struct flow_where w = {.node = node};

	for (size_t i = 0; i < f->nwhere; i++)
		if (f->where[i].node == node)
			return &f->where[i];
	VEC_PUSH(f->where, f->nwhere, f->wherecap, w);
	return &f->where[f->nwhere - 1];
}

static void
fold(struct flowset *fs, struct node *n)
{
	struct flow_log *lg = &fs->logs[n->id];

	for (size_t i = 0; i < lg->n; i++) {
		struct flow *f = fs->flows[lg->v[i].flow];

		f->dropped[lg->v[i].kind]++;
		where_of(f, n->id)->n[lg->v[i].kind]++;
	}
	lg->n = 0;
}

/* Does the walk's verdict and routers differ from the open interval's? */
static bool
same_state(const struct flow *f, const struct flow_walk_iv *iv)
{
	const struct flow_walk_iv *cur;

	if (!f->wbad)
		return false;
	cur = &f->wiv[f->nwiv - 1];
	return cur->verdict == iv->verdict && cur->nnodes == iv->nnodes &&
	    memcmp(cur->nodes, iv->nodes, sizeof(*iv->nodes) * (size_t)iv->nnodes) == 0;
}

/*
 * Walk f's path as its packets would go at time t: a loop is the cycle the
 * walk closed (from the first visit of the router it met twice), any other
 * problem the router it ended at.
 */
static void
rewalk(struct flow *f, sim_time t)
{
	struct walk w;
	struct flow_walk_iv iv = {.from = t, .to = -1};

	walk_flow(&w, f->fs->net, f->src, f->saddr, f->daddr);
	if (!w.any_bad) {
		walk_close(f, t);
		return;
	}
	iv.verdict = w.worst;
	if (w.worst == WALK_LOOP) {
		int first = 0;

		while (first < w.nbad - 1 && w.bad[first] != w.bad[w.nbad - 1])
			first++;
		for (int i = first; i < w.nbad - 1; i++)
			iv.nodes[iv.nnodes++] = w.bad[i];
	} else if (w.nbad > 0) {
		iv.nodes[iv.nnodes++] = w.bad[w.nbad - 1];
	}
	if (same_state(f, &iv))
		return;
	walk_close(f, t);
	VEC_PUSH(f->wiv, f->nwiv, f->wivcap, iv);
	f->wbad = true;
}

void
flow_after_step(struct network *net)
{
	struct flowset *fs = net->flows;
	struct sim *s = &net->sim;
	bool walk = s->last_global || s->ndue == 0;
	sim_time t = s->now;

	/* Drops happen in the nodes that ran (or in global context: then any node). */
	if (s->last_global || s->ndue == 0) {
		for (size_t i = 0; i < fs->nnodes; i++)
			fold(fs, net->nodes[i]);
	} else {
		for (size_t i = 0; i < s->ndue; i++) {
			struct node *n = container_of(s->due[i], struct node, actor);

			if (n->id < fs->nnodes)
				fold(fs, n);
		}
	}
	if (fs->running == 0)
		return;
	/* The state after the step holds from its last FIB change on. */
	if (!walk) {
		t = 0;
		for (size_t i = 0; i < s->ndue; i++) {
			struct node *n = container_of(s->due[i], struct node, actor);

			if (n->id < fs->nnodes && fs->dirty[n->id]) {
				walk = true;
				if (fs->dirty_at[n->id] > t)
					t = fs->dirty_at[n->id];
			}
		}
	}
	if (!walk)
		return;
	for (size_t i = 0; i < fs->nnodes; i++) {
		if (fs->dirty[i]) {
			struct flow_fib_change c = {fs->dirty_at[i], (uint32_t)i};

			VEC_PUSH(fs->changes, fs->nchanges, fs->changecap, c);
		}
		fs->dirty[i] = false;
	}
	for (size_t i = 0; i < fs->n; i++)
		if (fs->flows[i]->stop == SIM_NEVER)
			rewalk(fs->flows[i], t);
}

bool
flow_open_outage(const struct flow *f, sim_time now, struct flow_outage *o)
{
	if (f->sent == 0 || f->hi_seq >= (int64_t)f->sent - 1)
		return false;
	o->from = f->hi_sent;
	o->to = f->stop != SIM_NEVER ? f->stop : now;
	o->from_seq = f->hi_seq;
	o->to_seq = -1;
	return true;
}

uint64_t
flow_lost(const struct flow *f)
{
	return f->sent > f->delivered ? f->sent - f->delivered : 0;
}
