/* setup.c: `help` and the registration of every command table. */
#include <string.h>

#include "../proto/policy/policy.h"
#include "../proto/proto.h"
#include "cli.h"
#include "cmd_net.h"
#include "cmds.h"

static int
cmd_help(struct cli_ctx *c, int argc, char **argv)
{
	char filter[256] = "";

	for (int i = 0; i < argc; i++) {
		if (i)
			strncat(filter, " ", sizeof(filter) - strlen(filter) - 1);
		strncat(filter, argv[i], sizeof(filter) - strlen(filter) - 1);
	}
	cli_help(c, argc ? filter : NULL);
	return 0;
}

const struct cli_cmd cmds_misc[] = {
	{"help", "[COMMAND PREFIX]", "list the commands of this device", cmd_help,
	    CLI_DEV | CLI_NET | CLI_JSON | CLI_HELP},
	{NULL},
};

void
cli_setup(void)
{
	cli_register(cmds_misc);
	cli_register(cmds_route);
	cli_register(cmds_iface);
	cli_register(cmds_l2);
	cli_register(cmds_diag);
	cli_register(cmds_tcp);
	cli_register(cmds_mpls);
	cli_register(cmds_vrf);
	cli_register(cmds_net);
	cli_register(policy_cmds);
	for (int i = 0; i < proto_count; i++)
		if (proto_registry[i]->cmds)
			cli_register(proto_registry[i]->cmds);
}
