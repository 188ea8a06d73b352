/*
 * cmd_diag.c: `ping` and `traceroute` (in the default VRF, or `ping vrf NAME`
 * as on FRR and IOS), and their MPLS forms (`ping mpls ipv4`, `traceroute
 * mpls ipv4`: lsp_ping.h), which run the simulation until they finish.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "../net/lsp_ping.h"
#include "../net/ping.h"
#include "../net/vrf.h"
#include "cli.h"
#include "cmds.h"

static bool
int_arg(struct cli_ctx *c, const char *name, const char *s, int min, int max, int *out)
{
	long long v;

	if (!cli_num_arg(c, name, s, min, max, &v))
		return false;
	*out = (int)v;
	return true;
}

static bool
time_arg(struct cli_ctx *c, const char *name, const char *s, bool bare_seconds, sim_time *out)
{
	sim_time t = sim_time_parse(s);

	if (t < 0) {
		cli_fail(c, "bad time '%s' for %s", s, name);
		return false;
	}
	/* A bare number means seconds here, as in ping's -W and -i. */
	if (bare_seconds && strspn(s, "0123456789.") == strlen(s))
		t *= 1000;
	*out = t;
	return true;
}

/* `source IP` that is not the device's in the VRF the command runs in. */
static int
source_fail(struct cli_ctx *c, uint16_t vrf, const char *v)
{
	if (vrf != VRF_DEFAULT)
		cli_fail(c, "%s is not an address of %s in VRF %s", v, c->node->name,
		    node_vrf_name(c->node, vrf));
	else
		cli_fail(c, "%s is not an address of %s", v, c->node->name);
	return -1;
}

/*
 * `ping vrf NAME IP ...` and `traceroute vrf NAME ...` (FRR's and IOS's
 * syntax): run fn, the command without `vrf NAME`, in the VRF.
 */
static int
in_vrf(struct cli_ctx *c, int argc, char **argv, const char *cmd,
    int (*fn)(struct cli_ctx *, uint16_t, int, char **))
{
	int vrf;

	if (argc < 1)
		return cli_fail(c, "usage: %s vrf NAME IP ...", cmd);
	if ((vrf = cli_vrf_arg(c, argv[0])) < 0)
		return 1;
	return fn(c, (uint16_t)vrf, argc - 1, argv + 1);
}

/*
 * traceroute's and the MPLS forms' `source IP` (one of the device's own
 * addresses in VRF vrf) and `timeout S`: 1 when k is one of them and v good,
 * -1 when v is bad (failed), 0 when k is another option.
 */
static int
source_timeout_arg(struct cli_ctx *c, uint16_t vrf, const char *k, const char *v, uint32_t *src,
    sim_time *timeout)
{
	if (strcmp(k, "timeout") == 0)
		return time_arg(c, "timeout", v, true, timeout) ? 1 : -1;
	if (strcmp(k, "source") != 0)
		return 0;
	if (ip_parse(v, src) && node_is_local_vrf(c->node, vrf, *src))
		return 1;
	return source_fail(c, vrf, v);
}

#define PING_MPLS_ARGS  "PREFIX/LEN [count N] [source IP] [timeout S] [interval S]"
#define TRACE_MPLS_ARGS "PREFIX/LEN [max-ttl N] [source IP] [timeout S]"
#define PING_MPLS_USAGE "usage: ping mpls ipv4 " PING_MPLS_ARGS
#define TRACE_MPLS_USAGE "usage: traceroute mpls ipv4 " TRACE_MPLS_ARGS

/* `ping mpls` that is not `ping mpls ipv4 ...` (or on a host, which has no MPLS form). */
static int
mpls_usage(struct cli_ctx *c, const char *usage)
{
	if (c->node->type != NODE_ROUTER)
		return cli_fail(c, "MPLS ping and traceroute run on routers");
	return cli_fail(c, "%s", usage);
}

static bool
ping_done(void *arg)
{
	return ((struct ping *)arg)->done;
}

/* `ping` in a VRF (0: the default). */
static int
ping_in(struct cli_ctx *c, uint16_t vrf, int argc, char **argv)
{
	struct ping_opts o = {.count = 5, .size = 56, .vrf = vrf};
	struct ping *pg;
	int ttl = 0, rc;

	if (argc < 1 || !ip_parse(argv[0], &o.dst))
		return cli_fail(c, "usage: ping %sIP [count N] [size N] [source IP] [timeout S] "
				   "[interval S] [ttl N] [df]", vrf ? "vrf NAME " : "");
	for (int i = 1; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(k, "df") == 0) {
			o.df = true;
			continue;
		}
		if (v == NULL)
			return cli_fail(c, "'%s' needs a value", k);
		i++;
		if (strcmp(k, "count") == 0 || strcmp(k, "repeat") == 0) {
			if (!int_arg(c, "count", v, 1, 100000, &o.count))
				return 1;
		} else if (strcmp(k, "size") == 0) {
			if (!int_arg(c, "size", v, 0, 65507, &o.size))
				return 1;
		} else if (strcmp(k, "ttl") == 0) {
			if (!int_arg(c, "ttl", v, 1, 255, &ttl))
				return 1;
			o.ttl = (uint8_t)ttl;
		} else if (strcmp(k, "source") == 0) {
			if (!ip_parse(v, &o.src))
				return cli_fail(c, "bad source address '%s'", v);
			if (!node_is_local_vrf(c->node, o.vrf, o.src)) {
				source_fail(c, o.vrf, v);
				return 1;
			}
		} else if (strcmp(k, "timeout") == 0) {
			if (!time_arg(c, "timeout", v, true, &o.timeout))
				return 1;
		} else if (strcmp(k, "interval") == 0) {
			if (!time_arg(c, "interval", v, true, &o.interval))
				return 1;
		} else {
			return cli_fail(c, "unknown ping option '%s'", k);
		}
	}
	pg = ping_start(c->node, &o);
	cli_run_until(c, ping_done, pg, SIM_NEVER);
	if (c->json)
		ping_json(pg, &c->j);
	else
		ping_format(pg, &c->out);
	if (cli_also_json(c) != NULL)
		ping_json(pg, &c->alt_j);
	rc = pg->received > 0 ? 0 : 1;
	if (rc)
		cli_outcome(c, "no-reply", "no reply from %s", ip_str(o.dst));
	ping_free(pg);
	return rc;
}

static int
cmd_ping(struct cli_ctx *c, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "mpls") == 0)
		return mpls_usage(c, PING_MPLS_USAGE);
	return ping_in(c, VRF_DEFAULT, argc, argv);
}

static int
cmd_ping_vrf(struct cli_ctx *c, int argc, char **argv)
{
	return in_vrf(c, argc, argv, "ping", ping_in);
}

static bool
tr_done(void *arg)
{
	return ((struct traceroute *)arg)->done;
}

/* `traceroute` in a VRF (0: the default). */
static int
traceroute_in(struct cli_ctx *c, uint16_t vrf, int argc, char **argv)
{
	struct traceroute_opts o = {.vrf = vrf};
	struct traceroute *tr;
	bool reached = false;
	int r;

	if (argc < 1 || !ip_parse(argv[0], &o.dst))
		return cli_fail(c, "usage: traceroute %sIP [max-ttl N] [probes N] [source IP] "
				   "[timeout S]", vrf ? "vrf NAME " : "");
	for (int i = 1; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (v == NULL)
			return cli_fail(c, "'%s' needs a value", k);
		i++;
		if (strcmp(k, "max-ttl") == 0) {
			if (!int_arg(c, "max-ttl", v, 1, 255, &o.max_ttl))
				return 1;
		} else if (strcmp(k, "probes") == 0) {
			if (!int_arg(c, "probes", v, 1, 10, &o.probes))
				return 1;
		} else if ((r = source_timeout_arg(c, o.vrf, k, v, &o.src, &o.timeout)) != 0) {
			if (r < 0)
				return 1;
		} else {
			return cli_fail(c, "unknown traceroute option '%s'", k);
		}
	}
	tr = traceroute_start(c->node, &o);
	cli_run_until(c, tr_done, tr, SIM_NEVER);
	if (c->json)
		traceroute_json(tr, &c->j);
	else
		traceroute_format(tr, &c->out);
	if (cli_also_json(c) != NULL)
		traceroute_json(tr, &c->alt_j);
	reached = traceroute_reached(tr);
	traceroute_free(tr);
	if (!reached)
		cli_outcome(c, "not-reached", "%s not reached", ip_str(o.dst));
	return reached ? 0 : 1;
}

static int
cmd_traceroute(struct cli_ctx *c, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "mpls") == 0)
		return mpls_usage(c, TRACE_MPLS_USAGE);
	return traceroute_in(c, VRF_DEFAULT, argc, argv);
}

static int
cmd_traceroute_vrf(struct cli_ctx *c, int argc, char **argv)
{
	return in_vrf(c, argc, argv, "traceroute", traceroute_in);
}

static bool
lsp_done(void *arg)
{
	return ((struct lsp_ping *)arg)->done;
}


/* `ping mpls ipv4` and `traceroute mpls ipv4` (RFC 8029): one parser, one runner. */
static int
lsp_ping_cmd(struct cli_ctx *c, int argc, char **argv, bool trace)
{
	struct lsp_ping_opts o = {.trace = trace};
	struct lsp_ping *lp;
	char err[200];
	int rc, r;

	if (argc < 1 || strchr(argv[0], '/') == NULL || !prefix_parse(argv[0], &o.fec))
		return cli_fail(c, "%s", trace ? TRACE_MPLS_USAGE : PING_MPLS_USAGE);
	for (int i = 1; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (v == NULL)
			return cli_fail(c, "'%s' needs a value", k);
		i++;
		if (strcmp(k, trace ? "max-ttl" : "count") == 0 ||
		    (!trace && strcmp(k, "repeat") == 0)) {
			if (!int_arg(c, k, v, 1, trace ? 255 : 100000, &o.count))
				return 1;
		} else if ((r = source_timeout_arg(c, VRF_DEFAULT, k, v, &o.src, &o.timeout)) != 0) {
			if (r < 0)
				return 1;
		} else if (!trace && strcmp(k, "interval") == 0) {
			if (!time_arg(c, "interval", v, true, &o.interval))
				return 1;
		} else {
			return cli_fail(c, "unknown option '%s' (%s)", k,
			    trace ? TRACE_MPLS_USAGE : PING_MPLS_USAGE);
		}
	}
	if ((lp = lsp_ping_start(c->node, &o, err, sizeof(err))) == NULL)
		return cli_fail_code(c, "no-lsp", "%s", err);
	cli_run_until(c, lsp_done, lp, SIM_NEVER);
	if (c->json)
		lsp_ping_json(lp, &c->j);
	else
		lsp_ping_format(lp, &c->out);
	if (cli_also_json(c) != NULL)
		lsp_ping_json(lp, &c->alt_j);
	rc = lsp_ping_reached(lp) ? 0 : 1;
	if (rc)
		cli_outcome(c, trace ? "not-reached" : "no-reply", "no reply from the egress of %s",
		    prefix_str(&o.fec));
	lsp_ping_free(lp);
	return rc;
}

static int
cmd_ping_mpls(struct cli_ctx *c, int argc, char **argv)
{
	return lsp_ping_cmd(c, argc, argv, false);
}

static int
cmd_traceroute_mpls(struct cli_ctx *c, int argc, char **argv)
{
	return lsp_ping_cmd(c, argc, argv, true);
}

const struct cli_cmd cmds_diag[] = {
	{"ping", "IP [count N] [size N] [source IP] [timeout S] [interval S] [ttl N] [df]",
	    "ICMP echo; exits 1 when nothing came back", cmd_ping, CLI_L3 | CLI_JSON},
	{"traceroute", "IP [max-ttl N] [probes N] [source IP] [timeout S]",
	    "UDP traceroute; exits 1 when the destination was not reached", cmd_traceroute,
	    CLI_L3 | CLI_JSON},
	{"ping vrf", "NAME IP [count N] [size N] [source IP] [timeout S] [interval S] [ttl N] [df]",
	    "ICMP echo routed in VRF NAME", cmd_ping_vrf, CLI_ROUTER | CLI_JSON},
	{"traceroute vrf", "NAME IP [max-ttl N] [probes N] [source IP] [timeout S]",
	    "UDP traceroute routed in VRF NAME", cmd_traceroute_vrf, CLI_ROUTER | CLI_JSON},
	{"ping mpls ipv4", PING_MPLS_ARGS,
	    "MPLS LSP ping (RFC 8029) to the LSP of an LDP prefix; exits 1 when the egress did not answer",
	    cmd_ping_mpls, CLI_ROUTER | CLI_JSON},
	{"traceroute mpls ipv4", TRACE_MPLS_ARGS,
	    "MPLS LSP traceroute (RFC 8029); exits 1 when the egress was not reached",
	    cmd_traceroute_mpls, CLI_ROUTER | CLI_JSON},
	{NULL},
};
