/*
 * pcap.h: classic libpcap files with nanosecond timestamps (magic a1b23c4d),
 * link type Ethernet, one file per link; and a reader for pcap and pcapng.
 */
#ifndef NETSIM_PCAP_H
#define NETSIM_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../sim/sim.h"

#define LINKTYPE_NULL     0
#define LINKTYPE_ETHERNET 1
#define LINKTYPE_PPP      9
#define LINKTYPE_RAW      101
#define LINKTYPE_C_HDLC   104
#define LINKTYPE_LINUX_SLL 113
#define LINKTYPE_IPV4     228

struct pcap_writer;

/*
 * DIR/NAME.pcap for the link named name ("r1:eth0--r2:eth0" ->
 * "DIR/r1-eth0--r2-eth0.pcap"), always directly inside dir (malloc'd).
 */
char *pcap_link_path(const char *dir, const char *name);
struct pcap_writer *pcap_open(const char *path);
void pcap_write(struct pcap_writer *, sim_time t, const uint8_t *frame, size_t len);
void pcap_close(struct pcap_writer *);

/* Reader: one frame at a time; handles pcap (both byte orders, us/ns) and pcapng. */
struct pcap_reader;

struct pcap_frame {
	uint32_t linktype;
	int64_t ts_ns;
	const uint8_t *data;
	size_t caplen;
	size_t origlen;
};

struct pcap_reader *pcap_reader_open(const char *path, char *err, size_t errlen);
/* 1: a frame; 0: end of file; -1: a malformed file (err says why). */
int pcap_read(struct pcap_reader *, struct pcap_frame *, char *err, size_t errlen);
void pcap_reader_close(struct pcap_reader *);

#endif
