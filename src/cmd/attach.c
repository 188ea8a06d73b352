/* attach.c: `netsim attach NAME DEVICE` (the console itself: src/daemon/attach.c). */
#include <stdio.h>
#include <string.h>

#include "../daemon/daemon.h"
#include "cmd.h"

int
cmd_attach(int argc, char **argv)
{
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf(
		    "usage: netsim attach NAME DEVICE\n"
		    "  an interactive console on DEVICE ('-': the network scope) of daemon NAME:\n"
		    "  device commands, Lua (statements, = expr), connect OTHER, help, exit\n");
		return 0;
	}
	if (argc != 3 && argc != 2) {
		fprintf(stderr, "usage: netsim attach NAME DEVICE\n");
		return DMN_USAGE;
	}
	return attach_main(argv[1], argc == 3 ? argv[2] : "-");
}
