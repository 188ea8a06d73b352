/* converge.c: convergence detection (see converge.h). */
#include "../lib/util.h"
#include "../proto/proto.h"
#include "../sim/dist.h"
#include "dist_net.h"
#include "converge.h"
#include "flow.h"
#include "tcp.h"

/*
 * Bring the network totals up to date for one node, and ask its protocols
 * whether they have work. Protocol state only changes inside the node's own
 * events or in global context, so after a tick only the nodes that ran need
 * asking; after a global batch (a command, a script) every node does.
 */
static void
update_node(struct network *net, struct node *n)
{
	bool busy = n->up && (proto_busy_node(n) || tcp_busy(n));

	net->ctrl_sent += n->ctrl.sent - n->ctrl.sent_seen;
	net->ctrl_done += n->ctrl.done - n->ctrl.done_seen;
	n->ctrl.sent_seen = n->ctrl.sent;
	n->ctrl.done_seen = n->ctrl.done;
	net->rib_changes += n->ctrl.rib_changes;
	n->ctrl.rib_changes = 0;
	if (n->ctrl.last > net->last_activity)
		net->last_activity = n->ctrl.last;
	if (busy != n->ctrl.busy) {
		n->ctrl.busy = busy;
		net->nbusy += busy ? 1 : (size_t)-1;
	}
}

uint64_t
converge_inflight(const struct network *net)
{
	return net->ctrl_sent - net->ctrl_done;
}

static void
check(struct network *net, bool all)
{
	struct sim *s = &net->sim;
	sim_time last;
	bool q;

	if (all || s->last_global || s->ndue == 0) {
		for (size_t i = 0; i < net->nnodes; i++)
			if (!net->nodes[i]->actor.ghost) /* another rank's: counted there */
				update_node(net, net->nodes[i]);
	} else {
		/* Every frame sent in the tick came from one of these (their outboxes). */
		for (size_t i = 0; i < s->ndue; i++)
			update_node(net, container_of(s->due[i], struct node, actor));
	}
	if (dist_on()) {
		q = dist_quiet(net, &last);
	} else {
		q = net->ctrl_sent == net->ctrl_done && net->nbusy == 0;
		last = net->last_activity;
	}
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

/*
 * From outside the engine's step (a script or command changed something
 * between steps): any device may have changed, so ask them all.
 */
void
converge_check(struct network *net)
{
	check(net, true);
}

/* After every step: first the events of the step, then the convergence question. */
static void
after_step(struct sim *s UNUSED, void *arg)
{
	struct network *net = arg;

	ev_flush(net);
	if (net->flows != NULL)
		flow_after_step(net);
	check(net, false);
}

void
converge_attach(struct network *net)
{
	net->sim.after_step = after_step;
	net->sim.after_arg = net;
}
