/*
 * dissect.c: BFD Control packets for `netsim decode`: UDP 3784 (single hop,
 * RFC 5881), 4784 (multi-hop, RFC 5883), and, in the same format, 6784
 * (micro-BFD on LAG members, RFC 7130) and 7784 (seamless BFD, RFC 7881),
 * which netsim does not run. Decoded with the protocol's own codec, so a
 * packet netsim's BFD would drop before looking for its session is an error
 * here too.
 *
 *   BFD Up diag ok mult 3 my 0x7429abf9 your 0xd43a40c1 tx 300ms rx 300ms echo 300ms
 */
#include <stdbool.h>

#include "../../lib/util.h"
#include "../../net/dissect.h"
#include "packet.h"

void bfd_dissect_init(void);

static void
add_us(struct dissect *d, const char *what, uint32_t us)
{
	if (us % 1000 == 0)
		dissect_add(d, " %s %ums", what, us / 1000);
	else
		dissect_add(d, " %s %uus", what, us);
}

static void
bfd_dissect(struct dissect *d, const uint8_t *p, size_t len)
{
	static const struct dissect_flag flags[] = {
	    {BFD_F_POLL, "P"}, {BFD_F_FINAL, "F"}, {BFD_F_CPI, "C"},
	    {BFD_F_AUTH, "A"}, {BFD_F_DEMAND, "D"}, {BFD_F_MULTI, "M"},
	};
	struct bfd_pkt b;
	const char *err;

	d->known = true;
	dissect_add(d, "BFD");
	if (!dissect_need(d, "BFD", len, BFD_LEN))
		return;
	if (bfd_pkt_decode(&b, p, len, &err) < 0) {
		dissect_error(d, "BFD: %s", err);
		return;
	}
	dissect_add(d, " %s", bfd_state_names[b.state]);
	if (b.flags) {
		dissect_add(d, " [");
		dissect_flags(d, b.flags, flags, ARRAY_LEN(flags));
		dissect_add(d, "]");
	}
	dissect_add(d, " diag %s mult %u my 0x%08x your 0x%08x", bfd_diag_str(b.diag), b.mult,
	    b.my_disc, b.your_disc);
	add_us(d, "tx", b.min_tx);
	add_us(d, "rx", b.min_rx);
	add_us(d, "echo", b.min_echo_rx);
	if (b.flags & BFD_F_AUTH) {
		dissect_add(d, " auth %s key %u", bfd_auth_name(b.auth_type), b.key_id);
		if (b.auth_type != BFD_AUTH_SIMPLE)
			dissect_add(d, " seq %u", b.auth_seq);
	}
}

void
bfd_dissect_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	dissect_register(DT_UDP_PORT, BFD_PORT, bfd_dissect);
	dissect_register(DT_UDP_PORT, BFD_MH_PORT, bfd_dissect);
	dissect_register(DT_UDP_PORT, BFD_LAG_PORT, bfd_dissect);
	dissect_register(DT_UDP_PORT, BFD_SBFD_PORT, bfd_dissect);
}
