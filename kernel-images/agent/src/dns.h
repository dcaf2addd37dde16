/* The Docker host's DNS service: UDP port 53 in the guest, relayed to the engine, which answers. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "poll_set.h"
#include "util.h"

#define DNS_DEFAULT_PORT 53

/* Binds 0.0.0.0:port (0 = no DNS service); the agent runs on without it if this fails. */
int dns_open(uint16_t port, struct agent_error *err);
void dns_collect(struct poll_set *ps);
/* A DNS_ANSWER from the host: sends its message to the client it names. */
void dns_on_host_answer(const uint8_t *payload, size_t len);
