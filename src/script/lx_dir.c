/*
 * lx_dir.c: the scenario files of a directory, for `netsim test DIR`, read
 * with LuaFileSystem (lfs) in a separate, unsandboxed state of its own: the
 * listing is the test harness's business, not a scenario's. Without lfs
 * installed, the directory is read with readdir(3).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/util.h"
#include "lx.h"

static bool
wanted(const char *name)
{
	size_t n = strlen(name);

	/* Files starting with '_' are helpers (require "_common"), not scenarios. */
	return n > 4 && strcmp(name + n - 4, ".lua") == 0 && name[0] != '_' && name[0] != '.';
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char lfs_list[] =
	"local lfs, dir = require('lfs'), ...\n"
	"local out = {}\n"
	"for name in lfs.dir(dir) do\n"
	"  if lfs.attributes(dir .. '/' .. name, 'mode') == 'file' then out[#out + 1] = name end\n"
	"end\n"
	"return out\n";

char **
script_list_dir(const char *dir, struct strbuf *err)
{
	char **out = NULL;
	size_t n = 0, cap = 0;
	lua_State *L = luaL_newstate();
	struct stat st;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		sb_printf(err, "%s: not a directory\n", dir);
		lua_close(L);
		return NULL;
	}
	luaL_openlibs(L);
	if (luaL_loadstring(L, lfs_list) == LUA_OK) {
		lua_pushstring(L, dir);
		if (lua_pcall(L, 1, 1, 0) == LUA_OK) {
			for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
				if (wanted(lua_tostring(L, -1)))
					VEC_PUSH(out, n, cap, xstrdup(lua_tostring(L, -1)));
				lua_pop(L, 1);
			}
		} else {
			DIR *d = opendir(dir);
			struct dirent *e;

			while (d && (e = readdir(d)) != NULL)
				if (wanted(e->d_name))
					VEC_PUSH(out, n, cap, xstrdup(e->d_name));
			if (d)
				closedir(d);
		}
	}
	lua_close(L);
	if (n > 1)
		qsort(out, n, sizeof(*out), str_cmp);
	VEC_PUSH(out, n, cap, NULL);
	return out;
}
