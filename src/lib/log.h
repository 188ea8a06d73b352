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
	TR_LUA = 1u << 6,
	TR_DAEMON = 1u << 7,
	/* Bits 16 and up: one per registered protocol (proto.h, trace_flag_register). */
};

extern unsigned trace_flags;

void fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_trace(const char *, ...) __attribute__((format(printf, 1, 2)));
/* A name for `--trace NAME` (each protocol's, at start-up); replaces one of the same name. */
void trace_flag_register(const char *name, unsigned bit);
unsigned trace_flag_parse(const char *name); /* -> flag bits ("all": every one), or 0 if unknown */
/* The i-th flag name (core flags, then registered ones), NULL past the end. */
const char *trace_flag_name(int i);

#define bug(...) fatalx("bug: " __VA_ARGS__)
#define trace(flag, ...)                                                                        \
	do {                                                                                     \
		if (trace_flags & (flag))                                                        \
			log_trace(__VA_ARGS__);                                                  \
	} while (0)

#endif
