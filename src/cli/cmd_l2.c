/* cmd_l2.c: `show arp`, `show mac address-table`, `show vlan`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "../net/arp.h"
#include "../net/bridge.h"
#include "cli.h"
#include "cmds.h"

static int
cmd_show_arp(struct cli_ctx *c, int argc UNUSED, char **argv UNUSED)
{
	struct node *n = c->node;
	size_t cnt;
	struct arp_entry **v = arp_sorted(n, &cnt);
	sim_time now = node_now(n);

	if (c->json) {
		json_arr_begin(&c->j);
		for (size_t i = 0; i < cnt; i++) {
			json_obj_begin(&c->j);
			json_kv_str(&c->j, "address", ip_str(v[i]->ip));
			json_kv_str(&c->j, "hardwareAddress",
			    v[i]->state == ARP_REACHABLE ? mac_str(v[i]->mac) : "incomplete");
			json_kv_str(&c->j, "interface", n->ifs[v[i]->ifindex]->name);
			json_kv_str(&c->j, "state",
			    v[i]->state == ARP_REACHABLE ? "reachable" : "incomplete");
			json_kv_int(&c->j, "ageSeconds", (now - v[i]->updated) / SIM_S);
			json_obj_end(&c->j);
		}
		json_arr_end(&c->j);
		free(v);
		return 0;
	}
	cli_printf(c, "Address          Hardware Addr      Interface   Age       State\n");
	for (size_t i = 0; i < cnt; i++) {
		cli_printf(c, "%-16s %-18s %-11s %-9s %s\n", ip_str(v[i]->ip),
		    v[i]->state == ARP_REACHABLE ? mac_str(v[i]->mac) : "(incomplete)",
		    n->ifs[v[i]->ifindex]->name, cli_age(now - v[i]->updated),
		    v[i]->state == ARP_REACHABLE ? "reachable" : "incomplete");
	}
	free(v);
	return 0;
}

static int
cmd_show_mac(struct cli_ctx *c, int argc UNUSED, char **argv UNUSED)
{
	struct node *n = c->node;
	size_t cnt;
	struct mac_entry **v = bridge_sorted(n->br, &cnt);
	sim_time now = node_now(n);

	if (c->json) {
		json_arr_begin(&c->j);
		for (size_t i = 0; i < cnt; i++) {
			json_obj_begin(&c->j);
			json_kv_int(&c->j, "vlan", v[i]->vlan);
			json_kv_str(&c->j, "mac", mac_str(v[i]->mac));
			json_kv_str(&c->j, "type", "dynamic");
			json_kv_str(&c->j, "port", n->ifs[v[i]->port]->name);
			json_kv_int(&c->j, "ageSeconds", (now - v[i]->seen) / SIM_S);
			json_obj_end(&c->j);
		}
		json_arr_end(&c->j);
		free(v);
		return 0;
	}
	cli_printf(c, "Vlan  Mac Address        Type     Port        Age\n");
	for (size_t i = 0; i < cnt; i++)
		cli_printf(c, "%4u  %-18s %-8s %-11s %s\n", v[i]->vlan, mac_str(v[i]->mac), "DYNAMIC",
		    n->ifs[v[i]->port]->name, cli_age(now - v[i]->seen));
	cli_printf(c, "Total Mac Addresses: %zu\n", cnt);
	free(v);
	return 0;
}

/* The VLANs that exist on a switch: every access VLAN and every VLAN a trunk allows explicitly. */
static void
vlans_in_use(const struct node *n, uint8_t *bm)
{
	for (size_t i = 0; i < n->nifs; i++) {
		const struct iface *p = n->ifs[i];

		if (!p->trunk) {
			bm[p->access_vlan / 8] |= (uint8_t)(1u << (p->access_vlan % 8));
			continue;
		}
		if (port_in_vlan(p, p->native_vlan))
			bm[p->native_vlan / 8] |= (uint8_t)(1u << (p->native_vlan % 8));
		if (p->allowed)
			for (int k = 0; k < (VLAN_MAX + 1) / 8; k++)
				bm[k] |= p->allowed[k];
	}
}

static int
cmd_show_vlan(struct cli_ctx *c, int argc UNUSED, char **argv UNUSED)
{
	struct node *n = c->node;
	uint8_t bm[(VLAN_MAX + 1) / 8 + 1] = {0};

	vlans_in_use(n, bm);
	if (c->json)
		json_obj_begin(&c->j);
	else
		cli_printf(c, "VLAN  Name         Status   Ports\n");
	for (int v = 1; v < VLAN_MAX; v++) {
		bool first = true;

		if (!(bm[v / 8] & (1u << (v % 8))))
			continue;
		if (c->json) {
			char key[16];

			snprintf(key, sizeof(key), "%d", v);
			json_key(&c->j, key);
			json_obj_begin(&c->j);
			json_kv_str(&c->j, "name", v == 1 ? "default" : "");
			json_key(&c->j, "ports");
			json_arr_begin(&c->j);
		} else {
			char name[24];

			snprintf(name, sizeof(name), v == 1 ? "default" : "VLAN%04d", v);
			cli_printf(c, "%-5d %-12s active   ", v, name);
		}
		for (size_t i = 0; i < n->nifs; i++) {
			const struct iface *p = n->ifs[i];

			if (!port_in_vlan(p, (uint16_t)v))
				continue;
			if (c->json) {
				json_obj_begin(&c->j);
				json_kv_str(&c->j, "port", p->name);
				json_kv_bool(&c->j, "tagged", p->trunk && p->native_vlan != v);
				json_obj_end(&c->j);
			} else {
				cli_printf(c, "%s%s%s", first ? "" : ", ", p->name,
				    p->trunk ? (p->native_vlan == v ? "(native)" : "(tagged)") : "");
			}
			first = false;
		}
		if (c->json) {
			json_arr_end(&c->j);
			json_obj_end(&c->j);
		} else {
			cli_printf(c, "\n");
		}
	}
	if (c->json)
		json_obj_end(&c->j);
	return 0;
}

const struct cli_cmd cmds_l2[] = {
	{"show arp", "", "the ARP cache", cmd_show_arp, CLI_L3 | CLI_JSON},
	{"show mac address-table", "", "learned MAC addresses per VLAN", cmd_show_mac,
	    CLI_SWITCH | CLI_JSON},
	{"show vlan", "", "VLANs and their ports", cmd_show_vlan, CLI_SWITCH | CLI_JSON},
	{NULL},
};
