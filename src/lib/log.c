/* log.c: warnings, fatal errors and trace output, all to stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

unsigned trace_flags;

struct trace_name {
	const char *name;
	unsigned bit;
};

/*
 * The core's flags are fixed; protocols register theirs at start-up, so a
 * protocol this build lacks has no flag (`--trace isis` is an unknown flag,
 * not a silent no-op).
 */
static const struct trace_name core_names[] = {
	{"engine", TR_ENGINE}, {"pkt", TR_PKT}, {"arp", TR_ARP}, {"ip", TR_IP},
	{"switch", TR_SWITCH}, {"rib", TR_RIB}, {"lua", TR_LUA}, {"daemon", TR_DAEMON},
};
#define NCORE ((int)ARRAY_LEN(core_names))
static struct trace_name reg_names[16];
static int nreg;

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

void
trace_flag_register(const char *name, unsigned bit)
{
	int i;

	for (i = 0; i < nreg; i++)
		if (strcmp(reg_names[i].name, name) == 0)
			break;
	if (i == (int)ARRAY_LEN(reg_names))
		bug("too many trace flags");
	reg_names[i] = (struct trace_name){name, bit};
	if (i == nreg)
		nreg++;
}

const char *
trace_flag_name(int i)
{
	if (i < 0)
		return NULL;
	if (i < NCORE)
		return core_names[i].name;
	return i - NCORE < nreg ? reg_names[i - NCORE].name : NULL;
}

unsigned
trace_flag_parse(const char *name)
{
	if (strcmp(name, "all") == 0)
		return ~0u;
	for (int i = 0; i < NCORE; i++)
		if (strcmp(core_names[i].name, name) == 0)
			return core_names[i].bit;
	for (int i = 0; i < nreg; i++)
		if (strcmp(reg_names[i].name, name) == 0)
			return reg_names[i].bit;
	return 0;
}
