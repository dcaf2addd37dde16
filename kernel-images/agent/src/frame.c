#include "frame.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DECODER_CAPACITY (2 * (FRAME_HEADER_SIZE + FRAME_MAX_PAYLOAD))

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t frame_fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 0x811c9dc5u;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x01000193u;
	}
	return h;
}

bool frame_header_decode(const uint8_t *in, struct frame_header *h)
{
	if (in[0] != 0x53 || in[1] != 0x57)
		return false;
	if (get_le32(in + 12) != frame_fnv1a(in, 12))
		return false;
	h->type = in[2];
	h->chan = in[3];
	h->stream = get_le32(in + 4);
	h->len = get_le32(in + 8);
	return h->len <= FRAME_MAX_PAYLOAD;
}

void reader_init(struct frame_reader *r, const uint8_t *p, size_t n)
{
	r->p = p;
	r->left = n;
	r->short_payload = false;
}

static const uint8_t *reader_take(struct frame_reader *r, size_t n)
{
	const uint8_t *p = r->p;

	if (r->short_payload || r->left < n) {
		r->short_payload = true;
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return p;
}

uint8_t reader_u8(struct frame_reader *r)
{
	const uint8_t *p = reader_take(r, 1);

	return p ? p[0] : 0;
}

uint16_t reader_u16(struct frame_reader *r)
{
	const uint8_t *p = reader_take(r, 2);

	return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

uint32_t reader_u32(struct frame_reader *r)
{
	const uint8_t *p = reader_take(r, 4);

	return p ? get_le32(p) : 0;
}

int32_t reader_i32(struct frame_reader *r)
{
	return (int32_t)reader_u32(r);
}

void reader_bytes(struct frame_reader *r, void *dst, size_t n)
{
	const uint8_t *p = reader_take(r, n);

	if (p)
		memcpy(dst, p, n);
	else
		memset(dst, 0, n);
}

char *reader_str(struct frame_reader *r)
{
	uint32_t len = reader_u32(r);
	const uint8_t *p = reader_take(r, len);
	char *s;

	if (p == NULL)
		return NULL;
	s = malloc((size_t)len + 1);
	if (s == NULL) {
		r->short_payload = true;
		return NULL;
	}
	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

void strv_free(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

char **reader_strs(struct frame_reader *r)
{
	uint32_t count = reader_u32(r);
	char **v;

	/* Each string needs at least its length prefix: reject counts the payload cannot hold. */
	if (r->short_payload || count > r->left / 4) {
		r->short_payload = true;
		return NULL;
	}
	v = calloc((size_t)count + 1, sizeof *v);
	if (v == NULL) {
		r->short_payload = true;
		return NULL;
	}
	for (uint32_t i = 0; i < count; i++) {
		v[i] = reader_str(r);
		if (v[i] == NULL) {
			strv_free(v);
			return NULL;
		}
	}
	return v;
}

void writer_reset(struct frame_writer *w)
{
	w->len = 0;
	w->overflow = false;
}

uint8_t *writer_payload(struct frame_writer *w)
{
	return w->buf + FRAME_HEADER_SIZE;
}

static uint8_t *writer_take(struct frame_writer *w, size_t n)
{
	uint8_t *p;

	if (w->overflow || FRAME_MAX_PAYLOAD - w->len < n) {
		w->overflow = true;
		return NULL;
	}
	p = w->buf + FRAME_HEADER_SIZE + w->len;
	w->len += n;
	return p;
}

void writer_u8(struct frame_writer *w, uint8_t v)
{
	uint8_t *p = writer_take(w, 1);

	if (p)
		p[0] = v;
}

void writer_u16(struct frame_writer *w, uint16_t v)
{
	uint8_t *p = writer_take(w, 2);

	if (p)
		put_le16(p, v);
}

void writer_u32(struct frame_writer *w, uint32_t v)
{
	uint8_t *p = writer_take(w, 4);

	if (p)
		put_le32(p, v);
}

void writer_i32(struct frame_writer *w, int32_t v)
{
	writer_u32(w, (uint32_t)v);
}

void writer_bytes(struct frame_writer *w, const void *src, size_t n)
{
	uint8_t *p = writer_take(w, n);

	if (p)
		memcpy(p, src, n);
}

void writer_str(struct frame_writer *w, const char *s)
{
	size_t n = strlen(s);

	writer_u32(w, (uint32_t)n);
	writer_bytes(w, s, n);
}

size_t writer_finish(struct frame_writer *w, uint8_t type, uint8_t chan, uint32_t stream)
{
	uint8_t *h = w->buf;

	h[0] = 0x53;
	h[1] = 0x57;
	h[2] = type;
	h[3] = chan;
	put_le32(h + 4, stream);
	put_le32(h + 8, (uint32_t)w->len);
	put_le32(h + 12, frame_fnv1a(h, 12));
	return FRAME_HEADER_SIZE + w->len;
}

int decoder_init(struct frame_decoder *d, struct agent_error *err)
{
	memset(d, 0, sizeof *d);
	d->buf = malloc(DECODER_CAPACITY);
	if (d->buf == NULL)
		return agent_error_set(err, ENOMEM, "decoder buffer");
	d->cap = DECODER_CAPACITY;
	return 0;
}

void decoder_free(struct frame_decoder *d)
{
	free(d->buf);
	d->buf = NULL;
}

ssize_t decoder_read(struct frame_decoder *d, int fd)
{
	ssize_t n;

	/* Compact only when a maximal frame might not fit: keeps memmove rare on small reads. */
	if (d->cap - d->end < FRAME_HEADER_SIZE + FRAME_MAX_PAYLOAD) {
		memmove(d->buf, d->buf + d->start, d->end - d->start);
		d->end -= d->start;
		d->start = 0;
	}
	do
		n = read(fd, d->buf + d->end, d->cap - d->end);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		d->end += (size_t)n;
	return n;
}

int decoder_next(struct frame_decoder *d, struct frame_header *h, const uint8_t **payload,
		 bool *malformed)
{
	*malformed = false;
	for (;;) {
		size_t avail = d->end - d->start;

		if (avail < FRAME_HEADER_SIZE)
			return 0;
		if (!frame_header_decode(d->buf + d->start, h)) {
			if (!d->resyncing)
				*malformed = true;
			d->resyncing = true;
			d->start++;
			continue;
		}
		if (avail < FRAME_HEADER_SIZE + h->len)
			return 0;
		d->resyncing = false;
		*payload = d->buf + d->start + FRAME_HEADER_SIZE;
		d->start += FRAME_HEADER_SIZE + h->len;
		if (d->start == d->end)
			d->start = d->end = 0;
		return 1;
	}
}
