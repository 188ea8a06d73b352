/*
 * packet.c: the BFD Control packet codec (RFC 5880 4.1-4.4) and the
 * session-independent reception checks of 6.8.6.
 *
 *     0                   1                   2                   3
 *    |Vers |  Diag   |Sta|P|F|C|A|D|M|  Detect Mult  |    Length     |
 *    |                       My Discriminator                        |
 *    |                      Your Discriminator                       |
 *    |                    Desired Min TX Interval                    |
 *    |                   Required Min RX Interval                    |
 *    |                 Required Min Echo RX Interval                 |
 *    |   Auth Type   |   Auth Len    |    Authentication Data...     |
 */
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "packet.h"

const char *const bfd_state_names[BFD_NSTATES] = {"AdminDown", "Down", "Init", "Up"};

const char *
bfd_diag_str(uint8_t diag)
{
	static const char *const names[] = {
	    "ok",
	    "control detection time expired",
	    "echo function failed",
	    "neighbor signaled session down",
	    "forwarding plane reset",
	    "path down",
	    "concatenated path down",
	    "administratively down",
	    "reverse concatenated path down",
	};

	return diag < ARRAY_LEN(names) ? names[diag] : "unknown";
}

const char *
bfd_auth_name(uint8_t type)
{
	switch (type) {
	case BFD_AUTH_SIMPLE:
		return "simple password";
	case BFD_AUTH_KEYED_MD5:
		return "keyed MD5";
	case BFD_AUTH_MET_MD5:
		return "meticulous keyed MD5";
	case BFD_AUTH_KEYED_SHA1:
		return "keyed SHA1";
	case BFD_AUTH_MET_SHA1:
		return "meticulous keyed SHA1";
	default:
		return "reserved";
	}
}

/* RFC 5880 4.2-4.4: the Auth Len each type allows. */
static const char *
auth_check(const struct bfd_pkt *b)
{
	switch (b->auth_type) {
	case BFD_AUTH_SIMPLE: /* type, len, key ID, a password of 1 to 16 octets */
		return b->auth_len >= 4 && b->auth_len <= 19 ? NULL : "simple password length not 4..19";
	case BFD_AUTH_KEYED_MD5:
	case BFD_AUTH_MET_MD5: /* type, len, key ID, reserved, sequence, 16-octet digest */
		return b->auth_len == 24 ? NULL : "MD5 authentication length not 24";
	case BFD_AUTH_KEYED_SHA1:
	case BFD_AUTH_MET_SHA1:
		return b->auth_len == 28 ? NULL : "SHA1 authentication length not 28";
	default:
		return "reserved authentication type";
	}
}

int
bfd_pkt_decode(struct bfd_pkt *b, const uint8_t *p, size_t n, const char **err)
{
	memset(b, 0, sizeof(*b));
	if (n < BFD_LEN) {
		*err = "shorter than 24 octets";
		return -1;
	}
	b->version = p[0] >> 5;
	b->diag = p[0] & 0x1f;
	b->state = p[1] >> 6;
	b->flags = p[1] & 0x3f;
	b->mult = p[2];
	b->len = p[3];
	b->my_disc = get32(p + 4);
	b->your_disc = get32(p + 8);
	b->min_tx = get32(p + 12);
	b->min_rx = get32(p + 16);
	b->min_echo_rx = get32(p + 20);
	/* RFC 5880 6.8.6, in its order. */
	if (b->version != BFD_VERSION)
		*err = "version not 1";
	else if (b->len < ((b->flags & BFD_F_AUTH) ? BFD_LEN + 2 : BFD_LEN))
		*err = "Length too small";
	else if (b->len > n)
		*err = "Length beyond the payload";
	else if (b->mult == 0)
		*err = "Detect Mult zero";
	else if (b->flags & BFD_F_MULTI)
		*err = "Multipoint bit set";
	else if (b->my_disc == 0)
		*err = "My Discriminator zero";
	else if (b->your_disc == 0 && b->state != BFD_DOWN && b->state != BFD_ADMIN_DOWN)
		*err = "Your Discriminator zero outside Down and AdminDown";
	else if (b->flags & BFD_F_AUTH) {
		b->auth_type = p[BFD_LEN];
		b->auth_len = p[BFD_LEN + 1];
		/* The section ends the packet: anything after it would be neither (4.1). */
		if (b->auth_len < 2 || BFD_LEN + (size_t)b->auth_len != b->len)
			*err = "Length not 24 + Auth Len";
		else if ((*err = auth_check(b)) == NULL) {
			memcpy(b->auth, p + BFD_LEN, b->auth_len);
			b->key_id = p[BFD_LEN + 2];
			if (b->auth_type != BFD_AUTH_SIMPLE)
				b->auth_seq = get32(p + BFD_LEN + 4);
			return 0;
		}
	} else if (b->len != BFD_LEN) {
		*err = "Length not 24 without authentication";
	} else {
		return 0;
	}
	return -1;
}

size_t
bfd_pkt_encode(const struct bfd_pkt *b, uint8_t *out)
{
	out[0] = (uint8_t)(b->version << 5 | (b->diag & 0x1f));
	out[1] = (uint8_t)(b->state << 6 | (b->flags & 0x3f));
	out[2] = b->mult;
	out[3] = b->len;
	put32(out + 4, b->my_disc);
	put32(out + 8, b->your_disc);
	put32(out + 12, b->min_tx);
	put32(out + 16, b->min_rx);
	put32(out + 20, b->min_echo_rx);
	if (b->flags & BFD_F_AUTH)
		memcpy(out + BFD_LEN, b->auth, b->auth_len);
	return b->len;
}
