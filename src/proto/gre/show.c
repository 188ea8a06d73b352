/*
 * show.c: `show gre tunnels [NAME] [json]` and `gre tunnel set NAME ...`.
 *
 * FRR has no GRE command; the text follows Cisco's `show interfaces tunnel`
 * (state line, source and destination, protocol and options) with Linux
 * `ip tunnel show`'s terms (key, csum, seq, ttl). The JSON keys are camelCase
 * and stable (docs/gre.md).
 */
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/simtime.h"
#include "../../lib/util.h"
#include "../../net/nht.h"
#include "gre.h"

static const char *const df_names[] = {"copy", "set", "clear"};

static struct gre *
node_gre(const struct node *n)
{
	struct proto_inst *pi = proto_get(n, &proto_gre);

	return pi != NULL ? pi->priv : NULL;
}

static const char *
state_of(const struct gre_tun *t)
{
	if (!t->ifp->admin_up)
		return "admin down";
	return iface_is_up(t->ifp) ? "up" : "down";
}

/* Why a tunnel that is not shut down is down; NULL when it is up or shut down. */
static const char *
down_reason(const struct gre_tun *t)
{
	if (!t->ifp->admin_up || iface_is_up(t->ifp))
		return NULL;
	return t->reason ? t->reason : "not running";
}

static void
tun_json(struct cli_ctx *c, const struct gre_tun *t)
{
	struct json *j = &c->j;
	const struct gre_stats *s = &t->st;
	const struct nht_res *r = t->nh != NULL ? &t->nh->res : NULL;
	const char *why = down_reason(t);

	json_key(j, t->ifp->name);
	json_obj_begin(j);
	json_kv_str(j, "state", state_of(t));
	if (why != NULL)
		json_kv_str(j, "downReason", why);
	if (t->ifp->addr)
		json_kv_str(j, "address", prefix_str(&(struct prefix){t->ifp->addr, t->ifp->plen}));
	json_kv_str(j, "source", ip_str(gre_src_addr(t)));
	if (t->src_if != NULL && t->src_name != NULL)
		json_kv_str(j, "sourceInterface", t->src_if->name);
	json_kv_str(j, "destination", ip_str(t->dst));
	if (t->has_key)
		json_kv_int(j, "key", t->key);
	json_kv_bool(j, "checksum", t->csum);
	json_kv_bool(j, "sequence", t->seq);
	if (t->ttl)
		json_kv_int(j, "ttl", t->ttl);
	else
		json_kv_str(j, "ttl", "inherit");
	json_kv_str(j, "df", df_names[t->df]);
	json_kv_int(j, "mtu", t->ifp->mtu);
	if (t->ka_interval != 0) {
		json_key(j, "keepalive");
		json_obj_begin(j);
		json_kv_int(j, "intervalSeconds", t->ka_interval / SIM_S);
		json_kv_int(j, "retries", t->ka_retries);
		json_kv_int(j, "sent", (int64_t)s->ka_sent);
		json_kv_int(j, "returned", (int64_t)s->ka_rcvd);
		json_kv_int(j, "unanswered", t->ka_missed);
		json_obj_end(j);
	}
	if (r != NULL && r->reachable) {
		json_kv_str(j, "resolvedVia", prefix_str(&r->via));
		json_kv_str(j, "underlayInterface", t->g->node->ifs[r->nh[0].ifindex]->name);
	}
	json_kv_int(j, "downTransitions", t->flaps);
	json_kv_double(j, "lastChangeSeconds", (double)t->since / SIM_S);
	json_kv_int(j, "encapsulated", (int64_t)s->encaps);
	json_kv_int(j, "decapsulated", (int64_t)s->decaps);
	json_key(j, "drops");
	json_obj_begin(j);
	json_kv_int(j, "down", (int64_t)s->drop_down);
	json_kv_int(j, "loop", (int64_t)s->drop_loop);
	json_kv_int(j, "checksum", (int64_t)s->drop_cksum);
	json_kv_int(j, "sequence", (int64_t)s->drop_seq);
	json_kv_int(j, "protocolType", (int64_t)s->drop_proto);
	json_obj_end(j);
	json_obj_end(j);
}

static void
tun_text(struct cli_ctx *c, const struct gre_tun *t)
{
	const struct gre_stats *s = &t->st;
	const struct nht_res *r = t->nh != NULL ? &t->nh->res : NULL;
	const char *why = down_reason(t);

	cli_printf(c, "%s is %s", t->ifp->name, state_of(t));
	if (why != NULL)
		cli_printf(c, " (%s)", why);
	cli_printf(c, ", since %s, %u down transitions\n", sim_time_str(t->since), t->flaps);
	if (t->ifp->addr)
		cli_printf(c, "  Internet address is %s, MTU %u\n",
		    prefix_str(&(struct prefix){t->ifp->addr, t->ifp->plen}), t->ifp->mtu);
	else
		cli_printf(c, "  No address, MTU %u\n", t->ifp->mtu);
	cli_printf(c, "  Tunnel source %s", ip_str(gre_src_addr(t)));
	if (t->src_name != NULL)
		cli_printf(c, " (%s)", t->src_name);
	cli_printf(c, ", destination %s\n", ip_str(t->dst));
	cli_printf(c, "  Tunnel protocol GRE/IP");
	if (t->has_key)
		cli_printf(c, ", key %u", t->key);
	cli_printf(c, ", checksum %s, sequencing %s\n", t->csum ? "on" : "off",
	    t->seq ? "on" : "off");
	if (t->ttl)
		cli_printf(c, "  TTL %u, DF %s\n", t->ttl, df_names[t->df]);
	else
		cli_printf(c, "  TTL inherit, DF %s\n", df_names[t->df]);
	if (t->ka_interval != 0)
		cli_printf(c, "  Keepalive every %llds, retries %u: %llu sent, %llu returned, "
		    "%u unanswered\n", (long long)(t->ka_interval / SIM_S), t->ka_retries,
		    (unsigned long long)s->ka_sent, (unsigned long long)s->ka_rcvd, t->ka_missed);
	if (r != NULL && r->reachable)
		cli_printf(c, "  Destination via %s, out %s\n", prefix_str(&r->via),
		    t->g->node->ifs[r->nh[0].ifindex]->name);
	else
		cli_printf(c, "  Destination not resolved\n");
	cli_printf(c, "  %llu packets encapsulated, %llu decapsulated\n",
	    (unsigned long long)s->encaps, (unsigned long long)s->decaps);
	cli_printf(c, "  Drops: %llu down, %llu loop, %llu checksum, %llu sequence, "
	    "%llu protocol type\n", (unsigned long long)s->drop_down,
	    (unsigned long long)s->drop_loop, (unsigned long long)s->drop_cksum,
	    (unsigned long long)s->drop_seq, (unsigned long long)s->drop_proto);
}

static struct gre_tun *
find_tun(struct cli_ctx *c, const char *name)
{
	struct gre *g = node_gre(c->node);

	for (size_t i = 0; g != NULL && i < g->n; i++)
		if (strcmp(g->tun[i]->ifp->name, name) == 0)
			return g->tun[i];
	cli_fail(c, "no GRE tunnel '%s' on %s", name, c->node->name);
	return NULL;
}

static int
cmd_show_tunnels(struct cli_ctx *c, int argc, char **argv)
{
	struct gre *g = node_gre(c->node);
	const struct gre_tun *one = NULL;

	if (argc > 1)
		return cli_fail(c, "usage: show gre tunnels [NAME]");
	if (argc == 1 && (one = find_tun(c, argv[0])) == NULL)
		return 1;
	if (c->json) {
		json_obj_begin(&c->j);
		json_key(&c->j, "tunnels");
		json_obj_begin(&c->j);
		for (size_t i = 0; g != NULL && i < g->n; i++)
			if (one == NULL || g->tun[i] == one)
				tun_json(c, g->tun[i]);
		json_obj_end(&c->j);
		if (g != NULL) {
			json_kv_int(&c->j, "noTunnelDrops", (int64_t)g->no_tunnel);
			json_kv_int(&c->j, "badHeaderDrops", (int64_t)g->bad_header);
		}
		json_obj_end(&c->j);
		return 0;
	}
	if (g == NULL || g->n == 0) {
		cli_printf(c, "No GRE tunnels on %s\n", c->node->name);
		return 0;
	}
	for (size_t i = 0; i < g->n; i++)
		if (one == NULL || g->tun[i] == one)
			tun_text(c, g->tun[i]);
	if (one == NULL)
		cli_printf(c, "GRE received for no tunnel (or with a wrong key): %llu, bad header: %llu\n",
		    (unsigned long long)g->no_tunnel, (unsigned long long)g->bad_header);
	return 0;
}

/* `source ADDR|IFACE`: an address of the node, or an interface (which it follows). */
static int
set_source(struct cli_ctx *c, struct gre_tun *t, const char *s)
{
	struct node *n = c->node;
	struct iface *ifp;
	uint32_t a = 0;

	ifp = ip_parse(s, &a) ? node_iface_with_addr(n, a) : node_iface(n, s);
	if (ifp == NULL || ifp == t->ifp || ifp->addr == 0)
		return cli_fail(c, "source %s is neither an address of %s nor one of its other "
		    "interfaces with an address", s, n->name);
	free(t->src_name);
	t->src_name = a != 0 ? NULL : xstrdup(s);
	t->src = a;
	t->src_if = ifp;
	t->rx_seq_valid = false;
	return 0;
}

static int
cmd_set(struct cli_ctx *c, int argc, char **argv)
{
	struct gre_tun *t;
	const struct proto_inst *pi = proto_get(c->node, &proto_gre);
	uint32_t a;

	if (argc != 3)
		return cli_fail(c, "usage: gre tunnel set NAME destination IP | source IP|IFACE | "
		    "key N|none");
	if ((t = find_tun(c, argv[0])) == NULL)
		return 1;
	if (strcmp(argv[1], "destination") == 0) {
		if (!ip_parse(argv[2], &a) || ip_not_unicast(a) != NULL)
			return cli_fail(c, "bad destination '%s' (a unicast IPv4 address)", argv[2]);
		if (node_is_local(c->node, a))
			return cli_fail(c, "destination %s is an address of %s itself", argv[2],
			    c->node->name);
		t->dst = a;
	} else if (strcmp(argv[1], "source") == 0) {
		if (set_source(c, t, argv[2]) != 0)
			return 1;
	} else if (strcmp(argv[1], "key") == 0) {
		char *end;
		unsigned long long k = strtoull(argv[2], &end, 0);

		if (strcmp(argv[2], "none") == 0) {
			t->has_key = false;
		} else if (*argv[2] == '\0' || *end != '\0' || k > UINT32_MAX) {
			return cli_fail(c, "bad key '%s' (0 to 4294967295, or none)", argv[2]);
		} else {
			t->has_key = true;
			t->key = (uint32_t)k;
		}
	} else {
		return cli_fail(c, "unknown setting '%s' (destination, source or key)", argv[1]);
	}
	if (pi != NULL && pi->running)
		gre_track(t);
	return 0;
}

const struct cli_cmd gre_cmds[] = {
	{"show gre tunnels", "[NAME]", "GRE tunnels: ends, options, state and why down, counters",
	    cmd_show_tunnels, CLI_L3 | CLI_JSON},
	{"gre tunnel set", "NAME destination IP | NAME source IP|IFACE | NAME key N|none",
	    "change a GRE tunnel's destination, source or key", cmd_set, CLI_L3},
	{NULL},
};
