/*
 * test.c: `netsim test DIR`: every scenario (*.lua, not starting with '_')
 * of a directory, each in a fresh process (`netsim run FILE`), as CI wants
 * it: one line per scenario, the output of the failing ones, and
 * "N passed, N failed" with the exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../script/script.h"
#include "cmd.h"

static void
test_usage(FILE *f)
{
	fprintf(f,
	    "usage: netsim test [options] DIR...\n"
	    "  --seed N         seed for every scenario\n"
	    "  --timeout SECS   wall-clock limit per scenario (default 300)\n"
	    "  -v, --verbose    show the output of passing scenarios too\n");
}

/* Run `netsim run [--seed N] FILE` in a child; its output (stdout and stderr) into out. */
static int
run_one(const char *file, const char *seed, unsigned timeout, struct strbuf *out)
{
	int fd[2], status;
	pid_t pid;
	char buf[4096];
	ssize_t n;

	if (pipe(fd) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		char *args[8];
		int k = 0;

		dup2(fd[1], STDOUT_FILENO);
		dup2(fd[1], STDERR_FILENO);
		close(fd[0]);
		close(fd[1]);
		args[k++] = "netsim";
		args[k++] = "run";
		if (seed) {
			args[k++] = "--seed";
			args[k++] = (char *)seed;
		}
		args[k++] = (char *)file;
		args[k] = NULL;
		alarm(timeout); /* survives exec: a hung scenario is killed */
		execv("/proc/self/exe", args);
		fprintf(stderr, "netsim test: exec: %s\n", strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	while ((n = read(fd[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			sb_addn(out, buf, (size_t)n);
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status)) {
		sb_printf(out, "netsim test: killed by signal %d%s\n", WTERMSIG(status),
		    WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

static void
indent(const char *s)
{
	const char *line = s;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		printf("    %.*s\n", (int)len, line);
		line += len + (nl != NULL);
	}
}

int
cmd_test(int argc, char **argv)
{
	static const struct option lopts[] = {
	    {"seed", required_argument, NULL, 's'}, {"timeout", required_argument, NULL, 't'},
	    {"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	const char *seed = NULL;
	unsigned timeout = 300;
	bool verbose = false;
	int passed = 0, failed = 0, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "vh", lopts, NULL)) != -1) {
		switch (c) {
		case 's':
			seed = optarg;
			break;
		case 't':
			timeout = (unsigned)atoi(optarg);
			if (timeout == 0) {
				fprintf(stderr, "netsim test: bad --timeout '%s'\n", optarg);
				return 2;
			}
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			test_usage(stdout);
			return 0;
		default:
			test_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		test_usage(stderr);
		return 2;
	}
	for (int d = optind; d < argc; d++) {
		struct strbuf err = STRBUF_INIT;
		char **files = script_list_dir(argv[d], &err);

		if (files == NULL) {
			fprintf(stderr, "netsim test: %s", sb_str(&err));
			sb_free(&err);
			failed++;
			continue;
		}
		sb_free(&err);
		for (size_t i = 0; files[i]; i++) {
			char *path = xasprintf("%s/%s", argv[d], files[i]);
			struct strbuf out = STRBUF_INIT;
			int rc = run_one(path, seed, timeout, &out);

			if (rc == 0) {
				passed++;
				printf("PASS %s\n", path);
				if (verbose)
					indent(sb_str(&out));
			} else {
				failed++;
				printf("FAIL %s (exit %d)\n", path, rc);
				indent(sb_str(&out));
			}
			fflush(stdout);
			sb_free(&out);
			free(path);
			free(files[i]);
		}
		free(files);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed > 0 || passed == 0 ? 1 : 0;
}
