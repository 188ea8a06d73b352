/*
 * lx_run.c: the entry points of script.h: `netsim run FILE.lua`, YAML
 * topologies with Lua (lua:, hooks:, script: - lua:), netsim.load(), and the
 * live-mode calls the console and the daemon use (load, eval, complete).
 *
 * A .lua topology under `netsim run` runs to its end: net:run() advances the
 * simulation. Loaded by the console/daemon (script_load) or by
 * netsim.load("x.lua") from another script, the same file runs in "topology
 * mode": net:run() only builds and starts the network (time 0) and returns,
 * so the host decides when time advances; at(), every(), on() and
 * netsim.command() registrations stay in force.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "../lib/util.h"
#include "../net/converge.h"
#include "../proto/proto.h"
#include "lx.h"

static bool
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* ---- YAML topologies with Lua ------------------------------------------------------------ */

struct item_call {
	struct lx_net *ln;
	const struct script_item *si;
	struct node *n;
};

static int
item_call(lua_State *L)
{
	struct item_call *ic = lua_touserdata(L, 1);
	const char *file = ic->ln->topo->net->file;

	lx_require(L, "netsim");
	lua_getfield(L, -1, "_item");
	lx_pushnet(L, ic->ln);
	lua_pushstring(L, ic->si->lua);
	lua_pushfstring(L, "=%s:%d", file ? file : "?", ic->si->line);
	if (ic->n)
		lx_pushnode(L, ic->ln, ic->n->id, ic->n->name);
	else
		lua_pushnil(L);
	lua_call(L, 4, 0);
	return 0;
}

/* The runner's hook for `script:` entries with `lua:`. */
static int
lua_item(void *arg, const struct script_item *si, struct node *n)
{
	struct lx_net *ln = arg;
	struct item_call ic = {ln, si, n};
	char what[160];

	if (ln->s->slots[ln->slot].ln != ln)
		return 1;
	snprintf(what, sizeof(what), "script entry at %s:%d", ln->net->file ? ln->net->file : "?",
	    si->line);
	return lx_protect(ln->s, item_call, &ic, what) ? 1 : 0;
}

struct attach_call {
	struct lx_net *ln;
};

static int
attach_call(lua_State *L)
{
	struct attach_call *ac = lua_touserdata(L, 1);
	struct topo *t = ac->ln->topo;

	lx_require(L, "netsim");
	lua_getfield(L, -1, "_attach");
	lx_pushnet(L, ac->ln);
	lua_createtable(L, (int)t->nhooks, 0);
	for (size_t i = 0; i < t->nhooks; i++) {
		lua_pushstring(L, t->hook_names[i]);
		lua_rawseti(L, -2, (lua_Integer)(2 * i + 1));
		lua_pushstring(L, t->hook_code[i]);
		lua_rawseti(L, -2, (lua_Integer)(2 * i + 2));
	}
	if (t->lua_file) {
		const char *dir = t->dir ? t->dir : ".";

		if (t->lua_file[0] == '/')
			lua_pushstring(L, t->lua_file);
		else
			lua_pushfstring(L, "%s/%s", dir, t->lua_file);
	} else {
		lua_pushnil(L);
	}
	lua_pushstring(L, t->net->file ? t->net->file : "?");
	lua_call(L, 4, 0);
	return 0;
}

/* Hooks, the topology's Lua file and `lua:` entries; errors go to err, else are raised. */
void
lx_attach_hooks(lua_State *L, struct lx_net *ln, struct strbuf *err)
{
	struct script *s = ln->s;
	struct attach_call ac = {ln};
	struct strbuf why = STRBUF_INIT;

	ln->run->lua_item = lua_item;
	ln->run->lua_arg = ln;
	if (ln->topo->nhooks == 0 && ln->topo->lua_file == NULL)
		return;
	if (err == NULL) {
		lua_pushcfunction(L, attach_call);
		lua_pushlightuserdata(L, &ac);
		lua_call(L, 1, 0);
		return;
	}
	lua_pushcfunction(L, attach_call);
	lua_pushlightuserdata(L, &ac);
	if (lx_pcall_msg(s, 1, 0, &why) != 0)
		sb_printf(err, "error in the Lua of %s (lua:, hooks:): %s",
		    ln->net->file ? ln->net->file : "the topology", sb_str(&why));
	sb_free(&why);
}

int
script_attach(struct script *s, struct runner *r, struct strbuf *err)
{
	struct lx_net *ln;
	size_t before = err->len;

	lx_set_root(s, r->topo->net->file ? r->topo->net->file : ".");
	ln = lx_net_adopt(s, r->topo, r, false);
	lx_attach_hooks(s->L, ln, err);
	return err->len > before ? -1 : 0;
}

/* ---- netsim.load ------------------------------------------------------------------------------ */

/* A scenario loading a topology brings its own schedule: the YAML `script:` is left out. */
static void
drop_script(struct topo *t)
{
	for (size_t i = 0; i < t->nscript; i++) {
		free(t->script[i].at.event);
		free(t->script[i].device);
		free(t->script[i].command);
		free(t->script[i].lua);
	}
	free(t->script);
	t->script = NULL;
	t->nscript = t->scriptcap = 0;
}

/* netsim.load(path [, {script = false}]) */
int
lx_load_lua_topology(lua_State *L)
{
	struct script *s = lx_script(L);
	const char *given = luaL_checkstring(L, 1);
	const char *path;
	struct lx_net *ln;
	bool with_script = false;

	if (lua_istable(L, 2)) {
		lua_getfield(L, 2, "script");
		with_script = lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	path = lx_checkpath(L, given); /* kept alive on the stack */
	if (ends_with(path, ".yaml") || ends_with(path, ".yml")) {
		struct topo_opts to = {.seed = s->o.seed, .seed_set = s->o.seed_set};
		struct strbuf err = STRBUF_INIT;
		struct topo *t = topo_load_yaml(path, &to, &err);

		if (t == NULL) {
			if (err.len && err.s[err.len - 1] == '\n')
				err.s[--err.len] = '\0';
			lua_pushstring(L, sb_str(&err));
			sb_free(&err);
			return lua_error(L);
		}
		sb_free(&err);
		if (!with_script && t->nscript > 0 && s->o.no_topo_script)
			sb_printf(&s->pending, "%s: its script (%zu entr%s) is not run here: `netsim "
			    "console --script %s` runs it before the prompt\n", given, t->nscript,
			    t->nscript == 1 ? "y" : "ies", given);
		if (!with_script)
			drop_script(t);
		ln = lx_net_adopt(s, t, NULL, true);
		lx_attach_hooks(L, ln, NULL);
		lx_pushnet(L, ln);
		return 1;
	}
	if (ends_with(path, ".lua")) {
		bool was = s->loading_topology;
		struct lx_net *before = s->cur;
		int top;

		if (luaL_loadfilex(L, path, "t") != LUA_OK)
			return lua_error(L);
		top = lua_gettop(L) - 1;
		s->loading_topology = true;
		lua_call(L, 0, 1);
		s->loading_topology = was;
		if (luaL_testudata(L, -1, LX_NET))
			return 1;
		if (s->cur != NULL && s->cur != before) {
			lua_settop(L, top);
			lx_pushnet(L, s->cur);
			return 1;
		}
		return luaL_error(L, "%s did not create a network (netsim.network or netsim.load)",
		    path);
	}
	return luaL_error(L, "netsim.load: '%s' is neither a .yaml nor a .lua topology", given);
}

/* ---- netsim run FILE.lua ------------------------------------------------------------------ */

static int run_main(struct script *, const char *path, int nargs);

int
script_run_file(struct script *s, const char *path)
{
	lua_State *L = s->L;

	lx_set_root(s, path);
	if (luaL_loadfilex(L, path, "t") != LUA_OK) {
		lx_report(s, "netsim: %s", lua_tostring(L, -1));
		lua_pop(L, 1);
		return 2;
	}
	lua_pushstring(L, path);
	return run_main(s, path, 1);
}

/*
 * The main chunk (and its nargs arguments) on the stack: run it, then the
 * networks' summaries and failures, and the exit status.
 */
static int
run_main(struct script *s, const char *path, int nargs)
{
	struct strbuf err = STRBUF_INIT;
	int rc = 0;

	/* The main chunk drives the simulation: not counted; its callbacks are (lx_state.c). */
	s->next_free = true;
	if (lx_pcall_msg(s, nargs, 0, &err) != 0) {
		s->failures++;
		lx_report(s, "netsim: %s", sb_str(&err));
	}
	sb_free(&err);
	/* Networks that ran: their summary with the timeline, and their script failures. */
	for (size_t i = 0; i < s->nslots; i++) {
		struct lx_net *ln = s->slots[i].ln;

		if (ln == NULL || ln->run == NULL || !ln->run->started)
			continue;
		if (s->o.timeline && !ln->printed)
			runner_finish(ln->run);
		s->failures += ln->run->failures;
	}
	fflush(s->o.out);
	if (s->expect_pass + s->expect_fail > 0 && !s->o.json)
		fprintf(s->o.out, "expect: %d passed, %d failed\n", s->expect_pass, s->expect_fail);
	if (s->failures)
		rc = 1;
	if (s->failures && !s->o.quiet) {
		fflush(s->o.out);
		fprintf(s->o.err, "netsim: %s: %d failure%s\n", path, s->failures,
		    s->failures == 1 ? "" : "s");
	}
	lx_collect(s);
	return rc;
}

int
script_run_module(struct script *s, const char *module, const char *file)
{
	lua_State *L = s->L;

	lx_set_root(s, file);
	if (luaL_loadstring(L, "return require(...).main()") != LUA_OK)
		bug("script_run_module: %s", lua_tostring(L, -1));
	lua_pushstring(L, module);
	return run_main(s, file, 1);
}

/* ---- live mode: console and daemon ------------------------------------------------------------ */

struct network *
script_network(struct script *s)
{
	return s->cur ? s->cur->net : NULL;
}

static int
load_call(lua_State *L)
{
	const char *path = lua_touserdata(L, 1);

	/*
	 * The daemon runs the topology as designed: its script too; the console
	 * only when asked (--script), so that entries at `converged + 100` or
	 * `2m` do not fire in the middle of interactive work.
	 */
	lua_pushcfunction(L, lx_load_lua_topology);
	lua_pushstring(L, path);
	lua_createtable(L, 0, 1);
	lua_pushboolean(L, !lx_script(L)->o.no_topo_script);
	lua_setfield(L, -2, "script");
	lua_call(L, 2, 1);
	lx_live(L, lx_checknet(L, -1));
	lx_script(L)->cur = lx_checknet(L, -1);
	return 0;
}

struct network *
script_load(struct script *s, const char *path, struct strbuf *err)
{
	lua_State *L = s->L;

	lx_collect(s);
	if (s->cur != NULL)
		lx_net_close(s->cur);
	lx_collect(s);
	lx_set_root(s, path);
	lua_pushcfunction(L, load_call);
	lua_pushlightuserdata(L, (void *)path);
	if (lx_pcall_msg(s, 1, 0, err) != 0) {
		/* The messages carry file:line; a traceback through the loader says nothing more. */
		char *tb = strstr(err->s ? err->s : "", "\nstack traceback:");

		if (tb != NULL) {
			err->len = (size_t)(tb - err->s) + 1;
			err->s[err->len] = '\0';
		}
		/* Whatever the file created before failing is dropped. */
		if (s->cur != NULL)
			lx_net_close(s->cur);
		lx_collect(s);
		return NULL;
	}
	/* A .lua topology's network has no file of its own: it is this one (daemon status). */
	if (s->cur != NULL && s->cur->net != NULL && s->cur->net->file == NULL)
		s->cur->net->file = xstrdup(path);
	return s->cur ? s->cur->net : NULL;
}

struct network *
script_open(struct script *s, const char *path, struct strbuf *err)
{
	char *real = lx_open_path(s, path, err);
	struct network *net;

	if (real == NULL)
		return NULL;
	net = script_load(s, real, err);
	free(real);
	return net;
}

void
script_advance(struct script *s, sim_time until)
{
	struct lx_net *ln = s->cur;

	if (ln == NULL || ln->run == NULL || !ln->run->started)
		return;
	if (until < ln->net->sim.now)
		until = ln->net->sim.now;
	runner_advance(ln->run, until, until);
	lx_collect(s);
}

bool
script_converge(struct script *s, sim_time limit)
{
	struct lx_net *ln = s->cur;
	struct sim *sim;
	sim_time deadline;

	if (ln == NULL || ln->run == NULL || !ln->run->started)
		return false;
	sim = &ln->net->sim;
	deadline = sim->now + limit;
	converge_check(ln->net);
	while (!ln->net->converged && sim->now < deadline)
		if (!sim_step(sim, deadline))
			break;
	lx_collect(s);
	return s->slots[ln->slot].ln == ln && ln->net->converged;
}

bool
script_settle(struct script *s, sim_time limit)
{
	struct lx_net *ln = s->cur;

	if (ln == NULL || ln->run == NULL || !ln->run->started)
		return false;
	runner_advance(ln->run, SIM_NEVER, ln->net->sim.now + limit);
	lx_collect(s);
	return s->slots[ln->slot].ln == ln && ln->net->converged && ln->run->pending == 0;
}

/* The environment of console input: globals, `net`, and the devices by name. */
static void
push_env(lua_State *L, struct script *s)
{
	if (s->cur == NULL) {
		lua_pushglobaltable(L);
		return;
	}
	if (s->cur->env_ref == LUA_NOREF || s->cur->env_ref == LUA_REFNIL) {
		lx_require(L, "netsim");
		lua_getfield(L, -1, "_env");
		lx_pushnet(L, s->cur);
		lua_call(L, 1, 1);
		lua_pushvalue(L, -1);
		s->cur->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
		lua_remove(L, -2);
		return;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->cur->env_ref);
}

static int
env_call(lua_State *L)
{
	push_env(L, lx_script(L));
	return 1;
}

static int
show_call(lua_State *L)
{
	int n = lua_gettop(L);

	lx_require(L, "netsim");
	lua_getfield(L, -1, "inspect");
	for (int i = 1; i <= n; i++) {
		lua_pushvalue(L, -1);
		lua_pushvalue(L, i);
		lua_call(L, 1, 1);
		lua_getglobal(L, "print");
		lua_insert(L, -2);
		lua_call(L, 1, 0);
	}
	return 0;
}

int
script_eval(struct script *s, const char *chunk, const char *name, struct strbuf *out)
{
	lua_State *L = s->L;
	struct strbuf *old = s->sink, err = STRBUF_INIT;
	struct strbuf code = STRBUF_INIT;
	int base, rc = 0, env;
	bool expr = false;

	lx_collect(s);
	s->sink = out;
	lua_pushcfunction(L, env_call);
	if (lx_pcall_msg(s, 0, 1, out) != 0) {
		s->sink = old;
		return -1;
	}
	env = lua_gettop(L);
	while (*chunk == ' ' || *chunk == '\t')
		chunk++;
	if (*chunk == '=') {
		sb_printf(&code, "return %s", chunk + 1);
		expr = true;
	} else {
		sb_printf(&code, "return %s", chunk);
	}
	if (luaL_loadbufferx(L, code.s, code.len, name, "t") != LUA_OK) {
		lua_pop(L, 1);
		if (expr || luaL_loadbufferx(L, chunk, strlen(chunk), name, "t") != LUA_OK) {
			const char *msg = lua_tostring(L, -1);
			size_t len = strlen(msg);

			if (!expr && len >= 5 && strcmp(msg + len - 5, "<eof>") == 0) {
				rc = 1; /* incomplete: the caller reads another line */
			} else {
				lx_out(s, msg, len);
				lx_out(s, "\n", 1);
				rc = -1;
			}
			lua_settop(L, env - 1);
			s->sink = old;
			sb_free(&code);
			return rc;
		}
	}
	sb_free(&code);
	lua_pushvalue(L, env);
	lua_setupvalue(L, -2, 1);
	base = lua_gettop(L) - 1;
	if (lx_pcall_msg(s, 0, LUA_MULTRET, &err) != 0) {
		lx_out(s, err.s, err.len);
		rc = -1;
	} else if (lua_gettop(L) > base) {
		lua_pushcfunction(L, show_call);
		lua_insert(L, base + 1);
		if (lx_pcall_msg(s, lua_gettop(L) - base - 1, 0, &err) != 0) {
			lx_out(s, err.s, err.len);
			rc = -1;
		}
	}
	lua_settop(L, env - 1);
	sb_free(&err);
	lx_out(s, "", 0); /* the timeline of anything the chunk ran */
	s->sink = old;
	lx_collect(s);
	return rc;
}

static int
complete_call(lua_State *L)
{
	const char *prefix = lua_touserdata(L, 1);

	lx_require(L, "netsim");
	lua_getfield(L, -1, "_complete");
	lua_pushstring(L, prefix);
	push_env(L, lx_script(L));
	lua_call(L, 2, 1);
	return 1;
}

char **
script_complete(struct script *s, const char *prefix)
{
	lua_State *L = s->L;
	char **out = NULL;
	size_t n = 0, cap = 0;
	struct strbuf err = STRBUF_INIT;
	int top = lua_gettop(L);

	lua_pushcfunction(L, complete_call);
	lua_pushlightuserdata(L, (void *)prefix);
	if (lx_pcall_msg(s, 1, 1, &err) == 0) {
		if (lua_istable(L, -1))
			for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
				VEC_PUSH(out, n, cap, xstrdup(lua_tostring(L, -1)));
				lua_pop(L, 1);
			}
	}
	lua_settop(L, top);
	sb_free(&err);
	VEC_PUSH(out, n, cap, NULL);
	return out;
}
