/*
 * fuzz_yaml.c: libFuzzer harness for the YAML topology loader: the input is
 * a topology file's text, parsed from memory (cfg_parse_yaml) and, when it
 * parses, built into a network (topo_build) and freed, as `netsim validate`
 * does with a file.
 *
 * Property beyond "no crash, no leak, no hang": a refused topology always
 * says why (at least one "file:line:col: message" error).
 */
#include <stdint.h>
#include <stdlib.h>

#include "proto/proto.h"
#include "lib/cfg.h"
#include "topo/topo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct cfg_doc *doc;
	struct topo *t = NULL;

	if (!ready) {
		proto_init_all();
		ready = 1;
	}
	doc = cfg_parse_yaml("fuzz.yaml", (const char *)data, size);
	if (doc->root != NULL && doc->nerrors == 0)
		t = topo_build(doc, NULL);
	if (t == NULL && (doc->nerrors == 0 || doc->errors.len == 0))
		abort(); /* refused without a message */
	topo_free(t);
	cfg_doc_free(doc);
	return 0;
}
