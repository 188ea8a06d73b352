/* pcap.c: pcap writer (per link) for the simulated wire. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "pcap.h"

struct pcap_writer {
	FILE *f;
	char *path;
};

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void
le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/*
 * The topology loader admits only name_char in device and interface names;
 * anything else (a '/' above all) is replaced here too, so that no name can
 * place a file outside dir, whoever built the network.
 */
char *
pcap_link_path(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s.pcap", dir, name);
	char *p = path + strlen(dir) + 1;

	for (size_t n = strlen(name); n > 0; n--, p++)
		if (*p == ':')
			*p = '-';
		else if (!name_char(*p))
			*p = '_';
	return path;
}

struct pcap_writer *
pcap_open(const char *path)
{
	struct pcap_writer *w;
	uint8_t h[24];
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return NULL;
	/* Nanosecond-resolution pcap: simulated time is in nanoseconds. */
	le32(h, 0xa1b23c4d);
	le16(h + 4, 2);
	le16(h + 6, 4);
	le32(h + 8, 0);
	le32(h + 12, 0);
	le32(h + 16, 65535);
	le32(h + 20, 1);
	fwrite(h, 1, sizeof(h), f);
	w = xmalloc(sizeof(*w));
	w->f = f;
	w->path = xstrdup(path);
	return w;
}

void
pcap_write(struct pcap_writer *w, sim_time t, const uint8_t *frame, size_t len)
{
	uint8_t h[16];

	le32(h, (uint32_t)(t / SIM_S));
	le32(h + 4, (uint32_t)(t % SIM_S));
	le32(h + 8, (uint32_t)len);
	le32(h + 12, (uint32_t)len);
	fwrite(h, 1, sizeof(h), w->f);
	fwrite(frame, 1, len, w->f);
}

void
pcap_close(struct pcap_writer *w)
{
	if (w == NULL)
		return;
	if (fclose(w->f) != 0)
		log_warn("%s: write error", w->path);
	free(w->path);
	free(w);
}
