/*
 * lx_match.c: string.find, match, gmatch and gsub for sandboxed Lua, with a
 * step limit.
 *
 * Lua's pattern matcher backtracks: string.find(("a"):rep(30000),
 * ("a*"):rep(60) .. "b") runs for longer than anyone will wait, inside one C
 * call, where the instruction-count hook never fires. So netsim has its own
 * matcher for Lua 5.4 patterns (reference manual section 6.4.1), which
 * counts its work: every pattern item tried, and every character a
 * repetition, a %b or a back-reference scans, is a step. A call of find,
 * match, gsub (all its replacements) or one gmatch iteration may take
 * LX_MATCH_STEPS steps, then raises "lua: pattern too complex". In live mode
 * the steps are also charged to the instruction budget (lx_charge), so a
 * loop of just-under-the-limit calls ends too. docs/security.md has the
 * numbers.
 *
 * Everything else is meant to be exactly what the string library does --
 * results, errors for malformed patterns and their messages, even when an
 * error is raised (lazily: only a pattern item the matcher reaches is
 * checked) -- because scripts must not see which library they run under.
 * tests/unit/test_lua_match.c compares the two on thousands of cases.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "lx.h"

/* The manual's limits, kept so that patterns fail where they fail in Lua. */
#define MAX_CAPTURES 32  /* "too many captures" past this */
#define MAX_NESTING  200 /* "pattern too complex": backtracking points open at once */

/* A capture's length while its ')' has not been reached, and a position capture's. */
#define CAP_OPEN     (-1)
#define CAP_POSITION (-2)

#define ESC '%'

struct capture {
	const char *start;
	ptrdiff_t len; /* or CAP_OPEN, CAP_POSITION */
};

/* One matching call: the subject, the pattern's end, the captures and the steps. */
struct mstate {
	lua_State *L;
	const char *src, *src_end;
	const char *pat_end;
	int nesting;   /* backtracking points still allowed */
	int ncap;
	struct capture cap[MAX_CAPTURES];
	uint64_t steps, charged; /* of this call, and how many of them went to lx_charge */
};

static const char *match_here(struct mstate *, const char *s, const char *p);

/* ---- steps ---- */

static void
count_steps(struct mstate *ms, uint64_t n)
{
	ms->steps += n;
	if (ms->steps - ms->charged >= LX_MATCH_CHARGE) {
		lx_charge(ms->L, ms->steps - ms->charged);
		ms->charged = ms->steps;
	}
	if (ms->steps > LX_MATCH_STEPS)
		luaL_error(ms->L, "lua: pattern too complex (more than %I matching steps)",
		    (lua_Integer)LX_MATCH_STEPS);
}

/* A new call: the step count starts again (a gmatch iteration counts as a call). */
static void
start_call(struct mstate *ms, lua_State *L, const char *s, size_t ls, const char *p, size_t lp)
{
	ms->L = L;
	ms->src = s;
	ms->src_end = s + ls;
	ms->pat_end = p + lp;
	ms->steps = ms->charged = 0;
}

/* A new attempt at one subject position: no captures yet. */
static void
start_attempt(struct mstate *ms)
{
	ms->nesting = MAX_NESTING;
	ms->ncap = 0;
}

/* ---- single-character classes ---- */

/*
 * %a %c %d %g %l %p %s %u %w %x (and %z), the upper-case letter the complement; %
 * before any other character stands for that character (the C locale's
 * classes, as Lua uses them).
 */
static bool
class_matches(int c, int cl)
{
	bool in;

	switch (tolower(cl)) {
	case 'a': in = isalpha(c); break;
	case 'c': in = iscntrl(c); break;
	case 'd': in = isdigit(c); break;
	case 'g': in = isgraph(c); break;
	case 'l': in = islower(c); break;
	case 'p': in = ispunct(c); break;
	case 's': in = isspace(c); break;
	case 'u': in = isupper(c); break;
	case 'w': in = isalnum(c); break;
	case 'x': in = isxdigit(c); break;
	case 'z': in = c == 0; break; /* older Lua's class for '\0'; 5.4 still accepts it */
	default: return cl == c;
	}
	return isupper(cl) ? !in : in;
}

static void
malformed(struct mstate *ms, const char *what)
{
	luaL_error(ms->L, "malformed pattern (%s)", what);
}

/*
 * The end of the set that starts at p ('['): just past its ']'. The first
 * element (after an optional '^') is taken as it is, so "[]]" and "[^]]" are
 * sets holding ']'; '%' escapes the character after it.
 */
static const char *
set_end(struct mstate *ms, const char *p)
{
	const char *q = p + 1, *end = ms->pat_end;

	if (q < end && *q == '^')
		q++;
	do {
		if (q >= end)
			break;
		if (*q++ == ESC && q < end)
			q++;
	} while (q < end && *q != ']');
	if (q >= end)
		malformed(ms, "missing ']'");
	return q + 1;
}

/* Is c in the set from p ('[') to close (its ']')? Ranges x-y need y before the ']'. */
static bool
set_matches(int c, const char *p, const char *close)
{
	const char *q = p + 1;
	bool want = true;

	if (*q == '^') {
		want = false;
		q++;
	}
	while (q < close) {
		if (*q == ESC) {
			if (class_matches(c, (unsigned char)q[1]))
				return want;
			q += 2;
		} else if (q[1] == '-' && q + 2 < close) {
			if ((unsigned char)q[0] <= c && c <= (unsigned char)q[2])
				return want;
			q += 3;
		} else {
			if ((unsigned char)*q == c)
				return want;
			q++;
		}
	}
	return !want;
}

/* The end of the single-character item at p: a character, '.', %x or a set. */
static const char *
item_end(struct mstate *ms, const char *p)
{
	if (*p == ESC) {
		if (p + 1 >= ms->pat_end)
			malformed(ms, "ends with '%'");
		return p + 2;
	}
	if (*p == '[')
		return set_end(ms, p);
	return p + 1;
}

/*
 * Testing a character against a set longer than 32 bytes also costs a step
 * per 8 bytes of it, so that a huge set cannot multiply the work one step
 * stands for; the sets people write cost nothing extra.
 */
static void
count_set(struct mstate *ms, const char *p, const char *ep)
{
	if (ep - p > 32)
		count_steps(ms, (uint64_t)(ep - p) / 8);
}

/* Does the item p..ep match the subject character at s? */
static bool
item_matches(struct mstate *ms, const char *s, const char *p, const char *ep)
{
	int c;

	if (s >= ms->src_end)
		return false;
	c = (unsigned char)*s;
	switch (*p) {
	case '.':
		return true;
	case ESC:
		return class_matches(c, (unsigned char)p[1]);
	case '[':
		count_set(ms, p, ep);
		return set_matches(c, p, ep - 1);
	default:
		return (unsigned char)*p == c;
	}
}

/* ---- repetitions ---- */

/* item* (and item+ from s + 1): the longest run first, giving back one at a time. */
static const char *
repeat_longest(struct mstate *ms, const char *s, const char *p, const char *ep)
{
	ptrdiff_t n = 0;
	const char *r;

	while (item_matches(ms, s + n, p, ep))
		n++;
	count_steps(ms, (uint64_t)n);
	for (; n >= 0; n--)
		if ((r = match_here(ms, s + n, ep + 1)) != NULL)
			return r;
	return NULL;
}

/* item-: the shortest run first, one more at a time. */
static const char *
repeat_shortest(struct mstate *ms, const char *s, const char *p, const char *ep)
{
	const char *r;

	for (;;) {
		if ((r = match_here(ms, s, ep + 1)) != NULL)
			return r;
		if (!item_matches(ms, s, p, ep))
			return NULL;
		s++;
	}
}

/* ---- captures ---- */

/* '(' or '()' at s; the rest of the pattern from p. Undone if the rest fails. */
static const char *
open_capture(struct mstate *ms, const char *s, const char *p, ptrdiff_t kind)
{
	const char *r;

	if (ms->ncap >= MAX_CAPTURES)
		luaL_error(ms->L, "too many captures");
	ms->cap[ms->ncap].start = s;
	ms->cap[ms->ncap].len = kind;
	ms->ncap++;
	if ((r = match_here(ms, s, p)) == NULL)
		ms->ncap--;
	return r;
}

/* ')' closes the innermost capture still open. */
static const char *
close_capture(struct mstate *ms, const char *s, const char *p)
{
	int i = ms->ncap - 1;
	const char *r;

	while (i >= 0 && ms->cap[i].len != CAP_OPEN)
		i--;
	if (i < 0)
		luaL_error(ms->L, "invalid pattern capture");
	ms->cap[i].len = s - ms->cap[i].start;
	if ((r = match_here(ms, s, p)) == NULL)
		ms->cap[i].len = CAP_OPEN;
	return r;
}

/* %1-%9 in a pattern (and %0, always an error): the text of a closed capture again. */
static const char *
match_backref(struct mstate *ms, const char *s, int digit)
{
	int i = digit - '1';
	ptrdiff_t len;

	if (i < 0 || i >= ms->ncap || ms->cap[i].len == CAP_OPEN)
		luaL_error(ms->L, "invalid capture index %%%d", i + 1);
	len = ms->cap[i].len;
	if (len == CAP_POSITION || ms->src_end - s < len)
		return NULL; /* a position is no text: it never matches */
	count_steps(ms, (uint64_t)len);
	return memcmp(ms->cap[i].start, s, (size_t)len) == 0 ? s + len : NULL;
}

/* ---- %b and %f ---- */

/* %bxy at p ("xy"): x, then text in which x and y balance, then y. */
static const char *
match_balanced(struct mstate *ms, const char *s, const char *p)
{
	int open = p[0], close = p[1], depth = 1;
	const char *t;

	if (s >= ms->src_end || *s != open)
		return NULL;
	for (t = s + 1; t < ms->src_end; t++) {
		if (*t == close) {
			if (--depth == 0) {
				count_steps(ms, (uint64_t)(t - s));
				return t + 1;
			}
		} else if (*t == open) {
			depth++;
		}
	}
	count_steps(ms, (uint64_t)(t - s));
	return NULL;
}

/* %f[set] with the set from p to ep: the character before s is not in it, the one at s is ('\0' past either end). */
static bool
at_frontier(struct mstate *ms, const char *s, const char *p, const char *ep)
{
	int before = s > ms->src ? (unsigned char)s[-1] : 0;
	int here = s < ms->src_end ? (unsigned char)*s : 0;

	count_set(ms, p, ep);
	return !set_matches(before, p, ep - 1) && set_matches(here, p, ep - 1);
}

/* ---- the matcher ---- */

/*
 * %b, %f or %1-%9 at p: where the subject continues (NULL: no match) and,
 * through *next, the pattern. Any other escape is a single-character item:
 * *next is left NULL.
 */
static const char *
match_escape(struct mstate *ms, const char *s, const char *p, const char **next)
{
	const char *end = ms->pat_end, *ep;

	*next = NULL;
	switch (p[1]) {
	case 'b':
		if (end - (p + 2) < 2)
			malformed(ms, "missing arguments to '%b'");
		*next = p + 4;
		return match_balanced(ms, s, p + 2);
	case 'f':
		if (p + 2 >= end || p[2] != '[')
			luaL_error(ms->L, "missing '[' after '%%f' in pattern");
		ep = set_end(ms, p + 2);
		*next = ep;
		return at_frontier(ms, s, p + 2, ep) ? s : NULL;
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		*next = p + 2;
		return match_backref(ms, s, p[1]);
	default:
		return s;
	}
}

/*
 * A single-character item at p, perhaps with a quantifier. Either the
 * caller goes on from the subject position returned with the pattern at
 * *next (one or, for * - ?, zero occurrences, no backtracking needed), or,
 * *next left NULL, the result is the end of the whole match or NULL.
 */
static const char *
match_item(struct mstate *ms, const char *s, const char *p, const char **next)
{
	const char *ep = item_end(ms, p), *r;
	int q = ep < ms->pat_end ? *ep : 0;

	*next = NULL;
	if (!item_matches(ms, s, p, ep)) {
		if (q == '*' || q == '?' || q == '-') {
			*next = ep + 1; /* zero of them will do */
			return s;
		}
		return NULL;
	}
	switch (q) {
	case '?':
		if ((r = match_here(ms, s + 1, ep + 1)) != NULL)
			return r;
		*next = ep + 1;
		return s;
	case '+':
		return repeat_longest(ms, s + 1, p, ep);
	case '*':
		return repeat_longest(ms, s, p, ep);
	case '-':
		return repeat_shortest(ms, s, p, ep);
	default:
		*next = ep;
		return s + 1;
	}
}

/*
 * Match the pattern from p against the subject from s: the end of the match
 * or NULL. Items that cannot backtrack are taken in the loop; the others
 * nest a call for the rest of the pattern, and the nesting is limited as in
 * Lua, where it protects the C stack.
 */
static const char *
match_here(struct mstate *ms, const char *s, const char *p)
{
	const char *end = ms->pat_end, *next, *r = NULL;

	if (ms->nesting-- == 0)
		luaL_error(ms->L, "pattern too complex");
	while (s != NULL) {
		count_steps(ms, 1);
		if (p == end) {
			r = s;
			break;
		}
		next = NULL;
		if (*p == '(') {
			r = (p + 1 < end && p[1] == ')') ? open_capture(ms, s, p + 2, CAP_POSITION)
			    : open_capture(ms, s, p + 1, CAP_OPEN);
			break;
		} else if (*p == ')') {
			r = close_capture(ms, s, p + 1);
			break;
		} else if (*p == '$' && p + 1 == end) {
			r = s == ms->src_end ? s : NULL;
			break;
		} else if (*p == ESC && p + 1 < end) {
			s = match_escape(ms, s, p, &next);
		}
		if (next == NULL) {
			s = match_item(ms, s, p, &next);
			if (next == NULL) {
				r = s; /* decided by a nested call */
				break;
			}
		}
		p = next;
	}
	ms->nesting++;
	return r;
}

/* ---- captures to Lua values ---- */

/* Push capture i (0-based); with no captures at all, capture 0 is the whole match s..e. */
static void
push_capture(struct mstate *ms, int i, const char *s, const char *e)
{
	if (i >= ms->ncap) {
		if (i != 0)
			luaL_error(ms->L, "invalid capture index %%%d", i + 1);
		lua_pushlstring(ms->L, s, (size_t)(e - s));
		return;
	}
	if (ms->cap[i].len == CAP_OPEN)
		luaL_error(ms->L, "unfinished capture");
	if (ms->cap[i].len == CAP_POSITION)
		lua_pushinteger(ms->L, ms->cap[i].start - ms->src + 1);
	else
		lua_pushlstring(ms->L, ms->cap[i].start, (size_t)ms->cap[i].len);
}

/* Push all captures (the whole match if there are none and s is set); how many. */
static int
push_captures(struct mstate *ms, const char *s, const char *e)
{
	int n = ms->ncap == 0 && s != NULL ? 1 : ms->ncap;

	luaL_checkstack(ms->L, n, "too many captures");
	for (int i = 0; i < n; i++)
		push_capture(ms, i, s, e);
	return n;
}

/* ---- find and match ---- */

/* A start position (1-based, negative from the end) as Lua 5.4 clamps it: 1..anything. */
static size_t
start_position(lua_Integer pos, size_t len)
{
	if (pos > 0)
		return (size_t)pos;
	if (pos == 0 || pos < -(lua_Integer)len)
		return 1;
	return len + (size_t)pos + 1;
}

/* A pattern with none of the magic characters is searched for as plain text. */
static bool
is_plain(const char *p, size_t lp)
{
	static const char magic[] = "^$*+?.([%-";

	for (size_t i = 0; i < lp; i++)
		if (p[i] != '\0' && strchr(magic, p[i]) != NULL)
			return false;
	return true;
}

/* string.find with plain text: memmem's search is linear, so no steps are needed. */
static int
find_plain(lua_State *L, const char *s, size_t ls, size_t init, const char *p, size_t lp)
{
	const char *at = memmem(s + init, ls - init, p, lp);

	if (at == NULL) {
		luaL_pushfail(L);
		return 1;
	}
	lua_pushinteger(L, at - s + 1);
	lua_pushinteger(L, at - s + (lua_Integer)lp);
	return 2;
}

static int
find_or_match(lua_State *L, bool find)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	size_t init = start_position(luaL_optinteger(L, 3, 1), ls) - 1;
	const char *s1, *e;
	bool anchored;
	struct mstate ms;

	if (init > ls) {
		luaL_pushfail(L);
		return 1;
	}
	if (find && (lua_toboolean(L, 4) || is_plain(p, lp)))
		return find_plain(L, s, ls, init, p, lp);
	anchored = lp > 0 && *p == '^';
	if (anchored) {
		p++;
		lp--;
	}
	start_call(&ms, L, s, ls, p, lp);
	for (s1 = s + init;; s1++) {
		start_attempt(&ms);
		if ((e = match_here(&ms, s1, p)) != NULL) {
			if (!find)
				return push_captures(&ms, s1, e);
			lua_pushinteger(L, s1 - s + 1);
			lua_pushinteger(L, e - s);
			return 2 + push_captures(&ms, NULL, NULL);
		}
		if (anchored || s1 >= ms.src_end)
			break;
	}
	luaL_pushfail(L);
	return 1;
}

int
lx_find(lua_State *L)
{
	return find_or_match(L, true);
}

int
lx_match(lua_State *L)
{
	return find_or_match(L, false);
}

/* ---- gmatch ---- */

/* The iterator's state (a userdata; the subject and pattern are its closure's upvalues). */
struct gmatch {
	const char *next;      /* where the next search starts */
	const char *lastmatch; /* end of the last match: an empty match there does not count */
	const char *pat;
	struct mstate ms;
};

static int
gmatch_next(lua_State *L)
{
	struct gmatch *gm = lua_touserdata(L, lua_upvalueindex(3));
	struct mstate *ms = &gm->ms;
	const char *e;

	ms->L = L; /* the loop may run in another coroutine than gmatch did */
	ms->steps = ms->charged = 0;
	for (; gm->next <= ms->src_end; gm->next++) {
		start_attempt(ms);
		if ((e = match_here(ms, gm->next, gm->pat)) != NULL && e != gm->lastmatch) {
			const char *from = gm->next;

			gm->next = gm->lastmatch = e;
			return push_captures(ms, from, e);
		}
	}
	return 0;
}

/* string.gmatch(s, pattern [, init]); '^' is an ordinary character here, as in Lua. */
int
lx_gmatch(lua_State *L)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	size_t init = start_position(luaL_optinteger(L, 3, 1), ls) - 1;
	struct gmatch *gm;

	if (init > ls)
		init = ls + 1; /* past the end (its '\0' is still inside the string): no iterations */
	lua_settop(L, 2);
	gm = lua_newuserdatauv(L, sizeof *gm, 0);
	start_call(&gm->ms, L, s, ls, p, lp);
	gm->next = s + init;
	gm->lastmatch = NULL;
	gm->pat = p;
	lua_pushcclosure(L, gmatch_next, 3);
	return 1;
}

/* ---- gsub ---- */

/* A replacement string: %0-%9 are captures, %% is '%'; any other '%' is an error. */
static void
add_template(struct mstate *ms, luaL_Buffer *b, const char *s, const char *e)
{
	lua_State *L = ms->L;
	size_t len;
	const char *t = lua_tolstring(L, 3, &len), *end = t + len, *esc;

	while ((esc = memchr(t, ESC, (size_t)(end - t))) != NULL) {
		luaL_addlstring(b, t, (size_t)(esc - t));
		t = esc + 1;
		if (t < end && *t == ESC) {
			luaL_addchar(b, ESC);
		} else if (t < end && *t == '0') {
			luaL_addlstring(b, s, (size_t)(e - s));
		} else if (t < end && isdigit((unsigned char)*t)) {
			push_capture(ms, *t - '1', s, e);
			luaL_addvalue(b); /* a position capture, a number, as its digits */
		} else {
			luaL_error(L, "invalid use of '%c' in replacement string", ESC);
		}
		t++;
	}
	luaL_addlstring(b, t, (size_t)(end - t));
}

/* The replacement for the match s..e, by the kind of gsub's third argument. */
static void
add_replacement(struct mstate *ms, luaL_Buffer *b, const char *s, const char *e, int kind)
{
	lua_State *L = ms->L;

	if (kind == LUA_TFUNCTION) {
		lua_pushvalue(L, 3);
		lua_call(L, push_captures(ms, s, e), 1);
	} else if (kind == LUA_TTABLE) {
		push_capture(ms, 0, s, e);
		lua_gettable(L, 3);
	} else {
		add_template(ms, b, s, e);
		return;
	}
	if (!lua_toboolean(L, -1)) { /* nil or false: the match stays as it was */
		lua_pop(L, 1);
		luaL_addlstring(b, s, (size_t)(e - s));
	} else if (!lua_isstring(L, -1)) {
		luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
	} else {
		luaL_addvalue(b);
	}
}

/* string.gsub(s, pattern, repl [, n]) */
int
lx_gsub(lua_State *L)
{
	size_t ls, lp;
	const char *src = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	int kind = lua_type(L, 3);
	lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1), n = 0;
	const char *lastmatch = NULL, *e;
	bool anchored = lp > 0 && *p == '^';
	struct mstate ms;
	luaL_Buffer b;

	luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION
	    || kind == LUA_TTABLE, 3, "string/function/table");
	if (anchored) {
		p++;
		lp--;
	}
	luaL_buffinit(L, &b);
	start_call(&ms, L, src, ls, p, lp);
	while (n < max) {
		start_attempt(&ms);
		if ((e = match_here(&ms, src, p)) != NULL && e != lastmatch) {
			n++;
			add_replacement(&ms, &b, src, e, kind);
			src = lastmatch = e;
		} else if (src < ms.src_end) {
			luaL_addchar(&b, *src++);
		} else {
			break;
		}
		if (anchored)
			break;
	}
	luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
	luaL_pushresult(&b);
	lua_pushinteger(L, n);
	return 2;
}
