/* converge.c: convergence detection (see converge.h). */
#include "../proto/proto.h"
#include "converge.h"

uint64_t
converge_inflight(const struct network *net)
{
	uint64_t sent = 0, done = 0;

	for (size_t i = 0; i < net->nnodes; i++) {
		sent += net->nodes[i]->ctrl.sent;
		done += net->nodes[i]->ctrl.done;
	}
	return sent - done;
}

static bool
quiet(const struct network *net)
{
	if (converge_inflight(net) != 0)
		return false;
	for (size_t i = 0; i < net->nnodes; i++) {
		struct node *n = net->nodes[i];

		if (!n->up)
			continue;
		if (proto_busy_node(n))
			return false;
	}
	return true;
}

void
converge_check(struct network *net)
{
	sim_time last = 0;
	bool q = quiet(net);

	for (size_t i = 0; i < net->nnodes; i++)
		if (net->nodes[i]->ctrl.last > last)
			last = net->nodes[i]->ctrl.last;
	if (net->converged && (!q || last > net->converged_at))
		net->converged = false;
	if (!net->converged && q) {
		net->converged = true;
		net->converged_at = last;
		net->converge_count++;
		ev_post(net, NULL, &(struct net_ev){.kind = EV_CONVERGED, .t = last, .ifindex = -1,
		    .link = -1, .text = "Network converged"});
	}
}

/* After every step: first the events of the step, then the convergence question. */
static void
after_step(struct sim *s, void *arg)
{
	ev_flush(arg);
	converge_check(arg);
}

void
converge_attach(struct network *net)
{
	net->sim.after_step = after_step;
	net->sim.after_arg = net;
}
