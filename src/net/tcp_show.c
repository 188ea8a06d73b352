/*
 * tcp_show.c: what `show tcp` and the `tcp` tool print (tcp_tool.h), as text
 * laid out like `ss -tan` and as JSON with stable camelCase keys.
 * Connections are listed sorted by (local address, local port, remote
 * address, remote port, VRF), never in creation order. A connection in a
 * VRF other than the default shows it as ss does a socket bound to a VRF
 * device: `ADDR%VRF:PORT` as its local address (JSON: "vrf").
 */
#include <stdio.h>
#include <stdlib.h>

#include "../lib/json.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "ip4.h"
#include "tcp_int.h"
#include "tcp_tool.h"
#include "vrf.h"

static int
cmp_pcb(const void *a, const void *b)
{
	const struct tcp_pcb *x = *(struct tcp_pcb *const *)a, *y = *(struct tcp_pcb *const *)b;

	if (x->laddr != y->laddr)
		return x->laddr < y->laddr ? -1 : 1;
	if (x->lport != y->lport)
		return x->lport < y->lport ? -1 : 1;
	if (x->raddr != y->raddr)
		return x->raddr < y->raddr ? -1 : 1;
	if (x->rport != y->rport)
		return x->rport < y->rport ? -1 : 1;
	return x->o.vrf < y->o.vrf ? -1 : x->o.vrf > y->o.vrf;
}

static struct tcp_pcb **
sorted(const struct tcp_stack *st)
{
	struct tcp_pcb **v = xmalloc((st->n + 1) * sizeof(*v));

	for (size_t i = 0; i < st->n; i++)
		v[i] = st->pcbs[i];
	qsort(v, st->n, sizeof(*v), cmp_pcb);
	return v;
}

/* A listener's wildcard address (and a connection's unknown one) is "*". */
static const char *
addr_or_star(uint32_t a)
{
	return a ? ip_str(a) : "*";
}

/* ADDR:PORT, with %VRF after the address when vrf is named (not the default). */
static const char *
endpoint(uint32_t a, uint16_t p, const char *vrf, char *buf, size_t len)
{
	char port[8] = "*";

	if (p != 0)
		snprintf(port, sizeof(port), "%u", p);
	snprintf(buf, len, "%s%s%s:%s", addr_or_star(a), vrf ? "%" : "", vrf ? vrf : "", port);
	return buf;
}

/* The pcb's VRF name, NULL for the default VRF. */
static const char *
vrf_name(const struct node *n, const struct tcp_pcb *pcb)
{
	return pcb->o.vrf == VRF_DEFAULT ? NULL : node_vrf_name(n, pcb->o.vrf);
}

static uint32_t
recv_q(const struct tcp_pcb *pcb)
{
	return pcb->unconsumed;
}

static uint32_t
unacked(const struct tcp_pcb *pcb)
{
	return pcb->state == TCP_LISTEN ? 0 : pcb->snd_max - pcb->snd_una;
}

void
tcp_show(struct node *n, struct strbuf *b)
{
	const struct tcp_stack *st = n->ip ? n->ip->tcp : NULL;
	struct tcp_pcb **v;
	char l[48], r[32];

	sb_printf(b, "%-12s %6s %6s %-21s %-21s %8s %7s %s\n", "State", "Recv-Q", "Send-Q",
	    "Local Address:Port", "Peer Address:Port", "Unacked", "RTO", "Retrans");
	if (st == NULL)
		return;
	v = sorted(st);
	for (size_t i = 0; i < st->n; i++) {
		const struct tcp_pcb *pcb = v[i];

		sb_printf(b, "%-12s %6u %6u %-21s %-21s", tcp_state_name(pcb->state), recv_q(pcb),
		    pcb->sbuf_len, endpoint(pcb->laddr, pcb->lport, vrf_name(n, pcb), l, sizeof(l)),
		    endpoint(pcb->raddr, pcb->rport, NULL, r, sizeof(r)));
		if (pcb->state == TCP_LISTEN)
			sb_addc(b, '\n');
		else
			sb_printf(b, " %8u %5lldms %llu\n", unacked(pcb),
			    (long long)(pcb->rto / SIM_MS), (unsigned long long)pcb->retransmits);
	}
	free(v);
}

void
tcp_show_json(struct node *n, struct json *j)
{
	const struct tcp_stack *st = n->ip ? n->ip->tcp : NULL;
	struct tcp_pcb **v = st ? sorted(st) : NULL;

	json_obj_begin(j);
	json_key(j, "connections");
	json_arr_begin(j);
	for (size_t i = 0; st != NULL && i < st->n; i++) {
		const struct tcp_pcb *pcb = v[i];

		json_obj_begin(j);
		json_kv_str(j, "state", tcp_state_name(pcb->state));
		json_kv_str(j, "localAddress", addr_or_star(pcb->laddr));
		json_kv_int(j, "localPort", pcb->lport);
		json_kv_str(j, "remoteAddress", addr_or_star(pcb->raddr));
		json_kv_int(j, "remotePort", pcb->rport);
		json_kv_int(j, "recvQ", recv_q(pcb));
		json_kv_int(j, "sendQ", pcb->sbuf_len);
		json_kv_int(j, "unacked", unacked(pcb));
		json_kv_int(j, "rtoMsec", pcb->rto / SIM_MS);
		json_kv_int(j, "srttMsec", pcb->srtt / SIM_MS);
		json_kv_int(j, "retransmits", (int64_t)pcb->retransmits);
		json_kv_int(j, "bytesAcked", (int64_t)pcb->bytes_acked);
		json_kv_int(j, "bytesReceived", (int64_t)pcb->bytes_rcvd);
		json_kv_int(j, "sendWindow", pcb->snd_wnd);
		json_kv_int(j, "cwnd", pcb->cwnd);
		json_kv_int(j, "ssthresh", pcb->ssthresh);
		json_kv_int(j, "receiveWindow", tcp_rcv_wnd(pcb));
		json_kv_int(j, "mss", pcb->mss);
		json_kv_bool(j, "md5", pcb->o.md5_key != NULL);
		json_kv_int(j, "minTtl", pcb->o.min_ttl);
		if (pcb->o.vrf != VRF_DEFAULT)
			json_kv_str(j, "vrf", vrf_name(n, pcb));
		json_obj_end(j);
	}
	json_arr_end(j);
	if (st != NULL) {
		json_key(j, "counters");
		json_obj_begin(j);
		json_kv_int(j, "segmentsIn", (int64_t)st->st.segs_in);
		json_kv_int(j, "segmentsOut", (int64_t)st->st.segs_out);
		json_kv_int(j, "retransmits", (int64_t)st->st.rtx);
		json_kv_int(j, "resetsIn", (int64_t)st->st.rst_in);
		json_kv_int(j, "resetsOut", (int64_t)st->st.rst_out);
		json_kv_int(j, "closedPort", (int64_t)st->st.closed_port);
		json_kv_int(j, "badChecksum", (int64_t)st->st.bad_cksum);
		json_kv_int(j, "badHeader", (int64_t)st->st.bad_hdr);
		json_kv_int(j, "md5Drops", (int64_t)st->st.md5_drops);
		json_kv_int(j, "ttlDrops", (int64_t)st->st.ttl_drops);
		json_obj_end(j);
	}
	json_obj_end(j);
	free(v);
}

/* ------------------------------------------------------------------------ */
/* The tool's report */

static double
msec(sim_time t)
{
	return (double)t / (double)SIM_MS;
}

void
tcp_tool_format(const struct tcp_tool *tl, struct strbuf *b)
{
	const char *err = tcp_tool_error(tl);
	sim_time d = tl->t_done - tl->t_conn;

	if (!tl->connected) {
		sb_printf(b, "%s:%u: %s after %.3f ms\n", ip_str(tl->raddr), tl->rport,
		    err ? err : "not connected", msec(tl->t_done - tl->t_start));
		return;
	}
	sb_printf(b, "Connected to %s:%u from %s:%u in %.3f ms\n", ip_str(tl->raddr), tl->rport,
	    ip_str(tl->laddr), tl->lport, msec(tl->t_conn - tl->t_start));
	if (tl->bytes > 0) {
		sb_printf(b, "%llu bytes sent, %llu acknowledged in %.3f ms", (unsigned long long)tl->bytes,
		    (unsigned long long)tl->acked, msec(d));
		if (d > 0)
			sb_printf(b, " (%.1f kbit/s)", (double)tl->acked * 8.0 / ((double)d / SIM_S) / 1000.0);
		sb_printf(b, ", %llu retransmissions\n", (unsigned long long)tl->retransmits);
		if (tl->echo)
			sb_printf(b, "%llu bytes echoed back%s\n", (unsigned long long)tl->received,
			    tl->mismatch || tl->received < tl->bytes ? "" : ", identical");
	}
	if (err != NULL)
		sb_printf(b, "%s\n", err);
}

void
tcp_tool_json(const struct tcp_tool *tl, struct json *j)
{
	const char *err = tcp_tool_error(tl);

	json_obj_begin(j);
	json_kv_str(j, "destination", ip_str(tl->raddr));
	json_kv_int(j, "port", tl->rport);
	json_kv_str(j, "source", tl->laddr ? ip_str(tl->laddr) : "");
	json_kv_int(j, "sourcePort", tl->lport);
	json_kv_bool(j, "connected", tl->connected);
	json_kv_double(j, "connectMsec", tl->connected ? msec(tl->t_conn - tl->t_start) : 0);
	json_kv_int(j, "bytes", (int64_t)tl->bytes);
	json_kv_int(j, "bytesAcked", (int64_t)tl->acked);
	json_kv_int(j, "bytesEchoed", (int64_t)tl->received);
	json_kv_double(j, "timeMsec", msec(tl->t_done - (tl->connected ? tl->t_conn : tl->t_start)));
	json_kv_int(j, "retransmits", (int64_t)tl->retransmits);
	if (tl->vrf != VRF_DEFAULT)
		json_kv_str(j, "vrf", node_vrf_name(tl->node, tl->vrf));
	json_key(j, "error");
	if (err)
		json_str(j, err);
	else
		json_null(j);
	json_obj_end(j);
}
