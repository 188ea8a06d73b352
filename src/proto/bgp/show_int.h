/*
 * show_int.h: what show.c lends the other show files (show_damp.c): FRR's
 * table header, status codes, AS path text, ages, and the sorted table.
 */
#ifndef NETSIM_BGP_SHOW_INT_H
#define NETSIM_BGP_SHOW_INT_H

#include "bgp.h"

/* FRR's peer_uptime() of an age: "00:00:15", "1d02h03m", ... */
const char *frr_age(sim_time age, char *buf, size_t n);
/* Every prefix with a path, sorted (caller frees); npaths may be NULL. */
struct bgp_dest **sorted_dests(const struct bgp *b, size_t *n, size_t *npaths);
/* "*>i", "*d ", " h ": FRR's route_vty_short_status_out. */
void status_str(const struct bgp *b, const struct bgp_dest *d, const struct bgp_path *p, char out[4]);
/* The AS path as FRR prints it ("65002 65001"). */
void aspath_text(const struct bgp_attr *a, struct strbuf *sb);
/* `show bgp`'s header without its column titles: table version, router ID, the codes. */
void table_codes(struct cli_ctx *c, const struct bgp *b);
/* `show bgp`'s header: table_codes and the column titles. */
void table_header(struct cli_ctx *c, const struct bgp *b);

#endif
