/*
 * intent_read.c: intents from YAML (or JSON, which is YAML) into struct
 * intent, every error at its file:line:col (intent.h, docs/verify.md).
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "intent.h"

static const struct cfg_word kinds[] = {
    {"reachable", INTENT_REACHABLE}, {"unreachable", INTENT_UNREACHABLE},
    {"path", INTENT_PATH}, {"route", INTENT_ROUTE}, {"no_loops", INTENT_NO_LOOPS},
    {"no_blackholes", INTENT_NO_BLACKHOLES},
};
#define KINDS "reachable, unreachable, path, route, no_loops or no_blackholes"

/* One name or a list of them, as a malloc'd array of the document's strings. */
static bool
str_list(const struct cfg *v, const char *what, const char ***out, size_t *n)
{
	if (v->type == CFG_SCALAR) {
		*out = xcalloc(1, sizeof(**out));
		*n = 1;
		return cfg_str(v, what, &(*out)[0]);
	}
	if (!cfg_is_seq(v, what))
		return false;
	if (v->n == 0)
		return cfg_error(v, "'%s' is an empty list", what);
	*out = xcalloc(v->n, sizeof(**out));
	*n = v->n;
	for (size_t i = 0; i < v->n; i++)
		if (!cfg_str(v->v[i], what, &(*out)[i]))
			return false;
	return true;
}

static bool
read_one(const struct cfg *item, struct intent *it)
{
	const struct cfg *m;
	const char *what;
	struct prefix p;
	int kind;
	bool ok = true;

	if (!cfg_is_map(item, "an intent"))
		return false;
	if (item->n != 1)
		return cfg_error(item, "an intent is a map of one key (%s)", KINDS);
	if (!cfg_keyword(item->k[0], "intent", kinds, ARRAY_LEN(kinds), KINDS, &kind))
		return false;
	it->kind = (enum intent_kind)kind;
	it->line = item->line;
	it->col = item->col;
	it->metric = -1;
	what = kinds[kind].name;
	m = item->v[0];
	item->used[0] = true;
	if (!cfg_is_map(m, what))
		return false;
	switch (it->kind) {
	case INTENT_REACHABLE:
	case INTENT_UNREACHABLE:
	case INTENT_PATH:
		/* Each read in turn (not &&): every mistake is reported, not only the first. */
		ok = cfg_need_str(m, "from", what, &it->from);
		ok = cfg_need_str(m, "to", what, &it->to) && ok;
		if (it->kind == INTENT_PATH) {
			ok = cfg_opt_str(m, "via", &it->via) && ok;
			ok = cfg_opt_str(m, "avoids", &it->avoids) && ok;
			if (ok && it->via == NULL && it->avoids == NULL)
				ok = cfg_error(m, "path needs 'via' or 'avoids' (a device)");
		}
		break;
	case INTENT_ROUTE: {
		struct cfg *v;

		ok = cfg_need_str(m, "device", what, &it->device);
		ok = cfg_need_str(m, "prefix", what, &it->prefix) && ok;
		ok = cfg_opt_str(m, "protocol", &it->protocol) && ok;
		ok = cfg_opt_int(m, "metric", 0, 0xffffffffLL, &it->metric) && ok;
		if (it->prefix != NULL && !prefix_parse(it->prefix, &p))
			ok = cfg_error(cfg_get(m, "prefix"), "'%s' is not an address or prefix",
			    it->prefix);
		if ((v = cfg_get(m, "via")) != NULL) {
			ok = str_list(v, "via", &it->vias, &it->nvias) && ok;
			it->vias_exact = v->type == CFG_SEQ;
		}
		break;
	}
	case INTENT_NO_LOOPS:
	case INTENT_NO_BLACKHOLES: {
		struct cfg *d = cfg_get(m, "destinations"), *s = cfg_get(m, "sources");

		if (d == NULL)
			ok = cfg_error(m, "%s needs 'destinations' (addresses, prefixes or devices)",
			    what);
		else
			ok = str_list(d, "destinations", &it->dests, &it->ndests);
		if (s != NULL)
			ok = str_list(s, "sources", &it->srcs, &it->nsrcs) && ok;
		break;
	}
	}
	cfg_check_unknown(m, what);
	return ok;
}

bool
intents_read(struct cfg_doc *doc, struct intents *out)
{
	const struct cfg *list;

	memset(out, 0, sizeof(*out));
	out->doc = doc;
	if ((list = cfg_doc_list(doc, "intents")) == NULL)
		return false;
	out->v = xcalloc(list->n ? list->n : 1, sizeof(*out->v));
	/* Every intent is kept, read or not: intents_free frees what each allocated. */
	for (size_t i = 0; i < list->n; i++)
		read_one(list->v[i], &out->v[out->n++]);
	return doc->nerrors == 0;
}

bool
intents_parse(const char *file, const char *text, size_t len, struct intents *out,
    struct strbuf *err)
{
	bool ok = intents_read(cfg_parse_yaml(file, text, len), out);

	if (!ok)
		sb_add(err, sb_str(&out->doc->errors));
	return ok;
}

void
intents_free(struct intents *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->v[i].vias);
		free(in->v[i].dests);
		free(in->v[i].srcs);
	}
	free(in->v);
	cfg_doc_free(in->doc);
	memset(in, 0, sizeof(*in));
}
