/*
 * feed.c: the route feeder (feed.h, docs/bgp-feed.md): a BGP instance with
 * a `feed:` block streams a generated table (feedgen.c) or an MRT replay
 * (mrt.c) to every neighbor that reaches Established, then End-of-RIB
 * (RFC 4724 2).
 *
 * Streaming is paced by TCP: UPDATEs are built while the session's queue is
 * empty (bgp_send_msg queues what TCP has no room for), and TCP's `sent`
 * callback calls bgp_feed_room when acknowledgements free the buffer, so at
 * most one UPDATE per neighbor waits in memory. A neighbor's whole state is
 * a cursor (where the stream is) and counters. Prefixes that share
 * attributes are packed into one UPDATE (at most 4096 octets, RFC 4271 4).
 *
 * `bgp feed withdraw [IP]` streams withdrawals of everything announced on
 * the session (the table again from its start, as far as it had gone) and
 * keeps the table withdrawn across session resets until `bgp feed
 * announce [IP]` streams it again. UPDATEs received are counted and
 * dropped (session.c): a feeder is a route injector, like bgperf's testers,
 * and never holds what the router under test sends back.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/buf.h"
#include "../../lib/cfg.h"
#include "../../lib/json.h"
#include "../../lib/log.h"
#include "../../lib/util.h"
#include "bgp.h"
#include "mrt.h"

#define WD_BATCH  800 /* withdrawals per UPDATE: 800 x at most 5 octets fit in 4096 */
#define MRT_BATCH 800 /* routes with equal attributes per UPDATE (fewer if they do not fit) */

enum feed_phase { FEED_IDLE, FEED_ANNOUNCE, FEED_WITHDRAW, FEED_DONE };

static const char *const phase_name[] = {"idle", "announcing", "withdrawing", "done"};

struct feed_peer {
	uint8_t phase;           /* enum feed_phase */
	bool withdrawn;          /* `bgp feed withdraw`: stays so until `bgp feed announce` */
	bool eor_sent;           /* End-of-RIB on this session */
	struct feedgen_cur cur;  /* generated: where the stream is */
	uint64_t off;            /* replay: the next record's offset */
	uint32_t pos;            /* table entries streamed in this phase */
	uint32_t fed;            /* the first `fed` entries are announced on the session */
	uint64_t sent, withdrawn_n, skipped; /* prefixes announced, withdrawn, unusable (replay) */
	uint64_t upd_in, octets_in;
	sim_time phase_start, phase_end;
};

struct bgp_feed {
	struct feedgen gen;
	struct mrt_file mrt;
	bool mrt_open;
	uint32_t total;          /* entries in the table */
	uint32_t *avoid;         /* ASes generated paths never contain */
	size_t navoid;
	struct feed_peer *peers; /* per bgp->peers */
};

/* ---- configuration ---- */

/* path relative to the topology file's directory (unless absolute). */
static char *
resolve(const struct cfg *at, const char *path)
{
	const char *file = at->doc != NULL ? at->doc->file : NULL;
	const char *slash = file != NULL ? strrchr(file, '/') : NULL;

	if (path[0] == '/' || slash == NULL)
		return xstrdup(path);
	return xasprintf("%.*s/%s", (int)(slash - file), file, path);
}

/*
 * A replayed route's attributes decoded as an UPDATE carrying it would be
 * (AS_PATH with 4-octet ASes: RFC 6396 4.3.4), into u (whose arrays point
 * into m and scratch). False for attributes an UPDATE cannot carry or the
 * codec refuses: such routes are skipped.
 */
static bool
mrt_decode(const struct mrt_route *r, struct bgp_update *u, uint8_t *m, uint8_t *scratch)
{
	struct bgp_codec_ctx ctx = {.as4 = true, .ebgp = true};
	unsigned nb = (r->pfx.len + 7u) / 8;
	size_t len = BGP_HDR_LEN + 4 + r->attr_len + 1 + nb;

	if (len > BGP_MAX_LEN)
		return false;
	memset(m, 0xff, 16);
	put16(m + 16, (uint16_t)len);
	m[18] = BGP_UPDATE;
	put16(m + 19, 0);
	put16(m + 21, r->attr_len);
	memcpy(m + 23, r->attrs, r->attr_len);
	m[23 + r->attr_len] = r->pfx.len;
	for (unsigned k = 0; k < nb; k++)
		m[24 + r->attr_len + k] = (uint8_t)(r->pfx.addr >> (24 - 8 * k));
	return bgp_update_decode(m, len, &ctx, u, scratch) >= 0 && u->action == BGP_UPD_OK &&
	    u->has_attrs && u->nnlri == 1;
}

/*
 * Check an MRT file at load time: the whole file scanned, the peer chosen,
 * and every one of its routes decoded as an UPDATE would be, so that a bad
 * file is reported with its offset now rather than half-way through a run.
 */
static bool
mrt_check(struct bgp_feed_cfg *fc, const struct cfg *at, const struct cfg *peer_at)
{
	struct mrt_file f;
	struct mrt_err err = {0};
	struct mrt_route r;
	uint64_t off, bad = 0, bad_off = 0;
	int k;
	bool ok = true;

	if (!mrt_open(&f, fc->mrt, &err))
		return cfg_error(at, "%s: %s", fc->mrt, err.msg);
	if (!mrt_scan(&f, &err)) {
		ok = cfg_error(at, "%s: offset %llu: %s", fc->mrt, (unsigned long long)err.off, err.msg);
		goto out;
	}
	if (fc->mrt_peer < 0) {
		for (uint16_t i = 0; i < f.npeers && fc->mrt_peer < 0; i++)
			if (f.routes[i] > 0)
				fc->mrt_peer = i;
		if (fc->mrt_peer < 0) {
			ok = cfg_error(at, "%s: no peer of its PEER_INDEX_TABLE has IPv4 unicast routes",
			    fc->mrt);
			goto out;
		}
	} else if (fc->mrt_peer >= f.npeers || f.routes[fc->mrt_peer] == 0) {
		ok = cfg_error(peer_at, "%s: peer %d %s", fc->mrt, fc->mrt_peer,
		    fc->mrt_peer >= f.npeers ? "is not in its PEER_INDEX_TABLE" :
		                               "has no IPv4 unicast routes there");
		goto out;
	}
	fc->mrt_routes = f.routes[fc->mrt_peer];
	off = f.first;
	while ((k = mrt_next_route(&f, &off, (uint16_t)fc->mrt_peer, &r, &err)) > 0) {
		uint8_t m[BGP_MAX_LEN], scratch[BGP_SCRATCH];
		struct bgp_pfx nl[1];
		struct bgp_update u = {.withdrawn = nl, .nlri = nl};

		if (!mrt_decode(&r, &u, m, scratch) && bad++ == 0)
			bad_off = r.attr_off;
	}
	if (k < 0)
		ok = cfg_error(at, "%s: offset %llu: %s", fc->mrt, (unsigned long long)err.off, err.msg);
	else if (bad > 0)
		cfg_warn(at, "%s: %llu routes of peer %d have attributes an UPDATE cannot carry (the "
		             "first at offset %llu): they are skipped", fc->mrt, (unsigned long long)bad,
		    fc->mrt_peer, (unsigned long long)bad_off);
out:
	mrt_close(&f);
	return ok;
}

bool
bgp_feed_config(struct bgp_cfg *cf, const struct cfg *blk)
{
	struct bgp_feed_cfg *fc;
	const struct cfg *c, *mrt, *pfx, *peer_at;
	long long v;
	bool ok = true;

	if (!cfg_is_map(blk, "feed"))
		return false;
	fc = cf->feed = xcalloc(1, sizeof(*fc));
	fc->mrt_peer = -1;
	fc->seed = 1;
	pfx = cfg_get(blk, "prefixes");
	mrt = cfg_get(blk, "mrt");
	if ((pfx == NULL) == (mrt == NULL))
		ok = cfg_error(blk, "a feed has either 'prefixes' (a generated table) or 'mrt' (a "
		                    "TABLE_DUMP_V2 file to replay)");
	if (pfx != NULL) {
		if (cfg_int(pfx, "prefixes", 1, FEEDGEN_MAX_PREFIXES, &v))
			fc->prefixes = (uint32_t)v;
		else
			ok = false;
		v = 1;
		ok &= cfg_opt_int(blk, "seed", 0, LLONG_MAX, &v);
		fc->seed = (uint64_t)v;
		v = 0;
		ok &= cfg_opt_int(blk, "first_as", 1, UINT32_MAX, &v);
		fc->first_as = (uint32_t)v;
	}
	if (mrt != NULL) {
		const char *s;

		v = -1;
		ok &= cfg_opt_int(blk, "peer", 0, 65535, &v);
		fc->mrt_peer = (int32_t)v;
		v = 0;
		ok &= cfg_opt_int(blk, "limit", 1, UINT32_MAX, &v);
		fc->limit = (uint32_t)v;
		peer_at = cfg_get(blk, "peer");
		if (cfg_str(mrt, "mrt", &s)) {
			fc->mrt = resolve(mrt, s);
			if (ok)
				ok = mrt_check(fc, mrt, peer_at != NULL ? peer_at : mrt);
		} else
			ok = false;
	}
	if ((c = cfg_get(blk, "seed")) != NULL && pfx == NULL)
		ok = cfg_error(c, "'seed' is for a generated feed ('prefixes')");
	cfg_check_unknown(blk, "feed");
	return ok;
}

void
bgp_feed_cfg_free(struct bgp_cfg *cf)
{
	if (cf->feed != NULL)
		free(cf->feed->mrt);
	free(cf->feed);
	cf->feed = NULL;
}

/* ---- streaming ---- */

/* p's stream, or NULL when p's instance is not a feeder. */
static struct feed_peer *
fpeer(const struct bgp_peer *p)
{
	return p->bgp->feed != NULL ? &p->bgp->feed->peers[p - p->bgp->peers] : NULL;
}

static void
phase_set(struct bgp_peer *p, struct feed_peer *fp, enum feed_phase ph)
{
	struct bgp_feed *f = p->bgp->feed;

	fp->phase = (uint8_t)ph;
	if (ph == FEED_ANNOUNCE || ph == FEED_WITHDRAW) {
		memset(&fp->cur, 0, sizeof(fp->cur));
		fp->off = f->mrt.first;
		fp->pos = 0;
		fp->phase_start = node_now(p->bgp->node);
	} else if (ph == FEED_DONE) {
		fp->phase_end = node_now(p->bgp->node);
	}
}

static struct bgp_codec_ctx
codec_ctx(const struct bgp_peer *p)
{
	return (struct bgp_codec_ctx){.as4 = p->as4, .ebgp = p->ebgp, .local_as = p->bgp->cfg.as};
}

static void
sent(struct bgp_peer *p, struct feed_peer *fp, const uint8_t *m, size_t len, size_t n, bool wd)
{
	bgp_send_msg(p, m, len, BGP_UPDATE);
	p->bgp->st.updates_out++;
	if (wd) {
		fp->withdrawn_n += n;
		p->st.withdraw_out += n;
	} else {
		fp->sent += n;
	}
}

/* The attributes of a generated group as p gets them. */
static void
gen_attr(const struct bgp_peer *p, uint32_t grp, struct bgp_attr *a, uint8_t *path,
    uint32_t *comm)
{
	const struct bgp *b = p->bgp;
	struct feedgen_attr ga;
	uint32_t first = b->cfg.feed->first_as ? b->cfg.feed->first_as : b->cfg.as;
	unsigned skip;

	feedgen_attr(&b->feed->gen, grp, first, b->feed->avoid, b->feed->navoid, &ga);
	/*
	 * Inside our own AS the path does not start with it (an iBGP receiver
	 * would see a loop): a path of our AS alone is empty, a route of the AS.
	 */
	skip = !p->ebgp && ga.path[0] == b->cfg.as;
	memset(a, 0, sizeof(*a));
	a->origin = BGP_ORIGIN_IGP;
	a->has = BGP_HAS_NEXT_HOP;
	a->nexthop = p->local_addr;
	path[0] = BGP_AS_SEQUENCE;
	path[1] = (uint8_t)(ga.npath - skip);
	for (unsigned k = skip; k < ga.npath; k++)
		put32(path + 2 + 4 * (k - skip), ga.path[k]);
	a->aspath = path;
	a->aspath_len = ga.npath > skip ? (uint16_t)(2 + 4 * (ga.npath - skip)) : 0;
	if (!p->ebgp) {
		a->has |= BGP_HAS_LOCAL_PREF;
		a->local_pref = BGP_LOCAL_PREF_DFLT;
	}
	if (p->cfg->send_community) {
		memcpy(comm, ga.comm, sizeof(ga.comm));
		a->comm = comm;
		a->ncomm = ga.ncomm;
	}
}

/* The next table entry of the phase: 1, 0 at its end, -1 (replay) on a read error. */
static int
next_entry(struct bgp_peer *p, struct feed_peer *fp, struct bgp_pfx *pfx, uint32_t *grp,
    struct mrt_route *r)
{
	struct bgp_feed *f = p->bgp->feed;
	uint32_t end = fp->phase == FEED_WITHDRAW ? fp->fed : f->total;
	struct mrt_err err;
	int k;

	if (fp->pos >= end)
		return 0;
	if (!f->mrt_open) {
		if (!feedgen_next(&f->gen, &fp->cur, pfx, grp))
			return 0;
	} else if ((k = mrt_next_route(&f->mrt, &fp->off, (uint16_t)p->bgp->cfg.feed->mrt_peer, r,
	                &err)) <= 0) {
		if (k < 0)
			log_warn("%s: bgp feed: %s: offset %llu: %s", p->bgp->node->name,
			    p->bgp->cfg.feed->mrt, (unsigned long long)err.off, err.msg);
		return k;
	} else {
		*pfx = r->pfx;
	}
	fp->pos++;
	return 1;
}

/* One UPDATE of withdrawals; false at the end of the phase. */
static bool
step_withdraw(struct bgp_peer *p, struct feed_peer *fp)
{
	struct bgp_codec_ctx ctx = codec_ctx(p);
	struct bgp_pfx pfx[WD_BATCH];
	struct mrt_route r;
	uint8_t m[BGP_MAX_LEN];
	size_t n = 0, used, len;
	uint32_t grp;

	while (n < WD_BATCH && next_entry(p, fp, &pfx[n], &grp, &r) > 0)
		n++;
	if (n == 0)
		return false;
	len = bgp_update_encode(m, &ctx, NULL, pfx, n, true, &used);
	if (used != n) /* cannot happen: WD_BATCH prefixes always fit */
		bug("bgp feed: %zu of %zu withdrawals fit", used, n);
	sent(p, fp, m, len, n, true);
	return true;
}

/* One UPDATE of a generated group; false at the end of the table. */
static bool
step_generated(struct bgp_peer *p, struct feed_peer *fp)
{
	struct bgp_codec_ctx ctx = codec_ctx(p);
	struct bgp_pfx pfx[8];
	struct bgp_attr a;
	uint8_t m[BGP_MAX_LEN], path[2 + 4 * FEEDGEN_MAX_PATH];
	uint32_t comm[FEEDGEN_MAX_COMM];
	size_t n = 0, used, len;
	uint32_t grp = 0, g;

	/* A group's prefixes are consecutive (at most 8): one UPDATE. */
	do {
		if (next_entry(p, fp, &pfx[n], &g, NULL) <= 0)
			break;
		grp = g;
		n++;
	} while (fp->cur.left > 0 && n < ARRAY_LEN(pfx));
	if (n == 0)
		return false;
	gen_attr(p, grp, &a, path, comm);
	len = bgp_update_encode(m, &ctx, &a, pfx, n, false, &used);
	if (used != n)
		bug("bgp feed: %zu of %zu prefixes fit", used, n);
	sent(p, fp, m, len, n, false);
	return true;
}

/*
 * One UPDATE of replayed routes: the next route and those after it with the
 * same attribute octets (an MRT dump lists a peer's routes in prefix order,
 * and neighbors in it often share attributes).
 */
static bool
step_replay(struct bgp_peer *p, struct feed_peer *fp)
{
	struct bgp *b = p->bgp;
	struct bgp_codec_ctx ctx = codec_ctx(p);
	static _Thread_local struct bgp_pfx pfx[MRT_BATCH];
	static _Thread_local uint64_t offs[MRT_BATCH];
	static _Thread_local uint8_t attrs[BGP_MAX_LEN], m[BGP_MAX_LEN], dm[BGP_MAX_LEN],
	    scratch[BGP_SCRATCH];
	struct bgp_pfx nl[1];
	struct bgp_update u = {.withdrawn = nl, .nlri = nl};
	struct mrt_route r;
	struct bgp_attr a;
	uint8_t path[BGP_SCRATCH];
	uint16_t alen = 0;
	size_t n = 0, used, len;
	uint32_t grp, pos0;
	int k;

	/* The first route whose attributes an UPDATE can carry. */
	for (;;) {
		if ((k = next_entry(p, fp, &pfx[0], &grp, &r)) <= 0)
			return false;
		if (mrt_decode(&r, &u, dm, scratch))
			break;
		fp->skipped++;
	}
	alen = r.attr_len;
	memcpy(attrs, r.attrs, alen);
	offs[n++] = fp->off;
	pos0 = fp->pos;
	while (n < MRT_BATCH) {
		uint64_t back = fp->off;

		if (next_entry(p, fp, &pfx[n], &grp, &r) <= 0)
			break;
		if (r.attr_len != alen || memcmp(r.attrs, attrs, alen) != 0) {
			fp->off = back;
			fp->pos--;
			break;
		}
		offs[n++] = fp->off;
	}
	a = u.attr;
	a.nexthop = p->local_addr;
	a.has |= BGP_HAS_NEXT_HOP;
	a.has &= ~(BGP_HAS_ORIGINATOR | BGP_HAS_OTC);
	a.ncluster = 0;
	if (p->ebgp) {
		a.has &= ~BGP_HAS_LOCAL_PREF;
		/* The path as the feeder's neighbor sees it: through the feeder's AS. */
		if (bgp_aspath_first(a.aspath, a.aspath_len) != b->cfg.as) {
			int pl = bgp_aspath_prepend(a.aspath, a.aspath_len, b->cfg.as, 1, path, sizeof(path));

			if (pl < 0) { /* too long to extend: skip the run */
				fp->skipped += n;
				return true;
			}
			a.aspath = path;
			a.aspath_len = (uint16_t)pl;
		}
	}
	if (!p->cfg->send_community) {
		a.ncomm = a.nlcomm = 0;
	}
	if (!p->cfg->send_ext_community)
		a.necomm = 0;
	len = bgp_update_encode(m, &ctx, &a, pfx, n, false, &used);
	if (used == 0) {
		fp->skipped += n;
		return true;
	}
	if (used < n) { /* the rest go in the next UPDATE */
		fp->off = offs[used - 1];
		fp->pos = pos0 + (uint32_t)used - 1;
	}
	sent(p, fp, m, len, used, false);
	return true;
}

void
bgp_feed_room(struct bgp_peer *p)
{
	struct feed_peer *fp = fpeer(p);

	if (fp == NULL)
		return;
	/* While TCP takes them whole: a message it has no room for waits in outq, and we with it. */
	while (p->est != NULL && p->outq_len == 0 &&
	       (fp->phase == FEED_ANNOUNCE || fp->phase == FEED_WITHDRAW)) {
		bool more = fp->phase == FEED_WITHDRAW ? step_withdraw(p, fp) :
		            p->bgp->feed->mrt_open     ? step_replay(p, fp) :
		                                         step_generated(p, fp);

		if (more) {
			if (fp->phase == FEED_ANNOUNCE && fp->pos > fp->fed)
				fp->fed = fp->pos;
			p->st.pfx_out = fp->fed;
			continue;
		}
		if (fp->phase == FEED_WITHDRAW) {
			fp->fed = 0;
			p->st.pfx_out = 0;
		}
		phase_set(p, fp, FEED_DONE);
	}
	if (fp->phase == FEED_DONE && !fp->eor_sent && p->est != NULL) {
		uint8_t m[BGP_HDR_LEN + 4];

		/* End-of-RIB after the initial table (RFC 4724 2), as out.c sends it for other speakers. */
		bgp_send_msg(p, m, bgp_eor_encode(m), BGP_UPDATE);
		fp->eor_sent = true;
	}
}

void
bgp_feed_peer_up(struct bgp_peer *p)
{
	struct feed_peer *fp = fpeer(p);

	if (fp == NULL)
		return;
	fp->eor_sent = false;
	fp->fed = 0;
	phase_set(p, fp, fp->withdrawn ? FEED_DONE : FEED_ANNOUNCE);
	bgp_feed_room(p);
}

bool
bgp_feed_busy(const struct bgp *b)
{
	if (b->feed == NULL)
		return false;
	for (size_t i = 0; i < b->npeers; i++)
		if (b->peers[i].est != NULL && (b->feed->peers[i].phase == FEED_ANNOUNCE ||
		                                b->feed->peers[i].phase == FEED_WITHDRAW))
			return true;
	return false;
}

void
bgp_feed_update_in(struct bgp_peer *p, size_t len)
{
	struct feed_peer *fp = fpeer(p);

	if (fp == NULL)
		return;
	fp->upd_in++;
	fp->octets_in += len;
}

/* ---- start and stop ---- */

void
bgp_feed_start(struct bgp *b)
{
	const struct bgp_feed_cfg *fc = b->cfg.feed;
	const struct network *net = b->node->net;
	struct bgp_feed *f;
	bool used8[256] = {false};

	if (fc == NULL)
		return;
	f = b->feed = xcalloc(1, sizeof(*f));
	f->peers = xcalloc(b->npeers ? b->npeers : 1, sizeof(*f->peers));
	f->mrt.fd = -1;
	if (fc->mrt != NULL) {
		struct mrt_err err;

		if (!mrt_open(&f->mrt, fc->mrt, &err) || !mrt_scan(&f->mrt, &err)) {
			log_warn("%s: bgp feed: %s: offset %llu: %s: nothing to feed", b->node->name,
			    fc->mrt, (unsigned long long)err.off, err.msg);
			mrt_close(&f->mrt);
			return; /* total 0: sessions get End-of-RIB alone */
		}
		f->mrt_open = true;
		f->total = fc->limit && fc->limit < fc->mrt_routes ? fc->limit : fc->mrt_routes;
		return;
	}
	/* Generated prefixes stay out of the /8s the topology numbers its own interfaces from. */
	for (size_t i = 0; i < net->nnodes; i++)
		for (size_t j = 0; j < net->nodes[i]->nifs; j++)
			if (net->nodes[i]->ifs[j]->addr != 0)
				used8[net->nodes[i]->ifs[j]->addr >> 24] = true;
	feedgen_init(&f->gen, fc->seed, fc->prefixes, used8);
	f->total = f->gen.n;
	if (f->total < fc->prefixes)
		log_warn("%s: bgp feed: the topology's addresses leave room for %u of the %u prefixes",
		    b->node->name, f->total, fc->prefixes);
	/* Paths never cross our AS or a neighbor's (the receiver would drop them as loops). */
	f->avoid = xcalloc(b->npeers + 1, sizeof(*f->avoid));
	f->avoid[f->navoid++] = b->cfg.as;
	for (size_t i = 0; i < b->npeers; i++)
		f->avoid[f->navoid++] = b->peers[i].cfg->remote_as;
}

void
bgp_feed_stop(struct bgp *b)
{
	struct bgp_feed *f = b->feed;

	if (f == NULL)
		return;
	if (f->mrt_open)
		mrt_close(&f->mrt);
	free(f->avoid);
	free(f->peers);
	free(f);
	b->feed = NULL;
}

/* ---- commands ---- */

/* bgp feed withdraw|announce [IP] */
int
bgp_cmd_feed(struct cli_ctx *c, int argc, char **argv)
{
	static const char *const words[] = {"withdraw", "announce"};
	struct bgp *b = bgp_running(c);
	struct bgp_peer *one = NULL;
	uint32_t ip;
	int k;

	if (argc < 1 || argc > 2)
		return cli_fail(c, "usage: bgp feed withdraw|announce [IP]");
	if ((k = cli_keyword(c, "feed action", argv[0], words, 2)) < 0)
		return 1;
	if (b == NULL)
		return cli_fail(c, "BGP is not running on %s", c->node->name);
	if (b->feed == NULL)
		return cli_fail(c, "%s is not a BGP feeder (no feed: block)", c->node->name);
	if (argc == 2) {
		if (!ip_parse(argv[1], &ip))
			return cli_fail(c, "bad neighbor address '%s'", argv[1]);
		if ((one = bgp_peer_find(b, ip)) == NULL)
			return cli_fail(c, "no BGP neighbor %s on %s", argv[1], c->node->name);
	}
	for (size_t i = 0; i < b->npeers; i++) {
		struct bgp_peer *p = &b->peers[i];
		struct feed_peer *fp = &b->feed->peers[i];

		if (one != NULL && p != one)
			continue;
		fp->withdrawn = k == 0;
		if (p->est == NULL)
			continue; /* the next session starts as the table now is */
		phase_set(p, fp, k == 0 ? FEED_WITHDRAW : FEED_ANNOUNCE);
		if (k == 1)
			fp->fed = 0;
		bgp_feed_room(p);
	}
	return 0;
}

static const char *
phase_of(const struct bgp_peer *p, const struct feed_peer *fp)
{
	if (p->est == NULL)
		return phase_name[FEED_IDLE];
	if (fp->phase == FEED_DONE && fp->withdrawn)
		return "withdrawn";
	return phase_name[fp->phase];
}

/* show bgp feed [json] */
int
bgp_cmd_show_feed(struct cli_ctx *c, int argc, char **argv UNUSED)
{
	struct bgp *b = bgp_running(c);
	const struct bgp_feed_cfg *fc;
	struct json *j = &c->j;

	if (argc != 0)
		return cli_fail(c, "usage: show bgp feed");
	if (b == NULL)
		return cli_fail(c, "BGP is not running on %s", c->node->name);
	if (b->feed == NULL)
		return cli_fail(c, "%s is not a BGP feeder (no feed: block)", c->node->name);
	fc = b->cfg.feed;
	if (c->json) {
		json_obj_begin(j);
		json_kv_str(j, "source", fc->mrt != NULL ? "mrt" : "generated");
		if (fc->mrt != NULL) {
			json_kv_str(j, "file", fc->mrt);
			json_kv_int(j, "mrtPeer", fc->mrt_peer);
		} else {
			json_kv_int(j, "seed", (int64_t)fc->seed);
		}
		json_kv_int(j, "tableSize", b->feed->total);
		json_key(j, "neighbors");
		json_obj_begin(j);
	} else {
		if (fc->mrt != NULL)
			cli_printf(c, "BGP feed: replay of %s, peer %d, %u prefixes\n", fc->mrt,
			    fc->mrt_peer, b->feed->total);
		else
			cli_printf(c, "BGP feed: generated, %u prefixes, seed %llu\n", b->feed->total,
			    (unsigned long long)fc->seed);
		cli_printf(c, "%-15s %-12s %-11s %9s %9s %9s %9s %9s %9s\n", "Neighbor", "State",
		    "Feed", "Announced", "PfxSent", "PfxWdrawn", "Skipped", "UpdSent", "UpdRcvd");
	}
	for (size_t i = 0; i < b->npeers; i++) {
		const struct bgp_peer *p = &b->peers[i];
		const struct feed_peer *fp = &b->feed->peers[i];

		if (c->json) {
			json_key(j, ip_str(p->cfg->ip));
			json_obj_begin(j);
			json_kv_str(j, "state", bgp_state_name(p->state));
			json_kv_str(j, "feed", phase_of(p, fp));
			json_kv_int(j, "announced", fp->fed);
			json_kv_int(j, "prefixesSent", (int64_t)fp->sent);
			json_kv_int(j, "prefixesWithdrawn", (int64_t)fp->withdrawn_n);
			json_kv_int(j, "skipped", (int64_t)fp->skipped);
			json_kv_int(j, "updatesSent", (int64_t)p->st.upd_out);
			json_kv_int(j, "updatesReceived", (int64_t)fp->upd_in);
			json_kv_int(j, "octetsReceived", (int64_t)fp->octets_in);
			if (fp->phase == FEED_DONE)
				json_kv_int(j, "lastPhaseMs", (fp->phase_end - fp->phase_start) / SIM_MS);
			json_obj_end(j);
		} else {
			cli_printf(c, "%-15s %-12s %-11s %9u %9llu %9llu %9llu %9llu %9llu\n",
			    ip_str(p->cfg->ip), bgp_state_name(p->state), phase_of(p, fp), fp->fed,
			    (unsigned long long)fp->sent, (unsigned long long)fp->withdrawn_n,
			    (unsigned long long)fp->skipped, (unsigned long long)p->st.upd_out,
			    (unsigned long long)fp->upd_in);
		}
	}
	if (c->json) {
		json_obj_end(j);
		json_obj_end(j);
	}
	return 0;
}
