/*
 * build.c: the topology schema: a cfg tree -> network, devices, links, script.
 *
 *   name, description, seed
 *   devices: [{name, type: router|host|switch, router_id, interfaces: [...],
 *              static_routes: [...], <protocol>: {...}}]
 *     interfaces: [{name, ip, mac, mtu, shutdown, description, gateway (hosts),
 *                   vlan, mode: access|trunk, allowed_vlans, native_vlan (switch ports),
 *                   <protocol>: {...}}]
 *   links: [{endpoints: [A:IF, B:IF, ...], delay, loss, bandwidth, up}]
 *   script: [{at, device, command | lua, expect: success|fail}]
 *   lua: FILE, hooks: {EVENT: CHUNK}
 *
 * Every key under a device or an interface that is not part of this schema
 * must name a registered protocol, whose config hook reads the block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "../proto/proto.h"
#include "../proto/static.h"
#include "cfg.h"
#include "topo.h"

static const char *const device_keys[] = {"name", "type", "router_id", "interfaces",
    "static_routes", "description", NULL};
static const char *const iface_keys[] = {"name", "ip", "mac", "mtu", "shutdown", "description",
    "gateway", "vlan", "mode", "allowed_vlans", "native_vlan", NULL};

static const char *const switch_only[] = {"mode", "allowed_vlans", "native_vlan", NULL};

/* Protocols netsim implements or plans; a key naming one that this build lacks says so. */
static const char *const known_protocols[] = {"ospf", "isis", "bgp", "ldp", "rsvp", "bfd",
    "mpls", "gre", "vrf", "rip", "eigrp", NULL};

static bool
in_list(const char *const *list, const char *k)
{
	for (; *list; list++)
		if (strcmp(*list, k) == 0)
			return true;
	return false;
}

/* After an error that stops reading a map, keep its other keys from being reported too. */
static void
mark_all(const struct cfg *map)
{
	if (map == NULL || map->type != CFG_MAP)
		return;
	for (size_t i = 0; i < map->n; i++)
		cfg_get(map, map->k[i]->str);
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
unknown_key(const struct cfg *map, size_t i, const char *where, const char *const *keys)
{
	const char *k = map->k[i]->str;
	struct strbuf b = STRBUF_INIT;

	if (in_list(known_protocols, k)) {
		bool told = false;
		size_t n = protocol_uses(map->doc != NULL ? map->doc->root : NULL, k, &told);

		cfg_get(map, k);
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
	cfg_get(map, k);
	for (const char *const *p = keys; *p; p++)
		sb_printf(&b, "%s%s", p == keys ? "" : ", ", *p);
	for (int p = 0; p < proto_count; p++)
		if (proto_registry[p]->config || proto_registry[p]->config_iface)
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

/* Interfaces of a device: addresses, L2 settings. Protocol blocks come later. */
static bool
build_iface(struct node *n, const struct cfg *ic, uint32_t *gateway, const struct cfg **gw_at)
{
	const struct cfg *c;
	const char *name = NULL;
	struct iface *ifp;
	bool ok = true;
	long long v;

	if (!cfg_is_map(ic, "interface"))
		return false;
	if ((c = cfg_get(ic, "name")) == NULL)
		return cfg_error(ic, "interface needs a 'name'");
	if (!cfg_str(c, "name", &name))
		return false;
	if (*name == '\0' || strlen(name) > 32 || strchr(name, ' ') || strchr(name, ':')) {
		mark_all(ic);
		return cfg_error(c, "bad interface name '%s'", name);
	}
	if (node_iface(n, name) != NULL) {
		mark_all(ic);
		return cfg_error(c, "duplicate interface '%s' on %s", name, n->name);
	}
	ifp = node_add_iface(n, name);
	if ((c = cfg_get(ic, "ip")) != NULL) {
		if (n->type == NODE_SWITCH)
			ok = cfg_error(c, "switch ports have no IP address (%s:%s)", n->name, name);
		else if (!cfg_ip_plen(c, "ip", &ifp->addr, &ifp->plen))
			ok = false;
		else if (ifp->plen < 31 && ifp->plen > 0 &&
		    ((ifp->addr & ~ip_mask(ifp->plen)) == 0 ||
			(ifp->addr | ip_mask(ifp->plen)) == 0xffffffffu))
			ok = cfg_error(c, "%s/%u is the %s address of its subnet", ip_str(ifp->addr),
			    ifp->plen, (ifp->addr & ~ip_mask(ifp->plen)) == 0 ? "network" : "broadcast");
	}
	if ((c = cfg_get(ic, "mac")) != NULL) {
		const char *s;

		if (cfg_str(c, "mac", &s) && !mac_parse(s, ifp->mac))
			ok = cfg_error(c, "bad MAC address '%s' for 'mac'", s);
	}
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
		if (n->type != NODE_HOST)
			ok = cfg_error(c, "'gateway' is for hosts; routers use static_routes");
		else if (!cfg_ip(c, "gateway", gateway))
			ok = false;
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

		if (in_list(device_keys, k))
			continue;
		p = proto_find(k);
		if (p == NULL || p->config == NULL) {
			char *where = xasprintf("device %s", n->name);

			ok = unknown_key(dev, i, where, device_keys);
			free(where);
			continue;
		}
		if (n->type == NODE_SWITCH) {
			ok = cfg_error(dev->k[i], "%s: a switch does not run %s", n->name, k);
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

			if (in_list(iface_keys, key))
				continue;
			p = proto_find(key);
			if (p == NULL || p->config_iface == NULL) {
				char *where = xasprintf("interface %s:%s", n->name, ifp->name);

				ok = unknown_key(ic, k, where, iface_keys);
				free(where);
				continue;
			}
			if (n->type == NODE_SWITCH) {
				ok = cfg_error(ic->k[k], "%s: a switch does not run %s", n->name, key);
				continue;
			}
			cfg_get(ic, key);
			pi = proto_instance(n, p);
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

static bool
build_device(struct topo *t, const struct cfg *dev)
{
	struct network *net = t->net;
	const struct cfg *c, *ifaces;
	const char *name;
	struct node *n;
	bool ok = true;
	enum node_type type;
	uint32_t gateway = 0;
	const struct cfg *gw_at = NULL;

	if (!cfg_is_map(dev, "device"))
		return false;
	if ((c = cfg_get(dev, "name")) == NULL)
		return cfg_error(dev, "device needs a 'name'");
	if (!cfg_str(c, "name", &name))
		return false;
	if (*name == '\0' || strlen(name) > 64 || strpbrk(name, " :\t\"") || strcmp(name, "-") == 0) {
		mark_all(dev);
		return cfg_error(c, "bad device name '%s'", name);
	}
	if (net_node(net, name) != NULL) {
		mark_all(dev);
		return cfg_error(c, "duplicate device name '%s'", name);
	}
	type = type_of(dev, &ok);
	n = net_add_node(net, name, type);
	if ((c = cfg_get(dev, "router_id")) != NULL) {
		if (type == NODE_SWITCH)
			ok = cfg_error(c, "a switch has no router_id");
		else if (!cfg_ip(c, "router_id", &n->router_id))
			ok = false;
	}
	cfg_get(dev, "description");
	if ((ifaces = cfg_get(dev, "interfaces")) != NULL) {
		if (!cfg_is_seq(ifaces, "interfaces"))
			return false;
		for (size_t i = 0; i < ifaces->n; i++) {
			if (!build_iface(n, ifaces->v[i], &gateway, &gw_at))
				ok = false;
		}
	}
	/* Overlapping subnets on one device would make forwarding ambiguous. */
	for (size_t i = 0; i < n->nifs; i++)
		for (size_t k = 0; k < i; k++) {
			struct iface *a = n->ifs[i], *b = n->ifs[k];
			struct prefix pa = iface_prefix(a), pb = iface_prefix(b);

			if (a->addr == 0 || b->addr == 0)
				continue;
			if (prefix_contains(&pa, b->addr) || prefix_contains(&pb, a->addr)) {
				const struct cfg *at = ifaces->v[i];

				ok = cfg_error(cfg_get(at, "ip") ? cfg_get(at, "ip") : at,
				    "%s: %s/%u on %s overlaps %s/%u on %s", n->name, ip_str(a->addr),
				    a->plen, a->name, ip_str(b->addr), b->plen, b->name);
			}
		}
	if (type != NODE_SWITCH) {
		proto_instance(n, &proto_connected);
		proto_instance(n, &proto_static);
		if ((c = cfg_get(dev, "static_routes")) != NULL &&
		    proto_static.config(proto_instance(n, &proto_static), c) < 0)
			ok = false;
		if (gateway != 0) {
			struct static_route sr = {.ifindex = -1, .distance = 1, .via = gateway};
			char err[128];

			if (node_iface_for(n, gateway) == NULL)
				ok = cfg_error(gw_at, "gateway %s is not in a subnet of %s",
				    ip_str(gateway), n->name);
			else if (static_route_add(n, &sr, err, sizeof(err)) < 0)
				ok = cfg_error(gw_at, "%s", err);
		}
	} else if ((c = cfg_get(dev, "static_routes")) != NULL) {
		ok = cfg_error(c, "a switch has no routing table ('static_routes')");
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
endpoint(struct network *net, const struct cfg *c)
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
		cfg_error(c, "link endpoint '%s': no device '%s'", s, dev);
		return NULL;
	}
	if ((ifp = node_iface(n, colon + 1)) == NULL) {
		cfg_error(c, "link endpoint '%s': %s has no interface %s", s, dev, colon + 1);
		return NULL;
	}
	if (ifp->kind == IF_LOOPBACK) {
		cfg_error(c, "link endpoint '%s': %s is a loopback", s, colon + 1);
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
build_link(struct topo *t, const struct cfg *lc)
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
		struct iface *ifp = endpoint(t->net, eps->v[i]);

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
	if ((c = cfg_get(lc, "bandwidth")) != NULL && !cfg_bandwidth(c, "bandwidth", &l->bandwidth))
		ok = false;
	if (!cfg_opt_bool(lc, "up", &l->up))
		ok = false;
	cfg_check_unknown(lc, "link");
	return ok;
}

/* Addresses must be unique across the network (two devices with one address is a typo). */
static bool
check_addresses(struct network *net, const struct cfg *devs)
{
	struct hmap seen;
	bool ok = true;

	hmap_init(&seen);
	for (size_t a = 0; a < net->nnodes; a++)
		for (size_t i = 0; i < net->nodes[a]->nifs; i++) {
			struct iface *x = net->nodes[a]->ifs[i], *y;

			if (x->addr == 0)
				continue;
			if ((y = hmap_get(&seen, x->addr)) == NULL) {
				hmap_put(&seen, x->addr, x);
				continue;
			}
			cfg_error(devs->v[a], "address %s of %s:%s is also on %s:%s", ip_str(x->addr),
			    x->node->name, x->name, y->node->name, y->name);
			ok = false;
		}
	hmap_free(&seen);
	return ok;
}

/* Without spanning tree, a loop of switches would flood forever: refuse it. */
static bool
check_switch_loops(struct network *net, const struct cfg *links)
{
	size_t n = net->nnodes;
	uint32_t *parent = xmalloc(sizeof(*parent) * n);
	bool ok = true;

	for (size_t i = 0; i < n; i++)
		parent[i] = (uint32_t)i;
	for (size_t i = 0; i < net->nlinks; i++) {
		struct link *l = net->links[i];
		uint32_t root = UINT32_MAX;

		for (size_t k = 0; k < l->nends; k++) {
			struct node *nd = l->ends[k]->node;
			uint32_t r;

			if (nd->type != NODE_SWITCH)
				continue;
			for (r = nd->id; parent[r] != r; r = parent[r])
				;
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
	free(parent);
	return ok;
}

static bool
build_script(struct topo *t, const struct cfg *sc)
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
				ok = cfg_error(c, "script: no device '%s'", s);
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
		else if (it.command != NULL && it.device == NULL)
			ok = cfg_error(e, "script entry with 'command' needs 'device'");
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

	if (root == NULL)
		return NULL;
	if (!cfg_is_map(root, "topology"))
		return NULL;
	if ((c = cfg_get(root, "name")) != NULL && !cfg_str(c, "name", &name))
		ok = false;
	if (!cfg_opt_int(root, "seed", 0, INT64_MAX, &seed))
		ok = false;
	t = xcalloc(1, sizeof(*t));
	t->net = net_new(name, opts && opts->seed_set ? opts->seed : (uint64_t)seed);
	t->net->file = xstrdup(doc->file);
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
			if (!build_device(t, devs->v[i]))
				ok = false;
		for (size_t i = 0; i < devs->n; i++)
			if (devs->v[i]->type == CFG_MAP)
				cfg_check_unknown(devs->v[i], "device");
		if (ok && !check_addresses(t->net, devs))
			ok = false;
	} else {
		ok = false;
	}
	if ((links = cfg_get(root, "links")) != NULL && cfg_is_seq(links, "links")) {
		for (size_t i = 0; i < links->n; i++)
			if (!build_link(t, links->v[i]))
				ok = false;
		if (ok && !check_switch_loops(t->net, links))
			ok = false;
	}
	if ((c = cfg_get(root, "script")) != NULL && !build_script(t, c))
		ok = false;
	if ((c = cfg_get(root, "lua")) != NULL) {
		const char *f;

		if (cfg_str(c, "lua", &f))
			t->lua_file = xstrdup(f);
	}
	if ((c = cfg_get(root, "hooks")) != NULL && !build_hooks(t, c))
		ok = false;
	cfg_check_unknown(root, "topology");
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
