/* simtime.c: simulated time in text (simtime.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simtime.h"

const char *
sim_time_str(sim_time t)
{
	static _Thread_local char bufs[4][32];
	static _Thread_local unsigned k;
	char *b = bufs[k++ & 3];
	const char *unit = "ms";
	sim_time div = SIM_MS;
	int len;

	if (t != 0 && t % SIM_MS != 0 && t < SIM_MS) {
		unit = "us";
		div = SIM_US;
	}
	if (t % div == 0) {
		snprintf(b, 32, "%lld%s", (long long)(t / div), unit);
		return b;
	}
	len = snprintf(b, 32, "%lld.%06lld", (long long)(t / div), (long long)(t % div * 1000000 / div));
	while (len > 0 && b[len - 1] == '0')
		b[--len] = '\0';
	snprintf(b + len, 32 - (size_t)len, "%s", unit);
	return b;
}

sim_time
sim_time_parse(const char *s)
{
	char *end;
	double v;
	sim_time mult = SIM_MS;

	/* Digits first: strtod would also take "nan", "inf" and hex. */
	if (s == NULL || !((*s >= '0' && *s <= '9') || (*s == '.' && s[1] >= '0' && s[1] <= '9')))
		return -1;
	if (strspn(s, "0123456789.") == 0 || strpbrk(s, "xXpP") != NULL)
		return -1;
	v = strtod(s, &end);
	if (end == s)
		return -1;
	while (*end == ' ')
		end++;
	if (*end == '\0' || strcmp(end, "ms") == 0)
		mult = SIM_MS;
	else if (strcmp(end, "s") == 0)
		mult = SIM_S;
	else if (strcmp(end, "us") == 0)
		mult = SIM_US;
	else if (strcmp(end, "ns") == 0)
		mult = SIM_NS;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		mult = 60 * SIM_S;
	else if (strcmp(end, "h") == 0)
		mult = 3600 * SIM_S;
	else
		return -1;
	if (v < 0 || v * (double)mult > 9.0e18)
		return -1;
	return (sim_time)(v * (double)mult + 0.5);
}
