/* ip.c: IPv4 address/prefix and MAC parsing and formatting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"

bool
ip_parse(const char *s, uint32_t *out)
{
	uint32_t a = 0;
	int parts = 0;

	while (parts < 4) {
		unsigned v = 0;
		int digits = 0;

		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (unsigned)(*s++ - '0');
			if (++digits > 3 || v > 255)
				return false;
		}
		if (digits == 0)
			return false;
		a = a << 8 | v;
		if (++parts < 4 && *s++ != '.')
			return false;
	}
	if (*s != '\0')
		return false;
	*out = a;
	return true;
}

bool
ip_plen_parse(const char *s, uint32_t *addr, uint8_t *len)
{
	const char *slash = strchr(s, '/');
	char tmp[IP_STRLEN];
	char *end;
	long l;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(tmp))
		return false;
	memcpy(tmp, s, (size_t)(slash - s));
	tmp[slash - s] = '\0';
	if (!ip_parse(tmp, addr))
		return false;
	if (slash[1] < '0' || slash[1] > '9')
		return false;
	l = strtol(slash + 1, &end, 10);
	if (*end != '\0' || l < 0 || l > 32)
		return false;
	*len = (uint8_t)l;
	return true;
}

bool
prefix_parse(const char *s, struct prefix *out)
{
	uint32_t a;
	uint8_t l;

	if (strchr(s, '/') == NULL) {
		if (!ip_parse(s, &a))
			return false;
		l = 32;
	} else if (!ip_plen_parse(s, &a, &l))
		return false;
	out->addr = a & ip_mask(l);
	out->len = l;
	return true;
}

const char *
ip_not_unicast(uint32_t a)
{
	if (a == 0)
		return "the unspecified address";
	if (a == IP_BROADCAST)
		return "the limited broadcast address";
	if (ip_is_multicast(a))
		return "a multicast address";
	return NULL;
}

const char *
ip_subnet_role(uint32_t a, unsigned len)
{
	if (len == 0 || len >= 31)
		return NULL;
	if ((a & ~ip_mask(len)) == 0)
		return "network";
	if ((a | ip_mask(len)) == IP_BROADCAST)
		return "broadcast";
	return NULL;
}

const char *
ip_fmt(uint32_t a, char buf[IP_STRLEN])
{
	snprintf(buf, IP_STRLEN, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
	    a & 255);
	return buf;
}

const char *
prefix_fmt(const struct prefix *p, char buf[PFX_STRLEN])
{
	char ip[IP_STRLEN];

	snprintf(buf, PFX_STRLEN, "%s/%u", ip_fmt(p->addr, ip), (unsigned)(p->len & 63));
	return buf;
}

static char *
rotbuf(void)
{
	static _Thread_local char bufs[8][32];
	static _Thread_local unsigned i;

	return bufs[i++ & 7];
}

const char *
ip_str(uint32_t a)
{
	return ip_fmt(a, rotbuf());
}

const char *
prefix_str(const struct prefix *p)
{
	return prefix_fmt(p, rotbuf());
}

int
mask_to_len(uint32_t mask)
{
	int len = 0;

	while (len < 32 && (mask & (0x80000000u >> len)))
		len++;
	return ip_mask((unsigned)len) == mask ? len : -1;
}

int
prefix_cmp(const struct prefix *a, const struct prefix *b)
{
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return (int)a->len - (int)b->len;
}

const char *
mac_str(const uint8_t m[6])
{
	char *b = rotbuf();

	snprintf(b, 32, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return b;
}

bool
mac_parse(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		char *end;
		long v;

		if (!((s[0] >= '0' && s[0] <= '9') || (s[0] >= 'a' && s[0] <= 'f') ||
			(s[0] >= 'A' && s[0] <= 'F')))
			return false;
		v = strtol(s, &end, 16);
		if (end - s != 2 || v < 0 || v > 255)
			return false;
		mac[i] = (uint8_t)v;
		s = end;
		if (i < 5 && *s++ != ':')
			return false;
	}
	return *s == '\0';
}
