/*
 * plugin.c: BGP's entry in the protocol registry while only its
 * configuration exists: the topology's `bgp:` block is read and checked
 * (config.c), and nothing runs yet. bgp.c takes the plug-in over with the
 * protocol's core.
 */
#include <stdlib.h>

#include "bgp.h"

static void
bgp_destroy(struct proto_inst *pi)
{
	struct bgp *b = pi->priv;

	if (b == NULL)
		return;
	bgp_cfg_free(&b->cfg);
	free(b);
	pi->priv = NULL;
}

const struct protocol proto_bgp = {
	.name = "bgp",
	.config = bgp_config,
	.validate = bgp_validate,
	.destroy = bgp_destroy,
};
