/*
 * fuzz_intents.c: libFuzzer harness for intent checks (src/verify/): the
 * input is an intents file's text, read as `netsim verify` reads one and,
 * when it reads, checked against a converged network of the harness's own
 * (a static-route triangle with a forwarding loop, a blackhole route,
 * hosts and a switch), as the verify command checks a daemon's.
 *
 * Properties beyond "no crash, no leak, no hang": refused intents always say
 * why, each error at file:line:col; an accepted file gives a report that is
 * JSON, with one result per intent, each pass, fail or inconclusive, counted
 * in passed + failed + inconclusive, and a text form.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_net.h"
#include "proto/proto.h"
#include "verify/intent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char net_yaml[] =
    "name: fuzz-intents\n"
    "devices:\n"
    "  - name: r1\n"
    "    type: router\n"
    "    interfaces:\n"
    "      - {name: eth0, ip: 10.0.12.1/24}\n"
    "      - {name: eth1, ip: 10.0.13.1/24}\n"
    "      - {name: eth2, ip: 10.0.1.1/24}\n"
    "    static_routes:\n"
    "      - {prefix: 10.0.3.0/24, via: 10.0.13.3}\n"
    "      - {prefix: 10.0.23.0/24, via: 10.0.12.2}\n"
    "      - {prefix: 10.7.0.0/16, via: 10.0.12.2}\n"
    "      - {prefix: 192.0.2.0/24, blackhole: true}\n"
    "  - name: r2\n"
    "    type: router\n"
    "    interfaces:\n"
    "      - {name: eth0, ip: 10.0.12.2/24}\n"
    "      - {name: eth1, ip: 10.0.23.2/24}\n"
    "    static_routes:\n"
    "      - {prefix: 10.0.3.0/24, via: 10.0.23.3}\n"
    "      - {prefix: 10.7.0.0/16, via: 10.0.12.1}\n"
    "      - {prefix: 10.0.1.0/24, via: 10.0.12.1}\n"
    "  - name: r3\n"
    "    type: router\n"
    "    interfaces:\n"
    "      - {name: eth0, ip: 10.0.13.3/24}\n"
    "      - {name: eth1, ip: 10.0.23.3/24}\n"
    "      - {name: eth2, ip: 10.0.3.1/24}\n"
    "    static_routes:\n"
    "      - {prefix: 10.0.1.0/24, via: 10.0.13.1}\n"
    "  - name: h1\n"
    "    type: host\n"
    "    interfaces:\n"
    "      - {name: eth0, ip: 10.0.1.10/24, gateway: 10.0.1.1}\n"
    "  - name: sw\n"
    "    type: switch\n"
    "    interfaces:\n"
    "      - {name: p1}\n"
    "      - {name: p2}\n"
    "  - name: h3\n"
    "    type: host\n"
    "    interfaces:\n"
    "      - {name: eth0, ip: 10.0.3.10/24, gateway: 10.0.3.1}\n"
    "links:\n"
    "  - endpoints: [r1:eth0, r2:eth0]\n"
    "  - endpoints: [r1:eth1, r3:eth0]\n"
    "  - endpoints: [r2:eth1, r3:eth1]\n"
    "  - endpoints: [r1:eth2, h1:eth0]\n"
    "  - endpoints: [r3:eth2, sw:p1]\n"
    "  - endpoints: [sw:p2, h3:eth0]\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct topo *t;
	struct strbuf err = STRBUF_INIT, rep = STRBUF_INIT, text = STRBUF_INIT;
	struct intent_tally tally;
	struct intents in;
	struct jval *v, *rs;
	struct json j;
	char perr[128];

	if (t == NULL) {
		proto_init_all();
		t = fuzz_net("fuzz-intents.yaml", net_yaml, sizeof(net_yaml) - 1);
	}
	if (!intents_parse("fuzz.yaml", (const char *)data, size, &in, &err)) {
		/* Refused: at least one error, each "fuzz.yaml:LINE:COL: ..." (or the whole file's). */
		if (err.len == 0 || strncmp(err.s, "fuzz.yaml:", 10) != 0)
			abort();
		intents_free(&in);
		sb_free(&err);
		return 0;
	}
	json_init(&j, &rep, false);
	intents_check(t->net, &in, &j, &tally);
	if ((v = json_parse(rep.s, rep.len, perr, sizeof(perr))) == NULL)
		abort();
	rs = jval_get(v, "results");
	if (rs == NULL || rs->type != J_ARR || rs->n != in.n ||
	    (size_t)(tally.pass + tally.fail + tally.inconclusive) != in.n)
		abort();
	for (size_t i = 0; i < rs->n; i++) {
		const char *st = jval_str(rs->elem[i], "status");

		if (st == NULL || (strcmp(st, "pass") != 0 && strcmp(st, "fail") != 0 &&
		                      strcmp(st, "inconclusive") != 0) ||
		    jval_str(rs->elem[i], "reason") == NULL)
			abort();
		/* A failure always suggests what to look at next. */
		if (strcmp(st, "fail") == 0 && jval_get(rs->elem[i], "suggestion") == NULL)
			abort();
	}
	intents_text(v, &text);
	if (text.len == 0)
		abort();
	jval_free(v);
	intents_free(&in);
	sb_free(&text);
	sb_free(&rep);
	sb_free(&err);
	return 0;
}
