/*
 * shared_data.h: where unit tests find the shared captures and vectors
 * (the directory beside the repository, or $NETSIM_SHARED). Include after
 * <cmocka.h>: a missing directory fails the test that needs it.
 */
#ifndef NETSIM_TEST_SHARED_DATA_H
#define NETSIM_TEST_SHARED_DATA_H

#include <stdlib.h>
#include <sys/stat.h>

#include "lib/util.h"

static inline const char *
shared_dir(void)
{
	static const char *const fallback[] = {"../shared", "/work/shared"};
	const char *env = getenv("NETSIM_SHARED");
	struct stat st;

	if (env != NULL && *env != '\0' && stat(env, &st) == 0 && S_ISDIR(st.st_mode))
		return env;
	for (size_t i = 0; i < ARRAY_LEN(fallback); i++)
		if (stat(fallback[i], &st) == 0 && S_ISDIR(st.st_mode))
			return fallback[i];
	fail_msg("shared data not found: set NETSIM_SHARED (tried ../shared, /work/shared)");
	return NULL;
}

/* A file under the shared directory (free it). */
static inline char *
shared_path(const char *rel)
{
	return xasprintf("%s/%s", shared_dir(), rel);
}

#endif
