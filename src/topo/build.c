/*
 * build.c: the topology schema: a cfg tree -> network, devices, links, script.
 *
 *   name, description, seed
 *   devices: [{name, type: router|host|switch, router_id, interfaces: [...],
 *              vrfs: [{name, rd, import_targets, export_targets}] (routers),
 *              static_routes: [...], mpls: {static: [...]}, rank (distributed runs),
 *              <protocol>: {...}}]
 *     interfaces: [{name, type (ethernet, or a tunnel protocol: gre), ip, mac, mtu, shutdown,
 *                   description, gateway (hosts), vrf (routers),
 *                   vlan, mode: access|trunk, allowed_vlans, native_vlan (switch ports),
 *                   <protocol>: {...}}]
 *   links: [{endpoints: [A:IF, B:IF, ...], delay, loss, reorder, reorder_delay, duplicate,
 *            bandwidth, up}]
 *   script: [{at, device, command | lua, expect: success|fail}] (no device: network scope)
 *   lua: FILE, hooks: {EVENT: CHUNK}
 *
 * Every key under a device or an interface that is not part of this schema
 * must name a registered protocol, whose config hook reads the block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/hmap.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "../net/mpls.h"
#include "../net/tcp.h"
#include "../net/vrf.h"
#include "../proto/policy/policy.h"
#include "../proto/proto.h"
#include "../proto/static.h"
#include "../lib/cfg.h"
#include "../sim/dist.h"
#include "topo.h"

static const char *const device_keys[] = {"name", "type", "router_id", "interfaces",
    "static_routes", "description", "tcp_services", "mpls", "vrfs", "rank", NULL};
static const char *const iface_keys[] = {"name", "type", "ip", "mac", "mtu", "shutdown",
    "description", "gateway", "vlan", "mode", "allowed_vlans", "native_vlan", "vrf", NULL};

static const char *const switch_only[] = {"mode", "allowed_vlans", "native_vlan", NULL};

/* Protocols netsim implements or plans; a key naming one that this build lacks says so. */
static bool
in_list(const char *const *list, const char *k)
{
	for (; *list; list++)
		if (strcmp(*list, k) == 0)
			return true;
	return false;
}

/*
 * After an error that stops reading a map, keep its other keys from being
 * reported too. (Directly, not through cfg_get: that is a scan per key.)
 */
static void
mark_all(const struct cfg *map)
{
	if (map == NULL || map->type != CFG_MAP)
		return;
	for (size_t i = 0; i < map->n; i++)
		map->used[i] = true;
}

/*
 * Names refused where they are defined ("dev", or "dev:if" for an interface),
 * so that a link endpoint or a script entry naming one stays quiet: the cause
 * was reported once already. A table from str_hash to the name.
 */
static void
refuse(struct hmap *refused, const char *dev, const struct cfg *name)
{
	char *s;

	if (name == NULL || name->type != CFG_SCALAR)
		return;
	s = dev ? xasprintf("%s:%s", dev, name->str) : xstrdup(name->str);
	if (hmap_get(refused, str_hash(s)) == NULL)
		hmap_put(refused, str_hash(s), s);
	else
		free(s);
}

static bool
was_refused(const struct hmap *refused, const char *s)
{
	const char *r = hmap_get(refused, str_hash(s));

	return r != NULL && strcmp(r, s) == 0;
}

static void
refused_free(struct hmap *refused)
{
	uint64_t k;
	void *v;

	for (size_t i = 0; hmap_next(refused, &i, &k, &v);)
		free(v);
	hmap_free(refused);
}

/*
 * A device or interface name: 1 to max of letters, digits, '.', '_' and '-'
 * (name_char). Names end up in file names (`--pcap DIR` writes one file per
 * link, named after its endpoints), so this is what keeps '/' out of them.
 */
static bool
check_name(const struct cfg *c, const char *what, size_t max, const char **out)
{
	char buf[CFG_SHOW_BUF], bad[16];
	const char *s;
	size_t n = 0;

	if (!cfg_str(c, "name", &s))
		return false;
	while (s[n] != '\0' && name_char(s[n]))
		n++;
	if (s[n] != '\0') {
		unsigned char b = (unsigned char)s[n];

		if (b == ' ')
			snprintf(bad, sizeof(bad), "a space");
		else if (b > ' ' && b < 0x7f)
			snprintf(bad, sizeof(bad), "'%c'", b);
		else
			snprintf(bad, sizeof(bad), "byte 0x%02x", b);
		return cfg_error(c, "bad %s name '%s': %s is not allowed (use letters, digits, "
		    "'.', '_' and '-')", what, cfg_show(c, buf), bad);
	}
	if (n == 0 || n > max)
		return cfg_error(c, "bad %s name '%s': a name is 1 to %zu characters", what,
		    cfg_show(c, buf), max);
	*out = s;
	return true;
}

/* The keys of map m named k: how many, and whether one was read (reported) already. */
static size_t
key_uses(const struct cfg *m, const char *k, bool *told)
{
	size_t n = 0;

	for (size_t i = 0; m != NULL && m->type == CFG_MAP && i < m->n; i++)
		if (strcmp(m->k[i]->str, k) == 0) {
			n++;
			*told |= m->used[i];
		}
	return n;
}

/* How many device and interface blocks of the topology name protocol k (both lists are read by now). */
static size_t
protocol_uses(const struct cfg *root, const char *k, bool *told)
{
	const struct cfg *devs = root != NULL && root->type == CFG_MAP ? cfg_get(root, "devices") : NULL;
	size_t n = 0;

	for (size_t d = 0; devs != NULL && devs->type == CFG_SEQ && d < devs->n; d++) {
		const struct cfg *dev = devs->v[d], *ifs;

		if (dev->type != CFG_MAP)
			continue;
		n += key_uses(dev, k, told);
		if ((ifs = cfg_get(dev, "interfaces")) != NULL && ifs->type == CFG_SEQ)
			for (size_t i = 0; i < ifs->n; i++)
				n += key_uses(ifs->v[i], k, told);
	}
	return n;
}

/*
 * "unknown key" with what would have been accepted, or the missing protocol:
 * that once per protocol, with the number of blocks that name it (a hundred
 * routers with IS-IS on every interface would say it hundreds of times).
 */
static bool
unknown_key(const struct cfg *map, size_t i, const char *where, const char *const *keys,
    bool iface)
{
	const char *k = map->k[i]->str;
	struct strbuf b = STRBUF_INIT;

	if (proto_unavailable(k)) {
		bool told = false;
		size_t n = protocol_uses(map->doc != NULL ? map->doc->root : NULL, k, &told);

		map->used[i] = true;
		if (told)
			return false;
		if (n > 1)
			cfg_error(map->k[i],
			    "%s: protocol '%s' is not available in this build of netsim "
			    "(named in %zu places in this topology, reported once)",
			    where, k, n);
		else
			cfg_error(map->k[i], "%s: protocol '%s' is not available in this build of netsim",
			    where, k);
		return false;
	}
	map->used[i] = true;
	for (const char *const *p = keys; *p; p++)
		sb_printf(&b, "%s%s", p == keys ? "" : ", ", *p);
	for (const char *const *p = policy_device_keys; !iface && *p; p++)
		sb_printf(&b, ", %s", *p);
	/* The protocols that take a block here (BGP has none on interfaces). */
	for (int p = 0; p < proto_count; p++)
		if (iface ? proto_registry[p]->config_iface != NULL : proto_registry[p]->config != NULL)
			if (strcmp(proto_registry[p]->name, "static") != 0)
				sb_printf(&b, ", %s", proto_registry[p]->name);
	cfg_error(map->k[i], "unknown key '%s' in %s (expected one of: %s)", k, where, sb_str(&b));
	sb_free(&b);
	return false;
}

bool
at_parse(const char *s, struct at_spec *out)
{
	const char *plus;
	char name[64];
	size_t len;

	memset(out, 0, sizeof(*out));
	while (*s == ' ')
		s++;
	plus = strchr(s, '+');
	len = plus ? (size_t)(plus - s) : strlen(s);
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len == 0 || len >= sizeof(name))
		return false;
	memcpy(name, s, len);
	name[len] = '\0';
	if ((name[0] >= '0' && name[0] <= '9') || name[0] == '.') {
		if (plus != NULL)
			return false;
		out->kind = AT_TIME;
		out->offset = sim_time_parse(name);
		return out->offset >= 0;
	}
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' ||
			*c == '-' || *c == '.' || *c == ':'))
			return false;
	if (plus != NULL) {
		const char *t = plus + 1;

		while (*t == ' ')
			t++;
		if ((out->offset = sim_time_parse(t)) < 0)
			return false;
	}
	if (strcmp(name, "converged") == 0) {
		out->kind = AT_CONVERGED;
	} else {
		int k = ev_kind_parse(name);

		if (k < 0 || k == EV_LOG)
			return false;
		out->kind = AT_EVENT;
		out->event = xstrdup(name);
	}
	return true;
}

const char *
at_str(const struct at_spec *a)
{
	static char buf[96];

	switch (a->kind) {
	case AT_TIME:
		snprintf(buf, sizeof(buf), "%s", sim_time_str(a->offset));
		break;
	case AT_CONVERGED:
	case AT_EVENT:
		snprintf(buf, sizeof(buf), "%s%s%s", a->kind == AT_CONVERGED ? "converged" : a->event,
		    a->offset ? " + " : "", a->offset ? sim_time_str(a->offset) : "");
		break;
	}
	return buf;
}

void
topo_free(struct topo *t)
{
	if (t == NULL)
		return;
	net_free(t->net);
	for (size_t i = 0; i < t->nscript; i++) {
		free(t->script[i].at.event);
		free(t->script[i].device);
		free(t->script[i].command);
		free(t->script[i].lua);
	}
	free(t->script);
	for (size_t i = 0; i < t->nhooks; i++) {
		free(t->hook_names[i]);
		free(t->hook_code[i]);
	}
	free(t->hook_names);
	free(t->hook_code);
	free(t->lua_file);
	free(t->dir);
	free(t);
}

/* Parse an allowed VLAN list: [10, 20] or "10,20,30-40" or "all". */
static bool
parse_vlans(const struct cfg *c, uint8_t **bitmap)
{
	uint8_t *bm;

	if (c->type == CFG_SCALAR && strcmp(c->str, "all") == 0) {
		*bitmap = NULL;
		return true;
	}
	bm = xcalloc((VLAN_MAX + 1) / 8 + 1, 1);
	if (c->type == CFG_SEQ) {
		for (size_t i = 0; i < c->n; i++) {
			long long v;

			if (!cfg_int(c->v[i], "allowed_vlans", 1, VLAN_MAX - 1, &v)) {
				free(bm);
				return false;
			}
			bm[v / 8] |= (uint8_t)(1u << (v % 8));
		}
	} else if (c->type == CFG_SCALAR) {
		const char *s = c->str;

		while (*s) {
			char *end;
			long a = strtol(s, &end, 10), b;

			if (end == s || a < 1 || a >= VLAN_MAX)
				goto bad;
			b = a;
			if (*end == '-') {
				s = end + 1;
				b = strtol(s, &end, 10);
				if (end == s || b < a || b >= VLAN_MAX)
					goto bad;
			}
			for (long v = a; v <= b; v++)
				bm[v / 8] |= (uint8_t)(1u << (v % 8));
			s = end;
			if (*s == ',')
				s++;
			else if (*s != '\0')
				goto bad;
		}
	} else {
		goto bad;
	}
	*bitmap = bm;
	return true;
bad:
	free(bm);
	cfg_error(c, "bad VLAN list for 'allowed_vlans' (expected a list, \"10,20,30-40\" or all)");
	return false;
}

static enum node_type
type_of(const struct cfg *dev, bool *ok)
{
	const struct cfg *c = cfg_get(dev, "type");
	const char *s = "router";

	if (c != NULL && !cfg_str(c, "type", &s)) {
		*ok = false;
		return NODE_ROUTER;
	}
	if (strcmp(s, "router") == 0)
		return NODE_ROUTER;
	if (strcmp(s, "host") == 0)
		return NODE_HOST;
	if (strcmp(s, "switch") == 0)
		return NODE_SWITCH;
	cfg_error(c, "unknown device type '%s' (expected router, host or switch)", s);
	*ok = false;
	return NODE_ROUTER;
}

/*
 * `ip:` of an interface: a unicast address and a subnet with room for it.
 * On an error the interface keeps no address, so that nothing later (the
 * overlap check, a protocol) reports the same mistake again.
 */
static bool
iface_address(const struct cfg *c, struct iface *ifp)
{
	uint32_t a;
	uint8_t len;
	const char *why;

	if (!cfg_ip_plen(c, "ip", &a, &len))
		return false;
	if ((why = ip_not_unicast(a)) != NULL)
		return cfg_error(c, "%s/%u: %s is %s, not an interface address", ip_str(a), len,
		    ip_str(a), why);
	if ((a >> 24) == 0)
		return cfg_error(c, "%s/%u: %s is in 0.0.0.0/8, 'this network' (RFC 1122 3.2.1.3), "
		    "not an interface address", ip_str(a), len, ip_str(a));
	if (len == 0)
		return cfg_error(c, "%s/0: an interface's prefix length is 1 to 32 "
		    "(/0 would be every address)", ip_str(a));
	if ((why = ip_subnet_role(a, len)) != NULL)
		return cfg_error(c, "%s/%u is the %s address of its subnet", ip_str(a), len, why);
	ifp->addr = a;
	ifp->plen = len;
	return true;
}

/* `mac:` of an interface: one station's address (IEEE 802: the I/G bit clear, not zero). */
static bool
iface_mac(const struct cfg *c, struct iface *ifp)
{
	static const uint8_t zero[6];
	char buf[CFG_SHOW_BUF];
	const char *s, *why = NULL;
	uint8_t mac[6];

	if (!cfg_str(c, "mac", &s))
		return false;
	if (!mac_parse(s, mac))
		return cfg_error(c, "bad MAC address '%s' for 'mac'", cfg_show(c, buf));
	if (memcmp(mac, zero, 6) == 0)
		why = "all zeros";
	else if ((mac[0] & mac[1] & mac[2] & mac[3] & mac[4] & mac[5]) == 0xff)
		why = "the broadcast address";
	else if (mac[0] & 1)
		why = "a multicast address (the low bit of its first byte is set)";
	if (why != NULL)
		return cfg_error(c, "MAC address %s for 'mac' is %s, not an interface's address",
		    mac_str(mac), why);
	memcpy(ifp->mac, mac, 6);
	return true;
}

/*
 * `type:` of an interface: ethernet (the default), or a tunnel that a
 * protocol implements (`type: gre`), which reads its own keys from the map.
 */
static bool
iface_type(struct node *n, struct iface *ifp, const struct cfg *ic, const struct cfg *c)
{
	const struct protocol *p;
	const char *s;
	struct strbuf b = STRBUF_INIT;

	if (!cfg_str(c, "type", &s))
		return false;
	if (strcmp(s, "ethernet") == 0)
		return true;
	p = proto_find(s);
	if (p != NULL && p->config_tunnel != NULL) {
		if (n->type == NODE_SWITCH) {
			mark_all(ic);
			return cfg_error(c, "a switch has no %s tunnels (%s:%s)", s, n->name, ifp->name);
		}
		return p->config_tunnel(proto_instance(n, p), ifp, ic) == 0;
	}
	for (int i = 0; i < proto_count; i++)
		if (proto_registry[i]->config_tunnel != NULL)
			sb_printf(&b, " or %s", proto_registry[i]->name);
	cfg_error(c, "unknown interface type '%s' (expected ethernet%s)", s, sb_str(&b));
	sb_free(&b);
	return false;
}

/* Interfaces of a device: addresses, L2 settings. Protocol blocks come later. */
/* `vrf: NAME`: one of the router's `vrfs:` ("default": the default VRF). */
static bool
iface_vrf(struct node *n, struct iface *ifp, const struct cfg *c)
{
	const char *name;
	int id;

	if (n->type != NODE_ROUTER)
		return cfg_error(c, "'vrf' is for routers (%s is a %s)", n->name,
		    node_type_name(n->type));
	if (!cfg_str(c, "vrf", &name))
		return false;
	if ((id = node_vrf_id(n, name)) < 0)
		return cfg_error(c, "no VRF '%s' on %s (its 'vrfs:' list defines them)", name,
		    n->name);
	ifp->vrf = (uint16_t)id;
	return true;
}

static bool
build_iface(struct node *n, const struct cfg *ic, uint32_t *gateway, const struct cfg **gw_at,
    struct hmap *refused)
{
	const struct cfg *c;
	const char *name = NULL;
	struct iface *ifp;
	bool ok = true;
	long long v;

	if (!cfg_is_map(ic, "interface"))
		return false;
	if ((c = cfg_get(ic, "name")) == NULL) {
		mark_all(ic);
		return cfg_error(ic, "interface needs a 'name'");
	}
	if (!check_name(c, "interface", 32, &name)) {
		refuse(refused, n->name, c);
		mark_all(ic);
		return false;
	}
	if (node_iface(n, name) != NULL) {
		mark_all(ic);
		return cfg_error(c, "duplicate interface '%s' on %s", name, n->name);
	}
	ifp = node_add_iface(n, name);
	if ((c = cfg_get(ic, "type")) != NULL && !iface_type(n, ifp, ic, c))
		ok = false;
	if ((c = cfg_get(ic, "ip")) != NULL) {
		if (n->type == NODE_SWITCH)
			ok = cfg_error(c, "switch ports have no IP address (%s:%s)", n->name, name);
		else if (!iface_address(c, ifp))
			ok = false;
	}
	if ((c = cfg_get(ic, "mac")) != NULL && !iface_mac(c, ifp))
		ok = false;
	if ((c = cfg_get(ic, "vrf")) != NULL && !iface_vrf(n, ifp, c))
		ok = false;
	v = ifp->mtu;
	if (!cfg_opt_int(ic, "mtu", 68, 9216, &v))
		ok = false;
	ifp->mtu = (uint16_t)v;
	if ((c = cfg_get(ic, "shutdown")) != NULL) {
		bool sh = false;

		if (!cfg_bool(c, "shutdown", &sh))
			ok = false;
		ifp->admin_up = !sh;
	}
	if ((c = cfg_get(ic, "description")) != NULL) {
		const char *s;

		if (cfg_str(c, "description", &s))
			ifp->description = xstrdup(s);
	}
	if ((c = cfg_get(ic, "gateway")) != NULL) {
		uint32_t gw;
		const char *why;

		if (n->type != NODE_HOST)
			ok = cfg_error(c, "'gateway' is for hosts; routers use static_routes");
		else if (!cfg_ip(c, "gateway", &gw))
			ok = false;
		else if ((why = ip_not_unicast(gw)) != NULL)
			ok = cfg_error(c, "gateway %s is %s, not a router's address", ip_str(gw), why);
		else
			*gateway = gw;
		*gw_at = c;
	}
	if (n->type == NODE_SWITCH) {
		const char *mode = "access";

		if ((c = cfg_get(ic, "mode")) != NULL && cfg_str(c, "mode", &mode) &&
		    strcmp(mode, "access") != 0 && strcmp(mode, "trunk") != 0)
			ok = cfg_error(c, "unknown port mode '%s' (expected access or trunk)", mode);
		ifp->trunk = strcmp(mode, "trunk") == 0;
		v = 1;
		if (!cfg_opt_int(ic, "vlan", 1, VLAN_MAX - 1, &v))
			ok = false;
		ifp->access_vlan = (uint16_t)v;
		v = 1;
		if (!cfg_opt_int(ic, "native_vlan", 1, VLAN_MAX - 1, &v))
			ok = false;
		ifp->native_vlan = (uint16_t)v;
		if ((c = cfg_get(ic, "allowed_vlans")) != NULL) {
			if (!ifp->trunk)
				ok = cfg_error(c, "'allowed_vlans' is for trunk ports (mode: trunk)");
			else if (!parse_vlans(c, &ifp->allowed))
				ok = false;
		}
	} else {
		const char *dot = strrchr(name, '.');

		v = 0;
		if (!cfg_opt_int(ic, "vlan", 1, VLAN_MAX - 1, &v))
			ok = false;
		ifp->vlan = (uint16_t)v;
		if (dot != NULL) {
			char parent[40];

			snprintf(parent, sizeof(parent), "%.*s", (int)(dot - name), name);
			ifp->parent = node_iface(n, parent);
			if (ifp->parent != NULL && cfg_get(ic, "mac") == NULL)
				memcpy(ifp->mac, ifp->parent->mac, 6); /* as routers do */
			if (ifp->parent == NULL)
				ok = cfg_error(cfg_get(ic, "name"),
				    "sub-interface %s: no parent interface '%s' defined before it", name,
				    parent);
			if (ifp->vlan == 0) {
				char *end;
				long tag = strtol(dot + 1, &end, 10);

				if (*end != '\0' || tag < 1 || tag >= VLAN_MAX)
					ok = cfg_error(cfg_get(ic, "name"),
					    "sub-interface %s needs a 'vlan' tag", name);
				ifp->vlan = (uint16_t)tag;
			}
		} else if (ifp->vlan != 0) {
			ok = cfg_error(cfg_get(ic, "vlan"),
			    "a tagged interface is a sub-interface: name it %s.%u", name, ifp->vlan);
		}
		for (const char *const *k = switch_only; *k; k++)
			if ((c = cfg_get(ic, *k)) != NULL)
				ok = cfg_error(c, "'%s' is for switch ports (%s is a %s)", *k, n->name,
				    node_type_name(n->type));
	}
	return ok;
}

/* Protocol blocks: every non-schema key of a device or interface names a protocol. */
static bool
config_protocols(struct node *n, const struct cfg *dev, const struct cfg *ifaces)
{
	bool ok = true;

	/* Device-level blocks first, then each interface's, in file order. */
	for (size_t i = 0; i < dev->n; i++) {
		const char *k = dev->k[i]->str;
		const struct protocol *p;

		if (in_list(device_keys, k) || in_list(policy_device_keys, k))
			continue;
		p = proto_find(k);
		if (p == NULL || p->config == NULL) {
			char *where = xasprintf("device %s", n->name);

			ok = unknown_key(dev, i, where, device_keys, false);
			free(where);
			continue;
		}
		if (n->type == NODE_SWITCH) {
			ok = cfg_error(dev->k[i], "%s: a switch does not run %s", n->name, k);
			dev->used[i] = true;
			continue;
		}
		cfg_get(dev, k);
		if (p->config(proto_instance(n, p), dev->v[i]) < 0)
			ok = false;
	}
	if (ifaces == NULL)
		return ok;
	for (size_t i = 0; i < ifaces->n; i++) {
		const struct cfg *ic = ifaces->v[i], *namec;
		struct iface *ifp;

		if (ic->type != CFG_MAP || (namec = cfg_get(ic, "name")) == NULL ||
		    namec->type != CFG_SCALAR || (ifp = node_iface(n, namec->str)) == NULL)
			continue;
		for (size_t k = 0; k < ic->n; k++) {
			const char *key = ic->k[k]->str;
			const struct protocol *p;
			struct proto_inst *pi;

			/* Schema keys, and a tunnel's own keys (read by its config_tunnel). */
			if (in_list(iface_keys, key) || ic->used[k])
				continue;
			p = proto_find(key);
			if (p == NULL || p->config_iface == NULL) {
				char *where = xasprintf("interface %s:%s", n->name, ifp->name);

				ok = unknown_key(ic, k, where, iface_keys, true);
				free(where);
				continue;
			}
			if (n->type == NODE_SWITCH) {
				ok = cfg_error(ic->k[k], "%s: a switch does not run %s", n->name, key);
				ic->used[k] = true;
				continue;
			}
			cfg_get(ic, key);
			pi = proto_instance(n, p);
			/* A protocol runs in one VRF: refuse, not ignore, an interface of another. */
			if (ifp->vrf != (p->vrf != NULL && pi->priv != NULL ? p->vrf(pi) : VRF_DEFAULT)) {
				uint16_t in = p->vrf != NULL && pi->priv != NULL ? p->vrf(pi) : VRF_DEFAULT;

				ok = cfg_error(ic->k[k], "%s:%s is in VRF %s, and %s on %s runs in VRF %s%s",
				    n->name, ifp->name, node_vrf_name(n, ifp->vrf), key, n->name,
				    node_vrf_name(n, in), p->vrf != NULL ? " (its device block's vrf:)" :
				    " (the only one it runs in)");
				continue;
			}
			/* A protocol configured only per interface still gets its device hook. */
			if (pi->priv == NULL && p->config && cfg_get(dev, key) == NULL &&
			    p->config(pi, NULL) < 0)
				ok = false;
			if (p->config_iface(pi, ifp, ic->v[k]) < 0)
				ok = false;
		}
	}
	return ok;
}

struct span {
	uint16_t vrf;    /* subnets overlap within a VRF only */
	uint32_t lo, hi; /* first and last address of an interface's subnet */
	size_t idx;      /* in n->ifs */
};

static int
span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->vrf != y->vrf)
		return x->vrf < y->vrf ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi > y->hi ? -1 : 1; /* the wider first */
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static int
size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/*
 * Overlapping subnets on one device would make forwarding ambiguous. Two
 * prefixes either nest or are disjoint, so in the order of (first address,
 * wider first) the subnets that contain the current one are a stack: one
 * sort and a sweep, not a comparison of every pair. Each subnet inside
 * another is reported once, with the innermost that contains it, at
 * whichever of the two comes later in the file, in file order. at[i] is
 * n->ifs[i]'s cfg. Each VRF is a routing table of its own, so subnets of
 * different VRFs may overlap (the spans are sorted by VRF first).
 */
static bool
check_overlaps(const struct node *n, const struct cfg *const *at)
{
	struct span *s = xmalloc(sizeof(*s) * (n->nifs + 1));
	size_t *pair = xmalloc(sizeof(*pair) * 2 * (n->nifs + 1));
	size_t *stack = xmalloc(sizeof(*stack) * (n->nifs + 1));
	size_t m = 0, np = 0, depth = 0;

	for (size_t i = 0; i < n->nifs; i++) {
		const struct iface *ifp = n->ifs[i];

		if (ifp->addr != 0)
			s[m++] = (struct span){ifp->vrf, ifp->addr & ip_mask(ifp->plen),
			    ifp->addr | ~ip_mask(ifp->plen), i};
	}
	if (m > 1)
		qsort(s, m, sizeof(*s), span_cmp);
	for (size_t i = 0; i < m; i++) {
		while (depth > 0 && (s[stack[depth - 1]].hi < s[i].lo ||
					s[stack[depth - 1]].vrf != s[i].vrf))
			depth--;
		if (depth > 0) {
			size_t in = s[stack[depth - 1]].idx;

			pair[2 * np] = MAX(s[i].idx, in);
			pair[2 * np++ + 1] = MIN(s[i].idx, in);
		}
		stack[depth++] = i;
	}
	if (np > 1)
		qsort(pair, np, 2 * sizeof(*pair), size_cmp); /* by the later one */
	for (size_t i = 0; i < np; i++) {
		const struct iface *a = n->ifs[pair[2 * i]], *b = n->ifs[pair[2 * i + 1]];

		cfg_error(cfg_get(at[a->idx], "ip"), "%s: %s/%u on %s overlaps %s/%u on %s", n->name,
		    ip_str(a->addr), a->plen, a->name, ip_str(b->addr), b->plen, b->name);
	}
	free(s);
	free(pair);
	free(stack);
	return np == 0;
}

/* A host's default route: via a neighbour on one of its subnets (not itself, not a broadcast). */
static bool
add_gateway(struct node *n, uint32_t gw, const struct cfg *at)
{
	struct static_route sr = {.ifindex = -1, .distance = 1, .via = gw};
	const struct iface *ifp = node_iface_for(n, gw);
	const char *role;
	char err[128];

	if (ifp == NULL)
		return cfg_error(at, "gateway %s is not in a subnet of %s", ip_str(gw), n->name);
	if ((role = ip_subnet_role(gw, ifp->plen)) != NULL)
		return cfg_error(at, "gateway %s is the %s address of %s's subnet %s/%u", ip_str(gw),
		    role, ifp->name, ip_str(gw & ip_mask(ifp->plen)), ifp->plen);
	if (gw == ifp->addr)
		return cfg_error(at, "gateway %s is %s's own address (on %s)", ip_str(gw), n->name,
		    ifp->name);
	if (static_route_add(n, &sr, err, sizeof(err)) < 0)
		return cfg_error(at, "%s", err);
	return true;
}

static bool
build_device(struct topo *t, const struct cfg *dev, struct hmap *refused)
{
	struct network *net = t->net;
	const struct cfg *c, *ifaces;
	const char *name;
	struct node *n;
	bool ok = true;
	enum node_type type;
	uint32_t gateway = 0;
	const struct cfg *gw_at = NULL;
	const struct cfg **icfg = NULL; /* the interface n->ifs[i] came from */

	if (!cfg_is_map(dev, "device"))
		return false;
	/* A device that cannot be built has its keys marked: they are not unknown, just unread. */
	if ((c = cfg_get(dev, "name")) == NULL) {
		mark_all(dev);
		return cfg_error(dev, "device needs a 'name'");
	}
	if (!check_name(c, "device", 64, &name)) {
		refuse(refused, NULL, c);
		mark_all(dev);
		return false;
	}
	if (strcmp(name, "-") == 0) {
		mark_all(dev);
		return cfg_error(c, "bad device name '-': it stands for the whole network");
	}
	if (net_node(net, name) != NULL) {
		mark_all(dev);
		return cfg_error(c, "duplicate device name '%s'", name);
	}
	type = type_of(dev, &ok);
	n = net_add_node(net, name, type);
	if ((c = cfg_get(dev, "router_id")) != NULL) {
		uint32_t rid;
		const char *why;

		if (type == NODE_SWITCH)
			ok = cfg_error(c, "a switch has no router_id");
		else if (!cfg_ip(c, "router_id", &rid))
			ok = false;
		else if ((why = ip_not_unicast(rid)) != NULL)
			ok = cfg_error(c, "router_id %s is %s, not a valid router ID", ip_str(rid), why);
		else
			n->router_id = rid;
	}
	cfg_get(dev, "description");
	if ((c = cfg_get(dev, "rank")) != NULL) {
		long long rank;

		/* Checked against the run's ranks here, so that the error has its position. */
		if (!cfg_int(c, "rank", 0, DIST_MAX_RANKS - 1, &rank))
			ok = false;
		else if (rank >= dist_size && dist_on())
			ok = cfg_error(c, "rank %lld, but this run has %d ranks (0 to %d)", rank, dist_size,
			    dist_size - 1);
		else
			n->rank = (int)rank;
	}
	/* Before the interfaces, which name them, and the static routes. */
	if ((c = cfg_get(dev, "vrfs")) != NULL) {
		if (type != NODE_ROUTER)
			ok = cfg_error(c, "'vrfs' are for routers (%s is a %s)", name,
			    node_type_name(type));
		else if (!vrf_config(n, c))
			ok = false;
	}
	if ((c = cfg_get(dev, "tcp_services")) != NULL) {
		bool on = true;

		if (type == NODE_SWITCH)
			ok = cfg_error(c, "a switch has no TCP ('tcp_services')");
		else if (!cfg_bool(c, "tcp_services", &on))
			ok = false;
		else
			tcp_services(n, on);
	}
	if ((ifaces = cfg_get(dev, "interfaces")) != NULL) {
		if (!cfg_is_seq(ifaces, "interfaces")) {
			mark_all(dev);
			return false;
		}
		icfg = xcalloc(ifaces->n + 1, sizeof(*icfg));
		for (size_t i = 0; i < ifaces->n; i++) {
			size_t idx = n->nifs;

			if (!build_iface(n, ifaces->v[i], &gateway, &gw_at, refused))
				ok = false;
			if (n->nifs > idx)
				icfg[idx] = ifaces->v[i];
		}
	}
	if (!check_overlaps(n, icfg))
		ok = false;
	free(icfg);
	if (type != NODE_SWITCH) {
		proto_instance(n, &proto_connected);
		proto_instance(n, &proto_static);
		if ((c = cfg_get(dev, "static_routes")) != NULL &&
		    proto_static.config(proto_instance(n, &proto_static), c) < 0)
			ok = false;
		if (gateway != 0 && !add_gateway(n, gateway, gw_at))
			ok = false;
	} else if ((c = cfg_get(dev, "static_routes")) != NULL) {
		ok = cfg_error(c, "a switch has no routing table ('static_routes')");
	}
	if ((c = cfg_get(dev, "mpls")) != NULL && !mpls_config(n, c))
		ok = false;
	/* Route maps and lists first: protocols resolve the names they are given. */
	if (type != NODE_SWITCH) {
		if (!policy_config(n, dev))
			ok = false;
	} else {
		for (const char *const *k = policy_device_keys; *k; k++)
			if ((c = cfg_get(dev, *k)) != NULL)
				ok = cfg_error(c, "a switch has no routing policy ('%s')", *k);
	}
	if (!config_protocols(n, dev, ifaces))
		ok = false;
	if (ifaces != NULL)
		for (size_t i = 0; i < ifaces->n; i++)
			if (ifaces->v[i]->type == CFG_MAP)
				cfg_check_unknown(ifaces->v[i], "interface");
	return ok;
}

/* "r1:eth0" -> interface, reporting what is wrong at the endpoint's position. */
static struct iface *
endpoint(struct network *net, const struct cfg *c, const struct hmap *refused)
{
	const char *s, *colon;
	char dev[80];
	struct node *n;
	struct iface *ifp;

	if (!cfg_str(c, "endpoints", &s))
		return NULL;
	colon = strchr(s, ':');
	if (colon == NULL || colon == s || colon[1] == '\0' || (size_t)(colon - s) >= sizeof(dev)) {
		cfg_error(c, "link endpoint '%s' is not DEVICE:INTERFACE", s);
		return NULL;
	}
	snprintf(dev, sizeof(dev), "%.*s", (int)(colon - s), s);
	if ((n = net_node(net, dev)) == NULL) {
		if (!was_refused(refused, dev))
			cfg_error(c, "link endpoint '%s': no device '%s'", s, dev);
		return NULL;
	}
	if ((ifp = node_iface(n, colon + 1)) == NULL) {
		if (!was_refused(refused, s))
			cfg_error(c, "link endpoint '%s': %s has no interface %s", s, dev, colon + 1);
		return NULL;
	}
	if (ifp->kind == IF_LOOPBACK) {
		cfg_error(c, "link endpoint '%s': %s is a loopback", s, colon + 1);
		return NULL;
	}
	if (ifp->kind == IF_TUNNEL) {
		cfg_error(c, "link endpoint '%s': %s is a tunnel (it rides on the routed network)", s,
		    colon + 1);
		return NULL;
	}
	if (ifp->parent) {
		cfg_error(c, "link endpoint '%s': a sub-interface rides on its parent's link (%s)", s,
		    ifp->parent->name);
		return NULL;
	}
	if (ifp->link != NULL) {
		cfg_error(c, "link endpoint '%s' is already linked (%s)", s, ifp->link->name);
		return NULL;
	}
	return ifp;
}

static bool
build_link(struct topo *t, const struct cfg *lc, const struct hmap *refused)
{
	const struct cfg *eps, *c;
	struct iface *ends[64];
	size_t n = 0;
	bool ok = true;
	struct link *l;

	if (!cfg_is_map(lc, "link"))
		return false;
	if ((eps = cfg_get(lc, "endpoints")) == NULL)
		return cfg_error(lc, "link needs 'endpoints: [DEVICE:IF, DEVICE:IF]'");
	if (!cfg_is_seq(eps, "endpoints"))
		return false;
	if (eps->n < 2)
		return cfg_error(eps, "a link needs at least two endpoints");
	if (eps->n > ARRAY_LEN(ends))
		return cfg_error(eps, "a link has at most %zu endpoints", ARRAY_LEN(ends));
	for (size_t i = 0; i < eps->n; i++) {
		struct iface *ifp = endpoint(t->net, eps->v[i], refused);

		if (ifp == NULL) {
			ok = false;
			continue;
		}
		for (size_t k = 0; k < n; k++)
			if (ends[k] == ifp)
				ifp = NULL;
		if (ifp == NULL) {
			ok = cfg_error(eps->v[i], "endpoint listed twice");
			continue;
		}
		ends[n++] = ifp;
	}
	if (!ok)
		return false;
	l = net_add_link(t->net, ends, n);
	if (!cfg_opt_time(lc, "delay", false, &l->delay))
		ok = false;
	if (l->delay < SIM_US)
		ok = cfg_error(cfg_get(lc, "delay"), "link delay must be at least 1us");
	if ((c = cfg_get(lc, "loss")) != NULL && !cfg_percent(c, "loss", &l->loss))
		ok = false;
	if ((c = cfg_get(lc, "reorder")) != NULL && !cfg_percent(c, "reorder", &l->reorder))
		ok = false;
	if (!cfg_opt_time(lc, "reorder_delay", false, &l->reorder_delay))
		ok = false;
	if ((c = cfg_get(lc, "duplicate")) != NULL && !cfg_percent(c, "duplicate", &l->duplicate))
		ok = false;
	if ((c = cfg_get(lc, "bandwidth")) != NULL && !cfg_bandwidth(c, "bandwidth", &l->bandwidth))
		ok = false;
	if (!cfg_opt_bool(lc, "up", &l->up))
		ok = false;
	cfg_check_unknown(lc, "link");
	return ok;
}

/* Addresses must be unique across the network (two devices with one address is a typo). */
/*
 * An address is on one interface of the network. With VRFs the same address
 * may be used again in another VRF's part of the network, which netsim does
 * not trace, so there the check is per link: two interfaces on one link (or
 * segment) with one address are refused, and the per-VRF overlap check of
 * each router refuses one twice within a VRF. That check needs the links:
 * it runs after them (linked: true), the other before them.
 */
static bool
check_addresses(struct network *net, const struct cfg *devs, bool linked)
{
	struct hmap seen;
	bool ok = true, vrfs = false;

	for (size_t a = 0; a < net->nnodes; a++)
		vrfs = vrfs || net->nodes[a]->nvrfs > 0;
	if (vrfs != linked)
		return true;
	hmap_init(&seen);
	for (size_t a = 0; a < net->nnodes; a++)
		for (size_t i = 0; i < net->nodes[a]->nifs; i++) {
			struct iface *x = net->nodes[a]->ifs[i], *y;
			const struct link *l = x->parent ? x->parent->link : x->link;
			uint64_t key = x->addr;

			if (x->addr == 0 || (vrfs && l == NULL))
				continue;
			if (vrfs) /* a sub-interface is on its parent's link (VLANs apart) */
				key |= (uint64_t)(l->id + 1) << 32 | (uint64_t)x->vlan << 48;
			if ((y = hmap_get(&seen, key)) == NULL) {
				hmap_put(&seen, key, x);
				continue;
			}
			cfg_error(devs->v[a], "address %s of %s:%s is also on %s:%s", ip_str(x->addr),
			    x->node->name, x->name, y->node->name, y->name);
			ok = false;
		}
	hmap_free(&seen);
	return ok;
}

/* The root of x in a union-find forest over device ids (path halving). */
static uint32_t
uf_root(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/*
 * Without spanning tree, a loop of switches would flood forever: refuse it.
 * Leaves parent[] a forest whose trees are the switches joined by links.
 */
static bool
check_switch_loops(struct network *net, const struct cfg *links, uint32_t *parent)
{
	bool ok = true;

	for (size_t i = 0; i < net->nnodes; i++)
		parent[i] = (uint32_t)i;
	for (size_t i = 0; i < net->nlinks; i++) {
		struct link *l = net->links[i];
		uint32_t root = UINT32_MAX;

		for (size_t k = 0; k < l->nends; k++) {
			struct node *nd = l->ends[k]->node;
			uint32_t r;

			if (nd->type != NODE_SWITCH)
				continue;
			r = uf_root(parent, nd->id);
			if (root == UINT32_MAX) {
				root = r;
			} else if (r == root) {
				cfg_error(links->v[i], "link %s closes a loop of switches "
				    "(netsim has no spanning tree)", l->name);
				ok = false;
			} else {
				parent[r] = root;
			}
		}
	}
	return ok;
}

struct mac_end {
	uint64_t seg; /* a switch's root in the forest, or nnodes + the link's index */
	uint64_t mac;
	uint32_t link, end;
};

static int
mac_end_cmp(const void *a, const void *b)
{
	const struct mac_end *x = a, *y = b;

	if (x->seg != y->seg)
		return x->seg < y->seg ? -1 : 1;
	if (x->mac != y->mac)
		return x->mac < y->mac ? -1 : 1;
	if (x->link != y->link)
		return x->link < y->link ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

/*
 * Two stations with one MAC address on one Ethernet segment (a link, or the
 * links that switches join) would steal each other's frames: refuse it, at
 * the later endpoint. Switch ports are not stations. parent[] comes from
 * check_switch_loops.
 */
static bool
check_macs(struct network *net, const struct cfg *links, uint32_t *parent)
{
	struct mac_end *e = NULL;
	size_t n = 0, cap = 0;
	bool ok = true;

	for (size_t i = 0; i < net->nlinks; i++) {
		struct link *l = net->links[i];
		uint64_t seg = net->nnodes + i;

		for (size_t k = 0; k < l->nends; k++)
			if (l->ends[k]->node->type == NODE_SWITCH)
				seg = uf_root(parent, l->ends[k]->node->id);
		for (size_t k = 0; k < l->nends; k++) {
			const uint8_t *m = l->ends[k]->mac;
			struct mac_end me = {seg, 0, (uint32_t)i, (uint32_t)k};

			if (l->ends[k]->node->type == NODE_SWITCH)
				continue;
			for (int b = 0; b < 6; b++)
				me.mac = me.mac << 8 | m[b];
			VEC_PUSH(e, n, cap, me);
		}
	}
	if (n > 1)
		qsort(e, n, sizeof(*e), mac_end_cmp);
	for (size_t i = 1; i < n; i++) {
		const struct mac_end *a = &e[i - 1], *b = &e[i];
		const struct iface *x, *y;
		const struct cfg *at;

		if (a->seg != b->seg || a->mac != b->mac)
			continue;
		x = net->links[a->link]->ends[a->end];
		y = net->links[b->link]->ends[b->end];
		at = cfg_get(links->v[b->link], "endpoints")->v[b->end];
		if (a->link == b->link)
			ok = cfg_error(at, "%s:%s: MAC address %s is also %s:%s's, on this link",
			    y->node->name, y->name, mac_str(y->mac), x->node->name, x->name);
		else
			ok = cfg_error(at, "%s:%s: MAC address %s is also %s:%s's, on link %s that "
			    "switches join to this one", y->node->name, y->name, mac_str(y->mac),
			    x->node->name, x->name, net->links[a->link]->name);
	}
	free(e);
	return ok;
}

/* Layer 2 across links: no loops of switches, no MAC address twice on a segment. */
static bool
check_l2(struct network *net, const struct cfg *links)
{
	uint32_t *parent = xmalloc(sizeof(*parent) * (net->nnodes + 1));
	bool ok = check_switch_loops(net, links, parent) && check_macs(net, links, parent);

	free(parent);
	return ok;
}

static bool
build_script(struct topo *t, const struct cfg *sc, const struct hmap *refused)
{
	bool ok = true;

	if (!cfg_is_seq(sc, "script"))
		return false;
	for (size_t i = 0; i < sc->n; i++) {
		const struct cfg *e = sc->v[i], *c;
		struct script_item it = {0};
		const char *s;

		if (!cfg_is_map(e, "script entry")) {
			ok = false;
			continue;
		}
		it.line = e->line;
		if ((c = cfg_get(e, "at")) == NULL) {
			it.at.kind = AT_CONVERGED;
		} else if (cfg_str(c, "at", &s) && !at_parse(s, &it.at)) {
			ok = cfg_error(c, "bad time '%s' for 'at' (expected 500ms, 2s, converged, "
					  "converged + 100, or EVENT + 1s with EVENT one of link_down, "
					  "link_up, adjacency_change, route_change, node_down, ...)", s);
		}
		if ((c = cfg_get(e, "device")) != NULL && cfg_str(c, "device", &s)) {
			if (net_node(t->net, s) == NULL)
				ok = was_refused(refused, s) ? false :
				    cfg_error(c, "script: no device '%s'", s);
			it.device = xstrdup(s);
		}
		if ((c = cfg_get(e, "command")) != NULL && cfg_str(c, "command", &s))
			it.command = xstrdup(s);
		if ((c = cfg_get(e, "lua")) != NULL && cfg_str(c, "lua", &s))
			it.lua = xstrdup(s);
		if ((c = cfg_get(e, "expect")) != NULL && cfg_str(c, "expect", &s)) {
			if (strcmp(s, "fail") == 0)
				it.expect_fail = true;
			else if (strcmp(s, "success") != 0)
				ok = cfg_error(c, "'expect' is success or fail, not '%s'", s);
		}
		if (it.command == NULL && it.lua == NULL)
			ok = cfg_error(e, "script entry needs 'command' or 'lua'");
		else if (it.command != NULL && it.lua != NULL)
			ok = cfg_error(e, "script entry has both 'command' and 'lua'");
		cfg_check_unknown(e, "script entry");
		VEC_PUSH(t->script, t->nscript, t->scriptcap, it);
	}
	return ok;
}

static bool
build_hooks(struct topo *t, const struct cfg *h)
{
	bool ok = true;
	size_t cap = 0, cap2 = 0, n2 = 0;

	if (!cfg_is_map(h, "hooks"))
		return false;
	for (size_t i = 0; i < h->n; i++) {
		const char *code;

		cfg_get(h, h->k[i]->str);
		if (!cfg_str(h->v[i], h->k[i]->str, &code)) {
			ok = false;
			continue;
		}
		VEC_PUSH(t->hook_names, t->nhooks, cap, xstrdup(h->k[i]->str));
		VEC_PUSH(t->hook_code, n2, cap2, xstrdup(code));
	}
	return ok;
}

struct topo *
topo_build(struct cfg_doc *doc, const struct topo_opts *opts)
{
	const struct cfg *root = doc->root, *c, *devs, *links;
	struct topo *t;
	const char *name = "network";
	long long seed = 1;
	bool ok = true;
	struct hmap refused;

	if (root == NULL)
		return NULL;
	if (!cfg_is_map(root, "topology"))
		return NULL;
	if ((c = cfg_get(root, "name")) != NULL && !cfg_str(c, "name", &name))
		ok = false;
	if (!cfg_opt_int(root, "seed", 0, INT64_MAX, &seed))
		ok = false;
	hmap_init(&refused);
	t = xcalloc(1, sizeof(*t));
	t->net = net_new(name, opts && opts->seed_set ? opts->seed : (uint64_t)seed);
	t->net->file = xstrdup(doc->file);
	/* Before the devices: the protocols read it when they take their configuration. */
	if ((c = cfg_get(root, "timers")) != NULL) {
		static const struct cfg_word profiles[] = {{"default", 0}, {"fast", 1}};
		int fast = 0;

		if (cfg_keyword(c, "timers", profiles, ARRAY_LEN(profiles), "'fast' or 'default'", &fast))
			t->net->fast_timers = fast == 1;
		else
			ok = false;
	}
	if ((c = cfg_get(root, "description")) != NULL) {
		const char *d;

		if (cfg_str(c, "description", &d))
			t->net->description = xstrdup(d);
	}
	if ((devs = cfg_get(root, "devices")) == NULL) {
		cfg_error(root, "topology has no 'devices'");
		ok = false;
	} else if (cfg_is_seq(devs, "devices")) {
		for (size_t i = 0; i < devs->n; i++)
			if (!build_device(t, devs->v[i], &refused))
				ok = false;
		for (size_t i = 0; i < devs->n; i++)
			if (devs->v[i]->type == CFG_MAP)
				cfg_check_unknown(devs->v[i], "device");
		if (ok && !check_addresses(t->net, devs, false))
			ok = false;
	} else {
		ok = false;
	}
	if ((links = cfg_get(root, "links")) != NULL && cfg_is_seq(links, "links")) {
		for (size_t i = 0; i < links->n; i++)
			if (!build_link(t, links->v[i], &refused))
				ok = false;
		if (ok && !check_l2(t->net, links))
			ok = false;
	}
	if (ok && devs != NULL && !check_addresses(t->net, devs, true))
		ok = false;
	if ((c = cfg_get(root, "script")) != NULL && !build_script(t, c, &refused))
		ok = false;
	if ((c = cfg_get(root, "lua")) != NULL) {
		const char *f;

		if (cfg_str(c, "lua", &f))
			t->lua_file = xstrdup(f);
	}
	if ((c = cfg_get(root, "hooks")) != NULL && !build_hooks(t, c))
		ok = false;
	cfg_check_unknown(root, "topology");
	refused_free(&refused);
	if (ok) {
		for (size_t i = 0; i < t->net->nnodes; i++) {
			struct node *n = t->net->nodes[i];

			for (int p = 0; p < proto_count; p++)
				if (n->pi[p] && n->pi[p]->proto->validate &&
				    n->pi[p]->proto->validate(n->pi[p]) < 0)
					ok = false;
		}
	}
	if (!ok || doc->nerrors > 0) {
		if (doc->nerrors == 0)
			cfg_doc_error(doc, root->line, root->col, "invalid topology");
		topo_free(t);
		return NULL;
	}
	return t;
}

struct topo *
topo_load_yaml(const char *path, const struct topo_opts *opts, struct strbuf *errors)
{
	struct cfg_doc *doc = cfg_load_yaml(path);
	struct topo *t = NULL;
	const char *slash;

	if (doc->root != NULL && doc->nerrors == 0)
		t = topo_build(doc, opts);
	if (t == NULL)
		sb_add(errors, sb_str(&doc->errors));
	else {
		slash = strrchr(path, '/');
		t->dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	}
	cfg_doc_free(doc);
	return t;
}
