/*
 * mpls.c: MPLS forwarding (RFC 3031, RFC 3032): the LFIB, labelled packet
 * input (swap, pop, penultimate-hop pop, explicit null), the push of an IPv4
 * route's label stack, TTL expiry with an RFC 4950 ICMP answer (or an MPLS
 * echo reply, lsp_ping.c), and the static LSPs of the topology (`mpls:
 * {static: [...]}`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/cfg.h"
#include "../lib/util.h"
#include "arp.h"
#include "fib.h"
#include "icmp.h"
#include "ip4.h"
#include "lsp_ping.h"
#include "mpls.h"
#include "vrf.h"

/* Entries read from one received stack: a few more than we push, for stacks others built. */
#define MPLS_RX_DEPTH (2 * LABEL_STACK_MAX)

int
mpls_stack_parse(const uint8_t *p, size_t len, struct mpls_lse *out, int max)
{
	for (int i = 0; i < max; i++) {
		if ((size_t)(i + 1) * MPLS_LSE_LEN > len)
			return -1;
		out[i] = mpls_lse_unpack(get32(p + i * MPLS_LSE_LEN));
		if (out[i].s)
			return i + 1;
	}
	return -1;
}

void
mpls_stack_build(uint8_t *p, const uint32_t *labels, int n, uint8_t tc, uint8_t ttl, bool bottom)
{
	for (int i = 0; i < n; i++) {
		struct mpls_lse e = {labels[i], tc, bottom && i == n - 1, ttl};

		put32(p + i * MPLS_LSE_LEN, mpls_lse_pack(&e));
	}
}

bool
mpls_label_valid(long long label, bool incoming, char *err, size_t errlen)
{
	if (label < 0 || label > LABEL_MAX) {
		snprintf(err, errlen, "label %lld out of range (labels are 20 bits: 0-%d)", label,
		    LABEL_MAX);
		return false;
	}
	if (label > MPLS_LABEL_RESERVED_MAX)
		return true;
	if (!incoming && (label == MPLS_LABEL_EXPLICIT_NULL || label == MPLS_LABEL_IMPLICIT_NULL))
		return true;
	snprintf(err, errlen, "label %lld is reserved (RFC 3032 2.1: 0-15; %s)", label,
	    incoming ? "incoming labels are 16-1048575" :
		       "only 0, explicit null, and 3, implicit null, may be sent");
	return false;
}

bool
mpls_stack_valid(const uint32_t *labels, int n, char *err, size_t errlen)
{
	for (int k = 0; k < n; k++) {
		if (!mpls_label_valid(labels[k], false, err, errlen))
			return false;
		if (labels[k] == MPLS_LABEL_IMPLICIT_NULL && n > 1) {
			snprintf(err, errlen, "implicit null (3) stands alone, not in a stack");
			return false;
		}
	}
	return true;
}

int
mpls_labels_parse(const char *s, uint32_t *out, int max, char *err, size_t errlen)
{
	int n = 0;

	for (;;) {
		char *end;
		long long v = strtoll(s, &end, 10);

		if (end == s || *s == '-' || *s == '+' || (*end != '/' && *end != '\0')) {
			snprintf(err, errlen, "bad label stack '%s' (labels such as 100 or 100/200)", s);
			return -1;
		}
		if (n == max) {
			snprintf(err, errlen, "at most %d labels", max);
			return -1;
		}
		if (!mpls_label_valid(v, false, err, errlen))
			return -1;
		out[n++] = (uint32_t)v;
		if (*end == '\0')
			return mpls_stack_valid(out, n, err, errlen) ? n : -1;
		s = end + 1;
	}
}

struct mpls_state *
mpls_state_get(struct node *n)
{
	if (n->mpls == NULL)
		n->mpls = xcalloc(1, sizeof(*n->mpls));
	return n->mpls;
}

void
mpls_free(struct node *n)
{
	if (n->mpls != NULL) {
		free(n->mpls->v);
		hmap_free(&n->mpls->alloc);
		free(n->mpls->cursors);
	}
	free(n->mpls);
	n->mpls = NULL;
}

static int
entry_cmp(const struct mpls_entry *a, const struct mpls_entry *b)
{
	if (a->in != b->in)
		return a->in < b->in ? -1 : 1;
	return a->via < b->via ? -1 : a->via > b->via;
}

/* The first entry whose incoming label is not below label (binary search). */
static size_t
first_at(const struct mpls_state *ms, uint32_t label)
{
	size_t lo = 0, hi = ms->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (ms->v[mid].in < label)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool
mpls_lfib_has(const struct node *n, uint32_t in)
{
	const struct mpls_state *ms = n->mpls;
	size_t i = ms != NULL ? first_at(ms, in) : 0;

	return ms != NULL && i < ms->n && ms->v[i].in == in;
}

/* Can e be in the LFIB of n? On false, err says why. */
static bool
entry_ok(const struct node *n, const struct mpls_entry *e, char *err, size_t errlen)
{
	if (!mpls_label_valid(e->in, true, err, errlen))
		return false;
	if (e->action == MPLS_SWAP) {
		if (e->nout == 0 || e->nout > LABEL_STACK_MAX) {
			snprintf(err, errlen, "a swap needs 1-%d outgoing labels", LABEL_STACK_MAX);
			return false;
		}
		if (!mpls_stack_valid(e->out, e->nout, err, errlen))
			return false;
		if (e->via == 0) {
			snprintf(err, errlen, "a swap needs a next hop ('via')");
			return false;
		}
	}
	if (e->vpn && (e->action != MPLS_POP || e->via != 0)) {
		snprintf(err, errlen, "a VPN label is a pop without a next hop");
		return false;
	}
	if (e->vpn && e->vrf > n->nvrfs) {
		snprintf(err, errlen, "no VRF %u on %s", e->vrf, n->name);
		return false;
	}
	if (e->via != 0 && node_is_local(n, e->via)) {
		snprintf(err, errlen, "next hop %s is this device's own address", ip_str(e->via));
		return false;
	}
	return true;
}

int
mpls_lfib_add(struct node *n, const struct mpls_entry *e, char *err, size_t errlen)
{
	struct mpls_state *ms = mpls_state_get(n);
	size_t i;

	if (!entry_ok(n, e, err, errlen))
		return -1;
	for (i = first_at(ms, e->in); i < ms->n && entry_cmp(&ms->v[i], e) < 0; i++)
		;
	if (i < ms->n && entry_cmp(&ms->v[i], e) == 0) {
		ms->v[i] = *e;
		return 0;
	}
	grow_array((void **)&ms->v, &ms->cap, ms->n + 1, sizeof(*ms->v));
	memmove(&ms->v[i + 1], &ms->v[i], (ms->n - i) * sizeof(*ms->v));
	ms->v[i] = *e;
	ms->n++;
	return 0;
}

static bool
entry_same(const struct mpls_entry *a, const struct mpls_entry *b)
{
	if (a->in != b->in || a->action != b->action || a->nout != b->nout || a->via != b->via ||
	    a->untagged != b->untagged || a->owner != b->owner || a->vpn != b->vpn || a->vrf != b->vrf)
		return false;
	for (int i = 0; i < a->nout; i++)
		if (a->out[i] != b->out[i])
			return false;
	return true;
}

static int
entry_qcmp(const void *a, const void *b)
{
	return entry_cmp(a, b);
}

int
mpls_lfib_set(struct node *n, uint32_t in, struct mpls_entry *v, int cnt, char *err, size_t errlen)
{
	struct mpls_state *ms;
	size_t i, k, old;
	int good = 0;

	for (int j = 0; j < cnt; j++) {
		v[j].in = in;
		if (entry_ok(n, &v[j], err, errlen))
			v[good++] = v[j];
	}
	qsort(v, (size_t)good, sizeof(*v), entry_qcmp);
	if (good == 0 && n->mpls == NULL)
		return good == cnt ? 0 : -1;
	ms = mpls_state_get(n);
	i = first_at(ms, in);
	for (k = i; k < ms->n && ms->v[k].in == in; k++)
		;
	old = k - i;
	if (old == (size_t)good) {
		bool same = true;

		for (int j = 0; j < good && same; j++)
			same = entry_same(&ms->v[i + (size_t)j], &v[j]);
		if (same)
			return good == cnt ? 0 : -1;
	} else {
		if ((size_t)good > old)
			grow_array((void **)&ms->v, &ms->cap, ms->n + (size_t)good - old, sizeof(*ms->v));
		memmove(&ms->v[i + (size_t)good], &ms->v[k], (ms->n - k) * sizeof(*ms->v));
		ms->n = ms->n + (size_t)good - old;
	}
	memcpy(&ms->v[i], v, (size_t)good * sizeof(*v));
	return good == cnt ? 0 : -1;
}

int
mpls_lfib_del(struct node *n, uint32_t in)
{
	struct mpls_state *ms = n->mpls;
	size_t i, k;

	if (ms == NULL)
		return 0;
	i = first_at(ms, in);
	for (k = i; k < ms->n && ms->v[k].in == in; k++)
		;
	memmove(&ms->v[i], &ms->v[k], (ms->n - k) * sizeof(*ms->v));
	ms->n -= k - i;
	return (int)(k - i);
}

/* The entries for label: the first, and how many (*cnt). */
static const struct mpls_entry *
entries_of(const struct mpls_state *ms, uint32_t label, size_t *cnt)
{
	size_t lo = ms != NULL ? first_at(ms, label) : 0;

	*cnt = 0;
	while (ms != NULL && lo + *cnt < ms->n && ms->v[lo + *cnt].in == label)
		(*cnt)++;
	return *cnt > 0 ? &ms->v[lo] : NULL;
}

const struct mpls_entry *
mpls_lfib_entries(const struct node *n, uint32_t in, size_t *cnt)
{
	return entries_of(n->mpls, in, cnt);
}

enum mpls_op
mpls_classify(const struct mpls_entry *e, uint32_t top)
{
	if (e != NULL && e->vpn)
		return MPLS_OP_VPN;
	/*
	 * RFC 3032 2.1: explicit null at the top is popped and what is below
	 * processed here, as is a label this node pops without a next hop (it
	 * is the LSP's egress).
	 */
	if (top == MPLS_LABEL_EXPLICIT_NULL || (e != NULL && e->action == MPLS_POP && e->via == 0))
		return MPLS_OP_LOCAL_POP;
	if (top <= MPLS_LABEL_RESERVED_MAX)
		return MPLS_OP_BAD;
	if (e == NULL)
		return MPLS_OP_NO_LABEL;
	if (e->action == MPLS_POP || (e->nout == 1 && e->out[0] == MPLS_LABEL_IMPLICIT_NULL))
		return MPLS_OP_PHP;
	return MPLS_OP_SWAP;
}

int
mpls_vpn_label_set(struct node *n, uint32_t label, uint16_t vrf, const char *owner, char *err,
    size_t errlen)
{
	struct mpls_entry e = {.in = label, .action = MPLS_POP, .vpn = true, .vrf = vrf,
	    .owner = owner};
	const char *holder = mpls_label_owner(n, label);
	size_t cnt;
	const struct mpls_entry *old = entries_of(n->mpls, label, &cnt);

	if (holder != NULL && strcmp(holder, owner) != 0) {
		snprintf(err, errlen, "label %u is allocated to %s", label, holder);
		return -1;
	}
	if (old != NULL && strcmp(old->owner, owner) != 0) {
		snprintf(err, errlen, "label %u is in the LFIB already (%s)", label, old->owner);
		return -1;
	}
	return mpls_lfib_set(n, label, &e, 1, err, errlen);
}

bool
mpls_vpn_label_del(struct node *n, uint32_t label)
{
	size_t cnt;
	const struct mpls_entry *e = entries_of(n->mpls, label, &cnt);

	return e != NULL && e->vpn && mpls_lfib_del(n, label) > 0;
}

/*
 * The entry for label, one of an ECMP set chosen by the flow hash IP uses
 * (of the IPv4 payload's addresses when there is one, else of the label).
 */
static const struct mpls_entry *
lookup(const struct mpls_state *ms, uint32_t label, const uint8_t *payload, size_t plen)
{
	size_t cnt;
	const struct mpls_entry *v = entries_of(ms, label, &cnt);
	uint32_t h;

	if (cnt <= 1)
		return v;
	if (plen >= IP_HLEN && payload[0] >> 4 == 4)
		h = fib_flow_hash(get32(payload + 12), get32(payload + 16));
	else
		h = fib_flow_hash(label, 0);
	return &v[h % cnt];
}

static void
drop(uint64_t *counter, struct pkt *p)
{
	(*counter)++;
	pkt_free(p);
}

/* A labelled packet out of ifp to nh; no fragmentation of what is already labelled. */
static void
send_labelled(struct mpls_state *ms, struct iface *ifp, uint32_t nh, struct pkt *p)
{
	if (p->len > ifp->mtu) {
		ifp->st.tx_drops++;
		drop(&ms->st.mtu_drops, p);
		return;
	}
	if (ifp->kind != IF_ETHERNET) {
		drop(&ms->st.no_route, p);
		return;
	}
	arp_output_type(ifp, nh, ETHERTYPE_MPLS, p);
}

/*
 * RFC 3032 2.3.2: the TTL ran out inside the LSP. For an IPv4 payload, this
 * LSR answers "time exceeded" with the received label stack in an RFC 4950
 * extension. With a route of its own to the datagram's source, it routes
 * the answer there; without one (a BGP-free core does not know the
 * customers' addresses) it sends the answer on along the LSP, under the
 * labels the datagram came with, to the egress, which routes it back - as
 * Cisco's and Juniper's LSRs tunnel ICMP. Other payloads are dropped.
 */
static void
expire(struct iface *ifp, struct pkt *p, int depth)
{
	struct node *n = ifp->node;
	uint32_t lse[MPLS_RX_DEPTH];
	struct iface *oif;
	struct pkt *e;
	uint32_t gw;
	uint8_t *s;

	n->mpls->st.ttl_expired++;
	for (int i = 0; i < depth; i++)
		lse[i] = get32(p->data + i * MPLS_LSE_LEN);
	pkt_pull(p, (size_t)depth * MPLS_LSE_LEN);
	if (p->len < IP_HLEN || p->data[0] >> 4 != 4) {
		pkt_free(p);
		return;
	}
	/* An MPLS echo request (traceroute mpls) is answered as such (RFC 8029 4.4). */
	if (lsp_ping_expired(ifp, p, lse, depth))
		return;
	if (ip4_route(n, 0, get32(p->data + 12), &oif, &gw)) {
		icmp_error_labels(n, ifp, p, ICMP_TIMXCEED, ICMP_TIMXCEED_INTRANS, lse,
		    MIN(depth, ICMP_MPLS_MAX));
		pkt_free(p);
		return;
	}
	e = icmp_error_datagram(n, ifp, p, ICMP_TIMXCEED, ICMP_TIMXCEED_INTRANS, lse,
	    MIN(depth, ICMP_MPLS_MAX));
	pkt_free(p);
	if (e == NULL)
		return;
	s = pkt_push(&e, (size_t)depth * MPLS_LSE_LEN);
	for (int i = 0; i < depth; i++)
		put32(s + i * MPLS_LSE_LEN, (lse[i] & ~0xffu) | IP_DEFAULT_TTL);
	mpls_input(ifp, e);
}

/* The labels are gone: the IPv4 datagram takes the TTL the last label had (uniform model). */
static bool
to_ip(struct pkt *p, uint8_t ttl)
{
	if (p->len < IP_HLEN || p->data[0] >> 4 != 4)
		return false;
	if (ttl < p->data[8])
		ip4_set_ttl(p->data, ttl);
	return true;
}

/*
 * RFC 4364 5: an egress PE's VPN label, popped; the IPv4 datagram below is
 * routed in the label's VRF, its TTL from the label as at any egress. The
 * label must be the bottom one (the transport label went at the
 * penultimate hop, or as explicit null above it): with more below, the
 * packet is not one this PE can route, and is dropped.
 */
static void
vpn_input(struct iface *ifp, uint16_t vrf, struct pkt *p, struct mpls_lse top)
{
	struct mpls_state *ms = ifp->node->mpls;

	if (!top.s) {
		ifp->st.rx_drops++;
		drop(&ms->st.bad, p);
		return;
	}
	pkt_pull(p, MPLS_LSE_LEN);
	ms->st.popped++;
	if (!to_ip(p, top.ttl)) {
		drop(&ms->st.bad, p);
		return;
	}
	ip4_input_vrf(ifp, vrf, p);
}

void
mpls_input(struct iface *ifp, struct pkt *p)
{
	struct node *n = ifp->node;
	struct mpls_state *ms = mpls_state_get(n);
	struct mpls_lse stk[MPLS_RX_DEPTH], top;
	const struct mpls_entry *e;
	enum mpls_op op;
	struct iface *oif;
	uint32_t gw;
	uint8_t ttl;
	int depth;

	ms->st.rx++;
	depth = mpls_stack_parse(p->data, p->len, stk, MPLS_RX_DEPTH);
	if (depth < 0 || n->type == NODE_SWITCH) {
		ifp->st.rx_drops++;
		drop(&ms->st.bad, p);
		return;
	}
	top = stk[0];
	e = lookup(ms, top.label, p->data + depth * MPLS_LSE_LEN,
	    p->len - (size_t)depth * MPLS_LSE_LEN);
	op = mpls_classify(e, top.label);
	if (op == MPLS_OP_VPN) {
		vpn_input(ifp, e->vrf, p, top);
		return;
	}
	/*
	 * A local pop hands the TTL on undecremented: the IP (or label)
	 * processing that follows decrements it once for this hop.
	 */
	if (op == MPLS_OP_LOCAL_POP) {
		pkt_pull(p, MPLS_LSE_LEN);
		ms->st.popped++;
		if (!top.s) {
			uint8_t *next = p->data;

			next[3] = MIN(next[3], top.ttl);
			mpls_input(ifp, p);
		} else if (to_ip(p, top.ttl)) {
			ip4_input(ifp, p);
		} else {
			drop(&ms->st.bad, p);
		}
		return;
	}
	if (op == MPLS_OP_BAD) {
		/* Implicit null is never sent (2.1); router alert and the rest are not supported. */
		ifp->st.rx_drops++;
		drop(&ms->st.bad, p);
		return;
	}
	if (op == MPLS_OP_NO_LABEL) {
		drop(&ms->st.no_label, p);
		return;
	}
	if (top.ttl <= 1) {
		expire(ifp, p, depth);
		return;
	}
	ttl = (uint8_t)(top.ttl - 1);
	if (!ip4_route(n, 0, e->via, &oif, &gw) || node_is_local(n, gw)) {
		drop(&ms->st.no_route, p);
		return;
	}
	pkt_trace_add(p, n->id);
	pkt_pull(p, MPLS_LSE_LEN);
	if (op == MPLS_OP_PHP) {
		/* Penultimate-hop pop (RFC 3031 3.16): what is below goes on as it is. */
		ms->st.popped++;
		if (top.s) {
			if (!to_ip(p, ttl)) {
				drop(&ms->st.bad, p);
				return;
			}
			ms->st.forwarded++;
			ip4_send_on(oif, gw, p, true);
			return;
		}
		p->data[3] = ttl;
	} else {
		uint8_t *h = pkt_push(&p, (size_t)e->nout * MPLS_LSE_LEN);

		mpls_stack_build(h, e->out, e->nout, top.tc, ttl, top.s);
	}
	ms->st.forwarded++;
	send_labelled(ms, oif, gw, p);
}

struct push_ctx {
	struct mpls_state *ms;
	struct iface *ifp;
	uint32_t nh;
	const uint32_t *labels;
	int n;
};

/*
 * Push the labels on one datagram (or fragment): TTL from IP (uniform model)
 * or 255 (pipe model, RFC 3443 3.3), TC from the IP precedence.
 */
static void
push_send(struct pkt *p, void *arg)
{
	struct push_ctx *c = arg;
	uint8_t ttl = c->ms->pipe ? 255 : p->data[8], tc = p->data[1] >> 5;
	uint8_t *h = pkt_push(&p, (size_t)c->n * MPLS_LSE_LEN);

	mpls_stack_build(h, c->labels, c->n, tc, ttl, true);
	c->ms->st.pushed++;
	send_labelled(c->ms, c->ifp, c->nh, p);
}

void
mpls_ip_output(struct iface *ifp, uint32_t nh, struct pkt *p, const struct label_stack *stack,
    bool forwarded)
{
	struct node *n = ifp->node;
	uint32_t labels[LABEL_STACK_MAX];
	struct push_ctx c = {mpls_state_get(n), ifp, nh, labels, 0};
	size_t room;

	/* Implicit null in a route's stack means "no label here" (the next hop pops). */
	for (int i = 0; stack != NULL && i < stack->n; i++)
		if (stack->label[i] != MPLS_LABEL_IMPLICIT_NULL)
			labels[c.n++] = stack->label[i];
	if (c.n == 0 || ifp->kind != IF_ETHERNET) {
		ip4_send_on(ifp, nh, p, forwarded);
		return;
	}
	room = (size_t)c.n * MPLS_LSE_LEN;
	if (p->len + room <= ifp->mtu) {
		push_send(p, &c);
		return;
	}
	/* The MTU counts the labels: the datagram must fit in what is left (RFC 3032 3). */
	if ((get16(p->data + 6) & IP_DF) || ifp->mtu < room + IP_HLEN + 8) {
		n->ip->st.frag_fails++;
		if (forwarded)
			icmp_error(n, NULL, p, ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG,
			    (uint16_t)(ifp->mtu - room));
		ifp->st.tx_drops++;
		drop(&c.ms->st.mtu_drops, p);
		return;
	}
	n->ip->st.frag_creates += (uint64_t)ip4_fragment(p, (uint16_t)(ifp->mtu - room), push_send, &c);
}

/* --- configuration -------------------------------------------------------------------- */

bool
mpls_cfg_label(const struct cfg *c, const char *what, bool incoming, uint32_t *out)
{
	long long v;
	char err[160];

	if (!cfg_int(c, what, 0, LABEL_MAX, &v))
		return false;
	if (!mpls_label_valid(v, incoming, err, sizeof(err)))
		return cfg_error(c, "%s: %s", what, err);
	*out = (uint32_t)v;
	return true;
}

static const struct cfg_word actions[] = {{"swap", MPLS_SWAP}, {"pop", MPLS_POP}};

/* `vrf: NAME` of a static entry: a VPN label, popped into the VRF's table (a pop without via). */
static bool
config_vpn(const struct node *n, const struct cfg *e, const struct cfg *c, struct mpls_entry *m)
{
	const char *name;
	int id;

	if (!cfg_str(c, "vrf", &name))
		return false;
	if (m->action != MPLS_POP || cfg_get(e, "via") != NULL)
		return cfg_error(c, "'vrf' is for a pop without 'via' (a VPN label)");
	if ((id = node_vrf_id(n, name)) < 0)
		return cfg_error(c, "no VRF '%s' on %s", name, n->name);
	m->vpn = true;
	m->vrf = (uint16_t)id;
	return true;
}

/* One entry of `mpls: {static: [...]}`. */
static bool
config_lsp(struct node *n, const struct cfg *e)
{
	struct mpls_entry m = {.owner = "static"};
	const struct cfg *c;
	bool ok = true;
	int act = MPLS_SWAP;
	char err[160];

	if (!cfg_is_map(e, "static LSP"))
		return false;
	if ((c = cfg_get(e, "in_label")) == NULL)
		ok = cfg_error(e, "static LSP needs 'in_label'");
	else if (!mpls_cfg_label(c, "in_label", true, &m.in))
		ok = false;
	if ((c = cfg_get(e, "action")) == NULL)
		ok = cfg_error(e, "static LSP needs 'action' (swap or pop)");
	else if (!cfg_keyword(c, "action", actions, 2, "swap or pop", &act))
		ok = false;
	m.action = (uint8_t)act;
	if ((c = cfg_get(e, "via")) != NULL && !cfg_ip(c, "via", &m.via))
		ok = false;
	c = cfg_get(e, "out_label");
	if (c != NULL && m.action == MPLS_POP) {
		ok = cfg_error(c, "a pop has no 'out_label'");
	} else if (c != NULL && c->type == CFG_SEQ) {
		if (c->n == 0 || c->n > LABEL_STACK_MAX)
			ok = cfg_error(c, "out_label: 1-%d labels", LABEL_STACK_MAX);
		for (size_t i = 0; i < c->n && i < LABEL_STACK_MAX; i++)
			if (!mpls_cfg_label(c->v[i], "out_label", false, &m.out[m.nout++]))
				ok = false;
	} else if (c != NULL) {
		if (!mpls_cfg_label(c, "out_label", false, &m.out[m.nout++]))
			ok = false;
	} else if (m.action == MPLS_SWAP && ok) {
		ok = cfg_error(e, "a swap needs 'out_label'");
	}
	if (m.action == MPLS_SWAP && cfg_get(e, "via") == NULL && ok)
		ok = cfg_error(e, "a swap needs 'via'");
	if ((c = cfg_get(e, "vrf")) != NULL && !config_vpn(n, e, c, &m))
		ok = false;
	cfg_check_unknown(e, "static LSP");
	if (ok && m.vpn && mpls_lfib_has(n, m.in))
		ok = cfg_error(e, "label %u has LFIB entries already (a VPN label stands alone)", m.in);
	if (ok && mpls_lfib_add(n, &m, err, sizeof(err)) < 0)
		ok = cfg_error(e, "%s", err);
	return ok;
}

bool
mpls_config(struct node *n, const struct cfg *block)
{
	const struct cfg *list;
	bool ok = true;

	if (n->type != NODE_ROUTER)
		return cfg_error(block, "only routers switch labels ('mpls' on %s)", n->name);
	if (!cfg_is_map(block, "mpls"))
		return false;
	if (cfg_get(block, "ttl_propagate") != NULL) {
		bool propagate = true;

		if (cfg_opt_bool(block, "ttl_propagate", &propagate))
			mpls_state_get(n)->pipe = !propagate;
		else
			ok = false;
	}
	if ((list = cfg_get(block, "static")) != NULL) {
		if (!cfg_is_seq(list, "static"))
			ok = false;
		else
			for (size_t i = 0; i < list->n; i++)
				if (!config_lsp(n, list->v[i]))
					ok = false;
	}
	cfg_check_unknown(block, "mpls");
	return ok;
}
