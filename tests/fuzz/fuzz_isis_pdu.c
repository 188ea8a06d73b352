/*
 * fuzz_isis_pdu.c: libFuzzer harness for the IS-IS PDU and TLV codec
 * (src/proto/isis/pdu.c), as the protocol and `netsim decode` run it on a
 * received PDU.
 *
 * Input: one IS-IS PDU, from the IRPD octet on. Properties checked beyond
 * "no crash, no sanitizer report": a refused PDU has an error message; an
 * accepted one encodes to pdu->len octets, its encoding (with and without an
 * HMAC-MD5 key) parses again and encodes to the same bytes, and an encoded
 * LSP with a lifetime carries a valid checksum.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/isis/pdu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t key[] = "fuzz";

/* Encode pdu into out; parse that and encode again into out2: the same bytes. */
static size_t
encode_twice(struct isis_pdu *pdu, uint8_t *out, uint8_t *out2, size_t cap, const uint8_t *k,
    size_t klen)
{
	struct isis_pdu again;
	const char *err;
	size_t n = isis_pdu_encode(pdu, out, cap, k, klen);

	if (n != pdu->len || isis_pdu_parse(&again, out, n, &err) < 0)
		abort();
	if (isis_pdu_encode(&again, out2, cap, k, klen) != n || memcmp(out, out2, n) != 0)
		abort();
	if (k && again.has_auth && again.auth_type == ISIS_AUTH_MD5 && again.auth_len == 16 &&
	    !isis_auth_ok(&again, out, n, ISIS_AUTH_MD5, k, klen))
		abort();
	isis_pdu_free(&again);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[70000], out2[70000];
	struct isis_pdu pdu;
	const char *err = NULL;
	size_t n;

	if (isis_pdu_parse(&pdu, data, size, &err) < 0) {
		if (err == NULL || err[0] == '\0')
			abort();
		return 0;
	}
	(void)isis_auth_ok(&pdu, data, size, pdu.auth_type, key, sizeof key - 1);
	(void)isis_lsp_cksum_ok(data, size);
	n = encode_twice(&pdu, out, out2, sizeof out, NULL, 0);
	if ((pdu.type == ISIS_L1_LSP || pdu.type == ISIS_L2_LSP) && pdu.lifetime != 0 &&
	    !isis_lsp_cksum_ok(out, n))
		abort();
	encode_twice(&pdu, out, out2, sizeof out, key, sizeof key - 1);
	isis_pdu_free(&pdu);
	return 0;
}
