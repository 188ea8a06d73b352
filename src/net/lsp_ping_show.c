/*
 * lsp_ping_show.c: the output of `ping mpls` and `traceroute mpls`
 * (lsp_ping.h), in the shape Cisco's IOS prints them: one character per
 * request and a success rate for ping, one line per label TTL for
 * traceroute; and their JSON (keys in docs/mpls.md).
 */
#include "../lib/util.h"
#include "lsp_ping.h"
#include "lsp_ping_msg.h"
#include "mpls.h"

static const char legend[] =
    "Codes: '!' - success, 'Q' - request not sent, '.' - timeout,\n"
    "  'R' - transit router (label switched), 'F' - no FEC mapping, 'f' - FEC mismatch,\n"
    "  'M' - malformed request, 'm' - unsupported TLVs, 'N' - no label entry,\n"
    "  'B' - no MPLS forwarding, 'x' - return code 0, 'X' - unknown return code\n\n";

static char
probe_char(const struct lsp_probe *pr)
{
	switch (pr->status) {
	case LSPP_REPLY:
		return lsp_rc_char(pr->rc);
	case LSPP_NOT_SENT:
		return 'Q';
	default:
		return '.';
	}
}

static long long
ms(sim_time t)
{
	return (long long)((t + SIM_MS / 2) / SIM_MS);
}

/* "[Labels: 20/30 Exp: 0/0]" for n full label stack entries; implicit null for none. */
static void
labels_text(struct strbuf *b, const uint32_t *lse, int n)
{
	if (n == 0) {
		sb_add(b, " [Labels: implicit-null]");
		return;
	}
	sb_add(b, " [Labels: ");
	for (int i = 0; i < n; i++)
		sb_printf(b, "%s%u", i ? "/" : "", mpls_lse_unpack(lse[i]).label);
	sb_add(b, " Exp: ");
	for (int i = 0; i < n; i++)
		sb_printf(b, "%s%u", i ? "/" : "", mpls_lse_unpack(lse[i]).tc);
	sb_addc(b, ']');
}

static void
ping_text(const struct lsp_ping *lp, struct strbuf *b)
{
	sb_printf(b, "Sending %d, %d-byte MPLS Echos to %s,\n", lp->o.count,
	    LSPP_HDR_LEN + 4 + 12, prefix_str(&lp->o.fec));
	sb_printf(b, "     timeout is %lld seconds, send interval is %lld msec:\n\n",
	    (long long)(lp->o.timeout / SIM_S), ms(lp->o.interval));
	sb_add(b, legend);
	for (int i = 0; i < lp->sent; i++)
		sb_addc(b, probe_char(&lp->probes[i]));
	sb_addc(b, '\n');
	sb_printf(b, "Success rate is %d percent (%d/%d)",
	    lp->sent ? lp->received * 100 / lp->sent : 0, lp->received, lp->sent);
	if (lp->received > 0)
		sb_printf(b, ", round-trip min/avg/max = %lld/%lld/%lld ms", ms(lp->min),
		    ms(lp->sum / lp->received), ms(lp->max));
	sb_addc(b, '\n');
	/* Anything but success says who answered what, as the letters alone do not. */
	for (int i = 0; i < lp->sent; i++) {
		const struct lsp_probe *pr = &lp->probes[i];

		if (pr->status == LSPP_REPLY && pr->rc != LSPP_RC_EGRESS)
			sb_printf(b, "  seq %u: %s: return code %u (%s), subcode %u\n", pr->seq,
			    ip_str(pr->from), pr->rc, lsp_rc_text(pr->rc), pr->rsc);
	}
}

static void
trace_text(const struct lsp_ping *lp, struct strbuf *b)
{
	const struct lsp_path *pa = &lp->first;
	uint32_t out[LABEL_STACK_MAX];

	sb_printf(b, "Tracing MPLS Label Switched Path to %s, timeout is %lld seconds\n\n",
	    prefix_str(&lp->o.fec), (long long)(lp->o.timeout / SIM_S));
	sb_add(b, legend);
	/* Line 0: the ingress, what it pushes (an entry with Exp 0). */
	for (int i = 0; i < pa->nout; i++)
		out[i] = pa->out[i] << 12;
	sb_printf(b, "  0 %s", ip_str(pa->oif->addr));
	labels_text(b, out, pa->nout);
	sb_addc(b, '\n');
	for (int i = 0; i < lp->sent; i++) {
		const struct lsp_probe *pr = &lp->probes[i];

		sb_printf(b, "%c %u ", probe_char(pr), pr->ttl);
		if (pr->status != LSPP_REPLY) {
			sb_add(b, "*\n");
			continue;
		}
		sb_add(b, ip_str(pr->from));
		if (pr->have_stack)
			labels_text(b, pr->labels, pr->nlabels);
		sb_printf(b, " %lld ms", ms(pr->rtt));
		if (pr->rc != LSPP_RC_EGRESS && pr->rc != LSPP_RC_SWITCHED)
			sb_printf(b, " (return code %u: %s)", pr->rc, lsp_rc_text(pr->rc));
		sb_addc(b, '\n');
	}
}

void
lsp_ping_format(const struct lsp_ping *lp, struct strbuf *b)
{
	if (lp->o.trace)
		trace_text(lp, b);
	else
		ping_text(lp, b);
}

static const char *
status_name(uint8_t s)
{
	static const char *const names[] = {"pending", "reply", "timeout", "not-sent"};

	return names[s];
}

static void
probe_json(const struct lsp_probe *pr, struct json *j)
{
	char code[2] = {probe_char(pr), '\0'};

	json_obj_begin(j);
	json_kv_int(j, "seq", pr->seq);
	json_kv_int(j, "ttl", pr->ttl);
	json_kv_str(j, "status", status_name(pr->status));
	json_kv_str(j, "code", code);
	if (pr->status == LSPP_REPLY) {
		json_kv_str(j, "from", ip_str(pr->from));
		json_kv_int(j, "returnCode", pr->rc);
		json_kv_int(j, "returnSubcode", pr->rsc);
		json_kv_str(j, "returnCodeText", lsp_rc_text(pr->rc));
		json_kv_double(j, "rttMs", (double)pr->rtt / SIM_MS);
	}
	if (pr->status == LSPP_REPLY && pr->have_stack) {
		json_kv_str(j, "rxInterfaceAddress", ip_str(pr->rx_addr));
		json_key(j, "rxLabels");
		json_arr_begin(j);
		for (int i = 0; i < pr->nlabels; i++) {
			struct mpls_lse e = mpls_lse_unpack(pr->labels[i]);

			json_obj_begin(j);
			json_kv_int(j, "label", e.label);
			json_kv_int(j, "exp", e.tc);
			json_kv_bool(j, "s", e.s);
			json_kv_int(j, "ttl", e.ttl);
			json_obj_end(j);
		}
		json_arr_end(j);
	}
	json_obj_end(j);
}

void
lsp_ping_json(const struct lsp_ping *lp, struct json *j)
{
	json_obj_begin(j);
	json_kv_str(j, "fec", prefix_str(&lp->o.fec));
	json_kv_str(j, "fecType", "ldp-ipv4");
	json_kv_str(j, "nexthop", ip_str(lp->first.gw));
	json_kv_str(j, "interface", lp->first.oif->name);
	json_key(j, "outLabels");
	json_arr_begin(j);
	for (int i = 0; i < lp->first.nout; i++)
		json_int(j, lp->first.out[i]);
	json_arr_end(j);
	json_kv_int(j, "transmitted", lp->sent);
	json_kv_int(j, "received", lp->received);
	json_kv_bool(j, "reached", lsp_ping_reached(lp));
	if (!lp->o.trace)
		json_kv_double(j, "successPercent",
		    lp->sent ? lp->received * 100.0 / lp->sent : 0.0);
	if (lp->received > 0 && !lp->o.trace) {
		json_kv_double(j, "rttMinMs", (double)lp->min / SIM_MS);
		json_kv_double(j, "rttAvgMs", (double)lp->sum / lp->received / SIM_MS);
		json_kv_double(j, "rttMaxMs", (double)lp->max / SIM_MS);
	}
	json_key(j, lp->o.trace ? "hops" : "replies");
	json_arr_begin(j);
	for (int i = 0; i < lp->sent; i++)
		probe_json(&lp->probes[i], j);
	json_arr_end(j);
	json_obj_end(j);
}
