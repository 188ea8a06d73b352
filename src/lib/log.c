/* log.c: warnings, fatal errors and trace output, all to stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

unsigned trace_flags;

static const struct {
	const char *name;
	unsigned bit;
} trace_names[] = {
	{"engine", TR_ENGINE}, {"pkt", TR_PKT}, {"arp", TR_ARP}, {"ip", TR_IP},
	{"switch", TR_SWITCH}, {"rib", TR_RIB}, {"ospf", TR_OSPF}, {"isis", TR_ISIS},
	{"bgp", TR_BGP}, {"lua", TR_LUA}, {"daemon", TR_DAEMON}, {"all", ~0u},
};

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	fputs("netsim: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(70);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("netsim: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
log_trace(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
trace_flag_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(trace_names) / sizeof(trace_names[0]); i++)
		if (strcmp(trace_names[i].name, name) == 0)
			return (int)trace_names[i].bit;
	return 0;
}
