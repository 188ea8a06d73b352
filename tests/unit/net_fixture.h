/*
 * net_fixture.h: building small networks in C for unit tests (test_dataplane,
 * test_tcp): the network under test in `net`, and nodes, interfaces, links
 * and static routes added to it as the topology builder would; `chain`, two
 * hosts behind two routers. Included by
 * one test file each, after cmocka.h and the netsim headers it needs
 * (lib/ip.h, net/net.h, proto/proto.h, proto/static.h).
 */
#ifndef NETSIM_TEST_NET_FIXTURE_H
#define NETSIM_TEST_NET_FIXTURE_H

static struct network *net;

/* A cmocka teardown: the network under test goes (NULL again for the next test). */
static __attribute__((unused)) int
net_teardown(void **state)
{
	(void)state;
	net_free(net);
	net = NULL;
	return 0;
}

static uint32_t
IP(const char *s)
{
	uint32_t a;

	if (!ip_parse(s, &a))
		fail_msg("bad address %s", s);
	return a;
}

static struct node *
mknode(const char *name, enum node_type t)
{
	struct node *n = net_add_node(net, name, t);

	if (t != NODE_SWITCH) {
		/* What the topology builder does for every router and host. */
		proto_instance(n, &proto_connected);
		proto_instance(n, &proto_static);
	}
	return n;
}

static struct iface *
mkif(struct node *n, const char *name, const char *cidr)
{
	struct iface *ifp = node_add_iface(n, name);

	if (cidr != NULL && !ip_plen_parse(cidr, &ifp->addr, &ifp->plen))
		fail_msg("bad address %s", cidr);
	return ifp;
}

static struct link *
mklink(struct iface *a, struct iface *b, sim_time delay)
{
	struct iface *e[2] = {a, b};
	struct link *l = net_add_link(net, e, 2);

	l->delay = delay;
	return l;
}

static void
mkroute(struct node *n, const char *pfx, const char *via)
{
	struct static_route sr = {.ifindex = -1, .distance = 1};
	char err[128];

	assert_true(prefix_parse(pfx, &sr.pfx));
	if (via == NULL)
		sr.blackhole = true;
	else
		sr.via = IP(via);
	if (static_route_add(n, &sr, err, sizeof(err)) != 0)
		fail_msg("static route %s: %s", pfx, err);
}

/*
 * The chain  h1 --1ms-- r1 --d2-- r2 --d3-- h2
 *   h1 eth0 10.0.1.2/24, r1 eth0 10.0.1.1/24, r1 eth1 10.0.12.1/24,
 *   r2 eth0 10.0.12.2/24, r2 eth1 10.0.2.1/24, h2 eth0 10.0.2.2/24;
 *   hosts default via their router, each router a static to the far LAN.
 * Node ids: h1 0, r1 1, r2 2, h2 3; links l0, l1, l2 in that order.
 */
static struct node *h1, *r1, *r2, *h2;
static struct link *l0, *l1, *l2;

static __attribute__((unused)) void /* a test may build a topology of its own */
chain(uint64_t seed, sim_time d2, sim_time d3)
{
	net = net_new("chain", seed);
	h1 = mknode("h1", NODE_HOST);
	r1 = mknode("r1", NODE_ROUTER);
	r2 = mknode("r2", NODE_ROUTER);
	h2 = mknode("h2", NODE_HOST);
	mkif(h1, "eth0", "10.0.1.2/24");
	mkif(r1, "eth0", "10.0.1.1/24");
	mkif(r1, "eth1", "10.0.12.1/24");
	mkif(r2, "eth0", "10.0.12.2/24");
	mkif(r2, "eth1", "10.0.2.1/24");
	mkif(h2, "eth0", "10.0.2.2/24");
	l0 = mklink(h1->ifs[0], r1->ifs[0], SIM_MS);
	l1 = mklink(r1->ifs[1], r2->ifs[0], d2);
	l2 = mklink(r2->ifs[1], h2->ifs[0], d3);
	mkroute(h1, "0.0.0.0/0", "10.0.1.1");
	mkroute(h2, "0.0.0.0/0", "10.0.2.1");
	mkroute(r1, "10.0.2.0/24", "10.0.12.2");
	mkroute(r2, "10.0.1.0/24", "10.0.12.1");
}

#endif
