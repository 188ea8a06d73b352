/*
 * policy_lua.c: Lua route maps (policy.h), not in this build yet: a route
 * map written in Lua is refused at configuration with a clear error, so
 * nothing ever runs one.
 */
#include <stdio.h>

#include "../../lib/util.h"
#include "policy.h"

struct policy_lua *
policy_lua_new(const char *src UNUSED, size_t len UNUSED, const char *where UNUSED, char *err,
    size_t errlen)
{
	snprintf(err, errlen, "Lua route maps are not available in this build of netsim");
	return NULL;
}

enum policy_verdict
policy_lua_apply(struct policy_lua *l UNUSED, struct policy_route *r UNUSED)
{
	return POLICY_DENY;
}

void
policy_lua_free(struct policy_lua *l UNUSED)
{
}
