/*
 * topo.h: topologies: YAML files (and, through the same builder calls, Lua)
 * turned into a network plus its script.
 *
 * Loading is all-or-nothing: every problem is reported as file:line:col with
 * what is wrong, and nothing half-built is returned.
 */
#ifndef NETSIM_TOPO_H
#define NETSIM_TOPO_H

#include <stdint.h>

#include "../lib/strbuf.h"
#include "../net/net.h"

struct cfg;
struct cfg_doc;

enum at_kind { AT_TIME, AT_CONVERGED, AT_EVENT };

/* `at:` of a script entry: "500ms", "2s", "converged", "converged + 100", "EVENT + 1s". */
struct at_spec {
	enum at_kind kind;
	sim_time offset;
	char *event; /* AT_EVENT: the event's name */
};

struct script_item {
	struct at_spec at;
	char *device;  /* NULL: network scope */
	char *command; /* device CLI */
	char *lua;     /* or a Lua chunk */
	bool expect_fail; /* `expect: fail`: the command is meant to fail */
	int line;
};

struct topo {
	struct network *net;
	struct script_item *script;
	size_t nscript, scriptcap;
	char *lua_file;       /* `lua:` file loaded after the topology is built */
	char **hook_names;    /* `hooks:` event -> Lua chunk */
	char **hook_code;
	size_t nhooks;
	char *dir;            /* directory of the topology file, for relative paths */
};

struct topo_opts {
	uint64_t seed;
	bool seed_set;
};

/* Load a YAML topology; on failure returns NULL and appends messages to errors. */
struct topo *topo_load_yaml(const char *path, const struct topo_opts *, struct strbuf *errors);
/* Build from an already parsed document (the Lua front end builds one too). */
struct topo *topo_build(struct cfg_doc *, const struct topo_opts *);
void topo_free(struct topo *);

bool at_parse(const char *s, struct at_spec *out);
const char *at_str(const struct at_spec *);

#endif
