/*
 * config.c: BGP configuration from the topology (the device's `bgp:` block;
 * docs/bgp.md has the reference).
 *
 *   bgp:
 *     as: 65001                       (1..4294967295, or asdot "1.10": RFC 5396)
 *     router_id: 1.1.1.1              (else the device's: node_router_id)
 *     networks: ["10.1.0.0/24"]       (originated when the RIB has the prefix)
 *     aggregate_addresses: [{prefix, summary_only, as_set}]
 *     redistribute: [connected, {protocol: ospf, metric: 10}]   (metric = MED)
 *     import_check, cluster_id, client_to_client, always_compare_med,
 *     deterministic_med, med_missing_as_worst, maximum_paths, maximum_paths_ibgp,
 *     ebgp_requires_policy
 *     graceful_restart, restart_time, stalepath_time, select_defer_time (RFC 4724)
 *     timers: {keepalive: 60, hold: 180}        (the neighbors' defaults)
 *     dampening: true | {half_life, reuse, suppress, max_suppress}   (RFC 2439)
 *     peer_groups: [{name: G, <any neighbor key but ip>}]
 *     neighbors: [{ip, remote_as, peer_group, description, update_source,
 *       next_hop_self, route_reflector_client, send_community, send_ext_community,
 *       ebgp_multihop, ttl_security, password, timers: {keepalive, hold, connect_retry},
 *       shutdown, passive, allowas_in, advertisement_interval, remove_private_as,
 *       dont_capability_negotiate, weight, local_role, strict_role, bfd,
 *       import, export (route maps), soft_reconfiguration, graceful_restart,
 *       maximum_prefix: N | {limit, threshold, warning_only, restart}}]
 *
 * A neighbor starts from the defaults (timers from the device level), takes
 * its peer group's keys, then its own: a peer group's block is read once on
 * its own (so that its errors are reported once) and again under each of its
 * neighbors. Checks that need the whole topology (interfaces, addresses,
 * routes) are in bgp_validate.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/cfg.h"
#include "../../lib/util.h"
#include "../static.h"
#include "../../net/vrf.h"
#include "../bfd/bfd.h"
#include "../policy/policy.h"
#include "bgp.h"

#define BGP_PASSWORD_MAX   80    /* TCP MD5 keys (Linux's TCP_MD5SIG_MAXKEYLEN) */
#define BGP_MRAI_MAX       600   /* seconds (FRR's range) */
#define BGP_ALLOWAS_DFLT   3     /* `allowas_in: true` (FRR) */
#define BGP_ALLOWAS_MAX    10
#define BGP_MULTIHOP_DFLT  255   /* `ebgp_multihop: true` (FRR) */
#define BGP_GTSM_HOPS_MAX  254
/* Graceful restart (FRR's defaults and ranges; the Restart Time is 12 bits, RFC 4724 3). */
#define BGP_GR_RESTART_DFLT   120
#define BGP_GR_STALEPATH_DFLT 360
#define BGP_GR_DEFER_DFLT     360
#define BGP_MAXPFX_THRESH_DFLT 75

/* A new instance with the defaults (the device's, or a VRF's under it). */
static struct bgp *
bgp_alloc(struct proto_inst *pi)
{
	struct bgp *b;

	{
		b = xcalloc(1, sizeof(*b));
		b->pi = pi;
		b->node = pi->node;
		b->cfg.import_check = true;
		b->cfg.client_to_client = true;
		b->cfg.dec.deterministic_med = true; /* FRR's default */
		b->cfg.dec.max_paths_ebgp = 1;
		b->cfg.dec.max_paths_ibgp = 1;
		b->cfg.keepalive = BGP_KEEPALIVE_DFLT;
		b->cfg.hold = BGP_HOLD_DFLT;
		b->cfg.gr_restart_time = BGP_GR_RESTART_DFLT;
		b->cfg.gr_stalepath_time = BGP_GR_STALEPATH_DFLT;
		b->cfg.gr_defer_time = BGP_GR_DEFER_DFLT;
		/* `timers: fast`: FRR's datacenter profile (keepalive 3 s, hold 9 s, connect retry 10 s, MRAI 0). */
		if (pi->node->net->fast_timers) {
			b->cfg.fast_timers = true;
			b->cfg.keepalive = 3;
			b->cfg.hold = 9;
		}
	}
	return b;
}

static struct bgp *
instance(struct proto_inst *pi)
{
	if (pi->priv == NULL)
		pi->priv = bgp_alloc(pi);
	return pi->priv;
}

/* ---- values ---------------------------------------------------------------------------- */

/* An AS number: 1..4294967295, or asdot "high.low" (RFC 5396); not AS_TRANS. */
static bool
as_number(const struct cfg *c, const char *what, uint32_t *out)
{
	const char *s, *dot;
	char *end;
	unsigned long long hi, lo, v;

	if (!cfg_str(c, what, &s))
		return false;
	if (*s >= '0' && *s <= '9' && strspn(s, "0123456789.") == strlen(s)) {
		dot = strchr(s, '.');
		v = strtoull(s, &end, 10);
		if (dot != NULL && end == dot && dot[1] != '\0' && strchr(dot + 1, '.') == NULL) {
			hi = v;
			lo = strtoull(dot + 1, &end, 10);
			v = hi <= 65535 && lo <= 65535 ? hi << 16 | lo : 0;
		} else if (dot != NULL || *end != '\0')
			v = 0;
		if (v == BGP_AS_TRANS)
			return cfg_error(c, "'%s' %s is AS_TRANS, which stands for a 4-octet AS and "
			                    "is never configured (RFC 6793 9)", what, s);
		if (v >= 1 && v <= UINT32_MAX) {
			*out = (uint32_t)v;
			return true;
		}
	}
	return cfg_error(c, "'%s' must be an AS number from 1 to 4294967295 (or asdot, as 1.10), "
	                    "got '%s'", what, s);
}

/* A prefix as networks and aggregates name routes: a/len with no host bits. */
static bool
route_prefix(const struct cfg *c, const char *what, struct prefix *out)
{
	uint32_t a;
	uint8_t len;
	struct prefix p;

	if (!cfg_ip_plen(c, what, &a, &len))
		return false;
	p = (struct prefix){a & ip_mask(len), len};
	if (p.addr != a)
		return cfg_error(c, "%s: %s/%u has host bits set (the network is %s)", what,
		                 ip_str(a), len, prefix_str(&p));
	*out = p;
	return true;
}

#define BGP_SECONDS "BGP carries it in whole seconds"

/* An optional timer in whole seconds from min to max; *set says it was given. */
static bool
seconds(const struct cfg *map, const char *key, long long min, long long max, const char *why,
    long long *out, bool *set)
{
	const struct cfg *c = cfg_get(map, key);

	if (c == NULL)
		return true;
	if (!cfg_seconds(c, key, min, max, why, out))
		return false;
	if (set)
		*set = true;
	return true;
}

/*
 * true, false or a number (ebgp_multihop, ttl_security, allowas_in): true is
 * if_true (0: true is refused, a number is needed), false 0.
 */
static bool
flag_or_int(const struct cfg *map, const char *key, long long min, long long max,
    long long if_true, const char *range, uint8_t *out)
{
	const struct cfg *c = cfg_get(map, key);
	const char *s;
	long long v;

	if (c == NULL)
		return true;
	s = c->type == CFG_SCALAR && !c->quoted ? c->str : "";
	if (strcmp(s, "false") == 0 || (strcmp(s, "true") == 0 && if_true != 0)) {
		*out = strcmp(s, "true") == 0 ? (uint8_t)if_true : 0;
		return true;
	}
	if (*s == '\0' || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9 ||
	    (v = strtoll(s, NULL, 10)) < min || v > max)
		return cfg_error(c, "'%s' must be %s", key, range);
	*out = (uint8_t)v;
	return true;
}

static void
set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = xstrdup(s);
}

/* ---- timers ---------------------------------------------------------------------------- */

struct timers_set {
	bool keepalive, hold;
};

/* `timers: {keepalive, hold[, connect_retry]}` over *ka, *hold, *cr (cr NULL: device level). */
static bool
timers(const struct cfg *map, uint16_t *ka, uint16_t *hold, uint16_t *cr, struct timers_set *set)
{
	const struct cfg *c = cfg_get(map, "timers");
	long long k = *ka, h = *hold, r = cr ? *cr : 0;
	bool ok = true;

	if (c == NULL)
		return true;
	if (!cfg_is_map(c, "timers"))
		return false;
	ok &= seconds(c, "keepalive", 1, 65535, BGP_SECONDS, &k, &set->keepalive);
	ok &= seconds(c, "hold", 0, 65535, BGP_SECONDS, &h, &set->hold);
	/* RFC 4271 4.2: "Hold Time MUST be either zero or at least three seconds". */
	if (ok && h > 0 && h < 3)
		ok = cfg_error(cfg_get(c, "hold"), "'hold' must be 0 or a whole number of seconds "
		                                   "from 3 to 65535 (RFC 4271 4.2)");
	if (cr)
		ok &= seconds(c, "connect_retry", 1, 65535, BGP_SECONDS, &r, NULL);
	cfg_check_unknown(c, "timers");
	if (!ok)
		return false;
	*ka = (uint16_t)k;
	*hold = (uint16_t)h;
	if (cr)
		*cr = (uint16_t)r;
	return true;
}

/*
 * A hold time given alone brings its keepalive along (one third, as RFC
 * 4271 10 suggests); a keepalive must then be shorter than the hold time,
 * unless the hold time is 0 (no KEEPALIVEs at all: the keepalive is unused).
 */
static bool
timers_check(const struct cfg *at, uint16_t *ka, uint16_t hold, const struct timers_set *set)
{
	if (set->hold && !set->keepalive)
		*ka = hold / 3;
	if (hold != 0 && *ka >= hold)
		return cfg_error(at, "keepalive %us must be shorter than hold %us (RFC 4271 10 "
		                     "suggests a third of it)", *ka, hold);
	return true;
}

/* ---- neighbors and peer groups --------------------------------------------------------- */

/* A neighbor being read: its configuration and what was set explicitly. */
struct nbr_read {
	struct bgp_nbr_cfg n;
	const struct node *node;     /* whose route maps the neighbor may name */
	struct timers_set tset;
	const struct cfg *timers_at; /* the last timers block applied */
};

static void
nbr_defaults(struct nbr_read *r, const struct bgp_cfg *cf)
{
	memset(r, 0, sizeof(*r));
	r->node = container_of(cf, const struct bgp, cfg)->node;
	r->n.send_community = true;
	r->n.role = -1;
	r->n.gr = -1;
	r->n.send_ext_community = true;
	r->n.connect_retry = cf->fast_timers ? 10 : BGP_CONNECT_RETRY_DFLT;
	r->n.keepalive = cf->keepalive;
	r->n.hold = cf->hold;
	r->n.families = BGP_FAM_IPV4;
}

static void
nbr_free(struct bgp_nbr_cfg *n)
{
	free(n->description);
	free(n->update_source);
	free(n->password);
	free(n->import_map);
	free(n->export_map);
	n->description = n->update_source = n->password = n->import_map = n->export_map = NULL;
}

/* `import: NAME` / `export: NAME`: a route map of the device (policy_config read them first). */
static bool
route_map_key(const struct node *n, const struct cfg *m, const char *key, char **out)
{
	const struct cfg *c = cfg_get(m, key);
	const char *s;

	if (c == NULL)
		return true;
	if (!cfg_str(c, key, &s))
		return false;
	if (policy_find(n, s) == NULL)
		return cfg_error(c, "%s: no route map '%s' on this device (route_maps:)", key, s);
	set_str(out, s);
	return true;
}

/*
 * `maximum_prefix: N` or `{limit: N, threshold: 75, warning_only: false,
 * restart: MINUTES}` (FRR's neighbor maximum-prefix N [THRESHOLD]
 * [warning-only|restart M]).
 */
static bool
maximum_prefix(const struct cfg *m, struct bgp_maxpfx_cfg *mp)
{
	const struct cfg *c = cfg_get(m, "maximum_prefix");
	long long v;
	bool ok = true;

	if (c == NULL)
		return true;
	*mp = (struct bgp_maxpfx_cfg){.threshold = BGP_MAXPFX_THRESH_DFLT};
	if (c->type == CFG_SCALAR) {
		if (!cfg_int(c, "maximum_prefix", 1, UINT32_MAX, &v))
			return false;
		mp->limit = (uint32_t)v;
		return true;
	}
	if (!cfg_is_map(c, "maximum_prefix"))
		return false;
	if (cfg_get(c, "limit") == NULL)
		ok = cfg_error(c, "maximum_prefix needs 'limit' (the number of prefixes)");
	else if (cfg_opt_int(c, "limit", 1, UINT32_MAX, &v))
		mp->limit = (uint32_t)v;
	else
		ok = false;
	v = mp->threshold;
	if (cfg_opt_int(c, "threshold", 1, 100, &v))
		mp->threshold = (uint8_t)v;
	else
		ok = false;
	ok &= cfg_opt_bool(c, "warning_only", &mp->warning_only);
	v = 0;
	if (cfg_opt_int(c, "restart", 1, 65535, &v))
		mp->restart = (uint16_t)v;
	else
		ok = false;
	if (ok && mp->warning_only && mp->restart)
		ok = cfg_error(cfg_get(c, "restart"), "maximum_prefix: 'warning_only' and 'restart' "
		               "cannot be configured together (a warning-only limit never resets)");
	cfg_check_unknown(c, "maximum_prefix");
	return ok;
}

/* Every key a neighbor and a peer group share, read over r. */
static const char *const vrf_redist_sources[] = {"connected", "static", "ospf", NULL};
static const struct redist_opts vrf_redist_opts = {"a VRF's VPN-IPv4 routes", vrf_redist_sources,
                                                   UINT32_MAX, 0, 0, false};

/*
 * `vrfs: [{name: red, redistribute: [connected, static]}]`: the VRFs whose
 * routes go into VPN-IPv4 (checked against the device's VRFs by
 * bgp_validate, which reads them after the device's `vrfs:`).
 */
static bool neighbors(struct bgp_cfg *cf, const struct cfg *blk);

/*
 * The instance of a VRF with neighbors (PE-CE sessions): the device's AS,
 * timers and defaults, its own neighbors and peer groups (read as the
 * device's are), its VRF's number.
 */
static bool
vrf_instance(struct bgp *b, const struct cfg *m, const char *name)
{
	struct bgp *v;
	int id = node_vrf_id(b->node, name);

	if (id <= 0)
		return true; /* bgp_validate says so */
	v = bgp_alloc(b->pi);
	v->vrf = (uint16_t)id;
	v->parent = b;
	v->cfg.as = b->cfg.as;
	v->cfg.keepalive = b->cfg.keepalive;
	v->cfg.hold = b->cfg.hold;
	v->cfg.blk = m;
	b->vrf_insts = xrealloc(b->vrf_insts, (b->nvrf_insts + 1) * sizeof(*b->vrf_insts));
	b->vrf_insts[b->nvrf_insts++] = v;
	return neighbors(&v->cfg, m);
}

static bool
vrfs_read(struct bgp *b, const struct cfg *list)
{
	struct bgp_cfg *cf = &b->cfg;
	bool ok = true;

	if (list == NULL)
		return true;
	if (!cfg_is_seq(list, "vrfs"))
		return false;
	cf->vrfs = xcalloc(list->n ? list->n : 1, sizeof(*cf->vrfs));
	for (size_t i = 0; i < list->n; i++) {
		const struct cfg *m = list->v[i], *c;
		struct bgp_vrf_cfg *v = &cf->vrfs[cf->nvrfs];
		const char *name;

		if (!cfg_is_map(m, "a VRF of bgp")) {
			ok = false;
			continue;
		}
		if ((c = cfg_get(m, "name")) == NULL) {
			ok = cfg_error(m, "a VRF under bgp needs 'name' (a VRF of the device's vrfs:)");
			continue;
		}
		if (!cfg_str(c, "name", &name)) {
			ok = false;
			continue;
		}
		for (size_t j = 0; j < cf->nvrfs; j++)
			if (strcmp(cf->vrfs[j].name, name) == 0)
				ok = cfg_error(c, "VRF %s is listed twice under bgp", name);
		if ((c = cfg_get(m, "redistribute")) != NULL)
			ok &= redist_config(&v->redist, c, &vrf_redist_opts);
		if (cfg_get(m, "neighbors") != NULL || cfg_get(m, "peer_groups") != NULL)
			ok &= vrf_instance(b, m, name);
		cfg_check_unknown(m, "a VRF of bgp");
		v->name = xstrdup(name);
		v->at = m;
		cf->nvrfs++;
	}
	return ok;
}

/* `families: [ipv4, vpnv4]` (RFC 4760): what the session carries; at least one. */
static bool
families(const struct cfg *m, uint8_t *out)
{
	static const struct cfg_word words[] = {{"ipv4", BGP_FAM_IPV4}, {"ipv4-unicast", BGP_FAM_IPV4},
	                                        {"vpnv4", BGP_FAM_VPNV4}, {"ipv4-vpn", BGP_FAM_VPNV4}};
	const struct cfg *c = cfg_get(m, "families");
	uint8_t fams = 0;
	bool ok = true;

	if (c == NULL)
		return true;
	if (c->type == CFG_SCALAR) {
		int v;

		if (!cfg_keyword(c, "families", words, ARRAY_LEN(words), "ipv4 or vpnv4", &v))
			return false;
		*out = (uint8_t)v;
		return true;
	}
	if (!cfg_is_seq(c, "families"))
		return false;
	for (size_t i = 0; i < c->n; i++) {
		int v;

		if (!cfg_keyword(c->v[i], "families", words, ARRAY_LEN(words), "ipv4 or vpnv4", &v))
			ok = false;
		else if (fams & v)
			ok = cfg_error(c->v[i], "families: %s is listed twice", c->v[i]->str);
		else
			fams |= (uint8_t)v;
	}
	if (ok && fams == 0)
		ok = cfg_error(c, "families: name at least one of ipv4 and vpnv4");
	if (ok)
		*out = fams;
	return ok;
}

static bool
nbr_keys(const struct cfg *m, struct nbr_read *r)
{
	struct bgp_nbr_cfg *n = &r->n;
	const struct cfg *c;
	const char *s;
	long long v;
	uint8_t hops = n->ttl_security ? n->ttl_security_hops : 0;
	bool ok = true;

	if ((c = cfg_get(m, "remote_as")) != NULL && !as_number(c, "remote_as", &n->remote_as))
		ok = false;
	if ((c = cfg_get(m, "description")) != NULL) {
		if (cfg_str(c, "description", &s))
			set_str(&n->description, s);
		else
			ok = false;
	}
	if ((c = cfg_get(m, "update_source")) != NULL) {
		/* An address, or an interface name (both checked in validate). */
		if (cfg_str(c, "update_source", &s)) {
			free(n->update_source);
			n->update_source = NULL;
			n->update_source_ip = 0;
			if (!ip_parse(s, &n->update_source_ip))
				n->update_source = xstrdup(s);
		} else
			ok = false;
	}
	ok &= cfg_opt_bool(m, "next_hop_self", &n->next_hop_self);
	ok &= cfg_opt_bool(m, "route_reflector_client", &n->rr_client);
	ok &= cfg_opt_bool(m, "send_community", &n->send_community);
	ok &= cfg_opt_bool(m, "send_ext_community", &n->send_ext_community);
	ok &= flag_or_int(m, "ebgp_multihop", 1, 255, BGP_MULTIHOP_DFLT,
	                  "true, false or a TTL from 1 to 255", &n->ebgp_multihop);
	/* RFC 5082: the hop count; 255 - (hops - 1) is the lowest TTL accepted. */
	if (flag_or_int(m, "ttl_security", 1, BGP_GTSM_HOPS_MAX, 0,
	                "false or a hop count from 1 to 254 (RFC 5082)", &hops)) {
		n->ttl_security = hops != 0;
		n->ttl_security_hops = hops;
	} else
		ok = false;
	if ((c = cfg_get(m, "password")) != NULL) {
		if (!cfg_str(c, "password", &s))
			ok = false;
		else if (*s == '\0' || strlen(s) > BGP_PASSWORD_MAX)
			ok = cfg_error(c, "a password (TCP MD5, RFC 2385) has 1 to %d characters",
			               BGP_PASSWORD_MAX);
		else
			set_str(&n->password, s);
	}
	if (cfg_get(m, "timers") != NULL)
		r->timers_at = cfg_get(m, "timers");
	ok &= timers(m, &n->keepalive, &n->hold, &n->connect_retry, &r->tset);
	ok &= cfg_opt_bool(m, "shutdown", &n->shutdown);
	ok &= cfg_opt_bool(m, "passive", &n->passive);
	ok &= flag_or_int(m, "allowas_in", 1, BGP_ALLOWAS_MAX, BGP_ALLOWAS_DFLT,
	                  "true, false or a count from 1 to 10", &n->allowas_in);
	v = -1;
	if (!seconds(m, "advertisement_interval", 0, BGP_MRAI_MAX, "FRR's range", &v, NULL))
		ok = false;
	else if (v >= 0) {
		n->mrai_set = true;
		n->mrai = v * SIM_S;
	}
	ok &= cfg_opt_bool(m, "remove_private_as", &n->remove_private_as);
	ok &= cfg_opt_bool(m, "dont_capability_negotiate", &n->dont_capability_negotiate);
	v = n->weight;
	ok &= cfg_opt_int(m, "weight", 0, 65535, &v);
	n->weight = (uint16_t)v;
	if ((c = cfg_get(m, "local_role")) != NULL) {
		/* RFC 9234 4.1: what we are to this neighbor (FRR's neighbor local-role). */
		static const struct cfg_word roles[] = {
		    {"provider", BGP_ROLE_PROVIDER}, {"rs-server", BGP_ROLE_RS},
		    {"rs-client", BGP_ROLE_RS_CLIENT}, {"customer", BGP_ROLE_CUSTOMER},
		    {"peer", BGP_ROLE_PEER}};
		int role;

		if (cfg_keyword(c, "local_role", roles, ARRAY_LEN(roles),
		                "provider, customer, peer, rs-server or rs-client", &role))
			n->role = (int8_t)role;
		else
			ok = false;
	}
	ok &= cfg_opt_bool(m, "strict_role", &n->strict_role);
	ok &= cfg_opt_bool(m, "bfd", &n->bfd);
	ok &= route_map_key(r->node, m, "import", &n->import_map);
	ok &= route_map_key(r->node, m, "export", &n->export_map);
	ok &= cfg_opt_bool(m, "soft_reconfiguration", &n->soft_in);
	if ((c = cfg_get(m, "graceful_restart")) != NULL) {
		bool on;

		if (cfg_bool(c, "graceful_restart", &on))
			n->gr = on; /* FRR's neighbor graceful-restart / graceful-restart-disable */
		else
			ok = false;
	}
	ok &= maximum_prefix(m, &n->maxpfx);
	ok &= families(m, &n->families);
	return ok;
}

struct group {
	const char *name;
	const struct cfg *blk;
	bool ok;
};

static bool
groups_read(struct bgp_cfg *cf, const struct cfg *list, struct group **out, size_t *nout)
{
	struct group *g;
	bool ok = true;

	*out = NULL;
	*nout = 0;
	if (list == NULL)
		return true;
	if (!cfg_is_seq(list, "peer_groups"))
		return false;
	g = xcalloc(list->n ? list->n : 1, sizeof(*g));
	for (size_t i = 0; i < list->n; i++) {
		const struct cfg *m = list->v[i], *c;
		struct nbr_read r;
		char *what;
		int nerr;

		if (!cfg_is_map(m, "peer group")) {
			ok = false;
			continue;
		}
		if ((c = cfg_get(m, "name")) == NULL) {
			ok = cfg_error(m, "a peer group needs a 'name'");
			continue;
		}
		if (!cfg_str(c, "name", &g[*nout].name)) {
			ok = false;
			continue;
		}
		for (size_t k = 0; k < *nout; k++)
			if (strcmp(g[k].name, g[*nout].name) == 0)
				ok = cfg_error(c, "peer group '%s' is defined twice (also line %d)",
				               g[k].name, g[k].blk->line);
		g[*nout].blk = m;
		nerr = m->doc->nerrors;
		nbr_defaults(&r, cf);
		if (nbr_keys(m, &r) && r.timers_at)
			timers_check(r.timers_at, &r.n.keepalive, r.n.hold, &r.tset);
		nbr_free(&r.n);
		what = xasprintf("peer group %s", g[*nout].name);
		cfg_check_unknown(m, what);
		free(what);
		/* Any error in it (a misspelt key too): its neighbors are not checked further. */
		g[*nout].ok = m->doc->nerrors == nerr;
		ok &= g[*nout].ok;
		(*nout)++;
	}
	*out = g;
	return ok;
}

/* Where to report a problem with a neighbor's key: the key if it has it, else the neighbor. */
static const struct cfg *
at_key(const struct cfg *m, const char *key)
{
	const struct cfg *c = cfg_get(m, key);

	return c ? c : m;
}

static bool
nbr_read(struct bgp_cfg *cf, const struct cfg *m, const struct group *g, size_t ng,
    struct nbr_read *r)
{
	const struct cfg *c, *gc;
	const struct group *grp = NULL;
	const char *gname = NULL;
	char *what;
	bool ok = true;

	nbr_defaults(r, cf);
	r->n.blk = m;
	if (!cfg_is_map(m, "neighbor"))
		return false;
	if ((c = cfg_get(m, "ip")) == NULL)
		return cfg_error(m, "a neighbor needs an 'ip'");
	if (!cfg_ip(c, "ip", &r->n.ip))
		return false;
	if (ip_not_unicast(r->n.ip) != NULL)
		return cfg_error(c, "neighbor %s is %s", ip_str(r->n.ip), ip_not_unicast(r->n.ip));
	if ((gc = cfg_get(m, "peer_group")) != NULL) {
		if (!cfg_str(gc, "peer_group", &gname))
			return false;
		for (size_t k = 0; k < ng && grp == NULL; k++)
			if (strcmp(g[k].name, gname) == 0)
				grp = &g[k];
		if (grp == NULL)
			ok = cfg_error(gc, "unknown peer_group '%s' for neighbor %s", gname,
			               ip_str(r->n.ip));
		else if (!grp->ok)
			ok = false; /* its errors are reported already */
		else
			nbr_keys(grp->blk, r);
	}
	if (grp != NULL && r->timers_at != NULL)
		r->timers_at = NULL; /* the group's timers were checked with it */
	ok &= nbr_keys(m, r);
	what = xasprintf("neighbor %s", ip_str(r->n.ip));
	cfg_check_unknown(m, what);
	free(what);
	if (!ok)
		return false;
	if (r->timers_at != NULL)
		ok &= timers_check(r->timers_at, &r->n.keepalive, r->n.hold, &r->tset);
	else if (r->tset.hold && !r->tset.keepalive)
		r->n.keepalive = r->n.hold / 3; /* the group's hold time alone */
	if (r->n.remote_as == 0)
		return cfg_error(m, "neighbor %s has no remote_as%s", ip_str(r->n.ip),
		                 grp ? " (nor has its peer group)" : "");
	/* FRR refuses the pair: GTSM expects the peer within a known number of hops. */
	if (r->n.ebgp_multihop && r->n.ttl_security)
		ok = cfg_error(cfg_get(m, "ttl_security") ? cfg_get(m, "ttl_security")
		                                          : at_key(m, "ebgp_multihop"),
		               "neighbor %s: ebgp_multihop and ttl_security cannot be configured "
		               "together", ip_str(r->n.ip));
	/* RFC 4456: reflection is between iBGP peers. */
	if (r->n.rr_client && cf->as != 0 && r->n.remote_as != cf->as)
		ok = cfg_error(at_key(m, "route_reflector_client"),
		               "neighbor %s is eBGP (AS %u, local AS %u): only iBGP neighbors can be "
		               "route_reflector_client (RFC 4456)", ip_str(r->n.ip), r->n.remote_as,
		               cf->as);
	return ok;
}

static int
nbr_cmp(const void *a, const void *b)
{
	const struct bgp_nbr_cfg *x = a, *y = b;

	if (x->ip != y->ip)
		return x->ip < y->ip ? -1 : 1;
	/* The same address twice: in file order, so the second is the one reported. */
	if (x->blk->line != y->blk->line)
		return x->blk->line < y->blk->line ? -1 : 1;
	return x->blk->col < y->blk->col ? -1 : x->blk->col > y->blk->col;
}

static bool
neighbors(struct bgp_cfg *cf, const struct cfg *blk)
{
	const struct cfg *list = cfg_get(blk, "neighbors");
	struct group *g;
	size_t ng;
	bool ok = groups_read(cf, cfg_get(blk, "peer_groups"), &g, &ng);

	if (list != NULL && cfg_is_seq(list, "neighbors")) {
		cf->nbrs = xcalloc(list->n ? list->n : 1, sizeof(*cf->nbrs));
		for (size_t i = 0; i < list->n; i++) {
			struct nbr_read r;

			if (nbr_read(cf, list->v[i], g, ng, &r))
				cf->nbrs[cf->nnbrs++] = r.n;
			else {
				nbr_free(&r.n);
				ok = false;
			}
		}
		if (cf->nnbrs > BGP_PEERS_MAX) /* paths name their neighbor in 16 bits (bgp_path.nbr) */
			ok = cfg_error(list, "%zu neighbors: at most %u", cf->nnbrs, BGP_PEERS_MAX);
		qsort(cf->nbrs, cf->nnbrs, sizeof(*cf->nbrs), nbr_cmp);
		for (size_t i = 1; i < cf->nnbrs; i++)
			if (cf->nbrs[i].ip == cf->nbrs[i - 1].ip)
				ok = cfg_error(cfg_get(cf->nbrs[i].blk, "ip"),
				               "neighbor %s is configured twice (also line %d)",
				               ip_str(cf->nbrs[i].ip), cf->nbrs[i - 1].blk->line);
	} else if (list != NULL)
		ok = false;
	free(g);
	return ok;
}

/* ---- origination ----------------------------------------------------------------------- */

static bool
networks(struct bgp_cfg *cf, const struct cfg *list)
{
	bool ok = true;

	if (list == NULL)
		return true;
	if (!cfg_is_seq(list, "networks"))
		return false;
	cf->networks = xcalloc(list->n ? list->n : 1, sizeof(*cf->networks));
	cf->networks_at = xcalloc(list->n ? list->n : 1, sizeof(*cf->networks_at));
	for (size_t i = 0; i < list->n; i++) {
		struct prefix p;
		bool dup = false;

		if (!route_prefix(list->v[i], "networks", &p)) {
			ok = false;
			continue;
		}
		for (size_t k = 0; k < cf->nnetworks && !dup; k++)
			dup = prefix_eq(&cf->networks[k], &p);
		if (dup) {
			ok = cfg_error(list->v[i], "network %s is listed twice", prefix_str(&p));
			continue;
		}
		cf->networks_at[cf->nnetworks] = list->v[i];
		cf->networks[cf->nnetworks++] = p;
	}
	return ok;
}

static bool
aggregates(struct bgp_cfg *cf, const struct cfg *list)
{
	bool ok = true;

	if (list == NULL)
		return true;
	if (!cfg_is_seq(list, "aggregate_addresses"))
		return false;
	cf->aggrs = xcalloc(list->n ? list->n : 1, sizeof(*cf->aggrs));
	for (size_t i = 0; i < list->n; i++) {
		const struct cfg *m = list->v[i], *c;
		struct bgp_aggr_cfg a = {0};
		bool one = true;

		if (!cfg_is_map(m, "aggregate address")) {
			ok = false;
			continue;
		}
		if ((c = cfg_get(m, "prefix")) == NULL)
			one = cfg_error(m, "an aggregate address needs a 'prefix'");
		else
			one &= route_prefix(c, "prefix", &a.pfx);
		one &= cfg_opt_bool(m, "summary_only", &a.summary_only);
		one &= cfg_opt_bool(m, "as_set", &a.as_set);
		cfg_check_unknown(m, "aggregate address");
		for (size_t k = 0; one && k < cf->naggrs; k++)
			if (prefix_eq(&cf->aggrs[k].pfx, &a.pfx))
				one = cfg_error(c, "aggregate %s is listed twice", prefix_str(&a.pfx));
		if (one)
			cf->aggrs[cf->naggrs++] = a;
		ok &= one;
	}
	return ok;
}

/* BGP takes in what the IGPs and the router itself know; the metric becomes the MED. */
static const char *const redist_sources[] = {"connected", "static", "ospf", "isis", NULL};
static const struct redist_opts redist_opts = {"BGP", redist_sources, UINT32_MAX, 0, 0, true};

/* ---- the block ------------------------------------------------------------------------- */

/* `graceful_restart`, `restart_time`, `stalepath_time`, `select_defer_time` (FRR's ranges). */
static bool
graceful_restart(struct bgp_cfg *cf, const struct cfg *blk)
{
	long long v;
	bool ok = cfg_opt_bool(blk, "graceful_restart", &cf->gr);

	v = cf->gr_restart_time;
	if (seconds(blk, "restart_time", 1, 4095, "a 12-bit field, RFC 4724 3", &v, NULL))
		cf->gr_restart_time = (uint16_t)v;
	else
		ok = false;
	v = cf->gr_stalepath_time;
	if (seconds(blk, "stalepath_time", 1, 4095, "FRR's range", &v, NULL))
		cf->gr_stalepath_time = (uint16_t)v;
	else
		ok = false;
	v = cf->gr_defer_time;
	if (seconds(blk, "select_defer_time", 0, 3600, "FRR's range", &v, NULL))
		cf->gr_defer_time = (uint16_t)v;
	else
		ok = false;
	return ok;
}

/*
 * `dampening: true` or {half_life: 15, reuse: 750, suppress: 2000,
 * max_suppress: 60} (minutes; FRR's `bgp dampening` and its ranges).
 */
static bool
dampening(struct bgp_damp_cfg *d, const struct cfg *blk)
{
	const struct cfg *c = cfg_get(blk, "dampening");
	long long v;
	bool ok = true;

	*d = (struct bgp_damp_cfg){.half_life = 15, .max_suppress = 60, .reuse = 750, .suppress = 2000};
	if (c == NULL)
		return true;
	if (c->type == CFG_SCALAR)
		return cfg_bool(c, "dampening", &d->on);
	if (!cfg_is_map(c, "dampening"))
		return false;
	d->on = true;
	v = d->half_life;
	ok &= cfg_opt_int(c, "half_life", 1, 45, &v);
	d->half_life = (uint16_t)v;
	v = d->reuse;
	ok &= cfg_opt_int(c, "reuse", 1, 20000, &v);
	d->reuse = (uint32_t)v;
	v = d->suppress;
	ok &= cfg_opt_int(c, "suppress", 1, 50000, &v);
	d->suppress = (uint32_t)v;
	v = d->max_suppress;
	ok &= cfg_opt_int(c, "max_suppress", 1, 255, &v);
	d->max_suppress = (uint16_t)v;
	cfg_check_unknown(c, "dampening");
	if (ok && d->suppress < d->reuse)
		ok = cfg_error(c, "dampening: suppress (%u) must be at least reuse (%u), as FRR requires",
		               d->suppress, d->reuse);
	if (ok && d->max_suppress < d->half_life)
		ok = cfg_error(c, "dampening: max_suppress (%u min) shorter than half_life (%u min)",
		               d->max_suppress, d->half_life);
	return ok;
}

int
bgp_config(struct proto_inst *pi, const struct cfg *blk)
{
	struct bgp *b = instance(pi);
	struct bgp_cfg *cf = &b->cfg;
	const struct cfg *c;
	struct timers_set tset = {0};
	long long v;
	bool ok = true;

	if (blk == NULL)
		return 0;
	cf->blk = blk;
	if (!cfg_is_map(blk, "bgp"))
		return -1;
	if ((c = cfg_get(blk, "as")) == NULL)
		ok = cfg_error(blk, "bgp needs 'as' (the router's AS number)");
	else
		ok &= as_number(c, "as", &cf->as);
	if ((c = cfg_get(blk, "router_id")) != NULL) {
		if (!cfg_ip(c, "router_id", &cf->router_id))
			ok = false;
		else if (ip_not_unicast(cf->router_id) != NULL)
			ok = cfg_error(c, "router_id %s is %s, not a valid BGP Identifier",
			               ip_str(cf->router_id), ip_not_unicast(cf->router_id));
	}
	ok &= networks(cf, cfg_get(blk, "networks"));
	ok &= aggregates(cf, cfg_get(blk, "aggregate_addresses"));
	if ((c = cfg_get(blk, "redistribute")) != NULL)
		ok &= redist_config(&cf->redist, c, &redist_opts);
	for (int i = 0; i < REDIST_MAX_SRC; i++)
		if (cf->redist.src[i].route_map != NULL &&
		    policy_find(pi->node, cf->redist.src[i].route_map) == NULL)
			ok = cfg_error(cf->redist.src[i].route_map_at,
			               "route_map: no route map '%s' on this device (route_maps:)",
			               cf->redist.src[i].route_map);
	ok &= cfg_opt_bool(blk, "import_check", &cf->import_check);
	if ((c = cfg_get(blk, "cluster_id")) != NULL) {
		if (!cfg_dotted32(c, "cluster_id", &cf->cluster_id))
			ok = false;
		else if (cf->cluster_id == 0)
			ok = cfg_error(c, "cluster_id 0 is not valid (leave it out to use the router ID)");
	}
	ok &= cfg_opt_bool(blk, "client_to_client", &cf->client_to_client);
	ok &= cfg_opt_bool(blk, "always_compare_med", &cf->dec.always_compare_med);
	ok &= cfg_opt_bool(blk, "deterministic_med", &cf->dec.deterministic_med);
	ok &= cfg_opt_bool(blk, "med_missing_as_worst", &cf->dec.med_missing_as_worst);
	/* The RIB installs at most RIB_MAX_NH next hops. */
	v = cf->dec.max_paths_ebgp;
	if (cfg_opt_int(blk, "maximum_paths", 1, RIB_MAX_NH, &v))
		cf->dec.max_paths_ebgp = (unsigned)v;
	else
		ok = false;
	v = cf->dec.max_paths_ibgp;
	if (cfg_opt_int(blk, "maximum_paths_ibgp", 1, RIB_MAX_NH, &v))
		cf->dec.max_paths_ibgp = (unsigned)v;
	else
		ok = false;
	ok &= cfg_opt_bool(blk, "ebgp_requires_policy", &cf->ebgp_requires_policy);
	if ((c = cfg_get(blk, "feed")) != NULL)
		ok &= bgp_feed_config(cf, c);
	ok &= graceful_restart(cf, blk);
	ok &= dampening(&cf->damp, blk);
	if (timers(blk, &cf->keepalive, &cf->hold, NULL, &tset)) {
		if (cfg_get(blk, "timers") != NULL)
			ok &= timers_check(cfg_get(blk, "timers"), &cf->keepalive, cf->hold, &tset);
	} else
		ok = false;
	/* After `as` and `timers`: neighbors inherit the timers and are compared with the AS. */
	ok &= neighbors(cf, blk);
	ok &= vrfs_read(b, cfg_get(blk, "vrfs"));
	for (size_t i = 0; i < cf->nnbrs; i++)
		if (cf->nbrs[i].bfd) {
			ok &= bfd_enable(pi->node, cf->nbrs[i].blk);
			break;
		}
	cfg_check_unknown(blk, "bgp");
	return ok ? 0 : -1;
}

void
bgp_cfg_free(struct bgp_cfg *cf)
{
	struct bgp *b = container_of(cf, struct bgp, cfg);

	for (size_t i = 0; i < b->nvrf_insts; i++) {
		bgp_cfg_free(&b->vrf_insts[i]->cfg);
		free(b->vrf_insts[i]);
	}
	free(b->vrf_insts);
	b->vrf_insts = NULL;
	b->nvrf_insts = 0;
	for (size_t i = 0; i < cf->nnbrs; i++)
		nbr_free(&cf->nbrs[i]);
	free(cf->nbrs);
	free(cf->networks);
	free(cf->networks_at);
	free(cf->aggrs);
	redist_free(&cf->redist);
	for (size_t i = 0; i < cf->nvrfs; i++) {
		free(cf->vrfs[i].name);
		redist_free(&cf->vrfs[i].redist);
	}
	free(cf->vrfs);
	bgp_feed_cfg_free(cf);
	memset(cf, 0, sizeof(*cf));
}

/* ---- checks once the topology is built ------------------------------------------------- */

uint32_t
bgp_config_router_id(const struct bgp *b, const char **how)
{
	if (b->cfg.router_id) {
		*how = "configured";
		return b->cfg.router_id;
	}
	return node_router_id(b->node, how);
}

/*
 * A `networks:` entry is originated only while the RIB has that very prefix
 * (import_check, as Cisco and FRR do): say so at load time when nothing on
 * the device can ever supply it, no connected subnet or static route equal to
 * it and no IGP.
 */
static bool
network_has_source(const struct node *n, const struct prefix *p)
{
	if (proto_get(n, &proto_ospf) != NULL || proto_get(n, &proto_isis) != NULL)
		return true;
	if (static_route_exists(n, p))
		return true;
	for (size_t i = 0; i < n->nifs; i++) {
		struct prefix q = iface_prefix(n->ifs[i]);

		if (n->ifs[i]->addr != 0 && prefix_eq(&q, p))
			return true;
	}
	return false;
}

static bool
nbr_validate(const struct node *n, uint16_t vrf, const struct bgp_nbr_cfg *nc)
{
	const struct iface *ifp;
	bool ok = true;

	if (node_is_local_vrf(n, vrf, nc->ip))
		ok = cfg_error(at_key(nc->blk, "ip"), "%s: neighbor %s is an address of %s itself",
		               n->name, ip_str(nc->ip), n->name);
	if (nc->update_source != NULL) {
		ifp = node_iface(n, nc->update_source);
		if (ifp == NULL)
			ok = cfg_error(at_key(nc->blk, "update_source"),
			               "%s: update_source '%s' of neighbor %s is not an interface of %s",
			               n->name, nc->update_source, ip_str(nc->ip), n->name);
		else if (ifp->addr == 0)
			ok = cfg_error(at_key(nc->blk, "update_source"),
			               "%s: update_source %s of neighbor %s has no IP address", n->name,
			               nc->update_source, ip_str(nc->ip));
		else if (ifp->vrf != vrf)
			ok = cfg_error(at_key(nc->blk, "update_source"),
			               "%s: update_source %s of neighbor %s is in VRF %s, the session in %s",
			               n->name, nc->update_source, ip_str(nc->ip),
			               node_vrf_name(n, ifp->vrf), node_vrf_name(n, vrf));
	} else if (nc->update_source_ip != 0 && !node_is_local_vrf(n, vrf, nc->update_source_ip))
		ok = cfg_error(at_key(nc->blk, "update_source"),
		               "%s: update_source %s of neighbor %s is not an address of %s", n->name,
		               ip_str(nc->update_source_ip), ip_str(nc->ip), n->name);
	return ok;
}

int
bgp_validate(struct proto_inst *pi)
{
	struct bgp *b = instance(pi);
	struct bgp_cfg *cf = &b->cfg;
	const struct node *n = pi->node;
	const char *how;
	bool ok = true;

	if (n->type != NODE_ROUTER) {
		cfg_error(cf->blk, "%s is a %s: only routers run BGP", n->name, node_type_name(n->type));
		return -1;
	}
	b->router_id = bgp_config_router_id(b, &how);
	if (b->router_id == 0)
		ok = cfg_error(cf->blk, "%s: no router ID for BGP: set router_id or give an interface "
		                        "an address", n->name);
	for (size_t i = 0; i < cf->nnbrs; i++)
		ok &= nbr_validate(n, 0, &cf->nbrs[i]);
	for (size_t k = 0; k < b->nvrf_insts; k++) {
		struct bgp *v = b->vrf_insts[k];

		v->router_id = b->router_id;
		for (size_t i = 0; i < v->cfg.nnbrs; i++) {
			ok &= nbr_validate(n, v->vrf, &v->cfg.nbrs[i]);
			if (v->cfg.nbrs[i].families != BGP_FAM_IPV4)
				ok = cfg_error(at_key(v->cfg.nbrs[i].blk, "families"),
				               "%s: neighbor %s in VRF %s: a VRF's sessions carry IPv4 "
				               "unicast only", n->name, ip_str(v->cfg.nbrs[i].ip),
				               node_vrf_name(n, v->vrf));
			v->cfg.nbrs[i].blk = NULL;
		}
		v->cfg.blk = NULL;
	}
	for (size_t i = 0; ok && cf->import_check && i < cf->nnetworks; i++)
		if (!network_has_source(n, &cf->networks[i]))
			cfg_warn(cf->networks_at[i],
			         "%s: bgp network %s has no route on %s; it is not advertised until one "
			         "exists (import_check: false advertises it anyway)",
			         n->name, prefix_str(&cf->networks[i]), n->name);
	for (size_t i = 0; i < cf->nvrfs; i++) {
		struct bgp_vrf_cfg *v = &cf->vrfs[i];
		int id = node_vrf_id(n, v->name);

		if (id <= 0)
			ok = cfg_error(v->at, "%s: bgp VRF '%s' is not a VRF of %s (vrfs:)", n->name, v->name,
			               n->name);
		else if (!n->vrfs[id - 1].has_rd)
			ok = cfg_error(v->at, "%s: VRF %s has no rd: its routes cannot go into VPN-IPv4 "
			                      "(RFC 4364 4.2)", n->name, v->name);
		else
			v->id = (uint16_t)id;
		v->at = NULL;
	}
	/* Positions die with the document. */
	cf->blk = NULL;
	for (size_t i = 0; i < cf->nnbrs; i++)
		cf->nbrs[i].blk = NULL;
	free(cf->networks_at);
	cf->networks_at = NULL;
	return ok ? 0 : -1;
}
