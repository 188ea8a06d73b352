/*
 * lx_cli.c: commands from Lua, and Lua commands for everyone.
 *
 *   dev:cmd(line)       -> output text (errors as "% ..." lines), through cli_exec
 *   dev:exec(line)      -> {ok, text, output, error}: the same with its status
 *   dev:cmd_json(line)  -> table (the command's JSON form) | nil, error
 *   net:cmd(line)       network-scope commands (help, and netsim.command ones with on="network")
 *   netsim.command(path, fn, {help, args, on, json})
 *       registers `path` with the one CLI dispatcher (cli_register_dynamic), so it is
 *       listed by `help`, completes, and runs from dev:cmd, `script:` entries, the
 *       console and the daemon like a built-in. fn(dev, args, ctx) returns text, a
 *       table (JSON form; pretty JSON as text), or nil, "error message".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "../net/dist_net.h"
#include "../sim/dist.h"
#include "lx.h"

#define JSON_DEPTH 30

struct lx_cmdreg {
	struct lx_cmdreg *next;
	struct script *s;
	int fn_ref;
	char *path;
};

/* Which script owns a dynamic command now (a later registration replaces an earlier one). */
static struct {
	char *path;
	struct script *s;
} *owners;
static size_t nowners, ownercap;

/* ---- JSON <-> Lua ------------------------------------------------------------------------ */

void
lx_pushjval(lua_State *L, const struct jval *v, int depth)
{
	luaL_checkstack(L, 4, "JSON too deep");
	switch (v->type) {
	case J_NULL:
		lua_pushlightuserdata(L, NULL);
		break;
	case J_BOOL:
		lua_pushboolean(L, v->b);
		break;
	case J_NUM:
		if (v->num == floor(v->num) && fabs(v->num) < 9.0e15)
			lua_pushinteger(L, (lua_Integer)v->num);
		else
			lua_pushnumber(L, v->num);
		break;
	case J_STR:
		lua_pushstring(L, v->str);
		break;
	case J_ARR:
		lua_createtable(L, (int)v->n, 0);
		for (size_t i = 0; i < v->n; i++) {
			lx_pushjval(L, v->elem[i], depth + 1);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		break;
	case J_OBJ:
		lua_createtable(L, 0, (int)v->n);
		for (size_t i = 0; i < v->n; i++) {
			if (v->elem[i]->type == J_NULL)
				continue; /* absent, as Lua has it */
			lx_pushjval(L, v->elem[i], depth + 1);
			lua_setfield(L, -2, v->keys[i]);
		}
		break;
	}
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A Lua value as JSON: tables with keys 1..n are arrays (an empty one too when
 * its metatable has __jsonarray: netsim.array), others objects with sorted keys. Never raises (it owns memory on the way down): false when the
 * value was nested too deeply, and the caller raises after cleaning up.
 */
bool
lx_tojson(lua_State *L, int idx, struct json *j, int depth)
{
	struct lx_ref *r;
	bool ok = true;

	idx = lua_absindex(L, idx);
	if (depth > JSON_DEPTH || !lua_checkstack(L, 4)) {
		json_null(j);
		return false;
	}
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
	case LUA_TNONE:
		json_null(j);
		return true;
	case LUA_TLIGHTUSERDATA:
		json_null(j);
		return true;
	case LUA_TBOOLEAN:
		json_bool(j, lua_toboolean(L, idx));
		return true;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx))
			json_int(j, (int64_t)lua_tointeger(L, idx));
		else if (isfinite(lua_tonumber(L, idx)))
			json_double(j, (double)lua_tonumber(L, idx));
		else
			json_null(j);
		return true;
	case LUA_TSTRING:
		json_str(j, lua_tostring(L, idx));
		return true;
	case LUA_TUSERDATA:
		if ((r = luaL_testudata(L, idx, LX_NODE)) || (r = luaL_testudata(L, idx, LX_IFACE)) ||
		    (r = luaL_testudata(L, idx, LX_LINK)) || (r = luaL_testudata(L, idx, LX_NET))) {
			json_str(j, r->name);
			return true;
		}
		/* fall through */
	default:
		if (lua_type(L, idx) != LUA_TTABLE) {
			json_str(j, luaL_typename(L, idx));
			return true;
		}
	}
	{
		lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
		char **keys;
		size_t k = 0;

		lua_pushnil(L);
		while (lua_next(L, idx)) {
			count++;
			lua_pop(L, 1);
		}
		/* An empty table is {} unless marked as a list (netsim.array). */
		if (count == n && (n > 0 || luaL_getmetafield(L, idx, "__jsonarray") != LUA_TNIL)) {
			if (n == 0)
				lua_pop(L, 1);
			json_arr_begin(j);
			for (lua_Integer i = 1; i <= n && ok; i++) {
				lua_rawgeti(L, idx, i);
				ok = lx_tojson(L, -1, j, depth + 1);
				lua_pop(L, 1);
			}
			json_arr_end(j);
			return ok;
		}
		keys = xcalloc((size_t)count + 1, sizeof(*keys));
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			if (lua_type(L, -2) == LUA_TSTRING || lua_type(L, -2) == LUA_TNUMBER) {
				lua_pushvalue(L, -2);
				keys[k++] = xstrdup(lua_tostring(L, -1));
				lua_pop(L, 1);
			}
			lua_pop(L, 1);
		}
		qsort(keys, k, sizeof(*keys), str_cmp);
		json_obj_begin(j);
		for (size_t i = 0; i < k; i++) {
			json_key(j, keys[i]);
			lua_pushstring(L, keys[i]);
			if (lua_rawget(L, idx) == LUA_TNIL) {
				/* A numeric key: look it up as a number. */
				lua_pop(L, 1);
				lua_pushnumber(L, strtod(keys[i], NULL));
				lua_rawget(L, idx);
			}
			free(keys[i]);
			keys[i] = NULL;
			if (ok)
				ok = lx_tojson(L, -1, j, depth + 1);
			else
				json_null(j);
			lua_pop(L, 1);
		}
		json_obj_end(j);
		free(keys);
		return ok;
	}
}

static const char too_deep[] = "value nested too deeply for JSON (a table that contains itself?)";

/* netsim.json(value [, pretty]) -> text; netsim.json_decode(text) -> value */
static int
l_json(lua_State *L)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;

	json_init(&j, &b, lua_toboolean(L, 2));
	if (!lx_tojson(L, 1, &j, 0)) {
		sb_free(&b);
		return luaL_error(L, too_deep);
	}
	lua_pushlstring(L, sb_str(&b), b.len);
	sb_free(&b);
	return 1;
}

static int
l_json_decode(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	char err[128];
	struct jval *v = json_parse(s, len, err, sizeof(err));

	if (v == NULL) {
		lua_pushnil(L);
		lua_pushstring(L, err);
		return 2;
	}
	lx_pushjval(L, v, 0);
	jval_free(v);
	return 1;
}

/* ---- running commands --------------------------------------------------------------------- */

int
lx_node_cmd(lua_State *L, struct network *net, struct node *n, const char *line, bool json,
    bool full_result)
{
	struct cli_ctx c;
	char *full = NULL;

	if (json) {
		size_t len = strlen(line);

		while (len > 0 && line[len - 1] == ' ')
			len--;
		if (len < 4 || strcmp(line + len - 4, "json") != 0)
			line = full = xasprintf("%.*s json", (int)len, line);
	}
	cli_ctx_init(&c, net, n);
	cli_exec(&c, line);
	free(full);
	if (json) {
		char err[128];
		struct jval *v;

		if (c.status != 0) {
			lua_pushnil(L);
			lua_pushstring(L, c.err.len ? sb_str(&c.err) : "command failed");
			cli_ctx_free(&c);
			return 2;
		}
		if ((v = json_parse(c.out.s ? c.out.s : "", c.out.len, err, sizeof(err))) == NULL) {
			lua_pushnil(L);
			lua_pushfstring(L, "output is not JSON: %s", err);
			cli_ctx_free(&c);
			return 2;
		}
		lx_pushjval(L, v, 0);
		jval_free(v);
		cli_ctx_free(&c);
		return 1;
	}
	lua_pushfstring(L, "%s%s", sb_str(&c.out), sb_str(&c.err));
	if (!full_result) {
		cli_ctx_free(&c);
		return 1;
	}
	lua_createtable(L, 0, 4);
	lua_insert(L, -2);
	lua_setfield(L, -2, "text");
	lua_pushstring(L, sb_str(&c.out));
	lua_setfield(L, -2, "output");
	lua_pushboolean(L, c.status == 0);
	lua_setfield(L, -2, "ok");
	lua_pushstring(L, sb_str(&c.err));
	lua_setfield(L, -2, "error");
	cli_ctx_free(&c);
	return 1;
}

static int
l_node_cmd(lua_State *L)
{
	struct lx_net *ln;
	struct node *n = lx_checknode(L, 1, &ln);

	return lx_node_cmd(L, ln->net, n, luaL_checkstring(L, 2), false, false);
}

/* dev:exec(line) -> {ok, text, output, error}: the command with its status. */
static int
l_node_exec(lua_State *L)
{
	struct lx_net *ln;
	struct node *n = lx_checknode(L, 1, &ln);

	return lx_node_cmd(L, ln->net, n, luaL_checkstring(L, 2), false, true);
}

static int
l_node_cmd_json(lua_State *L)
{
	struct lx_net *ln;
	struct node *n = lx_checknode(L, 1, &ln);

	return lx_node_cmd(L, ln->net, n, luaL_checkstring(L, 2), true, false);
}

static int
l_net_cmd(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	return lx_node_cmd(L, lx_live(L, ln), NULL, luaL_checkstring(L, 2), false, false);
}

static int
l_net_cmd_json(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	return lx_node_cmd(L, lx_live(L, ln), NULL, luaL_checkstring(L, 2), true, false);
}

/* ---- Lua-defined commands ----------------------------------------------------------------- */

struct cmd_call {
	struct lx_cmdreg *reg;
	struct cli_ctx *c;
	int argc;
	char **argv;
};

static int
cmd_call(lua_State *L)
{
	struct cmd_call *cc = lua_touserdata(L, 1);
	struct cli_ctx *c = cc->c;
	struct lx_net *ln = lx_net_of(cc->reg->s, c->net);

	lua_rawgeti(L, LUA_REGISTRYINDEX, cc->reg->fn_ref);
	if (ln && c->node)
		lx_pushnode(L, ln, c->node->id, c->node->name);
	else
		lua_pushnil(L);
	lua_createtable(L, cc->argc, 0);
	for (int i = 0; i < cc->argc; i++) {
		lua_pushstring(L, cc->argv[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_createtable(L, 0, 3);
	lua_pushboolean(L, c->json);
	lua_setfield(L, -2, "json");
	lua_pushstring(L, cc->reg->path);
	lua_setfield(L, -2, "command");
	if (ln) {
		lx_pushnet(L, ln);
		lua_setfield(L, -2, "network");
	}
	lua_call(L, 3, 2);
	if (lua_isnil(L, -2) && !lua_isnil(L, -1)) {
		cli_fail(c, "%s", luaL_tolstring(L, -1, NULL));
		return 0;
	}
	lua_pop(L, 1);
	switch (lua_type(L, -1)) {
	case LUA_TNIL:
		if (c->json)
			json_null(&c->j);
		break;
	case LUA_TSTRING:
		if (c->json) {
			json_str(&c->j, lua_tostring(L, -1));
		} else {
			sb_add(&c->out, lua_tostring(L, -1));
			if (c->out.len > 0 && c->out.s[c->out.len - 1] != '\n')
				sb_addc(&c->out, '\n');
		}
		break;
	case LUA_TTABLE:
		if (c->json) {
			if (!lx_tojson(L, -1, &c->j, 0))
				return luaL_error(L, too_deep);
		} else {
			struct json j;

			json_init(&j, &c->out, true);
			if (!lx_tojson(L, -1, &j, 0))
				return luaL_error(L, too_deep);
			sb_addc(&c->out, '\n');
		}
		break;
	default:
		if (c->json)
			lx_tojson(L, -1, &c->j, 0);
		else
			sb_printf(&c->out, "%s\n", luaL_tolstring(L, -1, NULL));
	}
	return 0;
}

static int
cmd_handler(struct cli_ctx *c, int argc, char **argv)
{
	struct lx_cmdreg *reg = cli_cmd_arg(c->cmd);
	struct script *s = reg->s;
	struct cmd_call cc = {reg, c, argc, argv};
	struct strbuf *old = s->sink, err = STRBUF_INIT;

	/*
	 * Under mpirun Lua runs on every rank alike: so does a command defined
	 * in it (runner_entry_dist), in global context. Should a device's rank
	 * ever run one alone (inside a read or change of its device), the
	 * ranks' Lua would part: refused, as a failed command, alike there.
	 */
	if (dist_on() && dist_alone())
		return cli_fail(c, "'%s' is defined in Lua: under mpirun it runs on every rank, "
		    "not inside a device's command (docs/distributed.md)", reg->path);
	/* print() inside the handler is part of the command's output (text form). */
	if (!c->json)
		s->sink = &c->out;
	lua_pushcfunction(s->L, cmd_call);
	lua_pushlightuserdata(s->L, &cc);
	if (lx_pcall_msg(s, 1, 0, &err) != 0) {
		if (err.len && err.s[err.len - 1] == '\n')
			err.s[--err.len] = '\0';
		cli_fail(c, "error in command '%s': %s", reg->path, sb_str(&err));
	}
	s->sink = old;
	sb_free(&err);
	return c->status;
}

static unsigned
scope_flag(lua_State *L, const char *s)
{
	if (strcmp(s, "router") == 0)
		return CLI_ROUTER;
	if (strcmp(s, "host") == 0)
		return CLI_HOST;
	if (strcmp(s, "switch") == 0)
		return CLI_SWITCH;
	if (strcmp(s, "device") == 0)
		return CLI_DEV;
	if (strcmp(s, "network") == 0)
		return CLI_NET;
	if (strcmp(s, "all") == 0)
		return CLI_DEV | CLI_NET;
	return (unsigned)luaL_error(L, "netsim.command: bad 'on' value '%s' (router, host, switch, "
	    "device, network or all)", s);
}

static void
owner_set(const char *path, struct script *s)
{
	for (size_t i = 0; i < nowners; i++)
		if (strcmp(owners[i].path, path) == 0) {
			owners[i].s = s;
			return;
		}
	grow_array((void **)&owners, &ownercap, nowners + 1, sizeof(*owners));
	owners[nowners].path = xstrdup(path);
	owners[nowners++].s = s;
}

static void
unregister(struct script *s, const char *path)
{
	for (size_t i = 0; i < nowners; i++) {
		if (strcmp(owners[i].path, path) != 0)
			continue;
		if (owners[i].s == s) {
			cli_unregister_dynamic(path);
			free(owners[i].path);
			owners[i] = owners[--nowners];
		}
		return;
	}
}

static void
reg_drop(struct script *s, const char *path)
{
	for (struct lx_cmdreg **pp = &s->cmds; *pp; pp = &(*pp)->next) {
		struct lx_cmdreg *r = *pp;

		if (strcmp(r->path, path) != 0)
			continue;
		*pp = r->next;
		unregister(s, r->path);
		luaL_unref(s->L, LUA_REGISTRYINDEX, r->fn_ref);
		free(r->path);
		free(r);
		return;
	}
}

/* netsim.command(path, fn [, {help=, args=, on=, json=}]); fn nil removes the command. */
static int
l_command(lua_State *L)
{
	struct script *s = lx_script(L);
	const char *path = luaL_checkstring(L, 1);
	struct cli_cmd cmd = {0};
	struct lx_cmdreg *reg;
	struct strbuf norm = STRBUF_INIT;
	char **argv;
	int argc;

	/* Options first: they may raise, and nothing is allocated yet. */
	if (!lua_isnil(L, 2)) {
		luaL_checktype(L, 2, LUA_TFUNCTION);
		cmd.flags = CLI_DEV | CLI_NET | CLI_JSON;
		cmd.help = "(Lua)";
		cmd.args = "[ARGS...]"; /* Lua handlers get whatever follows */
		if (lua_istable(L, 3)) {
			lua_getfield(L, 3, "help");
			cmd.help = luaL_optstring(L, -1, cmd.help);
			lua_getfield(L, 3, "args");
			cmd.args = luaL_optstring(L, -1, cmd.args);
			lua_getfield(L, 3, "on");
			if (lua_type(L, -1) == LUA_TSTRING) {
				cmd.flags = scope_flag(L, lua_tostring(L, -1)) | CLI_JSON;
			} else if (lua_istable(L, -1)) {
				cmd.flags = CLI_JSON;
				for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
					cmd.flags |= scope_flag(L, lua_tostring(L, -1));
					lua_pop(L, 1);
				}
				lua_pop(L, 1);
			}
			lua_getfield(L, 3, "json");
			if (lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1))
				cmd.flags &= ~(unsigned)CLI_JSON;
			lua_pop(L, 4);
		}
	}
	argc = cli_split(path, &argv);
	for (int i = 0; i < argc; i++) {
		for (const char *c = argv[i]; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
			    *c == '_')) {
				cli_free_words(argc, argv);
				sb_free(&norm);
				return luaL_argerror(L, 1, "command words are lower-case letters, digits, "
				    "'-' and '_'");
			}
		sb_printf(&norm, "%s%s", i ? " " : "", argv[i]);
	}
	cli_free_words(argc, argv);
	if (argc == 0 || argc > 8 || strcmp(sb_str(&norm), "json") == 0) {
		sb_free(&norm);
		return luaL_argerror(L, 1, "expected a command path such as \"show fabric health\"");
	}
	if (lua_isnil(L, 2)) {
		reg_drop(s, sb_str(&norm));
		sb_free(&norm);
		return 0;
	}
	/* Everything that can raise is done: now change the CLI. */
	reg_drop(s, sb_str(&norm));
	reg = xcalloc(1, sizeof(*reg));
	reg->s = s;
	reg->path = sb_steal(&norm);
	lua_pushvalue(L, 2);
	reg->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	reg->next = s->cmds;
	s->cmds = reg;
	cmd.path = reg->path;
	cmd.fn = cmd_handler;
	cli_register_dynamic(&cmd, reg);
	owner_set(reg->path, s);
	return 0;
}

void
lx_cmds_free(struct script *s)
{
	while (s->cmds)
		reg_drop(s, s->cmds->path);
}

int
luaopen_netsim_cli(lua_State *L)
{
	static const luaL_Reg core[] = {
		{"command", l_command}, {"json", l_json}, {"json_decode", l_json_decode},
		{NULL, NULL},
	};
	static const luaL_Reg node_methods[] = {
		{"cmd", l_node_cmd}, {"cmd_json", l_node_cmd_json}, {"exec", l_node_exec},
		{NULL, NULL},
	};
	static const luaL_Reg net_methods[] = {
		{"cmd", l_net_cmd}, {"cmd_json", l_net_cmd_json}, {NULL, NULL},
	};

	/* The netsim.core table is on the top of the stack. */
	luaL_setfuncs(L, core, 0);
	lua_pushlightuserdata(L, NULL);
	lua_setfield(L, -2, "null");
	lx_addmethods(L, LX_NODE, node_methods);
	lx_addmethods(L, LX_NET, net_methods);
	return 0;
}
