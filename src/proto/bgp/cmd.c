/*
 * cmd.c: BGP changes at run time, from the CLI, the daemon and Lua
 * (`dev:cmd`), with FRR's command words:
 *
 *   clear [ip] bgp IP|* [soft [in|out]]   reset sessions, or refresh routes
 *   [no] neighbor IP shutdown             administrative shutdown of a session
 *   [no] neighbor IP route-map NAME in|out  bind a route map (filter.c)
 *   restart bgp                           the process restarts (graceful restart, gr.c)
 *
 * A hard clear sends a Cease/Administrative Reset NOTIFICATION (RFC 4486)
 * and starts the session again; a soft one keeps the session: `in` asks the
 * peer for its routes again with a ROUTE-REFRESH (RFC 2918, so only to a
 * peer that advertised the capability), `out` sends our Adj-RIB-Out again,
 * plain `soft` does both. `neighbor IP shutdown` sends Cease/Administrative
 * Shutdown and keeps the session Idle until `no neighbor IP shutdown`. The
 * session machine does the work (bgp_peer_clear, bgp_peer_set_shutdown);
 * these commands parse, check and report.
 */
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/util.h"
#include "bgp.h"

/* The neighbor an IP argument names, or NULL after cli_fail. */
static struct bgp_peer *
peer_arg(struct cli_ctx *c, struct bgp *b, const char *arg)
{
	struct bgp_peer *p;
	uint32_t ip;

	if (!ip_parse(arg, &ip))
		return cli_fail(c, "bad neighbor address '%s'", arg), NULL;
	if ((p = bgp_peer_find(b, ip)) == NULL)
		return cli_fail(c, "no BGP neighbor %s on %s", arg, c->node->name), NULL;
	return p;
}

/* clear bgp IP|* [soft] [in|out] */
int
bgp_cmd_clear(struct cli_ctx *c, int argc, char **argv)
{
	static const char *const words[] = {"soft", "in", "out"};
	struct bgp *b = bgp_running(c);
	struct bgp_peer *one = NULL;
	bool soft = false, in = false, out = false;
	size_t refused = 0, done = 0;

	if (argc < 1 || argc > 3)
		return cli_fail(c, "usage: clear bgp IP|* [soft] [in|out]");
	for (int i = 1; i < argc; i++) {
		int k = cli_keyword(c, "clear option", argv[i], words, 3);

		if (k < 0)
			return 1;
		if ((k == 0 && (soft || i != 1)) || (k > 0 && (in || out)))
			return cli_fail(c, "usage: clear bgp IP|* [soft] [in|out]");
		soft |= k == 0;
		in |= k == 1;
		out |= k == 2;
	}
	if ((in || out) && !soft)
		soft = true; /* FRR: `clear bgp IP in` is a soft inbound clear */
	if (b == NULL)
		return cli_fail(c, "BGP is not running on %s", c->node->name);
	if (strcmp(argv[0], "*") != 0 && (one = peer_arg(c, b, argv[0])) == NULL)
		return 1;
	for (size_t i = 0; i < b->npeers; i++) {
		struct bgp_peer *p = &b->peers[i];
		bool want_in = !soft || in || !out, want_out = !soft || out || !in;
		const char *why = NULL;

		if (one != NULL && p != one)
			continue;
		/* A soft clear needs a session; inbound needs the peer's route refresh. */
		if (soft && p->state != BGP_ESTABLISHED)
			why = "the session is not established";
		else if (soft && want_in && !p->rr_cap && p->adjin == NULL && !want_out)
			why = "the peer did not advertise route refresh (RFC 2918)";
		if (why != NULL) {
			if (one != NULL)
				return cli_fail(c, "%s: %s", argv[0], why);
			refused++;
			continue;
		}
		if (soft && !p->rr_cap && p->adjin == NULL)
			want_in = false; /* plain soft: send ours again, the peer cannot refresh */
		bgp_peer_clear(p, soft, want_in, want_out);
		done++;
	}
	if (soft && refused > 0)
		cli_printf(c,
		           "%zu of %zu neighbors refreshed (the others: not established or "
		           "no route refresh)\n",
		           done, done + refused);
	return 0;
}

static int
shutdown_cmd(struct cli_ctx *c, int argc, char **argv, bool on)
{
	static const char *const words[] = {"shutdown"};
	struct bgp *b = bgp_running(c);
	struct bgp_peer *p;

	if (argc >= 2 && strcmp(argv[1], "route-map") == 0)
		return on ? bgp_cmd_route_map(c, argc, argv) : bgp_cmd_no_route_map(c, argc, argv);
	if (argc != 2)
		return cli_fail(c, "usage: %sneighbor IP shutdown|route-map NAME in|out", on ? "" : "no ");
	if (cli_keyword(c, "neighbor setting", argv[1], words, 1) < 0)
		return 1;
	if (b == NULL)
		return cli_fail(c, "BGP is not running on %s", c->node->name);
	if ((p = peer_arg(c, b, argv[0])) == NULL)
		return 1;
	if (p->admin_down != on)
		bgp_peer_set_shutdown(p, on);
	return 0;
}

/* neighbor IP shutdown */
int
bgp_cmd_shutdown(struct cli_ctx *c, int argc, char **argv)
{
	return shutdown_cmd(c, argc, argv, true);
}

/* no neighbor IP shutdown */
int
bgp_cmd_no_shutdown(struct cli_ctx *c, int argc, char **argv)
{
	return shutdown_cmd(c, argc, argv, false);
}

/*
 * restart bgp: the BGP process restarts on a live router, as bgpd crashing
 * and coming back: every connection is reset, all state is lost, and with
 * graceful restart the routes stay in the RIB until the new process has
 * learned them again (gr.c).
 */
int
bgp_cmd_restart(struct cli_ctx *c, int argc, char **argv UNUSED)
{
	struct bgp *b = bgp_running(c);

	if (argc != 0)
		return cli_fail(c, "usage: restart bgp");
	if (b == NULL)
		return cli_fail(c, "BGP is not running on %s", c->node->name);
	bgp_restart(b);
	return 0;
}
