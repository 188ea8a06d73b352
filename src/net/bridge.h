/*
 * bridge.h: an IEEE 802.1Q learning switch.
 *
 * Ports are access ports (untagged, one VLAN) or trunks (tagged, an allowed
 * set, a native VLAN sent untagged). Addresses are learned per VLAN and age
 * out after `aging` of silence; aging is checked when an entry is used or
 * listed, so an idle switch costs no events. Unknown unicast, broadcast and
 * multicast flood to every other port of the VLAN.
 */
#ifndef NETSIM_BRIDGE_H
#define NETSIM_BRIDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/hmap.h"
#include "net.h"

#define BRIDGE_AGING (300 * SIM_S)

struct mac_entry {
	uint16_t vlan;
	uint8_t mac[6];
	uint16_t port;
	sim_time seen;
};

struct bridge {
	struct node *node;
	struct hmap fdb; /* vlan<<48 | mac -> mac_entry */
	sim_time aging;
	uint64_t flooded, forwarded, filtered, learned;
};

struct bridge *bridge_new(struct node *);
void bridge_free(struct bridge *);
void bridge_flush(struct bridge *);
void bridge_input(struct iface *, struct pkt *);
void bridge_port_down(struct iface *);
/* Live entries sorted by (vlan, mac), for show commands (caller frees). */
struct mac_entry **bridge_sorted(struct bridge *, size_t *n);
bool port_in_vlan(const struct iface *, uint16_t vlan);

#endif
