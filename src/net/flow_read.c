/*
 * flow_read.c: flows from a file (`netsim sweep --flows FILE`, net:flows(FILE);
 * docs/experiments.md): a YAML (or JSON) list of {from, to}, or that list
 * under `flows:`, each endpoint a device (its source address, as ping uses)
 * or an address (the device that owns it). Every mistake is reported at its
 * file:line:col, all of them rather than the first.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "flow.h"

struct node *
flow_endpoint(struct network *net, const char *s, uint32_t *addr, struct strbuf *why)
{
	struct node *n;

	if (ip_parse(s, addr)) {
		for (size_t i = 0; i < net->nnodes; i++)
			if (net->nodes[i]->ip != NULL && node_is_local(net->nodes[i], *addr))
				return net->nodes[i];
		sb_printf(why, "no device has the address %s", s);
		return NULL;
	}
	if ((n = net_node(net, s)) == NULL) {
		sb_printf(why, "'%s' is neither an IPv4 address nor a device of %s", s, net->name);
		return NULL;
	}
	if ((*addr = node_source_addr(n)) == 0) {
		sb_printf(why, "device '%s' has no IPv4 address", s);
		return NULL;
	}
	return n;
}

/* The endpoint under key of the map m into *n, *addr; false after reporting where. */
static bool
read_endpoint(struct network *net, const struct cfg *m, const char *key, struct node **n,
    uint32_t *addr)
{
	struct strbuf why = STRBUF_INIT;
	const char *s = NULL;

	if (!cfg_need_str(m, key, "a flow", &s))
		return false;
	if (net != NULL && (*n = flow_endpoint(net, s, addr, &why)) == NULL)
		cfg_error(cfg_get(m, key), "%s", sb_str(&why));
	sb_free(&why);
	return net == NULL || *n != NULL;
}

bool
flow_pairs_read(struct network *net, struct cfg_doc *doc, struct flow_pair **out, size_t *n)
{
	const struct cfg *list = cfg_doc_list(doc, "flows");

	*out = NULL;
	*n = 0;
	if (list == NULL)
		return false;
	*out = xcalloc(list->n ? list->n : 1, sizeof(**out));
	for (size_t i = 0; i < list->n; i++) {
		const struct cfg *m = list->v[i];
		struct flow_pair *p = &(*out)[*n];
		const char *why;
		bool ok;

		if (!cfg_is_map(m, "a flow ({from: DEVICE|ADDRESS, to: DEVICE|ADDRESS})"))
			continue;
		p->line = m->line;
		p->col = m->col;
		/* Both read (not &&): every mistake is reported. */
		ok = read_endpoint(net, m, "from", &p->src, &p->saddr);
		ok = read_endpoint(net, m, "to", &p->dst, &p->daddr) && ok;
		if (ok && net != NULL && (why = flow_ends_check(p->src, p->saddr, p->dst, p->daddr)) != NULL)
			ok = cfg_error(m, "%s", why);
		if (ok)
			(*n)++;
		cfg_check_unknown(m, "a flow");
	}
	if (list->n == 0)
		cfg_error(list, "no flows in the list");
	return doc->nerrors == 0;
}
