/*
 * fuzz_daemon_req.c: libFuzzer harness for the daemon's request path, without
 * a socket: one request line goes through wire_request() (the JSON reader
 * and the envelope checks the server runs before dispatching an op), and the
 * reply the server would send is built as it builds it.
 *
 * Properties beyond "no crash, no leak": every refused request gets an error
 * code and message; every reply (an error, or an echo of the whole request
 * through wire_value as `exec` embeds a command's JSON) is one line that the
 * reader accepts again; and an accepted request re-encoded and re-read is
 * accepted again with the same op.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/wire.h"
#include "lib/json.h"
#include "lib/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The reply must be exactly one line of JSON that the reader accepts. */
static struct jval *
check_line(const struct strbuf *b)
{
	char err[128];
	struct jval *v;

	if (b->len == 0 || b->s[b->len - 1] != '\n' || memchr(b->s, '\n', b->len - 1) != NULL)
		abort();
	if ((v = json_parse(b->s, b->len - 1, err, sizeof(err))) == NULL)
		abort();
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf msg = STRBUF_INIT, out = STRBUF_INIT;
	const char *code = NULL;
	struct jval *req, *back;
	char *id;
	struct json j;

	/* The server hands over one line, without its newline. */
	if (memchr(data, '\n', size) != NULL || size > WIRE_MAX_LINE)
		return 0;
	req = wire_request((const char *)data, size, &id, &code, &msg);
	if (req == NULL) {
		if (code == NULL || msg.len == 0)
			abort();
		wire_error(&out, id, code, "%s", sb_str(&msg));
		jval_free(check_line(&out));
	} else {
		const char *op = jval_str(req, "op");

		wire_begin(&j, &out, id, true);
		json_key(&j, "result");
		wire_value(&j, req, 0);
		wire_end(&j);
		back = check_line(&out);
		/* The echoed request reads back as a request for the same op. */
		sb_reset(&out);
		json_init(&j, &out, false);
		wire_value(&j, jval_get(back, "result"), 0);
		jval_free(back);
		free(id);
		sb_reset(&msg);
		back = wire_request(out.s, out.len, &id, &code, &msg);
		if (back == NULL || strcmp(jval_str(back, "op"), op) != 0) {
			/* An op with invalid UTF-8 is echoed with U+FFFD: not the same bytes. */
			char *fixed = wire_utf8(op);
			int same = back != NULL && strcmp(jval_str(back, "op"), fixed) == 0;

			free(fixed);
			if (!same)
				abort();
		}
		jval_free(back);
		jval_free(req);
	}
	free(id);
	sb_free(&msg);
	sb_free(&out);
	return 0;
}
