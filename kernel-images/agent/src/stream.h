/* Host-visible streams (spawned processes, connected sockets, listeners) and their flow-controlled
 * channels. Streams killed during a loop iteration stay allocated (dead) until its end so that
 * pending poll results never touch freed memory. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "unix_socket.h"
#include "util.h"

/* STREAM_SOCKET: a TCP connection, or a unix one accepted by a UNIX_LISTEN listener. */
enum stream_kind { STREAM_SPAWN, STREAM_SOCKET, STREAM_LISTENER };

/* Guest → host: the agent reads fd and sends DATA within the host's window. */
struct out_chan {
	int fd;
	uint32_t window;
	bool done;
};

/* Host → guest (chan 0): DATA is queued and written to fd without blocking. */
struct in_chan {
	int fd;
	struct buffer pending;
	uint32_t unacked;
	bool eof_requested;
	/* The reader went away (EPIPE): further data is dropped but still credited. */
	bool discard;
	bool done;
};

enum console_state { CONSOLE_NONE, CONSOLE_WAITING, CONSOLE_ATTACHED, CONSOLE_FAILED };

struct stream {
	uint32_t id;
	enum stream_kind kind;
	bool dead;
	struct out_chan out[3];
	struct in_chan in;

	/* STREAM_SPAWN */
	pid_t pid;
	uint32_t flags;
	bool exited;
	bool exit_sent;
	int exit_code;
	int exit_signal;
	enum console_state console;
	int console_listen_fd;
	int console_conn_fd;
	char *console_path;
	/* SPAWN_NOTIFY_FD: the read end of the program's fd 3, until every writer closed it. */
	int notify_fd;
	bool notify_sent;

	/* STREAM_SOCKET (sock is shared by in.fd and out[1].fd) and STREAM_LISTENER */
	int sock;
	bool connecting;
	/* A UNIX_LISTEN listener's socket file, removed when the stream dies. */
	struct unix_socket_file unix_file;

	struct stream *next;
};

struct stream *stream_new(uint32_t id, enum stream_kind kind);
struct stream *stream_find(uint32_t id);
struct stream *stream_list(void);
/* Closes the stream's fds (killing a spawn's process group when abort is set); freed later. */
void stream_kill(struct stream *s, bool abort);
void stream_reap_dead(void);
/* A guest stream id (bit 31 set) not in use by any stream or client session. */
uint32_t stream_next_guest_id(void);

enum out_result { OUT_AGAIN, OUT_DATA, OUT_EOF, OUT_ERROR };
/* Reads once from out[chan].fd within the window and sends DATA. OUT_ERROR leaves errno. */
enum out_result out_chan_pump(struct stream *s, int chan);

enum in_result { IN_OK, IN_DRAINED_EOF, IN_ERROR };
/* Queues host data for chan 0 and tries to write it. */
enum in_result in_chan_push(struct stream *s, const uint8_t *data, size_t n);
/* Writes queued data, returning credit as the spec requires. IN_ERROR leaves errno. */
enum in_result in_chan_flush(struct stream *s);
/* Drops queued and future data (crediting it), e.g. after EPIPE. */
void in_chan_discard(struct stream *s);
