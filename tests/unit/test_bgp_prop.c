/*
 * test_bgp_prop.c: BGP's selected paths against an independent model.
 *
 * Random AS-level topologies (one router per AS, eBGP over every link,
 * connected graphs with cycles) where random ASes originate random
 * prefixes, some of them anycast (originated by several ASes), run through
 * the real engine, TCP and BGP to convergence. Without policies, every
 * router's best path is then the one the decision process gives in the
 * stable state: the shortest AS path, ties broken by the lowest BGP
 * Identifier of the neighbor (the earlier steps tie: LOCAL_PREF, origin,
 * MED across different neighbor ASes, eBGP, IGP cost 0 to a connected next
 * hop); an originator keeps its own route. The model computes that with a
 * breadth-first search from the originators, knowing nothing of netsim's
 * code, and the test compares every router's whole AS path, next hop and
 * RIB entry. Then links fail and come back, and the comparison is repeated
 * on the changed graph.
 */
#include "prop_util.h"

#include "lib/log.h"
#include "lib/util.h"

#include "net/tcp_int.h"
#include "proto/bgp/bgp.h"
#include "proto/proto.h"

#define MAXR 14
#define MAXL 40
#define MAXP 24

struct lnk {
	int a, b;   /* routers */
	int ia, ib; /* their interface indexes */
	bool up;
};

struct bgp_g {
	int nr, nl, np;
	bool rel;       /* customer/provider/peer relationships: tier[] decides them */
	int tier[MAXR]; /* 0 the top; a lower tier is the provider, an equal tier a peer */
	struct lnk l[MAXL];
	int nifs[MAXR];
	struct {
		struct prefix pfx;
		bool orig[MAXR];
	} p[MAXP];
};

static uint32_t
rid(int r)
{
	/* Identifiers not in router order, so that the tie-break is not the routers' numbering. */
	return 0xc0000200u + (uint32_t)((r * 7 + 3) % 97) + 1;
}

static uint32_t
addr(int k, int side)
{
	return 0x0a000000u | (uint32_t)k << 8 | (uint32_t)(side + 1);
}

static bool
adjacent(const struct bgp_g *g, int a, int b)
{
	for (int i = 0; i < g->nl; i++)
		if ((g->l[i].a == a && g->l[i].b == b) || (g->l[i].a == b && g->l[i].b == a))
			return true;
	return false;
}

static void
add_link(struct bgp_g *g, int a, int b)
{
	struct lnk *l = &g->l[g->nl++];

	l->a = a;
	l->b = b;
	l->ia = g->nifs[a]++;
	l->ib = g->nifs[b]++;
	l->up = true;
}

static void
generate(struct bgp_g *g, bool rel)
{
	memset(g, 0, sizeof(*g));
	g->rel = rel;
	g->nr = 3 + (int)rnd(MAXR - 2);
	for (int r = 1; r < g->nr; r++)
		g->tier[r] = (int)rnd(3);
	for (int r = 1; r < g->nr; r++) /* a random tree */
		add_link(g, r, (int)rnd((unsigned)r));
	for (int extra = (int)rnd((unsigned)g->nr); extra > 0 && g->nl < MAXL; extra--) {
		int a = (int)rnd((unsigned)g->nr), b = (int)rnd((unsigned)g->nr);

		if (a != b && !adjacent(g, a, b))
			add_link(g, a, b);
	}
	g->np = 1 + (int)rnd(MAXP);
	for (int i = 0; i < g->np; i++) {
		g->p[i].pfx = (struct prefix){0x64000000u | (uint32_t)i << 8, 24};
		g->p[i].orig[rnd((unsigned)g->nr)] = true;
		if (rnd(4) == 0) /* anycast */
			g->p[i].orig[rnd((unsigned)g->nr)] = true;
	}
}

static char *
yaml(const struct bgp_g *g)
{
	struct strbuf b = STRBUF_INIT;

	sb_add(&b, "name: bgp-prop\ndevices:\n");
	for (int r = 0; r < g->nr; r++) {
		sb_printf(&b, "  - name: r%d\n    type: router\n    router_id: %s\n    interfaces:\n", r,
		    ip_str(rid(r)));
		for (int i = 0; i < g->nl; i++) {
			if (g->l[i].a == r)
				sb_printf(&b, "      - {name: eth%d, ip: %s/24}\n", g->l[i].ia, ip_str(addr(i, 0)));
			if (g->l[i].b == r)
				sb_printf(&b, "      - {name: eth%d, ip: %s/24}\n", g->l[i].ib, ip_str(addr(i, 1)));
		}
		sb_printf(&b, "    bgp:\n      as: %d\n      import_check: false\n      networks: [", 65001 + r);
		for (int i = 0, first = 1; i < g->np; i++)
			if (g->p[i].orig[r]) {
				sb_printf(&b, "%s\"%s\"", first ? "" : ", ", prefix_str(&g->p[i].pfx));
				first = 0;
			}
		sb_add(&b, "]\n      neighbors:\n");
		for (int i = 0; i < g->nl; i++) {
			int far = g->l[i].a == r ? g->l[i].b : g->l[i].b == r ? g->l[i].a : -1;

			if (far < 0)
				continue;
			sb_printf(&b, "        - {ip: %s, remote_as: %d", ip_str(addr(i, g->l[i].a == r)),
			    65001 + far);
			/*
			 * Gao-Rexford through RFC 9234 roles (valley-free export, OTC) and
			 * per-neighbor weight (customer routes over peer routes over provider routes).
			 */
			if (g->rel)
				sb_printf(&b, ", local_role: %s, weight: %d",
				    g->tier[r] < g->tier[far] ? "provider" : g->tier[r] > g->tier[far] ? "customer" : "peer",
				    g->tier[r] < g->tier[far] ? 300 : g->tier[r] > g->tier[far] ? 100 : 200);
			sb_add(&b, "}\n");
		}
	}
	sb_add(&b, "links:\n");
	for (int i = 0; i < g->nl; i++)
		sb_printf(&b, "  - endpoints: [r%d:eth%d, r%d:eth%d]\n", g->l[i].a, g->l[i].ia, g->l[i].b,
		    g->l[i].ib);
	return sb_steal(&b);
}

/*
 * The model: hop counts from the originators over the links that are up;
 * a router's next AS is the neighbor one hop closer with the lowest BGP
 * Identifier. path[r] gets the AS numbers from r's neighbor to the origin.
 */
struct model {
	int dist[MAXR];
	int via[MAXR];  /* the neighbor chosen, -1 at an originator or unreachable */
	int link[MAXR]; /* the link to it */
};

static void
model(const struct bgp_g *g, int p, struct model *m)
{
	int queue[MAXR], qh = 0, qt = 0;

	for (int r = 0; r < g->nr; r++) {
		m->dist[r] = g->p[p].orig[r] ? 0 : INF;
		m->via[r] = m->link[r] = -1;
		if (g->p[p].orig[r])
			queue[qt++] = r;
	}
	while (qh < qt) {
		int u = queue[qh++];

		for (int i = 0; i < g->nl; i++) {
			const struct lnk *l = &g->l[i];
			int v = l->a == u ? l->b : l->b == u ? l->a : -1;

			if (v < 0 || !l->up)
				continue;
			if (m->dist[v] == INF) {
				m->dist[v] = m->dist[u] + 1;
				queue[qt++] = v;
			}
			if (m->dist[v] == m->dist[u] + 1 && (m->via[v] < 0 || rid(u) < rid(m->via[v]))) {
				m->via[v] = u;
				m->link[v] = i;
			}
		}
	}
}

/* The relationship of u's neighbor v: 0 customer, 1 peer, 2 provider. */
static int
rel_of(const struct bgp_g *g, int u, int v)
{
	return g->tier[v] > g->tier[u] ? 0 : g->tier[v] == g->tier[u] ? 1 : 2;
}

/* Take v (over link i) as u's next AS at distance d if it is better than what u has. */
static void
offer(struct model *m, int u, int v, int i, int d)
{
	if (d < m->dist[u] || (d == m->dist[u] && rid(v) < rid(m->via[u]))) {
		m->dist[u] = d;
		m->via[u] = v;
		m->link[u] = i;
	}
}

/*
 * Gao-Rexford's stable state: a router prefers a route from a customer, then
 * from a peer, then from a provider (the weights), then the shortest, then
 * the lowest BGP Identifier; it exports its customers' routes and its own to
 * everyone and the others only to its customers (roles and OTC). Computed in
 * three rounds, each over the links that are up: routes climbing from
 * customers to providers, one step across a peering, and routes descending
 * to customers.
 */
static void
model_rel(const struct bgp_g *g, int p, struct model *m)
{
	int cust[MAXR]; /* the length of a customer route (0: the origin), INF: none */

	for (int r = 0; r < g->nr; r++) {
		m->dist[r] = cust[r] = g->p[p].orig[r] ? 0 : INF;
		m->via[r] = m->link[r] = -1;
	}
	/* Climbing: in order of length, a provider takes its customers' customer routes. */
	for (int d = 0; d < g->nr; d++)
		for (int i = 0; i < g->nl; i++)
			for (int s = 0; s < 2; s++) {
				const struct lnk *l = &g->l[i];
				int u = s ? l->a : l->b, v = s ? l->b : l->a;

				if (l->up && cust[v] == d && cust[u] != 0 && rel_of(g, u, v) == 0 &&
				    (cust[u] == INF || cust[u] == d + 1)) {
					cust[u] = d + 1;
					offer(m, u, v, i, d + 1);
				}
			}
	/* Across a peering: a customer route (or the origin) of a peer, to a router without one. */
	for (int i = 0; i < g->nl; i++)
		for (int s = 0; s < 2; s++) {
			const struct lnk *l = &g->l[i];
			int u = s ? l->a : l->b, v = s ? l->b : l->a;

			if (l->up && cust[u] == INF && cust[v] != INF && rel_of(g, u, v) == 1 &&
			    (m->via[u] < 0 || rel_of(g, u, m->via[u]) == 1))
				offer(m, u, v, i, cust[v] + 1);
		}
	/* Descending: in order of length, a router with neither takes its providers' best. */
	for (int d = 0; d <= 2 * g->nr; d++)
		for (int i = 0; i < g->nl; i++)
			for (int s = 0; s < 2; s++) {
				const struct lnk *l = &g->l[i];
				int u = s ? l->a : l->b, v = s ? l->b : l->a;

				if (l->up && m->dist[v] == d && rel_of(g, u, v) == 2 && cust[u] == INF &&
				    (m->via[u] < 0 || rel_of(g, u, m->via[u]) == 2))
					offer(m, u, v, i, d + 1);
			}
}

static void
check(struct network *net, const struct bgp_g *g, unsigned seed, const char *text, const char *stage)
{
	for (int p = 0; p < g->np; p++) {
		struct model m;

		if (g->rel)
			model_rel(g, p, &m);
		else
			model(g, p, &m);
		for (int r = 0; r < g->nr; r++) {
			struct node *n = net->nodes[r];
			struct bgp *b = proto_get(n, &proto_bgp)->priv;
			struct bgp_dest *d = bgp_dest_get(b, &g->p[p].pfx, false);
			const struct bgp_path *best = d ? bgp_dest_best(b, d) : NULL;
			struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
			const struct rib_entry *e = rib_lookup_exact(n->rib, &g->p[p].pfx);
			const struct rib_path *rp = proto_path(n->rib, e, "bgp");

			if (m.dist[r] == 0) {
				if (best == NULL || bgp_path_peer(b, best) != NULL)
					goto bad;
				continue;
			}
			if (m.dist[r] == INF) {
				if (best != NULL || rp != NULL)
					goto bad;
				continue;
			}
			for (int v = m.via[r]; v >= 0; v = m.via[v])
				sb_printf(&want, "%s%d", want.len ? " " : "", 65001 + v);
			if (best == NULL || bgp_path_peer(b, best) == NULL)
				goto bad;
			bgp_aspath_str(best->attr->aspath, best->attr->aspath_len, &got);
			{
				const struct lnk *l = &g->l[m.link[r]];
				uint32_t gw = addr(m.link[r], l->a == r ? 1 : 0);
				struct nhset nh = {0};

				nh_add(&nh, gw, l->a == r ? l->ia : l->ib);
				if (strcmp(sb_str(&want), sb_str(&got)) != 0 || best->attr->nexthop != gw ||
				    rp == NULL || !same_nh(&nh, PNHG(n->rib, rp)))
					goto bad;
			}
			sb_free(&want);
			sb_free(&got);
			continue;
bad:
			keep_yaml("bgp-prop-fail.yaml", text);
			if (getenv("BGP_PROP_TRACE"))
				for (int k = 0; k < g->nr; k++) {
					struct strbuf tb = STRBUF_INIT;

					tcp_show(net->nodes[k], &tb);
					print_message("r%d:\n%s", k, sb_str(&tb));
					sb_free(&tb);
				}
			fail_msg("seed %u, %s: r%d %s: model path \"%s\" (distance %d), netsim \"%s\"%s", seed, stage, r,
			    prefix_str(&g->p[p].pfx), sb_str(&want), m.dist[r], sb_str(&got),
			    rp ? "" : " (no RIB route)");
		}
	}
}

static void
run_random(bool rel)
{
	unsigned runs = getenv("BGP_PROP_RUNS") ? (unsigned)atoi(getenv("BGP_PROP_RUNS")) : 100;

	unsigned first = getenv("BGP_PROP_SEED") ? (unsigned)atoi(getenv("BGP_PROP_SEED")) : 1;

	if (getenv("BGP_PROP_SEED"))
		runs = first;
	if (getenv("BGP_PROP_TRACE")) { /* reproduce one seed with traces */
		proto_init_all();
		trace_flags |= trace_flag_parse(getenv("BGP_PROP_TRACE"));
	}
	for (unsigned seed = first; seed <= runs; seed++) {
		struct bgp_g g;
		struct cfg_doc *doc;
		struct topo *t;
		char *text;

		rng_state = seed * 0x9e3779b97f4a7c15ULL;
		generate(&g, rel);
		text = yaml(&g);
		t = build_converged(text, seed, "bgp-prop-fail.yaml", &doc);
		check(t->net, &g, seed, text, "cold start");
		/* A failure and the repair, twice. */
		for (int k = 0; k < 2 && g.nl > 0; k++) {
			int i = (int)rnd((unsigned)g.nl);

			g.l[i].up = false;
			char stage[48];

			set_link(t->net, i, false);
			snprintf(stage, sizeof(stage), "link %d down", i);
			check(t->net, &g, seed, text, stage);
			g.l[i].up = true;
			set_link(t->net, i, true);
			snprintf(stage, sizeof(stage), "link %d up again", i);
			check(t->net, &g, seed, text, stage);
		}
		topo_free(t);
		cfg_doc_free(doc);
		free(text);
	}
}

static void
test_random_as_graphs(void **state UNUSED)
{
	run_random(false);
}

/* Customers, providers and peers: roles (RFC 9234) and weights give Gao-Rexford's routing. */
static void
test_relationships(void **state UNUSED)
{
	run_random(true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_as_graphs),
	    cmocka_unit_test(test_relationships),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
