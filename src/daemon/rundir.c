/*
 * rundir.c: the runtime directory of the daemons and their files.
 *
 * $XDG_RUNTIME_DIR/netsim/ (or ~/.netsim/run/ without it), mode 0700, holds
 * NAME.sock (the control socket), NAME.pid and NAME.log per daemon.
 *
 * Liveness is a lock, not a pid: the daemon holds an exclusive flock(2) on
 * NAME.pid for its whole life. A pid can be reused by an unrelated process
 * after a crash, a lock cannot outlive its process, so "the lock is free"
 * means exactly "the daemon is dead" and its files are stale. Claiming a name
 * takes that lock before anything else, which also makes two concurrent
 * `daemon start` of one NAME safe: the second finds the lock taken.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../lib/util.h"
#include "daemon.h"

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

static char dirpath[sizeof(((struct sockaddr_un *)0)->sun_path)];

/* mkdir with mode 0700; an existing directory must be ours and private. */
static bool
private_dir(const char *path, struct strbuf *err)
{
	struct stat st;

	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		sb_printf(err, "cannot create %s: %s\n", path, strerror(errno));
		return false;
	}
	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		sb_printf(err, "%s is not a directory\n", path);
		return false;
	}
	if (st.st_uid != geteuid()) {
		sb_printf(err, "%s belongs to another user\n", path);
		return false;
	}
	/* Others must not reach the sockets: repair a directory created with a wider mode. */
	if ((st.st_mode & 077) != 0 && chmod(path, 0700) < 0) {
		sb_printf(err, "cannot make %s private: %s\n", path, strerror(errno));
		return false;
	}
	return true;
}

const char *
rundir_path(struct strbuf *err)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR"), *home;
	char base[sizeof(dirpath)];
	int n;

	if (dirpath[0] != '\0')
		return dirpath;
	if (xdg != NULL && *xdg == '/') {
		n = snprintf(dirpath, sizeof(dirpath), "%s/netsim", xdg);
	} else {
		struct passwd *pw;

		home = getenv("HOME");
		if ((home == NULL || *home != '/') && (pw = getpwuid(getuid())) != NULL)
			home = pw->pw_dir;
		if (home == NULL || *home != '/') {
			sb_add(err, "no runtime directory: set XDG_RUNTIME_DIR or HOME\n");
			return NULL;
		}
		n = snprintf(base, sizeof(base), "%s/.netsim", home);
		if (n < 0 || (size_t)n >= sizeof(base) || !private_dir(base, err)) {
			if (n < 0 || (size_t)n >= sizeof(base))
				sb_add(err, "runtime directory path too long\n");
			return NULL;
		}
		n = snprintf(dirpath, sizeof(dirpath), "%s/run", base);
	}
	/* Room for "/NAME.sock" with the longest name: a socket path has 108 bytes. */
	if (n < 0 || (size_t)n + 1 + 64 + 5 >= sizeof(dirpath)) {
		dirpath[0] = '\0';
		sb_add(err, "runtime directory path too long for a UNIX socket\n");
		return NULL;
	}
	if (!private_dir(dirpath, err)) {
		dirpath[0] = '\0';
		return NULL;
	}
	return dirpath;
}

bool
rundir_name_ok(const char *name, struct strbuf *err)
{
	size_t n = strlen(name);

	if (n == 0 || n > 64 || name[0] == '.' || name[0] == '-' || strspn(name, NAME_CHARS) != n) {
		sb_printf(err, "bad daemon name '%s': use 1-64 letters, digits, '.', '_' or '-'\n",
		    name);
		return false;
	}
	return true;
}

char *
rundir_file(const char *name, const char *ext)
{
	return xasprintf("%s/%s.%s", dirpath, name, ext);
}

static pid_t
read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long v;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	v = strtol(buf, NULL, 10);
	return v > 0 ? (pid_t)v : 0;
}

/* Does anything accept connections on the socket file? */
static bool
sock_answers(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

int
rundir_open_pid(const char *name)
{
	char *pidf = rundir_file(name, "pid");
	int fd = open(pidf, O_RDONLY | O_CLOEXEC);

	free(pidf);
	return fd;
}

bool
rundir_fd_locked(int fd)
{
	/* The daemon holds an exclusive lock: a shared one is refused while it lives. */
	if (flock(fd, LOCK_SH | LOCK_NB) < 0)
		return errno == EWOULDBLOCK;
	flock(fd, LOCK_UN);
	return false;
}

enum rundir_state
rundir_probe(const char *name, pid_t *pidp)
{
	char *pidf = rundir_file(name, "pid"), *sockf = rundir_file(name, "sock");
	enum rundir_state st = RUNDIR_NONE;
	int fd = open(pidf, O_RDONLY | O_CLOEXEC);

	if (pidp)
		*pidp = 0;
	if (fd >= 0) {
		if (pidp)
			*pidp = read_pid(fd);
		st = rundir_fd_locked(fd) ? RUNDIR_ALIVE : RUNDIR_STALE;
		close(fd);
	} else if (access(sockf, F_OK) == 0) {
		/* A socket without its pid file (removed by hand): ask the socket itself. */
		st = sock_answers(sockf) ? RUNDIR_ALIVE : RUNDIR_STALE;
	}
	free(pidf);
	free(sockf);
	return st;
}

bool
rundir_clean_stale(const char *name)
{
	char *pidf = rundir_file(name, "pid"), *sockf = rundir_file(name, "sock");
	int fd = open(pidf, O_RDONLY | O_CLOEXEC);
	bool cleaned = false;

	if (fd >= 0) {
		/*
		 * Hold the lock while removing, so that a daemon starting right now
		 * (which must take the same lock) cannot lose its fresh files.
		 */
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			unlink(sockf);
			unlink(pidf);
			cleaned = true;
		}
		close(fd);
	} else if (access(sockf, F_OK) == 0 && !sock_answers(sockf)) {
		unlink(sockf);
		cleaned = true;
	}
	free(pidf);
	free(sockf);
	return cleaned;
}

int
rundir_claim(const char *name, struct strbuf *err)
{
	char *pidf = rundir_file(name, "pid"), *sockf = rundir_file(name, "sock");
	int fd = -1;

	for (int tries = 0; tries < 10; tries++) {
		struct stat a, b;

		fd = open(pidf, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0) {
			sb_printf(err, "cannot create %s: %s\n", pidf, strerror(errno));
			break;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			pid_t pid = read_pid(fd);

			close(fd);
			fd = -1;
			if (errno == EWOULDBLOCK)
				sb_printf(err, "a daemon named '%s' is already running (pid %ld)\n",
				    name, (long)pid);
			else
				sb_printf(err, "cannot lock %s: %s\n", pidf, strerror(errno));
			break;
		}
		/*
		 * Locked, but maybe a file that a stale cleanup unlinked between our
		 * open and our lock: only the file still at the path counts.
		 */
		if (fstat(fd, &a) == 0 && stat(pidf, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			break;
		close(fd);
		fd = -1;
	}
	if (fd >= 0) {
		/* We own the name: whatever socket is there belongs to a dead daemon. */
		if (sock_answers(sockf)) {
			sb_printf(err, "%s answers but no daemon holds its lock; not starting\n",
			    sockf);
			unlink(pidf);
			close(fd);
			fd = -1;
		} else {
			unlink(sockf);
			if (ftruncate(fd, 0) < 0)
				(void)0;
		}
	} else if (err->len == 0) {
		sb_printf(err, "cannot claim the name '%s'\n", name);
	}
	free(pidf);
	free(sockf);
	return fd;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
rundir_list(void)
{
	DIR *d = opendir(dirpath);
	struct dirent *e;
	char **v = NULL;
	size_t n = 0, cap = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char *name;

		if (len <= 4 || strcmp(e->d_name + len - 4, ".pid") != 0)
			continue;
		name = xstrndup(e->d_name, len - 4);
		if (rundir_probe(name, NULL) == RUNDIR_ALIVE)
			VEC_PUSH(v, n, cap, name);
		else
			free(name);
	}
	if (d != NULL)
		closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), name_cmp);
	VEC_PUSH(v, n, cap, NULL);
	return v;
}

int
rundir_open_log(const char *name)
{
	char *log = rundir_file(name, "log"), *old = rundir_file(name, "log.old");
	int fd;

	/* Keep the previous run's log (a crash's last words) until the next start. */
	rename(log, old);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	free(log);
	free(old);
	return fd;
}

void
rundir_read_ready(int fd, struct strbuf *out)
{
	for (;;) {
		char buf[4096];
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sb_addn(out, buf, (size_t)n);
	}
	close(fd);
}
