/*
 * ping.c: ICMP echo sessions.
 *
 * Without an interval the next request leaves as soon as the previous one is
 * answered or times out (as on Cisco routers), so a ping costs a few round
 * trips of simulated time; with an interval requests leave on a fixed
 * schedule whatever comes back (a stream for loss measurements).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "ping.h"

const char *
ms3(sim_time t)
{
	static _Thread_local char bufs[4][32];
	static _Thread_local unsigned k;
	char *b = bufs[k++ & 3];

	snprintf(b, 32, "%lld.%03lld", (long long)(t / SIM_MS), (long long)(t % SIM_MS / SIM_US));
	return b;
}

static bool
finished(const struct ping *pg)
{
	if (pg->sent < pg->o.count)
		return false;
	for (int i = 0; i < pg->sent; i++)
		if (pg->probes[i].status == PROBE_PENDING)
			return false;
	return true;
}

static void
send_next(struct ping *pg)
{
	struct node *n = pg->node;
	struct probe *pr = &pg->probes[pg->sent];

	pr->seq = (uint16_t)(pg->sent + 1);
	pr->sent = node_now(n);
	pr->status = PROBE_PENDING;
	pg->sent++;
	if (icmp_echo(n, pg->o.vrf, pg->o.src, pg->o.dst, pg->id, pr->seq, (size_t)pg->o.size, pg->o.ttl,
		pg->o.df, true) < 0)
		pr->status = PROBE_NOROUTE;
}

/* One timer: the next send or the earliest probe deadline, whichever is first. */
static void
reschedule(struct ping *pg)
{
	struct node *n = pg->node;
	sim_time next = SIM_NEVER;

	if (finished(pg)) {
		pg->done = true;
		timer_cancel(&pg->t);
		return;
	}
	for (int i = 0; i < pg->sent; i++)
		if (pg->probes[i].status == PROBE_PENDING)
			next = MIN(next, pg->probes[i].sent + pg->o.timeout);
	if (pg->sent < pg->o.count) {
		sim_time when;

		if (pg->o.interval > 0)
			when = pg->probes[pg->sent - 1].sent + pg->o.interval;
		else
			when = next == SIM_NEVER ? node_now(n) : SIM_NEVER;
		next = MIN(next, when);
	}
	if (next != SIM_NEVER)
		timer_set_at(&pg->t, next);
}

static void
tick(struct timer *t)
{
	struct ping *pg = t->arg;
	sim_time now = node_now(pg->node);

	for (int i = 0; i < pg->sent; i++) {
		struct probe *pr = &pg->probes[i];

		if (pr->status == PROBE_PENDING && now >= pr->sent + pg->o.timeout)
			pr->status = PROBE_TIMEOUT;
	}
	if (pg->sent < pg->o.count) {
		bool quiet = true;

		for (int i = 0; i < pg->sent; i++)
			if (pg->probes[i].status == PROBE_PENDING)
				quiet = false;
		if (pg->sent == 0 || (pg->o.interval > 0 &&
		    now >= pg->probes[pg->sent - 1].sent + pg->o.interval) ||
		    (pg->o.interval == 0 && quiet))
			send_next(pg);
	}
	reschedule(pg);
}

static int
on_icmp(struct node *n, const struct icmp_msg *m, void *arg)
{
	struct ping *pg = arg;
	struct probe *pr;

	if (m->id != pg->id || m->seq == 0 || m->seq > pg->sent)
		return 0;
	if (m->type != ICMP_ECHOREPLY && (m->quoted == NULL || m->quoted->dst != pg->o.dst))
		return 0;
	pr = &pg->probes[m->seq - 1];
	if (pr->status != PROBE_PENDING)
		return 1; /* a duplicate or a late answer */
	pr->type = m->type;
	pr->code = m->code;
	pr->from = m->from;
	pr->ttl = m->ttl;
	pr->rtt = node_now(n) - pr->sent;
	switch (m->type) {
	case ICMP_ECHOREPLY:
		if (m->from != pg->o.dst)
			return 0;
		pr->status = PROBE_OK;
		pg->received++;
		pg->sum += pr->rtt;
		pg->min = pg->received == 1 ? pr->rtt : MIN(pg->min, pr->rtt);
		pg->max = MAX(pg->max, pr->rtt);
		if (!pg->have_path && m->p->trace) {
			pg->path = *m->p->trace;
			pg->have_path = true;
		}
		break;
	case ICMP_TIMXCEED:
		pr->status = PROBE_TTL;
		break;
	default:
		pr->status = PROBE_UNREACH;
		break;
	}
	reschedule(pg);
	return 1;
}

struct ping *
ping_start(struct node *n, const struct ping_opts *o)
{
	struct ping *pg = xcalloc(1, sizeof(*pg));

	pg->node = n;
	pg->o = *o;
	if (pg->o.count <= 0)
		pg->o.count = 5;
	if (pg->o.size < 0)
		pg->o.size = 56;
	if (pg->o.timeout <= 0)
		pg->o.timeout = 2 * SIM_S;
	pg->id = n->ip->next_icmp_id++;
	pg->probes = xcalloc((size_t)pg->o.count, sizeof(*pg->probes));
	timer_init(&pg->t, &n->actor, tick, pg);
	pg->w.fn = on_icmp;
	pg->w.arg = pg;
	icmp_watch_add(n, &pg->w);
	timer_set(&pg->t, 0);
	return pg;
}

void
ping_free(struct ping *pg)
{
	if (pg == NULL)
		return;
	timer_cancel(&pg->t);
	if (pg->node->ip)
		icmp_watch_del(pg->node, &pg->w);
	free(pg->probes);
	free(pg);
}

static const char *
unreach_text(uint8_t type, uint8_t code)
{
	if (type == ICMP_TIMXCEED)
		return "Time to live exceeded";
	switch (code) {
	case ICMP_UNREACH_NET:
		return "Destination Net Unreachable";
	case ICMP_UNREACH_HOST:
		return "Destination Host Unreachable";
	case ICMP_UNREACH_PROTO:
		return "Destination Protocol Unreachable";
	case ICMP_UNREACH_PORT:
		return "Destination Port Unreachable";
	case ICMP_UNREACH_NEEDFRAG:
		return "Frag needed and DF set";
	case ICMP_UNREACH_ADMIN:
		return "Communication administratively prohibited";
	}
	return "Destination Unreachable";
}

static const char *
status_name(uint8_t s)
{
	static const char *const names[] = {"pending", "reply", "timeout", "unreachable",
	    "ttl-exceeded", "no-route"};

	return names[s];
}

void
ping_format(const struct ping *pg, struct strbuf *b)
{
	struct network *net = pg->node->net;
	int loss = pg->sent ? (pg->sent - pg->received) * 100 / pg->sent : 0;

	sb_printf(b, "PING %s: %d data bytes\n", ip_str(pg->o.dst), pg->o.size);
	for (int i = 0; i < pg->sent; i++) {
		const struct probe *pr = &pg->probes[i];

		switch (pr->status) {
		case PROBE_OK:
			sb_printf(b, "%d bytes from %s: icmp_seq=%u ttl=%u time=%s ms\n",
			    pg->o.size + 8, ip_str(pr->from), pr->seq, pr->ttl, ms3(pr->rtt));
			break;
		case PROBE_TIMEOUT:
			sb_printf(b, "Request timeout for icmp_seq=%u\n", pr->seq);
			break;
		case PROBE_NOROUTE:
			sb_printf(b, "icmp_seq=%u: no route to host\n", pr->seq);
			break;
		default:
			sb_printf(b, "From %s icmp_seq=%u %s\n", ip_str(pr->from), pr->seq,
			    unreach_text(pr->type, pr->code));
		}
	}
	if (pg->have_path) {
		sb_add(b, "Round-trip path:");
		for (int i = 0; i < pg->path.n; i++)
			sb_printf(b, "%s %s", i ? " ->" : "", net->nodes[pg->path.node[i]]->name);
		sb_addc(b, '\n');
	}
	sb_printf(b, "Ping %s: %d/%d packets received, %d%% loss", ip_str(pg->o.dst),
	    pg->received, pg->sent, loss);
	if (pg->received > 0)
		sb_printf(b, ", rtt min/avg/max = %s/%s/%s ms", ms3(pg->min),
		    ms3(pg->sum / pg->received), ms3(pg->max));
	sb_addc(b, '\n');
}

void
ping_json(const struct ping *pg, struct json *j)
{
	struct network *net = pg->node->net;

	json_obj_begin(j);
	json_kv_str(j, "destination", ip_str(pg->o.dst));
	json_kv_int(j, "transmitted", pg->sent);
	json_kv_int(j, "received", pg->received);
	json_kv_double(j, "lossPercent",
	    pg->sent ? (pg->sent - pg->received) * 100.0 / pg->sent : 0.0);
	if (pg->received > 0) {
		json_kv_double(j, "rttMinMs", (double)pg->min / SIM_MS);
		json_kv_double(j, "rttAvgMs", (double)pg->sum / pg->received / SIM_MS);
		json_kv_double(j, "rttMaxMs", (double)pg->max / SIM_MS);
	}
	json_key(j, "replies");
	json_arr_begin(j);
	for (int i = 0; i < pg->sent; i++) {
		const struct probe *pr = &pg->probes[i];

		json_obj_begin(j);
		json_kv_int(j, "seq", pr->seq);
		json_kv_str(j, "status", status_name(pr->status));
		if (pr->status != PROBE_TIMEOUT && pr->status != PROBE_NOROUTE &&
		    pr->status != PROBE_PENDING) {
			json_kv_str(j, "from", ip_str(pr->from));
			json_kv_int(j, "ttl", pr->ttl);
			json_kv_double(j, "rttMs", (double)pr->rtt / SIM_MS);
		}
		if (pr->status == PROBE_UNREACH || pr->status == PROBE_TTL)
			json_kv_str(j, "message", unreach_text(pr->type, pr->code));
		json_obj_end(j);
	}
	json_arr_end(j);
	if (pg->have_path) {
		json_key(j, "path");
		json_arr_begin(j);
		for (int i = 0; i < pg->path.n; i++)
			json_str(j, net->nodes[pg->path.node[i]]->name);
		json_arr_end(j);
	}
	json_obj_end(j);
}
