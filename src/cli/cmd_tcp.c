/*
 * cmd_tcp.c: `show tcp` and the TCP tool, `tcp connect IP PORT` and
 * `tcp send IP PORT BYTES` (and their `vrf NAME` forms on routers, as `ping
 * vrf NAME` has it), which run the simulation until the transfer is over
 * (docs/tcp.md).
 */
#include <stdlib.h>
#include <string.h>

#include "../net/tcp.h"
#include "../net/tcp_tool.h"
#include "../net/vrf.h"
#include "../lib/util.h"
#include "cli.h"
#include "cmds.h"

static int
cmd_show_tcp(struct cli_ctx *c, int argc UNUSED, char **argv UNUSED)
{
	if (c->json)
		tcp_show_json(c->node, &c->j);
	else
		tcp_show(c->node, &c->out);
	return 0;
}

static bool
tool_done(void *arg)
{
	return ((struct tcp_tool *)arg)->done;
}

/* The tool in VRF vrf (0: the default); argv from IP on. */
static int
run_tool(struct cli_ctx *c, uint16_t vrf, int argc, char **argv, bool send)
{
	const char *usage = send ? "usage: tcp send [vrf NAME] IP PORT BYTES [source IP]"
				 : "usage: tcp connect [vrf NAME] IP PORT [source IP]";
	int need = send ? 3 : 2;
	long long port, bytes = 0;
	uint32_t dst, src = 0;
	struct tcp_tool *tl;
	const char *err;

	if (argc < need || !ip_parse(argv[0], &dst))
		return cli_fail(c, "%s", usage);
	if (!cli_num_arg(c, "PORT", argv[1], 0, 65535, &port))
		return 1;
	if (port == 0)
		return cli_fail(c, "PORT must be 1 to 65535");
	if (send && !cli_num_arg(c, "BYTES", argv[2], 0, 1ll << 32, &bytes))
		return 1;
	for (int i = need; i < argc; i += 2) {
		if (strcmp(argv[i], "source") != 0 || i + 1 >= argc)
			return cli_fail(c, "%s", usage);
		if (!ip_parse(argv[i + 1], &src) || !node_is_local_vrf(c->node, vrf, src))
			return cli_fail(c, "%s is not an address of %s%s%s", argv[i + 1], c->node->name,
			    vrf ? " in VRF " : "", vrf ? node_vrf_name(c->node, vrf) : "");
	}
	tl = tcp_tool_start(c->node, vrf, dst, (uint16_t)port, bytes, src);
	cli_run_until(c, tool_done, tl, SIM_NEVER);
	if (c->json)
		tcp_tool_json(tl, &c->j);
	else
		tcp_tool_format(tl, &c->out);
	if (cli_also_json(c) != NULL)
		tcp_tool_json(tl, &c->alt_j);
	err = tl->done ? tcp_tool_error(tl) : "not finished";
	if (err != NULL)
		cli_outcome(c, tl->connected ? "transfer-failed" : "no-connection", "%s:%llu: %s",
		    ip_str(dst), port, err);
	tcp_tool_free(tl);
	return err != NULL;
}

static int
cmd_tcp_connect(struct cli_ctx *c, int argc, char **argv)
{
	return run_tool(c, VRF_DEFAULT, argc, argv, false);
}

static int
cmd_tcp_send(struct cli_ctx *c, int argc, char **argv)
{
	return run_tool(c, VRF_DEFAULT, argc, argv, true);
}

/* `tcp connect vrf NAME ...` and `tcp send vrf NAME ...`: the tool in that VRF. */
static int
tool_in_vrf(struct cli_ctx *c, int argc, char **argv, bool send)
{
	int vrf;

	if (argc < 1)
		return cli_fail(c, "usage: tcp %s vrf NAME IP PORT%s [source IP]",
		    send ? "send" : "connect", send ? " BYTES" : "");
	if ((vrf = cli_vrf_arg(c, argv[0])) < 0)
		return 1;
	return run_tool(c, (uint16_t)vrf, argc - 1, argv + 1, send);
}

static int
cmd_tcp_connect_vrf(struct cli_ctx *c, int argc, char **argv)
{
	return tool_in_vrf(c, argc, argv, false);
}

static int
cmd_tcp_send_vrf(struct cli_ctx *c, int argc, char **argv)
{
	return tool_in_vrf(c, argc, argv, true);
}

const struct cli_cmd cmds_tcp[] = {
	{"show tcp", "", "TCP connections and listeners (like ss -tan)", cmd_show_tcp,
	    CLI_L3 | CLI_JSON},
	{"tcp connect", "IP PORT [source IP]",
	    "open a TCP connection and close it; exits 1 when refused or timed out",
	    cmd_tcp_connect, CLI_L3 | CLI_JSON},
	{"tcp send", "IP PORT BYTES [source IP]",
	    "send BYTES over TCP (port 7: echoed and checked, 9: discarded); exits 1 on failure",
	    cmd_tcp_send, CLI_L3 | CLI_JSON},
	{"tcp connect vrf", "NAME IP PORT [source IP]",
	    "tcp connect routed in VRF NAME (source IP: an address of the VRF)", cmd_tcp_connect_vrf,
	    CLI_ROUTER | CLI_JSON},
	{"tcp send vrf", "NAME IP PORT BYTES [source IP]", "tcp send routed in VRF NAME",
	    cmd_tcp_send_vrf, CLI_ROUTER | CLI_JSON},
	{NULL},
};
