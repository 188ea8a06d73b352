/*
 * dissect_int.h: inside the decoder: how dissect_setup() reaches the built-in
 * dissectors, one setup function per file (see the list in dissect.c).
 */
#ifndef NETSIM_DISSECT_INT_H
#define NETSIM_DISSECT_INT_H

#include "dissect.h"

void dissect_link_setup(void);
void dissect_arp_setup(void);
void dissect_ipv4_setup(void);
void dissect_icmp_setup(void);
void dissect_udp_setup(void);
void dissect_tcp_setup(void);
void dissect_mpls_setup(void);
void dissect_lsp_ping_setup(void);

/*
 * Hand a UDP or TCP payload to the dissector of either port, the lower one
 * first (the well-known side of most conversations); true if one ran.
 */
bool dissect_ports(struct dissect *, enum dissect_table, uint16_t sport, uint16_t dport,
    const uint8_t *p, size_t len);

#endif
