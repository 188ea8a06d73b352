/*
 * redist.h: redistribution, a service every routing protocol shares.
 *
 * One configuration shape for all of them, under the protocol's device block:
 *   redistribute: [static, connected]
 *   redistribute: [{protocol: static, metric: 20, metric_type: 1}, connected]
 *   redistribute: [{protocol: ospf, route_map: FROM_OSPF}]   (BGP)
 * A protocol says which sources it takes in, its metric range and default,
 * and whether it has metric types (OSPF's E1/E2, IS-IS's internal/external);
 * the service parses and checks the block (errors at file:line:col), answers
 * which installed route is redistributed with which metric, and which RIB
 * changes concern the protocol, so that it re-advertises only then. Sources
 * are protocols of the registry, named as in the topology and in JSON.
 */
#ifndef NETSIM_REDIST_H
#define NETSIM_REDIST_H

#include <stdbool.h>
#include <stdint.h>

#include "../net/rib.h"

struct cfg;
struct json;

#define REDIST_MAX_SRC 16 /* protocols in the registry */

struct redist_rule {
	bool on;
	uint32_t metric;
	uint8_t mtype; /* metric type (1 or 2) where the protocol has them, else 0 */
	char *route_map; /* `route_map: NAME` where the protocol takes one (redist_free), or NULL */
	const struct cfg *route_map_at; /* its place, while the topology is read */
};

/* What one protocol takes in, by the source's protocol number. */
struct redist {
	bool any; /* a rule is on: every RIB change asks, and most routers redistribute nothing */
	struct redist_rule src[REDIST_MAX_SRC];
};

/* What a protocol accepts. */
struct redist_opts {
	const char *into;               /* "OSPF": for messages */
	const char *const *sources;     /* the protocols it may take in, NULL-terminated */
	uint32_t metric_max, metric_default;
	uint8_t mtype_default;          /* 0: no metric types */
	bool route_maps;                /* entries may name a route map (the protocol checks the name) */
};

/* Parse a `redistribute:` value (a name, a map, or a list of either). */
bool redist_config(struct redist *, const struct cfg *, const struct redist_opts *);
bool redist_any(const struct redist *);
/* Free what redist_config allocated (route map names). */
void redist_free(struct redist *);
/* The rule for a route whose selected path is p (NULL: not redistributed). */
const struct redist_rule *redist_rule(const struct redist *, const struct rib_path *p);
/* Does a change of the RIB concern what is redistributed? */
bool redist_concerns(const struct redist *, const struct rib_change *);
/* The rules as JSON, [{"protocol": "static", "metric": 20, "metricType": 2}, ...] */
void redist_json(const struct redist *, struct json *);

#endif
