// pino options shared by the service and its commands. Bodies are never logged (Fastify does not log them and
// no code here does); credentials are redacted wherever they might appear.
import { pino, type Logger, type LoggerOptions } from 'pino';

export const REDACT_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'headers.authorization', 'authorization'];

/** A request in a log line: method and the route pattern it matched, never the URL as sent. A path parameter or
 * a query holds whatever the caller typed (a BSN, a name); the request id ties the line to the response. */
function serializeRequest(req: { method?: string; id?: unknown; routeOptions?: { url?: string | undefined } }) {
  return { method: req.method, route: req.routeOptions?.url ?? 'unmatched', reqId: req.id };
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: 'gcos-zsm-bridge' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    serializers: { req: serializeRequest, err: pino.stdSerializers.err },
  };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

export type { Logger };
