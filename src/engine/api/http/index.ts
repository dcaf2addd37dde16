// The HTTP side of the Engine API, as route writers and transports use it.
export { HttpApiServer, HttpLimits, type HttpServerOptions } from './server.ts';
export { ClientGoneError, guestSocketConnection, type HttpConnection } from './connection.ts';
export { Router, type RouteMatch } from './router.ts';
export {
  bytes, empty, hijack, json, stream,
  type ApiRequest, type ApiResponse, type FilterArgs, type Handler, type HijackedStream, type ResponseHeaders, type StreamWriter,
} from './response.ts';
export { addPingRoutes, type PingOptions } from './ping.ts';
export { parseFiltersJson, Query } from './query.ts';
export type { HttpHeaders } from './head.ts';
export { compareApiVersions } from './target.ts';
export { MULTIPLEXED_STREAM, RAW_STREAM } from './respond.ts';
export { encodeStdFrame, StdFrameDecoder, StdFrameError, StdStream, type StdFrame, type StdStreamType } from './stdcopy.ts';
export { encodeJson } from './json.ts';
