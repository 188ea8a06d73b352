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
#include <sys/stat.h>

#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../topo/import.h"
#include "../topo/tgraph.h"
#include "cmd.h"

#define IMPORT_MAX_BYTES (64u << 20)

static void
usage(FILE *f)
{
	fputs("usage: netsim import zoo FILE.gml|FILE.graphml... [OPTIONS]\n"
	      "       netsim import rocketfuel weights.intra... [OPTIONS]\n"
	      "  --igp ospf (default) | ospf-areas K | isis | isis-levels K\n"
	      "  --bgp ebgp | ibgp | ibgp-rr   BGP over the network, as netsim gen's\n"
	      "  --prefixes N      prefixes each router originates in BGP (default 1)\n"
	      "  --hosts N         N hosts on a LAN behind every router\n"
	      "  --drop-isolated   leave out nodes without links (an error otherwise)\n"
	      "  -o FILE           write the topology to FILE instead of stdout\n"
	      "  -o DIR            (several files, or DIR a directory) write DIR/NAME.yaml each\n",
	    f);
}

/* The whole file, NUL-terminated; NULL with a message on stderr. */
static char *
slurp(const char *path, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;

	if (sb_read_file(&sb, path, IMPORT_MAX_BYTES) < 0) {
		if (errno == EFBIG)
			fprintf(stderr, "netsim import: %s: larger than %u MiB\n", path,
			    IMPORT_MAX_BYTES >> 20);
		else
			fprintf(stderr, "netsim import: %s: %s\n", path, strerror(errno));
		sb_free(&sb);
		return NULL;
	}
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

/* The map's name: the file's, or for Rocketfuel's fixed file names its directory's (the AS). */
static void
map_name(const char *fmt, const char *path, char *name, size_t len)
{
	const char *b = base_name(path), *dot = strrchr(b, '.'), *d = path;

	if (strcmp(fmt, "zoo") == 0 || b == path) {
		snprintf(name, len, "%.*s", (int)(dot != NULL ? (size_t)(dot - b) : strlen(b)), b);
		return;
	}
	for (const char *s = path; s < b - 1; s++)
		if (*s == '/')
			d = s + 1;
	snprintf(name, len, "rocketfuel-%.*s", (int)(b - 1 - d), d);
}

/* The options of one `netsim import` (for every file it is given). */
struct import_opts {
	const char *fmt;
	struct tg_opts tg;
	bool drop;
	struct strbuf flags; /* the options as given, for the description */
};

/* Import path into out (stdout when NULL); 0 on success, 1 with messages on stderr. */
static int
import_one(const struct import_opts *io, const char *path, const char *out)
{
	struct strbuf err = STRBUF_INIT, warn = STRBUF_INIT;
	bool zoo = strcmp(io->fmt, "zoo") == 0, ok;
	struct tgraph g;
	struct import im;
	char *text, name[80], e[256];
	size_t len, pieces;
	int status = 1;

	if ((text = slurp(path, &len)) == NULL)
		return 1;
	map_name(io->fmt, path, name, sizeof(name));
	tg_init(&g, name);
	g.description = xasprintf("netsim import %s %s%s", io->fmt, base_name(path),
	    sb_str(&io->flags));
	import_init(&im, &g, path, &err, &warn);
	if (!zoo)
		ok = import_rocketfuel(&im, text, len);
	else if (text[strspn(text, " \t\r\n\xef\xbb\xbf")] == '<')
		ok = import_graphml(&im, text, len);
	else
		ok = import_gml(&im, text, len);
	ok = ok && import_isolated(&im, io->drop);
	fputs(sb_str(&warn), stderr);
	if (!ok) {
		fputs(sb_str(&err), stderr);
		goto out;
	}
	if ((pieces = tg_components(&g)) > 1)
		fprintf(stderr, "netsim import: %s: note: the network is in %zu pieces\n", path,
		    pieces);
	if (!tg_plan(&g, &io->tg, e, sizeof(e))) {
		fprintf(stderr, "netsim import: %s: %s\n", path, e);
		goto out;
	}
	if (!tg_write_file(&g, &io->tg, out, e, sizeof(e)))
		fprintf(stderr, "netsim import: %s: %s\n", path, e);
	else
		status = 0;
out:
	import_free(&im);
	tg_free(&g);
	sb_free(&err);
	sb_free(&warn);
	free(text);
	return status;
}

int
cmd_import(int argc, char **argv)
{
	struct import_opts io = {NULL, {.igp = TG_OSPF, .areas = 1}, false, STRBUF_INIT};
	const char **files = xcalloc((size_t)argc + 1, sizeof(char *));
	const char *out = NULL;
	struct stat st;
	size_t nfiles = 0;
	int status = 2;
	char e[256];

	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
			usage(stdout);
			status = 0;
			goto done;
		} else if (strcmp(s, "-o") == 0 && i + 1 < argc) {
			out = argv[++i];
			continue;
		} else if (s[0] != '-' || s[1] == '\0') {
			if (io.fmt == NULL)
				io.fmt = s;
			else
				files[nfiles++] = s;
			continue;
		}
		sb_printf(&io.flags, " %s", s);
		if (strcmp(s, "--drop-isolated") == 0) {
			io.drop = true;
		} else if (strcmp(s, "--igp") == 0) {
			int from = i;

			if (!tg_parse_igp(argc, argv, &i, &io.tg, e, sizeof(e))) {
				fprintf(stderr, "netsim import: %s\n", e);
				goto done;
			}
			while (++from <= i)
				sb_printf(&io.flags, " %s", argv[from]);
		} else if (strcmp(s, "--bgp") == 0 || strcmp(s, "--prefixes") == 0) {
			if (!tg_parse_bgp(argc, argv, &i, &io.tg, e, sizeof(e))) {
				fprintf(stderr, "netsim import: %s\n", e);
				goto done;
			}
			sb_printf(&io.flags, " %s", argv[i]);
		} else if (strcmp(s, "--hosts") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);

			if (*end != '\0' || end == argv[i] || v < 0 || v > 250) {
				fprintf(stderr, "netsim import: --hosts must be 0 to 250\n");
				goto done;
			}
			io.tg.hosts = (int)v;
			sb_printf(&io.flags, " %s", argv[i]);
		} else {
			fprintf(stderr, "netsim import: unknown option %s\n", s);
			usage(stderr);
			goto done;
		}
	}
	if (io.fmt == NULL || nfiles == 0 ||
	    (strcmp(io.fmt, "zoo") != 0 && strcmp(io.fmt, "rocketfuel") != 0)) {
		usage(stderr);
		goto done;
	}
	if (!tg_opts_check(&io.tg, e, sizeof(e))) {
		fprintf(stderr, "netsim import: %s\n", e);
		goto done;
	}
	if (nfiles == 1 && (out == NULL || stat(out, &st) != 0 || !S_ISDIR(st.st_mode))) {
		status = import_one(&io, files[0], out);
		goto done;
	}
	/* Several maps (or -o DIR): each to DIR/NAME.yaml; a bad one does not stop the others. */
	if (out == NULL || stat(out, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "netsim import: several files need -o DIRECTORY\n");
		goto done;
	}
	status = 0;
	for (size_t i = 0; i < nfiles; i++) {
		char name[80], *dst;

		map_name(io.fmt, files[i], name, sizeof(name));
		dst = xasprintf("%s/%s.yaml", out, name);
		if (import_one(&io, files[i], dst) != 0)
			status = 1;
		free(dst);
	}
done:
	free(files);
	sb_free(&io.flags);
	return status;
}
