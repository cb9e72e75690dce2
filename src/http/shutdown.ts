// The stop of a replica as the HTTP side sees it (decision 0106). On SIGTERM readiness fails at once while every
// request is still served: the drain, for the load balancer to notice. Every answer from then on carries
// `Connection: close`, so a keep-alive connection ends after an answer, never under a request the client is
// sending. Then the listener closes, the requests already received are answered, and the process stops.
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface ShutdownGate {
  /** True from SIGTERM on. */
  readonly stopping: boolean;
  begin(): void;
}

export function createShutdownGate(): ShutdownGate {
  let stopping = false;
  return {
    get stopping() {
      return stopping;
    },
    begin() {
      stopping = true;
    },
  };
}

export function installShutdownHooks(app: FastifyInstance, gate: ShutdownGate): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (gate.stopping) reply.header('connection', 'close');
    return payload;
  });
}

// Long enough for a connection accepted just before the listener closed to deliver its request (a client writes
// it right after connecting), which makes the connection busy rather than idle when idle ones are closed.
const ACCEPTED_SETTLE_MS = 200;

/** Stops accepting connections without closing the idle ones yet (Node's http close does both at once). */
export async function stopAccepting(server: Server): Promise<void> {
  NetServer.prototype.close.call(server);
  await new Promise((r) => setTimeout(r, ACCEPTED_SETTLE_MS));
}
