// SPDX-License-Identifier: GPL-2.0-only
/*
 * lockwait: the byte-range locks of the workloads, through fcntl().
 *
 *   lockwait hold FILE SECONDS   lock bytes 0..4095 for writing (waiting
 *                                for an earlier holder to let go), print
 *                                "held", keep it SECONDS, then unlock
 *   lockwait wait FILE           wait for that lock (F_SETLKW: over SMB2
 *                                an interim STATUS_PENDING, later the
 *                                final response), print "got"
 *   lockwait try FILE            try once (F_SETLK): print "got", or
 *                                "busy" and exit 1 if another holds it
 *
 * cifs waits for a blocking lock's final response killably only: a
 * SIGKILL, not a SIGINT, ends the wait, and then cifs sends SMB2 CANCEL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = 0, .l_len = 4096 };
	int fd;

	if (argc < 3 || (strcmp(argv[1], "hold") && strcmp(argv[1], "wait") &&
			 strcmp(argv[1], "try"))) {
		fprintf(stderr, "usage: lockwait hold FILE SECONDS | wait FILE | try FILE\n");
		return 64;
	}
	fd = open(argv[2], O_RDWR);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	if (!strcmp(argv[1], "try")) {
		if (!fcntl(fd, F_SETLK, &fl))
			return printf("got\n"), 0;
		if (errno == EAGAIN || errno == EACCES)
			return printf("busy\n"), 1;
		return perror("F_SETLK"), 1;
	}
	if (fcntl(fd, F_SETLKW, &fl))
		return perror("F_SETLKW"), 1;
	if (!strcmp(argv[1], "wait"))
		return printf("got\n"), 0;
	printf("held\n");
	fflush(stdout);
	sleep(argc > 3 ? atoi(argv[3]) : 5);
	fl.l_type = F_UNLCK;
	return fcntl(fd, F_SETLK, &fl) ? perror("unlock"), 1 : 0;
}
