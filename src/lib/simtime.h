/*
 * simtime.h: simulated time, an integer count of nanoseconds, and its text
 * form ("250ms", "1.5s", "40us"): what the engine, the configuration and the
 * commands all read and write.
 */
#ifndef NETSIM_SIMTIME_H
#define NETSIM_SIMTIME_H

#include <stdint.h>

typedef int64_t sim_time;

#define SIM_NS    1LL
#define SIM_US    1000LL
#define SIM_MS    1000000LL
#define SIM_S     1000000000LL
#define SIM_NEVER INT64_MAX

/* "1.5ms", "40000ms", "250us": a compact form of a time (ms, or us below 1 ms). */
const char *sim_time_str(sim_time t);
/* Parse "100", "100ms", "2s", "1.5s", "250us", "3m", "1h" (bare number: ms). -1 on error. */
sim_time sim_time_parse(const char *);

#endif
