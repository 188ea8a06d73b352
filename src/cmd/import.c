/*
 * import.c: `netsim import zoo FILE.gml|FILE.graphml` and `netsim import
 * rocketfuel weights.intra`: another tool's network map as a YAML topology
 * on stdout, with the same IGP choices as `netsim gen` (docs/topology.md,
 * "Imported topologies").
 *
 * The readers are in src/topo (import.h); this file reads the file, picks
 * the reader and writes what they built through tgraph's writer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../topo/import.h"
#include "../topo/tgraph.h"
#include "cmd.h"

#define IMPORT_MAX_BYTES (64u << 20)

static void
usage(FILE *f)
{
	fputs("usage: netsim import zoo FILE.gml|FILE.graphml [OPTIONS]\n"
	      "       netsim import rocketfuel weights.intra [OPTIONS]\n"
	      "  --igp ospf (default) | ospf-areas K | isis | isis-levels K\n"
	      "  --hosts N         N hosts on a LAN behind every router\n"
	      "  --drop-isolated   leave out nodes without links (an error otherwise)\n"
	      "  -o FILE           write the topology to FILE instead of stdout\n",
	    f);
}

/* The whole file, NUL-terminated; NULL with a message on stderr. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "netsim import: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		sb_addn(&sb, buf, n);
		if (sb.len > IMPORT_MAX_BYTES) {
			fprintf(stderr, "netsim import: %s: larger than %u MiB\n", path,
			    IMPORT_MAX_BYTES >> 20);
			fclose(f);
			sb_free(&sb);
			return NULL;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "netsim import: %s: %s\n", path, strerror(errno));
		fclose(f);
		sb_free(&sb);
		return NULL;
	}
	fclose(f);
	*len = sb.len;
	if (memchr(sb_str(&sb), '\0', sb.len) != NULL) {
		fprintf(stderr, "netsim import: %s: a binary file (it holds NUL bytes)\n", path);
		sb_free(&sb);
		return NULL;
	}
	sb_addc(&sb, '\0');
	return sb_steal(&sb);
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

int
cmd_import(int argc, char **argv)
{
	struct tg_opts o = {TG_OSPF, 1, 0};
	struct strbuf desc = STRBUF_INIT, err = STRBUF_INIT, warn = STRBUF_INIT;
	const char *fmt = NULL, *path = NULL, *out = NULL;
	bool drop = false, zoo, ok;
	struct tgraph g;
	struct import im;
	char *text, name[80], e[256];
	size_t len, pieces;
	int status = 1;
	FILE *f = stdout;

	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(s, "-o") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (strcmp(s, "--drop-isolated") == 0) {
			drop = true;
		} else if (strcmp(s, "--igp") == 0) {
			if (!tg_parse_igp(argc, argv, &i, &o, e, sizeof(e))) {
				fprintf(stderr, "netsim import: %s\n", e);
				return 2;
			}
		} else if (strcmp(s, "--hosts") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);

			if (*end != '\0' || end == argv[i] || v < 0 || v > 250) {
				fprintf(stderr, "netsim import: --hosts must be 0 to 250\n");
				return 2;
			}
			o.hosts = (int)v;
		} else if (s[0] == '-' && s[1] != '\0') {
			fprintf(stderr, "netsim import: unknown option %s\n", s);
			usage(stderr);
			return 2;
		} else if (fmt == NULL) {
			fmt = s;
		} else if (path == NULL) {
			path = s;
		} else {
			fprintf(stderr, "netsim import: unexpected argument '%s'\n", s);
			return 2;
		}
	}
	if (fmt == NULL || path == NULL ||
	    (strcmp(fmt, "zoo") != 0 && strcmp(fmt, "rocketfuel") != 0)) {
		usage(stderr);
		return 2;
	}
	if ((text = slurp(path, &len)) == NULL)
		return 1;
	zoo = strcmp(fmt, "zoo") == 0;
	/* The map's name: the file's, or for Rocketfuel's fixed file names, its directory's (the AS). */
	if (zoo || strchr(path, '/') == NULL) {
		snprintf(name, sizeof(name), "%s", base_name(path));
		if (strchr(name, '.') != NULL)
			*strchr(name, '.') = '\0';
	} else {
		int n = (int)(base_name(path) - 1 - path);
		const char *d = path;

		for (const char *s = path; s < path + n; s++)
			if (*s == '/')
				d = s + 1;
		snprintf(name, sizeof(name), "rocketfuel-%.*s", (int)(path + n - d), d);
	}
	tg_init(&g, name);
	sb_printf(&desc, "netsim import %s %s", fmt, base_name(path));
	for (int i = 3; i < argc; i++)
		if (strcmp(argv[i - 1], "-o") != 0 && strcmp(argv[i], "-o") != 0)
			sb_printf(&desc, " %s", argv[i]);
	g.description = sb_steal(&desc);
	import_init(&im, &g, path, &err, &warn);
	if (!zoo)
		ok = import_rocketfuel(&im, text, len);
	else if (text[strspn(text, " \t\r\n\xef\xbb\xbf")] == '<')
		ok = import_graphml(&im, text, len);
	else
		ok = import_gml(&im, text, len);
	ok = ok && import_isolated(&im, drop);
	fputs(sb_str(&warn), stderr);
	if (!ok) {
		fputs(sb_str(&err), stderr);
		goto out;
	}
	if ((pieces = tg_components(&g)) > 1)
		fprintf(stderr, "netsim import: %s: note: the network is in %zu pieces\n", path,
		    pieces);
	if (!tg_plan(&g, &o, e, sizeof(e))) {
		fprintf(stderr, "netsim import: %s: %s\n", path, e);
		goto out;
	}
	if (out != NULL && (f = fopen(out, "w")) == NULL) {
		perror(out);
		goto out;
	}
	if (!tg_write_yaml(&g, &o, f, e, sizeof(e)))
		fprintf(stderr, "netsim import: %s: %s\n", path, e);
	else if (fflush(f) != 0 || ferror(f))
		perror(out != NULL ? out : "stdout");
	else
		status = 0;
	if (out != NULL)
		fclose(f);
out:
	import_free(&im);
	tg_free(&g);
	sb_free(&err);
	sb_free(&warn);
	free(text);
	return status;
}
