/* bridge.c: 802.1Q VLAN-aware learning switch (see bridge.h). */
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "bridge.h"
#include "eth.h"

struct bridge *
bridge_new(struct node *n)
{
	struct bridge *b = xcalloc(1, sizeof(*b));

	b->node = n;
	b->aging = BRIDGE_AGING;
	hmap_init(&b->fdb);
	return b;
}

void
bridge_flush(struct bridge *b)
{
	size_t i = 0;
	void *v;

	while (hmap_next(&b->fdb, &i, NULL, &v))
		free(v);
	hmap_free(&b->fdb);
}

void
bridge_free(struct bridge *b)
{
	if (b == NULL)
		return;
	bridge_flush(b);
	free(b);
}

static uint64_t
fdb_key(uint16_t vlan, const uint8_t mac[6])
{
	uint64_t k = vlan;

	for (int i = 0; i < 6; i++)
		k = k << 8 | mac[i];
	return k;
}

bool
port_in_vlan(const struct iface *p, uint16_t vlan)
{
	if (!p->trunk)
		return p->access_vlan == vlan;
	return p->allowed == NULL || (p->allowed[vlan / 8] & (1u << (vlan % 8)));
}

/* Send the frame (untagged payload form: dst, src, type...) out of a port in vlan. */
static void
port_out(struct iface *port, uint16_t vlan, const uint8_t *frame, size_t len, uint8_t pcp,
    uint8_t cls)
{
	struct pkt *p;

	if (port->trunk && vlan != port->native_vlan) {
		p = pkt_new(len + 4);
		memcpy(p->data, frame, 12);
		put16(p->data + 12, 0x8100);
		put16(p->data + 14, (uint16_t)(pcp << 13 | vlan));
		memcpy(p->data + 16, frame + 12, len - 12);
	} else {
		p = pkt_from(frame, len);
	}
	p->cls = cls;
	iface_tx(port, p);
}

void
bridge_port_down(struct iface *port)
{
	struct bridge *b = port->node->br;
	uint64_t *keys = xmalloc(sizeof(*keys) * (b->fdb.n + 1));
	size_t i = 0, k = 0;
	uint64_t key;
	void *v;

	while (hmap_next(&b->fdb, &i, &key, &v))
		if (((struct mac_entry *)v)->port == port->idx)
			keys[k++] = key;
	for (i = 0; i < k; i++)
		free(hmap_del(&b->fdb, keys[i]));
	free(keys);
}

void
bridge_input(struct iface *in, struct pkt *p)
{
	struct bridge *b = in->node->br;
	struct node *n = in->node;
	sim_time now = node_now(n);
	uint8_t *f = p->data, pcp = 0;
	uint16_t vlan;
	size_t len = p->len;
	struct mac_entry *e;
	uint64_t key;

	if (len < 14) {
		in->st.rx_drops++;
		pkt_free(p);
		return;
	}
	if (get16(f + 12) == 0x8100) {
		if (len < 18 || !in->trunk) {
			in->st.rx_drops++;
			pkt_free(p);
			return;
		}
		pcp = f[14] >> 5;
		vlan = get16(f + 14) & 0x0fff;
		/* Strip the tag: frames are handled untagged inside the switch. */
		memmove(f + 4, f, 12);
		pkt_pull(p, 4);
		f = p->data;
		len = p->len;
	} else {
		vlan = in->trunk ? in->native_vlan : in->access_vlan;
	}
	if (vlan == 0 || !port_in_vlan(in, vlan)) {
		in->st.rx_drops++;
		pkt_free(p);
		return;
	}
	/* Learn the source (never a multicast source). */
	if (!(f[6] & 1)) {
		key = fdb_key(vlan, f + 6);
		e = hmap_get(&b->fdb, key);
		if (e == NULL) {
			e = xmalloc(sizeof(*e));
			e->vlan = vlan;
			memcpy(e->mac, f + 6, 6);
			hmap_put(&b->fdb, key, e);
			b->learned++;
			trace(TR_SWITCH, "%s learned %s vlan %u on %s", n->name, mac_str(f + 6), vlan,
			    in->name);
		}
		e->port = in->idx;
		e->seen = now;
	}
	if (!(f[0] & 1)) {
		e = hmap_get(&b->fdb, fdb_key(vlan, f));
		if (e != NULL && now - e->seen < b->aging) {
			struct iface *out = n->ifs[e->port];

			if (e->port == in->idx)
				b->filtered++;
			else if (iface_is_up(out) && port_in_vlan(out, vlan)) {
				b->forwarded++;
				port_out(out, vlan, f, len, pcp, p->cls);
			}
			pkt_free(p);
			return;
		}
	}
	b->flooded++;
	for (size_t i = 0; i < n->nifs; i++) {
		struct iface *out = n->ifs[i];

		if (out != in && out->link && iface_is_up(out) && port_in_vlan(out, vlan))
			port_out(out, vlan, f, len, pcp, p->cls);
	}
	pkt_free(p);
}

static int
entry_cmp(const void *x, const void *y)
{
	const struct mac_entry *a = *(struct mac_entry *const *)x;
	const struct mac_entry *b = *(struct mac_entry *const *)y;

	if (a->vlan != b->vlan)
		return a->vlan - b->vlan;
	return memcmp(a->mac, b->mac, 6);
}

struct mac_entry **
bridge_sorted(struct bridge *b, size_t *cnt)
{
	struct mac_entry **v = xmalloc(sizeof(*v) * (b->fdb.n + 1));
	sim_time now = node_now(b->node);
	size_t i = 0, k = 0;
	void *e;

	while (hmap_next(&b->fdb, &i, NULL, &e))
		if (now - ((struct mac_entry *)e)->seen < b->aging)
			v[k++] = e;
	qsort(v, k, sizeof(*v), entry_cmp);
	*cnt = k;
	return v;
}
