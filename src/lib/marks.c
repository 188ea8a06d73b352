/* marks.c: see marks.h. */
#include <string.h>

#include "marks.h"
#include "util.h"

void
stamped_grow(void **v, size_t *n, size_t need, size_t sz)
{
	size_t old = *n;

	*n = MAX(need, old * 2);
	*v = xrealloc(*v, *n * sz);
	memset((char *)*v + old * sz, 0, (*n - old) * sz);
}

void
marks_clear(struct marks *m, size_t n)
{
	size_t old = m->cap;

	/* gen_of is a stamped array of bare stamps; val follows its size. */
	STAMPED_CLEAR(m->gen_of, m->cap, m->gen, n);
	if (m->cap != old)
		m->val = xrealloc(m->val, m->cap * sizeof(*m->val));
}
