/*
 * policy_show.c: the routing-policy commands (policy.h): FRR 8.4's
 * `show route-map`, `show ip prefix-list`, `show bgp as-path-access-list`
 * and the community-list commands, and `policy set|delete` to change one
 * object at run time.
 *
 * FRR prints one section per daemon ("ZEBRA:", "BGP:"), and in JSON one
 * object per daemon ({"BGP": {...}}); netsim's policy is BGP's, so only the
 * "BGP" section is printed. The layouts and keys are those FRR 8.4 prints for
 * topologies/bgp-policy.yaml (tests/frr/bgp-policy, compared by
 * tests/scenario/bgp-policy-frr.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/cfg.h"
#include "../../lib/util.h"
#include "policy_int.h"

/* The node's live objects of one kind (name given: that one only), sorted by name. */
static size_t
objects(const struct node *n, enum policy_kind kind, const char *name,
    const struct policy_slot ***out)
{
	const struct policy_set *s = n->policy;
	size_t k = 0;

	*out = xcalloc(s != NULL && s->n ? s->n : 1, sizeof(**out));
	for (size_t i = 0; s != NULL && i < s->n; i++) {
		const struct policy_slot *sl = s->slots[i];

		if (sl->kind == kind && sl->obj != NULL && (name == NULL || strcmp(name, sl->name) == 0))
			(*out)[k++] = sl;
	}
	for (size_t i = 1; i < k; i++) /* insertion sort: a handful of names */
		for (size_t j = i; j > 0 && strcmp((*out)[j - 1]->name, (*out)[j]->name) > 0; j--) {
			const struct policy_slot *t = (*out)[j];

			(*out)[j] = (*out)[j - 1];
			(*out)[j - 1] = t;
		}
	return k;
}

static uint64_t
count(const _Atomic uint64_t *c)
{
	return atomic_load_explicit((_Atomic uint64_t *)c, memory_order_relaxed);
}

static const char *
origin_word(uint8_t o)
{
	return o == BGP_ORIGIN_IGP ? "igp" : o == BGP_ORIGIN_EGP ? "egp" : "incomplete";
}

/* "metric +10": a clause whose value may be relative. */
static void
rel_clause(struct strbuf *sb, const char *word, uint32_t v, enum rm_rel rel)
{
	sb_printf(sb, "%s %s%u\n", word, rel == RM_ADD ? "+" : rel == RM_SUB ? "-" : "", v);
}

/* Members as FRR's route-map clauses write them, space separated (extended: without "RT:"). */
static void
members_str(struct strbuf *sb, enum policy_kind kind, const uint8_t *v, size_t n)
{
	unsigned sz = policy_member_size(kind);

	for (size_t i = 0; i < n; i++) {
		struct strbuf t = STRBUF_INIT;
		const char *s, *colon;

		policy_member_text(kind, v + i * sz, &t);
		s = sb_str(&t);
		if (kind == PK_ECOMM && (colon = strchr(s, ':')) != NULL)
			s = colon + 1;
		sb_printf(sb, "%s%s", i ? " " : "", s);
		sb_free(&t);
	}
}

static void
asns_str(struct strbuf *sb, const uint32_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_printf(sb, "%s%u", i ? " " : "", v[i]);
}

/* An entry's match clauses in FRR's words, one a line (each ends with '\n'). */
static void
match_clauses(const struct rm_entry *e, struct strbuf *sb)
{
	unsigned m = e->match;

	if (m & RMM_PLIST)
		sb_printf(sb, "ip address prefix-list %s\n", e->m_plist->name);
	if (m & RMM_NH_PLIST)
		sb_printf(sb, "ip next-hop prefix-list %s\n", e->m_nh_plist->name);
	if (m & RMM_NH)
		sb_printf(sb, "ip next-hop address %s\n", ip_str(e->m_nh));
	if (m & RMM_ASPATH)
		sb_printf(sb, "as-path %s\n", e->m_aspath->name);
	if (m & RMM_COMM)
		sb_printf(sb, "community %s%s\n", e->m_comm->name, e->m_comm_exact ? " exact-match" : "");
	if (m & RMM_LCOMM)
		sb_printf(sb, "large-community %s\n", e->m_lcomm->name);
	if (m & RMM_ECOMM)
		sb_printf(sb, "extcommunity %s\n", e->m_ecomm->name);
	if (m & RMM_ORIGIN)
		sb_printf(sb, "origin %s\n", origin_word(e->m_origin));
	if (m & RMM_MED)
		sb_printf(sb, "metric %u\n", e->m_med);
	if (m & RMM_LP)
		sb_printf(sb, "local-preference %u\n", e->m_lp);
	if (m & RMM_RTYPE)
		sb_printf(sb, "route-type %s\n", e->m_rtype);
	if (m & RMM_TAG)
		sb_printf(sb, "tag %u\n", e->m_tag);
	if (m & RMM_PEER)
		sb_printf(sb, "peer %s\n", ip_str(e->m_peer));
}

/* "community 65002:7 65002:100 additive", "large-community none" */
static void
comm_clause(struct strbuf *sb, enum policy_kind kind, const uint8_t *v, size_t n, bool add)
{
	sb_add(sb, kind == PK_COMM ? "community " : "large-community ");
	if (n == 0)
		sb_add(sb, "none");
	members_str(sb, kind, v, n);
	sb_add(sb, add ? " additive\n" : "\n");
}

static void
set_clauses(const struct rm_entry *e, struct strbuf *sb)
{
	static const char *const nh[] = {NULL, "self", "peer-address", "unchanged"};
	unsigned s = e->set;

	if (s & RMS_LP)
		rel_clause(sb, "local-preference", e->s_lp, e->s_lp_rel);
	if (s & RMS_MED)
		rel_clause(sb, "metric", e->s_med, e->s_med_rel);
	if (s & RMS_WEIGHT)
		sb_printf(sb, "weight %u\n", e->s_weight);
	if (s & RMS_TAG)
		sb_printf(sb, "tag %u\n", e->s_tag);
	if (s & RMS_ORIGIN)
		sb_printf(sb, "origin %s\n", origin_word(e->s_origin));
	if (s & RMS_NH)
		sb_printf(sb, "ip next-hop %s\n",
		    e->s_nh_mode == RM_NH_ADDR ? ip_str(e->s_nh) : nh[e->s_nh_mode]);
	if (s & RMS_COMM)
		comm_clause(sb, PK_COMM, (const uint8_t *)e->s_comm, e->s_ncomm, e->s_comm_add);
	if (s & RMS_COMM_DEL)
		sb_printf(sb, "comm-list %s delete\n", e->s_comm_del->name);
	if (s & RMS_LCOMM)
		comm_clause(sb, PK_LCOMM, e->s_lcomm, e->s_nlcomm, e->s_lcomm_add);
	for (int type = 0x02; (s & RMS_ECOMM) && type <= 0x03; type++) {
		bool any = false;

		for (size_t i = 0; i < e->s_necomm; i++) {
			if (e->s_ecomm[8 * i + 1] != type)
				continue;
			sb_add(sb, any ? " " : type == 0x02 ? "extcommunity rt " : "extcommunity soo ");
			members_str(sb, PK_ECOMM, e->s_ecomm + 8 * i, 1);
			any = true;
		}
		if (any)
			sb_addc(sb, '\n');
	}
	if (s & RMS_PREPEND) {
		sb_add(sb, "as-path prepend ");
		asns_str(sb, e->s_prepend, e->s_nprepend);
		sb_addc(sb, '\n');
	}
	if (s & RMS_LAST_AS)
		sb_printf(sb, "as-path prepend last-as %u\n", e->s_last_as);
	if (s & RMS_EXCLUDE) {
		sb_add(sb, "as-path exclude ");
		asns_str(sb, e->s_exclude, e->s_nexclude);
		sb_addc(sb, '\n');
	}
}

static void
action_str(const struct rm_entry *e, char *buf, size_t len)
{
	if (e->exit == RM_GOTO)
		snprintf(buf, len, "Goto %u", e->goto_seq);
	else
		snprintf(buf, len, "%s", e->exit == RM_NEXT ? "Continue to next entry" : "Exit routemap");
}

/* Lines of sb (each ending '\n') as text with a prefix, or as a JSON array of strings. */
static void
lines_out(struct cli_ctx *c, const struct strbuf *sb, const char *prefix)
{
	const char *p = sb_str(sb), *nl;

	if (c->json)
		json_arr_begin(&c->j);
	for (; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		if (c->json) {
			char *line = xstrndup(p, (size_t)(nl - p));

			json_str(&c->j, line);
			free(line);
		} else {
			cli_printf(c, "%s%.*s\n", prefix, (int)(nl - p), p);
		}
	}
	if (c->json)
		json_arr_end(&c->j);
}

static void
show_map(struct cli_ctx *c, const struct policy_map *m)
{
	struct json *j = &c->j;

	if (c->json) {
		json_key(j, m->name);
		json_obj_begin(j);
		json_kv_int(j, "invoked", (int64_t)count(&m->invoked));
		/* FRR's default (its prefix-list index); netsim's matching has no such switch */
		json_kv_bool(j, "disabledOptimization", false);
		json_kv_bool(j, "processedChange", false);
		if (m->lua != NULL)
			json_kv_str(j, "lua", m->lua_where);
		json_key(j, "rules");
		json_arr_begin(j);
	} else {
		cli_printf(c, "route-map: %s Invoked: %llu Optimization: enabled Processed Change: false\n",
		    m->name, (unsigned long long)count(&m->invoked));
		if (m->lua != NULL)
			cli_printf(c, " Lua route map (%s)\n", m->lua_where);
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct rm_entry *e = &m->e[i];
		struct strbuf sb = STRBUF_INIT;
		char act[32];

		action_str(e, act, sizeof(act));
		if (c->json) {
			json_obj_begin(j);
			json_kv_int(j, "sequenceNumber", e->seq);
			json_kv_str(j, "type", e->permit ? "permit" : "deny");
			json_kv_int(j, "invoked", (int64_t)count(&e->hits));
			if (e->desc != NULL)
				json_kv_str(j, "description", e->desc);
			json_key(j, "matchClauses");
		} else {
			cli_printf(c, " %s, sequence %u Invoked %llu\n", e->permit ? "permit" : "deny",
			    e->seq, (unsigned long long)count(&e->hits));
			if (e->desc != NULL)
				cli_printf(c, "  Description:\n    %s\n", e->desc);
			cli_printf(c, "  Match clauses:\n");
		}
		match_clauses(e, &sb);
		lines_out(c, &sb, "    ");
		sb_reset(&sb);
		if (c->json)
			json_key(j, "setClauses");
		else
			cli_printf(c, "  Set clauses:\n");
		set_clauses(e, &sb);
		lines_out(c, &sb, "    ");
		sb_free(&sb);
		if (c->json) {
			json_kv_str(j, "action", act);
			json_obj_end(j);
		} else {
			cli_printf(c, "  Call clause:\n  Action:\n    %s\n", act);
		}
	}
	if (c->json) {
		json_arr_end(j);
		json_obj_end(j);
	}
}

/* FRR's per-daemon JSON object: {"BGP": { ... }}. */
static void
daemon_begin(struct json *j)
{
	json_obj_begin(j);
	json_key(j, "BGP");
	json_obj_begin(j);
}

static void
daemon_end(struct json *j)
{
	json_obj_end(j);
	json_obj_end(j);
}

static int
cmd_show_route_map(struct cli_ctx *c, int argc, char **argv)
{
	const struct policy_slot **v;
	const char *name = argc > 0 ? argv[0] : NULL;
	size_t n = objects(c->node, PK_RMAP, name, &v);

	if (c->json)
		daemon_begin(&c->j);
	else
		cli_printf(c, "BGP:\n");
	for (size_t i = 0; i < n; i++)
		show_map(c, v[i]->obj);
	if (name != NULL && n == 0 && !c->json)
		cli_printf(c, "BGP: 'route-map %s' not found\n", name);
	if (c->json)
		daemon_end(&c->j);
	free(v);
	return 0;
}

static int
cmd_show_prefix_list(struct cli_ctx *c, int argc, char **argv)
{
	const struct policy_slot **v;
	const char *name = argc > 0 ? argv[0] : NULL;
	size_t n = objects(c->node, PK_PREFIX, name, &v);
	struct json *j = &c->j;

	if (name != NULL && n == 0) {
		free(v);
		return cli_fail(c, "Can't find specified prefix-list");
	}
	if (c->json)
		daemon_begin(j);
	for (size_t i = 0; i < n; i++) {
		const struct plist *l = v[i]->obj;

		if (c->json) {
			json_key(j, v[i]->name);
			json_obj_begin(j);
			json_kv_str(j, "addressFamily", "IPv4");
			json_key(j, "entries");
			json_arr_begin(j);
		} else {
			cli_printf(c, "BGP: ip prefix-list %s: %zu entries\n", v[i]->name, l->n);
		}
		for (size_t k = 0; k < l->n; k++) {
			const struct plist_entry *e = &l->e[k];

			if (c->json) {
				json_obj_begin(j);
				json_kv_int(j, "sequenceNumber", e->seq);
				json_kv_str(j, "type", e->permit ? "permit" : "deny");
				json_kv_str(j, "prefix", e->any ? "0.0.0.0/0" : prefix_str(&e->pfx));
				if (e->ge)
					json_kv_int(j, "minimumPrefixLength", e->ge);
				if (e->le || e->any)
					json_kv_int(j, "maximumPrefixLength", e->any ? 32 : e->le);
				json_obj_end(j); /* FRR counts hits in `detail` only */
				continue;
			}
			cli_printf(c, "   seq %u %s ", e->seq, e->permit ? "permit" : "deny");
			if (e->any) {
				cli_printf(c, "any\n");
				continue;
			}
			cli_printf(c, "%s", prefix_str(&e->pfx));
			if (e->ge)
				cli_printf(c, " ge %u", e->ge);
			if (e->le)
				cli_printf(c, " le %u", e->le);
			cli_printf(c, "\n");
		}
		if (c->json) {
			json_arr_end(j);
			json_obj_end(j);
		}
	}
	if (c->json)
		daemon_end(j);
	free(v);
	return 0;
}

/* AS-path and community lists: FRR's headers, then "    permit REGEX|MEMBERS". */
static int
show_lists(struct cli_ctx *c, enum policy_kind kind, const char *name)
{
	static const char *const label[PK_COUNT] = {
	    [PK_COMM] = "Community", [PK_LCOMM] = "Large community",
	    [PK_ECOMM] = "Extended community"};
	static const char *const named[PK_COUNT] = {
	    [PK_COMM] = "Named Community", [PK_LCOMM] = "Named large community",
	    [PK_ECOMM] = "Named extended community"};
	const struct policy_slot **v;
	size_t n = objects(c->node, kind, name, &v);
	struct json *j = &c->j;

	if (c->json)
		json_obj_begin(j);
	for (size_t i = 0; i < n; i++) {
		const struct plist *l = v[i]->obj;
		bool std = l->n > 0 && l->e[0].regex == NULL, digits = true;

		for (const char *p = v[i]->name; *p; p++)
			digits &= *p >= '0' && *p <= '9';
		if (c->json && kind == PK_ASPATH) {
			json_key(j, v[i]->name);
			json_arr_begin(j);
		} else if (c->json) {
			json_key(j, v[i]->name);
			json_obj_begin(j);
			json_kv_str(j, "type", std ? "standard" : "expanded");
			json_key(j, "entries");
			json_arr_begin(j);
		} else if (kind == PK_ASPATH) {
			cli_printf(c, "AS path access list %s\n", v[i]->name);
		} else if (l->n > 0) {
			cli_printf(c, "%s %s list %s\n", digits ? label[kind] : named[kind],
			    std ? "standard" : digits ? "(expanded) access" : "expanded", v[i]->name);
		}
		for (size_t k = 0; k < l->n; k++) {
			const struct plist_entry *e = &l->e[k];
			struct strbuf sb = STRBUF_INIT;

			if (e->regex != NULL)
				sb_add(&sb, e->regex);
			else if (kind == PK_ECOMM)
				for (size_t m = 0; m < e->nmem; m++) {
					sb_add(&sb, m ? " " : "");
					sb_add(&sb, e->mem[8 * m + 1] == 0x02 ? "rt " : "soo ");
					members_str(&sb, kind, e->mem + 8 * m, 1);
				}
			else
				members_str(&sb, kind, e->mem, e->nmem);
			if (c->json) {
				json_obj_begin(j);
				json_kv_int(j, "sequenceNumber", e->seq);
				json_kv_str(j, "type", e->permit ? "permit" : "deny");
				if (kind == PK_ASPATH) { /* FRR's keys */
					json_kv_str(j, "regExp", sb_str(&sb));
				} else {
					json_kv_str(j, e->regex != NULL ? "regex" : "members", sb_str(&sb));
					json_kv_int(j, "hitCount", (int64_t)count(&e->hits));
				}
				json_obj_end(j);
			} else {
				cli_printf(c, "    %s %s\n", e->permit ? "permit" : "deny", sb_str(&sb));
			}
			sb_free(&sb);
		}
		if (c->json) {
			json_arr_end(j);
			if (kind != PK_ASPATH)
				json_obj_end(j);
		}
	}
	if (c->json)
		json_obj_end(j);
	free(v);
	if (name != NULL && n == 0 && !c->json)
		return cli_fail(c, "%s %s does not exist", policy_kind_names[kind], name);
	return 0;
}

/* The list kind a `show bgp ...-list` command shows, from its last word. */
static int
cmd_show_lists(struct cli_ctx *c, int argc, char **argv)
{
	static const struct {
		const char *word;
		enum policy_kind kind;
	} words[] = {{"as-path-access-list", PK_ASPATH}, {"large-community-list", PK_LCOMM},
	             {"extcommunity-list", PK_ECOMM}, {"community-list", PK_COMM}};
	const char *last = strrchr(c->cmd->path, ' ') + 1;

	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (strcmp(last, words[i].word) == 0)
			return show_lists(c, words[i].kind, argc > 0 ? argv[0] : NULL);
	return cli_fail(c, "no list kind for '%s'", c->cmd->path);
}

static int
kind_arg(struct cli_ctx *c, const char *word)
{
	return cli_keyword(c, "policy kind", word, policy_kind_names, PK_COUNT);
}

/*
 * policy set KIND NAME VALUE: VALUE is the object's YAML (flow style), as in
 * a topology. The command's words are joined again and VALUE is parsed at
 * its column, so that an error's line:col points into the command.
 */
static int
cmd_policy_set(struct cli_ctx *c, int argc, char **argv)
{
	struct strbuf line = STRBUF_INIT;
	struct cfg_doc *doc;
	int k, rc = 0;

	if (argc < 3)
		return cli_fail(c, "usage: policy set KIND NAME VALUE");
	if ((k = kind_arg(c, argv[0])) < 0)
		return 1;
	/* blanks where "policy set KIND NAME " stands: columns count from the command's start */
	sb_printf(&line, "policy set %s %s ", argv[0], argv[1]);
	memset(line.s, ' ', line.len);
	for (int i = 2; i < argc; i++)
		sb_printf(&line, "%s%s", i > 2 ? " " : "", argv[i]);
	doc = cfg_parse_yaml("command", line.s, line.len);
	if (doc->root == NULL || doc->nerrors > 0 ||
	    !policy_replace(c->node, policy_kind_names[k], argv[1], doc->root) || doc->nerrors > 0)
		rc = cli_fail(c, "%.*s", (int)(doc->errors.len ? doc->errors.len - 1 : 0),
		    sb_str(&doc->errors)); /* without the last newline */
	else
		cli_printf(c, "%s %s replaced (generation %llu)\n", policy_kind_names[k], argv[1],
		    (unsigned long long)policy_generation(c->node));
	cfg_doc_free(doc);
	sb_free(&line);
	return rc;
}

static int
cmd_policy_delete(struct cli_ctx *c, int argc, char **argv)
{
	int k;

	if (argc != 2)
		return cli_fail(c, "usage: policy delete KIND NAME");
	if ((k = kind_arg(c, argv[0])) < 0)
		return 1;
	if (!policy_delete(c->node, policy_kind_names[k], argv[1]))
		return cli_fail(c, "no %s %s", policy_kind_names[k], argv[1]);
	cli_printf(c, "%s %s deleted (generation %llu)\n", policy_kind_names[k], argv[1],
	    (unsigned long long)policy_generation(c->node));
	return 0;
}

const struct cli_cmd policy_cmds[] = {
    {"show route-map", "[NAME]", "route maps: entries, clauses and how often each ran (FRR's layout)",
        cmd_show_route_map, CLI_ROUTER | CLI_JSON},
    {"show ip prefix-list", "[NAME]", "prefix lists (FRR's layout)", cmd_show_prefix_list,
        CLI_ROUTER | CLI_JSON},
    {"show bgp as-path-access-list", "[NAME]", "AS-path lists and their regexes",
        cmd_show_lists, CLI_ROUTER | CLI_JSON},
    {"show bgp community-list", "[NAME]", "community lists", cmd_show_lists, CLI_ROUTER | CLI_JSON},
    {"show bgp large-community-list", "[NAME]", "large community lists", cmd_show_lists,
        CLI_ROUTER | CLI_JSON},
    {"show bgp extcommunity-list", "[NAME]", "extended community lists", cmd_show_lists,
        CLI_ROUTER | CLI_JSON},
    {"policy set", "KIND NAME VALUE",
        "replace or add a route map or list (VALUE: its YAML, flow style, as in a topology)",
        cmd_policy_set, CLI_ROUTER},
    {"policy delete", "KIND NAME", "delete a route map or list (a route map naming it then "
        "matches nothing through it)", cmd_policy_delete, CLI_ROUTER},
    {NULL},
};
