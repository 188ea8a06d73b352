/*
 * fuzz_ldp_msg.c: libFuzzer harness for the LDP message codec
 * (src/proto/ldp/msg.c) and its dissector, as `netsim decode` (and, later,
 * the protocol) run them on received bytes.
 *
 * Input: LDP PDUs, as a UDP datagram or TCP segment carries them. Properties
 * checked beyond "no crash, no sanitizer report": a refused PDU names a
 * field at an offset inside it; an accepted one encodes again to exactly the
 * octets it came from; the dissector reports an error exactly when it says
 * why, on the input as a datagram and as a segment.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/dissect.h"
#include "proto/ldp/dissect.h"
#include "proto/ldp/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_MSGS 64

static struct ldp_msg msgs[MAX_MSGS];
static uint8_t out[65536 + 4];

static void
pdus_check(const uint8_t *p, size_t len)
{
	while (len > 0) {
		struct ldp_pdu h;
		struct ldp_err err = {0};
		int whole = ldp_pdu_header(p, len, &h, &err), n;

		if (whole < 0 && err.field == NULL)
			abort();
		if (whole <= 0)
			return;
		n = ldp_pdu_decode(p, (size_t)whole, &h, msgs, MAX_MSGS, &err);
		if (n < 0) {
			if (err.field == NULL || err.off >= (size_t)whole)
				abort();
		} else if (ldp_pdu_encode(out, sizeof out, &h, msgs, (unsigned)n) != (size_t)whole ||
		           memcmp(out, p, (size_t)whole) != 0) {
			abort();
		}
		p += whole;
		len -= (size_t)whole;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dissect d;
	static int ready;
	uint8_t *copy = malloc(size ? size : 1);

	if (!ready) {
		dissect_setup();
		dissect_init(&d);
		ready = 1;
	}
	/* An exact-size copy, so that ASan sees a read past the input. */
	memcpy(copy, data, size);
	pdus_check(copy, size);
	for (int stream = 0; stream < 2; stream++) {
		dissect_reset(&d);
		ldp_dissect_pdus(&d, copy, size, stream);
		if ((d.errors > 0) != (d.err.len > 0))
			abort();
	}
	free(copy);
	return 0;
}
