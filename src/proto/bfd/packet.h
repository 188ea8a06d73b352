/*
 * packet.h: the BFD Control packet (RFC 5880 4.1), its codec and the
 * reception checks of 6.8.6 that need no session. The session code
 * (session.c), `netsim decode` (dissect.c), the unit test and the fuzz
 * harness all use this one codec, so the decoder refuses what netsim's BFD
 * refuses.
 */
#ifndef NETSIM_BFD_PACKET_H
#define NETSIM_BFD_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BFD_PORT          3784 /* single hop, RFC 5881 4 */
#define BFD_MH_PORT       4784 /* multi-hop, RFC 5883 5 */
#define BFD_LAG_PORT      6784 /* micro-BFD on LAG members, RFC 7130 2.2 (decoded only) */
#define BFD_SBFD_PORT     7784 /* seamless BFD reflector, RFC 7881 7 (decoded only) */
#define BFD_SPORT_MIN     49152 /* RFC 5881 4: the source port range */
#define BFD_VERSION       1
#define BFD_LEN           24 /* without authentication */
#define BFD_AUTH_MAX      (255 - BFD_LEN)

/* RFC 5880 4.1: Sta */
enum bfd_state { BFD_ADMIN_DOWN, BFD_DOWN, BFD_INIT, BFD_UP, BFD_NSTATES };

/* RFC 5880 4.1: Diag */
enum bfd_diag {
	BFD_DIAG_NONE,
	BFD_DIAG_TIME_EXPIRED,     /* Control Detection Time Expired */
	BFD_DIAG_ECHO_FAILED,
	BFD_DIAG_NBR_DOWN,         /* Neighbor Signaled Session Down */
	BFD_DIAG_FWD_RESET,
	BFD_DIAG_PATH_DOWN,
	BFD_DIAG_CONCAT_DOWN,
	BFD_DIAG_ADMIN_DOWN,
	BFD_DIAG_REV_CONCAT_DOWN,  /* 8 (9..31 are reserved) */
};

/* RFC 5880 4.1: the flags of the second octet, below Sta. */
#define BFD_F_POLL   0x20
#define BFD_F_FINAL  0x10
#define BFD_F_CPI    0x08 /* Control Plane Independent */
#define BFD_F_AUTH   0x04
#define BFD_F_DEMAND 0x02
#define BFD_F_MULTI  0x01 /* Multipoint: must be zero */

/* RFC 5880 4.1: Auth Type */
enum bfd_auth_type {
	BFD_AUTH_SIMPLE = 1,
	BFD_AUTH_KEYED_MD5 = 2,
	BFD_AUTH_MET_MD5 = 3,
	BFD_AUTH_KEYED_SHA1 = 4,
	BFD_AUTH_MET_SHA1 = 5,
};

struct bfd_pkt {
	uint8_t version;   /* 3 bits */
	uint8_t diag;      /* 5 bits */
	uint8_t state;     /* enum bfd_state */
	uint8_t flags;     /* BFD_F_* */
	uint8_t mult;      /* Detect Mult */
	uint8_t len;       /* Length: the whole packet, authentication included */
	uint32_t my_disc, your_disc;
	uint32_t min_tx, min_rx, min_echo_rx; /* microseconds */
	/* The authentication section (4.2-4.4) when BFD_F_AUTH, kept whole for re-encoding. */
	uint8_t auth_type, auth_len, key_id;
	uint32_t auth_seq;  /* MD5 and SHA1 types */
	uint8_t auth[BFD_AUTH_MAX];
};

extern const char *const bfd_state_names[BFD_NSTATES]; /* "AdminDown", "Down", "Init", "Up" */
/* FRR's words for a diagnostic ("control detection time expired"). */
const char *bfd_diag_str(uint8_t diag);
const char *bfd_auth_name(uint8_t type);

/*
 * Decode a packet of n octets (the UDP payload). The checks of RFC 5880
 * 6.8.6 that need no session: version 1, Length at least 24 (26 with
 * authentication) and no more than n, Detect Mult not zero, Multipoint
 * clear, My Discriminator not zero, Your Discriminator zero only in Down
 * or AdminDown, and an authentication section whose length fits its type
 * and ends the packet (Length is 24 + Auth Len, or 24 without one).
 * Returns 0, or -1 with *err saying why.
 */
int bfd_pkt_decode(struct bfd_pkt *, const uint8_t *p, size_t n, const char **err);

/* Encode into out (at least pkt->len octets); returns pkt->len. */
size_t bfd_pkt_encode(const struct bfd_pkt *, uint8_t *out);

#endif
