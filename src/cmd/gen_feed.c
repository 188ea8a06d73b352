/*
 * gen_feed.c: `netsim gen bgp-feed --peers P --prefixes N --seed S
 * [--dut-as A] [--host] [-o FILE]`, a full-table benchmark topology
 * (docs/bgp-feed.md): one router under test `dut` and P route feeders
 * `feed1..feedP`, each on its own /30 and eBGP session to dut, each
 * streaming the same N generated prefixes (one seed: dut gets P paths per
 * prefix) with AS paths of its own.
 *
 * Addresses: link i is 10.0.0.0/30 + 4 (i - 1) (dut .1, feeder .2), router
 * IDs 10.255.0.1 (dut) and 10.255.x.y (feeders), the optional host on
 * 192.168.0.0/24 behind dut: all in /8s the generated prefixes never use.
 * Sessions: no advertisement interval (MRAI 0: updates flow as fast as TCP
 * takes them, as a benchmark wants) and 10/30 s keepalive/hold.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/ip.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../proto/bgp/feed.h"
#include "cmd.h"

#define MAX_PEERS  1000
#define FEED_AS16  65100u       /* feeder i: 65100 + i while that stays below 65535 */
#define FEED_AS32  4200000000u  /* else 4200000000 + i (RFC 6996's 32-bit private range) */
#define DUT_AS     65000u

static void
usage(FILE *f)
{
	fputs("usage: netsim gen bgp-feed --peers P --prefixes N --seed S [--dut-as A] [--host]\n"
	      "                           [-o FILE]\n"
	      "  P route feeders (feed1..feedP) each stream the same N generated prefixes,\n"
	      "  with AS paths of their own, over eBGP to one router under test (dut)\n"
	      "  --dut-as A  dut's AS (default 65000)\n"
	      "  --host      a host h1 on a LAN behind dut\n"
	      "  -o FILE     write the topology to FILE instead of stdout\n",
	    f);
}

static bool
number(const char *opt, const char *s, unsigned long long min, unsigned long long max,
    unsigned long long *out)
{
	char *end;

	if (s != NULL && *s >= '0' && *s <= '9') {
		*out = strtoull(s, &end, 10);
		if (*end == '\0' && *out >= min && *out <= max)
			return true;
	}
	fprintf(stderr, "netsim gen bgp-feed: %s needs a number from %llu to %llu%s%s%s\n", opt, min,
	    max, s ? ", not '" : "", s ? s : "", s ? "'" : "");
	return false;
}

static uint32_t
feeder_as(unsigned i)
{
	return FEED_AS16 + i < 65535 ? FEED_AS16 + i : FEED_AS32 + i;
}

static void
write_topology(struct strbuf *sb, unsigned peers, unsigned long long prefixes,
    unsigned long long seed, uint32_t dut_as, bool host)
{
	sb_printf(sb, "name: bgp-feed-p%u-n%llu-s%llu\n", peers, prefixes, seed);
	sb_printf(sb, "description: >\n  netsim gen bgp-feed --peers %u --prefixes %llu --seed %llu"
	              " --dut-as %u%s: %u route feeders each stream the same %llu prefixes to dut over"
	              " eBGP (docs/bgp-feed.md).\n",
	    peers, prefixes, seed, dut_as, host ? " --host" : "", peers, prefixes);
	sb_add(sb, "devices:\n  - name: dut\n    type: router\n    router_id: 10.255.0.1\n"
	           "    interfaces:\n");
	for (unsigned i = 1; i <= peers; i++)
		sb_printf(sb, "      - {name: eth%u, ip: %s/30}\n", i, ip_str(0x0a000001u + 4 * (i - 1)));
	if (host)
		sb_add(sb, "      - {name: eth0, ip: 192.168.0.1/24}\n");
	sb_printf(sb, "    bgp:\n      as: %u\n      timers: {keepalive: 10, hold: 30}\n"
	              "      neighbors:\n", dut_as);
	for (unsigned i = 1; i <= peers; i++)
		sb_printf(sb, "        - {ip: %s, remote_as: %u, advertisement_interval: 0}\n",
		    ip_str(0x0a000002u + 4 * (i - 1)), feeder_as(i));
	for (unsigned i = 1; i <= peers; i++) {
		sb_printf(sb, "  - name: feed%u\n    type: router\n    router_id: %s\n", i,
		    ip_str(0x0aff0000u + (i / 250 + 1) * 256 + i % 250 + 1));
		sb_printf(sb, "    interfaces:\n      - {name: eth0, ip: %s/30}\n",
		    ip_str(0x0a000002u + 4 * (i - 1)));
		sb_printf(sb, "    bgp:\n      as: %u\n      timers: {keepalive: 10, hold: 30}\n"
		              "      feed: {prefixes: %llu, seed: %llu}\n      neighbors:\n"
		              "        - {ip: %s, remote_as: %u, advertisement_interval: 0}\n",
		    feeder_as(i), prefixes, seed, ip_str(0x0a000001u + 4 * (i - 1)), dut_as);
	}
	if (host)
		sb_add(sb, "  - name: h1\n    type: host\n    interfaces:\n"
		           "      - {name: eth0, ip: 192.168.0.10/24, gateway: 192.168.0.1}\n");
	sb_add(sb, "links:\n");
	for (unsigned i = 1; i <= peers; i++)
		sb_printf(sb, "  - endpoints: [dut:eth%u, feed%u:eth0]\n", i, i);
	if (host)
		sb_add(sb, "  - endpoints: [dut:eth0, h1:eth0]\n");
}

int
cmd_gen_bgp_feed(int argc, char **argv)
{
	unsigned long long peers = 0, prefixes = 0, seed = 0, dut_as = DUT_AS;
	bool have_seed = false, host = false;
	const char *out = NULL;
	struct strbuf sb = STRBUF_INIT;
	FILE *f;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(s, "-o") == 0 && v != NULL) {
			out = argv[++i];
		} else if (strcmp(s, "--host") == 0) {
			host = true;
		} else if (strcmp(s, "--peers") == 0) {
			if (!number(s, v, 1, MAX_PEERS, &peers))
				return 2;
			i++;
		} else if (strcmp(s, "--prefixes") == 0) {
			if (!number(s, v, 1, FEEDGEN_MAX_PREFIXES, &prefixes))
				return 2;
			i++;
		} else if (strcmp(s, "--seed") == 0) {
			if (!number(s, v, 0, INT64_MAX, &seed))
				return 2;
			have_seed = true;
			i++;
		} else if (strcmp(s, "--dut-as") == 0) {
			if (!number(s, v, 1, UINT32_MAX, &dut_as))
				return 2;
			i++;
		} else {
			fprintf(stderr, "netsim gen bgp-feed: unknown argument '%s'\n", s);
			usage(stderr);
			return 2;
		}
	}
	if (peers == 0 || prefixes == 0 || !have_seed) {
		fprintf(stderr, "netsim gen bgp-feed: --peers, --prefixes and --seed are required\n");
		usage(stderr);
		return 2;
	}
	for (unsigned i = 1; i <= peers; i++)
		if (feeder_as(i) == dut_as) {
			fprintf(stderr, "netsim gen bgp-feed: --dut-as %llu is feed%u's AS\n", dut_as, i);
			return 2;
		}
	write_topology(&sb, (unsigned)peers, prefixes, seed, (uint32_t)dut_as, host);
	f = out != NULL ? fopen(out, "w") : stdout;
	if (f == NULL) {
		perror(out);
		sb_free(&sb);
		return 1;
	}
	if (fwrite(sb_str(&sb), 1, sb.len, f) != sb.len || (out != NULL && fclose(f) != 0) ||
	    (out == NULL && fflush(f) != 0)) {
		perror(out != NULL ? out : "stdout");
		status = 1;
	}
	sb_free(&sb);
	return status;
}
