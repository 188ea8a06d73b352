/*
 * diff.c: `netsim diff NET_A NET_B [--json]` and the comparison behind it
 * (diff.h): per device, the routes added, removed and changed (protocol,
 * distance, metric, next hops of the selected route) and the adjacencies
 * (OSPF, IS-IS, BGP, LDP neighbors) that appeared, went away or changed
 * state. Exit status as diff(1)'s: 0 the same, 1 different, 2 trouble.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../daemon/wire.h"
#include "../lib/util.h"
#include "cmd.h"
#include "daemon_ctl.h"
#include "diff.h"

struct jval *
diff_tables(const char *name, int timeout_ms, struct strbuf *err)
{
	struct envelope env;
	const struct jval *res;
	struct jval *copy = NULL;

	exec_call(name, "-", "tables", true, timeout_ms, &env, err, NULL);
	res = env.reply ? jval_get(env.reply, "result") : NULL;
	if (res == NULL || res->type != J_OBJ || jval_get(res, "devices") == NULL) {
		if (env.reply != NULL)
			sb_printf(err, "network '%s' sent no tables: %s", name,
			    jval_str(env.reply, "error") && *jval_str(env.reply, "error") ?
			    jval_str(env.reply, "error") : "an older netsim?");
	} else {
		/* Detach the result from its reply, to free the reply here. */
		struct strbuf b = STRBUF_INIT;
		struct json j;
		char perr[128];

		json_init(&j, &b, false);
		wire_value(&j, res, 0);
		copy = json_parse(b.s, b.len, perr, sizeof(perr));
		sb_free(&b);
	}
	jval_free((struct jval *)env.reply);
	return copy;
}

/* The same JSON value (the tables' values are written in one canonical way)? */
static bool
same(const struct jval *a, const struct jval *b)
{
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
	struct json j;
	bool eq;

	json_init(&j, &x, false);
	wire_value(&j, a, 0);
	json_init(&j, &y, false);
	wire_value(&j, b, 0);
	eq = strcmp(sb_str(&x), sb_str(&y)) == 0;
	sb_free(&x);
	sb_free(&y);
	return eq;
}

/* What one side has under key: added, removed, changed entries of a and b (objects). */
static size_t
diff_map(struct json *j, const char *what, const char *keyname, const struct jval *a,
    const struct jval *b)
{
	static const char *const kinds[] = {"added", "removed", "changed"};
	size_t n = 0;

	json_key(j, what);
	json_obj_begin(j);
	for (int kind = 0; kind < 3; kind++) {
		/* added: b's keys that a lacks; removed and changed: a's keys. */
		const struct jval *from = kind == 0 ? b : a, *other = kind == 0 ? a : b;

		json_key(j, kinds[kind]);
		json_arr_begin(j);
		for (size_t i = 0; from != NULL && i < from->n; i++) {
			const struct jval *o = other ? jval_get(other, from->keys[i]) : NULL;

			if ((kind < 2 && o != NULL) || (kind == 2 && (o == NULL || same(o, from->elem[i]))))
				continue;
			n++;
			json_obj_begin(j);
			json_kv_str(j, keyname, from->keys[i]);
			if (kind < 2) {
				json_key(j, from->elem[i]->type == J_STR ? "state" : "route");
				wire_value(j, from->elem[i], 0);
			} else {
				json_key(j, "a");
				wire_value(j, from->elem[i], 0);
				json_key(j, "b");
				wire_value(j, o, 0);
			}
			json_obj_end(j);
		}
		json_arr_end(j);
	}
	json_obj_end(j);
	return n;
}

static void
devices_only(struct json *j, const char *key, const struct jval *in, const struct jval *not_in,
    size_t *n)
{
	json_key(j, key);
	json_arr_begin(j);
	for (size_t i = 0; in != NULL && i < in->n; i++)
		if (not_in == NULL || jval_get(not_in, in->keys[i]) == NULL) {
			json_str(j, in->keys[i]);
			(*n)++;
		}
	json_arr_end(j);
}

size_t
diff_write(struct json *j, const struct jval *a, const struct jval *b)
{
	const struct jval *da = jval_get(a, "devices"), *db = jval_get(b, "devices");
	struct strbuf dev = STRBUF_INIT;
	size_t n = 0;

	devices_only(j, "addedDevices", db, da, &n);
	devices_only(j, "removedDevices", da, db, &n);
	json_key(j, "devices");
	json_obj_begin(j);
	for (size_t i = 0; da != NULL && i < da->n; i++) {
		const struct jval *x = da->elem[i], *y = db ? jval_get(db, da->keys[i]) : NULL;
		struct json dj;
		size_t k;

		if (y == NULL || same(x, y))
			continue;
		/* Written aside: a device is listed only when something of it changed. */
		sb_reset(&dev);
		json_init(&dj, &dev, false);
		json_obj_begin(&dj);
		k = diff_map(&dj, "routes", "prefix", jval_get(x, "routes"), jval_get(y, "routes"));
		k += diff_map(&dj, "adjacencies", "adjacency", jval_get(x, "adjacencies"),
		    jval_get(y, "adjacencies"));
		json_obj_end(&dj);
		if (k == 0)
			continue;
		n += k;
		json_key(j, da->keys[i]);
		json_raw(j, sb_str(&dev));
	}
	json_obj_end(j);
	json_kv_int(j, "changes", (int64_t)n);
	sb_free(&dev);
	return n;
}

/* ---- netsim diff -------------------------------------------------------------------- */

/* A route as "ospf 110/11 via 10.0.13.3 eth1". */
static void
route_text(struct strbuf *b, const struct jval *r)
{
	const struct jval *nhs = jval_get(r, "nexthops"), *d = jval_get(r, "distance"),
	    *m = jval_get(r, "metric");

	sb_printf(b, "%s %.0f/%.0f", jval_str(r, "protocol"), d ? d->num : 0, m ? m->num : 0);
	for (size_t i = 0; nhs != NULL && i < nhs->n; i++)
		sb_printf(b, "%s%s", i ? ", " : " via ", nhs->elem[i]->str);
	if (nhs == NULL || nhs->n == 0)
		sb_add(b, " (blackhole)");
}

static void
text_of(const struct jval *d, struct strbuf *out)
{
	const struct jval *devs = jval_get(d, "devices");
	static const char *const kinds[] = {"added", "removed", "changed"};

	for (size_t i = 0; devs != NULL && i < devs->n; i++)
		for (int part = 0; part < 2; part++) {
			const struct jval *p = jval_get(devs->elem[i], part ? "adjacencies" : "routes");

			for (int k = 0; k < 3; k++) {
				const struct jval *l = jval_get(p, kinds[k]);

				for (size_t e = 0; l != NULL && e < l->n; e++) {
					const struct jval *x = l->elem[e];

					sb_printf(out, "%s: %s %s %s: ", devs->keys[i],
					    part ? "adjacency" : "route",
					    jval_str(x, part ? "adjacency" : "prefix"), kinds[k]);
					if (part && k < 2) {
						sb_add(out, jval_str(x, "state"));
					} else if (part) {
						sb_printf(out, "%s -> %s", jval_str(x, "a"), jval_str(x, "b"));
					} else if (k < 2) {
						route_text(out, jval_get(x, "route"));
					} else {
						route_text(out, jval_get(x, "a"));
						sb_add(out, " -> ");
						route_text(out, jval_get(x, "b"));
					}
					sb_addc(out, '\n');
				}
			}
		}
	for (int k = 0; k < 2; k++) {
		const struct jval *l = jval_get(d, k ? "removedDevices" : "addedDevices");

		for (size_t e = 0; l != NULL && e < l->n; e++)
			sb_printf(out, "%s: device %s\n", l->elem[e]->str, k ? "removed" : "added");
	}
}

int
cmd_diff(int argc, char **argv)
{
	static const struct option lopts[] = {{"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	struct strbuf err = STRBUF_INIT, b = STRBUF_INIT, text = STRBUF_INIT;
	struct jval *ta = NULL, *tb = NULL, *d;
	bool json = false;
	struct json j;
	char perr[128];
	size_t n;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (c == 'j') {
			json = true;
		} else {
			fprintf(c == 'h' ? stdout : stderr,
			    "usage: netsim diff [--json] NET_A NET_B\n"
			    "  the routes and adjacencies that differ between two running networks\n"
			    "  (daemons); exit status 0 the same, 1 different, 2 trouble\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: netsim diff [--json] NET_A NET_B\n");
		return 2;
	}
	if ((ta = diff_tables(argv[optind], -1, &err)) == NULL ||
	    (tb = diff_tables(argv[optind + 1], -1, &err)) == NULL) {
		fprintf(stderr, "netsim diff: %s\n", sb_str(&err));
		jval_free(ta);
		sb_free(&err);
		return 2;
	}
	json_init(&j, &b, json);
	json_obj_begin(&j);
	json_kv_str(&j, "a", argv[optind]);
	json_kv_str(&j, "b", argv[optind + 1]);
	n = diff_write(&j, ta, tb);
	json_obj_end(&j);
	if (json) {
		printf("%s\n", sb_str(&b));
	} else {
		d = json_parse(b.s, b.len, perr, sizeof(perr));
		text_of(d, &text);
		printf("%s%zu change%s\n", sb_str(&text), n, n == 1 ? "" : "s");
		jval_free(d);
	}
	jval_free(ta);
	jval_free(tb);
	sb_free(&b);
	sb_free(&text);
	sb_free(&err);
	return n > 0 ? 1 : 0;
}
