/*
 * pdu.h: IS-IS PDUs and their TLVs on the wire (ISO 10589 9, RFC 1195,
 * RFC 5303, RFC 5305, RFC 5302, RFC 5301, RFC 5304).
 *
 * One codec serves both directions and both users (the protocol and
 * `netsim decode`): isis_pdu_parse() turns bytes into a struct isis_pdu (the
 * fixed header fields, then every TLV in order with its entries decoded), and
 * isis_pdu_encode() writes a struct isis_pdu back. Parsing then encoding a
 * PDU gives the same bytes (unknown TLVs and sub-TLVs are kept raw), which is
 * what the codec's unit test checks on real routers' captures.
 *
 * The protocol builds a PDU with isis_pdu_init() and the isis_add_*()
 * functions: an entry goes into the last TLV when that TLV is of the same type
 * and has room (a TLV's value is at most 255 octets), otherwise into a new
 * TLV. pdu->len is the encoded length at every moment, so that an originator
 * can stop filling an LSP fragment when the next entry would not fit.
 *
 * The bytes a struct isis_pdu points into (raw TLVs, sub-TLVs, the
 * authentication value) belong to the caller of isis_pdu_parse() and must
 * outlive it.
 */
#ifndef NETSIM_ISIS_PDU_H
#define NETSIM_ISIS_PDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISIS_IRPD       0x83 /* Intradomain Routeing Protocol Discriminator */
#define ISIS_SYSID_LEN  6
#define ISIS_AREA_MAX   13   /* octets of an area address */
#define ISIS_MAX_AREAS  3    /* maximumAreaAddresses (0 in the header means 3) */

/* ISO 10589 9.5-9.10: PDU types (the low five bits of the header's octet 5). */
enum isis_pdu_type {
	ISIS_L1_LAN_IIH = 15,
	ISIS_L2_LAN_IIH = 16,
	ISIS_P2P_IIH = 17,
	ISIS_L1_LSP = 18,
	ISIS_L2_LSP = 20,
	ISIS_L1_CSNP = 24,
	ISIS_L2_CSNP = 25,
	ISIS_L1_PSNP = 26,
	ISIS_L2_PSNP = 27,
};

/* Header lengths (the length indicator, octet 2): common 8 octets plus the PDU's fixed fields. */
#define ISIS_LAN_IIH_HLEN 27
#define ISIS_P2P_IIH_HLEN 20
#define ISIS_LSP_HLEN     27
#define ISIS_CSNP_HLEN    33
#define ISIS_PSNP_HLEN    17

/* Circuit type / IS type values (ISO 10589 9.5, 9.8). */
#define ISIS_LEVEL1  1
#define ISIS_LEVEL2  2
#define ISIS_LEVEL12 3

/* LSP flags octet (ISO 10589 9.8): P, ATT (four bits), LSPDBOL, IS type. */
#define ISIS_LSP_P       0x80
#define ISIS_LSP_ATT     0x08 /* the default-metric attached bit; the other three are not used */
#define ISIS_LSP_ATT_ALL 0x78
#define ISIS_LSP_OL      0x04
#define ISIS_LSP_ISTYPE  0x03

/* TLV codes. */
enum isis_tlv_type {
	ISIS_TLV_AREA = 1,          /* ISO 10589 9.9 */
	ISIS_TLV_IS_REACH = 2,      /* narrow IS reachability */
	ISIS_TLV_LAN_NBR = 6,       /* IS neighbors (SNPAs), LAN IIH */
	ISIS_TLV_PADDING = 8,
	ISIS_TLV_LSP_ENTRY = 9,     /* CSNP, PSNP */
	ISIS_TLV_AUTH = 10,         /* RFC 5304 */
	ISIS_TLV_EXT_IS_REACH = 22, /* RFC 5305 3 */
	ISIS_TLV_IP_INT = 128,      /* RFC 1195 5.3.2 */
	ISIS_TLV_PROTOCOLS = 129,   /* RFC 1195 5.3.3 */
	ISIS_TLV_IP_EXT = 130,      /* RFC 1195 5.3.4 */
	ISIS_TLV_IP_ADDR = 132,     /* RFC 1195 5.3.5 */
	ISIS_TLV_EXT_IP = 135,      /* RFC 5305 4 */
	ISIS_TLV_HOSTNAME = 137,    /* RFC 5301 */
	ISIS_TLV_P2P_ADJ = 240,     /* RFC 5303 */
};

#define ISIS_NLPID_IPV4 0xcc
#define ISIS_NLPID_IPV6 0x8e

/* Authentication types in TLV 10. */
#define ISIS_AUTH_TEXT 1
#define ISIS_AUTH_MD5  54 /* HMAC-MD5, RFC 5304 */

/* RFC 5303 3.1: the three-way adjacency states. */
enum isis_p2p_state { ISIS_P2P_UP = 0, ISIS_P2P_INIT = 1, ISIS_P2P_DOWN = 2 };

/* Narrow metrics are six bits (ISO 10589 7.2.2); wide ones 24 (IS) and 32 (IP) bits (RFC 5305). */
#define ISIS_NARROW_MAX 63
#define ISIS_WIDE_MAX   0xfffffe /* 0xffffff: do not use for SPF (RFC 5305 3) */

struct isis_lspid {
	uint8_t b[8]; /* system ID, pseudonode ID, fragment (LSP number) */
};

struct isis_area {
	uint8_t len;
	uint8_t a[ISIS_AREA_MAX];
};

/* TLV 2 (narrow) and TLV 22 (wide). */
struct isis_is_reach {
	uint8_t id[7];      /* neighbor system ID + pseudonode ID */
	uint32_t metric;    /* narrow: the default metric (6 bits); wide: 24 bits */
	uint8_t m[4];       /* narrow: the four metric octets as sent (default, delay, expense, error) */
	const uint8_t *sub; /* wide: sub-TLVs, raw */
	uint8_t sublen;
};

/* TLV 128/130 (narrow) and TLV 135 (wide). */
struct isis_ip_reach {
	uint32_t prefix;    /* host order */
	uint8_t plen;
	uint32_t metric;    /* narrow: 6 bits; wide: 32 bits */
	bool down;          /* the up/down bit (RFC 5302 2, RFC 5305 4) */
	uint8_t m[4];       /* narrow: the metric octets as sent (I/E and up/down bits included) */
	const uint8_t *sub; /* wide: sub-TLVs, raw */
	uint8_t sublen;
};

/* TLV 9. */
struct isis_lsp_entry {
	uint16_t lifetime;
	struct isis_lspid id;
	uint32_t seq;
	uint16_t cksum;
};

/* TLV 240 (RFC 5303 3.1); len is 1, 5, 11 or 15 and says which fields are present. */
struct isis_p2p_adj {
	uint8_t len;
	uint8_t state;             /* enum isis_p2p_state */
	uint32_t ext_circuit;      /* extended local circuit ID */
	uint8_t nbr_sysid[ISIS_SYSID_LEN];
	uint32_t nbr_ext_circuit;
};

/* One TLV of a PDU, in order: its entries are first..first+n-1 of the array of its kind. */
struct isis_tlv {
	uint8_t type;
	uint8_t len;        /* value length (encoded) */
	uint16_t first, n;
	/*
	 * The value as received (set for every parsed TLV). Encoding uses it
	 * for unknown TLVs, padding and the received TLVs 10, 137 and 240 (the
	 * PDU holds one value of each); the others are encoded from their
	 * entries. NULL when built by an adder (padding: zeros).
	 */
	const uint8_t *raw;
	uint8_t virt;       /* TLV 2: the virtual flag octet */
};

struct isis_pdu {
	uint8_t type;        /* enum isis_pdu_type */
	uint8_t max_areas;   /* as in the header (0 means 3) */
	size_t len;          /* the encoded length (the PDU length field) */

	/* IIHs (ISO 10589 9.5-9.7) */
	uint8_t circuit_type; /* ISIS_LEVEL* */
	uint8_t source[ISIS_SYSID_LEN];
	uint16_t hold;
	uint8_t priority;     /* LAN */
	uint8_t lan_id[7];    /* LAN: DIS system ID + pseudonode */
	uint8_t local_circuit; /* point-to-point */

	/* LSPs (9.8, 9.9) */
	uint16_t lifetime;
	struct isis_lspid lspid;
	uint32_t seq;
	uint16_t cksum;
	uint8_t lsp_flags;

	/* CSNPs and PSNPs (9.10-9.13): source is the system ID + circuit ID (0 for PSNPs from p2p) */
	uint8_t snp_source[7];
	struct isis_lspid start, end; /* CSNP */

	/* TLVs in order and their entries */
	struct isis_tlv *tlv;
	int ntlv;
	struct isis_area *areas;
	int nareas;
	uint8_t (*lan_nbrs)[6];
	int nlan_nbrs;
	struct isis_is_reach *is;
	int nis;
	struct isis_ip_reach *ip;
	int nip;
	uint32_t *addrs; /* TLV 132, host order */
	int naddrs;
	uint8_t *nlpids; /* TLV 129 */
	int nnlpids;
	struct isis_lsp_entry *entries;
	int nentries;
	char hostname[256]; /* TLV 137 (the last one, NUL-terminated); "" if none */
	bool has_p2p_adj;
	struct isis_p2p_adj p2p_adj;
	bool has_auth;
	uint8_t auth_type;
	uint8_t auth_len;
	const uint8_t *auth_val; /* parsed: into the received bytes; added: a copy (NULL: zeros) */
	size_t auth_off;         /* parsed and encoded: auth_val's offset in the PDU (after the type) */

	/* private: capacities of the arrays above */
	int cap_tlv, cap_areas, cap_lan_nbrs, cap_is, cap_ip, cap_addrs, cap_nlpids, cap_entries;
	uint8_t *auth_buf; /* isis_add_auth's copy of a plain-text value */
};

/*
 * Parse a PDU (from the IRPD octet on). On error returns -1 and *err says what
 * is wrong, naming the offending field ("LSP: TLV 135 truncated at offset 61").
 * Checks the header (IRPD, length indicator for the type, version, ID length
 * 0 or 6, PDU length within len), TLV framing and each known TLV's syntax; an
 * LSP's checksum is not checked here (isis_lsp_cksum_ok). On success the PDU
 * must be freed with isis_pdu_free (on error it is freed already). Octets
 * past the PDU length (link padding) are not the PDU's. Reserved bits and an
 * ID length of 6 are accepted but not kept: the encoder writes zeros (ID
 * length 0 means 6). *err points to a per-thread buffer valid until the next
 * parse on that thread.
 */
int isis_pdu_parse(struct isis_pdu *, const uint8_t *p, size_t len, const char **err);
void isis_pdu_free(struct isis_pdu *);

/* An empty PDU of the given type (pdu->len is its header length). */
void isis_pdu_init(struct isis_pdu *, enum isis_pdu_type);

/*
 * Write pdu into buf (cap octets, at least pdu->len); returns the length. Sets
 * the PDU length field, and for an LSP the checksum (unless its lifetime is 0,
 * ISO 10589 7.3.16.4 purges may carry 0) into pdu->cksum too. When key is not
 * NULL and the PDU has an authentication TLV of type ISIS_AUTH_MD5, the
 * HMAC-MD5 is computed as RFC 5304 2 says (over the PDU with the digest, and
 * for an LSP the checksum and lifetime, set to zero) and written.
 */
size_t isis_pdu_encode(struct isis_pdu *, uint8_t *buf, size_t cap, const uint8_t *key, size_t keylen);

/* Entry adders: into the last TLV of that type if it has room, else a new TLV. */
void isis_add_area(struct isis_pdu *, const struct isis_area *);
void isis_add_lan_nbr(struct isis_pdu *, const uint8_t mac[6]);
/* type: ISIS_TLV_IS_REACH or ISIS_TLV_EXT_IS_REACH (metric is taken from r->metric). */
void isis_add_is_reach(struct isis_pdu *, enum isis_tlv_type, const struct isis_is_reach *);
/* type: ISIS_TLV_IP_INT, ISIS_TLV_IP_EXT or ISIS_TLV_EXT_IP. */
void isis_add_ip_reach(struct isis_pdu *, enum isis_tlv_type, const struct isis_ip_reach *);
void isis_add_addr(struct isis_pdu *, uint32_t addr);
void isis_add_nlpid(struct isis_pdu *, uint8_t nlpid);
void isis_add_lsp_entry(struct isis_pdu *, const struct isis_lsp_entry *);
void isis_add_hostname(struct isis_pdu *, const char *name);
void isis_add_p2p_adj(struct isis_pdu *, const struct isis_p2p_adj *);
/*
 * An authentication TLV, or a new value for the PDU's (its value zeroed for
 * MD5 until isis_pdu_encode; a plain-text value is copied). Likewise
 * isis_add_hostname and isis_add_p2p_adj replace the PDU's TLV if it has one.
 */
void isis_add_auth(struct isis_pdu *, uint8_t type, const uint8_t *val, uint8_t len);
/* Padding TLVs (type 8) adding exactly n octets (n >= 2; a TLV of 255 octets at most each). */
void isis_add_padding(struct isis_pdu *, size_t n);
/*
 * What adding an entry of this TLV type would grow pdu->len by: entry_len, or
 * 2 more when a new TLV is needed (3 for TLV 2, whose value starts with the
 * virtual flag octet).
 */
size_t isis_add_cost(const struct isis_pdu *, enum isis_tlv_type, size_t entry_len);
/* The encoded length of an IP reachability entry for a TLV type. */
size_t isis_ip_reach_len(enum isis_tlv_type, const struct isis_ip_reach *);

/*
 * Authentication check of a received PDU (bytes p[0..len), already parsed
 * into pdu): true when the PDU carries an authentication TLV of the expected
 * type whose value matches (plain text compared, HMAC-MD5 recomputed, RFC 5304 2).
 */
bool isis_auth_ok(const struct isis_pdu *, const uint8_t *p, size_t len, uint8_t type,
                  const uint8_t *key, size_t keylen);

/*
 * LSPs: offsets in the PDU, and the checksum over the octets from the LSP ID
 * on (ISO 10589 7.3.11), up to the PDU length (which must be within len). A
 * purge (lifetime 0) with a checksum of 0 is accepted (7.3.16.4).
 */
#define ISIS_LSP_OFF_LIFETIME 10
#define ISIS_LSP_OFF_ID       12
#define ISIS_LSP_OFF_SEQ      20
#define ISIS_LSP_OFF_CKSUM    24
bool isis_lsp_cksum_ok(const uint8_t *p, size_t len);

/* Names and text forms. */
const char *isis_pdu_type_name(uint8_t type); /* "L1 LAN IIH", "L2 LSP", ... */
const char *isis_tlv_name(uint8_t type);
/* "0000.0000.0001" */
char *isis_sysid_str(const uint8_t *id, char *buf, size_t n);
/* "0000.0000.0001.00-00" */
char *isis_lspid_str(const struct isis_lspid *, char *buf, size_t n);
/* "49.0001" */
char *isis_area_str(const struct isis_area *, char *buf, size_t n);
/* Parse a NET "49.0001.0000.0000.0001.00": area and system ID; -1 when malformed. */
int isis_net_parse(const char *s, struct isis_area *area, uint8_t sysid[ISIS_SYSID_LEN]);

#endif
