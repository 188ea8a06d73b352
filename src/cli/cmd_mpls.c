/* cmd_mpls.c: the LFIB's commands: `show mpls forwarding`, `mpls lfib add/del` (mpls.h). */
#include <string.h>

#include "../lib/util.h"
#include "../net/mpls.h"
#include "cli.h"
#include "cmds.h"

static int
cmd_show_mpls(struct cli_ctx *c, int argc UNUSED, char **argv UNUSED)
{
	if (c->json)
		mpls_show_json(c->node, &c->j);
	else
		mpls_show(c->node, &c->out);
	return 0;
}

static int
cmd_show_mpls_stats(struct cli_ctx *c, int argc UNUSED, char **argv UNUSED)
{
	if (c->json)
		mpls_stats_show_json(c->node, &c->j);
	else
		mpls_stats_show(c->node, &c->out);
	return 0;
}

/* An incoming label argument, checked like the topology's. */
static bool
label_arg(struct cli_ctx *c, const char *s, bool incoming, uint32_t *out)
{
	char err[160];

	if (mpls_labels_parse(s, out, 1, err, sizeof(err)) < 0 ||
	    !mpls_label_valid(*out, incoming, err, sizeof(err))) {
		cli_fail(c, "%s", err);
		return false;
	}
	return true;
}

#define LFIB_ADD_USAGE \
	"usage: mpls lfib add IN swap OUT[/OUT...] via IP | IN pop [via IP] | IN pop vrf NAME"

static int
cmd_lfib_add(struct cli_ctx *c, int argc, char **argv)
{
	struct mpls_entry e = {.owner = "static"};
	char err[160];
	int i = 2;

	if (argc < 2 || !label_arg(c, argv[0], true, &e.in))
		return argc < 2 ? cli_fail(c, LFIB_ADD_USAGE) : 1;
	if (strcmp(argv[1], "swap") == 0) {
		int k;

		if (argc < 3)
			return cli_fail(c, LFIB_ADD_USAGE);
		e.action = MPLS_SWAP;
		if ((k = mpls_labels_parse(argv[2], e.out, LABEL_STACK_MAX, err, sizeof(err))) < 0)
			return cli_fail(c, "%s", err);
		e.nout = (uint8_t)k;
		i = 3;
	} else if (strcmp(argv[1], "pop") == 0) {
		e.action = MPLS_POP;
	} else {
		return cli_fail(c, LFIB_ADD_USAGE);
	}
	if (i < argc && i + 2 == argc && e.action == MPLS_POP && strcmp(argv[i], "vrf") == 0) {
		int vrf = cli_vrf_arg(c, argv[i + 1]);

		if (vrf < 0)
			return 1;
		if (mpls_vpn_label_set(c->node, e.in, (uint16_t)vrf, "static", err, sizeof(err)) < 0)
			return cli_fail(c, "%s", err);
		return 0;
	}
	if (i < argc) {
		if (i + 2 != argc || strcmp(argv[i], "via") != 0)
			return cli_fail(c, LFIB_ADD_USAGE);
		if (!ip_parse(argv[i + 1], &e.via))
			return cli_fail(c, "bad next hop '%s'", argv[i + 1]);
	}
	if (mpls_lfib_add(c->node, &e, err, sizeof(err)) < 0)
		return cli_fail(c, "%s", err);
	return 0;
}

static int
cmd_lfib_del(struct cli_ctx *c, int argc, char **argv)
{
	uint32_t in;

	if (argc != 1)
		return cli_fail(c, "usage: mpls lfib del IN");
	if (!label_arg(c, argv[0], true, &in))
		return 1;
	if (mpls_lfib_del(c->node, in) == 0)
		return cli_fail(c, "no LFIB entry for label %u", in);
	return 0;
}

const struct cli_cmd cmds_mpls[] = {
	{"show mpls forwarding", "", "the MPLS forwarding table (LFIB)", cmd_show_mpls,
	    CLI_ROUTER | CLI_JSON},
	{"show mpls table", "", "the MPLS forwarding table (LFIB), as FRR names it", cmd_show_mpls,
	    CLI_ROUTER | CLI_JSON},
	{"show mpls statistics", "", "the MPLS data plane's counters (received, popped, dropped...)",
	    cmd_show_mpls_stats, CLI_ROUTER | CLI_JSON},
	{"mpls lfib add", "IN swap OUT[/OUT...] via IP | IN pop [via IP] | IN pop vrf NAME",
	    "add a static LFIB entry (pop without via: this router is the egress; pop vrf: a VPN "
	    "label, routed in the VRF)", cmd_lfib_add,
	    CLI_ROUTER},
	{"mpls lfib del", "IN", "remove the LFIB entries for an incoming label", cmd_lfib_del,
	    CLI_ROUTER},
	{NULL},
};
