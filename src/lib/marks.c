/* marks.c: see marks.h. */
#include <string.h>

#include "marks.h"
#include "util.h"

void
marks_clear(struct marks *m, size_t n)
{
	if (m->cap < n) {
		size_t old = m->cap;

		m->cap = n * 2;
		m->gen_of = xrealloc(m->gen_of, m->cap * sizeof(*m->gen_of));
		m->val = xrealloc(m->val, m->cap * sizeof(*m->val));
		memset(m->gen_of + old, 0, (m->cap - old) * sizeof(*m->gen_of));
	}
	if (++m->gen == 0) { /* wrapped: slots set 2^32 generations ago would match */
		memset(m->gen_of, 0, m->cap * sizeof(*m->gen_of));
		m->gen = 1;
	}
}
