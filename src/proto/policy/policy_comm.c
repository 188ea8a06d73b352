/*
 * policy_comm.c: communities written as text, as FRR reads them: standard
 * (RFC 1997, "AA:NN" or a well-known name), large (RFC 8092, "A:B:C") and
 * extended (RFC 4360 3.1 and 3.2, RFC 5668: "rt:ASN:N", "soo:A.B.C.D:N", or
 * the 8 octets in hex, "0x0002:fde8:00000001", as netsim prints a type it
 * has no name for). One parser for the topology's lists and route maps
 * (policy_cfg.c) and for Lua route maps (src/script/lx_policy_route.c).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "../bgp/vpn.h"
#include "policy.h"

/* A decimal number of at most max at *s (no sign, no space); advances *s. */
static bool
dec(const char **s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	const char *p = *s;

	if (!isdigit((unsigned char)*p))
		return false;
	for (; isdigit((unsigned char)*p); p++)
		if ((v = v * 10 + (uint64_t)(*p - '0')) > max)
			return false;
	*s = p;
	*out = (uint32_t)v;
	return true;
}

/* RFC 1997 well-known communities and those IANA registered since, by FRR's names. */
static const struct {
	const char *name;
	uint32_t v;
} well_known[] = {
    {"internet", 0},
    {"graceful-shutdown", 0xFFFF0000u},
    {"accept-own", 0xFFFF0001u},
    {"llgr-stale", 0xFFFF0006u},
    {"no-llgr", 0xFFFF0007u},
    {"accept-own-nexthop", 0xFFFF0008u},
    {"blackhole", 0xFFFF029Au},
    {"no-export", BGP_COMM_NO_EXPORT},
    {"no-advertise", BGP_COMM_NO_ADVERTISE},
    {"local-AS", BGP_COMM_NO_EXPORT_SUBCONFED},
    {"no-export-subconfed", BGP_COMM_NO_EXPORT_SUBCONFED},
    {"no-peer", 0xFFFFFF04u},
};

bool
policy_comm_parse(const char *s, uint8_t *out)
{
	uint32_t hi, lo, c;

	for (size_t i = 0; i < ARRAY_LEN(well_known); i++)
		if (strcasecmp(s, well_known[i].name) == 0) {
			memcpy(out, &well_known[i].v, 4);
			return true;
		}
	if (!dec(&s, 0xFFFF, &hi) || *s++ != ':' || !dec(&s, 0xFFFF, &lo) || *s != '\0')
		return false;
	c = hi << 16 | lo;
	memcpy(out, &c, 4); /* host order, as struct bgp_attr holds them */
	return true;
}

bool
policy_lcomm_parse(const char *s, uint8_t *out)
{
	uint32_t v;

	for (int i = 0; i < 3; i++) {
		if (!dec(&s, UINT32_MAX, &v) || *s != (i < 2 ? ':' : '\0'))
			return false;
		s++;
		put32(out + 4 * i, v);
	}
	return true;
}

static int
hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

bool
policy_ecomm_parse(const char *s, uint8_t *e)
{
	struct bgp_rd rd;
	uint8_t sub;

	memset(e, 0, 8);
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && strlen(s) == 19 && s[6] == ':') {
		const char *h = s + 2;

		for (int i = 0; i < 8; i++, h += 2) {
			if (*h == ':')
				h++;
			if (hexval((unsigned char)h[0]) < 0 || hexval((unsigned char)h[1]) < 0)
				return false;
			e[i] = (uint8_t)(hexval((unsigned char)h[0]) << 4 | hexval((unsigned char)h[1]));
		}
		return true;
	}
	if (strncasecmp(s, "rt:", 3) == 0)
		sub = BGP_ECOMM_RT, s += 3;
	else if (strncasecmp(s, "soo:", 4) == 0)
		sub = BGP_ECOMM_SOO, s += 4;
	else
		return false;
	/* The value reads as a route distinguisher does (RFC 4360 3.1, 3.2: the same layouts). */
	if (!bgp_rd_parse(s, &rd, NULL, 0))
		return false;
	bgp_ecomm_from_rd(&rd, sub, e);
	return true;
}
