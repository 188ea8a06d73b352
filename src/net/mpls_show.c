/*
 * mpls_show.c: `show mpls forwarding` (alias `show mpls table`): the LFIB as
 * FRR's `show mpls table` lays it out, one line per next hop, and as JSON
 * keyed by incoming label like FRR's. A VPN label (RFC 4364) shows the VRF
 * it pops into as its next hop, as FRR shows BGP's per-VRF label (an
 * implicit-null entry whose next hop is the VRF's device).
 */
#include <stddef.h>
#include <stdio.h>

#include "../lib/json.h"
#include "../lib/strbuf.h"
#include "mpls.h"
#include "vrf.h"

/* "200", "200/300" for a stack, "implicit-null" for a pop (FRR's words). */
static const char *
out_str(const struct mpls_entry *e, char *buf, size_t len)
{
	size_t off = 0;

	if (e->untagged)
		return "no-label"; /* IOS-XE's "No Label": the payload goes on unlabelled */
	if (e->action == MPLS_POP || (e->nout == 1 && e->out[0] == MPLS_LABEL_IMPLICIT_NULL))
		return "implicit-null";
	buf[0] = '\0';
	for (int i = 0; i < e->nout && off < len; i++) {
		if (e->out[i] == MPLS_LABEL_EXPLICIT_NULL && e->nout == 1)
			return "explicit-null";
		off += (size_t)snprintf(buf + off, len - off, "%s%u", i ? "/" : "", e->out[i]);
	}
	return buf;
}

/* The next hop column: an address, the VRF a VPN label pops into (FRR names its VRF device), or "local". */
static const char *
via_str(const struct node *n, const struct mpls_entry *e)
{
	if (e->vpn)
		return node_vrf_name(n, e->vrf);
	return e->via ? ip_str(e->via) : "local";
}

void
mpls_show(const struct node *n, struct strbuf *b)
{
	const struct mpls_state *ms = n->mpls;
	char out[LABEL_STACK_MAX * 8 + 1];

	if (ms == NULL || ms->n == 0) {
		sb_add(b, "No MPLS forwarding entries\n");
		return;
	}
	sb_printf(b, " %-14s %-7s %-15s %s\n", "Inbound Label", "Type", "Nexthop", "Outbound Label");
	sb_add(b, "-------------------------------------------------------------\n");
	for (size_t i = 0; i < ms->n; i++) {
		const struct mpls_entry *e = &ms->v[i];

		sb_printf(b, " %-14u %-7s %-15s %s\n", e->in, e->owner, via_str(n, e),
		    out_str(e, out, sizeof(out)));
	}
}

void
mpls_show_json(const struct node *n, struct json *j)
{
	const struct mpls_state *ms = n->mpls;
	char key[16];

	json_obj_begin(j);
	for (size_t i = 0; ms != NULL && i < ms->n;) {
		uint32_t in = ms->v[i].in;

		snprintf(key, sizeof(key), "%u", in);
		json_key(j, key);
		json_obj_begin(j);
		json_kv_int(j, "inLabel", in);
		json_kv_bool(j, "installed", true);
		json_key(j, "nexthops");
		json_arr_begin(j);
		for (; i < ms->n && ms->v[i].in == in; i++) {
			const struct mpls_entry *e = &ms->v[i];
			bool pop = e->action == MPLS_POP;

			json_obj_begin(j);
			json_kv_str(j, "type", e->owner);
			json_kv_int(j, "outLabel", pop ? MPLS_LABEL_IMPLICIT_NULL : e->out[0]);
			if (!pop && e->nout > 1) {
				json_key(j, "outLabelStack");
				json_arr_begin(j);
				for (int k = 0; k < e->nout; k++)
					json_int(j, e->out[k]);
				json_arr_end(j);
			}
			if (e->vpn) { /* FRR: an interface next hop, the VRF's device */
				json_kv_str(j, "interface", via_str(n, e));
				json_kv_str(j, "vrf", via_str(n, e));
			} else {
				json_kv_str(j, "nexthop", via_str(n, e));
			}
			if (e->untagged)
				json_kv_bool(j, "untagged", true);
			json_kv_bool(j, "installed", true);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
	}
	json_obj_end(j);
}

/* The data plane's counters (`show mpls statistics`): one "name value" line each. */
static const struct {
	const char *text, *json;
	size_t off;
} counters[] = {
	{"received", "received", offsetof(struct mpls_stats, rx)},
	{"forwarded", "forwarded", offsetof(struct mpls_stats, forwarded)},
	{"pushed", "pushed", offsetof(struct mpls_stats, pushed)},
	{"popped", "popped", offsetof(struct mpls_stats, popped)},
	{"TTL expired", "ttlExpired", offsetof(struct mpls_stats, ttl_expired)},
	{"no LFIB entry", "noLabel", offsetof(struct mpls_stats, no_label)},
	{"bad", "bad", offsetof(struct mpls_stats, bad)},
	{"MTU drops", "mtuDrops", offsetof(struct mpls_stats, mtu_drops)},
	{"no route", "noRoute", offsetof(struct mpls_stats, no_route)},
};

static uint64_t
counter(const struct node *n, size_t i)
{
	static const struct mpls_stats zero;
	const struct mpls_stats *st = n->mpls != NULL ? &n->mpls->st : &zero;

	return *(const uint64_t *)((const char *)st + counters[i].off);
}

void
mpls_stats_show(const struct node *n, struct strbuf *b)
{
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		sb_printf(b, "%-14s %llu\n", counters[i].text, (unsigned long long)counter(n, i));
}

void
mpls_stats_show_json(const struct node *n, struct json *j)
{
	json_obj_begin(j);
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		json_kv_int(j, counters[i].json, (int64_t)counter(n, i));
	json_obj_end(j);
}
