/*
 * fuzz_dissect.c: libFuzzer harness for the frame decoder (src/net/dissect*.c
 * and the protocols' dissectors), as `netsim decode` runs it on a capture.
 *
 * Input: one control byte, then the frame. The control byte's low three bits
 * pick the pcap link type; bit 3 says the capture was cut (origlen > caplen,
 * so the decoder runs in its "partial" mode). Properties checked beyond "no
 * crash, no sanitizer report": a frame counts as failed exactly when the
 * decoder said why, and a frame that did not fail has a description.
 */
#include <stdint.h>
#include <stdlib.h>

#include "net/dissect.h"
#include "net/pcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t linktypes[8] = {
	LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_LINUX_SLL,
	LINKTYPE_NULL, LINKTYPE_PPP, LINKTYPE_C_HDLC, LINKTYPE_ETHERNET,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dissect d;
	static int ready;
	uint8_t ctl;

	if (size < 1)
		return 0;
	if (!ready) {
		dissect_setup();
		dissect_init(&d);
		ready = 1;
	}
	ctl = data[0];
	dissect_reset(&d);
	dissect_capture(&d, linktypes[ctl & 7], data + 1, size - 1,
	    (ctl & 8) ? size - 1 + 64 : size - 1);
	if ((d.errors > 0) != (d.err.len > 0) || (d.errors == 0 && d.line.len == 0))
		abort();
	return 0;
}
