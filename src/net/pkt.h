/*
 * pkt.h: packet buffers.
 *
 * A pkt holds real wire bytes with headroom in front, so each layer pushes
 * its header on the way down and pulls it on the way up. A frame on a link
 * goes to its last receiver as it is and to any other receiver as an
 * exact-size copy, so receivers stay independent. Full-size buffers are
 * recycled (pkt.c).
 * A pkt also carries simulation-only metadata that never reaches the wire: its
 * class for convergence detection, and an optional hop trace used by ping.
 */
#ifndef NETSIM_PKT_H
#define NETSIM_PKT_H

#include <stddef.h>
#include <stdint.h>

enum pkt_class {
	PKT_DATA,     /* user traffic: does not delay convergence */
	PKT_CONTROL,  /* protocol work: the network is not converged while one is in flight */
	PKT_PERIODIC, /* hellos, keepalives: control traffic that is not work */
};

#define PKT_HEADROOM  128
#define PKT_TRACE_MAX 64

struct pkt_trace {
	uint16_t n;
	uint32_t node[PKT_TRACE_MAX];
};

struct pkt {
	uint8_t *data;
	uint32_t len;
	uint32_t size; /* bytes allocated after buf */
	uint8_t cls;
	struct pkt_trace *trace;
	uint8_t buf[];
};

/* A packet with room for len bytes of payload and PKT_HEADROOM in front. */
struct pkt *pkt_new(size_t len);
/*
 * The same with headroom bytes in front instead: for frames that only an
 * Ethernet header (and a VLAN tag) will precede, such as IS-IS PDUs; a
 * network in a cold start has a hundred thousand of them in flight.
 */
struct pkt *pkt_new_room(size_t len, size_t headroom);
struct pkt *pkt_from(const uint8_t *bytes, size_t len);
struct pkt *pkt_clone(const struct pkt *);
void pkt_free(struct pkt *);
/* Prepend n bytes (returns the new start); grows the buffer if headroom is short. */
uint8_t *pkt_push(struct pkt **pp, size_t n);
/* Strip n bytes from the front (caller checked len). */
void pkt_pull(struct pkt *, size_t n);
void pkt_trim(struct pkt *, size_t len);
void pkt_trace_add(struct pkt *, uint32_t node_id);
void pkt_trace_copy(struct pkt *dst, const struct pkt *src);

#endif
