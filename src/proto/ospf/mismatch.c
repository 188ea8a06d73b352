/*
 * mismatch.c: configurations that keep an adjacency from forming (RFC 2328
 * 10.5 and 10.6: hello and dead intervals, network mask, area, the E and N
 * bits, authentication, the MTU; and a neighbor with our router ID). The
 * packets are dropped where the check fails; this records why, per
 * interface, neighbor address and reason, so that a user sees the reason
 * without --trace: the timeline says it once, in the words FRR logs it (IOS's
 * for the duplicate router ID, which FRR does not log), and `show ip ospf
 * mismatches` lists each with its count and when it was last seen.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../lib/util.h"
#include "../../net/events.h"
#include "ospf.h"

static const char *const reason_names[OSPF_MIS_N] = {
	[OSPF_MIS_MASK] = "network-mask",
	[OSPF_MIS_HELLO] = "hello-interval",
	[OSPF_MIS_DEAD] = "dead-interval",
	[OSPF_MIS_OPTIONS] = "e-bit",
	[OSPF_MIS_AREA] = "area",
	[OSPF_MIS_AUTH] = "authentication",
	[OSPF_MIS_MTU] = "mtu",
	[OSPF_MIS_RID] = "duplicate-router-id",
};

const char *
ospf_mismatch_name(enum ospf_mismatch_reason r)
{
	return reason_names[r];
}

void
ospf_mismatch(struct ospf_if *oi, uint32_t src, uint32_t rid, enum ospf_mismatch_reason why,
              const char *fmt, ...)
{
	struct node *n = oi->o->node;
	struct ospf_mismatch *m = NULL;
	va_list ap;

	for (size_t i = 0; i < oi->nmis; i++)
		if (oi->mis[i].addr == src && oi->mis[i].reason == why)
			m = &oi->mis[i];
	if (m == NULL) {
		struct ospf_mismatch fresh = {.addr = src, .reason = why, .first = ospf_now(oi->o)};

		VEC_PUSH(oi->mis, oi->nmis, oi->miscap, fresh);
		m = &oi->mis[oi->nmis - 1];
	}
	m->rid = rid;
	m->last = ospf_now(oi->o);
	va_start(ap, fmt);
	vsnprintf(m->text, sizeof(m->text), fmt, ap);
	va_end(ap);
	ospf_trace(oi->o, "%s: %s", oi->ifp->name, m->text);
	/* Once per neighbor and reason: a hello every 10 s must not flood the timeline. */
	if (m->count++ == 0)
		ev_log(n->net, n, "OSPF: %s %s: %s", n->name, oi->ifp->name, m->text);
}
