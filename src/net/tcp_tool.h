/*
 * tcp_tool.h: the client behind `tcp connect [vrf NAME] IP PORT` and `tcp
 * send [vrf NAME] IP PORT BYTES` (tcp_svc.c): connect, push BYTES of a known pattern, close once
 * everything is acknowledged (and, to the echo port, has come back intact).
 * The command runs the simulation until tcp_tool's `done`.
 */
#ifndef NETSIM_TCP_TOOL_H
#define NETSIM_TCP_TOOL_H

#include <stdbool.h>
#include <stdint.h>

#include "tcp.h"

struct tcp_tool {
	struct node *node;
	struct tcp_pcb *pcb; /* NULL once closed */
	uint64_t bytes, queued, acked, received;
	uint64_t mismatch;   /* 1 + offset of the first echoed byte that differs, 0 if none */
	uint64_t retransmits;
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	uint16_t vrf;        /* the VRF the connection is in (0: the default) */
	bool echo, connected, peer_fin, failed, done;
	enum tcp_why why;
	sim_time t_start, t_conn, t_done;
};

/* Start a transfer to dst:port in VRF vrf (src 0: the VRF's route's source address). */
struct tcp_tool *tcp_tool_start(struct node *, uint16_t vrf, uint32_t dst, uint16_t port,
    uint64_t bytes, uint32_t src);
/* What went wrong (NULL: all delivered, and echoed intact to port 7). */
const char *tcp_tool_error(const struct tcp_tool *);
void tcp_tool_format(const struct tcp_tool *, struct strbuf *);
void tcp_tool_json(const struct tcp_tool *, struct json *);
/* Aborts the connection if it is still open. */
void tcp_tool_free(struct tcp_tool *);

#endif
