/*
 * mrt.c: the MRT TABLE_DUMP_V2 reader (mrt.h; RFC 6396 2, 4.3).
 *
 * A record is the common header (timestamp, type, subtype, length: 12
 * octets) and length octets of body. TABLE_DUMP_V2's PEER_INDEX_TABLE
 * (4.3.1) lists the collector's peers; each RIB_IPV4_UNICAST record (4.3.2)
 * holds one prefix and one entry per peer that had a route to it, entries
 * naming the peer by its index in that table, with the route's path
 * attributes as BGP encodes them except that AS_PATH always has 4-octet
 * ASes (4.3.4).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "mrt.h"

static bool
fail(struct mrt_err *err, uint64_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool
fail(struct mrt_err *err, uint64_t off, const char *fmt, ...)
{
	va_list ap;

	err->off = off;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return false;
}

bool
mrt_open(struct mrt_file *f, const char *path, struct mrt_err *err)
{
	off_t size;

	memset(f, 0, sizeof(*f));
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return fail(err, 0, "%s", strerror(errno));
	size = lseek(f->fd, 0, SEEK_END);
	if (size < 0) {
		fail(err, 0, "%s", strerror(errno));
		close(f->fd);
		f->fd = -1;
		return false;
	}
	f->size = (uint64_t)size;
	return true;
}

void
mrt_open_mem(struct mrt_file *f, const uint8_t *data, size_t len)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->mem = data;
	f->size = len;
}

void
mrt_close(struct mrt_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	free(f->buf);
	free(f->peers);
	free(f->routes);
	free(f->seen);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}

/* Read len octets at off into the buffer (or point into memory). */
static const uint8_t *
get(struct mrt_file *f, uint64_t off, size_t len, struct mrt_err *err)
{
	if (f->size - off < len) { /* callers keep off <= size */
		fail(err, off, "truncated: %zu octets wanted, %llu left in the file", len,
		    (unsigned long long)(f->size - off));
		return NULL;
	}
	if (f->fd < 0)
		return f->mem + off;
	if (len > f->cap) {
		f->cap = len < 4096 ? 4096 : len;
		f->buf = xrealloc(f->buf, f->cap);
	}
	for (size_t got = 0; got < len;) {
		ssize_t n = pread(f->fd, f->buf + got, len - got, (off_t)(off + got));

		if (n <= 0) {
			fail(err, off + got, "%s", n < 0 ? strerror(errno) : "unexpected end of file");
			return NULL;
		}
		got += (size_t)n;
	}
	return f->buf;
}

/* The record at off: 1 with its header and body, 0 at the end of the file, -1 on error. */
static int
record(struct mrt_file *f, uint64_t off, uint16_t *type, uint16_t *subtype, const uint8_t **body,
    uint32_t *len, struct mrt_err *err)
{
	const uint8_t *h;

	if (off >= f->size)
		return 0;
	if ((h = get(f, off, MRT_HDR_LEN, err)) == NULL) {
		snprintf(err->msg, sizeof(err->msg), "truncated record header (%llu octets, 12 needed)",
		    (unsigned long long)(f->size - off));
		return -1;
	}
	*type = get16(h + 4);
	*subtype = get16(h + 6);
	*len = get32(h + 8);
	if (*len > MRT_MAX_RECORD)
		return fail(err, off + 8, "record of %u octets (at most %u)", *len, MRT_MAX_RECORD) - 1;
	if (f->size - off - MRT_HDR_LEN < *len)
		return fail(err, off + 8, "truncated record: %u octets of body announced, %llu in the file",
		           *len, (unsigned long long)(f->size - off - MRT_HDR_LEN)) - 1;
	if ((*body = get(f, off + MRT_HDR_LEN, *len, err)) == NULL)
		return -1;
	return 1;
}

/* RFC 6396 4.3.1. */
static bool
peer_index(struct mrt_file *f, const uint8_t *body, uint32_t len, uint64_t base,
    struct mrt_err *err)
{
	struct rd r;
	uint16_t n;

	rd_init(&r, body, len);
	rd_u32(&r); /* collector BGP ID */
	rd_take(&r, rd_u16(&r)); /* view name */
	n = rd_u16(&r);
	if (r.err)
		return fail(err, base + r.off, "truncated PEER_INDEX_TABLE header");
	free(f->peers);
	free(f->routes);
	free(f->seen);
	f->peers = xcalloc(n ? n : 1, sizeof(*f->peers));
	f->routes = xcalloc(n ? n : 1, sizeof(*f->routes));
	f->seen = xcalloc(n ? n : 1, sizeof(*f->seen));
	f->npeers = n;
	for (uint16_t i = 0; i < n; i++) {
		struct mrt_peer *p = &f->peers[i];
		size_t at = r.off;
		uint8_t type = rd_u8(&r);
		const uint8_t *a;

		p->id = rd_u32(&r);
		p->v6 = type & 1;
		a = rd_take(&r, p->v6 ? 16 : 4);
		p->addr = a != NULL && !p->v6 ? get32(a) : 0;
		p->as = type & 2 ? rd_u32(&r) : rd_u16(&r);
		if (r.err)
			return fail(err, base + at, "truncated peer entry %u of %u", i, n);
	}
	if (rd_left(&r) != 0)
		return fail(err, base + r.off, "%zu octets after the last peer entry", rd_left(&r));
	f->have_index = true;
	return true;
}

/*
 * RFC 6396 4.3.2: every entry checked; peer's entry (if any) into *out
 * (found: 1), counted in routes[].
 */
static int
rib_ipv4(struct mrt_file *f, const uint8_t *body, uint32_t len, uint64_t base, int peer,
    struct mrt_route *out, struct mrt_err *err)
{
	struct rd r;
	uint8_t plen;
	const uint8_t *a;
	uint16_t n;
	uint32_t addr = 0;
	int found = 0;

	rd_init(&r, body, len);
	rd_u32(&r); /* sequence number */
	plen = rd_u8(&r);
	if (r.err)
		return fail(err, base + r.off, "truncated RIB_IPV4_UNICAST header") - 1;
	if (plen > 32)
		return fail(err, base + r.off - 1, "prefix length %u (at most 32)", plen) - 1;
	if ((a = rd_take(&r, (plen + 7u) / 8)) == NULL)
		return fail(err, base + r.off, "truncated prefix") - 1;
	for (unsigned k = 0; k < (plen + 7u) / 8; k++)
		addr |= (uint32_t)a[k] << (24 - 8 * k);
	if (plen < 32)
		addr &= plen == 0 ? 0 : ~(0xffffffffu >> plen);
	n = rd_u16(&r);
	if (r.err)
		return fail(err, base + r.off, "truncated entry count") - 1;
	f->stamp++;
	for (uint16_t i = 0; i < n; i++) {
		size_t at = r.off;
		uint16_t idx = rd_u16(&r), alen;
		const uint8_t *attrs;

		rd_u32(&r); /* originated time */
		alen = rd_u16(&r);
		attrs = rd_take(&r, alen);
		if (r.err)
			return fail(err, base + at, "truncated RIB entry %u of %u", i, n) - 1;
		if (idx >= f->npeers)
			return fail(err, base + at, "RIB entry names peer %u, the index has %u", idx,
			    f->npeers) - 1;
		/* One route per peer and prefix (RFC 6396 4.3.2's entries are per peer). */
		if (f->seen[idx] == f->stamp)
			return fail(err, base + at, "RIB entry %u names peer %u twice for one prefix", i,
			    idx) - 1;
		f->seen[idx] = f->stamp;
		if (peer < 0)
			f->routes[idx]++;
		else if (idx == peer && !found) {
			found = 1;
			*out = (struct mrt_route){{addr, plen}, attrs, alen, base + r.off - alen};
		}
	}
	if (rd_left(&r) != 0)
		return fail(err, base + r.off, "%zu octets after the last RIB entry", rd_left(&r)) - 1;
	return found;
}

bool
mrt_scan(struct mrt_file *f, struct mrt_err *err)
{
	uint64_t off = 0;
	uint16_t type, sub;
	const uint8_t *body;
	uint32_t len;
	int k;

	f->records = f->skipped = 0;
	while ((k = record(f, off, &type, &sub, &body, &len, err)) > 0) {
		uint64_t base = off + MRT_HDR_LEN;

		f->records++;
		if (type == MRT_TABLE_DUMP_V2 && sub == MRT_PEER_INDEX) {
			if (f->have_index)
				return fail(err, off, "a second PEER_INDEX_TABLE");
			if (!peer_index(f, body, len, base, err))
				return false;
			f->first = base + len;
		} else if (type == MRT_TABLE_DUMP_V2 && sub == MRT_RIB_IPV4_UCAST) {
			if (!f->have_index)
				return fail(err, off, "RIB_IPV4_UNICAST before the PEER_INDEX_TABLE");
			if (rib_ipv4(f, body, len, base, -1, NULL, err) < 0)
				return false;
		} else {
			f->skipped++;
		}
		off = base + len;
	}
	if (k < 0)
		return false;
	if (!f->have_index)
		return fail(err, off, "no TABLE_DUMP_V2 PEER_INDEX_TABLE (not an MRT RIB dump?)");
	return true;
}

int
mrt_next_route(struct mrt_file *f, uint64_t *off, uint16_t peer, struct mrt_route *r,
    struct mrt_err *err)
{
	uint16_t type, sub;
	const uint8_t *body;
	uint32_t len;
	int k;

	while ((k = record(f, *off, &type, &sub, &body, &len, err)) > 0) {
		uint64_t base = *off + MRT_HDR_LEN;

		*off = base + len;
		if (type != MRT_TABLE_DUMP_V2 || sub != MRT_RIB_IPV4_UCAST)
			continue;
		if ((k = rib_ipv4(f, body, len, base, peer, r, err)) != 0)
			return k;
	}
	return k;
}
