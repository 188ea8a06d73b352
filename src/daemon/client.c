/*
 * client.c: talking to a daemon over its socket: connect, send one request
 * line, read reply lines (blocking: a client has nothing else to do).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../lib/util.h"
#include "daemon.h"
#include "wire.h"

struct dconn *
client_open(const char *name, int *why, struct strbuf *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct dconn *d;
	char *path;
	int fd;

	*why = DMN_USAGE;
	if (!rundir_name_ok(name, err) || rundir_path(err) == NULL)
		return NULL;
	path = rundir_file(name, "sock");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		sb_printf(err, "socket: %s\n", strerror(errno));
		free(path);
		return NULL;
	}
	while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == ENOENT || errno == ECONNREFUSED) {
			*why = DMN_NODAEMON;
			sb_printf(err, "no daemon named '%s' is running\n", name);
		} else {
			sb_printf(err, "%s: %s\n", path, strerror(errno));
		}
		close(fd);
		free(path);
		return NULL;
	}
	free(path);
	d = xcalloc(1, sizeof(*d));
	d->fd = fd;
	d->timeout_ms = -1;
	return d;
}

void
client_close(struct dconn *d)
{
	if (d == NULL)
		return;
	close(d->fd);
	sb_free(&d->in);
	free(d);
}

int
client_send(struct dconn *d, const char *req, struct strbuf *err)
{
	size_t len = strlen(req), off = 0;
	char *line = xasprintf("%s\n", req);

	len++;
	while (off < len) {
		ssize_t n = send(d->fd, line + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			sb_printf(err, "lost the daemon: %s\n", strerror(errno));
			free(line);
			return -1;
		}
		off += (size_t)n;
	}
	free(line);
	return 0;
}

struct jval *
client_recv(struct dconn *d, struct strbuf *err)
{
	for (;;) {
		char *start = d->in.s ? d->in.s + d->off : NULL;
		size_t avail = d->in.len - d->off;
		char *nl = avail ? memchr(start, '\n', avail) : NULL;
		char buf[65536], perr[128];
		ssize_t n;

		if (nl != NULL) {
			struct jval *v =
			    json_parse(start, (size_t)(nl - start), perr, sizeof(perr));

			d->off += (size_t)(nl - start) + 1;
			if (d->off == d->in.len) {
				sb_reset(&d->in);
				d->off = 0;
			}
			if (v == NULL)
				sb_printf(err, "bad reply from the daemon: %s\n", perr);
			return v;
		}
		if (d->timeout_ms >= 0) {
			struct pollfd p = {.fd = d->fd, .events = POLLIN};
			int k = poll(&p, 1, d->timeout_ms);

			if (k < 0 && errno == EINTR)
				continue;
			if (k == 0) {
				sb_printf(err, "no reply within %d ms\n", d->timeout_ms);
				return NULL;
			}
		}
		n = recv(d->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				sb_printf(err, "lost the daemon: %s\n", strerror(errno));
			else
				sb_add(err, "the daemon closed the connection\n");
			return NULL;
		}
		sb_addn(&d->in, buf, (size_t)n);
	}
}

struct jval *
client_call(struct dconn *d, const char *req, struct strbuf *err)
{
	struct jval *v;

	if (client_send(d, req, err) < 0)
		return NULL;
	while ((v = client_recv(d, err)) != NULL) {
		if (jval_get(v, "ok") != NULL)
			return v;
		jval_free(v); /* a line of a stream opened earlier */
	}
	return NULL;
}

void
client_begin(struct dconn *d, struct json *j, struct strbuf *b, const char *op)
{
	json_init(j, b, false);
	json_obj_begin(j);
	json_kv_int(j, "v", WIRE_VERSION);
	json_kv_int(j, "id", ++d->next_id);
	json_kv_str(j, "op", op);
}

void
client_end(struct json *j)
{
	json_obj_end(j);
}

const char *
client_error(const struct jval *r)
{
	const char *m = jval_str(jval_get(r, "error"), "message");

	return m ? m : "";
}

const char *
client_error_code(const struct jval *r)
{
	return jval_str(jval_get(r, "error"), "code");
}
