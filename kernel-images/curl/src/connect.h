/* Opening the connection: name resolution, each address in turn, deadlines, curl's messages. */
#pragma once

#include "curl.h"
#include "options.h"
#include "url.h"

/* Connects to url (or to opts->unix_socket). started is when the transfer began (for curl's
 * "after N ms"); deadline is 0 or the monotonic ms by which the connection must be up. */
int connect_to(const struct url *url, const struct curl_options *opts, long long started,
	       long long deadline, int *fd, struct curl_error *err);
