/*
 * cmd.c: IS-IS changes at run time, from the CLI, the daemon and Lua
 * (`dev:cmd`): a circuit's metric and the overload bit. Each takes effect as
 * on a router: the LSPs are regenerated (with the usual throttling) and
 * flooded, and every router's SPF follows. The change outlives a crash and
 * restart of the device, as configuration does.
 */
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/util.h"
#include "isis.h"

static struct isis *
isis_of(struct cli_ctx *c)
{
	struct proto_inst *pi = c->node ? proto_get(c->node, &proto_isis) : NULL;

	return pi ? pi->priv : NULL;
}

static void
regenerate(struct isis *is)
{
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++)
		if (is->cfg.level & l)
			isis_gen_schedule(is, l);
}

/* isis metric IFACE VALUE */
int
isis_cmd_metric(struct cli_ctx *c, int argc, char **argv)
{
	struct isis *is = isis_of(c);
	struct iface *ifp;
	unsigned long v;
	char *end;
	uint32_t max;

	if (argc != 2)
		return cli_fail(c, "usage: isis metric IFACE VALUE");
	if (is == NULL)
		return cli_fail(c, "IS-IS is not configured on %s", c->node->name);
	if ((ifp = node_iface(c->node, argv[0])) == NULL)
		return cli_fail(c, "no interface %s on %s", argv[0], c->node->name);
	if (ifp->idx >= is->ncfg_if || !is->cfg_if[ifp->idx].on)
		return cli_fail(c, "%s does not run IS-IS", ifp->name);
	max = is->cfg.style == ISIS_NARROW ? ISIS_NARROW_MAX : ISIS_WIDE_MAX;
	v = strtoul(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || *argv[1] == '-' || v > max)
		return cli_fail(c, "metric '%s': expected 0 to %u (%s metrics)", argv[1], max,
		                is->cfg.style == ISIS_NARROW ? "narrow" : "wide");
	is->cfg_if[ifp->idx].metric = (uint32_t)v;
	is->cfg_if[ifp->idx].metric_set = true;
	for (int i = 0; i < is->ncircs; i++)
		if (is->circs[i]->ifp == ifp) {
			is->circs[i]->metric = (uint32_t)v;
			is->circs[i]->cfg.metric = (uint32_t)v;
		}
	regenerate(is);
	return 0;
}

/* isis overload on|off (ISO 10589 7.3.19.1: the LSP database overload bit, set by hand) */
int
isis_cmd_overload(struct cli_ctx *c, int argc, char **argv)
{
	static const char *const words[] = {"on", "off"};
	struct isis *is = isis_of(c);
	int k;

	if (argc != 1)
		return cli_fail(c, "usage: isis overload on|off");
	if (is == NULL)
		return cli_fail(c, "IS-IS is not configured on %s", c->node->name);
	if ((k = cli_keyword(c, "overload setting", argv[0], words, 2)) < 0)
		return 1;
	is->cfg.overload = k == 0;
	regenerate(is);
	return 0;
}
