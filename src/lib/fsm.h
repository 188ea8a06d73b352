/*
 * fsm.h: table-driven protocol state machines (OSPF's interface and
 * neighbor machines, RFC 2328 9.3 and 10.3; the same shape fits IS-IS
 * adjacencies, BGP, LDP and BFD sessions).
 *
 * A machine is a table of rows {states, event, action, next}, ended by a row
 * whose states are 0, written one transition a line as in the RFCs:
 *
 *     {FSM_S(NSM_DOWN), NSM_EV_START, act_start, NSM_ATTEMPT},
 *
 * The row for (state, event) is the first whose states include state; no
 * row means the event is not expected in that state (the caller counts and
 * traces it). The action, if any, runs on the machine's object (passed as
 * void *, so that every action has the one type the row stores) and returns
 * a state or FSM_SAME; next is a state, FSM_SAME (stay), or FSM_COMPUTED
 * (the action's result, FSM_SAME again meaning stay). Everything around the
 * transition (traces, timers, events the change causes) stays with the
 * protocol: fsm_lookup() and fsm_next() only find the row and the state.
 */
#ifndef NETSIM_FSM_H
#define NETSIM_FSM_H

#include <stddef.h>
#include <stdint.h>

#define FSM_SAME     (-1)
#define FSM_COMPUTED (-2)

/* The bit of state s in a row's states; states are 0..31. */
#define FSM_S(s) (UINT32_C(1) << (s))

struct fsm_row {
	uint32_t states; /* FSM_S() of every state the row applies in; 0 ends the table */
	int ev;
	int (*action)(void *obj); /* NULL: none */
	int next;                 /* a state, FSM_SAME or FSM_COMPUTED */
};

/* The row of table for (state, ev), or NULL when ev is unexpected in state. */
static inline const struct fsm_row *
fsm_lookup(const struct fsm_row *table, int state, int ev)
{
	for (const struct fsm_row *r = table; r->states; r++)
		if ((r->states & FSM_S(state)) && r->ev == ev)
			return r;
	return NULL;
}

/* Run row's action on obj (in state) and return the state to enter. */
static inline int
fsm_next(const struct fsm_row *row, int state, void *obj)
{
	int r = row->action ? row->action(obj) : FSM_SAME;

	if (row->next == FSM_COMPUTED)
		return r == FSM_SAME ? state : r;
	return row->next == FSM_SAME ? state : row->next;
}

#endif
