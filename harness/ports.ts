// Free TCP ports on 127.0.0.1, for the bridges, baselines and owned services the harness starts.
import { createServer } from 'node:net';

// Below the kernel's ephemeral range (Linux: 32768-60999; macOS: 49152-65535). A port the kernel handed out for
// bind(0) sits in that range, and in the second before a JVM binds it an outgoing connection of another test
// could take it as its source port: a Kafka node of the topology then exited with EADDRINUSE. Here only another
// listener can, and this process never hands out a port twice.
const LOW = 20_000;
const HIGH = 32_000;
const handedOut = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port free on 127.0.0.1 now, outside the ephemeral range (another listener may still take it first: rare). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${LOW} and ${HIGH} after 100 tries`);
}
