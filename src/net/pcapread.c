/*
 * pcapread.c: reading capture files: classic libpcap and pcapng.
 *
 * Classic pcap (draft-ietf-opsawg-pcap): a 24-octet file header whose magic
 * gives the byte order and the timestamp unit (a1b2c3d4: microseconds,
 * a1b23c4d: nanoseconds; a1b2cd34 is Kuznetzov's patched format with 24-octet
 * record headers), then a 16-octet header before each frame.
 *
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks, each
 * type(4) length(4) body length(4). A Section Header Block starts every
 * section and sets its byte order; Interface Description Blocks give the
 * link type and timestamp resolution of each interface; frames come in
 * Enhanced (and Simple, and the obsolete) Packet Blocks. Other blocks
 * (name resolution, statistics, custom, ...) are skipped.
 *
 * Every length read from the file is checked against what the file holds
 * before it is used: a truncated or corrupt file gives -1 and a message
 * saying where, never an overread. Frames are read one at a time into a
 * buffer that grows to the largest record, so a capture of any size streams.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/util.h"
#include "pcap.h"

#define PCAP_MAGIC_US   0xa1b2c3d4u
#define PCAP_MAGIC_NS   0xa1b23c4du
#define PCAP_MAGIC_KUZ  0xa1b2cd34u /* Kuznetzov's patched libpcap: longer records */
#define PCAP_FILEHDR    24
#define PCAP_RECHDR     16
#define PCAP_KUZ_RECHDR 24

#define NG_SHB         0x0a0d0d0au
#define NG_IDB         0x00000001u
#define NG_OPB         0x00000002u /* obsolete Packet Block */
#define NG_SPB         0x00000003u
#define NG_EPB         0x00000006u
#define NG_BOM         0x1a2b3c4du
#define NG_OPT_END     0
#define NG_IF_TSRESOL  9
#define NG_IF_TSOFFSET 14

/*
 * No real frame comes near this; a larger record length means a corrupt
 * file, and refusing it keeps a bad length from turning into a huge
 * allocation when the file size is unknown (a pipe).
 */
#define PCAP_MAX_RECORD (64u * 1024 * 1024)

struct pcap_if {
	uint32_t linktype;
	uint32_t snaplen;
	bool tsbin; /* resolution 2^-tsexp s (else 10^-tsexp s) */
	uint8_t tsexp;
	int64_t tsoffset; /* seconds to add (if_tsoffset) */
};

struct pcap_reader {
	FILE *f;
	uint64_t off;  /* file offset of the next byte to read */
	uint64_t size; /* file size, or UINT64_MAX if unknown */
	uint64_t nframes;
	uint8_t pushback[4]; /* the magic, read to tell the formats apart */
	size_t npushback;
	bool ng;
	bool be; /* the file (or the current pcapng section) is big-endian */
	bool failed;
	uint8_t *buf;
	size_t cap;
	/* classic */
	uint32_t linktype;
	bool nsec;
	size_t rechdr;
	/* pcapng: the current section's interfaces */
	struct pcap_if *ifs;
	size_t nifs, ifcap;
	int64_t last_ts; /* for Simple Packet Blocks, which carry none */
};

static void
seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t
r16(const struct pcap_reader *r, const uint8_t *p)
{
	return r->be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint32_t
r32(const struct pcap_reader *r, const uint8_t *p)
{
	return r->be ? be32(p) : le32(p);
}

static uint64_t
r64(const struct pcap_reader *r, const uint8_t *p)
{
	if (r->be)
		return (uint64_t)r32(r, p) << 32 | r32(r, p + 4);
	return (uint64_t)r32(r, p + 4) << 32 | r32(r, p);
}

/*
 * Read up to n octets; returns how many were read (fewer only at end of
 * file). The pushback comes first, so that a pipe never needs a seek.
 */
static size_t
readn(struct pcap_reader *r, uint8_t *p, size_t n)
{
	size_t got = 0, k;

	if (r->npushback > 0) {
		k = MIN(n, r->npushback);
		memcpy(p, r->pushback, k);
		memmove(r->pushback, r->pushback + k, r->npushback - k);
		r->npushback -= k;
		got = k;
	}
	if (got < n)
		got += fread(p + got, 1, n - got, r->f);
	r->off += got;
	return got;
}

static void
reserve(struct pcap_reader *r, size_t n)
{
	if (n > r->cap)
		grow_array((void **)&r->buf, &r->cap, n, 1);
}

/* True when n more octets can be in the file (always, when its size is unknown). */
static bool
fits(const struct pcap_reader *r, uint64_t n)
{
	return r->size == UINT64_MAX || (r->size >= r->off && r->size - r->off >= n);
}

static uint64_t
file_size(FILE *f)
{
	struct stat st;

	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode))
		return (uint64_t)st.st_size;
	return UINT64_MAX;
}

/* ---- classic pcap -------------------------------------------------------------------- */

static int
classic_open(struct pcap_reader *r, const uint8_t *h, char *err, size_t errlen)
{
	uint16_t major;

	major = r16(r, h + 4);
	if (major != 2) {
		seterr(err, errlen, "unsupported pcap version %u.%u", major, r16(r, h + 6));
		return -1;
	}
	/* The upper bits of the link type field carry FCS information (not used here). */
	r->linktype = r32(r, h + 20) & 0xffff;
	return 0;
}

static int
classic_read(struct pcap_reader *r, struct pcap_frame *fr, char *err, size_t errlen)
{
	uint8_t h[PCAP_KUZ_RECHDR];
	uint64_t at = r->off, n = r->nframes + 1;
	uint32_t sec, frac, caplen, origlen;
	size_t got;

	got = readn(r, h, r->rechdr);
	if (got == 0)
		return 0;
	if (got < r->rechdr) {
		seterr(err, errlen, "frame %llu at offset %llu: truncated record header "
		    "(%zu of %zu octets)", (unsigned long long)n, (unsigned long long)at, got,
		    r->rechdr);
		return -1;
	}
	sec = r32(r, h);
	frac = r32(r, h + 4);
	caplen = r32(r, h + 8);
	origlen = r32(r, h + 12);
	if (caplen > PCAP_MAX_RECORD) {
		seterr(err, errlen, "frame %llu at offset %llu: captured length %u is not "
		    "plausible (corrupt file?)", (unsigned long long)n, (unsigned long long)at,
		    caplen);
		return -1;
	}
	if (!fits(r, caplen)) {
		seterr(err, errlen, "frame %llu at offset %llu: truncated: the record has %u "
		    "octets, the file only %llu more", (unsigned long long)n,
		    (unsigned long long)at, caplen, (unsigned long long)(r->size - r->off));
		return -1;
	}
	reserve(r, caplen);
	got = readn(r, r->buf, caplen);
	if (got < caplen) {
		seterr(err, errlen, "frame %llu at offset %llu: truncated: %zu of %u octets",
		    (unsigned long long)n, (unsigned long long)at, got, caplen);
		return -1;
	}
	fr->linktype = r->linktype;
	fr->ts_ns = (int64_t)sec * 1000000000 + (int64_t)frac * (r->nsec ? 1 : 1000);
	fr->data = r->buf;
	fr->caplen = caplen;
	/* Some writers store a smaller original length; the captured octets are what counts. */
	fr->origlen = MAX(origlen, caplen);
	r->nframes++;
	return 1;
}

/* ---- pcapng -------------------------------------------------------------------------- */

/* Interface timestamp units -> nanoseconds, without overflowing on odd resolutions. */
static int64_t
ng_ts(const struct pcap_if *ifc, uint64_t ts)
{
	uint64_t ns, sec, frac;
	unsigned e = ifc->tsexp, i;

	if (ifc->tsbin) {
		/* Keep at most 32 fractional bits so that frac * 1e9 fits in 64 bits. */
		if (e > 32) {
			ts = e - 32 >= 64 ? 0 : ts >> (e - 32);
			e = 32;
		}
		sec = ts >> e;
		frac = ts & (((uint64_t)1 << e) - 1);
		ns = sec * 1000000000u + ((frac * 1000000000u) >> e);
	} else if (e <= 9) {
		ns = ts;
		for (i = e; i < 9; i++)
			ns *= 10;
	} else {
		ns = ts;
		for (i = 9; i < e && ns > 0; i++)
			ns /= 10;
	}
	/* Unsigned: a corrupt offset wraps instead of overflowing. */
	return (int64_t)(ns + (uint64_t)ifc->tsoffset * 1000000000u);
}

/*
 * Options: code(2) length(2) value padded to 4 octets, up to opt_endofopt or
 * the end of the block body. Only the IDB's are interpreted.
 */
static int
ng_idb_options(struct pcap_reader *r, struct pcap_if *ifc, const uint8_t *p, size_t len,
    char *err, size_t errlen)
{
	size_t off = 0, olen;
	uint16_t code;

	while (len - off >= 4) {
		code = r16(r, p + off);
		olen = r16(r, p + off + 2);
		off += 4;
		if (code == NG_OPT_END)
			break;
		if (olen > len - off) {
			seterr(err, errlen, "interface %zu: option %u (%zu octets) overruns its "
			    "block", r->nifs, code, olen);
			return -1;
		}
		if (code == NG_IF_TSRESOL) {
			if (olen != 1) {
				seterr(err, errlen, "interface %zu: if_tsresol of %zu octets",
				    r->nifs, olen);
				return -1;
			}
			ifc->tsbin = p[off] & 0x80;
			ifc->tsexp = p[off] & 0x7f;
		} else if (code == NG_IF_TSOFFSET) {
			if (olen != 8) {
				seterr(err, errlen, "interface %zu: if_tsoffset of %zu octets",
				    r->nifs, olen);
				return -1;
			}
			ifc->tsoffset = (int64_t)r64(r, p + off);
		}
		off += (olen + 3) & ~(size_t)3;
		if (off > len)
			break; /* the padding of the last option may be missing */
	}
	return 0;
}

static int
ng_idb(struct pcap_reader *r, const uint8_t *p, size_t len, char *err, size_t errlen)
{
	struct pcap_if ifc;

	if (len < 8) {
		seterr(err, errlen, "interface description block too short (%zu octets)", len);
		return -1;
	}
	memset(&ifc, 0, sizeof(ifc));
	ifc.linktype = r16(r, p);
	ifc.snaplen = r32(r, p + 4);
	ifc.tsexp = 6; /* the default: microseconds */
	if (ng_idb_options(r, &ifc, p + 8, len - 8, err, errlen) < 0)
		return -1;
	VEC_PUSH(r->ifs, r->nifs, r->ifcap, ifc);
	return 0;
}

static const struct pcap_if *
ng_if(struct pcap_reader *r, uint32_t id, char *err, size_t errlen)
{
	if (id >= r->nifs) {
		seterr(err, errlen, "frame %llu: interface %u was not described",
		    (unsigned long long)r->nframes + 1, id);
		return NULL;
	}
	return &r->ifs[id];
}

/* Frame data at p[off..off+caplen), which must lie inside the body of len octets. */
static int
ng_frame(struct pcap_reader *r, struct pcap_frame *fr, const struct pcap_if *ifc,
    const uint8_t *p, size_t len, size_t off, uint32_t caplen, uint32_t origlen, int64_t ts,
    char *err, size_t errlen)
{
	if (caplen > len - off) {
		seterr(err, errlen, "frame %llu: captured length %u overruns its block "
		    "(%zu octets of data)", (unsigned long long)r->nframes + 1, caplen, len - off);
		return -1;
	}
	fr->linktype = ifc->linktype;
	fr->ts_ns = ts;
	fr->data = p + off;
	fr->caplen = caplen;
	fr->origlen = MAX(origlen, caplen);
	r->last_ts = ts;
	r->nframes++;
	return 1;
}

/*
 * An Enhanced Packet Block, or the obsolete Packet Block (a 16-bit interface
 * ID and a drops count where the EPB has a 32-bit ID): the same layout after.
 */
static int
ng_epb(struct pcap_reader *r, struct pcap_frame *fr, const uint8_t *p, size_t len, bool obsolete,
    char *err, size_t errlen)
{
	const struct pcap_if *ifc;
	uint64_t ts;

	if (len < 20) {
		seterr(err, errlen, "frame %llu: %spacket block too short (%zu octets)",
		    (unsigned long long)r->nframes + 1, obsolete ? "" : "enhanced ", len);
		return -1;
	}
	if ((ifc = ng_if(r, obsolete ? r16(r, p) : r32(r, p), err, errlen)) == NULL)
		return -1;
	ts = (uint64_t)r32(r, p + 4) << 32 | r32(r, p + 8);
	return ng_frame(r, fr, ifc, p, len, 20, r32(r, p + 12), r32(r, p + 16), ng_ts(ifc, ts),
	    err, errlen);
}

/* A Simple Packet Block: interface 0, no timestamp, captured length implied. */
static int
ng_spb(struct pcap_reader *r, struct pcap_frame *fr, const uint8_t *p, size_t len, char *err,
    size_t errlen)
{
	const struct pcap_if *ifc;
	uint32_t origlen, caplen;

	if (len < 4) {
		seterr(err, errlen, "frame %llu: simple packet block too short (%zu octets)",
		    (unsigned long long)r->nframes + 1, len);
		return -1;
	}
	if ((ifc = ng_if(r, 0, err, errlen)) == NULL)
		return -1;
	origlen = r32(r, p);
	caplen = (uint32_t)MIN((size_t)origlen, len - 4);
	if (ifc->snaplen != 0)
		caplen = MIN(caplen, ifc->snaplen);
	return ng_frame(r, fr, ifc, p, len, 4, caplen, origlen, r->last_ts, err, errlen);
}

/*
 * Read one block into r->buf; *type and the body (without the two lengths)
 * out. 0 at end of file, -1 if truncated or inconsistent.
 */
static int
ng_block(struct pcap_reader *r, uint32_t *type, const uint8_t **body, size_t *bodylen,
    char *err, size_t errlen)
{
	uint64_t at = r->off;
	size_t got, hl = 8;
	uint32_t len;
	uint8_t h[12];

	got = readn(r, h, 8);
	if (got == 0)
		return 0;
	if (got < 8)
		goto trunc;
	*type = r32(r, h);
	if (*type == NG_SHB) {
		/* The type reads the same either way; the byte-order magic decides the rest. */
		if (readn(r, h + 8, 4) < 4)
			goto trunc;
		hl = 12;
		if (be32(h + 8) == NG_BOM) {
			r->be = true;
		} else if (le32(h + 8) == NG_BOM) {
			r->be = false;
		} else {
			seterr(err, errlen, "offset %llu: section header with bad byte-order magic",
			    (unsigned long long)at);
			return -1;
		}
	}
	len = r32(r, h + 4);
	if (len < 12 + (hl - 8) || len % 4 != 0 || len > PCAP_MAX_RECORD) {
		seterr(err, errlen, "offset %llu: block type 0x%08x has a bad length %u",
		    (unsigned long long)at, *type, len);
		return -1;
	}
	if (!fits(r, len - hl))
		goto trunc;
	reserve(r, len);
	memcpy(r->buf, h, hl);
	if (readn(r, r->buf + hl, len - hl) < len - hl)
		goto trunc;
	if (r32(r, r->buf + len - 4) != len) {
		seterr(err, errlen, "offset %llu: block type 0x%08x: trailing length %u differs "
		    "from %u", (unsigned long long)at, *type, r32(r, r->buf + len - 4), len);
		return -1;
	}
	*body = r->buf + 8;
	*bodylen = len - 12;
	return 1;
trunc:
	seterr(err, errlen, "offset %llu: truncated block (file ends at %llu)",
	    (unsigned long long)at, (unsigned long long)(r->size != UINT64_MAX ? r->size : r->off));
	return -1;
}

static int
ng_shb(struct pcap_reader *r, const uint8_t *p, size_t len, char *err, size_t errlen)
{
	uint16_t major;

	if (len < 16) {
		seterr(err, errlen, "section header block too short (%zu octets)", len);
		return -1;
	}
	major = r16(r, p + 4);
	if (major != 1) {
		seterr(err, errlen, "unsupported pcapng version %u.%u", major, r16(r, p + 6));
		return -1;
	}
	/* A new section describes its interfaces afresh. */
	r->nifs = 0;
	return 0;
}

static int
ng_read(struct pcap_reader *r, struct pcap_frame *fr, char *err, size_t errlen)
{
	const uint8_t *body;
	size_t len;
	uint32_t type;
	int rc;

	for (;;) {
		rc = ng_block(r, &type, &body, &len, err, errlen);
		if (rc <= 0)
			return rc;
		if (type == NG_SHB)
			rc = ng_shb(r, body, len, err, errlen);
		else if (type == NG_IDB)
			rc = ng_idb(r, body, len, err, errlen);
		else if (type == NG_EPB)
			return ng_epb(r, fr, body, len, false, err, errlen);
		else if (type == NG_SPB)
			return ng_spb(r, fr, body, len, err, errlen);
		else if (type == NG_OPB)
			return ng_epb(r, fr, body, len, true, err, errlen);
		if (rc < 0)
			return -1;
	}
}

/* ---- the interface ------------------------------------------------------------------- */

struct pcap_reader *
pcap_reader_open(const char *path, char *err, size_t errlen)
{
	struct pcap_reader *r;
	uint8_t h[PCAP_FILEHDR];
	uint32_t le, be;
	size_t got;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		seterr(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->f = f;
	r->size = file_size(f);
	got = readn(r, h, 4);
	if (got < 4) {
		seterr(err, errlen, got == 0 ? "empty file" : "truncated file header");
		goto fail;
	}
	le = le32(h);
	be = be32(h);
	if (le == NG_SHB) {
		/* The section header is read by pcap_read like any other block. */
		r->ng = true;
		memcpy(r->pushback, h, 4);
		r->npushback = 4;
		r->off = 0;
		return r;
	}
	if (le == PCAP_MAGIC_US || le == PCAP_MAGIC_NS || le == PCAP_MAGIC_KUZ) {
		r->be = false;
	} else if (be == PCAP_MAGIC_US || be == PCAP_MAGIC_NS || be == PCAP_MAGIC_KUZ) {
		r->be = true;
	} else {
		if (h[0] == 0x1f && h[1] == 0x8b)
			seterr(err, errlen, "a gzip file: decompress it first");
		else
			seterr(err, errlen, "not a pcap or pcapng file (magic 0x%08x)", be);
		goto fail;
	}
	r->nsec = r32(r, h) == PCAP_MAGIC_NS;
	r->rechdr = r32(r, h) == PCAP_MAGIC_KUZ ? PCAP_KUZ_RECHDR : PCAP_RECHDR;
	if (readn(r, h + 4, PCAP_FILEHDR - 4) < PCAP_FILEHDR - 4) {
		seterr(err, errlen, "truncated file header");
		goto fail;
	}
	if (classic_open(r, h, err, errlen) < 0)
		goto fail;
	return r;
fail:
	pcap_reader_close(r);
	return NULL;
}

int
pcap_read(struct pcap_reader *r, struct pcap_frame *fr, char *err, size_t errlen)
{
	int rc;

	if (r->failed) {
		seterr(err, errlen, "reading past an error");
		return -1;
	}
	rc = r->ng ? ng_read(r, fr, err, errlen) : classic_read(r, fr, err, errlen);
	if (rc == 0 && ferror(r->f)) {
		seterr(err, errlen, "read error: %s", strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		r->failed = true;
	return rc;
}

void
pcap_reader_close(struct pcap_reader *r)
{
	if (r == NULL)
		return;
	fclose(r->f);
	free(r->buf);
	free(r->ifs);
	free(r);
}
