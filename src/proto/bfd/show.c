/*
 * show.c: `show bfd peers [detail|brief] [json]` and its alias `show bfd
 * sessions`, with FRR's (bfdd) layout and JSON keys: the text of `show bfd
 * peers`, the table of `show bfd peers brief`, and with `detail` the
 * counters FRR prints with `show bfd peers counters`. Peers in (address,
 * interface) order.
 */
#include <inttypes.h>
#include <stdio.h>

#include "../../cli/cli.h"
#include "../../lib/ip.h"
#include "../../lib/json.h"
#include "../../lib/util.h"
#include "bfd_int.h"

static const struct bfd *
running_bfd(const struct cli_ctx *c)
{
	struct proto_inst *pi = c->node ? proto_get(c->node, &proto_bfd) : NULL;

	return pi != NULL && pi->running ? pi->priv : NULL;
}

/* FRR's integer2timestr: "1 hour(s), 2 minute(s), 3 second(s)". */
static const char *
timestr(sim_time t, char *buf, size_t n)
{
	static const struct {
		const char *unit;
		int64_t s;
	} units[] = {{"day", 86400}, {"hour", 3600}, {"minute", 60}};
	int64_t secs = t / SIM_S;
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(units); i++)
		if (secs >= units[i].s) {
			k += (size_t)snprintf(buf + k, n - k, "%" PRId64 " %s(s), ", secs / units[i].s,
			    units[i].unit);
			secs %= units[i].s;
		}
	snprintf(buf + k, n - k, "%" PRId64 " second(s)", secs);
	return buf;
}

static const char *
status(uint8_t state)
{
	static const char *const s[] = {"shutdown", "down", "init", "up"};

	return s[state & 3];
}

static void
peer_text(struct cli_ctx *c, const struct bfd_sess *s, bool detail)
{
	sim_time age = node_now(c->node) - s->since;
	char b[128];

	cli_printf(c, "\tpeer %s%s local-address %s vrf default", ip_str(s->peer),
	    s->ifp ? "" : " multihop", ip_str(s->local));
	if (s->ifp)
		cli_printf(c, " interface %s", s->ifp->name);
	cli_printf(c, "\n");
	if (detail) {
		cli_printf(c, "\t\tControl packet input: %" PRIu64 " packets\n", s->st.rx);
		cli_printf(c, "\t\tControl packet output: %" PRIu64 " packets\n", s->st.tx);
		cli_printf(c, "\t\tEcho packet input: 0 packets\n\t\tEcho packet output: 0 packets\n");
		cli_printf(c, "\t\tSession up events: %" PRIu64 "\n", s->st.up);
		cli_printf(c, "\t\tSession down events: %" PRIu64 "\n", s->st.down);
	}
	cli_printf(c, "\t\tID: %u\n\t\tRemote ID: %u\n", s->my_disc, s->your_disc);
	cli_printf(c, "\t\t%s mode\n", s->passive ? "Passive" : "Active");
	if (!s->ifp)
		cli_printf(c, "\t\tMinimum TTL: %d\n", BFD_MH_MIN_TTL);
	cli_printf(c, "\t\tStatus: %s\n", status(s->state));
	if (s->state == BFD_UP)
		cli_printf(c, "\t\tUptime: %s\n", timestr(age, b, sizeof(b)));
	else if (s->state == BFD_DOWN)
		cli_printf(c, "\t\tDowntime: %s\n", timestr(age, b, sizeof(b)));
	cli_printf(c, "\t\tDiagnostics: %s\n", bfd_diag_str(s->diag));
	cli_printf(c, "\t\tRemote diagnostics: %s\n", bfd_diag_str(s->remote_diag));
	cli_printf(c, "\t\tPeer Type: dynamic\n");
	cli_printf(c, "\t\tLocal timers:\n\t\t\tDetect-multiplier: %u\n", s->mult);
	cli_printf(c, "\t\t\tReceive interval: %ums\n", s->required_rx / 1000);
	cli_printf(c, "\t\t\tTransmission interval: %ums\n", s->desired_tx / 1000);
	cli_printf(c, "\t\t\tEcho receive interval: disabled\n");
	cli_printf(c, "\t\t\tEcho transmission interval: disabled\n");
	cli_printf(c, "\t\tRemote timers:\n\t\t\tDetect-multiplier: %u\n", s->remote_mult);
	cli_printf(c, "\t\t\tReceive interval: %ums\n", s->remote_rx / 1000);
	cli_printf(c, "\t\t\tTransmission interval: %ums\n", s->remote_tx / 1000);
	if (s->remote_echo_rx != 0)
		cli_printf(c, "\t\t\tEcho receive interval: %ums\n", s->remote_echo_rx / 1000);
	else
		cli_printf(c, "\t\t\tEcho receive interval: disabled\n");
	cli_printf(c, "\n");
}

static void
peer_json(struct cli_ctx *c, const struct bfd_sess *s, bool detail)
{
	struct json *j = &c->j;
	int64_t age = (node_now(c->node) - s->since) / SIM_S;

	json_obj_begin(j);
	json_kv_bool(j, "multihop", s->ifp == NULL);
	json_kv_str(j, "peer", ip_str(s->peer));
	json_kv_str(j, "local", ip_str(s->local));
	json_kv_str(j, "vrf", "default");
	if (s->ifp)
		json_kv_str(j, "interface", s->ifp->name);
	if (detail) {
		json_kv_int(j, "control-packet-input", (int64_t)s->st.rx);
		json_kv_int(j, "control-packet-output", (int64_t)s->st.tx);
		json_kv_int(j, "echo-packet-input", 0);
		json_kv_int(j, "echo-packet-output", 0);
		json_kv_int(j, "session-up", (int64_t)s->st.up);
		json_kv_int(j, "session-down", (int64_t)s->st.down);
	}
	json_kv_int(j, "id", s->my_disc);
	json_kv_int(j, "remote-id", s->your_disc);
	json_kv_bool(j, "passive-mode", s->passive);
	if (!s->ifp)
		json_kv_int(j, "minimum-ttl", BFD_MH_MIN_TTL);
	json_kv_str(j, "status", status(s->state));
	if (s->state == BFD_UP)
		json_kv_int(j, "uptime", age);
	else if (s->state == BFD_DOWN)
		json_kv_int(j, "downtime", age);
	json_kv_str(j, "diagnostic", bfd_diag_str(s->diag));
	json_kv_str(j, "remote-diagnostic", bfd_diag_str(s->remote_diag));
	json_kv_int(j, "receive-interval", s->required_rx / 1000);
	json_kv_int(j, "transmit-interval", s->desired_tx / 1000);
	json_kv_int(j, "echo-receive-interval", 0);
	json_kv_int(j, "echo-transmit-interval", 0);
	json_kv_int(j, "detect-multiplier", s->mult);
	json_kv_int(j, "remote-receive-interval", s->remote_rx / 1000);
	json_kv_int(j, "remote-transmit-interval", s->remote_tx / 1000);
	json_kv_int(j, "remote-echo-receive-interval", s->remote_echo_rx / 1000);
	json_kv_int(j, "remote-detect-multiplier", s->remote_mult);
	json_obj_end(j);
}

static void
brief_text(struct cli_ctx *c, const struct bfd *b)
{
	cli_printf(c, "Session count: %zu\n", b->nsess);
	cli_printf(c, "%-10s %-40s %-40s%-15s\n", "SessionId", "LocalAddress", "PeerAddress",
	    "Status");
	cli_printf(c, "%-10s %-40s %-40s%-15s\n", "=========", "============", "===========",
	    "======");
	for (size_t i = 0; i < b->nsess; i++) {
		const struct bfd_sess *s = b->sess[i];

		cli_printf(c, "%-10u %-40s %-40s%-15s\n", s->my_disc, ip_str(s->local), ip_str(s->peer),
		    status(s->state));
	}
}

static int
cmd_peers(struct cli_ctx *c, int argc, char **argv)
{
	const struct bfd *b = running_bfd(c);
	bool detail = argc == 1 && str_prefix("detail", argv[0]);
	bool brief = argc == 1 && !detail && str_prefix("brief", argv[0]);

	if (argc > 1 || (argc == 1 && !detail && !brief))
		return cli_fail(c, "usage: show bfd peers [detail|brief] [json]");
	if (c->json && b == NULL) {
		/* Where BFD does not run, {} as for every protocol; else FRR's array. */
		json_obj_begin(&c->j);
		json_obj_end(&c->j);
		return 0;
	}
	if (c->json) {
		json_arr_begin(&c->j);
		for (size_t i = 0; i < b->nsess; i++)
			peer_json(c, b->sess[i], detail);
		json_arr_end(&c->j);
		return 0;
	}
	if (b == NULL) {
		cli_printf(c, "%% BFD is not running on %s\n", c->node ? c->node->name : "?");
		return 0;
	}
	if (brief) {
		brief_text(c, b);
		return 0;
	}
	cli_printf(c, "BFD Peers:\n");
	for (size_t i = 0; i < b->nsess; i++)
		peer_text(c, b->sess[i], detail);
	return 0;
}

const struct cli_cmd bfd_cmds[] = {
    {"show bfd peers", "[detail|brief]", "BFD sessions (FRR's show bfd peers)", cmd_peers,
     CLI_ROUTER | CLI_JSON},
    {"show bfd sessions", "[detail|brief]", "BFD sessions (alias of show bfd peers)", cmd_peers,
     CLI_ROUTER | CLI_JSON},
    {NULL, NULL, NULL, NULL, 0},
};
