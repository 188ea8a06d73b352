/*
 * vrf.c: a router's VRFs (vrf.h). Route distinguishers and route targets are
 * read and written by BGP's VPN code (proto/bgp/vpn.h), FRR's syntax, and
 * kept in its wire form for L3VPN.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/cfg.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../proto/bgp/vpn.h"
#include "nht.h"
#include "rib.h"
#include "vrf.h"

int
node_vrf_id(const struct node *n, const char *name)
{
	if (strcmp(name, "default") == 0)
		return VRF_DEFAULT;
	for (size_t i = 0; i < n->nvrfs; i++)
		if (strcmp(n->vrfs[i].name, name) == 0)
			return n->vrfs[i].id;
	return -1;
}

const char *
node_vrf_name(const struct node *n, uint16_t vrf)
{
	return vrf == VRF_DEFAULT ? "default" : n->vrfs[vrf - 1].name;
}

struct vrf *
node_vrf_add(struct node *n, const char *name)
{
	struct vrf *v;

	n->vrfs = xrealloc(n->vrfs, (n->nvrfs + 1) * sizeof(*n->vrfs));
	v = &n->vrfs[n->nvrfs++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	v->id = (uint16_t)n->nvrfs;
	v->rib = rib_new(n);
	return v;
}

void
node_ribs_flush(struct node *n, const struct rib_src *src)
{
	rib_flush(n->rib, src);
	for (size_t i = 0; i < n->nvrfs; i++)
		rib_flush(n->vrfs[i].rib, src);
}

void
node_vrfs_free(struct node *n)
{
	for (size_t i = 0; i < n->nvrfs; i++) {
		struct vrf *v = &n->vrfs[i];

		nht_free_vrf(n, v->id);
		rib_free(v->rib);
		free(v->name);
		free(v->import.v);
		free(v->export.v);
	}
	free(n->vrfs);
	n->vrfs = NULL;
	n->nvrfs = 0;
}

void
vrf_rd_text(const struct vrf *v, struct strbuf *sb)
{
	struct bgp_rd rd;

	bgp_rd_decode(v->rd, &rd);
	bgp_rd_str(&rd, sb);
}

void
vrf_rt_text(const uint8_t rt[8], struct strbuf *sb)
{
	bgp_rt_str(rt, sb);
}

/* A route target at c (what: its key), FRR's syntax; false after reporting it. */
static bool
cfg_rt(const struct cfg *c, const char *what, uint8_t rt[8])
{
	const char *s;
	char err[160];

	if (!cfg_str(c, what, &s))
		return false;
	if (!bgp_rt_parse(s, rt, err, sizeof(err)))
		return cfg_error(c, "bad %s: %s", what, err);
	return true;
}

/* `import_targets: [RT, ...]` (or one RT). */
static bool
cfg_targets(const struct cfg *map, const char *key, struct vrf_rt_list *l)
{
	const struct cfg *c = cfg_get(map, key);
	bool ok = true;

	if (c == NULL)
		return true;
	if (c->type != CFG_SEQ) {
		l->v = xmalloc(sizeof(*l->v));
		if (!cfg_rt(c, key, l->v[0]))
			return false;
		l->n = 1;
		return true;
	}
	l->v = xcalloc(c->n + 1, sizeof(*l->v));
	for (size_t i = 0; i < c->n; i++) {
		if (!cfg_rt(c->v[i], key, l->v[l->n]))
			ok = false;
		else
			l->n++;
	}
	return ok;
}

static bool
vrf_name_ok(const struct cfg *c, const struct node *n, const char **out)
{
	const char *s;
	size_t len = 0;

	if (!cfg_str(c, "name", &s))
		return false;
	while (s[len] != '\0' && name_char(s[len]))
		len++;
	if (s[len] != '\0' || len == 0 || len > 15)
		return cfg_error(c, "bad VRF name '%s': 1 to 15 letters, digits, '.', '_' or '-'",
		    s);
	if (strcmp(s, "default") == 0)
		return cfg_error(c, "'default' is the default VRF's name: a VRF needs another");
	if (node_vrf_id(n, s) >= 0)
		return cfg_error(c, "duplicate VRF '%s' on %s", s, n->name);
	*out = s;
	return true;
}

/* RFC 4364 4.2: a VRF's RD tells its routes apart from other VRFs': one per VRF. */
static bool
rd_taken(const struct node *n, const uint8_t rd[8])
{
	for (size_t i = 0; i < n->nvrfs; i++)
		if (n->vrfs[i].has_rd && memcmp(n->vrfs[i].rd, rd, 8) == 0)
			return true;
	return false;
}

/* `rd:` of VRF v, FRR's syntax (RFC 4364 4.2 types 0, 1 and 2); false after reporting it. */
static bool
config_rd(struct node *n, struct vrf *v, const struct cfg *c)
{
	struct bgp_rd rd;
	struct strbuf text = STRBUF_INIT;
	const char *s;
	char err[160];
	bool ok = true;

	if (!cfg_str(c, "rd", &s))
		return false;
	if (!bgp_rd_parse(s, &rd, err, sizeof(err)))
		return cfg_error(c, "bad rd: %s", err);
	bgp_rd_encode(&rd, v->rd);
	if (rd_taken(n, v->rd)) {
		bgp_rd_str(&rd, &text);
		ok = cfg_error(c, "%s: another VRF has rd %s", n->name, sb_str(&text));
		sb_free(&text);
		return ok;
	}
	v->has_rd = true;
	return true;
}

bool
vrf_config(struct node *n, const struct cfg *list)
{
	bool ok = true;

	if (!cfg_is_seq(list, "vrfs"))
		return false;
	for (size_t i = 0; i < list->n; i++) {
		const struct cfg *e = list->v[i], *c;
		const char *name = NULL;
		struct vrf *v;

		if (!cfg_is_map(e, "vrf"))
			ok = false;
		else if ((c = cfg_get(e, "name")) == NULL)
			ok = cfg_error(e, "a VRF needs a 'name'");
		else if (n->nvrfs >= VRF_MAX)
			ok = cfg_error(c, "%s: at most %d VRFs", n->name, VRF_MAX);
		else if (!vrf_name_ok(c, n, &name))
			ok = false;
		else {
			v = node_vrf_add(n, name);
			if ((c = cfg_get(e, "rd")) != NULL && !config_rd(n, v, c))
				ok = false;
			if (!cfg_targets(e, "import_targets", &v->import))
				ok = false;
			if (!cfg_targets(e, "export_targets", &v->export))
				ok = false;
		}
		if (e->type == CFG_MAP)
			cfg_check_unknown(e, "vrf");
	}
	return ok;
}
