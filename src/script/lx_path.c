/*
 * lx_path.c: the files Lua may reach.
 *
 * Sandboxed Lua has no io library; what reads files for it is netsim.load,
 * require of a NAME.lua, a YAML topology's `lua:` file and the console's
 * `load FILE`. Each takes its path through script_path(): the real path
 * (symlinks and `..` resolved) must be under the root, the directory of the
 * topology or scenario the state was loaded with, or, for a scenario given
 * to `netsim run` (o.cwd_files), under the working directory, where the
 * user's own command-line arguments point; a YAML topology's Lua does not
 * get the working directory: the file may be someone else's.
 * A symlink inside the root that points out of it is refused like a `..`
 * that climbs out. `netsim run --unsafe-lua` lifts the rule. See
 * docs/security.md.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"
#include "lx.h"

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == path)
		return xstrdup("/");
	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

void
lx_set_root(struct script *s, const char *file)
{
	char real[PATH_MAX];

	free(s->main_dir);
	s->main_dir = dir_of(file);
	free(s->root);
	s->root = realpath(s->main_dir, real) ? xstrdup(real) : NULL;
}

/* A path as given if it exists, else relative to the scenario's directory. */
static char *
resolve(struct script *s, const char *path)
{
	char *p;

	if (*path == '/' || access(path, F_OK) == 0 || s->main_dir == NULL)
		return xstrdup(path);
	p = xasprintf("%s/%s", s->main_dir, path);
	if (access(p, F_OK) == 0)
		return p;
	free(p);
	return xstrdup(path);
}

static bool
under(const char *path, const char *dir)
{
	size_t n;

	if (dir == NULL)
		return false;
	n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The real path of path (given: as the user wrote it), or NULL with err. */
static char *
real_path(const char *given, const char *path, struct strbuf *err)
{
	char real[PATH_MAX];

	if (realpath(path, real) == NULL) {
		sb_printf(err, "cannot open %s: %s", given, strerror(errno));
		return NULL;
	}
	return xstrdup(real);
}

char *
script_path(struct script *s, const char *given, struct strbuf *err)
{
	char *path = resolve(s, given), *real;

	if (s->o.unsafe_lua)
		return path;
	real = real_path(given, path, err);
	free(path);
	if (real == NULL)
		return NULL;
	if (under(real, s->root) || under(real, s->cwd_root))
		return real;
	free(real);
	sb_printf(err, "'%s' is outside the topology's directory %s: sandboxed Lua reads files "
	    "only under it (docs/security.md)", given, s->root ? s->root : "(none)");
	return NULL;
}

void
script_confine_open(struct script *s, const char *file)
{
	char *dir = dir_of(file), real[PATH_MAX];

	free(s->open_root);
	/* A directory that cannot be resolved confines to nothing: every open is refused. */
	s->open_root = xstrdup(realpath(dir, real) ? real : "");
	free(dir);
}

char *
lx_open_path(struct script *s, const char *given, struct strbuf *err)
{
	char *real;

	if (s->open_root == NULL)
		return xstrdup(given);
	/* Relative to the working directory: the daemon runs a request in its client's. */
	if ((real = real_path(given, given, err)) == NULL) {
		sb_addc(err, '\n');
		return NULL;
	}
	if (s->open_root[0] != '\0' && under(real, s->open_root))
		return real; /* the resolved path: what was checked is what is opened */
	free(real);
	sb_printf(err, "'%s' is outside %s, the directory of the daemon's topology: its "
	    "clients open topologies only under it (docs/security.md)\n", given,
	    s->open_root[0] ? s->open_root : "(unresolved)");
	return NULL;
}

const char *
lx_checkpath(lua_State *L, const char *given)
{
	struct strbuf err = STRBUF_INIT;
	char *path = script_path(lx_script(L), given, &err);

	if (path == NULL) {
		lua_pushstring(L, sb_str(&err));
		sb_free(&err);
		lua_error(L);
	}
	lua_pushstring(L, path);
	free(path);
	return lua_tostring(L, -1);
}
