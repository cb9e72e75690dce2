// Free TCP ports on 127.0.0.1, for the bridges, baselines and owned services the harness starts.
import { createServer } from 'node:net';

/** A port the kernel just had free on 127.0.0.1 (another process may take it before ours binds it: rare enough). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
