/*
 * tgraph_yaml.c: a planned tgraph (tgraph.h) as a YAML topology
 * (docs/topology.md), OSPF or IS-IS (docs/ospf.md, the IS-IS schema).
 *
 * Addresses, chosen so that they never overlap whatever the size:
 *   loopbacks    10.255.H.L/32 for router number i + 1 = H * 256 + L (up to 65,534
 *                routers); it is also the router ID
 *   links        10.0.0.0/8 below 10.255.0.0 in /31s (RFC 3021), link l gets
 *                10.0.0.0 + 2l and + 2l + 1 (up to 8,355,840 links)
 *   host LANs    172.16.0.0/12, one block per router with hosts: the router has
 *                the first address, its hosts the next ones (their gateway)
 * Interfaces are lo, eth0, eth1... in link order, and lan0 for the hosts.
 * BGP (--bgp) adds a bgp: block to every router (tgraph_bgp.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "tgraph.h"

#define LO_BASE   (10u << 24 | 255u << 16)
#define LINK_BASE (10u << 24)
#define LINK_END  LO_BASE
#define LAN_BASE  (172u << 24 | 16u << 16)
#define LAN_SIZE  (1u << 20)

uint32_t
tg_link_addr(size_t link, bool b_end)
{
	return LINK_BASE + 2 * (uint32_t)link + (b_end ? 1 : 0);
}

uint32_t
tg_loopback(int v)
{
	return LO_BASE + (uint32_t)v + 1;
}

static const char *
ipstr(uint32_t a, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
	return buf;
}

/* What a link carries, decided once for both its ends (see tgraph.c). */
struct linkplan {
	bool igp;   /* false: a plain link between areas (no adjacency is possible there) */
	int area;   /* OSPF area */
	int level;  /* IS-IS circuit type: 0 the router's own, 1 l1, 2 l2 */
};

static int
router_level(const struct tgraph *g, const struct tg_opts *o, int v)
{
	if (o->igp == TG_ISIS)
		return 2;
	if (g->n[v].group == 0)
		return 2;
	return g->n[v].border ? 3 : 1;
}

static struct linkplan
plan_link(const struct tgraph *g, const struct tg_opts *o, const struct tg_edge *e)
{
	struct linkplan p = {true, 0, 0};
	int ga = g->n[e->a].group, gb = g->n[e->b].group;

	if (o->igp == TG_NO_IGP)
		p.igp = false;
	if (o->igp == TG_OSPF || o->igp == TG_ISIS || o->igp == TG_NO_IGP)
		return p;
	if (ga == gb) {
		p.area = e->path ? 0 : ga;
		p.level = g->n[e->a].border && g->n[e->b].border ? 3 : 1;
	} else if (ga == 0 || gb == 0) {
		p.area = ga + gb;
		p.level = 2;
	} else if (g->n[e->a].border && g->n[e->b].border) {
		p.area = 0;
		p.level = 2;
	} else {
		p.igp = false;
	}
	return p;
}

static const char *const level_name[] = {"", "l1", "l2", "l1l2"};

/* The protocol block of a link interface (or lan0 when passive). */
static void
igp_block(const struct tgraph *g, const struct tg_opts *o, int v, const struct linkplan *p,
    int cost, bool passive, FILE *f)
{
	bool ospf = o->igp == TG_OSPF || o->igp == TG_OSPF_AREAS;

	if (!p->igp || o->igp == TG_NO_IGP)
		return;
	if (ospf) {
		fprintf(f, ", ospf: {area: %d", p->area);
		if (passive)
			fputs(", passive: true", f);
		else
			fputs(", network_type: point-to-point", f);
		if (cost > 0)
			fprintf(f, ", cost: %d", cost);
	} else {
		fputs(", isis: {", f);
		if (passive)
			fputs("passive: true", f);
		else
			fputs("network_type: point-to-point", f);
		if (p->level != 0 && p->level != router_level(g, o, v))
			fprintf(f, ", level: %s", level_name[p->level]);
		if (cost > 0)
			fprintf(f, ", metric: %d", cost);
	}
	fputs("}", f);
}

/* A YAML double-quoted string. */
static void
quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s < 0x20)
			fputc(' ', f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* Addresses per host LAN: the smallest power of two holding router, hosts, network, broadcast. */
static uint32_t
lan_block(int hosts)
{
	uint32_t size = 4;

	while (size < (uint32_t)hosts + 3)
		size <<= 1;
	return size;
}

static int
plen_of(uint32_t size)
{
	int plen = 32;

	while (size > 1) {
		size >>= 1;
		plen--;
	}
	return plen;
}

bool
tg_write_yaml(const struct tgraph *g, const struct tg_opts *o, FILE *f, char *err, size_t errlen)
{
	size_t *nif = xcalloc(g->nn + 1, sizeof(size_t));
	int *if_a = xmalloc((g->ne + 1) * sizeof(int)), *if_b = xmalloc((g->ne + 1) * sizeof(int));
	uint32_t lan = LAN_BASE, block = lan_block(o->hosts);
	bool ospf = o->igp == TG_OSPF || o->igp == TG_OSPF_AREAS;
	bool isis = o->igp == TG_ISIS || o->igp == TG_ISIS_LEVELS;
	char b1[16], b2[16], lanpfx[32];
	struct tg_adj adj;

	if (g->nn > 65534 || (uint64_t)g->ne * 2 > LINK_END - LINK_BASE) {
		snprintf(err, errlen, "too large: at most 65534 routers and %u links",
		    (LINK_END - LINK_BASE) / 2);
		goto fail;
	}
	for (size_t v = 0; v < g->nn; v++)
		if (o->hosts > 0 && g->n[v].hosts)
			lan += block;
	if (lan - LAN_BASE > LAN_SIZE) {
		snprintf(err, errlen, "too many hosts for 172.16.0.0/12");
		goto fail;
	}
	if (!tg_bgp_check(g, o, err, errlen))
		goto fail;
	lan = LAN_BASE;
	tg_adj_build(g, &adj);
	for (size_t i = 0; i < g->ne; i++) {
		if_a[i] = (int)nif[g->e[i].a]++;
		if_b[i] = (int)nif[g->e[i].b]++;
	}
	fputs("name: ", f);
	quoted(f, g->name);
	if (g->description != NULL) {
		fputs("\ndescription: ", f);
		quoted(f, g->description);
	}
	fputs("\ndevices:\n", f);
	for (size_t v = 0; v < g->nn; v++) {
		uint32_t lo = tg_loopback((int)v);
		bool has_lan = o->hosts > 0 && g->n[v].hosts;
		int lo_area = (g->n[v].border && !g->n[v].area_lo) || g->n[v].group == 0 ?
		    0 : g->n[v].group;

		if (o->igp == TG_OSPF || o->igp == TG_ISIS)
			lo_area = 0;
		fprintf(f, "  - name: %s\n    router_id: %s\n", g->n[v].name, ipstr(lo, b1));
		if (o->ldp)
			fputs("    ldp: {}\n", f);
		if (isis)
			fprintf(f,
			    "    isis: {net: \"49.%04d.%04x.%04x.%04x.00\", level: %s}\n",
			    o->igp == TG_ISIS ? 1 : g->n[v].group, 0u, (unsigned)((v + 1) >> 16),
			    (unsigned)((v + 1) & 0xffff), level_name[router_level(g, o, (int)v)]);
		fprintf(f, "    interfaces:\n      - {name: lo, ip: %s/32", b1);
		if (ospf)
			fprintf(f, ", ospf: {area: %d}}\n", lo_area);
		else if (isis)
			fputs(", isis: {}}\n", f);
		else
			fputs("}\n", f);
		/* The links in link order: the same order that numbered the interfaces. */
		for (size_t j = adj.off[v]; j < adj.off[v + 1]; j++) {
			size_t i = (size_t)adj.eid[j];
			const struct tg_edge *e = &g->e[i];
			struct linkplan p;
			bool is_a = e->a == (int)v;

			p = plan_link(g, o, e);
			fprintf(f, "      - {name: eth%d, ip: %s/31", is_a ? if_a[i] : if_b[i],
			    ipstr(tg_link_addr(i, !is_a), b1));
			igp_block(g, o, (int)v, &p, is_a ? e->cost_ab : e->cost_ba, false, f);
			fputs(o->ldp && p.igp && o->igp != TG_NO_IGP ? ", ldp: {}}\n" : "}\n", f);
		}
		if (has_lan) {
			struct linkplan p = {true, lo_area, 0};

			fprintf(f, "      - {name: lan0, ip: %s/%d", ipstr(lan + 1, b1),
			    plen_of(block));
			igp_block(g, o, (int)v, &p, 0, true, f);
			fputs("}\n", f);
			snprintf(lanpfx, sizeof(lanpfx), "%s/%d", ipstr(lan, b1), plen_of(block));
			lan += block;
		}
		tg_write_bgp(g, o, &adj, (int)v, has_lan ? lanpfx : NULL, f);
	}
	lan = LAN_BASE;
	for (size_t v = 0; v < g->nn; v++) {
		if (o->hosts <= 0 || !g->n[v].hosts)
			continue;
		for (int h = 0; h < o->hosts; h++)
			fprintf(f,
			    "  - name: %s-h%d\n    type: host\n    interfaces:\n"
			    "      - {name: eth0, ip: %s/%d, gateway: %s}\n",
			    g->n[v].name, h + 1, ipstr(lan + 2 + (uint32_t)h, b1), plen_of(block),
			    ipstr(lan + 1, b2));
		lan += block;
	}
	fputs("links:\n", f);
	for (size_t i = 0; i < g->ne; i++)
		fprintf(f, "  - endpoints: [%s:eth%d, %s:eth%d]\n", g->n[g->e[i].a].name, if_a[i],
		    g->n[g->e[i].b].name, if_b[i]);
	for (size_t v = 0; v < g->nn; v++) {
		if (o->hosts <= 0 || !g->n[v].hosts)
			continue;
		fprintf(f, "  - endpoints: [%s:lan0", g->n[v].name);
		for (int h = 0; h < o->hosts; h++)
			fprintf(f, ", %s-h%d:eth0", g->n[v].name, h + 1);
		fputs("]\n", f);
	}
	tg_adj_free(&adj);
	free(nif);
	free(if_a);
	free(if_b);
	return true;
fail:
	free(nif);
	free(if_a);
	free(if_b);
	return false;
}

bool
tg_write_file(const struct tgraph *g, const struct tg_opts *o, const char *path, char *err,
    size_t errlen)
{
	FILE *f = path != NULL ? fopen(path, "w") : stdout;
	bool ok;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	ok = tg_write_yaml(g, o, f, err, errlen);
	if (ok && (fflush(f) != 0 || ferror(f))) {
		snprintf(err, errlen, "%s: %s", path != NULL ? path : "stdout", strerror(errno));
		ok = false;
	}
	if (path != NULL && fclose(f) != 0 && ok) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		ok = false;
	}
	return ok;
}
