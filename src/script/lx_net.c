/*
 * lx_net.c: networks in Lua: creating (netsim.network, netsim.load),
 * building from the Lua description through the same cfg tree and builder
 * as YAML, starting and running (through the runner of src/cmd/runner.c),
 * time (now, at, after, every) and events (on, signal).
 *
 * Lifetime: a network belongs to the script until net:close() or the end of
 * the script. Closing invalidates its slot at once (handles raise errors) but
 * frees memory only at a safe point (lx_collect), because a callback of that
 * network may be running.
 */
#include <stdlib.h>
#include <string.h>

#include "../topo/runner.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "../net/converge.h"
#include "../net/dist_net.h"
#include "../sim/dist.h"
#include "../proto/proto.h"
#include "../lib/cfg.h"
#include "lx.h"

struct lx_timer {
	struct timer t;
	struct lx_net *ln;
	struct lx_timer *next, *prev; /* ln->timers: unlinking is O(1) with thousands pending */
	uint64_t id;
	int fn_ref;
	sim_time period;      /* every(): 0 for one-shots */
	int64_t left;         /* every(): runs left, -1 forever */
	struct at_spec at;    /* what it waits for before it is armed */
	bool armed, waiting, counted, done, firing;
	char where[96];
};

struct lx_sub {
	struct lx_sub *next;
	uint64_t id;
	int kind;             /* event kind, or -1 for a named signal */
	char *name;
	int fn_ref;
	bool dead;
	char where[96];
};

static struct lx_net **closed;
static size_t nclosed, closedcap;

/* ---- slots and handles ---------------------------------------------------------------- */

struct lx_net *
lx_net_get(struct script *s, uint32_t slot, uint32_t gen)
{
	if (slot >= s->nslots || s->slots[slot].gen != gen)
		return NULL;
	return s->slots[slot].ln;
}

struct lx_net *
lx_net_of(struct script *s, const struct network *net)
{
	for (size_t i = 0; i < s->nslots; i++)
		if (s->slots[i].ln && s->slots[i].ln->net == net && net != NULL)
			return s->slots[i].ln;
	return NULL;
}

struct lx_net *
lx_net_new(struct script *s, const char *name)
{
	lua_State *L = s->L;
	struct lx_net *ln = xcalloc(1, sizeof(*ln));
	struct lx_ref *r;
	size_t slot;

	for (slot = 0; slot < s->nslots; slot++)
		if (s->slots[slot].ln == NULL)
			break;
	if (slot == s->nslots)
		VEC_PUSH(s->slots, s->nslots, s->slotcap, ((struct lx_slot){NULL, 1}));
	s->slots[slot].ln = ln;
	ln->s = s;
	ln->slot = (uint32_t)slot;
	ln->name = xstrdup(name);
	ln->ev_handle = -1;
	ln->next_id = 1;
	ln->env_ref = LUA_NOREF;
	rng_seed(&ln->rng, s->o.seed, 0);
	r = lx_newref(L, ln, LX_NET, 1, 0, 0);
	snprintf(r->name, sizeof(r->name), "%s", name);
	/* Its data: the Lua description, handle caches. */
	lua_newtable(L);
	lua_newtable(L);
	lua_setfield(L, -2, "nodes");
	lua_newtable(L);
	lua_setfield(L, -2, "links");
	lua_newtable(L);
	lua_setfield(L, -2, "ifaces");
	lua_setiuservalue(L, -2, 1);
	ln->ud_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	s->cur = ln;
	return ln;
}

void
lx_pushnet(lua_State *L, struct lx_net *ln)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, ln->ud_ref);
}

void
lx_pushdata(lua_State *L, struct lx_net *ln)
{
	lx_pushnet(L, ln);
	lua_getiuservalue(L, -1, 1);
	lua_remove(L, -2);
}

struct lx_net *
lx_checknet(lua_State *L, int idx)
{
	struct lx_ref *r = luaL_checkudata(L, idx, LX_NET);
	struct lx_net *ln = lx_net_get(lx_script(L), r->slot, r->gen);

	if (ln == NULL)
		luaL_error(L, "network '%s' was closed: its handles can no longer be used", r->name);
	return ln;
}

static void
update_mask(struct lx_net *ln)
{
	unsigned mask = 0;

	if (ln->net == NULL || ln->ev_handle < 0)
		return;
	for (struct lx_timer *t = ln->timers; t; t = t->next) {
		if (!t->waiting)
			continue;
		if (t->at.kind == AT_CONVERGED)
			mask |= 1u << EV_CONVERGED;
		else if (ev_kind_parse(t->at.event) >= 0)
			mask |= 1u << ev_kind_parse(t->at.event);
	}
	for (struct lx_sub *u = ln->subs; u; u = u->next)
		if (!u->dead && u->kind >= 0)
			mask |= 1u << u->kind;
	ln->net->subs[ln->ev_handle].mask = mask;
}

static void
timer_free(struct lx_net *ln, struct lx_timer *t)
{
	if (timer_pending(&t->t))
		theap_remove(t->t.in, &t->t);
	if (t->counted && ln->run) {
		ln->run->extra_pending--;
		t->counted = false;
	}
	luaL_unref(ln->s->L, LUA_REGISTRYINDEX, t->fn_ref);
	free(t->at.event);
	free(t);
}

static void
unlink_timer(struct lx_net *ln, struct lx_timer *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		ln->timers = t->next;
	if (t->next)
		t->next->prev = t->prev;
	timer_free(ln, t);
}

static void
free_net(struct lx_net *ln)
{
	struct script *s = ln->s;

	while (ln->timers) {
		struct lx_timer *t = ln->timers;

		ln->timers = t->next;
		timer_free(ln, t);
	}
	while (ln->subs) {
		struct lx_sub *u = ln->subs;

		ln->subs = u->next;
		luaL_unref(s->L, LUA_REGISTRYINDEX, u->fn_ref);
		free(u->name);
		free(u);
	}
	lx_stream_free_all(ln);
	if (ln->net && ln->ev_handle >= 0)
		ev_unsubscribe(ln->net, ln->ev_handle);
	if (ln->own_runner && ln->run) {
		runner_free(ln->run);
		free(ln->run);
	}
	if (ln->fifo_open)
		fclose(ln->fifo);
	free(ln->fifo_buf);
	if (ln->own_topo)
		topo_free(ln->topo);
	luaL_unref(s->L, LUA_REGISTRYINDEX, ln->ud_ref);
	luaL_unref(s->L, LUA_REGISTRYINDEX, ln->env_ref);
	free(ln->name);
	free(ln);
}

void
lx_net_close(struct lx_net *ln)
{
	struct script *s = ln->s;

	if (s->slots[ln->slot].ln != ln)
		return;
	/* Anything the host printed for it (live mode) is kept. */
	if (ln->fifo_open) {
		fclose(ln->fifo);
		sb_addn(&s->pending, ln->fifo_buf, ln->fifo_len);
		free(ln->fifo_buf);
		ln->fifo_buf = NULL;
		ln->fifo_open = false;
		if (ln->run)
			ln->run->out = stderr;
	}
	s->slots[ln->slot].ln = NULL;
	s->slots[ln->slot].gen++;
	if (s->cur == ln)
		s->cur = NULL;
	VEC_PUSH(closed, nclosed, closedcap, ln);
	if (s->depth == 0)
		lx_collect(s);
}

void
lx_collect(struct script *s)
{
	size_t keep = 0;

	for (size_t i = 0; i < nclosed; i++) {
		if (closed[i]->s == s)
			free_net(closed[i]);
		else
			closed[keep++] = closed[i];
	}
	nclosed = keep;
}

/* ---- building and starting -------------------------------------------------------------- */

static void
seed_rng(struct lx_net *ln)
{
	rng_seed(&ln->rng, ln->net->seed, 0);
}

static void on_event(struct network *, const struct net_ev *, void *);
static void arm(struct lx_net *, struct lx_timer *, sim_time when);

/* Common to built, loaded and attached networks: the runner, the event feed, pending timers. */
static void
bind(struct lx_net *ln, struct runner *run)
{
	struct script *s = ln->s;

	ln->net = ln->topo->net;
	free(ln->name);
	ln->name = xstrdup(ln->net->name);
	seed_rng(ln);
	if (run != NULL) {
		ln->run = run;
	} else {
		struct runner_opts ro = {.until = SIM_NEVER};
		FILE *out = s->o.out;

		ro.quiet = s->o.mode == SCRIPT_RUN ? !s->o.timeline : false;
		if (s->o.mode == SCRIPT_LIVE) {
			ln->fifo = open_memstream(&ln->fifo_buf, &ln->fifo_len);
			if (ln->fifo == NULL)
				fatalx("open_memstream failed");
			ln->fifo_open = true;
			out = ln->fifo;
		}
		ln->run = xcalloc(1, sizeof(*ln->run));
		runner_init(ln->run, ln->topo, &ro, out);
		ln->own_runner = true;
	}
	ln->ev_handle = ev_subscribe(ln->net, 0, on_event, ln);
	for (struct lx_timer *t = ln->timers; t; t = t->next) {
		if (!t->armed && !t->waiting && !t->done)
			arm(ln, t, t->t.when);
		if (!t->done && !t->counted && t->period == 0) {
			t->counted = true;
			ln->run->extra_pending++;
		}
	}
	update_mask(ln);
}

struct lx_net *
lx_net_adopt(struct script *s, struct topo *t, struct runner *run, bool own)
{
	struct lx_net *ln = lx_net_new(s, t->net->name);
	lua_State *L = s->L;

	ln->topo = t;
	ln->own_topo = own;
	bind(ln, run);
	lx_pushdata(L, ln);
	lua_pushstring(L, t->net->file ? t->net->file : "?");
	lua_setfield(L, -2, "file");
	lua_pop(L, 1);
	return ln;
}

static void
build(lua_State *L, struct lx_net *ln)
{
	struct script *s = ln->s;
	struct topo_opts to = {.seed = s->o.seed, .seed_set = s->o.seed_set};
	struct cfg_doc *doc;
	struct topo *t;
	const char *file;
	int data, line;

	lx_pushdata(L, ln);
	data = lua_gettop(L);
	if (lua_getfield(L, data, "spec") != LUA_TTABLE)
		luaL_error(L, "network '%s' has no description to build", ln->name);
	lua_getfield(L, data, "file");
	file = lua_tostring(L, -1);
	lua_getfield(L, data, "line");
	line = (int)lua_tointeger(L, -1);
	lua_getfield(L, data, "pos");
	doc = cfg_doc_new(file ? file : "?");
	doc->root = lx_tocfg(L, data + 1, doc, line, data + 4, 0, NULL);
	t = doc->nerrors == 0 ? topo_build(doc, &to) : NULL;
	if (t == NULL) {
		lua_pushstring(L, sb_str(&doc->errors));
		cfg_doc_free(doc);
		/* Strip the last newline: the message reads as one Lua error. */
		lua_getglobal(L, "string");
		lua_getfield(L, -1, "gsub");
		lua_pushvalue(L, -3);
		lua_pushliteral(L, "\n$");
		lua_pushliteral(L, "");
		lua_call(L, 3, 1);
		lua_error(L);
	}
	cfg_doc_free(doc);
	if (file) {
		const char *slash = strrchr(file, '/');

		t->dir = slash ? xstrndup(file, (size_t)(slash - file)) : xstrdup(".");
	}
	lua_settop(L, data - 1);
	ln->topo = t;
	ln->own_topo = true;
	bind(ln, NULL);
	lx_attach_hooks(L, ln, NULL);
}

void
lx_net_started(struct lx_net *ln)
{
	if (!ln->run->started)
		runner_start(ln->run);
}

struct network *
lx_live(lua_State *L, struct lx_net *ln)
{
	if (ln->topo == NULL)
		build(L, ln);
	if (ln->own_runner && !ln->run->started)
		lx_dist_start(L, ln);
	lx_net_started(ln);
	return ln->net;
}

static uint64_t ctrl_sent(const struct network *);

/* A disturbance made from Lua: convergence is measured from here (net:run_until_converged). */
void
lx_net_mark(struct lx_net *ln)
{
	struct network *net = ln->net;

	if (net == NULL)
		return;
	/* Several actions at one instant are one disturbance, counted from the first. */
	if (ln->mark == net->sim.now && ln->mark_frames != 0)
		return;
	ln->mark = net->sim.now;
	ln->mark_changes = net->rib_changes;
	ln->mark_msgs = ctrl_sent(net);
	ln->mark_frames = net->sim.msgs + 1;
}

/* ---- timers ------------------------------------------------------------------------------ */

static int
timer_call(lua_State *L)
{
	struct lx_timer *t = lua_touserdata(L, 1);

	lua_rawgeti(L, LUA_REGISTRYINDEX, t->fn_ref);
	lx_pushnet(L, t->ln);
	lua_call(L, 1, 0);
	return 0;
}

static void
timer_fire(struct timer *tm)
{
	struct lx_timer *t = container_of(tm, struct lx_timer, t);
	struct lx_net *ln = t->ln;
	struct script *s = ln->s;
	char what[160];

	if (s->slots[ln->slot].ln != ln)
		return;
	if (t->period > 0) {
		if (t->left > 0)
			t->left--;
		if (t->left != 0)
			sim_global_at(&ln->net->sim, &t->t, ln->net->sim.now + t->period);
		else
			t->done = true;
	} else {
		t->done = true;
		if (t->counted) {
			ln->run->extra_pending--;
			t->counted = false;
		}
	}
	snprintf(what, sizeof(what), "%s callback (%s)", t->period ? "every()" : "at()", t->where);
	t->firing = true;
	lx_protect(s, timer_call, t, what);
	t->firing = false;
	if (t->done && s->slots[ln->slot].ln == ln)
		unlink_timer(ln, t);
}

static void
arm(struct lx_net *ln, struct lx_timer *t, sim_time when)
{
	t->t.when = when;
	if (ln->net == NULL)
		return; /* armed by bind() once the network exists */
	t->armed = true;
	t->waiting = false;
	sim_global_at(&ln->net->sim, &t->t, when);
}

static struct lx_timer *
timer_new(lua_State *L, struct lx_net *ln, int fn_idx)
{
	struct lx_timer *t;

	luaL_checktype(L, fn_idx, LUA_TFUNCTION);
	t = xcalloc(1, sizeof(*t));
	timer_init(&t->t, NULL, timer_fire, t);
	t->ln = ln;
	t->id = ln->next_id++;
	t->left = -1;
	lua_pushvalue(L, fn_idx);
	t->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lx_where(L, t->where, sizeof(t->where));
	t->next = ln->timers;
	if (ln->timers)
		ln->timers->prev = t;
	ln->timers = t;
	return t;
}

static int
push_timer(lua_State *L, struct lx_net *ln, struct lx_timer *t)
{
	struct lx_ref *r = lx_newref(L, ln, LX_TIMER, 0, (uint32_t)t->id, 0);

	snprintf(r->name, sizeof(r->name), "%.60s", t->where);
	return 1;
}

static sim_time
now_of(struct lx_net *ln)
{
	return ln->net ? ln->net->sim.now : 0;
}

/* "NAME [+ d]" for a name of net:signal() (at_parse knows the event kinds only). */
static bool
signal_parse(const char *w, struct at_spec *at)
{
	const char *p = w;
	size_t len;

	while (*p == ' ')
		p++;
	len = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_-");
	if (len == 0 || len > 60 || (*p >= '0' && *p <= '9'))
		return false;
	memset(at, 0, sizeof(*at));
	at->kind = AT_EVENT;
	at->event = xstrndup(p, len);
	p += len;
	while (*p == ' ')
		p++;
	if (*p == '+') {
		p++;
		while (*p == ' ')
			p++;
		at->offset = sim_time_parse(p);
	} else if (*p != '\0') {
		at->offset = -1;
	}
	if (at->offset < 0) {
		free(at->event);
		at->event = NULL;
		return false;
	}
	return true;
}

/* net:at(when, fn): when = ms or "500ms" (absolute), "converged [+ d]", "EVENT [+ d]". */
static int
l_at(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	struct at_spec at = {0};
	struct lx_timer *t;

	if (lua_type(L, 2) == LUA_TNUMBER) {
		at.kind = AT_TIME;
		at.offset = lx_checktime(L, 2);
	} else {
		const char *w = luaL_checkstring(L, 2);

		if (!at_parse(w, &at) && !signal_parse(w, &at))
			return luaL_argerror(L, 2, lua_pushfstring(L, "bad time '%s' (expected 500ms, 2s, "
			    "converged, converged + 100ms, or EVENT + 1s)", w));
	}
	t = timer_new(L, ln, 3);
	t->at = at;
	if (at.kind == AT_TIME) {
		arm(ln, t, at.offset);
	} else {
		t->waiting = true;
		update_mask(ln);
	}
	if (ln->run) {
		t->counted = true;
		ln->run->extra_pending++;
	}
	return push_timer(L, ln, t);
}

static int
l_after(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	sim_time d = lx_checktime(L, 2);
	struct lx_timer *t = timer_new(L, ln, 3);

	t->at.kind = AT_TIME;
	arm(ln, t, now_of(ln) + d);
	if (ln->run) {
		t->counted = true;
		ln->run->extra_pending++;
	}
	return push_timer(L, ln, t);
}

/* net:every(period, fn [, {count = N, start = d}]): periodic; does not keep run() going. */
static int
l_every(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	sim_time p = lx_checktime(L, 2);
	struct lx_timer *t;
	sim_time start;
	lua_Integer count = -1;

	luaL_argcheck(L, p > 0, 2, "the period must be positive");
	if (lua_istable(L, 4)) {
		lua_getfield(L, 4, "count");
		count = luaL_optinteger(L, -1, -1);
		lua_pop(L, 1);
		luaL_argcheck(L, count != 0 && count >= -1, 4, "count must be positive");
	}
	start = lx_fieldtime(L, 4, "start", p);
	t = timer_new(L, ln, 3);
	t->period = p;
	t->left = count;
	t->at.kind = AT_TIME;
	arm(ln, t, now_of(ln) + start);
	return push_timer(L, ln, t);
}

static struct lx_timer *
find_timer(lua_State *L, int idx, struct lx_net **lnp)
{
	struct lx_ref *r = luaL_checkudata(L, idx, LX_TIMER);
	struct lx_net *ln = lx_net_get(lx_script(L), r->slot, r->gen);

	*lnp = ln;
	if (ln == NULL)
		return NULL;
	for (struct lx_timer *t = ln->timers; t; t = t->next)
		if ((uint32_t)t->id == r->id)
			return t;
	return NULL;
}

/* timer:cancel(): true if it was still pending. */
static int
l_timer_cancel(lua_State *L)
{
	struct lx_net *ln;
	struct lx_timer *t = find_timer(L, 1, &ln);

	if (t == NULL || t->done) {
		lua_pushboolean(L, 0);
		return 1;
	}
	t->done = true;
	if (t->firing) {
		if (timer_pending(&t->t))
			theap_remove(t->t.in, &t->t);
	} else {
		unlink_timer(ln, t);
	}
	update_mask(ln);
	lua_pushboolean(L, 1);
	return 1;
}

static int
l_timer_pending(lua_State *L)
{
	struct lx_net *ln;
	struct lx_timer *t = find_timer(L, 1, &ln);

	lua_pushboolean(L, t != NULL && !t->done);
	return 1;
}

static int
l_timer_tostring(lua_State *L)
{
	struct lx_ref *r = luaL_checkudata(L, 1, LX_TIMER);

	lua_pushfstring(L, "timer (%s)", r->name);
	return 1;
}

/* ---- events --------------------------------------------------------------------------- */

struct ev_call {
	struct lx_net *ln;
	const struct net_ev *e;
	int fn_ref;
	const char *name;
};

static void
push_event(lua_State *L, struct lx_net *ln, const struct net_ev *e, const char *name)
{
	struct network *net = ln->net;
	struct node *n = e && e->node < net->nnodes ? net->nodes[e->node] : NULL;
	struct strbuf b = STRBUF_INIT;

	lua_createtable(L, 0, 12);
	lua_pushstring(L, e ? ev_kind_name(e->kind) : name);
	lua_setfield(L, -2, "kind");
	lx_pushtime(L, e ? e->t : net->sim.now);
	lua_setfield(L, -2, "time");
	if (e == NULL)
		return;
	ev_format(net, e, &b);
	lua_pushstring(L, sb_str(&b));
	lua_setfield(L, -2, "message");
	sb_free(&b);
	if (e->text) {
		lua_pushstring(L, e->text);
		lua_setfield(L, -2, "text");
	}
	if (n) {
		lx_pushnode(L, ln, n->id, n->name);
		lua_setfield(L, -2, "device");
		if (e->ifindex >= 0 && (size_t)e->ifindex < n->nifs) {
			lx_pushifp(L, ln, n->ifs[e->ifindex]);
			lua_setfield(L, -2, "interface");
		}
	}
	if (e->link >= 0 && (size_t)e->link < net->nlinks) {
		lx_pushlink(L, ln, (uint32_t)e->link, net->links[e->link]->name);
		lua_setfield(L, -2, "link");
	}
	if (e->proto) {
		lua_pushstring(L, e->proto);
		lua_setfield(L, -2, "protocol");
	}
	switch (e->kind) {
	case EV_ROUTE_CHANGE:
		lua_pushstring(L, prefix_str(&e->pfx));
		lua_setfield(L, -2, "prefix");
		lua_pushstring(L, e->text ? e->text : "change");
		lua_setfield(L, -2, "change");
		break;
	case EV_ADJ_CHANGE:
		lua_pushstring(L, e->text ? e->text : "");
		lua_setfield(L, -2, "neighbor");
		lua_pushstring(L, e->text2 ? e->text2 : "");
		lua_setfield(L, -2, "state");
		break;
	case EV_SESSION_UP:
	case EV_SESSION_DOWN:
		lua_pushstring(L, e->text ? e->text : "");
		lua_setfield(L, -2, "neighbor");
		lua_pushstring(L, e->text2 ? e->text2 : "");
		lua_setfield(L, -2, e->kind == EV_SESSION_UP ? "state" : "reason");
		break;
	case EV_BESTPATH_CHANGE:
		lua_pushstring(L, prefix_str(&e->pfx));
		lua_setfield(L, -2, "prefix");
		lua_pushstring(L, e->text ? e->text : "");
		lua_setfield(L, -2, "reason");
		lua_pushstring(L, e->text2 ? e->text2 : "");
		lua_setfield(L, -2, "nexthop");
		break;
	default:
		if (e->text2) {
			lua_pushstring(L, e->text2);
			lua_setfield(L, -2, "text2");
		}
	}
}

static int
event_call(lua_State *L)
{
	struct ev_call *c = lua_touserdata(L, 1);

	lua_rawgeti(L, LUA_REGISTRYINDEX, c->fn_ref);
	push_event(L, c->ln, c->e, c->name);
	lua_call(L, 1, 0);
	return 0;
}

static void
dispatch(struct lx_net *ln, const struct net_ev *e, const char *name, sim_time t)
{
	struct script *s = ln->s;
	int kind = e ? (int)e->kind : -1;
	bool changed = false;

	for (struct lx_timer *tm = ln->timers; tm; tm = tm->next) {
		if (!tm->waiting || tm->done)
			continue;
		if (e ? ((tm->at.kind == AT_CONVERGED && kind == EV_CONVERGED) ||
			(tm->at.kind == AT_EVENT && strcmp(tm->at.event, name) == 0)) :
			(tm->at.kind == AT_EVENT && strcmp(tm->at.event, name) == 0)) {
			arm(ln, tm, t + tm->at.offset);
			changed = true;
		}
	}
	if (changed)
		update_mask(ln);
	/* Handlers added by a handler see the next event, not this one: snapshot the ids. */
	{
		uint64_t upto = ln->next_id;

		for (struct lx_sub *u = ln->subs; u; u = u->next) {
			struct ev_call c = {ln, e, u->fn_ref, name};
			char what[160];

			if (u->dead || u->id >= upto)
				continue;
			if (e ? u->kind != kind : (u->kind >= 0 || strcmp(u->name, name) != 0))
				continue;
			snprintf(what, sizeof(what), "on('%s') handler (%s)", name, u->where);
			lx_protect(s, event_call, &c, what);
			if (s->slots[ln->slot].ln != ln)
				return; /* closed by the handler */
		}
	}
}

static void
on_event(struct network *net UNUSED, const struct net_ev *e, void *arg)
{
	struct lx_net *ln = arg;

	if (ln->s->slots[ln->slot].ln != ln)
		return;
	dispatch(ln, e, ev_kind_name(e->kind), e->t);
}

void
lx_signal(struct lx_net *ln, const char *name, sim_time t)
{
	dispatch(ln, NULL, name, t);
	if (ln->s->slots[ln->slot].ln == ln && ln->run)
		runner_event(ln->run, name, t);
}

/* net:on(kind, fn): kind is an event kind (converged, route_change, ...) or a signal name. */
static int
l_on(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	const char *name = luaL_checkstring(L, 2);
	struct lx_sub *u, **pp;

	luaL_checktype(L, 3, LUA_TFUNCTION);
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
			return luaL_argerror(L, 2, lua_pushfstring(L, "bad event name '%s'", name));
	u = xcalloc(1, sizeof(*u));
	u->id = ln->next_id++;
	u->kind = ev_kind_parse(name);
	u->name = xstrdup(name);
	lua_pushvalue(L, 3);
	u->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lx_where(L, u->where, sizeof(u->where));
	if (strcmp(u->where, "?") == 0) {
		/* Registered from C (a YAML topology's hooks:): the handler's chunk names it. */
		lua_Debug ar;

		lua_pushvalue(L, 3);
		if (lua_getinfo(L, ">S", &ar))
			snprintf(u->where, sizeof(u->where), "%s", ar.short_src);
	}
	for (pp = &ln->subs; *pp; pp = &(*pp)->next)
		;
	*pp = u; /* in registration order: handlers run in the order they were added */
	update_mask(ln);
	lua_pushinteger(L, (lua_Integer)u->id);
	return 1;
}

static int
l_off(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	lua_Integer id = luaL_checkinteger(L, 2);

	for (struct lx_sub *u = ln->subs; u; u = u->next)
		if ((lua_Integer)u->id == id && !u->dead) {
			u->dead = true;
			update_mask(ln);
			lua_pushboolean(L, 1);
			return 1;
		}
	lua_pushboolean(L, 0);
	return 1;
}

static int
l_signal(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	const char *name = luaL_checkstring(L, 2);

	lx_live(L, ln);
	lx_signal(ln, name, ln->net->sim.now);
	return 0;
}

/* ---- running ------------------------------------------------------------------------------ */

static void
check_not_in_callback(lua_State *L, const char *what)
{
	if (lx_script(L)->depth > 1)
		luaL_error(L, "%s cannot be called from a callback (at, every, on, a command): "
		    "schedule work with net:after() instead", what);
}

/*
 * Sum of the "N things" counters of every protocol's statistics line. Under
 * mpirun, of this rank's devices (a ghost's stay as start-up left them,
 * which its owner counts): lx_dist_sum adds the ranks' up.
 */
static void
push_counters(lua_State *L, struct network *net)
{
	lua_newtable(L);
	for (int p = 0; p < proto_count; p++) {
		struct strbuf b = STRBUF_INIT;
		const char *c;

		if (proto_registry[p]->stats == NULL)
			continue;
		for (size_t i = 0; i < net->nnodes; i++)
			if (net->nodes[i]->pi[p] && !net->nodes[i]->actor.ghost) {
				proto_registry[p]->stats(net->nodes[i]->pi[p], &b);
				sb_addc(&b, ',');
			}
		for (c = sb_str(&b); *c;) {
			char key[64];
			size_t k = 0;
			long long v;

			while (*c && (*c < '0' || *c > '9'))
				c++;
			if (*c == '\0')
				break;
			v = strtoll(c, (char **)&c, 10);
			while (*c == ' ')
				c++;
			while (*c && *c != ',' && *c != '\n' && *c != ';' && k < sizeof(key) - 1) {
				char ch = *c++;

				if (ch >= 'A' && ch <= 'Z')
					ch = (char)(ch - 'A' + 'a');
				key[k++] = (ch == ' ' || ch == '-') ? '_' : ch;
			}
			while (k > 0 && key[k - 1] == '_')
				k--;
			key[k] = '\0';
			if (k == 0 || (key[0] >= '0' && key[0] <= '9'))
				continue;
			/* "1 SPF run" and "2 SPF runs" are one counter: spf_runs. */
			if (key[k - 1] != 's' && k < sizeof(key) - 1) {
				key[k++] = 's';
				key[k] = '\0';
			}
			lua_getfield(L, -1, key);
			lua_pushinteger(L, lua_tointeger(L, -1) + v);
			lua_setfield(L, -3, key);
			lua_pop(L, 1);
		}
		sb_free(&b);
	}
}

static uint64_t
ctrl_sent(const struct network *net)
{
	uint64_t n = 0;

	for (size_t i = 0; i < net->nnodes; i++)
		if (!net->nodes[i]->actor.ghost) /* (under mpirun: as push_counters) */
			n += net->nodes[i]->ctrl.sent;
	return n;
}

static int
l_start(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	lx_live(L, ln);
	lua_settop(L, 1);
	return 1;
}

static int
l_build(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	if (ln->topo == NULL)
		build(L, ln);
	lua_settop(L, 1);
	return 1;
}

/*
 * net:run([opts]): until converged and the schedule is empty (opts.limit caps
 * it, default 1h), or to an absolute time (opts.to, opts["until"]) or for a
 * duration (opts.duration, opts["for"]). Live mode (console/daemon): marks
 * the network live and returns at once.
 */
static int
l_run(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	struct script *s = ln->s;
	struct network *net;
	sim_time until = SIM_NEVER, limit;

	net = lx_live(L, ln);
	if (s->o.validate) {
		/* What the file built before running it is the topology to check. */
		s->validate_stopped = true;
		s->validate_nodes = net->nnodes;
		s->validate_links = net->nlinks;
		return luaL_error(L, "netsim validate stops at net:run()");
	}
	if (s->o.mode == SCRIPT_LIVE || s->loading_topology) {
		ln->live = true;
		lx_pushtime(L, net->sim.now);
		return 1;
	}
	check_not_in_callback(L, "net:run()");
	limit = lx_fieldtime(L, 2, "limit", 3600 * SIM_S);
	if (lua_istable(L, 2)) {
		sim_time d;

		if ((d = lx_fieldtime(L, 2, "to", -1)) >= 0 ||
		    (d = lx_fieldtime(L, 2, "until", -1)) >= 0)
			until = d;
		else if ((d = lx_fieldtime(L, 2, "duration", -1)) >= 0 ||
		    (d = lx_fieldtime(L, 2, "for", -1)) >= 0)
			until = net->sim.now + d;
	} else if (!lua_isnoneornil(L, 2)) {
		return luaL_argerror(L, 2, "expected a table {to=, duration=, limit=}");
	}
	if (until != SIM_NEVER && until < net->sim.now)
		until = net->sim.now;
	runner_advance(ln->run, until, net->sim.now + limit);
	lx_pushtime(L, net->sim.now);
	return 1;
}

/*
 * net:run_until_converged{timeout = "5s"} -> {converged, time, at, messages,
 * route_changes, spf_runs, frames, counters}: time is measured from the last
 * disturbance made from Lua (chaos, config) if it came after the previous
 * convergence, else from the call.
 */
static int
l_run_until_converged(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	struct network *net = lx_live(L, ln);
	struct sim *s = &net->sim;
	sim_time timeout = lx_fieldtime(L, 2, "timeout", 3600 * SIM_S), start = s->now, ref;
	sim_time deadline = start + timeout, prev = net->converged_at;
	uint64_t msgs = ctrl_sent(net), changes = net->rib_changes, frames = s->msgs;
	unsigned count = net->converge_count;
	int before, after;

	check_not_in_callback(L, "net:run_until_converged()");
	push_counters(L, net);
	before = lua_gettop(L);
	converge_check(net);
	while (!net->converged && s->now < deadline) {
		if (!sim_step(s, deadline))
			break;
		/* Engine work done for Lua counts too: a loop of long timeouts ends (live mode). */
		lx_charge(L, LX_SIM_STEP_COST);
	}
	if (!net->converged && s->now < deadline)
		s->now = deadline;
	ref = ln->mark > prev && ln->mark <= start && ln->mark_frames ? ln->mark : start;
	if (ref != start || (ln->mark == start && ln->mark_frames)) {
		/* The disturbance's own route changes happened before the call. */
		changes = ln->mark_changes;
		msgs = ln->mark_msgs;
		frames = ln->mark_frames - 1;
	}
	lua_createtable(L, 0, 10);
	lua_pushboolean(L, net->converged);
	lua_setfield(L, -2, "converged");
	lx_pushtime(L, net->converged && net->converged_at > ref ? net->converged_at - ref : 0);
	lua_setfield(L, -2, "time");
	lx_pushtime(L, net->converged ? net->converged_at : s->now);
	lua_setfield(L, -2, "at");
	lua_pushinteger(L, (lua_Integer)(ctrl_sent(net) - msgs));
	lua_setfield(L, -2, "messages");
	lua_pushinteger(L, (lua_Integer)(net->rib_changes - changes));
	lua_setfield(L, -2, "route_changes");
	lua_pushinteger(L, (lua_Integer)(s->msgs - frames));
	lua_setfield(L, -2, "frames");
	lua_pushboolean(L, net->converge_count != count);
	lua_setfield(L, -2, "changed");
	/* Protocol counters: the difference over the call. */
	push_counters(L, net);
	after = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, after)) {
		lua_Integer d;

		lua_pushvalue(L, -2);
		lua_gettable(L, before);
		d = lua_tointeger(L, -2) - lua_tointeger(L, -1);
		lua_pop(L, 2);
		lua_pushvalue(L, -1);
		lua_pushinteger(L, d);
		lua_settable(L, after);
	}
	lua_getfield(L, after, "spf_runs");
	lua_pushinteger(L, lua_tointeger(L, -1));
	lua_setfield(L, after - 1, "spf_runs");
	lua_pop(L, 1);
	lua_setfield(L, -2, "counters");
	{
		/* Under mpirun each rank counted its own devices (a ghost's counters stay still). */
		static const char *const sums[] = {"messages", "route_changes", "frames", "spf_runs",
		    "counters"};

		lx_dist_sum(L, -1, sums, ARRAY_LEN(sums));
	}
	return 1;
}

static int
l_now(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	lx_pushtime(L, now_of(ln));
	return 1;
}

static int
l_close(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	lx_net_close(ln);
	return 0;
}

static int
l_devices(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	struct network *net = lx_live(L, ln);

	lua_createtable(L, (int)net->nnodes, 0);
	for (size_t i = 0; i < net->nnodes; i++) {
		lx_pushnode(L, ln, net->nodes[i]->id, net->nodes[i]->name);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int
l_links(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	struct network *net = lx_live(L, ln);

	lua_createtable(L, (int)net->nlinks, 0);
	for (size_t i = 0; i < net->nlinks; i++) {
		lx_pushlink(L, ln, net->links[i]->id, net->links[i]->name);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* net:_find_link(a, b): a and b are "dev", "dev:if", or handles; the first link joining them. */
static bool
end_matches(lua_State *L, int idx, struct lx_net *ln, const struct iface *ifp)
{
	if (lua_type(L, idx) == LUA_TSTRING) {
		const char *s = lua_tostring(L, idx), *colon = strchr(s, ':');

		if (colon == NULL)
			return strcmp(ifp->node->name, s) == 0;
		return strncmp(ifp->node->name, s, (size_t)(colon - s)) == 0 &&
		    ifp->node->name[colon - s] == '\0' && strcmp(ifp->name, colon + 1) == 0;
	}
	if (luaL_testudata(L, idx, LX_IFACE))
		return lx_checkiface(L, idx, &ln) == ifp;
	return lx_tonode(L, idx, ln) == ifp->node;
}

static int
l_find_link(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	struct network *net = lx_live(L, ln);

	for (size_t i = 0; i < net->nlinks; i++) {
		struct link *l = net->links[i];
		int fa = -1, fb = -1;

		for (size_t k = 0; k < l->nends; k++) {
			if (fa < 0 && end_matches(L, 2, ln, l->ends[k]))
				fa = (int)k;
			else if (fb < 0 && end_matches(L, 3, ln, l->ends[k]))
				fb = (int)k;
		}
		if (fa >= 0 && fb >= 0) {
			lx_pushlink(L, ln, l->id, l->name);
			return 1;
		}
	}
	lua_pushnil(L);
	return 1;
}

/* net:device(name [, optional]): the device, or an error naming the known ones. */
static int
l_device(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	const char *name = luaL_checkstring(L, 2);
	struct network *net = lx_live(L, ln);
	struct node *n = net_node(net, name);
	struct strbuf b = STRBUF_INIT;

	if (n != NULL) {
		lx_pushnode(L, ln, n->id, n->name);
		return 1;
	}
	if (lua_toboolean(L, 3)) {
		lua_pushnil(L);
		return 1;
	}
	for (size_t i = 0; i < net->nnodes && i < 20; i++)
		sb_printf(&b, "%s%s", i ? ", " : "", net->nodes[i]->name);
	lua_pushfstring(L, "network '%s' has no device '%s' (devices: %s)", net->name, name,
	    sb_str(&b));
	sb_free(&b);
	return lua_error(L);
}

static int
l_chaos_log(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	const char *text = luaL_checkstring(L, 2);
	struct network *net = lx_live(L, ln);

	lx_net_mark(ln);
	ev_post(net, NULL, &(struct net_ev){.kind = EV_CHAOS, .ifindex = -1, .link = -1,
	    .text = (char *)text});
	return 0;
}

static int
l_mark(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	lx_live(L, ln);
	lx_net_mark(ln);
	return 0;
}

static int
l_timeline(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	lx_live(L, ln);
	ln->run->o.quiet = !lua_toboolean(L, 2);
	return 0;
}

static int
l_summary(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	lx_live(L, ln);
	runner_finish(ln->run);
	ln->printed = true;
	return 0;
}

/*
 * net:info(). Under mpirun the counts are each rank's own devices' summed
 * over the ranks, and what every rank counted alike (global context's
 * events and frames, start-up's route changes) once.
 */
static int
l_info(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	struct network *net = lx_live(L, ln);
	static const char *const sums[] = {"events", "frames", "route_changes", "messages",
	    "counters"};
	uint64_t every[3] = {net->sim.gevents, net->sim.gmsgs, dist_on() ? dist_startup_changes() : 0};

	lua_createtable(L, 0, 12);
	lua_pushstring(L, net->name);
	lua_setfield(L, -2, "name");
	lua_pushinteger(L, (lua_Integer)net->seed);
	lua_setfield(L, -2, "seed");
	lx_pushtime(L, net->sim.now);
	lua_setfield(L, -2, "time");
	lua_pushboolean(L, net->converged);
	lua_setfield(L, -2, "converged");
	if (net->converge_count) {
		lx_pushtime(L, net->converged_at);
		lua_setfield(L, -2, "converged_at");
	}
	lua_pushinteger(L, (lua_Integer)net->converge_count);
	lua_setfield(L, -2, "convergences");
	lua_pushinteger(L, (lua_Integer)net->nnodes);
	lua_setfield(L, -2, "devices");
	lua_pushinteger(L, (lua_Integer)net->nlinks);
	lua_setfield(L, -2, "links");
	if (!dist_on())
		memset(every, 0, sizeof(every));
	lua_pushinteger(L, (lua_Integer)(net->sim.events - every[0]));
	lua_setfield(L, -2, "events");
	lua_pushinteger(L, (lua_Integer)(net->sim.msgs - every[1]));
	lua_setfield(L, -2, "frames");
	lua_pushinteger(L, (lua_Integer)(net->rib_changes - every[2]));
	lua_setfield(L, -2, "route_changes");
	lua_pushinteger(L, (lua_Integer)ctrl_sent(net));
	lua_setfield(L, -2, "messages");
	lua_pushinteger(L, ln->run ? ln->run->failures : 0);
	lua_setfield(L, -2, "failures");
	push_counters(L, net);
	lua_setfield(L, -2, "counters");
	if (dist_on()) {
		lx_dist_sum(L, -1, sums, ARRAY_LEN(sums));
		for (int i = 0; i < 3; i++) {
			lua_getfield(L, -1, sums[i]);
			lua_pushinteger(L, lua_tointeger(L, -1) + (lua_Integer)every[i]);
			lua_setfield(L, -3, sums[i]);
			lua_pop(L, 1);
		}
	}
	return 1;
}

static int
l_tostring(lua_State *L)
{
	struct lx_ref *r = luaL_checkudata(L, 1, LX_NET);
	struct lx_net *ln = lx_net_get(lx_script(L), r->slot, r->gen);

	if (ln == NULL)
		lua_pushfstring(L, "network %s (closed)", r->name);
	else
		lua_pushfstring(L, "network %s", ln->name);
	return 1;
}

/* net.NAME: a method, a property (name, time, converged), or a device. */
static int
l_index(lua_State *L)
{
	struct lx_net *ln;
	const char *k;

	if (lx_method(L, LX_NET, 2))
		return 1;
	if (lua_type(L, 2) != LUA_TSTRING)
		return 0;
	ln = lx_checknet(L, 1);
	k = lua_tostring(L, 2);
	if (strcmp(k, "name") == 0) {
		lua_pushstring(L, ln->name);
		return 1;
	}
	if (strcmp(k, "data") == 0) {
		lx_pushdata(L, ln);
		return 1;
	}
	if (strcmp(k, "built") == 0) {
		lua_pushboolean(L, ln->topo != NULL);
		return 1;
	}
	if (strcmp(k, "started") == 0) {
		lua_pushboolean(L, ln->run && ln->run->started);
		return 1;
	}
	if (ln->net) {
		struct node *n;

		if (strcmp(k, "converged") == 0) {
			lua_pushboolean(L, ln->net->converged);
			return 1;
		}
		if (strcmp(k, "seed") == 0) {
			lua_pushinteger(L, (lua_Integer)ln->net->seed);
			return 1;
		}
		if ((n = net_node(ln->net, k)) != NULL) {
			lx_pushnode(L, ln, n->id, n->name);
			return 1;
		}
		return 0;
	}
	/* Not built yet: devices of the description. */
	lx_pushdata(L, ln);
	if (lua_getfield(L, -1, "spec") == LUA_TTABLE && lua_getfield(L, -1, "devices") == LUA_TTABLE) {
		for (lua_Integer i = 1;; i++) {
			if (lua_rawgeti(L, -1, i) != LUA_TTABLE)
				break;
			lua_getfield(L, -1, "name");
			if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), k) == 0) {
				lx_pushnode(L, ln, (uint32_t)(i - 1), k);
				return 1;
			}
			lua_pop(L, 2);
		}
	}
	return 0;
}

/* ---- the netsim.core module ----------------------------------------------------------- */

static int
c_network(lua_State *L)
{
	struct script *s = lx_script(L);
	const char *name = luaL_optstring(L, 1, "network");
	struct lx_net *ln = lx_net_new(s, name);

	lx_pushnet(L, ln);
	return 1;
}

static int
c_current(lua_State *L)
{
	struct script *s = lx_script(L);

	if (s->cur == NULL)
		lua_pushnil(L);
	else
		lx_pushnet(L, s->cur);
	return 1;
}

static int
c_set_current(lua_State *L)
{
	lx_script(L)->cur = lx_checknet(L, 1);
	return 0;
}

static int
c_where(lua_State *L)
{
	char buf[256], *colon;

	lx_where(L, buf, sizeof(buf));
	colon = strrchr(buf, ':');
	if (colon == NULL) {
		lua_pushstring(L, buf);
		lua_pushinteger(L, 0);
		return 2;
	}
	lua_pushlstring(L, buf, (size_t)(colon - buf));
	lua_pushinteger(L, atoi(colon + 1));
	return 2;
}

static int
c_node_handle(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	lx_pushnode(L, ln, (uint32_t)luaL_checkinteger(L, 2), luaL_checkstring(L, 3));
	return 1;
}

static int
c_iface_handle(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	lx_pushiface(L, ln, (uint32_t)luaL_checkinteger(L, 2), (int32_t)luaL_checkinteger(L, 3),
	    luaL_checkstring(L, 4));
	return 1;
}

static int
c_link_handle(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	lx_pushlink(L, ln, (uint32_t)luaL_checkinteger(L, 2), luaL_checkstring(L, 3));
	return 1;
}

static int
c_fail(lua_State *L)
{
	struct script *s = lx_script(L);
	const char *msg = luaL_checkstring(L, 1);

	s->expect_fail++;
	lx_fail(s, "%s", msg);
	return 0;
}

static int
c_pass(lua_State *L)
{
	lx_script(L)->expect_pass++;
	return 0;
}

static int
c_report(lua_State *L)
{
	lx_report(lx_script(L), "%s", luaL_checkstring(L, 1));
	return 0;
}

static int
c_parse_time(lua_State *L)
{
	lx_pushtime(L, lx_checktime(L, 1));
	return 1;
}

static int
c_mode(lua_State *L)
{
	lua_pushstring(L, lx_script(L)->o.mode == SCRIPT_LIVE ? "live" : "run");
	return 1;
}

/* core.id(handle) -> id, sub: a device's index in the description, an interface's in its device. */
static int
c_id(lua_State *L)
{
	struct lx_ref *r;

	if (!(r = luaL_testudata(L, 1, LX_NODE)) && !(r = luaL_testudata(L, 1, LX_IFACE)) &&
	    !(r = luaL_testudata(L, 1, LX_LINK)))
		return luaL_argerror(L, 1, "expected a device, interface or link");
	if (lx_net_get(lx_script(L), r->slot, r->gen) == NULL)
		return luaL_error(L, "'%s' belongs to a network that was closed", r->name);
	lua_pushinteger(L, r->id);
	lua_pushinteger(L, r->sub);
	return 2;
}

/* core.loadfile(path, env): a text chunk with env as its globals; path under the root. */
static int
c_loadfile(lua_State *L)
{
	const char *path = lx_checkpath(L, luaL_checkstring(L, 1));

	if (luaL_loadfilex(L, path, "t") != LUA_OK) {
		lua_pushnil(L);
		lua_insert(L, -2);
		return 2;
	}
	if (!lua_isnoneornil(L, 2)) {
		lua_pushvalue(L, 2);
		lua_setupvalue(L, -2, 1);
	}
	return 1;
}

/* net:_dev(name): the device or nil, without building or starting anything. */
static int
l_dev(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	const char *name = luaL_checkstring(L, 2);
	struct node *n;

	if (ln->net == NULL || (n = net_node(ln->net, name)) == NULL)
		return 0;
	lx_pushnode(L, ln, n->id, n->name);
	return 1;
}

/* core.typeof(v): "Network", "Device", "Interface", "Link", "Timer", "PingStream" or nil. */
static int
c_typeof(lua_State *L)
{
	static const char *const types[][2] = {
		{"Network", LX_NET}, {"Device", LX_NODE}, {"Interface", LX_IFACE},
		{"Link", LX_LINK}, {"Timer", LX_TIMER}, {"PingStream", LX_PING},
	};

	for (size_t i = 0; i < ARRAY_LEN(types); i++)
		if (luaL_testudata(L, 1, types[i][1])) {
			lua_pushstring(L, types[i][0]);
			return 1;
		}
	return 0;
}

static int
c_load(lua_State *L)
{
	return lx_load_lua_topology(L);
}

int
lx_netfuncs(lua_State *L)
{
	static const luaL_Reg net_methods[] = {
		{"at", l_at}, {"after", l_after}, {"every", l_every}, {"on", l_on}, {"off", l_off},
		{"signal", l_signal}, {"start", l_start}, {"build", l_build}, {"run", l_run},
		{"run_until_converged", l_run_until_converged}, {"now", l_now}, {"close", l_close},
		{"devices", l_devices}, {"links", l_links}, {"device", l_device},
		{"_find_link", l_find_link}, {"_chaos", l_chaos_log}, {"mark", l_mark},
		{"timeline", l_timeline}, {"summary", l_summary}, {"info", l_info},
		{"_dev", l_dev}, {NULL, NULL},
	};
	static const luaL_Reg timer_methods[] = {
		{"cancel", l_timer_cancel}, {"pending", l_timer_pending}, {NULL, NULL},
	};
	static const luaL_Reg core[] = {
		{"network", c_network}, {"current", c_current}, {"set_current", c_set_current},
		{"where", c_where}, {"node_handle", c_node_handle}, {"iface_handle", c_iface_handle},
		{"link_handle", c_link_handle}, {"fail", c_fail}, {"pass", c_pass},
		{"report", c_report}, {"time", c_parse_time}, {"mode", c_mode}, {"load", c_load},
		{"id", c_id}, {"loadfile", c_loadfile}, {"typeof", c_typeof}, {NULL, NULL},
	};
	struct script *s = lx_script(L);

	lx_newtype(L, LX_NET, net_methods, l_index, l_tostring);
	lx_newtype(L, LX_TIMER, timer_methods, NULL, l_timer_tostring);
	luaopen_netsim_node(L);
	luaopen_netsim_iface(L);
	luaopen_netsim_link(L);
	luaopen_netsim_ping(L);
	luaL_newlib(L, core);
	luaopen_netsim_cli(L);
	luaopen_netsim_fwd(L);
	luaopen_netsim_flow(L);
	lx_dist_wrap(L, -1);
	/* The methods tables, for lua/netsim/NAME.lua to extend. */
	lua_newtable(L);
	{
		static const char *const types[][2] = {
			{"Network", LX_NET}, {"Device", LX_NODE}, {"Interface", LX_IFACE},
			{"Link", LX_LINK}, {"Timer", LX_TIMER}, {"PingStream", LX_PING},
		};

		for (size_t i = 0; i < ARRAY_LEN(types); i++) {
			lua_getfield(L, LUA_REGISTRYINDEX, lua_pushfstring(L, "%s.methods", types[i][1]));
			lua_remove(L, -2);
			lua_setfield(L, -2, types[i][0]);
		}
	}
	lua_setfield(L, -2, "types");
	/* netsim.args: the scenario's arguments and options. */
	lua_createtable(L, s->o.argc, 4);
	for (int i = 0; i < s->o.argc; i++) {
		lua_pushstring(L, s->o.argv[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_pushboolean(L, s->o.json);
	lua_setfield(L, -2, "json");
	lua_pushboolean(L, s->o.quiet);
	lua_setfield(L, -2, "quiet");
	lua_pushinteger(L, (lua_Integer)s->o.seed);
	lua_setfield(L, -2, "seed");
	lua_setfield(L, -2, "args");
	return 1;
}

bool
script_validate_stopped(const struct script *s, size_t *nodes, size_t *links)
{
	*nodes = s->validate_nodes;
	*links = s->validate_links;
	return s->validate_stopped;
}
