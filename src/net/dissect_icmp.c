/*
 * dissect_icmp.c: ICMP for IPv4 (RFC 792, RFC 1122 3.2.2, RFC 1812 4.3).
 *
 * The checksum covers the whole ICMP message. Extension structures (RFC 4884,
 * RFC 5837 interface information) ride inside the message and need no
 * special handling to verify it.
 */
#include "../lib/buf.h"
#include "../lib/ip.h"
#include "../lib/util.h"
#include "dissect.h"
#include "dissect_int.h"
#include "icmp.h"

#define ICMP_HLEN 8 /* type, code, checksum, and four octets that depend on the type */

#define ICMP_ECHOREPLY 0
#define ICMP_UNREACH   3
#define ICMP_SRCQUENCH 4
#define ICMP_REDIRECT  5
#define ICMP_ECHO      8
#define ICMP_TIMXCEED  11
#define ICMP_PARAMPROB 12

static const char *const types[] = {
	[0] = "echo reply", [3] = "unreachable", [4] = "source quench", [5] = "redirect",
	[8] = "echo request", [9] = "router advertisement", [10] = "router solicitation",
	[11] = "time exceeded", [12] = "parameter problem", [13] = "timestamp request",
	[14] = "timestamp reply", [15] = "information request", [16] = "information reply",
	[17] = "address mask request", [18] = "address mask reply", [30] = "traceroute",
	[42] = "extended echo request", [43] = "extended echo reply",
};

static const char *const unreach_codes[] = {
	"net", "host", "protocol", "port", "need-frag", "source-route-failed", "net-unknown",
	"host-unknown", "source-isolated", "net-prohibited", "host-prohibited", "net-tos",
	"host-tos", "admin-prohibited", "precedence-violation", "precedence-cutoff",
};

static const char *const timxceed_codes[] = {"in-transit", "reassembly"};
static const char *const redirect_codes[] = {"net", "host", "tos-net", "tos-host"};
static const char *const paramprob_codes[] = {"pointer", "missing-option", "bad-length"};

/* Code names for the types that have them. */
static const struct {
	uint8_t type;
	const char *const *names;
	size_t n;
} codes[] = {
	{ICMP_UNREACH, unreach_codes, ARRAY_LEN(unreach_codes)},
	{ICMP_REDIRECT, redirect_codes, ARRAY_LEN(redirect_codes)},
	{ICMP_TIMXCEED, timxceed_codes, ARRAY_LEN(timxceed_codes)},
	{ICMP_PARAMPROB, paramprob_codes, ARRAY_LEN(paramprob_codes)},
};

static void
code_name(struct dissect *d, uint8_t type, uint8_t code)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(codes); i++) {
		if (codes[i].type != type)
			continue;
		if (code < codes[i].n)
			dissect_add(d, " %s", codes[i].names[code]);
		else
			dissect_add(d, " code %u", code);
		return;
	}
	if (code != 0)
		dissect_add(d, " code %u", code);
}

/* An error message quotes the IP header (and 8 octets) of what caused it (RFC 792). */
static void
quoted(struct dissect *d, const uint8_t *p, size_t len)
{
	const char *name;
	size_t hl;

	if (len < 20 || p[0] >> 4 != 4)
		return;
	hl = (p[0] & 0x0fu) * 4u;
	dissect_add(d, " for %s > %s", ip_str(get32(p + 12)), ip_str(get32(p + 16)));
	if ((name = dissect_name(DT_IPPROTO, p[9])) != NULL)
		dissect_add(d, " %s", name);
	else
		dissect_add(d, " proto %u", p[9]);
	/* TCP and UDP both start with the two ports. */
	if ((p[9] == 6 || p[9] == 17) && hl >= 20 && len >= hl + 4)
		dissect_add(d, " port %u", get16(p + hl + 2));
}

/* RFC 4884 extension: its MPLS label stack object (RFC 4950) is shown ("mpls 100/200"). */
static void
extension(struct dissect *d, const uint8_t *p, size_t len)
{
	uint32_t lse[ICMP_MPLS_MAX];
	int n = icmp_ext_mpls(p, len, lse, ICMP_MPLS_MAX);

	if (n < 0)
		dissect_error(d, "ICMP: malformed extension structure (RFC 4884)");
	for (int k = 0; k < n; k++)
		dissect_add(d, "%s%u", k == 0 ? " mpls " : "/", lse[k] >> 12);
}

static void
icmp(struct dissect *d, const uint8_t *p, size_t len)
{
	uint8_t type, code;

	if (!dissect_need(d, "ICMP", len, ICMP_HLEN))
		return;
	d->known = true;
	type = p[0];
	code = p[1];
	if (type < ARRAY_LEN(types) && types[type] != NULL)
		dissect_add(d, "ICMP %s", types[type]);
	else
		dissect_add(d, "ICMP type %u", type);
	code_name(d, type, code);
	if (type == ICMP_ECHO || type == ICMP_ECHOREPLY)
		dissect_add(d, " id %u seq %u len %zu", get16(p + 4), get16(p + 6),
		    len - ICMP_HLEN);
	else if (type == ICMP_UNREACH || type == ICMP_TIMXCEED || type == ICMP_PARAMPROB ||
	    type == ICMP_REDIRECT || type == ICMP_SRCQUENCH)
		quoted(d, p + ICMP_HLEN, len - ICMP_HLEN);
	if (type == ICMP_UNREACH || type == ICMP_TIMXCEED || type == ICMP_PARAMPROB)
		extension(d, p, len);
	dissect_inet_cksum(d, "ICMP", p, len, 2, 0);
}

void
dissect_icmp_setup(void)
{
	dissect_register(DT_IPPROTO, 1, icmp);
}
