/* cmds.h: the core command tables, registered by cli_setup(). */
#ifndef NETSIM_CMDS_H
#define NETSIM_CMDS_H

#include "cli.h"

extern const struct cli_cmd cmds_route[];
extern const struct cli_cmd cmds_iface[];
extern const struct cli_cmd cmds_l2[];
extern const struct cli_cmd cmds_diag[];
extern const struct cli_cmd cmds_misc[];
extern const struct cli_cmd cmds_tcp[];
extern const struct cli_cmd cmds_mpls[];
extern const struct cli_cmd cmds_vrf[];

/* The `show ip route` legend ("Codes: ..."), built from the protocol registry. */
const char *cli_route_legend(void);

#endif
