/*
 * label_alloc.c: the node's MPLS label space (RFC 3031 3.11: an LSR binds
 * labels from one per-platform space). Every protocol that hands out
 * incoming labels (LDP for FECs, BGP for VPN routes) takes them here, so
 * that two protocols never give out the same label, even in the instant
 * between the allocation and the LFIB entry it is for.
 *
 * Allocation is next-fit from a cursor per owner (deterministic, as LDP
 * always allocated): each protocol's labels are the numbers it would get
 * alone, except where another protocol holds one already.
 */
#include <string.h>

#include "../lib/util.h"
#include "mpls.h"

/* The owner's cursor (owners are few: a linear search). */
static uint32_t *
cursor(struct mpls_state *ms, const char *owner)
{
	for (size_t i = 0; i < ms->ncursors; i++)
		if (strcmp(ms->cursors[i].owner, owner) == 0)
			return &ms->cursors[i].next;
	ms->cursors = xrealloc(ms->cursors, (ms->ncursors + 1) * sizeof(*ms->cursors));
	ms->cursors[ms->ncursors] = (struct mpls_label_cursor){owner, 0};
	return &ms->cursors[ms->ncursors++].next;
}

uint32_t
mpls_label_alloc(struct node *n, uint32_t min, uint32_t max, const char *owner)
{
	struct mpls_state *ms = mpls_state_get(n);
	uint32_t *next = cursor(ms, owner);

	if (min <= MPLS_LABEL_RESERVED_MAX)
		min = MPLS_LABEL_RESERVED_MAX + 1;
	if (max > LABEL_MAX)
		max = LABEL_MAX;
	if (min > max)
		return 0;
	if (*next < min || *next > max) /* first use, or the range changed */
		*next = min;
	for (uint32_t tries = 0; tries <= max - min; tries++) {
		uint32_t label = *next;

		*next = label == max ? min : label + 1;
		if (hmap_get(&ms->alloc, label) == NULL && !mpls_lfib_has(n, label)) {
			hmap_put(&ms->alloc, label, (void *)owner);
			return label;
		}
	}
	return 0;
}

void
mpls_label_free(struct node *n, uint32_t label)
{
	if (n->mpls != NULL)
		hmap_del(&n->mpls->alloc, label);
}

const char *
mpls_label_owner(const struct node *n, uint32_t label)
{
	return n->mpls != NULL ? hmap_get(&n->mpls->alloc, label) : NULL;
}
