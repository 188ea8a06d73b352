/*
 * tgraph.h: an abstract network (routers, links, costs) that the topology
 * generators (`netsim gen`) and importers (`netsim import`) build, and that
 * one writer turns into a YAML topology with an IGP laid out on it.
 *
 * Keeping generators and importers apart from the YAML means one place
 * decides addresses (unique up to 65,534 routers and millions of links),
 * interface names, OSPF areas and IS-IS levels; a generator only says which
 * router is joined to which.
 */
#ifndef NETSIM_TGRAPH_H
#define NETSIM_TGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../lib/hmap.h"

/* Group 0 is "backbone only" (a Clos fabric's spines); areas are 1..K. */
#define TG_GROUP_NONE (-1)

struct tg_node {
	char *name;
	int line;   /* where an importer read it (0 when generated) */
	int group;  /* OSPF area / IS-IS area number, or TG_GROUP_NONE until planned */
	bool border; /* in the backbone: an OSPF ABR's area 0 side, an IS-IS L1L2 router */
	bool hosts; /* gets the --hosts LAN (Clos: leaves only) */
	bool spine; /* a Clos fabric's spine (eBGP: the spines share one AS) */
	/* OSPF: a backbone router whose loopback holds up an area that is all backbone */
	bool area_lo;
};

struct tg_edge {
	int a, b;
	int cost_ab, cost_ba; /* the IGP cost out of a and out of b; 0 = the protocol's default */
	int line;
	bool path; /* joins two backbone routers of one area (part of the backbone) */
};

struct tgraph {
	char *name, *description;
	struct tg_node *n;
	size_t nn, ncap;
	struct tg_edge *e;
	size_t ne, ecap;
	struct hmap byname; /* str_hash(name) -> node index + 1 (collisions probe on) */
};

/* TG_NO_IGP: interfaces without an IGP block (eBGP alone, set by tg_opts_check). */
enum tg_igp { TG_OSPF, TG_OSPF_AREAS, TG_ISIS, TG_ISIS_LEVELS, TG_NO_IGP };

/*
 * BGP laid over the network (tgraph_bgp.c): none; every router its own AS
 * with an eBGP session over every link; one AS over the IGP with iBGP
 * between loopbacks (a full mesh up to TG_IBGP_MESH_MAX routers, else route
 * reflectors); the same with route reflectors whatever the size.
 */
enum tg_bgp { TG_BGP_NONE, TG_BGP_EBGP, TG_BGP_IBGP, TG_BGP_IBGP_RR };
#define TG_IBGP_MESH_MAX 20

struct tg_opts {
	enum tg_igp igp;
	int areas;     /* K of ospf-areas / isis-levels */
	int hosts;     /* hosts per router (0: none) */
	enum tg_bgp bgp;
	int prefixes;  /* prefixes each router originates in BGP (0: not given, 1) */
	bool igp_set;  /* --igp was given */
	bool ldp;      /* LDP on every IGP link (--ldp) */
};

void tg_init(struct tgraph *, const char *name);
void tg_free(struct tgraph *);
/* Add a node; the name is made a valid, unique device name (see tg_name). */
int tg_add_node(struct tgraph *, const char *name, int line);
/* The node called exactly name (after tg_name's rewriting), or -1. */
int tg_find(const struct tgraph *, const char *name);
/* Keep the nodes v with keep[v] != 0 (and their links among themselves), in order. */
void tg_keep_nodes(struct tgraph *, const int *keep);
int tg_add_edge(struct tgraph *, int a, int b, int cost_ab, int cost_ba, int line);
/* Adjacency in link order: node v's links are eid[off[v] .. off[v + 1]). */
struct tg_adj {
	size_t *off;
	int *eid;
};
void tg_adj_build(const struct tgraph *, struct tg_adj *);
void tg_adj_free(struct tg_adj *);

/* Number of connected pieces (isolated nodes count as pieces). */
size_t tg_components(const struct tgraph *);

/*
 * Shapes (tgraph_shapes.c), routers named r1, r2... (Clos: spine1..., leaf1...).
 * areas is the K of --igp (1 without areas): shapes that have natural areas
 * set the nodes' groups for it.
 */
void tg_grid(struct tgraph *, long rows, long cols, int areas);
void tg_ring(struct tgraph *, long n, int areas);
void tg_full_mesh(struct tgraph *, long n, int areas);
void tg_clos(struct tgraph *, long spines, long leaves, int areas);
/* N routers, about D links each, connected; the same (n, degree, seed) gives the same network. */
void tg_random(struct tgraph *, long n, long degree, uint64_t seed);

/*
 * Parse "--igp" values: ospf | ospf-areas K | isis | isis-levels K. Consumes
 * argv[*i] (and the K after it); returns false with a message in err.
 */
bool tg_parse_igp(int argc, char **argv, int *i, struct tg_opts *, char *err, size_t errlen);

/*
 * Parse "--bgp ebgp|ibgp|ibgp-rr" and "--prefixes N" (argv[*i] is either):
 * consumes the option and its value; returns false with a message in err.
 */
bool tg_parse_bgp(int argc, char **argv, int *i, struct tg_opts *, char *err, size_t errlen);

/*
 * After every option is parsed: refuse combinations that mean nothing
 * (--prefixes without --bgp) and settle the IGP (eBGP alone has none).
 */
bool tg_opts_check(struct tg_opts *, char *err, size_t errlen);

/*
 * Lay out the areas (ospf-areas, isis-levels) on nodes whose group the
 * generator did not set: K connected regions grown from spread-out seeds;
 * then the backbone: one gateway link between each pair of adjacent areas,
 * and within each area shortest paths joining its gateways. Returns false
 * (message in err) when the graph cannot carry them (not connected, fewer
 * routers than areas).
 */
bool tg_plan(struct tgraph *, const struct tg_opts *, char *err, size_t errlen);

/* Write the YAML topology (after tg_plan). Returns false if addresses run out. */
bool tg_write_yaml(const struct tgraph *, const struct tg_opts *, FILE *, char *err,
    size_t errlen);

/*
 * BGP's part of the YAML (tgraph_bgp.c): tg_bgp_check refuses what the
 * address plan cannot hold (before anything is written); tg_write_bgp writes
 * router v's bgp: block after its interfaces, lan_prefix its host LAN (NULL
 * when it has none). The address plan, shared with tgraph_yaml.c: link i's
 * a (b_end false) or b end, router v's loopback.
 */
bool tg_bgp_check(const struct tgraph *, const struct tg_opts *, char *err, size_t errlen);
void tg_write_bgp(const struct tgraph *, const struct tg_opts *, const struct tg_adj *, int v,
    const char *lan_prefix, FILE *);
uint32_t tg_link_addr(size_t link, bool b_end);
uint32_t tg_loopback(int v);

/* The same into the file path (created or truncated), or stdout when path is NULL. */
bool tg_write_file(const struct tgraph *, const struct tg_opts *, const char *path, char *err,
    size_t errlen);

#endif
