/*
 * config.c: OSPF configuration from the topology (YAML or Lua, as cfg trees).
 *
 * Device level (`ospf:` beside `interfaces:`):
 *   router_id: 1.1.1.1                 (else the device's router_id, else automatic)
 *   reference_bandwidth: 10G           (auto cost = reference / link bandwidth)
 *   redistribute: [static, connected]  (or {protocol: static, metric: 20, metric_type: 1})
 *   default_information: originate     (or always, or {always: true, metric: 1, metric_type: 1})
 *   areas: {1: {type: stub | nssa, no_summary: true, default_cost: 1,
 *               (nssa:) default_information_originate: true | {metric, metric_type},
 *               translate: candidate|always|never, no_redistribution: true,
 *               ranges: [10.1.0.0/16, {prefix: 10.2.0.0/16, advertise: false, cost: 5}]}}
 *   spf: {delay: 0, hold: 50, max_hold: 5000}      (milliseconds, or "1s")
 *   timers: {hello: 10, dead: 40, retransmit: 5, transmit_delay: 1}  (seconds),
 *           flood_pacing: 33ms (0: no pacing), lsa_min_interval: 5s, lsa_min_arrival: 1s
 *           (milliseconds, or "1s")
 *   timers: fast       the fast-timers profile (below); also topology-wide (`timers: fast`
 *                      at the top of a topology: net->fast_timers)
 * Interface level (`ospf:` inside an interface):
 *   area (required), cost, network_type: broadcast|point-to-point|point-to-multipoint|
 *   point-to-multipoint non-broadcast|nbma, priority,
 *   hello, dead, retransmit, transmit_delay (seconds), hello_multiplier (fast
 *   Hellos: N a second, dead 1 s), passive,
 *   authentication: {type: simple, key: K} | {type: md5 or hmac-sha-1/256/384/512,
 *                   key_id: N, key: K} | none
 *   (also at device level, for every interface without its own),
 *   neighbors: [10.0.0.2, {ip: 10.0.0.3, priority: 0}] and poll (NBMA only); neighbors,
 *   without priorities, for point-to-multipoint non-broadcast (required there).
 *
 * Errors are reported at the offending YAML node (file:line:col) and every
 * error of a file is reported in one go.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/hash.h"
#include "../../lib/util.h"
#include "../../lib/cfg.h"
#include "../bfd/bfd.h"
#include "ospf.h"

/*
 * `timers: fast`: what operators configure for fast convergence on FRR or
 * IOS (fast Hellos, `ip ospf dead-interval minimal hello-multiplier 4`;
 * `timers throttle spf 0 10 1000`, `timers throttle lsa all 20`, `timers lsa
 * min-arrival 15`, retransmit 1 s). A broadcast segment still waits the dead
 * interval (the Wait timer, RFC 2328 9.4) before it elects its DR: 1 s
 * instead of 40 s. Explicit settings beside it win.
 */
static void
fast_profile(struct ospf_cfg *c)
{
	c->hello_mult = 4;
	c->rxmt = 1;
	c->spf_delay = 0;
	c->spf_hold = 10 * SIM_MS;
	c->spf_maxhold = 1 * SIM_S;
	c->lsa_min_interval = 20 * SIM_MS;
	c->lsa_min_arrival = 15 * SIM_MS;
}

static struct ospf *
instance(struct proto_inst *pi)
{
	struct ospf *o = pi->priv;

	if (o == NULL) {
		o = xcalloc(1, sizeof(*o));
		o->node = pi->node;
		o->pi = pi;
		o->cfg.spf_delay = OSPF_SPF_DELAY_DFLT;
		o->cfg.spf_hold = OSPF_SPF_HOLD_DFLT;
		o->cfg.spf_maxhold = OSPF_SPF_MAXHOLD_DFLT;
		o->cfg.flood_pacing = OSPF_FLOOD_PACING_DFLT;
		o->cfg.lsa_min_interval = OSPF_MIN_LS_INTERVAL * SIM_S;
		o->cfg.lsa_min_arrival = OSPF_MIN_LS_ARRIVAL * SIM_S;
		if (pi->node->net->fast_timers)
			fast_profile(&o->cfg);
		/* Timers are valid (not pending) from the start, even if the protocol never runs.
		 */
		timer_init(&o->spf_t, &pi->node->actor, ospf_spf_fire, o);
		timer_init(&o->orig_t, &pi->node->actor, ospf_orig_fire, o);
		timer_init(&o->refresh_t, &pi->node->actor, ospf_orig_refresh_fire, o);
		timer_init(&o->nssa_t, &pi->node->actor, ospf_nssa_fire, o);
		ospf_lsdb_timers_init(o);
		ospf_lsdb_init(&o->as_db, o, NULL);
		pi->priv = o;
	}
	return o;
}

/* Whole seconds from 1 to max ("10", "10s"), in a 16-bit field of the packet. */
static bool
seconds(const struct cfg *map, const char *key, long long max, uint16_t *out16)
{
	uint32_t v = *out16;

	if (!cfg_opt_seconds(map, key, max, "OSPF carries it in seconds", &v))
		return false;
	*out16 = (uint16_t)v;
	return true;
}

static bool
timers(const struct cfg *map, uint16_t *hello, uint16_t *dead, uint16_t *rxmt, uint16_t *td)
{
	bool ok = true;

	ok &= seconds(map, "hello", 65535, hello);
	ok &= seconds(map, "dead", 65535, dead);
	ok &= seconds(map, "retransmit", 65535, rxmt);
	ok &= seconds(map, "transmit_delay", 3600, td);
	return ok;
}

/*
 * `hello_multiplier: N`, FRR's `ip ospf dead-interval minimal hello-multiplier
 * N`: a dead interval of 1 s and N Hellos a second, their HelloInterval field 0
 * (which such a router does not check, as FRR). With `hello` or `dead` beside it
 * the setting is contradictory.
 */
static bool
hello_mult(const struct cfg *map, uint8_t *out)
{
	const struct cfg *c = cfg_get(map, "hello_multiplier");
	long long v = *out;

	if (c == NULL)
		return true;
	if (!cfg_opt_int(map, "hello_multiplier", 1, 20, &v))
		return false;
	if (cfg_get(map, "hello") || cfg_get(map, "dead"))
		return cfg_error(c, "hello_multiplier sets the dead interval to 1 s and the Hellos: "
		                    "not with 'hello' or 'dead'");
	*out = (uint8_t)v;
	return true;
}

/* RFC 5709's algorithms by name (0, HASH_MD5, for none of them). */
static uint8_t
hmac_alg(const char *name)
{
	static const struct {
		const char *name;
		enum hash_alg alg;
	} v[] = {{"hmac-sha-1", HASH_SHA1},
	         {"hmac-sha-256", HASH_SHA256},
	         {"hmac-sha-384", HASH_SHA384},
	         {"hmac-sha-512", HASH_SHA512}};

	for (size_t i = 0; i < ARRAY_LEN(v); i++)
		if (strcmp(name, v[i].name) == 0)
			return (uint8_t)v[i].alg;
	return HASH_MD5;
}

/* One key of at most max characters under key ID id, its ID not taken yet. */
static bool
key_entry(struct ospf_auth *a, const struct cfg *at, const char *type, const char *key,
          long long id, size_t max)
{
	struct ospf_key *k = &a->keys[a->nkeys];

	if (key == NULL || *key == '\0')
		return cfg_error(at, "%s authentication needs a 'key'", type);
	if (strlen(key) > max)
		return cfg_error(cfg_get(at, "key"), "a %s key has at most %zu characters", type,
		                 max);
	for (int i = 0; i < a->nkeys; i++)
		if (a->keys[i].id == id)
			return cfg_error(at, "key ID %lld given twice", id);
	memcpy(k->bytes, key, strlen(key));
	k->len = (uint8_t)strlen(key);
	k->id = (uint8_t)id;
	k->send_from = k->accept_from = 0;
	k->send_until = k->accept_until = SIM_NEVER;
	a->nkeys++;
	return true;
}

/* A key's lifetime (D.3): `<what>_from` and `<what>_until`, simulated times. */
static bool
key_window(const struct cfg *e, const char *what, sim_time *from, sim_time *until)
{
	char kf[32], ku[32];
	const struct cfg *c;

	snprintf(kf, sizeof(kf), "%s_from", what);
	snprintf(ku, sizeof(ku), "%s_until", what);
	if (!cfg_opt_time(e, kf, true, from) || !cfg_opt_time(e, ku, true, until))
		return false;
	if ((c = cfg_get(e, ku)) != NULL && *until <= *from)
		return cfg_error(c, "%s must come after %s", ku, kf);
	return true;
}

/* D.3: some key must be usable from the start, for sending and for accepting. */
static bool
keys_cover_start(const struct ospf_auth *a, const struct cfg *at)
{
	bool send = false, accept = false;

	for (int i = 0; i < a->nkeys; i++) {
		send |= a->keys[i].send_from == 0;
		accept |= a->keys[i].accept_from == 0;
	}
	if (!send || !accept)
		return cfg_error(at, "no key may %s at time 0 (give one key %s_from: 0)",
		                 send ? "be accepted" : "send", send ? "accept" : "send");
	return true;
}

/*
 * `authentication: none | {type: simple, key: K} | {type: md5, key_id: N, key: K}`
 * (or type hmac-sha-1, -256, -384, -512: RFC 5709), or with `keys: [{key_id, key}...]`
 * for a rollover: the last is the youngest, under which packets go out. Keys
 * in `keys` may have lifetimes (D.3): send_from, send_until, accept_from,
 * accept_until (simulated times: 90, 90s, 2m).
 * (RFC 2328 D; "message-digest" as Cisco and FRR say it works too).
 */
static bool
auth_entry(const struct cfg *c, struct ospf_auth *a)
{
	const char *type = NULL, *key = NULL;
	const struct cfg *ks;
	long long id = 1;
	size_t max;

	memset(a, 0, sizeof(*a));
	if (c->type == CFG_SCALAR) {
		if (!cfg_str(c, "authentication", &type))
			return false;
		if (strcmp(type, "none") == 0 || strcmp(type, "null") == 0)
			return true;
		return cfg_error(c,
		                 "bad authentication '%s' (expected none, {type: simple, key: ...} or "
		                 "{type: md5, key_id: N, key: ...})",
		                 type);
	}
	if (!cfg_is_map(c, "authentication"))
		return false;
	if (!cfg_opt_str(c, "type", &type) || !cfg_opt_str(c, "key", &key) ||
	    !cfg_opt_int(c, "key_id", 0, 255, &id))
		return false;
	if (type == NULL)
		return cfg_error(c, "authentication needs a 'type' (none, simple or md5)");
	if (strcmp(type, "none") == 0 || strcmp(type, "null") == 0) {
		cfg_check_unknown(c, "authentication");
		return true;
	}
	if (strcmp(type, "simple") == 0) {
		a->type = OSPF_AUTH_SIMPLE;
		max = 8;
	} else if (strcmp(type, "md5") == 0 || strcmp(type, "message-digest") == 0) {
		a->type = OSPF_AUTH_CRYPT;
		a->alg = HASH_MD5;
		max = 16;
	} else if ((a->alg = hmac_alg(type)) != 0) {
		a->type = OSPF_AUTH_CRYPT;
		max = OSPF_AUTH_KEY_MAX;
	} else {
		return cfg_error(cfg_get(c, "type"),
		                 "unknown authentication type '%s' (expected none, simple, md5, "
		                 "hmac-sha-1, hmac-sha-256, hmac-sha-384 or hmac-sha-512)",
		                 type);
	}
	if ((ks = cfg_get(c, "keys")) != NULL) {
		if (key != NULL || cfg_get(c, "key_id"))
			return cfg_error(ks, "'keys' replaces 'key' and 'key_id': give one or the other");
		if (a->type == OSPF_AUTH_SIMPLE)
			return cfg_error(ks, "'keys' is for cryptographic authentication");
		if (!cfg_is_seq(ks, "keys"))
			return false;
		if (ks->n == 0 || ks->n > OSPF_AUTH_KEYS_MAX)
			return cfg_error(ks, "'keys' takes 1 to %d keys", OSPF_AUTH_KEYS_MAX);
		for (size_t i = 0; i < ks->n; i++) {
			const char *kk = NULL;

			id = 1;
			if (!cfg_is_map(ks->v[i], "key") || !cfg_opt_str(ks->v[i], "key", &kk) ||
			    !cfg_opt_int(ks->v[i], "key_id", 0, 255, &id))
				return false;
			if (!key_entry(a, ks->v[i], type, kk, id, max))
				return false;
			if (!key_window(ks->v[i], "send", &a->keys[i].send_from,
			                &a->keys[i].send_until) ||
			    !key_window(ks->v[i], "accept", &a->keys[i].accept_from,
			                &a->keys[i].accept_until))
				return false;
			cfg_check_unknown(ks->v[i], "key");
		}
		if (!keys_cover_start(a, ks))
			return false;
	} else {
		if (a->type == OSPF_AUTH_SIMPLE && cfg_get(c, "key_id"))
			return cfg_error(cfg_get(c, "key_id"), "'key_id' is for md5 authentication");
		if (!key_entry(a, c, type, key, id, max))
			return false;
	}
	cfg_check_unknown(c, "authentication");
	return true;
}

/* `default_information: originate | always | {always, metric, metric_type}`. */
static bool
definfo_entry(struct ospf *o, const struct cfg *c)
{
	struct ospf_definfo d = {true, false, 0, 2};
	long long v;

	if (c->type == CFG_SCALAR) {
		const char *s;

		if (!cfg_str(c, "default_information", &s))
			return false;
		if (strcmp(s, "always") == 0)
			d.always = true;
		else if (strcmp(s, "originate") != 0)
			return cfg_error(c,
			                 "bad default_information '%s' (expected originate, always, "
			                 "or {always, metric, metric_type})",
			                 s);
	} else if (cfg_is_map(c, "default_information")) {
		if (!cfg_opt_bool(c, "always", &d.always))
			return false;
	} else {
		return false;
	}
	v = d.always ? OSPF_DEFINFO_ALWAYS_METRIC_DFLT : OSPF_DEFINFO_METRIC_DFLT;
	if (c->type != CFG_SCALAR) {
		if (!cfg_opt_int(c, "metric", 0, OSPF_LS_INFINITY - 1, &v))
			return false;
	}
	d.metric = (uint32_t)v;
	if (c->type != CFG_SCALAR) {
		v = d.mtype;
		if (!cfg_opt_int(c, "metric_type", 1, 2, &v))
			return false;
		d.mtype = (uint8_t)v;
		cfg_check_unknown(c, "default_information");
	}
	o->cfg.definfo = d;
	return true;
}

/* RFC 2328 12.4.4: what an ASBR may take in, with external metric types 1 and 2. */
static const char *const redist_sources[] = {"static", "connected", "bgp", NULL};
static const struct redist_opts redist_opts = {
    "OSPF", redist_sources, OSPF_LS_INFINITY - 1, OSPF_EXT_METRIC_DFLT, 2, false,
};

/* `ranges: [10.1.0.0/16, {prefix: 10.2.0.0/16, advertise: false}, {prefix: ..., cost: 5}]` */
static bool
range_entry(struct ospf_area_cfg *a, const struct cfg *e)
{
	struct ospf_range r = {.advertise = true};
	const struct cfg *p = e;
	long long cost = 0;
	size_t cap;

	if (e->type != CFG_SCALAR) {
		if (!cfg_is_map(e, "range"))
			return false;
		if ((p = cfg_get(e, "prefix")) == NULL)
			return cfg_error(e, "range needs 'prefix'");
		if (!cfg_opt_bool(e, "advertise", &r.advertise))
			return false;
		r.has_cost = cfg_get(e, "cost") != NULL;
		if (!cfg_opt_int(e, "cost", 0, OSPF_LS_INFINITY - 1, &cost))
			return false;
		r.cost = (uint32_t)cost;
		if (r.has_cost && !r.advertise)
			return cfg_error(cfg_get(e, "cost"), "a range that is not advertised has no cost");
		cfg_check_unknown(e, "range");
	}
	if (!cfg_prefix(p, "range", &r.pfx))
		return false;
	if (r.pfx.len == 0)
		return cfg_error(p, "range 0.0.0.0/0 would summarise everything");
	for (size_t i = 0; i < a->nranges; i++)
		if (prefix_eq(&a->ranges[i].pfx, &r.pfx))
			return cfg_error(p, "range %s configured twice", prefix_str(&r.pfx));
	cap = a->nranges; /* grown one at a time: the capacity is the count */
	VEC_PUSH(a->ranges, a->nranges, cap, r);
	return true;
}

static bool
area_entry(struct ospf *o, const struct cfg *k, const struct cfg *v)
{
	struct ospf_area_cfg a = {.default_cost = 1};
	const struct cfg *c;
	long long cost = 1;
	bool ok = true;

	if (!cfg_dotted32(k, "area", &a.id))
		return false;
	for (size_t i = 0; i < o->cfg.nareas; i++)
		if (o->cfg.areas[i].id == a.id)
			return cfg_error(k, "area %s configured twice", ospf_area_str(a.id));
	if (!cfg_is_map(v, "area"))
		return false;
	if ((c = cfg_get(v, "type")) != NULL) {
		static const struct cfg_word types[] = {{"normal", 0}, {"stub", 1}, {"nssa", 2}};
		int t = 0;

		ok &= cfg_keyword(c, "area type", types, ARRAY_LEN(types), "normal, stub or nssa", &t);
		a.stub = t == 1;
		a.nssa = t == 2;
	}
	if (!cfg_opt_bool(v, "no_summary", &a.no_summary) ||
	    !cfg_opt_int(v, "default_cost", 0, OSPF_LS_INFINITY - 1, &cost) ||
	    !cfg_opt_bool(v, "no_redistribution", &a.no_redistribution))
		ok = false;
	if ((c = cfg_get(v, "default_information_originate")) != NULL) {
		/* true, or {metric: N, metric_type: 1|2} (FRR's and Cisco's knobs). */
		long long m = cost, mt = 2;

		if (c->type == CFG_SCALAR) {
			ok &= cfg_opt_bool(v, "default_information_originate", &a.nssa_default);
		} else if (cfg_is_map(c, "default_information_originate")) {
			a.nssa_default = true;
			ok &= cfg_opt_int(c, "metric", 0, OSPF_LS_INFINITY - 1, &m);
			ok &= cfg_opt_int(c, "metric_type", 1, 2, &mt);
			a.nssa_default_e1 = mt == 1;
			cfg_check_unknown(c, "default_information_originate");
		} else {
			ok = false;
		}
		a.nssa_default_metric = (uint32_t)m;
	}
	if ((c = cfg_get(v, "translate")) != NULL) {
		static const struct cfg_word roles[] = {{"candidate", OSPF_NSSA_CANDIDATE},
		                                    {"always", OSPF_NSSA_ALWAYS},
		                                    {"never", OSPF_NSSA_NEVER}};
		int r = a.translate;

		ok &= cfg_keyword(c, "translate", roles, ARRAY_LEN(roles), "candidate, always or never", &r);
		a.translate = r;
	}
	a.default_cost = (uint32_t)cost;
	if ((c = cfg_get(v, "ranges")) != NULL) {
		if (cfg_is_seq(c, "ranges"))
			for (size_t i = 0; i < c->n; i++)
				ok &= range_entry(&a, c->v[i]);
		else
			ok = false;
	}
	if (a.id == 0 && (a.stub || a.nssa))
		ok = cfg_error(k, "the backbone (area 0) cannot be %s area", a.stub ? "a stub" : "an NSSA");
	if (!a.stub && !a.nssa && (cfg_get(v, "no_summary") || cfg_get(v, "default_cost")))
		ok = cfg_error(k, "'no_summary' and 'default_cost' are for stub and NSSA areas");
	if (!a.nssa && (cfg_get(v, "default_information_originate") || cfg_get(v, "translate") ||
	                cfg_get(v, "no_redistribution")))
		ok = cfg_error(k, "'default_information_originate', 'translate' and "
		                  "'no_redistribution' are for NSSA areas");
	cfg_check_unknown(v, "area");
	if (ok) {
		size_t cap = o->cfg.nareas;

		VEC_PUSH(o->cfg.areas, o->cfg.nareas, cap, a);
	} else {
		free(a.ranges);
	}
	return ok;
}

int
ospf_config_device(struct proto_inst *pi, const struct cfg *blk)
{
	struct ospf *o = instance(pi);
	const struct cfg *c;
	bool ok = true;

	if (blk == NULL)
		return 0;
	if (!cfg_is_map(blk, "ospf"))
		return -1;
	o->cfg_blk = blk;
	/* The profile first: the keys beside it (spf:) override its values. */
	if ((c = cfg_get(blk, "timers")) != NULL && c->type == CFG_SCALAR) {
		static const struct cfg_word profiles[] = {{"default", 0}, {"fast", 1}};
		int fast = -1;

		if (!cfg_keyword(c, "timers", profiles, ARRAY_LEN(profiles),
		                 "a map of timers, or the profile 'fast' or 'default'", &fast))
			ok = false;
		else if (fast == 1)
			fast_profile(&o->cfg);
	}
	if ((c = cfg_get(blk, "vrf")) != NULL) {
		const char *name;
		int id;

		if (!cfg_str(c, "vrf", &name))
			ok = false;
		else if ((id = node_vrf_id(pi->node, name)) < 0)
			ok = cfg_error(c, "vrf: %s is not a VRF of %s (vrfs:)", name, pi->node->name);
		else
			o->cfg.vrf = (uint16_t)id;
	}
	if ((c = cfg_get(blk, "router_id")) != NULL && !cfg_ip(c, "router_id", &o->cfg.router_id))
		ok = false;
	else if (c != NULL && ip_not_unicast(o->cfg.router_id) != NULL)
		ok = cfg_error(c, "router_id %s is %s, not a valid OSPF router ID",
		               ip_str(o->cfg.router_id), ip_not_unicast(o->cfg.router_id));
	if ((c = cfg_get(blk, "reference_bandwidth")) != NULL &&
	    (!cfg_bandwidth(c, "reference_bandwidth", &o->cfg.ref_bw) || o->cfg.ref_bw == 0))
		ok = cfg_error(c, "bad 'reference_bandwidth' (expected e.g. 100M, 10G)");
	if ((c = cfg_get(blk, "redistribute")) != NULL)
		ok &= redist_config(&o->cfg.redist, c, &redist_opts);
	if ((c = cfg_get(blk, "default_information")) != NULL)
		ok &= definfo_entry(o, c);
	if ((c = cfg_get(blk, "authentication")) != NULL)
		ok &= auth_entry(c, &o->cfg.auth);
	if ((c = cfg_get(blk, "areas")) != NULL) {
		if (c->type == CFG_SEQ) {
			/* [{id: 1, type: stub}, ...]: the form a Lua table of areas takes. */
			for (size_t i = 0; i < c->n; i++) {
				const struct cfg *e = c->v[i], *id;

				if (!cfg_is_map(e, "area"))
					ok = false;
				else if ((id = cfg_get(e, "id")) == NULL)
					ok = cfg_error(e, "an area in a list needs an 'id'");
				else
					ok &= area_entry(o, id, e);
			}
		} else if (cfg_is_map(c, "areas")) {
			for (size_t i = 0; i < c->n; i++) {
				cfg_get(c, c->k[i]->str);
				ok &= area_entry(o, c->k[i], c->v[i]);
			}
		} else {
			ok = false;
		}
	}
	if ((c = cfg_get(blk, "spf")) != NULL) {
		if (cfg_is_map(c, "spf")) {
			ok &= cfg_opt_time(c, "delay", false, &o->cfg.spf_delay);
			ok &= cfg_opt_time(c, "hold", false, &o->cfg.spf_hold);
			ok &= cfg_opt_time(c, "max_hold", false, &o->cfg.spf_maxhold);
			if (o->cfg.spf_maxhold < o->cfg.spf_hold)
				ok = cfg_error(c, "spf: max_hold must not be below hold");
			cfg_check_unknown(c, "spf");
		} else {
			ok = false;
		}
	}
	if ((c = cfg_get(blk, "timers")) != NULL && c->type != CFG_SCALAR) {
		if (cfg_is_map(c, "timers")) {
			ok &= timers(c, &o->cfg.hello, &o->cfg.dead, &o->cfg.rxmt,
			             &o->cfg.transdelay);
			ok &= hello_mult(c, &o->cfg.hello_mult);
			ok &= cfg_opt_time(c, "flood_pacing", false, &o->cfg.flood_pacing);
			ok &= cfg_opt_time(c, "lsa_min_interval", false, &o->cfg.lsa_min_interval);
			ok &= cfg_opt_time(c, "lsa_min_arrival", false, &o->cfg.lsa_min_arrival);
			cfg_check_unknown(c, "timers");
		} else {
			ok = false;
		}
	}
	cfg_check_unknown(blk, "ospf");
	return ok ? 0 : -1;
}

static bool
nbma_nbrs(struct ospf_if_cfg *ic, const struct cfg *c)
{
	bool ok = true;

	if (!cfg_is_seq(c, "neighbors"))
		return false;
	ic->nbrs = xcalloc(c->n ? c->n : 1, sizeof(*ic->nbrs));
	for (size_t i = 0; i < c->n; i++) {
		const struct cfg *e = c->v[i];
		struct ospf_nbma_nbr nb = {0, OSPF_PRIO_DFLT};

		if (e->type == CFG_SCALAR) {
			ok &= cfg_ip(e, "neighbors", &nb.addr);
		} else if (cfg_is_map(e, "neighbor")) {
			const struct cfg *ipc = cfg_get(e, "ip");
			long long prio = nb.prio;

			if (ipc == NULL)
				ok = cfg_error(e, "NBMA neighbor needs 'ip'");
			else
				ok &= cfg_ip(ipc, "ip", &nb.addr);
			if (ic->type == OSPF_IFT_P2MP_NB && cfg_get(e, "priority") != NULL)
				ok = cfg_error(cfg_get(e, "priority"),
				               "a point-to-multipoint neighbor has no priority "
				               "(there is no DR)");
			ok &= cfg_opt_int(e, "priority", 0, 255, &prio);
			nb.prio = (uint8_t)prio;
			cfg_check_unknown(e, "neighbor");
		} else {
			ok = false;
		}
		ic->nbrs[ic->nnbrs++] = nb;
	}
	return ok;
}

int
ospf_config_iface(struct proto_inst *pi, struct iface *ifp, const struct cfg *blk)
{
	struct ospf *o = instance(pi);
	struct ospf_if_cfg *ic;
	const struct cfg *c;
	bool ok = true;
	long long v;

	if (o->cfg.nifs <= ifp->idx) {
		size_t n = (size_t)ifp->idx + 1;

		o->cfg.ifs = xrealloc(o->cfg.ifs, n * sizeof(*o->cfg.ifs));
		memset(o->cfg.ifs + o->cfg.nifs, 0, (n - o->cfg.nifs) * sizeof(*o->cfg.ifs));
		o->cfg_ifblk = xrealloc(o->cfg_ifblk, n * sizeof(*o->cfg_ifblk));
		memset(o->cfg_ifblk + o->cfg.nifs, 0, (n - o->cfg.nifs) * sizeof(*o->cfg_ifblk));
		o->cfg.nifs = n;
	}
	o->cfg_ifblk[ifp->idx] = blk;
	ic = &o->cfg.ifs[ifp->idx];
	memset(ic, 0, sizeof(*ic));
	ic->present = true;
	ic->cost = -1;
	ic->type = -1;
	ic->prio = OSPF_PRIO_DFLT;
	ic->poll = OSPF_POLL_DFLT;
	if (!cfg_is_map(blk, "ospf"))
		return -1;
	if ((c = cfg_get(blk, "area")) == NULL)
		ok = cfg_error(blk, "%s:%s: ospf needs an 'area'", pi->node->name, ifp->name);
	else if (!cfg_dotted32(c, "area", &ic->area))
		ok = false;
	v = -1;
	if (!cfg_opt_int(blk, "cost", 1, 65535, &v))
		ok = false;
	ic->cost = (int)v;
	if ((c = cfg_get(blk, "network_type")) != NULL) {
		static const struct cfg_word types[] = {
		    {"broadcast", OSPF_IFT_BROADCAST},
		    {"point-to-point", OSPF_IFT_P2P},
		    {"point_to_point", OSPF_IFT_P2P},
		    {"p2p", OSPF_IFT_P2P},
		    {"nbma", OSPF_IFT_NBMA},
		    {"non-broadcast", OSPF_IFT_NBMA},
		    {"point-to-multipoint", OSPF_IFT_P2MP},
		    {"point_to_multipoint", OSPF_IFT_P2MP},
		    {"p2mp", OSPF_IFT_P2MP},
		    {"point-to-multipoint non-broadcast", OSPF_IFT_P2MP_NB},
		    {"point-to-multipoint-non-broadcast", OSPF_IFT_P2MP_NB}};
		int t = ic->type;

		ok &= cfg_keyword(c, "network_type", types, ARRAY_LEN(types),
		              "broadcast, point-to-point, point-to-multipoint, "
		              "point-to-multipoint non-broadcast or nbma",
		              &t);
		ic->type = t;
	}
	v = ic->prio;
	if (!cfg_opt_int(blk, "priority", 0, 255, &v))
		ok = false;
	ic->prio = (uint8_t)v;
	ok &= timers(blk, &ic->hello, &ic->dead, &ic->rxmt, &ic->transdelay);
	ok &= hello_mult(blk, &ic->hello_mult);
	ic->dead_set = cfg_get(blk, "dead") != NULL;
	ok &= cfg_opt_seconds(blk, "poll", 65535, "OSPF carries it in seconds", &ic->poll);
	if (!cfg_opt_bool(blk, "passive", &ic->passive))
		ok = false;
	if (!cfg_opt_bool(blk, "bfd", &ic->bfd))
		ok = false;
	else if (ic->bfd)
		ok &= bfd_enable(pi->node, cfg_get(blk, "bfd"));
	if ((c = cfg_get(blk, "authentication")) != NULL) {
		ic->auth_set = true;
		ok &= auth_entry(c, &ic->auth);
	}
	if ((c = cfg_get(blk, "neighbors")) != NULL) {
		if (!OSPF_IFT_UNICAST(ic->type))
			ok = cfg_error(c, "'neighbors' is for network_type: nbma or "
			                  "point-to-multipoint non-broadcast");
		else
			ok &= nbma_nbrs(ic, c);
	} else if (ic->type == OSPF_IFT_P2MP_NB && ifp->kind != IF_LOOPBACK) {
		ok = cfg_error(cfg_get(blk, "network_type"),
		               "%s:%s: point-to-multipoint non-broadcast needs 'neighbors' (it "
		               "cannot discover them)",
		               pi->node->name, ifp->name);
	}
	if (cfg_get(blk, "poll") && ic->type != OSPF_IFT_NBMA)
		ok = cfg_error(cfg_get(blk, "poll"), "'poll' is for network_type: nbma");
	if (ifp->kind == IF_LOOPBACK && ic->type >= 0)
		ok = cfg_error(cfg_get(blk, "network_type"),
		               "%s is a loopback: it has no network "
		               "type",
		               ifp->name);
	cfg_check_unknown(blk, "ospf interface");
	return ok ? 0 : -1;
}

void
ospf_config_free(struct ospf_cfg *c)
{
	for (size_t i = 0; i < c->nifs; i++)
		free(c->ifs[i].nbrs);
	free(c->ifs);
	for (size_t i = 0; i < c->nareas; i++)
		free(c->areas[i].ranges);
	free(c->areas);
	memset(c, 0, sizeof(*c));
}

/* The router ID: configured under ospf:, else the device's (node_router_id). */
uint32_t
ospf_config_router_id(const struct ospf *o, const char **how)
{
	if (o->cfg.router_id) {
		*how = "configured";
		return o->cfg.router_id;
	}
	return node_router_id(o->node, how);
}

/*
 * Interface cost (FRR's rules): a configured cost; loopbacks 0 (as FRR
 * advertises them); else reference bandwidth / link bandwidth, at least 1.
 * The reference is 100 Mbit/s unless reference_bandwidth is set. A link
 * without a bandwidth counts as 10 Mbit/s by default (FRR's speed for an
 * interface whose speed it cannot learn, hence cost 10 as in FRR labs), and
 * as 1 Gbit/s once reference_bandwidth is configured.
 */
uint16_t
ospf_config_cost(const struct ospf *o, const struct iface *ifp, const struct ospf_if_cfg *ic)
{
	uint64_t ref = o->cfg.ref_bw ? o->cfg.ref_bw : OSPF_REFBW_DFLT, bw, cost;
	const struct iface *phys = ifp->parent ? ifp->parent : ifp;

	if (ic->cost >= 0)
		return (uint16_t)ic->cost;
	if (ifp->kind == IF_LOOPBACK)
		return 0;
	bw = phys->link && phys->link->bandwidth ? phys->link->bandwidth : 0;
	if (bw == 0)
		bw = o->cfg.ref_bw ? 1000000000ULL : 10000000ULL;
	cost = ref / bw;
	return (uint16_t)MAX(1, MIN(cost, 65535));
}

int
ospf_config_validate(struct proto_inst *pi)
{
	struct ospf *o = instance(pi);
	struct node *n = pi->node;
	const struct cfg *at = o->cfg_blk;
	const char *how;
	bool ok = true, any = false;
	uint32_t rid;

	for (size_t i = 0; i < o->cfg.nifs && at == NULL; i++)
		at = o->cfg_ifblk[i];
	if (n->type != NODE_ROUTER) {
		if (at)
			cfg_error(at, "%s is a %s: only routers run OSPF", n->name,
			          node_type_name(n->type));
		return -1;
	}
	for (size_t i = 0; i < o->cfg.nifs && i < n->nifs; i++) {
		struct ospf_if_cfg *ic = &o->cfg.ifs[i];
		struct iface *ifp = n->ifs[i];

		if (!ic->present)
			continue;
		any = true;
		if (ifp->addr == 0) {
			ok = cfg_error(o->cfg_ifblk[i],
			               "%s:%s runs OSPF but has no IP address "
			               "(unnumbered interfaces are not supported)",
			               n->name, ifp->name);
			continue;
		}
		for (size_t k = 0; k < ic->nnbrs; k++) {
			struct prefix p = iface_prefix(ifp);

			if (!prefix_contains(&p, ic->nbrs[k].addr) || ic->nbrs[k].addr == ifp->addr)
				ok = cfg_error(o->cfg_ifblk[i],
				               "NBMA neighbor %s is not on the subnet "
				               "of %s:%s",
				               ip_str(ic->nbrs[k].addr), n->name, ifp->name);
		}
	}
	rid = ospf_config_router_id(o, &how);
	if (rid == 0 && any) {
		cfg_error(at,
		          "%s: no router ID for OSPF: set router_id or give an interface an "
		          "address",
		          n->name);
		ok = false;
	}
	/* Two routers with one router ID break OSPF everywhere: refuse it. */
	for (size_t i = 0; i < n->net->nnodes && rid; i++) {
		struct node *m = n->net->nodes[i];
		struct proto_inst *mp;
		const char *h2;

		if (m == n)
			break;
		mp = m->pi ? proto_get(m, pi->proto) : NULL;
		if (mp && mp->priv && ospf_config_router_id(mp->priv, &h2) == rid) {
			cfg_error(at, "%s: OSPF router ID %s is also %s's", n->name, ip_str(rid),
			          m->name);
			ok = false;
		}
	}
	/* Positions die with the document. */
	free(o->cfg_ifblk);
	o->cfg_ifblk = NULL;
	o->cfg_blk = NULL;
	return ok ? 0 : -1;
}
