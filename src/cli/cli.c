/* cli.c: command tables, matching, dispatch, completion and help (see cli.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "../net/dist_net.h"
#include "../net/vrf.h"
#include "../proto/proto.h"
#include "../sim/dist.h"
#include "cli.h"

#define MAX_TABLES 64
#define MAX_WORDS  16

static const struct cli_cmd *tables[MAX_TABLES];
static int ntables;

struct cli_dyn {
	struct cli_cmd cmd; /* first: a command pointer is a cli_dyn pointer */
	void *arg;
};
static struct cli_dyn *dyn;
static size_t ndyn, dyncap;

void
cli_register(const struct cli_cmd *t)
{
	for (int i = 0; i < ntables; i++)
		if (tables[i] == t)
			return;
	if (ntables >= MAX_TABLES)
		bug("too many command tables");
	tables[ntables++] = t;
}

void
cli_unregister_dynamic(const char *path)
{
	for (size_t i = 0; i < ndyn; i++) {
		if (strcmp(dyn[i].cmd.path, path) != 0)
			continue;
		free((char *)dyn[i].cmd.path);
		free((char *)dyn[i].cmd.args);
		free((char *)dyn[i].cmd.help);
		memmove(&dyn[i], &dyn[i + 1], sizeof(*dyn) * (ndyn - i - 1));
		ndyn--;
		return;
	}
}

void
cli_register_dynamic(const struct cli_cmd *c, void *arg)
{
	struct cli_dyn d = {*c, arg};

	cli_unregister_dynamic(c->path);
	d.cmd.path = xstrdup(c->path);
	d.cmd.args = xstrdup(c->args ? c->args : "");
	d.cmd.help = xstrdup(c->help ? c->help : "");
	VEC_PUSH(dyn, ndyn, dyncap, d);
}

void *
cli_cmd_arg(const struct cli_cmd *c)
{
	for (size_t i = 0; i < ndyn; i++)
		if (&dyn[i].cmd == c)
			return dyn[i].arg;
	return NULL;
}

/* Iterate over every command: static tables, then dynamic ones. */
struct cmd_iter {
	int t;
	size_t i;
};

static const struct cli_cmd *
next_cmd(struct cmd_iter *it)
{
	while (it->t < ntables) {
		const struct cli_cmd *c = &tables[it->t][it->i];

		if (c->path != NULL) {
			it->i++;
			return c;
		}
		it->t++;
		it->i = 0;
	}
	if (it->i < ndyn)
		return &dyn[it->i++].cmd;
	return NULL;
}

unsigned
cli_node_mask(const struct node *n)
{
	if (n == NULL)
		return CLI_NET;
	switch (n->type) {
	case NODE_ROUTER:
		return CLI_ROUTER;
	case NODE_HOST:
		return CLI_HOST;
	case NODE_SWITCH:
		return CLI_SWITCH;
	}
	return 0;
}

void
cli_ctx_init(struct cli_ctx *c, struct network *net, struct node *n)
{
	memset(c, 0, sizeof(*c));
	c->net = net;
	c->node = n;
	json_init(&c->j, &c->out, true);
}

void
cli_ctx_free(struct cli_ctx *c)
{
	sb_free(&c->out);
	sb_free(&c->err);
	sb_free(&c->alt);
}

struct json *
cli_also_json(struct cli_ctx *c)
{
	if (!c->also_json || c->json)
		return NULL;
	sb_reset(&c->alt);
	json_init(&c->alt_j, &c->alt, true);
	return &c->alt_j;
}

static int
vfail(struct cli_ctx *c, const char *code, const char *fmt, va_list ap)
{
	sb_add(&c->err, "% ");
	sb_vprintf(&c->err, fmt, ap);
	sb_addc(&c->err, '\n');
	if (c->code == NULL)
		c->code = code;
	c->status = 1;
	return 1;
}

bool
cli_num_arg(struct cli_ctx *c, const char *name, const char *s, long long min, long long max,
    long long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max) {
		cli_fail(c, "%s must be a number from %lld to %lld, got '%s'", name, min, max, s);
		return false;
	}
	*out = v;
	return true;
}

int
cli_vrf_arg(struct cli_ctx *c, const char *name)
{
	int id = node_vrf_id(c->node, name);

	if (id < 0)
		cli_fail(c, "no VRF '%s' on %s", name, c->node->name);
	return id;
}

int
cli_fail(struct cli_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(c, "command-failed", fmt, ap);
	va_end(ap);
	return 1;
}

int
cli_fail_code(struct cli_ctx *c, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(c, code, fmt, ap);
	va_end(ap);
	return 1;
}

int
cli_outcome(struct cli_ctx *c, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
	if (c->code == NULL)
		c->code = code;
	c->status = 1;
	return 1;
}

void
cli_printf(struct cli_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&c->out, fmt, ap);
	va_end(ap);
}

int
cli_keyword(struct cli_ctx *c, const char *what, const char *word, const char *const *choices,
    int n)
{
	int found = -1, nfound = 0;
	struct strbuf list = STRBUF_INIT;

	for (int i = 0; i < n; i++) {
		if (strcmp(choices[i], word) == 0)
			return i;
		if (str_prefix(choices[i], word)) {
			found = i;
			nfound++;
		}
	}
	if (nfound == 1)
		return found;
	for (int i = 0; i < n; i++)
		if (nfound == 0 || str_prefix(choices[i], word))
			sb_printf(&list, "%s%s", list.len ? ", " : "", choices[i]);
	cli_fail_code(c, "bad-argument", "%s %s '%s' (%s: %s)", nfound ? "ambiguous" : "unknown", what, word,
	    nfound ? "could be" : "one of", sb_str(&list));
	sb_free(&list);
	return -1;
}

int
cli_unavailable(struct cli_ctx *c, const char *word)
{
	const char *title = proto_unavailable_title(word);

	if (title == NULL)
		return 0;
	return cli_fail_code(c, "protocol-unavailable", "%s is not available in this build", title);
}

int
cli_split(const char *s, char ***argvp)
{
	char **argv = NULL;
	size_t argc = 0, cap = 0;
	struct strbuf w = STRBUF_INIT;

	for (;;) {
		bool quoted = false, any = false;

		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (*s == '\0')
			break;
		sb_reset(&w);
		while (*s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r'))) {
			if (*s == '"') {
				quoted = !quoted;
				any = true;
			} else {
				sb_addc(&w, *s);
			}
			s++;
		}
		(void)any;
		VEC_PUSH(argv, argc, cap, xstrdup(sb_str(&w)));
	}
	sb_free(&w);
	VEC_PUSH(argv, argc, cap, NULL);
	*argvp = argv;
	return (int)argc - 1;
}

void
cli_free_words(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

/* The i-th word of a command path into buf; false past the end. */
static bool
path_word(const char *path, int i, char *buf, size_t len)
{
	const char *s = path;

	for (;;) {
		const char *e;

		while (*s == ' ')
			s++;
		if (*s == '\0')
			return false;
		e = strchr(s, ' ');
		if (e == NULL)
			e = s + strlen(s);
		if (i-- == 0) {
			size_t n = MIN((size_t)(e - s), len - 1);

			memcpy(buf, s, n);
			buf[n] = '\0';
			return true;
		}
		s = e;
	}
}

static int
path_len(const char *path)
{
	char w[64];
	int n = 0;

	while (path_word(path, n, w, sizeof(w)))
		n++;
	return n;
}

/*
 * Find the command for argv: walk word by word, keeping the commands whose
 * path still matches (a token matches a word it is a prefix of, an exact
 * match wins over prefixes); the longest fully matched path is the command.
 */
static const struct cli_cmd *
match(unsigned mask, int argc, char **argv, int *consumed, char *err, size_t errlen,
    const char **code)
{
	const struct cli_cmd *cands[1024], *best = NULL;
	int ncand = 0, depth, best_len = 0;
	struct cmd_iter it = {0, 0};
	const struct cli_cmd *c;

	while ((c = next_cmd(&it)) != NULL && ncand < (int)ARRAY_LEN(cands))
		if (c->flags & mask)
			cands[ncand++] = c;
	err[0] = '\0';
	for (depth = 0; depth < argc && ncand > 0; depth++) {
		char w[64], chosen[64] = "";
		int nchoice = 0, keep = 0;
		bool exact = false;

		for (int i = 0; i < ncand; i++) {
			if (!path_word(cands[i]->path, depth, w, sizeof(w)))
				continue;
			if (strcmp(w, argv[depth]) == 0) {
				exact = true;
				snprintf(chosen, sizeof(chosen), "%s", w);
			} else if (!exact && str_prefix(w, argv[depth]) && strcmp(w, chosen) != 0) {
				if (nchoice++ == 0)
					snprintf(chosen, sizeof(chosen), "%s", w);
			}
		}
		if (!exact && nchoice > 1) {
			snprintf(err, errlen, "ambiguous command: '%s'", argv[depth]);
			*code = "ambiguous-command";
			return NULL;
		}
		if (!exact && nchoice == 0)
			break;
		for (int i = 0; i < ncand; i++)
			if (path_word(cands[i]->path, depth, w, sizeof(w)) && strcmp(w, chosen) == 0)
				cands[keep++] = cands[i];
		ncand = keep;
		for (int i = 0; i < ncand; i++) {
			int l = path_len(cands[i]->path);

			if (l == depth + 1 && l > best_len) {
				best = cands[i];
				best_len = l;
			}
		}
	}
	if (best == NULL) {
		*code = "unknown-command";
		if (depth > 0 && ncand > 0 && depth == argc) {
			snprintf(err, errlen, "incomplete command");
			*code = "incomplete-command";
		} else if (argc > 0) {
			snprintf(err, errlen, "unknown command: '%s'", argv[MIN(depth, argc - 1)]);
		} else {
			snprintf(err, errlen, "empty command");
		}
		return NULL;
	}
	*consumed = best_len;
	return best;
}

const struct cli_cmd *
cli_lookup(const char *line)
{
	char **argv, err[160];
	int argc = cli_split(line, &argv), used;
	const char *code;
	const struct cli_cmd *c;

	if (argc > 0 && strcmp(argv[argc - 1], "json") == 0)
		argc--;
	c = argc > 0 ? match(CLI_DEV | CLI_NET, argc, argv, &used, err, sizeof(err), &code) : NULL;
	cli_free_words(argc + (argv[argc] != NULL), argv);
	return c;
}

bool
cli_has_command(const struct node *n, const char *line)
{
	char **argv, err[160];
	int argc = cli_split(line, &argv), used;
	const char *code;
	bool found;

	if (argc > 0 && strcmp(argv[argc - 1], "json") == 0)
		argc--;
	found = argc > 0 && match(cli_node_mask(n), argc, argv, &used, err, sizeof(err), &code) != NULL;
	cli_free_words(argc + (argv[argc] != NULL), argv);
	return found;
}

/*
 * `show isis ...`, `show ip bgp ...`, `show mpls ...` of a protocol this
 * build lacks: say so rather than "unknown command". Consulted only when no
 * registered command matched, so a protocol's own commands, once it
 * registers them, take precedence without a change here. The protocol word
 * is the one after `show` (or after `show ip` or `show mpls`: the MPLS
 * forwarding table exists, its label distribution protocols may not), spelled out.
 */
static bool
unavailable_protocol(struct cli_ctx *c, int argc, char **argv)
{
	int at = 1;

	if (argc < 2 || !str_prefix("show", argv[0]))
		return false;
	if (argc > 2 && (strcmp(argv[1], "ip") == 0 || strcmp(argv[1], "mpls") == 0))
		at = 2;
	return cli_unavailable(c, argv[at]) != 0;
}

int
cli_exec(struct cli_ctx *c, const char *line)
{
	char **argv;
	int argc = cli_split(line, &argv), used = 0, nargs;
	unsigned mask = cli_node_mask(c->node);
	const struct cli_cmd *cmd;
	const char *code = NULL;
	char err[160];

	c->status = 0;
	c->json = false;
	c->code = NULL;
	c->reason[0] = '\0';
	if (argc > 0 && strcmp(argv[argc - 1], "json") == 0) {
		c->json = true;
		free(argv[--argc]);
		argv[argc] = NULL;
	}
	cmd = match(mask, argc, argv, &used, err, sizeof(err), &code);
	if (cmd == NULL) {
		/* Say why a command exists elsewhere but not here. */
		int u2;
		char e2[160];
		const char *c2;

		if (match(CLI_DEV | CLI_NET, argc, argv, &u2, e2, sizeof(e2), &c2) != NULL)
			cli_fail_code(c, "not-available", "'%s' is not available on %s", line,
			    c->node ? c->node->name : "the network scope");
		else if (!unavailable_protocol(c, argc, argv))
			cli_fail_code(c, code, "%s", err);
		cli_free_words(argc, argv);
		return c->status;
	}
	if (c->json_if_any && (cmd->flags & CLI_JSON))
		c->json = true;
	if (c->json && !(cmd->flags & CLI_JSON)) {
		cli_fail_code(c, "no-json-form", "'%s' has no JSON form", cmd->path);
		cli_free_words(argc, argv);
		return c->status;
	}
	if (c->node != NULL && !c->node->up && strncmp(cmd->path, "show", 4) != 0) {
		cli_fail_code(c, "device-down", "%s is down", c->node->name);
		cli_free_words(argc, argv);
		return c->status;
	}
	c->cmd = cmd;
	nargs = argc - used;
	if (nargs > 0 && (cmd->args == NULL || cmd->args[0] == '\0')) {
		cli_fail_code(c, "bad-argument", "'%s' takes no arguments (got '%s')", cmd->path,
		    argv[used]);
		cli_free_words(argc, argv);
		return c->status;
	}
	if (cmd->fn(c, nargs, argv + used) != 0)
		c->status = 1;
	if (c->json && c->status == 0 && c->out.len > 0 && c->out.s[c->out.len - 1] != '\n')
		sb_addc(&c->out, '\n');
	cli_free_words(argc, argv);
	return c->status;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
add_unique(char ***v, size_t *n, size_t *cap, const char *w)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], w) == 0)
			return;
	VEC_PUSH(*v, *n, *cap, xstrdup(w));
}

/* A synopsis word: a literal keyword (count, df, summary), not a placeholder (IP, N, A:IF). */
static bool
is_keyword(const char *w)
{
	if (*w < 'a' || *w > 'z')
		return false;
	for (; *w; w++)
		if (*w >= 'A' && *w <= 'Z')
			return false;
	return true;
}

/*
 * The words of a synopsis ("IP [count N] [df]" -> IP count N df), each with
 * whether it is optional (a group [...] or an alternative | came before it)
 * and whether a group boundary ([, ] or |) separates it from the word before.
 */
struct syn_word {
	char w[32];
	bool optional, bound;
};

static int
synopsis_words(const char *args, struct syn_word *v, int max)
{
	int n = 0;
	bool opt = false, bound = false;

	while (*args && n < max) {
		size_t len;

		if (strchr(" []|", *args)) {
			opt |= *args == '[' || *args == '|';
			bound |= *args != ' ';
			args++;
			continue;
		}
		len = strcspn(args, " []|");
		snprintf(v[n].w, sizeof(v[n].w), "%.*s", (int)MIN(len, sizeof(v[n].w) - 1), args);
		v[n].optional = opt;
		v[n++].bound = bound;
		bound = false;
		args += len;
	}
	return n;
}

/*
 * Past a command's path: the keywords of its synopsis not typed yet (`ping
 * IP <Tab>`: count, df, interval, json, size...), once its leading
 * placeholders (IP) have values; nothing where a keyword's value goes
 * (`count <Tab>`) or after `json`, which ends a line.
 */
static void
complete_options(const struct cli_cmd *c, char **argv, int done, int plen, const char *partial,
    char ***out, size_t *n, size_t *cap)
{
	struct syn_word v[32];
	int nw = synopsis_words(c->args, v, 32), nreq = 0;

	while (nreq < nw && !v[nreq].optional && !is_keyword(v[nreq].w))
		nreq++;
	if (done - plen < nreq)
		return;
	for (int i = plen; i < done; i++)
		if (strcmp(argv[i], "json") == 0)
			return;
	/* The previous word is a keyword that takes a value (count N): this is the value. */
	for (int k = 0; done > plen && k + 1 < nw; k++)
		if (strcmp(v[k].w, argv[done - 1]) == 0 && is_keyword(v[k].w) && !v[k + 1].bound &&
		    !is_keyword(v[k + 1].w))
			return;
	for (int k = nreq; k < nw; k++) {
		bool typed = false;

		if (!is_keyword(v[k].w) || !str_prefix(v[k].w, partial))
			continue;
		for (int i = plen; i < done && !typed; i++)
			typed = strcmp(argv[i], v[k].w) == 0;
		if (!typed)
			add_unique(out, n, cap, v[k].w);
	}
	if ((c->flags & CLI_JSON) && str_prefix("json", partial))
		add_unique(out, n, cap, "json");
}

/*
 * An endpoint (DEVICE:IF) being typed: once the colon is there, that
 * device's interfaces (r1:e -> r1:eth0 r1:eth1); before it, the devices
 * with their colon (r -> r1: r2:), which the consoles complete without a
 * space so that the interface follows.
 */
static void
complete_endpoint(struct network *net, const char *partial, char ***out, size_t *n, size_t *cap)
{
	const char *colon = strchr(partial, ':');
	char w[160];

	if (colon == NULL) {
		for (size_t k = 0; k < net->nnodes; k++)
			if (str_prefix(net->nodes[k]->name, partial)) {
				snprintf(w, sizeof(w), "%s:", net->nodes[k]->name);
				add_unique(out, n, cap, w);
			}
		return;
	}
	for (size_t k = 0; k < net->nnodes; k++) {
		struct node *d = net->nodes[k];

		if (strlen(d->name) != (size_t)(colon - partial) ||
		    strncmp(d->name, partial, (size_t)(colon - partial)) != 0)
			continue;
		for (size_t i = 0; i < d->nifs; i++)
			if (str_prefix(d->ifs[i]->name, colon + 1)) {
				snprintf(w, sizeof(w), "%s:%s", d->name, d->ifs[i]->name);
				add_unique(out, n, cap, w);
			}
	}
}

char **
cli_complete_endpoint(struct network *net, const char *partial)
{
	char **out = NULL;
	size_t n = 0, cap = 0;

	if (net != NULL)
		complete_endpoint(net, partial, &out, &n, &cap);
	if (n > 1)
		qsort(out, n, sizeof(*out), str_cmp);
	VEC_PUSH(out, n, cap, NULL);
	return out;
}

/*
 * Does a command with a longer path than plen words match the first
 * `complete` words (`ping mpls ` is `ping mpls ipv4`, not `ping` with an
 * address "mpls")? As in match(), the longer path wins.
 */
static bool
longer_path_matches(unsigned mask, char **argv, int complete, int plen)
{
	struct cmd_iter it = {0, 0};
	const struct cli_cmd *c;

	while ((c = next_cmd(&it)) != NULL) {
		int l = path_len(c->path), i;
		char w[64];

		if (!(c->flags & mask) || l <= plen || complete <= plen)
			continue;
		for (i = 0; i < complete && i < l; i++)
			if (!path_word(c->path, i, w, sizeof(w)) || !str_prefix(w, argv[i]))
				break;
		if (i == MIN(complete, l))
			return true;
	}
	return false;
}

char **
cli_complete(struct network *net, struct node *node, const char *line)
{
	char **argv, **out = NULL;
	int argc = cli_split(line, &argv);
	size_t n = 0, cap = 0;
	bool fresh = *line == '\0' || strchr(" \t", line[strlen(line) - 1]) != NULL;
	int complete = fresh ? argc : argc - 1; /* words already finished */
	const char *partial = fresh ? "" : argv[argc - 1];
	unsigned mask = cli_node_mask(node);
	struct cmd_iter it = {0, 0};
	const struct cli_cmd *c;

	while ((c = next_cmd(&it)) != NULL) {
		char w[64];
		int i, plen = path_len(c->path);
		bool ok = true;

		if (!(c->flags & mask))
			continue;
		for (i = 0; i < complete && i < plen; i++)
			if (!path_word(c->path, i, w, sizeof(w)) || !str_prefix(w, argv[i])) {
				ok = false;
				break;
			}
		if (!ok)
			continue;
		if (complete < plen) {
			path_word(c->path, complete, w, sizeof(w));
			if (str_prefix(w, partial))
				add_unique(&out, &n, &cap, w);
			continue;
		}
		if (longer_path_matches(mask, argv, complete, plen))
			continue;
		/* Past the path: complete values the synopsis names. */
		if (strstr(c->args, "IFACE") && node != NULL) {
			for (size_t k = 0; k < node->nifs; k++)
				if (str_prefix(node->ifs[k]->name, partial))
					add_unique(&out, &n, &cap, node->ifs[k]->name);
		}
		if (strstr(c->args, "A:IF") && net != NULL)
			complete_endpoint(net, partial, &out, &n, &cap);
		/* A chaos action's arguments: devices, or endpoints once a colon is typed. */
		if (strstr(c->args, "DEVICE") ||
		    (strstr(c->args, "ARGS") && complete > plen && !strchr(partial, ':'))) {
			for (size_t k = 0; net != NULL && k < net->nnodes; k++)
				if (str_prefix(net->nodes[k]->name, partial))
					add_unique(&out, &n, &cap, net->nodes[k]->name);
		}
		if (strstr(c->args, "ARGS") && complete > plen && strchr(partial, ':') && net != NULL)
			complete_endpoint(net, partial, &out, &n, &cap);
		complete_options(c, argv, complete, plen, partial, &out, &n, &cap);
	}
	cli_free_words(argc, argv);
	if (n > 1)
		qsort(out, n, sizeof(*out), str_cmp);
	VEC_PUSH(out, n, cap, NULL);
	return out;
}

static int
cmd_cmp(const void *a, const void *b)
{
	const struct cli_cmd *x = *(const struct cli_cmd *const *)a;
	const struct cli_cmd *y = *(const struct cli_cmd *const *)b;

	return strcmp(x->path, y->path);
}

void
cli_help(struct cli_ctx *c, const char *filter)
{
	cli_help_without(c, filter, 0);
}

void
cli_help_without(struct cli_ctx *c, const char *filter, unsigned without)
{
	const struct cli_cmd *v[1024], *cmd;
	struct cmd_iter it = {0, 0};
	unsigned mask = cli_node_mask(c->node);
	size_t n = 0;

	while ((cmd = next_cmd(&it)) != NULL && n < ARRAY_LEN(v))
		if ((cmd->flags & mask) && !(cmd->flags & without) &&
		    (filter == NULL || str_prefix(cmd->path, filter)))
			v[n++] = cmd;
	qsort(v, n, sizeof(*v), cmd_cmp);
	if (c->json) {
		json_arr_begin(&c->j);
		for (size_t i = 0; i < n; i++) {
			json_obj_begin(&c->j);
			json_kv_str(&c->j, "command", v[i]->path);
			json_kv_str(&c->j, "args", v[i]->args ? v[i]->args : "");
			json_kv_str(&c->j, "help", v[i]->help ? v[i]->help : "");
			json_kv_bool(&c->j, "json", (v[i]->flags & CLI_JSON) != 0);
			json_obj_end(&c->j);
		}
		json_arr_end(&c->j);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t start = c->out.len;

		sb_printf(&c->out, "%s%s%s", v[i]->path, v[i]->args && *v[i]->args ? " " : "",
		    v[i]->args ? v[i]->args : "");
		if (v[i]->flags & CLI_JSON)
			sb_add(&c->out, " [json]");
		if (c->out.len - start >= 44)
			sb_addc(&c->out, '\n');
		sb_pad(&c->out, 46);
		sb_printf(&c->out, "%s\n", v[i]->help ? v[i]->help : "");
	}
}

void
cli_run_until(struct cli_ctx *c, bool (*done)(void *), void *arg, sim_time limit)
{
	struct sim *s = &c->net->sim;

	if (dist_on() && limit != SIM_NEVER)
		bug("cli_run_until: a limit in a distributed run (the other ranks step without one)");
	s->hold_global++;
	while (!done(arg)) {
		/*
		 * A distributed run: only this rank (the device's) knows when the
		 * command is done; the others step along while told to (cli_follow).
		 */
		if (dist_on())
			dist_bcast_int(1, dist_rank);
		if (!sim_step(s, limit))
			break;
	}
	s->hold_global--;
}

void
cli_follow(struct network *net, int owner)
{
	struct sim *s = &net->sim;

	s->hold_global++;
	while (dist_bcast_int(0, owner))
		sim_step(s, SIM_NEVER);
	s->hold_global--;
}

void
cli_follow_end(void)
{
	dist_bcast_int(0, dist_rank);
}

const char *
cli_age(sim_time t)
{
	static char bufs[4][32];
	static unsigned k;
	char *b = bufs[k++ & 3];
	long long s = t / SIM_S;

	if (s < 86400)
		snprintf(b, 32, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
	else if (s < 7 * 86400)
		snprintf(b, 32, "%lldd%02lldh", s / 86400, s / 3600 % 24);
	else
		snprintf(b, 32, "%lldw%lldd", s / (7 * 86400), s / 86400 % 7);
	return b;
}
