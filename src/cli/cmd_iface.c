/* cmd_iface.c: `show interfaces`, `show traffic`, `interface NAME [no] shutdown`. */
#include <stdio.h>
#include <string.h>

#include "../lib/util.h"
#include "../net/ip4.h"
#include "../net/vrf.h"
#include "cli.h"
#include "cmds.h"

static const char *
if_status(const struct iface *ifp)
{
	if (!ifp->admin_up)
		return "admin down";
	return iface_is_up(ifp) ? "up" : "down";
}

static const char *
if_addr(const struct iface *ifp)
{
	static char buf[PFX_STRLEN];

	if (ifp->addr == 0)
		return "unassigned";
	snprintf(buf, sizeof(buf), "%s/%u", ip_str(ifp->addr), ifp->plen);
	return buf;
}

static const char *
port_mode(const struct iface *ifp)
{
	static char buf[32];

	if (ifp->trunk)
		snprintf(buf, sizeof(buf), "trunk native %u", ifp->native_vlan);
	else
		snprintf(buf, sizeof(buf), "access vlan %u", ifp->access_vlan);
	return buf;
}

static void
iface_json(struct cli_ctx *c, const struct iface *ifp)
{
	struct json *j = &c->j;

	json_key(j, ifp->name);
	json_obj_begin(j);
	json_kv_str(j, "administrativeStatus", ifp->admin_up ? "up" : "down");
	json_kv_str(j, "operationalStatus", iface_is_up(ifp) ? "up" : "down");
	json_kv_int(j, "index", ifp->idx);
	json_kv_int(j, "mtu", ifp->mtu);
	json_kv_str(j, "hardwareAddress", mac_str(ifp->mac));
	if (ifp->description)
		json_kv_str(j, "description", ifp->description);
	if (ifp->vrf != VRF_DEFAULT) /* FRR's key; left out in the default VRF */
		json_kv_str(j, "vrfName", node_vrf_name(ifp->node, ifp->vrf));
	if (ifp->kind == IF_LOOPBACK)
		json_kv_bool(j, "loopback", true);
	if (ifp->kind == IF_TUNNEL) {
		uint32_t src, dst;
		const char *why = ifp->tun->down_reason(ifp);

		ifp->tun->endpoints(ifp, &src, &dst);
		json_key(j, "tunnel");
		json_obj_begin(j);
		json_kv_str(j, "type", ifp->tun->type);
		json_kv_str(j, "source", ip_str(src));
		json_kv_str(j, "destination", ip_str(dst));
		if (why != NULL && ifp->admin_up)
			json_kv_str(j, "downReason", why);
		json_obj_end(j);
	}
	if (ifp->parent) {
		json_kv_str(j, "parentInterface", ifp->parent->name);
		json_kv_int(j, "vlanId", ifp->vlan);
	}
	if (c->node->type == NODE_SWITCH) {
		json_kv_str(j, "portMode", ifp->trunk ? "trunk" : "access");
		json_kv_int(j, ifp->trunk ? "nativeVlan" : "accessVlan",
		    ifp->trunk ? ifp->native_vlan : ifp->access_vlan);
	} else {
		json_key(j, "ipAddresses");
		json_arr_begin(j);
		if (ifp->addr) {
			json_obj_begin(j);
			json_kv_str(j, "address", if_addr(ifp));
			json_obj_end(j);
		}
		json_arr_end(j);
	}
	if (ifp->link) {
		json_kv_str(j, "link", ifp->link->name);
		json_kv_double(j, "linkDelayMs", (double)ifp->link->delay / SIM_MS);
	}
	json_obj_end(j);
}

/* Under a tunnel's row: "  gre tunnel 1.1.1.1 -> 2.2.2.2, down: recursive routing". */
static void
tunnel_line(struct cli_ctx *c, const struct iface *ifp)
{
	uint32_t src, dst;
	const char *why = ifp->tun->down_reason(ifp);

	ifp->tun->endpoints(ifp, &src, &dst);
	cli_printf(c, "  %s tunnel %s", ifp->tun->type, ip_str(src));
	cli_printf(c, " -> %s", ip_str(dst));
	if (why != NULL && ifp->admin_up)
		cli_printf(c, ", down: %s", why);
	cli_printf(c, "\n");
}

static int
cmd_show_interfaces(struct cli_ctx *c, int argc, char **argv)
{
	struct node *n = c->node;
	bool sw = n->type == NODE_SWITCH;

	if (argc > 1)
		return cli_fail(c, "usage: show interfaces [IFACE]");
	if (argc == 1 && node_iface(n, argv[0]) == NULL)
		return cli_fail(c, "no interface '%s' on %s", argv[0], n->name);
	if (c->json) {
		json_obj_begin(&c->j);
		for (size_t i = 0; i < n->nifs; i++)
			if (argc == 0 || strcmp(argv[0], n->ifs[i]->name) == 0)
				iface_json(c, n->ifs[i]);
		json_obj_end(&c->j);
		return 0;
	}
	cli_printf(c, "Interface");
	cli_pad(c, 12);
	cli_printf(c, "%s", sw ? "Mode" : "IP Address");
	cli_pad(c, 32);
	cli_printf(c, "MAC Address");
	cli_pad(c, 52);
	cli_printf(c, "MTU");
	cli_pad(c, 59);
	cli_printf(c, "Status\n");
	for (size_t i = 0; i < n->nifs; i++) {
		const struct iface *ifp = n->ifs[i];

		if (argc == 1 && strcmp(argv[0], ifp->name) != 0)
			continue;
		cli_printf(c, "%s", ifp->name);
		cli_pad(c, 12);
		cli_printf(c, "%s", sw ? port_mode(ifp) : if_addr(ifp));
		cli_pad(c, 32);
		cli_printf(c, "%s", mac_str(ifp->mac));
		cli_pad(c, 52);
		cli_printf(c, "%u", ifp->mtu);
		cli_pad(c, 59);
		cli_printf(c, "%s\n", if_status(ifp));
		if (ifp->kind == IF_TUNNEL)
			tunnel_line(c, ifp);
		if (ifp->vrf != VRF_DEFAULT)
			cli_printf(c, "  vrf %s\n", node_vrf_name(n, ifp->vrf));
	}
	return 0;
}

static int
cmd_show_traffic(struct cli_ctx *c, int argc UNUSED, char **argv UNUSED)
{
	struct node *n = c->node;

	if (c->json) {
		json_obj_begin(&c->j);
		for (size_t i = 0; i < n->nifs; i++) {
			const struct if_stats *s = &n->ifs[i]->st;

			json_key(&c->j, n->ifs[i]->name);
			json_obj_begin(&c->j);
			json_kv_int(&c->j, "rxPackets", (int64_t)s->rx_pkts);
			json_kv_int(&c->j, "rxBytes", (int64_t)s->rx_bytes);
			json_kv_int(&c->j, "rxDrops", (int64_t)s->rx_drops);
			json_kv_int(&c->j, "txPackets", (int64_t)s->tx_pkts);
			json_kv_int(&c->j, "txBytes", (int64_t)s->tx_bytes);
			json_kv_int(&c->j, "txDrops", (int64_t)s->tx_drops);
			json_obj_end(&c->j);
		}
		json_obj_end(&c->j);
		return 0;
	}
	cli_printf(c, "Interface   RX packets    RX bytes  RX drops  TX packets    TX bytes  TX drops\n");
	for (size_t i = 0; i < n->nifs; i++) {
		const struct if_stats *s = &n->ifs[i]->st;

		cli_printf(c, "%-10s %11llu %11llu %9llu %11llu %11llu %9llu\n", n->ifs[i]->name,
		    (unsigned long long)s->rx_pkts, (unsigned long long)s->rx_bytes,
		    (unsigned long long)s->rx_drops, (unsigned long long)s->tx_pkts,
		    (unsigned long long)s->tx_bytes, (unsigned long long)s->tx_drops);
	}
	return 0;
}

static int
cmd_interface(struct cli_ctx *c, int argc, char **argv)
{
	struct iface *ifp;
	bool shut;

	if (argc == 2 && strcmp(argv[1], "shutdown") == 0)
		shut = true;
	else if (argc == 3 && strcmp(argv[1], "no") == 0 && strcmp(argv[2], "shutdown") == 0)
		shut = false;
	else
		return cli_fail(c, "usage: interface IFACE shutdown | interface IFACE no shutdown");
	if ((ifp = node_iface(c->node, argv[0])) == NULL)
		return cli_fail(c, "no interface '%s' on %s", argv[0], c->node->name);
	if (ifp->admin_up == !shut)
		return 0;
	iface_set_admin(ifp, !shut);
	return 0;
}

const struct cli_cmd cmds_iface[] = {
	{"show interfaces", "[IFACE]", "interfaces: address, MAC, MTU, state", cmd_show_interfaces,
	    CLI_DEV | CLI_JSON},
	{"show traffic", "", "per-interface packet, byte and drop counters", cmd_show_traffic,
	    CLI_DEV | CLI_JSON},
	{"interface", "IFACE shutdown | IFACE no shutdown", "disable or enable an interface",
	    cmd_interface, CLI_DEV},
	{NULL},
};
