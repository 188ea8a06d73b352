/*
 * shared_data.h: where unit tests find the shared captures and vectors
 * (the directory beside the repository, or $NETSIM_SHARED). Include after
 * <cmocka.h>: a missing directory fails the test that needs it.
 */
#ifndef NETSIM_TEST_SHARED_DATA_H
#define NETSIM_TEST_SHARED_DATA_H

#include <stdlib.h>
#include <sys/stat.h>

#include "lib/util.h"
#include "net/dissect.h"
#include "net/pcap.h"

static inline const char *
shared_dir(void)
{
	static const char *const fallback[] = {"../shared", "/work/shared"};
	const char *env = getenv("NETSIM_SHARED");
	struct stat st;

	if (env != NULL && *env != '\0' && stat(env, &st) == 0 && S_ISDIR(st.st_mode))
		return env;
	for (size_t i = 0; i < ARRAY_LEN(fallback); i++)
		if (stat(fallback[i], &st) == 0 && S_ISDIR(st.st_mode))
			return fallback[i];
	fail_msg("shared data not found: set NETSIM_SHARED (tried ../shared, /work/shared)");
	return NULL;
}

/* A file under the shared directory (free it). */
static inline char *
shared_path(const char *rel)
{
	return xasprintf("%s/%s", shared_dir(), rel);
}

/*
 * Run netsim's decoder on every frame of a shared capture: *frame is the
 * frame's number (from 1) while it is decoded, then each(d, arg) sees the
 * result. Returns the frames read; an unreadable file fails the test.
 */
static inline unsigned
shared_pcap_decode(const char *rel, struct dissect *d, unsigned *frame,
    void (*each)(struct dissect *, void *), void *arg)
{
	char err[256], *path = shared_path(rel);
	struct pcap_reader *r = pcap_reader_open(path, err, sizeof err);
	struct pcap_frame f;
	unsigned n = 0;
	int rc;

	if (r == NULL)
		fail_msg("%s: %s", path, err);
	while ((rc = pcap_read(r, &f, err, sizeof err)) == 1) {
		*frame = ++n;
		dissect_reset(d);
		dissect_capture(d, f.linktype, f.data, f.caplen, f.origlen);
		if (each)
			each(d, arg);
	}
	if (rc < 0)
		fail_msg("%s: %s", path, err);
	pcap_reader_close(r);
	free(path);
	return n;
}

#endif
