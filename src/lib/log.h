/*
 * log.h: the three error tiers' C side.
 *
 * fatalx()/bug(): a broken invariant; prints and exits.
 * log_warn(): bad input from the network or a file; the caller returns -1 and counts it.
 * trace(): per-subsystem debug output, enabled with -v / --trace FLAG.
 */
#ifndef NETSIM_LOG_H
#define NETSIM_LOG_H

#include <stdbool.h>

enum trace_flag {
	TR_ENGINE = 1u << 0,
	TR_PKT = 1u << 1,
	TR_ARP = 1u << 2,
	TR_IP = 1u << 3,
	TR_SWITCH = 1u << 4,
	TR_RIB = 1u << 5,
	TR_OSPF = 1u << 6,
	TR_ISIS = 1u << 7,
	TR_BGP = 1u << 8,
	TR_LUA = 1u << 9,
	TR_DAEMON = 1u << 10,
};

extern unsigned trace_flags;

void fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_trace(const char *, ...) __attribute__((format(printf, 1, 2)));
int trace_flag_parse(const char *name); /* -> flag bit, or 0 if unknown */

#define bug(...) fatalx("bug: " __VA_ARGS__)
#define trace(flag, ...)                                                                        \
	do {                                                                                     \
		if (trace_flags & (flag))                                                        \
			log_trace(__VA_ARGS__);                                                  \
	} while (0)

#endif
