/* vrf.c: a router's VRFs, their route distinguishers and route targets (vrf.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/cfg.h"
#include "../lib/util.h"
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

/* A decimal number of at most max, the whole of [s, end). */
static bool
number(const char *s, const char *end, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/*
 * RFC 4364 4.2: ADMINISTRATOR:ASSIGNED. An administrator with dots is an
 * IPv4 address (type 1, a 16-bit number); a number up to 65535 a 2-byte ASN
 * (type 0, a 32-bit number); a larger one a 4-byte ASN (type 2, a 16-bit
 * number), as FRR and IOS read them.
 */
bool
vrf_rd_parse(const char *s, vrf_rd *out, char *err, size_t errlen)
{
	const char *colon = strrchr(s, ':'), *end = s + strlen(s);
	uint64_t admin, nn;
	uint32_t addr;
	char ip[20];

	if (colon == NULL || strchr(s, ':') != colon) {
		snprintf(err, errlen, "expected ASN:NN or A.B.C.D:NN");
		return false;
	}
	if (memchr(s, '.', (size_t)(colon - s)) != NULL) {
		if ((size_t)(colon - s) >= sizeof(ip)) {
			snprintf(err, errlen, "bad IPv4 address before ':'");
			return false;
		}
		memcpy(ip, s, (size_t)(colon - s));
		ip[colon - s] = '\0';
		if (!ip_parse(ip, &addr)) {
			snprintf(err, errlen, "bad IPv4 address '%s'", ip);
			return false;
		}
		if (!number(colon + 1, end, 0xffff, &nn)) {
			snprintf(err, errlen, "the number after an IPv4 address is 0-65535");
			return false;
		}
		*out = (uint64_t)1 << 48 | (uint64_t)addr << 16 | nn;
		return true;
	}
	if (!number(s, colon, 0xffffffffu, &admin)) {
		snprintf(err, errlen, "the AS number is 0-4294967295");
		return false;
	}
	if (admin <= 0xffff) {
		if (!number(colon + 1, end, 0xffffffffu, &nn)) {
			snprintf(err, errlen, "the number after a 2-byte AS number is 0-4294967295");
			return false;
		}
		*out = admin << 32 | nn;
		return true;
	}
	if (!number(colon + 1, end, 0xffff, &nn)) {
		snprintf(err, errlen, "the number after a 4-byte AS number is 0-65535");
		return false;
	}
	*out = (uint64_t)2 << 48 | admin << 16 | nn;
	return true;
}

const char *
vrf_rd_str(vrf_rd rd, char buf[VRF_RD_STR])
{
	switch (rd >> 48) {
	case 0:
		snprintf(buf, VRF_RD_STR, "%u:%u", (unsigned)(rd >> 32 & 0xffff),
		    (unsigned)(rd & 0xffffffffu));
		break;
	case 1:
		snprintf(buf, VRF_RD_STR, "%s:%u", ip_str((uint32_t)(rd >> 16)),
		    (unsigned)(rd & 0xffff));
		break;
	default:
		snprintf(buf, VRF_RD_STR, "%u:%u", (unsigned)(rd >> 16 & 0xffffffffu),
		    (unsigned)(rd & 0xffff));
		break;
	}
	return buf;
}

/* A scalar RD or route target at c (what: its key); false after reporting it. */
static bool
cfg_rd(const struct cfg *c, const char *what, vrf_rd *out)
{
	const char *s;
	char err[96];

	if (!cfg_str(c, what, &s))
		return false;
	if (!vrf_rd_parse(s, out, err, sizeof(err)))
		return cfg_error(c, "bad %s '%s': %s", what, s, err);
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
		if (!cfg_rd(c, key, &l->v[0]))
			return false;
		l->n = 1;
		return true;
	}
	l->v = xcalloc(c->n + 1, sizeof(*l->v));
	for (size_t i = 0; i < c->n; i++) {
		if (!cfg_rd(c->v[i], key, &l->v[l->n]))
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
rd_taken(const struct node *n, vrf_rd rd)
{
	for (size_t i = 0; i < n->nvrfs; i++)
		if (n->vrfs[i].has_rd && n->vrfs[i].rd == rd)
			return true;
	return false;
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
		char rd[VRF_RD_STR];

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
			if ((c = cfg_get(e, "rd")) != NULL) {
				if (!cfg_rd(c, "rd", &v->rd))
					ok = false;
				else if (rd_taken(n, v->rd))
					ok = cfg_error(c, "%s: another VRF has rd %s", n->name,
					    vrf_rd_str(v->rd, rd));
				else
					v->has_rd = true;
			}
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
