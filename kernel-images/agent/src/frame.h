/* Wire format of src/protocol/guest/PROTOCOL.md: frame headers, payload reader/writer, decoder. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

#define PROTOCOL_VERSION 6
#define FRAME_HEADER_SIZE 16
#define FRAME_MAX_PAYLOAD 65536
#define INITIAL_WINDOW 524288u
#define CREDIT_BATCH (INITIAL_WINDOW / 4)
#define GUEST_STREAM_BIT 0x80000000u
#define CONTROL_STREAM 0
/*
 * Largest SESSION request (all its SESSION and SESSION_MORE payloads together). Linux's ARG_MAX
 * under the default 8 MiB stack is 2 MiB for argv and envp, each string costing its bytes, a NUL
 * and a pointer; SESSION spends a 4-byte length per string instead, so whatever exec() let
 * `docker` start with fits in 2 MiB. The rest is room for cwd (PATH_MAX) and the fixed fields.
 */
#define SESSION_MAX_SIZE (2u * 1024 * 1024 + 65536)

enum opcode {
	OP_HELLO = 0x01,
	OP_PING = 0x02,
	OP_PONG = 0x03,
	OP_LOG = 0x04,
	OP_SPAWN = 0x10,
	OP_SPAWNED = 0x11,
	OP_EXIT = 0x12,
	OP_RESIZE = 0x13,
	OP_SIGNAL = 0x14,
	/* Guest: a NOTIFY_FD spawn's program wrote to its fd 3 (crun's poststart hook: the
	 * container runs). Sent once, before the stream's EXIT. */
	OP_NOTIFY = 0x15,
	OP_DATA = 0x20,
	OP_EOF = 0x21,
	OP_CREDIT = 0x22,
	OP_CLOSE = 0x23,
	OP_ERROR = 0x24,
	OP_TCP_CONNECT = 0x30,
	OP_CONNECTED = 0x31,
	OP_TCP_LISTEN = 0x32,
	OP_LISTENING = 0x33,
	OP_ACCEPT = 0x34,
	OP_UNIX_LISTEN = 0x35,
	OP_SESSION = 0x40,
	OP_CONSOLE = 0x41,
	OP_STDIN_OPEN = 0x42,
	OP_SESSION_MORE = 0x43,
	OP_DNS_QUERY = 0x50,
	OP_DNS_ANSWER = 0x51,
};

enum channel { CHAN_STDIN = 0, CHAN_STDOUT = 1, CHAN_STDERR = 2 };

enum spawn_flag {
	SPAWN_PTY = 1 << 0,
	SPAWN_NO_WAIT_OUTPUT = 1 << 1,
	SPAWN_CONSOLE_SOCKET = 1 << 2,
	/* The program gets a pipe as fd 3: its first write is sent to the host as NOTIFY. */
	SPAWN_NOTIFY_FD = 1 << 3
};
enum session_flag {
	SESSION_STDIN_TTY = 1 << 0,
	SESSION_STDOUT_TTY = 1 << 1,
	SESSION_STDERR_TTY = 1 << 2
};
enum stdin_open_flag { STDIN_OPEN_RAW = 1 << 0 };
/* chan of SESSION and SESSION_MORE frames: whether another SESSION_MORE follows. */
enum session_part { SESSION_PART_LAST = 0, SESSION_PART_MORE = 1 };

struct frame_header {
	uint8_t type;
	uint8_t chan;
	uint32_t stream;
	uint32_t len;
};

uint32_t frame_fnv1a(const uint8_t *p, size_t n);
/* False when the magic, check or length is wrong. */
bool frame_header_decode(const uint8_t *in, struct frame_header *h);

/* Reads a payload; any read past the end sets short_payload and yields zeroes/NULL. */
struct frame_reader {
	const uint8_t *p;
	size_t left;
	bool short_payload;
};

void reader_init(struct frame_reader *r, const uint8_t *p, size_t n);
uint8_t reader_u8(struct frame_reader *r);
uint16_t reader_u16(struct frame_reader *r);
uint32_t reader_u32(struct frame_reader *r);
int32_t reader_i32(struct frame_reader *r);
void reader_bytes(struct frame_reader *r, void *dst, size_t n);
/* malloc'd NUL-terminated copy, NULL on a short payload. */
char *reader_str(struct frame_reader *r);
/* malloc'd NULL-terminated vector, NULL on a short payload; free with strv_free. */
char **reader_strs(struct frame_reader *r);
void strv_free(char **v);

/* Builds one frame in place: header in buf[0..16), payload after it. */
struct frame_writer {
	size_t len;
	bool overflow;
	uint8_t buf[FRAME_HEADER_SIZE + FRAME_MAX_PAYLOAD];
};

void writer_reset(struct frame_writer *w);
uint8_t *writer_payload(struct frame_writer *w);
void writer_u8(struct frame_writer *w, uint8_t v);
void writer_u16(struct frame_writer *w, uint16_t v);
void writer_u32(struct frame_writer *w, uint32_t v);
void writer_i32(struct frame_writer *w, int32_t v);
void writer_bytes(struct frame_writer *w, const void *src, size_t n);
void writer_str(struct frame_writer *w, const char *s);
/* Writes the header for the payload built so far; returns the whole frame's size. */
size_t writer_finish(struct frame_writer *w, uint8_t type, uint8_t chan, uint32_t stream);

/* Reassembles frames from a byte stream, resyncing past corrupt headers. */
struct frame_decoder {
	uint8_t *buf;
	size_t start;
	size_t end;
	size_t cap;
	bool resyncing;
};

int decoder_init(struct frame_decoder *d, struct agent_error *err);
void decoder_free(struct frame_decoder *d);
/* One read() into the decoder; returns read()'s result. */
ssize_t decoder_read(struct frame_decoder *d, int fd);
/*
 * 1 with *h and *payload set (valid until the next decoder_read), 0 when more bytes are needed.
 * *malformed is set when a corrupt header starts a resync (log it once).
 */
int decoder_next(struct frame_decoder *d, struct frame_header *h, const uint8_t **payload,
		 bool *malformed);
