/*
 * tgraph_bgp.c: BGP laid over a generated or imported network (`--bgp`,
 * docs/topology.md "BGP"), the bgp: block of each router (docs/bgp.md).
 *
 *   ebgp     every router its own AS: 64512 + i (RFC 6996's 16-bit private
 *            range, 64512-65534) while there are at most 1,023 routers, else
 *            4200000000 + i (the 32-bit private range, RFC 6793 4-octet ASes);
 *            a session over every link to the far end's address. No IGP
 *            unless --igp is given too. A Clos fabric is numbered as RFC 7938
 *            5.2.1 does: the spines share one AS (the first spine's), so that
 *            a route never turns back up through another spine (no path
 *            hunting after a failure), every leaf has its own, and a leaf
 *            installs a route through every spine (maximum_paths).
 *   ibgp     one AS, 64512, over the IGP: sessions between loopbacks
 *            (update_source lo), a full mesh up to TG_IBGP_MESH_MAX routers,
 *            else the first two routers are route reflectors (RFC 4456) of one
 *            cluster, peers of each other, every other router their client.
 *   ibgp-rr  the route reflectors whatever the size.
 *
 * Each router originates --prefixes blocks of 100.64.0.0/10 (RFC 6598's
 * shared space: nothing else in the address plan, tgraph_yaml.c, uses it),
 * with import_check off since no other protocol has routes to them: router
 * i's prefix j is block i * N + j, /24s while they fit, smaller blocks when
 * not. With eBGP alone the router's host LAN is originated too (no IGP
 * carries it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/ip.h"
#include "../net/rib.h"
#include "tgraph.h"

#define EBGP_AS16_BASE 64512u
#define EBGP_AS16_MAX  1023u       /* routers numbered into 64512..65534 */
#define EBGP_AS32_BASE 4200000000u
#define IBGP_AS        64512u
#define IBGP_RRS       2
#define PFX_BASE       (100u << 24 | 64u << 16)
#define PFX_SPACE      (1u << 22)  /* addresses in 100.64.0.0/10 */
#define PFX_BLOCK_MAX  256u        /* a /24 */
#define PREFIXES_MAX   4096

bool
tg_parse_bgp(int argc, char **argv, int *i, struct tg_opts *o, char *err, size_t errlen)
{
	const char *opt = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;

	if (strcmp(opt, "--prefixes") == 0) {
		char *end;
		long n = v != NULL ? strtol(v, &end, 10) : 0;

		if (v == NULL || end == v || *end != '\0' || n < 1 || n > PREFIXES_MAX) {
			snprintf(err, errlen, "--prefixes needs a number from 1 to %d",
			    PREFIXES_MAX);
			return false;
		}
		o->prefixes = (int)n;
	} else if (v != NULL && strcmp(v, "ebgp") == 0) {
		o->bgp = TG_BGP_EBGP;
	} else if (v != NULL && strcmp(v, "ibgp") == 0) {
		o->bgp = TG_BGP_IBGP;
	} else if (v != NULL && strcmp(v, "ibgp-rr") == 0) {
		o->bgp = TG_BGP_IBGP_RR;
	} else {
		snprintf(err, errlen, "--bgp needs ebgp, ibgp or ibgp-rr%s%s%s",
		    v != NULL ? " (not '" : "", v != NULL ? v : "", v != NULL ? "')" : "");
		return false;
	}
	++*i;
	return true;
}

bool
tg_opts_check(struct tg_opts *o, char *err, size_t errlen)
{
	if (o->prefixes > 0 && o->bgp == TG_BGP_NONE) {
		snprintf(err, errlen, "--prefixes needs --bgp");
		return false;
	}
	if (o->bgp == TG_BGP_EBGP && !o->igp_set) {
		o->igp = TG_NO_IGP;
		o->areas = 1;
	}
	return true;
}

static int
prefixes_of(const struct tg_opts *o)
{
	return o->prefixes > 0 ? o->prefixes : 1;
}

/* Addresses per originated prefix: a /24, or less so that every router's fit in the /10. */
static uint32_t
pfx_block(const struct tgraph *g, const struct tg_opts *o)
{
	uint64_t total = (uint64_t)g->nn * (uint64_t)prefixes_of(o);
	uint32_t block = PFX_BLOCK_MAX;

	while (block > 1 && total * block > PFX_SPACE)
		block >>= 1;
	return block;
}

bool
tg_bgp_check(const struct tgraph *g, const struct tg_opts *o, char *err, size_t errlen)
{
	uint64_t total = (uint64_t)g->nn * (uint64_t)prefixes_of(o);

	if (o->bgp != TG_BGP_NONE && total > PFX_SPACE) {
		snprintf(err, errlen,
		    "%zu routers with %d prefixes each do not fit in 100.64.0.0/10 "
		    "(at most %u prefixes)",
		    g->nn, prefixes_of(o), PFX_SPACE);
		return false;
	}
	return true;
}

static uint32_t
node_as(const struct tgraph *g, const struct tg_opts *o, int v)
{
	if (o->bgp != TG_BGP_EBGP)
		return IBGP_AS;
	if (g->n[v].spine)
		v = 0; /* the first spine (tg_clos adds them first) */
	return (g->nn <= EBGP_AS16_MAX ? EBGP_AS16_BASE : EBGP_AS32_BASE) + (uint32_t)v;
}

/* A Clos fabric's spines (0 for other shapes). */
static size_t
spines(const struct tgraph *g)
{
	size_t n = 0;

	while (n < g->nn && g->n[n].spine)
		n++;
	return n;
}

/* Route reflectors: the first IBGP_RRS routers, when the mode or the size asks for them. */
static size_t
reflectors(const struct tgraph *g, const struct tg_opts *o)
{
	if (o->bgp == TG_BGP_IBGP_RR || (o->bgp == TG_BGP_IBGP && g->nn > TG_IBGP_MESH_MAX))
		return g->nn < IBGP_RRS ? g->nn : IBGP_RRS;
	return 0;
}

static void
networks(const struct tgraph *g, const struct tg_opts *o, int v, const char *lan_prefix, FILE *f)
{
	uint32_t block = pfx_block(g, o);
	int n = prefixes_of(o), plen = 32;
	char b[IP_STRLEN];

	for (uint32_t s = block; s > 1; s >>= 1)
		plen--;
	fputs("      networks: [", f);
	for (int j = 0; j < n; j++)
		fprintf(f, "%s%s/%d", j > 0 ? ", " : "",
		    ip_fmt(PFX_BASE + ((uint32_t)v * (uint32_t)n + (uint32_t)j) * block, b), plen);
	if (lan_prefix != NULL && o->igp == TG_NO_IGP)
		fprintf(f, ", %s", lan_prefix);
	fputs("]\n", f);
}

void
tg_write_bgp(const struct tgraph *g, const struct tg_opts *o, const struct tg_adj *adj, int v,
    const char *lan_prefix, FILE *f)
{
	size_t rrs = reflectors(g, o);
	uint32_t as = node_as(g, o, v);
	char b[IP_STRLEN];

	if (o->bgp == TG_BGP_NONE)
		return;
	fprintf(f, "    bgp:\n      as: %u\n      import_check: false\n", as);
	if (o->bgp == TG_BGP_EBGP && !g->n[v].spine && spines(g) > 1)
		fprintf(f, "      maximum_paths: %zu\n", spines(g) < RIB_MAX_NH ? spines(g) : (size_t)RIB_MAX_NH);
	if ((size_t)v < rrs)
		fprintf(f, "      cluster_id: %s\n", ip_fmt(tg_loopback(0), b));
	networks(g, o, v, lan_prefix, f);
	if (o->bgp != TG_BGP_EBGP) {
		fprintf(f, "      peer_groups:\n"
			   "        - {name: ibgp, remote_as: %u, update_source: lo}\n", as);
		if ((size_t)v < rrs && g->nn > rrs)
			fprintf(f, "        - {name: clients, remote_as: %u, update_source: lo, "
				   "route_reflector_client: true}\n", as);
	}
	fputs("      neighbors:\n", f);
	if (o->bgp == TG_BGP_EBGP) {
		/* Over every link, in link order: the far end's address and AS. */
		for (size_t j = adj->off[v]; j < adj->off[v + 1]; j++) {
			size_t i = (size_t)adj->eid[j];
			bool v_is_a = g->e[i].a == v;
			int far = v_is_a ? g->e[i].b : g->e[i].a;

			fprintf(f, "        - {ip: %s, remote_as: %u}\n",
			    ip_fmt(tg_link_addr(i, v_is_a), b), node_as(g, o, far));
		}
		return;
	}
	/*
	 * A full mesh (rrs 0); a reflector peers with everyone (the other reflector
	 * plainly, the rest as clients); a client with the reflectors only.
	 */
	for (size_t w = 0; w < g->nn; w++) {
		bool client = rrs > 0 && w >= rrs;

		if (w == (size_t)v || (rrs > 0 && (size_t)v >= rrs && client))
			continue;
		fprintf(f, "        - {ip: %s, peer_group: %s}\n", ip_fmt(tg_loopback((int)w), b),
		    client ? "clients" : "ibgp");
	}
}
