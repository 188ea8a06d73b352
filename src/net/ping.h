/*
 * ping.h: ICMP echo sessions and UDP traceroute, run by a node in simulated
 * time. The CLI commands block on them (cli_run_until); Lua and chaos
 * experiments can run them in the background and read the results.
 */
#ifndef NETSIM_PING_H
#define NETSIM_PING_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/json.h"
#include "../lib/strbuf.h"
#include "icmp.h"
#include "net.h"
#include "udp.h"

enum probe_status {
	PROBE_PENDING,
	PROBE_OK,      /* echo reply / traceroute: time exceeded or port unreachable */
	PROBE_TIMEOUT,
	PROBE_UNREACH, /* destination unreachable (code says which) */
	PROBE_TTL,     /* ping: time exceeded in transit */
	PROBE_NOROUTE, /* could not even be sent */
};

struct probe {
	uint16_t seq;
	uint8_t status;
	uint8_t type, code; /* ICMP answer */
	uint8_t ttl;        /* TTL of the answer */
	uint32_t from;      /* who answered */
	sim_time sent;
	sim_time rtt;
	uint8_t nlabels;    /* RFC 4950: the label stack the hop received the probe with */
	uint32_t lse[ICMP_MPLS_MAX];
};

struct ping_opts {
	uint32_t dst;
	uint32_t src;       /* 0: chosen by routing */
	int count;          /* default 5 */
	int size;           /* ICMP data bytes (negative: the default, 56) */
	sim_time timeout;   /* default 2 s */
	sim_time interval;  /* 0: next probe when the previous one is answered */
	uint8_t ttl;        /* 0: default */
	bool df;
	uint16_t vrf;       /* the VRF to ping in (vrf.h; 0: the default) */
};

struct ping {
	struct node *node;
	struct ping_opts o;
	uint16_t id;
	int sent, received;
	struct probe *probes;
	sim_time min, max, sum;
	struct pkt_trace path; /* the first reply's round trip */
	bool have_path;
	bool done;
	struct timer t;
	struct icmp_watch w;
};

struct ping *ping_start(struct node *, const struct ping_opts *);
void ping_free(struct ping *);
void ping_format(const struct ping *, struct strbuf *);
void ping_json(const struct ping *, struct json *);

struct traceroute_opts {
	uint32_t dst;
	uint32_t src;
	int max_ttl;        /* default 30 */
	int probes;         /* per hop, default 3 */
	sim_time timeout;   /* default 3 s */
	uint16_t vrf;       /* the VRF to trace in */
};

struct traceroute {
	struct node *node;
	struct traceroute_opts o;
	uint16_t sport;
	struct probe *probes; /* max_ttl * probes */
	int cur;              /* next probe to send */
	int last_hop;         /* hops shown */
	bool done;
	struct timer t;
	struct icmp_watch w;
	struct udp_sock *sock;
};

struct traceroute *traceroute_start(struct node *, const struct traceroute_opts *);
void traceroute_free(struct traceroute *);
void traceroute_format(const struct traceroute *, struct strbuf *);
void traceroute_json(const struct traceroute *, struct json *);
/* Did any probe get an answer from the destination itself? */
bool traceroute_reached(const struct traceroute *);

/* "1.234" milliseconds with three decimals, as ping prints them. */
const char *ms3(sim_time);

#endif
