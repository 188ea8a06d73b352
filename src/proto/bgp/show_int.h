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
void status_chars(uint8_t flags, bool suppressed, bool internal, char out[4]);
void status_str(const struct bgp *b, const struct bgp_dest *d, const struct bgp_path *p, char out[4]);
/* The AS path as FRR prints it ("65002 65001"). */
void aspath_text(const struct bgp_attr *a, struct strbuf *sb);
/* `show bgp`'s header without its column titles: table version, router ID, the codes. */
void table_codes(struct cli_ctx *c, const struct bgp *b);
/* `show bgp`'s header: table_codes and the column titles. */
void table_header(struct cli_ctx *c, const struct bgp *b);

/*
 * One row of the table (FRR's route_vty_out): status, the prefix (NULL: a
 * prefix's later paths), next hop, MED, LOCAL_PREF, weight, AS path, origin.
 */
void table_row(struct cli_ctx *c, const char status[4], const struct prefix *pfx, uint32_t nexthop,
    const struct bgp_attr *a);

/* What a path row of `show bgp json` says. */
struct show_path {
	uint8_t flags;              /* BGP_PATH_* */
	uint8_t why;                /* enum bgp_reason, of the best path */
	bool internal, suppressed;
	const struct prefix *pfx;
	uint32_t version;
	const struct bgp_attr *attr;
	uint32_t peer;              /* the neighbor's address, 0: ours */
	uint32_t nexthop;
};
/* The path's object in `show bgp json` (FRR's keys), left open for more keys. */
void path_json_open(struct json *j, const struct show_path *v);

/* `show bgp summary` of one instance (which: BGP_FAM_* bits), `show bgp neighbors [IP [...]]`. */
int bgp_show_summary(struct cli_ctx *c, struct bgp *b, uint8_t which);
int bgp_show_neighbors(struct cli_ctx *c, struct bgp *b, int argc, char **argv);

#endif
