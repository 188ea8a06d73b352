/*
 * decode.c: `netsim decode [-v] FILE...`, netsim's own decoder on capture
 * files: one tcpdump-like line per frame, a summary per file.
 *
 *     3  0.002000  10.0.12.1 > 224.0.0.5  OSPFv2 Hello ...
 *
 * The frame number, the time since the file's first frame, then what the
 * dissectors said; a frame with problems ends in " [ERROR: ...]". After each
 * file: "FILE: N frames, M decoded, K errors", where a decoded frame is one a
 * protocol netsim implements described (d->known) and K counts the frames
 * that failed. The exit status is 0 when every frame of every file decoded
 * cleanly, 1 when a frame failed or a file could not be read, 2 for a usage
 * error.
 */
#include <stdio.h>
#include <string.h>

#include "../net/dissect.h"
#include "../net/pcap.h"
#include "cmd.h"

struct counts {
	unsigned long long frames, known, failed;
};

static void
usage(FILE *f)
{
	fputs("usage: netsim decode [-v] FILE...\n"
	      "  Decode pcap/pcapng files with netsim's own dissectors, one line per frame.\n"
	      "  -v  more detail (addresses, TTLs, sequence numbers)\n"
	      "  Exit status: 0 all frames decoded, 1 a frame failed or a file is unreadable,\n"
	      "  2 usage error.\n",
	    f);
}

/* Seconds with six decimals, from a nanosecond difference that may be negative. */
static void
print_reltime(int64_t ns)
{
	unsigned long long a;

	a = ns < 0 ? 0 - (unsigned long long)ns : (unsigned long long)ns;
	printf("%s%llu.%06llu", ns < 0 ? "-" : "", a / 1000000000u, a % 1000000000u / 1000u);
}

/* Returns 0 if every frame decoded and the file read to its end, else 1. */
static int
decode_file(const char *path, int verbose)
{
	struct pcap_reader *r;
	struct pcap_frame fr;
	struct dissect d;
	struct counts c = {0, 0, 0};
	int64_t t0 = 0;
	char err[256];
	int rc;

	if ((r = pcap_reader_open(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "netsim decode: %s: %s\n", path, err);
		return 1;
	}
	dissect_init(&d);
	d.verbose = verbose;
	while ((rc = pcap_read(r, &fr, err, sizeof(err))) == 1) {
		if (c.frames == 0)
			t0 = fr.ts_ns;
		c.frames++;
		dissect_reset(&d);
		dissect_capture(&d, fr.linktype, fr.data, fr.caplen, fr.origlen);
		printf("%5llu  ", c.frames);
		print_reltime(fr.ts_ns - t0);
		printf("  %s", sb_str(&d.line));
		if (d.errors > 0) {
			printf(" [ERROR: %s]", sb_str(&d.err));
			c.failed++;
		}
		putchar('\n');
		if (d.known)
			c.known++;
	}
	dissect_free(&d);
	pcap_reader_close(r);
	printf("%s: %llu frames, %llu decoded, %llu errors\n", path, c.frames, c.known, c.failed);
	if (rc < 0) {
		fflush(stdout);
		fprintf(stderr, "netsim decode: %s: %s\n", path, err);
		return 1;
	}
	return c.failed > 0;
}

int
cmd_decode(int argc, char **argv)
{
	int i, j, verbose = 0, status = 0;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		for (j = 1; argv[i][j] == 'v'; j++)
			verbose++;
		if (argv[i][j] != '\0') {
			fprintf(stderr, "netsim decode: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	dissect_setup();
	for (; i < argc; i++)
		if (decode_file(argv[i], verbose) != 0)
			status = 1;
	fflush(stdout);
	return status;
}
