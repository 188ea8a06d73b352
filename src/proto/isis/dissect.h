/*
 * dissect.h: IS-IS for `netsim decode` (OSI, LLC DSAP 0xfe).
 */
#ifndef NETSIM_ISIS_DISSECT_H
#define NETSIM_ISIS_DISSECT_H

/* Register the IS-IS dissector (idempotent): the protocol's init hook calls it. */
void isis_dissect_init(void);

#endif
