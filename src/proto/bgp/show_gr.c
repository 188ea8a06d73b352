/*
 * show_gr.c: the graceful restart (RFC 4724) and maximum-prefix parts of
 * `show bgp neighbors`, in FRR 8.4's words and JSON keys (bgp_vty.c's
 * "Graceful restart information:" block and gracefulRestartInfo object,
 * and the address family's "Maximum prefixes allowed" lines).
 *
 * netsim does not implement RFC 8538 (the N bit) nor long-lived graceful
 * restart, so FRR's "N bit" line and nBit key are left out.
 */
#include "../../cli/cli.h"
#include "../../lib/json.h"
#include "bgp.h"

/* FRR's mode words; '*' when the mode is the device's, not the neighbor's own. */
static const char *
local_mode(const struct bgp_peer *p)
{
	switch (bgp_gr_mode(p)) {
	case BGP_GR_DISABLE:
		return p->cfg->gr == 0 ? "Disable" : "Disable*";
	case BGP_GR_RESTART:
		return p->cfg->gr == 1 ? "Restart" : "Restart*";
	default:
		return "Helper*";
	}
}

static const char *
remote_mode(const struct bgp_peer *p)
{
	if (p->est == NULL)
		return "NotApplicable";
	if (!p->est->open.cap_gr)
		return "Disable";
	return p->gr.peer_afi ? "Restart" : "Helper";
}

static long long
remaining_s(const struct timer *t)
{
	return (long long)(timer_remaining(t) / SIM_S);
}

/*
 * Who sent capability 64 on the session: 0 nobody, 1 we, 2 the peer, 3
 * both; FRR's words for each (text, JSON).
 */
static unsigned
cap_state(const struct bgp_peer *p)
{
	return (bgp_gr_mode(p) != BGP_GR_DISABLE ? 1u : 0u) | (p->est->open.cap_gr ? 2u : 0u);
}

static const char *const cap_text[] = {"", "advertised", "received", "advertised and received"};
static const char *const cap_json[] = {"", "advertised", "received", "advertisedAndReceived"};

/* The lines under "Graceful Restart Capability:" (only while Established). */
void
bgp_show_gr_cap(struct cli_ctx *c, const struct bgp_peer *p)
{
	unsigned st = cap_state(p);

	if (st == 0)
		return;
	cli_printf(c, "    Graceful Restart Capability: %s\n", cap_text[st]);
	if (!(st & 2))
		return;
	cli_printf(c, "      Remote Restart timer is %u seconds\n", p->gr.peer_time);
	cli_printf(c, "      Address families by peer:\n");
	if (p->gr.peer_afi)
		cli_printf(c, "        IPv4 Unicast(%s)\n",
		           p->gr.peer_f ? "preserved" : "not preserved");
	else
		cli_printf(c, "        none\n");
}

void
bgp_show_gr_cap_json(struct json *j, const struct bgp_peer *p)
{
	unsigned st = cap_state(p);

	if (st == 0)
		return;
	json_kv_str(j, "gracefulRestart", cap_json[st]);
	if (!(st & 2))
		return;
	json_kv_int(j, "gracefulRestartRemoteTimerMsecs", (int64_t)p->gr.peer_time * 1000);
	if (!p->gr.peer_afi) {
		json_kv_str(j, "addressFamiliesByPeer", "none");
		return;
	}
	json_key(j, "addressFamiliesByPeer");
	json_obj_begin(j);
	json_key(j, "ipv4Unicast");
	json_obj_begin(j);
	if (p->gr.peer_f) /* FRR: {"preserved": true}, or an empty object (recorded) */
		json_kv_bool(j, "preserved", true);
	json_obj_end(j);
	json_obj_end(j);
}

/* "Graceful restart information:" (FRR prints it in every state). */
void
bgp_show_gr(struct cli_ctx *c, const struct bgp_peer *p)
{
	const struct bgp *b = p->bgp;
	bool up = p->est != NULL;

	cli_printf(c, "  Graceful restart information:\n");
	if (up && p->gr.eor_sent)
		cli_printf(c, "    End-of-RIB send: IPv4 Unicast\n");
	if (up && p->gr.eor_rcvd)
		cli_printf(c, "    End-of-RIB received: IPv4 Unicast\n");
	cli_printf(c, "    Local GR Mode: %s\n", local_mode(p));
	cli_printf(c, "    Remote GR Mode: %s\n", remote_mode(p));
	cli_printf(c, "    R bit: %s\n", up && p->gr.peer_r ? "True" : "False");
	cli_printf(c, "    Timers:\n");
	cli_printf(c, "      Configured Restart Time(sec): %u\n", b->cfg.gr_restart_time);
	cli_printf(c, "      Received Restart Time(sec): %u\n", p->gr.peer_time);
	if (timer_pending(&p->gr.restart_t))
		cli_printf(c, "      Restart Time Remaining(sec): %lld\n",
		           remaining_s(&p->gr.restart_t));
	if (!up)
		return;
	cli_printf(c, "    IPv4 Unicast:\n");
	cli_printf(c, "      F bit: %s\n", p->gr.peer_f ? "True" : "False");
	cli_printf(c, "      End-of-RIB sent: %s\n", p->gr.eor_sent ? "Yes" : "No");
	cli_printf(c, "      End-of-RIB sent after update: %s\n",
	           p->gr.eor_after_update ? "Yes" : "No");
	cli_printf(c, "      End-of-RIB received: %s\n", p->gr.eor_rcvd ? "Yes" : "No");
	cli_printf(c, "      Timers:\n");
	cli_printf(c, "        Configured Stale Path Time(sec): %u\n", b->cfg.gr_stalepath_time);
	if (timer_pending(&p->gr.stale_t))
		cli_printf(c, "        Stale Path Remaining(sec): %lld\n",
		           remaining_s(&p->gr.stale_t));
	if (bgp_gr_mode(p) == BGP_GR_RESTART)
		cli_printf(c, "        Configured Selection Deferral Time(sec): %u\n",
		           b->cfg.gr_defer_time);
	if (timer_pending(&b->gr_defer_t))
		cli_printf(c, "        Selection Deferral Time Remaining(sec): %lld\n",
		           remaining_s(&b->gr_defer_t));
}

static void
eor_obj(struct json *j, const char *key, bool on)
{
	json_key(j, key);
	json_obj_begin(j);
	if (on)
		json_kv_bool(j, "ipv4Unicast", true);
	json_obj_end(j);
}

void
bgp_show_gr_json(struct json *j, const struct bgp_peer *p)
{
	const struct bgp *b = p->bgp;
	bool up = p->est != NULL;

	json_key(j, "gracefulRestartInfo");
	json_obj_begin(j);
	eor_obj(j, "endOfRibSend", up && p->gr.eor_sent);
	eor_obj(j, "endOfRibRecv", up && p->gr.eor_rcvd);
	json_kv_str(j, "localGrMode", local_mode(p));
	json_kv_str(j, "remoteGrMode", remote_mode(p));
	json_kv_bool(j, "rBit", up && p->gr.peer_r);
	json_key(j, "timers");
	json_obj_begin(j);
	json_kv_int(j, "configuredRestartTimer", b->cfg.gr_restart_time);
	json_kv_int(j, "receivedRestartTimer", p->gr.peer_time);
	if (timer_pending(&p->gr.restart_t))
		json_kv_int(j, "restartTimerRemaining", remaining_s(&p->gr.restart_t));
	json_obj_end(j);
	if (up) {
		json_key(j, "ipv4Unicast");
		json_obj_begin(j);
		json_kv_bool(j, "fBit", p->gr.peer_f);
		json_key(j, "endOfRibStatus");
		json_obj_begin(j);
		json_kv_bool(j, "endOfRibSend", p->gr.eor_sent);
		json_kv_bool(j, "endOfRibSentAfterUpdate", p->gr.eor_after_update);
		json_kv_bool(j, "endOfRibRecv", p->gr.eor_rcvd);
		json_obj_end(j);
		json_key(j, "timers");
		json_obj_begin(j);
		json_kv_int(j, "stalePathTimer", b->cfg.gr_stalepath_time);
		if (timer_pending(&p->gr.stale_t))
			json_kv_int(j, "stalePathTimerRemaining", remaining_s(&p->gr.stale_t));
		if (bgp_gr_mode(p) == BGP_GR_RESTART)
			json_kv_int(j, "selectionDeferralTimer", b->cfg.gr_defer_time);
		if (timer_pending(&b->gr_defer_t))
			json_kv_int(j, "selectionDeferralTimerRemaining",
			            remaining_s(&b->gr_defer_t));
		json_obj_end(j);
		json_obj_end(j);
	}
	json_obj_end(j);
}

/* The address family's maximum-prefix lines (FRR's bgp_show_peer_afi). */
void
bgp_show_maxpfx(struct cli_ctx *c, const struct bgp_peer *p)
{
	const struct bgp_maxpfx_cfg *m = &p->cfg->maxpfx;

	if (m->limit == 0)
		return;
	cli_printf(c, "  Maximum prefixes allowed %u%s\n", m->limit,
	           m->warning_only ? " (warning-only)" : "");
	cli_printf(c, "  Threshold for warning message %u%%", m->threshold);
	if (m->restart)
		cli_printf(c, ", restart interval %u min", m->restart);
	cli_printf(c, "\n");
}

/* FRR writes prefixAllowedMaxWarning only when it is true. */
void
bgp_show_maxpfx_json(struct json *j, const struct bgp_peer *p)
{
	const struct bgp_maxpfx_cfg *m = &p->cfg->maxpfx;

	if (m->limit == 0)
		return;
	json_kv_int(j, "prefixAllowedMax", m->limit);
	if (m->warning_only)
		json_kv_bool(j, "prefixAllowedMaxWarning", true);
	json_kv_int(j, "prefixAllowedWarningThresh", m->threshold);
	if (m->restart)
		json_kv_int(j, "prefixAllowedRestartIntervalMsecs", (int64_t)m->restart * 60000);
}

/*
 * After "Last reset", while the neighbor is held down for exceeding its
 * limit (FRR's bgp_show_peer, recorded in tests/frr/bgp-gr): the restart
 * timer's remaining seconds, or the advice to clear the session.
 */
void
bgp_show_maxpfx_overflow(struct cli_ctx *c, const struct bgp_peer *p)
{
	if (!p->pfx_overflow)
		return;
	cli_printf(c, "  Peer had exceeded the max. no. of prefixes configured.\n");
	if (timer_pending(&p->pfx_restart_t))
		cli_printf(c, "  Reduce the no. of prefix from %s, will restart in %lld seconds\n",
		           ip_str(p->cfg->ip), remaining_s(&p->pfx_restart_t));
	else
		cli_printf(c, "  Reduce the no. of prefix and clear ip bgp %s to restore peering\n",
		           ip_str(p->cfg->ip));
}

void
bgp_show_maxpfx_overflow_json(struct json *j, const struct bgp_peer *p)
{
	if (!p->pfx_overflow)
		return;
	json_kv_bool(j, "prefixesConfigExceedMax", true);
	if (timer_pending(&p->pfx_restart_t)) {
		json_kv_bool(j, "reducePrefixNumFrom", true);
		json_kv_int(j, "restartInTimerMsec", remaining_s(&p->pfx_restart_t) * 1000);
	} else {
		json_kv_bool(j, "reducePrefixNumAndClearIpBgp", true);
	}
}
