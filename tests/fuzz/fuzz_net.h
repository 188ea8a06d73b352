/*
 * fuzz_net.h: the live network of a protocol harness (fuzz_ospf_rx,
 * fuzz_isis_rx): built from YAML, started and run until it has converged,
 * which the harness's inputs then disturb. Any failure aborts: the topology
 * is the harness's own, so it is a bug of the harness or of netsim.
 */
#ifndef NETSIM_FUZZ_NET_H
#define NETSIM_FUZZ_NET_H

#include <stdlib.h>

#include "lib/cfg.h"
#include "net/converge.h"
#include "net/net.h"
#include "topo/topo.h"

static inline struct topo *
fuzz_net(const char *file, const char *yaml, size_t len)
{
	struct cfg_doc *doc = cfg_parse_yaml(file, yaml, len);
	struct topo *t = doc->nerrors == 0 ? topo_build(doc, NULL) : NULL;

	cfg_doc_free(doc);
	if (t == NULL)
		abort();
	converge_attach(t->net);
	net_start(t->net);
	/* Adjacencies, database exchange, SPF: done well within 2 min (OSPF's Wait timer is 40 s). */
	sim_run_until(&t->net->sim, 120 * SIM_S);
	if (!t->net->converged)
		abort();
	return t;
}

#endif
