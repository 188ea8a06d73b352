/*
 * test_wire.c: the daemon protocol's request checks and reply encoding
 * (src/daemon/wire.c) without a socket: wire_request's error code and message
 * for each kind of bad request (refused \u0000 and repeated keys name the
 * key), and wire_value's limits (nesting the writer cannot hold, keys that
 * collide once made valid UTF-8).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/wire.h"
#include "lib/util.h"

/* wire_request(line): NULL with code/message, or the request; id as JSON text. */
static void
check_request(const char *line, const char *code, const char *msg, const char *id)
{
	struct strbuf m = STRBUF_INIT;
	const char *got = NULL;
	char *gid = NULL;
	struct jval *r = wire_request(line, strlen(line), &gid, &got, &m);

	if (code == NULL) {
		if (r == NULL)
			fail_msg("%s: refused (%s: %s)", line, got, sb_str(&m));
		assert_non_null(jval_str(r, "op"));
	} else {
		if (r != NULL)
			fail_msg("%s: accepted, want %s", line, code);
		assert_string_equal(got, code);
		if (strcmp(sb_str(&m), msg) != 0)
			fail_msg("%s: message \"%s\", want \"%s\"", line, sb_str(&m), msg);
	}
	assert_string_equal(gid, id);
	jval_free(r);
	free(gid);
	sb_free(&m);
}

static void
test_wire_request(void **state UNUSED)
{
	(void)state;
	check_request("{\"v\":1,\"id\":3,\"op\":\"hello\"}", NULL, NULL, "3");
	check_request("{\"op\":\"hello\"}", NULL, NULL, "null");
	check_request("{\"id\":\"x\",\"op\":\"anything\"}", NULL, NULL, "\"x\"");
	check_request("{\"v\":1,\"op\":", "parse-error", "unexpected end of input at byte 12", "null");
	check_request("{\"op\":\"exec\",\"cmd\":\"show ip route\\u0000;x\"}", "parse-error",
	    "NUL character (\\u0000) in the value of \"cmd\" at byte 33", "null");
	check_request("{\"op\":\"exec\",\"cmd\":\"a\",\"cmd\":\"b\"}", "parse-error",
	    "duplicate key \"cmd\" at byte 23", "null");
	check_request("[1]", "bad-request", "a request is a JSON object", "null");
	check_request("{\"id\":4}", "bad-request", "no \"op\" string", "4");
	check_request("{\"id\":5,\"op\":7}", "bad-request", "no \"op\" string", "5");
	check_request("{\"v\":2,\"id\":6,\"op\":\"hello\"}", "unsupported-version",
	    "protocol version given is not supported; this daemon speaks 1 to 1", "6");
	check_request("{\"v\":\"1\",\"op\":\"hello\"}", "unsupported-version",
	    "protocol version (not a number) is not supported; this daemon speaks 1 to 1", "null");
}

/* wire_value(parse(in)) inside one enclosing array, compactly. */
static char *
reencode(const char *in)
{
	struct strbuf b = STRBUF_INIT;
	char err[128];
	struct jval *v = json_parse(in, strlen(in), err, sizeof(err));
	struct json j;

	if (v == NULL)
		fail_msg("%s: %s", in, err);
	json_init(&j, &b, false);
	json_arr_begin(&j);
	wire_value(&j, v, 0);
	json_arr_end(&j);
	jval_free(v);
	return sb_steal(&b);
}

static void
test_wire_value_limits(void **state UNUSED)
{
	struct strbuf in = STRBUF_INIT, want = STRBUF_INIT;
	char *out;

	(void)state;
	/* 60 levels parse; the writer holds JSON_MAXDEPTH - 1 below the enclosing array. */
	for (int i = 0; i < 60; i++)
		sb_addc(&in, '[');
	for (int i = 0; i < 60; i++)
		sb_addc(&in, ']');
	sb_addc(&want, '[');
	for (int i = 0; i < JSON_MAXDEPTH - 2; i++)
		sb_addc(&want, '[');
	sb_add(&want, "null");
	for (int i = 0; i < JSON_MAXDEPTH - 1; i++)
		sb_addc(&want, ']');
	out = reencode(in.s);
	assert_string_equal(out, want.s);
	free(out);
	/* Keys equal once invalid bytes become U+FFFD: the first is kept. */
	out = reencode("{\"a\xff\":1,\"b\":2,\"a\xfe\":3,\"a\xef\xbf\xbd\":4}");
	assert_string_equal(out, "[{\"a\xef\xbf\xbd\":1,\"b\":2}]");
	free(out);
	out = reencode("{\"k\":[1,{\"x\":\"y\"}],\"n\":-1.5}");
	assert_string_equal(out, "[{\"k\":[1,{\"x\":\"y\"}],\"n\":-1.5}]");
	free(out);
	sb_free(&in);
	sb_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wire_request),
		cmocka_unit_test(test_wire_value_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
