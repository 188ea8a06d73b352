/*
 * partition.h: which rank runs which device in a distributed run
 * (docs/distributed.md, "The partition").
 *
 * A deterministic balanced partition that cuts few links: the devices in
 * breadth-first order (from the lowest-numbered device of each connected
 * part of the network, neighbours in the order the adjacency lists them),
 * cut into consecutive blocks of equal size, one per rank. A breadth-first
 * block is a band of wavefronts grown from one place, so the links it cuts
 * are those across the band's two edges, not spread over the whole network
 * (a grid is cut along diagonals). Devices pinned to a rank (`rank: N` in
 * the topology) stay there and count towards its share; the free devices
 * fill what is left of each rank's share, in the same order, and a rank
 * pinned beyond its share leaves the rest evenly to the others.
 */
#ifndef NETSIM_PARTITION_H
#define NETSIM_PARTITION_H

#include <stddef.h>
#include <stdint.h>

/*
 * The graph in compressed rows: vertex v's neighbours are adj[off[v] ..
 * off[v + 1]). pin[v] is v's rank or -1 (pin may be NULL); part[v] gets its
 * rank, 0 to k - 1.
 */
void partition_bfs(size_t n, const size_t *off, const uint32_t *adj, const int *pin, int k,
                   int *part);

#endif
