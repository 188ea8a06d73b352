/*
 * cmd_verify.c: `verify INTENTS`, a network command: check intents
 * (verify/intent.h, docs/verify.md) on the network as it is now. INTENTS is
 * a YAML file (read as `load` reads files: under the topology's directory in
 * a daemon) or the intents themselves in YAML flow style, the words of the
 * command line joined by spaces (`verify [{reachable: {from: h1, to: h3}}]`:
 * the command line drops double quotes, so strings that need quoting take
 * single ones). A failed intent fails the command (code verify-failed), an
 * inconclusive one too (verify-inconclusive); the report is written either way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "../verify/intent.h"
#include "cmd_net.h"

#define INTENTS_MAX (4u << 20)

/* The intents of the command line: inline text, or the file it names. */
static bool
intents_of(struct cli_ctx *c, int argc, char **argv, struct intents *in)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	const char *file = "intents";
	char *path = NULL;
	bool ok = false;

	for (int i = 0; i < argc; i++)
		sb_printf(&text, "%s%s", i ? " " : "", argv[i]);
	if (argc == 1 && strchr("[{-", argv[0][0]) == NULL) {
		char buf[65536];
		size_t n;
		FILE *f = NULL;

		sb_reset(&text);
		if ((path = cmd_net_path(argv[0], &err)) == NULL ||
		    (f = fopen(path, "r")) == NULL) {
			cli_fail_code(c, "bad-intents", "verify: %s", path ? strerror(errno) :
			    sb_str(&err));
			goto out;
		}
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && text.len <= INTENTS_MAX)
			sb_addn(&text, buf, n);
		fclose(f);
		file = argv[0];
	}
	if (!intents_parse(file, sb_str(&text), text.len, in, &err)) {
		/* The first errors, without the last newline: messages are one block. */
		while (err.len > 0 && err.s[err.len - 1] == '\n')
			err.s[--err.len] = '\0';
		cli_fail_code(c, "bad-intents", "%s", sb_str(&err));
		intents_free(in);
		goto out;
	}
	ok = true;
out:
	free(path);
	sb_free(&text);
	sb_free(&err);
	return ok;
}

int
cmd_net_verify(struct cli_ctx *c, int argc, char **argv)
{
	struct strbuf rep = STRBUF_INIT;
	struct intent_tally t;
	struct intents in;
	struct json j;

	if (argc < 1)
		return cli_fail(c, "usage: verify FILE.yaml | verify [{reachable: {from: h1, to: "
		    "10.0.3.10}}, ...]");
	if (!intents_of(c, argc, argv, &in))
		return 1;
	cmd_net_settle(c->net);
	json_init(&j, &rep, false);
	intents_check(c->net, &in, &j, &t);
	intents_free(&in);
	if (c->json) {
		json_raw(&c->j, sb_str(&rep));
	} else {
		char perr[128];
		struct jval *v = json_parse(rep.s, rep.len, perr, sizeof(perr));
		struct strbuf text = STRBUF_INIT;

		intents_text(v, &text);
		cli_printf(c, "%s", sb_str(&text));
		sb_free(&text);
		jval_free(v);
	}
	sb_free(&rep);
	if (t.fail > 0)
		return cli_fail_code(c, "verify-failed", "%d of %d intents failed", t.fail,
		    t.pass + t.fail + t.inconclusive);
	if (t.inconclusive > 0)
		return cli_fail_code(c, "verify-inconclusive", "%d of %d intents are inconclusive",
		    t.inconclusive, t.pass + t.inconclusive);
	return 0;
}
