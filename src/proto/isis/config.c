/*
 * config.c: IS-IS configuration from the topology.
 *
 * Device level (`isis:` beside `interfaces:`):
 *   net: "49.0001.0000.0000.0001.00"     (or a list: several area addresses, one system ID)
 *   level: l1 | l2 | l1l2                 (the IS type; default l1l2)
 *   metric_style: wide | narrow | transition  (default wide)
 *   hostname: NAME                        (TLV 137; default the device's name)
 *   overload: true
 *   lsp_mtu: 1492
 *   redistribute: [static, connected]     (or {protocol: static, metric: 20})
 *   leak: {l2_to_l1: all | [prefixes]}    (RFC 5302, on L1L2 routers)
 *   auth: {type: text | md5, key: K}      (every PDU; IIHs unless the interface has its own)
 *   timers: {lsp_refresh: 900s, lsp_lifetime: 1200s, csnp: 10s, psnp: 2s}
 *   spf: {initial: 50ms, second: 200ms, max: 5s}, lsp_gen: {...}
 * Interface level (`isis:` inside an interface):
 *   metric, level (circuit type), passive, network_type: broadcast | point-to-point,
 *   priority, hello, hold_multiplier, padding, auth
 * A topology's `timers: fast` (net->fast_timers) starts every router from the
 * fast profile: spf and lsp_gen {initial: 10ms, second: 50ms, max: 1s}, hello 1s with
 * hold_multiplier 3 (explicit settings win).
 * Loopbacks are passive; their prefix is advertised at metric 0 unless a
 * metric is given (as Junos does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/cfg.h"
#include "../../lib/hmap.h"
#include "../../lib/util.h"
#include "../bfd/bfd.h"
#include "isis.h"

static const struct backoff_cfg spf_dflt = {50 * SIM_MS, 200 * SIM_MS, 5 * SIM_S};
static const struct backoff_cfg gen_dflt = {50 * SIM_MS, 200 * SIM_MS, 5 * SIM_S};
/* `timers: fast`: the SPF and LSP generation throttles operators set for fast convergence. */
static const struct backoff_cfg fast_dflt = {10 * SIM_MS, 50 * SIM_MS, 1 * SIM_S};

struct isis *
isis_instance(struct proto_inst *pi)
{
	struct isis *is = pi->priv;

	if (is == NULL) {
		is = xcalloc(1, sizeof(*is));
		is->pi = pi;
		is->node = pi->node;
		is->cfg.level = ISIS_LEVEL12;
		is->cfg.style = ISIS_WIDE;
		is->cfg.lsp_mtu = ISIS_LSP_MTU_DFLT;
		is->cfg.max_lifetime = ISIS_MAX_AGE;
		is->cfg.refresh = ISIS_REFRESH;
		is->cfg.csnp_interval = ISIS_CSNP_DFLT;
		is->cfg.psnp_interval = ISIS_PSNP_DFLT;
		is->cfg.spf = spf_dflt;
		slab_init_ids(&is->lsps, sizeof(struct isis_lsp), 256);
		is->cfg.lspgen = gen_dflt;
		if (pi->node->net->fast_timers)
			is->cfg.spf = is->cfg.lspgen = fast_dflt;
		for (int l = 0; l < ISIS_LEVELS; l++) {
			struct isis_level *lv = &is->lv[l];

			isis_lspdb_init(&lv->db, is, l + 1);
			timer_init_new(&lv->spf_t, &pi->node->actor, isis_spf_fire, lv);
			timer_init_new(&lv->gen_t, &pi->node->actor, isis_gen_fire, lv);
			timer_init_new(&lv->refresh_t, &pi->node->actor, isis_refresh_fire, lv);
		}
		pi->priv = is;
	}
	return is;
}

static const struct cfg_word level_words[] = {
    {"l1", ISIS_LEVEL1}, {"level-1", ISIS_LEVEL1},        {"l2", ISIS_LEVEL2},
    {"level-2", ISIS_LEVEL2}, {"l1l2", ISIS_LEVEL12}, {"level-1-2", ISIS_LEVEL12},
};

static bool
level(const struct cfg *map, uint8_t *out)
{
	const struct cfg *c = cfg_get(map, "level");
	int v;

	if (c == NULL)
		return true;
	if (!cfg_keyword(c, "level", level_words, ARRAY_LEN(level_words), "l1, l2 or l1l2", &v))
		return false;
	*out = (uint8_t)v;
	return true;
}

static bool
net_one(struct isis *is, const struct cfg *c, bool first)
{
	const char *s;
	struct isis_area a;
	uint8_t sysid[ISIS_SYSID_LEN];

	if (!cfg_str(c, "net", &s))
		return false;
	if (isis_net_parse(s, &a, sysid) < 0)
		return cfg_error(c, "'%s' is not a NET: expected an area, a system ID and NSEL 00, "
		                    "as in 49.0001.0000.0000.0001.00", s);
	if (!first && memcmp(sysid, is->cfg.sysid, ISIS_SYSID_LEN) != 0)
		return cfg_error(c, "every NET of a router has the same system ID");
	for (int i = 0; i < is->cfg.nareas; i++)
		if (is->cfg.areas[i].len == a.len && memcmp(is->cfg.areas[i].a, a.a, a.len) == 0)
			return cfg_error(c, "area %s given twice", s);
	if (is->cfg.nareas == ISIS_MAX_AREAS)
		return cfg_error(c, "at most %d area addresses (ISO 10589 maximumAreaAddresses)",
		                 ISIS_MAX_AREAS);
	memcpy(is->cfg.sysid, sysid, ISIS_SYSID_LEN);
	is->cfg.areas[is->cfg.nareas++] = a;
	return true;
}

static bool
nets(struct isis *is, const struct cfg *block)
{
	const struct cfg *c = cfg_get(block, "net");

	if (c == NULL)
		return cfg_error(block, "IS-IS needs a 'net' (e.g. \"49.0001.0000.0000.0001.00\")");
	if (c->type != CFG_SEQ)
		return net_one(is, c, true);
	if (c->n == 0)
		return cfg_error(c, "'net' lists no NET");
	for (size_t i = 0; i < c->n; i++)
		if (!net_one(is, c->v[i], i == 0))
			return false;
	return true;
}

static const struct cfg_word style_words[] = {
    {"narrow", ISIS_NARROW}, {"wide", ISIS_WIDE}, {"transition", ISIS_TRANSITION}};

static bool
key_cfg(const struct cfg *map, struct isis_key *k)
{
	static const struct cfg_word types[] = {
	    {"text", ISIS_AUTH_TEXT}, {"clear", ISIS_AUTH_TEXT}, {"md5", ISIS_AUTH_MD5},
	    {"hmac-md5", ISIS_AUTH_MD5}, {"none", 0}};
	const struct cfg *c = cfg_get(map, "auth");
	const char *key = NULL;
	int t;

	if (c == NULL)
		return true;
	if (!cfg_is_map(c, "auth"))
		return false;
	if (cfg_get(c, "type") == NULL)
		return cfg_error(c, "auth needs a 'type' (text or md5)");
	if (!cfg_keyword(cfg_get(c, "type"), "type", types, ARRAY_LEN(types), "text, md5 or none",
	                 &t) ||
	    !cfg_opt_str(c, "key", &key))
		return false;
	cfg_check_unknown(c, "auth");
	if (t == 0) {
		k->type = 0;
		return true;
	}
	if (key == NULL || *key == '\0')
		return cfg_error(c, "authentication needs a 'key'");
	if (strlen(key) > sizeof(k->key))
		return cfg_error(cfg_get(c, "key"), "a key has at most %zu characters",
		                 sizeof(k->key));
	k->type = (uint8_t)t;
	k->len = (uint8_t)strlen(key);
	memcpy(k->key, key, k->len);
	return true;
}

static bool
backoff_cfg(const struct cfg *map, const char *key, struct backoff_cfg *b)
{
	const struct cfg *c = cfg_get(map, key);
	bool ok = true;

	if (c == NULL)
		return true;
	if (!cfg_is_map(c, key))
		return false;
	ok &= cfg_opt_time(c, "initial", false, &b->initial);
	ok &= cfg_opt_time(c, "second", false, &b->second);
	ok &= cfg_opt_time(c, "max", false, &b->max);
	cfg_check_unknown(c, key);
	if (ok && (b->second < b->initial || b->max < b->second))
		return cfg_error(c, "%s: expected initial <= second <= max", key);
	return ok;
}

static bool
timers(struct isis_cfg *cf, const struct cfg *block)
{
	const struct cfg *c = cfg_get(block, "timers");
	uint32_t refresh = cf->refresh, life = cf->max_lifetime;
	bool ok = true;

	if (c == NULL)
		return true;
	if (!cfg_is_map(c, "timers"))
		return false;
	ok &= cfg_opt_seconds(c, "lsp_refresh", 65535, "IS-IS carries lifetimes in seconds",
	                      &refresh);
	ok &= cfg_opt_seconds(c, "lsp_lifetime", 65535, "IS-IS carries lifetimes in seconds",
	                      &life);
	ok &= cfg_opt_time(c, "csnp", true, &cf->csnp_interval);
	ok &= cfg_opt_time(c, "psnp", true, &cf->psnp_interval);
	cfg_check_unknown(c, "timers");
	if (!ok)
		return false;
	if (refresh >= life)
		return cfg_error(c, "lsp_refresh must be shorter than lsp_lifetime");
	if (cf->csnp_interval <= 0 || cf->psnp_interval <= 0)
		return cfg_error(c, "csnp and psnp intervals must be positive");
	cf->refresh = (uint16_t)refresh;
	cf->max_lifetime = (uint16_t)life;
	return true;
}

static bool
leak(struct isis_cfg *cf, const struct cfg *block)
{
	const struct cfg *c = cfg_get(block, "leak"), *l;

	if (c == NULL)
		return true;
	if (!cfg_is_map(c, "leak"))
		return false;
	l = cfg_get(c, "l2_to_l1");
	cfg_check_unknown(c, "leak");
	if (l == NULL)
		return cfg_error(c, "leak needs 'l2_to_l1' (all, or a list of prefixes)");
	if (l->type != CFG_SEQ) {
		const char *s;

		if (!cfg_str(l, "l2_to_l1", &s))
			return false;
		if (strcmp(s, "all") != 0)
			return cfg_error(l, "l2_to_l1: expected 'all' or a list of prefixes");
		cf->leak.all = true;
		return true;
	}
	cf->leak.pfx = xcalloc(l->n ? l->n : 1, sizeof(*cf->leak.pfx));
	for (size_t i = 0; i < l->n; i++)
		if (!cfg_prefix(l->v[i], "l2_to_l1", &cf->leak.pfx[cf->leak.n++]))
			return false;
	return true;
}

static const char *const redist_sources[] = {"connected", "static", "ospf", NULL};

int
isis_config_device(struct proto_inst *pi, const struct cfg *block)
{
	struct isis *is = isis_instance(pi);
	struct isis_cfg *cf = &is->cfg;
	const char *s = NULL;
	long long v;
	bool ok = true;
	int style;

	if (block == NULL)
		return 0; /* only interfaces have blocks: validate says what is missing */
	is->cfg_blk = block;
	if (!cfg_is_map(block, "isis"))
		return -1;
	ok &= nets(is, block);
	ok &= level(block, &cf->level);
	if (cfg_get(block, "metric_style")) {
		if (cfg_keyword(cfg_get(block, "metric_style"), "metric_style", style_words,
		                ARRAY_LEN(style_words), "narrow, wide or transition", &style))
			cf->style = (uint8_t)style;
		else
			ok = false;
	}
	if (cfg_opt_str(block, "hostname", &s)) {
		if (s != NULL && (strlen(s) == 0 || strlen(s) > 63))
			ok = cfg_error(cfg_get(block, "hostname"),
			               "a hostname has 1 to 63 characters (TLV 137)");
		else if (s != NULL)
			cf->hostname = xstrdup(s);
	} else
		ok = false;
	ok &= cfg_opt_bool(block, "overload", &cf->overload);
	v = cf->lsp_mtu;
	if (cfg_opt_int(block, "lsp_mtu", 512, 9000, &v))
		cf->lsp_mtu = (uint16_t)v;
	else
		ok = false;
	ok &= key_cfg(block, &cf->auth);
	ok &= timers(cf, block);
	ok &= backoff_cfg(block, "spf", &cf->spf);
	ok &= backoff_cfg(block, "lsp_gen", &cf->lspgen);
	ok &= leak(cf, block);
	if (cfg_get(block, "redistribute"))
		ok &= redist_config(&cf->redist, cfg_get(block, "redistribute"),
		                    &(struct redist_opts){.into = "IS-IS",
		                                          .sources = redist_sources,
		                                          .metric_max = ISIS_WIDE_MAX,
		                                          .metric_default = 0});
	if (ok && cf->hostname == NULL)
		cf->hostname = xstrdup(pi->node->name);
	cfg_check_unknown(block, "isis");
	return ok ? 0 : -1;
}

static bool
circ_level(const struct cfg *block, struct isis_circ_cfg *ic)
{
	return level(block, &ic->level);
}

static const struct cfg_word nettype_words[] = {
    {"broadcast", 0}, {"point-to-point", 1}, {"p2p", 1}};

int
isis_config_iface(struct proto_inst *pi, struct iface *ifp, const struct cfg *block)
{
	struct isis *is = isis_instance(pi);
	struct isis_circ_cfg *ic;
	long long v;
	bool ok = true;
	int nt;

	if (!cfg_is_map(block, "isis"))
		return -1;
	if (ifp->idx >= is->ncfg_if) {
		size_t n = (size_t)ifp->idx + 1;

		is->cfg_if = xrealloc(is->cfg_if, n * sizeof(*is->cfg_if));
		memset(is->cfg_if + is->ncfg_if, 0, (n - is->ncfg_if) * sizeof(*is->cfg_if));
		is->ncfg_if = n;
	}
	ic = &is->cfg_if[ifp->idx];
	ic->on = true;
	ic->blk = block;
	ic->priority = ISIS_PRIO_DFLT;
	ic->hello = pi->node->net->fast_timers ? SIM_S : ISIS_HELLO_DFLT;
	ic->hold_mult = pi->node->net->fast_timers ? 3 : ISIS_HOLD_MULT_DFLT;
	ic->padding = true;
	ic->metric = ISIS_METRIC_DFLT;
	if (cfg_get(block, "metric")) {
		/* Range by style is checked in validate (the device block may come later). */
		if (cfg_opt_int(block, "metric", 0, ISIS_WIDE_MAX, &v)) {
			ic->metric = (uint32_t)v;
			ic->metric_set = true;
		} else
			ok = false;
	}
	ok &= circ_level(block, ic);
	ok &= cfg_opt_bool(block, "passive", &ic->passive);
	ok &= cfg_opt_bool(block, "padding", &ic->padding);
	if (!cfg_opt_bool(block, "bfd", &ic->bfd))
		ok = false;
	else if (ic->bfd)
		ok &= bfd_enable(pi->node, cfg_get(block, "bfd"));
	if (cfg_get(block, "network_type")) {
		if (cfg_keyword(cfg_get(block, "network_type"), "network_type", nettype_words,
		                ARRAY_LEN(nettype_words), "broadcast or point-to-point", &nt))
			ic->p2p = nt == 1;
		else
			ok = false;
	}
	v = ic->priority;
	if (cfg_opt_int(block, "priority", 0, 127, &v))
		ic->priority = (uint8_t)v;
	else
		ok = false;
	ok &= cfg_opt_time(block, "hello", true, &ic->hello);
	if (ok && (ic->hello < SIM_S / 10 || ic->hello > 65535 * SIM_S / 4))
		ok = cfg_error(cfg_get(block, "hello"), "hello: from 100ms to 16383s");
	v = ic->hold_mult;
	if (cfg_opt_int(block, "hold_multiplier", 2, 100, &v))
		ic->hold_mult = (uint8_t)v;
	else
		ok = false;
	if (ok && ic->hello * ic->hold_mult / SIM_S > 65535)
		ok = cfg_error(block, "hello x hold_multiplier exceeds 65535 seconds");
	ok &= key_cfg(block, &ic->auth);
	cfg_check_unknown(block, "isis");
	if (ifp->kind == IF_LOOPBACK) {
		ic->passive = true;
		if (!ic->metric_set)
			ic->metric = 0;
	}
	return ok ? 0 : -1;
}

static uint64_t
sysid_key(const uint8_t *id)
{
	uint64_t k = 0;

	for (int i = 0; i < ISIS_SYSID_LEN; i++)
		k = k << 8 | id[i];
	return k;
}

/*
 * For every IS-IS router of n's network, the router with the lowest number
 * that has its system ID (itself when none before it has): once for the
 * whole network, at the first router validated, where comparing every pair
 * took a second on 10,000 routers.
 */
static void
sysid_owners(const struct node *n)
{
	struct hmap first;

	hmap_init(&first);
	for (size_t k = n->net->nnodes; k-- > 0;) {
		struct node *m = n->net->nodes[k];
		struct proto_inst *q = proto_get(m, &proto_isis);
		const struct isis *o = q ? q->priv : NULL;

		if (o != NULL && o->cfg.nareas > 0)
			hmap_put(&first, sysid_key(o->cfg.sysid), m);
	}
	for (size_t k = 0; k < n->net->nnodes; k++) {
		struct proto_inst *q = proto_get(n->net->nodes[k], &proto_isis);
		struct isis *o = q ? q->priv : NULL;

		if (o != NULL && o->cfg.nareas > 0)
			o->sysid_owner = hmap_get(&first, sysid_key(o->cfg.sysid));
	}
	hmap_free(&first);
}

int
isis_config_validate(struct proto_inst *pi)
{
	struct isis *is = pi->priv;
	struct node *n = pi->node;
	const struct node *m;
	const struct cfg *at = is->cfg_blk;
	bool ok = true;
	char b[32];

	for (size_t i = 0; i < is->ncfg_if && at == NULL; i++)
		at = is->cfg_if[i].blk;
	if (n->type != NODE_ROUTER) {
		cfg_error(at, "%s is a %s: only routers run IS-IS", n->name, node_type_name(n->type));
		return -1;
	}
	if (is->cfg.nareas == 0) {
		cfg_error(at, "%s runs IS-IS on interfaces but has no device-level 'isis:' block "
		              "with a 'net'", n->name);
		return -1;
	}
	for (size_t i = 0; i < is->ncfg_if && i < n->nifs; i++) {
		const struct isis_circ_cfg *ic = &is->cfg_if[i];

		if (!ic->on)
			continue;
		if (n->ifs[i]->addr == 0)
			ok = cfg_error(ic->blk, "%s:%s runs IS-IS but has no IP address", n->name,
			               n->ifs[i]->name);
		if (is->cfg.style == ISIS_NARROW && ic->metric > ISIS_NARROW_MAX)
			ok = cfg_error(ic->blk, "metric %u exceeds 63, the narrow metric maximum "
			                        "(use metric_style: wide)", ic->metric);
		if (is->cfg.level != ISIS_LEVEL12 && ic->level && !(ic->level & is->cfg.level))
			ok = cfg_error(ic->blk, "circuit level %s is not among the router's levels",
			               ic->level == ISIS_LEVEL1 ? "l1" : "l2");
	}
	if (is->cfg.leak.all || is->cfg.leak.n)
		if (is->cfg.level != ISIS_LEVEL12)
			ok = cfg_error(is->cfg_blk, "leaking from level 2 into level 1 needs a "
			                            "level l1l2 router");
	/* A system ID is unique in the domain: the first router that has it keeps it. */
	if (is->sysid_owner == NULL)
		sysid_owners(n);
	m = is->sysid_owner;
	if (m != n)
		ok = cfg_error(is->cfg_blk, "%s has the system ID %s of %s", n->name,
		               isis_sysid_str(is->cfg.sysid, b, sizeof(b)), m->name);
	return ok ? 0 : -1;
}

void
isis_config_free(struct isis *is)
{
	free(is->cfg.hostname);
	free(is->cfg.leak.pfx);
	free(is->cfg_if);
	is->cfg.hostname = NULL;
	is->cfg.leak.pfx = NULL;
	is->cfg_if = NULL;
}
