/*
 * converge.h: deciding that the network has converged.
 *
 * After every engine step: the network is quiet when no control frame is in
 * flight (frames of class PKT_CONTROL sent but not yet received: routing
 * protocol work, and the gratuitous ARPs that let switches learn at start)
 * and no protocol instance reports pending work (protocol->busy). ARP
 * resolution driven by traffic is data, not convergence work. Periodic hellos and keepalives are PKT_PERIODIC and do not
 * count. The convergence time is the time of the last activity: the last
 * control frame received or RIB change. Any later activity makes the network
 * unconverged until it is quiet again, and `converged` fires again.
 */
#ifndef NETSIM_CONVERGE_H
#define NETSIM_CONVERGE_H

#include "net.h"

/* Install the check as the engine's after-step hook. */
void converge_attach(struct network *);
/* Evaluate now (also called by the hook). */
void converge_check(struct network *);
/* Control frames in flight right now. */
uint64_t converge_inflight(const struct network *);

#endif
