/* redist.c: redistribution (redist.h). */
#include <stdlib.h>
#include <string.h>

#include "../lib/json.h"
#include "../lib/log.h"
#include "../lib/strbuf.h"
#include "../lib/cfg.h"
#include "proto.h"
#include "../lib/util.h"
#include "redist.h"

static bool
allowed(const struct redist_opts *o, const char *name)
{
	for (const char *const *s = o->sources; *s != NULL; s++)
		if (strcmp(*s, name) == 0)
			return true;
	return false;
}

/* "static or connected", "static, connected or isis" */
static void
expected(const struct redist_opts *o, struct strbuf *b)
{
	for (const char *const *s = o->sources; *s != NULL; s++)
		sb_printf(b, "%s%s", s == o->sources ? "" : s[1] == NULL ? " or " : ", ", *s);
}

static bool
entry(struct redist *r, const struct cfg *e, const struct redist_opts *o)
{
	struct redist_rule rule = {.on = true, .metric = o->metric_default, .mtype = o->mtype_default};
	struct strbuf exp = STRBUF_INIT;
	const struct protocol *p;
	const char *name = NULL;
	long long v;
	bool ok = true;

	expected(o, &exp);
	if (e->type == CFG_SCALAR) {
		ok = cfg_str(e, "redistribute", &name);
	} else if (cfg_is_map(e, "redistribute entry")) {
		const struct cfg *c = cfg_get(e, "protocol");

		if (c == NULL)
			ok = cfg_error(e, "redistribute entry needs 'protocol' (%s)", sb_str(&exp));
		else
			ok = cfg_str(c, "protocol", &name);
		v = rule.metric;
		ok &= cfg_opt_int(e, "metric", 0, o->metric_max, &v);
		rule.metric = (uint32_t)v;
		if (o->mtype_default != 0) {
			v = rule.mtype;
			ok &= cfg_opt_int(e, "metric_type", 1, 2, &v);
			rule.mtype = (uint8_t)v;
		}
		if (o->route_maps && (c = cfg_get(e, "route_map")) != NULL) {
			const char *rm;

			if (cfg_str(c, "route_map", &rm)) {
				rule.route_map = xstrdup(rm);
				rule.route_map_at = c;
			} else
				ok = false;
		}
		cfg_check_unknown(e, "redistribute entry");
	} else {
		ok = false;
	}
	if (ok && (!allowed(o, name) || (p = proto_find(name)) == NULL))
		ok = cfg_error(e, "cannot redistribute '%s' into %s (expected %s)", name, o->into,
		               sb_str(&exp));
	if (ok) {
		free(r->src[proto_id(p)].route_map);
		r->src[proto_id(p)] = rule;
		r->any = true;
	} else
		free(rule.route_map);
	sb_free(&exp);
	return ok;
}

bool
redist_config(struct redist *r, const struct cfg *c, const struct redist_opts *o)
{
	bool ok = true;

	if (proto_count > REDIST_MAX_SRC)
		bug("%d protocols: raise REDIST_MAX_SRC", proto_count);
	if (c->type == CFG_SCALAR)
		return entry(r, c, o);
	if (!cfg_is_seq(c, "redistribute"))
		return false;
	for (size_t i = 0; i < c->n; i++)
		ok &= entry(r, c->v[i], o);
	return ok;
}

void
redist_free(struct redist *r)
{
	for (int i = 0; i < REDIST_MAX_SRC; i++) {
		free(r->src[i].route_map);
		r->src[i].route_map = NULL;
	}
}

bool
redist_any(const struct redist *r)
{
	return r->any;
}

static const struct redist_rule *
rule_of(const struct redist *r, const struct rib_src *src)
{
	const struct protocol *p = r->any && src ? proto_find(src->name) : NULL;

	return p != NULL && r->src[proto_id(p)].on ? &r->src[proto_id(p)] : NULL;
}

const struct redist_rule *
redist_rule(const struct redist *r, const struct rib_path *p)
{
	return p ? rule_of(r, rib_path_src(p)) : NULL;
}

bool
redist_concerns(const struct redist *r, const struct rib_change *ch)
{
	return rule_of(r, ch->src) != NULL;
}

void
redist_json(const struct redist *r, struct json *j)
{
	json_arr_begin(j);
	for (int i = 0; i < proto_count; i++) {
		if (!r->src[i].on)
			continue;
		json_obj_begin(j);
		json_kv_str(j, "protocol", proto_registry[i]->name);
		json_kv_int(j, "metric", r->src[i].metric);
		if (r->src[i].mtype)
			json_kv_int(j, "metricType", r->src[i].mtype);
		if (r->src[i].route_map)
			json_kv_str(j, "routeMap", r->src[i].route_map);
		json_obj_end(j);
	}
	json_arr_end(j);
}
