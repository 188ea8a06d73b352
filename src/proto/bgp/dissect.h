/*
 * dissect.h: BGP for `netsim decode` (TCP port 179).
 */
#ifndef NETSIM_BGP_DISSECT_H
#define NETSIM_BGP_DISSECT_H

/* Register the BGP dissector (idempotent): the protocol's init hook is to call it. */
void bgp_dissect_init(void);

#endif
