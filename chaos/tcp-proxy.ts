// The harness's own TCP proxy between the bridge replicas and the broker. Modes, switchable at any time:
//   pass        bytes flow both ways
//   delay       every chunk is held back `delayMs` before it is forwarded (latency, order kept)
//   drop        open connections are closed (FIN) and new ones closed at once: the broker "goes away"
//   reset       open connections are reset (RST) and new ones reset at once
//   black-hole  connections stay open but nothing is forwarded either way, new ones too: a silent partition.
//               When it heals, the connections that lost bytes are reset, as TCP would after its retransmissions
//               gave up (a stream with a hole in it must not reach the broker).
// retarget() moves it to another server (the database service after a failover).
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'delay' | 'drop' | 'reset' | 'black-hole';

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Bytes were swallowed: the stream has a hole and cannot be used again. */
  holed: boolean;
}

export class TcpProxy {
  readonly port: number;
  private readonly server: Server;
  private readonly pairs = new Set<Pair>();
  private readonly sockets = new Set<Socket>(); // every accepted socket, also those refused in drop mode
  private mode: ProxyMode = 'pass';
  private delayMs = 0;

  private target: { host: string; port: number };

  private constructor(server: Server, port: number, target: { host: string; port: number }) {
    this.server = server;
    this.port = port;
    this.target = target;
  }

  static async listen(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const proxy = new TcpProxy(server, (server.address() as { port: number }).port, target);
    server.on('connection', (s) => proxy.accept(s));
    return proxy;
  }

  get connections(): number {
    return this.pairs.size;
  }

  setMode(mode: ProxyMode, delayMs = 0): void {
    this.mode = mode;
    this.delayMs = delayMs;
    if (mode === 'drop') for (const p of [...this.pairs]) this.closePair(p, false);
    if (mode === 'reset') for (const p of [...this.pairs]) this.closePair(p, true);
    if (mode === 'pass' || mode === 'delay') for (const p of [...this.pairs]) if (p.holed) this.closePair(p, true);
  }

  /** Points new connections elsewhere and resets the open ones: what a database service (Patroni's, or
   * CloudNativePG's -rw Service) does when a standby is promoted. */
  retarget(target: { host: string; port: number }): void {
    this.target = target;
    for (const p of [...this.pairs]) this.closePair(p, true);
  }

  private accept(client: Socket): void {
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    if (this.mode === 'drop') return void client.end();
    if (this.mode === 'reset') return void client.resetAndDestroy();
    const upstream = createConnection(this.target);
    const pair: Pair = { client, upstream, holed: false };
    this.pairs.add(pair);
    this.forward(pair, client, upstream);
    this.forward(pair, upstream, client);
    // Either side failing ends the pair; the other side sees what a broken network shows it.
    for (const s of [client, upstream]) {
      s.on('error', () => this.closePair(pair, true));
      s.on('close', () => this.closePair(pair, false));
    }
  }

  private forward(pair: Pair, from: Socket, to: Socket): void {
    // One queue per direction: a chunk held back in delay mode must never be overtaken by a later one, also
    // after the mode is switched back to pass, or the Kafka protocol stream would be corrupted.
    const held: { at: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const drain = () => {
      timer = undefined;
      while (held.length > 0 && held[0]!.at <= Date.now()) {
        const { chunk } = held.shift()!;
        if (to.writable) to.write(chunk);
      }
      if (held.length > 0) timer = setTimeout(drain, held[0]!.at - Date.now());
    };
    from.on('data', (chunk: Buffer) => {
      if (this.mode === 'black-hole' || this.mode === 'drop' || this.mode === 'reset') {
        pair.holed = true; // swallowed
        return;
      }
      const delay = this.mode === 'delay' ? this.delayMs : 0;
      if (delay === 0 && held.length === 0) {
        if (to.writable) to.write(chunk);
        return;
      }
      held.push({ at: Date.now() + delay, chunk });
      timer ??= setTimeout(drain, Math.max(0, held[0]!.at - Date.now()));
    });
    from.on('close', () => timer && clearTimeout(timer));
  }

  private closePair(pair: Pair, reset: boolean): void {
    if (!this.pairs.delete(pair)) return;
    for (const s of [pair.client, pair.upstream]) {
      if (reset) s.resetAndDestroy();
      else s.destroy();
    }
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    for (const p of [...this.pairs]) this.closePair(p, true);
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}
