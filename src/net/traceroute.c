/*
 * traceroute.c: UDP traceroute (probes to port 33434 and up with TTL 1, 2,
 * ...), as Linux and Cisco do it. A hop answers with ICMP time exceeded; the
 * destination with port unreachable, which ends the trace.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/util.h"
#include "ping.h"

#define PROBE_DATA 32

/* The trace ends after a hop in which some probe reached the destination or an unreachable. */
static bool
hop_final(const struct traceroute *tr, int hop)
{
	for (int i = 0; i < tr->o.probes; i++) {
		const struct probe *pr = &tr->probes[hop * tr->o.probes + i];

		if (pr->status == PROBE_UNREACH ||
		    (pr->status == PROBE_OK && pr->type == ICMP_UNREACH))
			return true;
	}
	return false;
}

static void
send_probe(struct traceroute *tr)
{
	struct node *n = tr->node;
	int hop = tr->cur / tr->o.probes;
	struct probe *pr = &tr->probes[tr->cur];
	struct pkt *p = pkt_new(PROBE_DATA);
	struct ip4_out o = {0};

	memset(p->data, 0x40, PROBE_DATA);
	pr->seq = (uint16_t)tr->cur;
	pr->sent = node_now(n);
	pr->status = PROBE_PENDING;
	o.src = tr->o.src;
	o.dst = tr->o.dst;
	o.ttl = (uint8_t)(hop + 1);
	o.vrf = tr->o.vrf;
	if (udp_send(n, p, tr->sport, (uint16_t)(TRACEROUTE_PORT + tr->cur), &o) < 0)
		pr->status = PROBE_NOROUTE;
	tr->cur++;
	tr->last_hop = hop + 1;
	timer_set(&tr->t, pr->status == PROBE_PENDING ? tr->o.timeout : 0);
}

/* Probes go one at a time: the next leaves when the last one is answered or timed out. */
static void
advance(struct traceroute *tr)
{
	int hop = (tr->cur - 1) / tr->o.probes;

	if (tr->cur > 0 && tr->probes[tr->cur - 1].status == PROBE_PENDING)
		return;
	if (tr->cur > 0 && tr->cur % tr->o.probes == 0 &&
	    (hop_final(tr, hop) || hop + 1 >= tr->o.max_ttl)) {
		tr->done = true;
		timer_cancel(&tr->t);
		return;
	}
	send_probe(tr);
}

static void
tick(struct timer *t)
{
	struct traceroute *tr = t->arg;

	if (tr->cur > 0 && tr->probes[tr->cur - 1].status == PROBE_PENDING)
		tr->probes[tr->cur - 1].status = PROBE_TIMEOUT;
	advance(tr);
}

static int
on_icmp(struct node *n, const struct icmp_msg *m, void *arg)
{
	struct traceroute *tr = arg;
	struct probe *pr;
	int idx;

	if (m->quoted == NULL || m->quoted->proto != IPPROTO_UDP_ || m->qlen < 4 ||
	    get16(m->qdata) != tr->sport || m->quoted->dst != tr->o.dst)
		return 0;
	idx = get16(m->qdata + 2) - TRACEROUTE_PORT;
	if (idx < 0 || idx >= tr->cur)
		return 0;
	pr = &tr->probes[idx];
	if (pr->status != PROBE_PENDING)
		return 1;
	pr->type = m->type;
	pr->code = m->code;
	pr->from = m->from;
	pr->ttl = m->ttl;
	pr->rtt = node_now(n) - pr->sent;
	pr->nlabels = m->nlabels;
	memcpy(pr->lse, m->lse, sizeof(pr->lse));
	if (m->type == ICMP_TIMXCEED || (m->type == ICMP_UNREACH && m->code == ICMP_UNREACH_PORT))
		pr->status = PROBE_OK;
	else
		pr->status = PROBE_UNREACH;
	if (idx == tr->cur - 1)
		advance(tr);
	return 1;
}

static void
ignore_rx(struct udp_sock *s UNUSED, struct iface *ifp UNUSED, struct pkt *p,
    uint32_t src UNUSED, uint16_t sport UNUSED, uint32_t dst UNUSED, uint16_t dport UNUSED)
{
	pkt_free(p);
}

struct traceroute *
traceroute_start(struct node *n, const struct traceroute_opts *o)
{
	struct traceroute *tr = xcalloc(1, sizeof(*tr));

	tr->node = n;
	tr->o = *o;
	if (tr->o.max_ttl <= 0 || tr->o.max_ttl > 255)
		tr->o.max_ttl = 30;
	if (tr->o.probes <= 0 || tr->o.probes > 10)
		tr->o.probes = 3;
	if (tr->o.timeout <= 0)
		tr->o.timeout = 3 * SIM_S;
	tr->probes = xcalloc((size_t)(tr->o.max_ttl * tr->o.probes), sizeof(*tr->probes));
	/* An ephemeral source port of our own, so answers find us. */
	do
		tr->sock = udp_bind_vrf(n, tr->o.vrf, n->ip->next_port++, ignore_rx, tr);
	while (tr->sock == NULL);
	tr->sport = tr->sock->port;
	timer_init(&tr->t, &n->actor, tick, tr);
	tr->w.fn = on_icmp;
	tr->w.arg = tr;
	icmp_watch_add(n, &tr->w);
	timer_set(&tr->t, 0);
	return tr;
}

void
traceroute_free(struct traceroute *tr)
{
	if (tr == NULL)
		return;
	timer_cancel(&tr->t);
	if (tr->node->ip) {
		icmp_watch_del(tr->node, &tr->w);
		udp_close(tr->sock);
	}
	free(tr->probes);
	free(tr);
}

static const char *
flag(const struct probe *pr)
{
	if (pr->status != PROBE_UNREACH)
		return "";
	switch (pr->code) {
	case ICMP_UNREACH_NET:
		return " !N";
	case ICMP_UNREACH_HOST:
		return " !H";
	case ICMP_UNREACH_PROTO:
		return " !P";
	case ICMP_UNREACH_NEEDFRAG:
		return " !F";
	case ICMP_UNREACH_ADMIN:
		return " !X";
	}
	return " !";
}

/* The first answer of the hop that carried labels, or NULL. */
static const struct probe *
labelled(const struct traceroute *tr, int hop)
{
	for (int i = 0; i < tr->o.probes; i++)
		if (tr->probes[hop * tr->o.probes + i].nlabels > 0)
			return &tr->probes[hop * tr->o.probes + i];
	return NULL;
}

/* RFC 4950 label stacks under the hop, one line per entry, as Juniper and FreeBSD print them. */
static void
labels_format(const struct traceroute *tr, int hop, struct strbuf *b)
{
	const struct probe *pr = labelled(tr, hop);

	for (int k = 0; pr != NULL && k < pr->nlabels; k++) {
		uint32_t w = pr->lse[k];

		sb_printf(b, "     MPLS Label=%u Exp=%u S=%u TTL=%u\n", w >> 12, w >> 9 & 7, w >> 8 & 1,
		    w & 0xff);
	}
}

void
traceroute_format(const struct traceroute *tr, struct strbuf *b)
{
	sb_printf(b, "traceroute to %s, %d hops max, %d byte packets\n", ip_str(tr->o.dst),
	    tr->o.max_ttl, 20 + 8 + PROBE_DATA);
	for (int h = 0; h < tr->last_hop; h++) {
		uint32_t shown = 0;

		sb_printf(b, "%2d ", h + 1);
		for (int i = 0; i < tr->o.probes; i++) {
			const struct probe *pr = &tr->probes[h * tr->o.probes + i];

			if (pr->status == PROBE_TIMEOUT || pr->status == PROBE_PENDING) {
				sb_add(b, " *");
				continue;
			}
			if (pr->status == PROBE_NOROUTE) {
				sb_add(b, " !N");
				continue;
			}
			if (pr->from != shown) {
				sb_printf(b, " %s", ip_str(pr->from));
				shown = pr->from;
			}
			sb_printf(b, "  %s ms%s", ms3(pr->rtt), flag(pr));
		}
		sb_addc(b, '\n');
		labels_format(tr, h, b);
	}
}

bool
traceroute_reached(const struct traceroute *tr)
{
	for (int i = 0; i < tr->cur; i++)
		if (tr->probes[i].status == PROBE_OK && tr->probes[i].from == tr->o.dst)
			return true;
	return false;
}

void
traceroute_json(const struct traceroute *tr, struct json *j)
{
	json_obj_begin(j);
	json_kv_str(j, "destination", ip_str(tr->o.dst));
	json_kv_int(j, "maxHops", tr->o.max_ttl);
	json_kv_bool(j, "reached", traceroute_reached(tr));
	json_key(j, "hops");
	json_arr_begin(j);
	for (int h = 0; h < tr->last_hop; h++) {
		json_obj_begin(j);
		json_kv_int(j, "hop", h + 1);
		json_key(j, "probes");
		json_arr_begin(j);
		for (int i = 0; i < tr->o.probes; i++) {
			const struct probe *pr = &tr->probes[h * tr->o.probes + i];

			json_obj_begin(j);
			if (pr->status == PROBE_TIMEOUT || pr->status == PROBE_PENDING) {
				json_kv_bool(j, "timeout", true);
			} else if (pr->status == PROBE_NOROUTE) {
				json_kv_str(j, "error", "no route");
			} else {
				json_kv_str(j, "address", ip_str(pr->from));
				json_kv_double(j, "rttMs", (double)pr->rtt / SIM_MS);
				if (*flag(pr))
					json_kv_str(j, "flag", flag(pr) + 1);
				if (pr->nlabels > 0) {
					json_key(j, "mpls");
					json_arr_begin(j);
					for (int k = 0; k < pr->nlabels; k++) {
						json_obj_begin(j);
						json_kv_int(j, "label", pr->lse[k] >> 12);
						json_kv_int(j, "exp", pr->lse[k] >> 9 & 7);
						json_kv_int(j, "s", pr->lse[k] >> 8 & 1);
						json_kv_int(j, "ttl", pr->lse[k] & 0xff);
						json_obj_end(j);
					}
					json_arr_end(j);
				}
			}
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}
