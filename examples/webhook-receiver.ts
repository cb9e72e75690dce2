// A minimal webhook receiver for the bridge, as a partner system would write it: verifies the Standard Webhooks
// signature over the raw body, drops duplicates by webhook-id (the ce_id), and answers 2xx only after handling.
// Run it, then subscribe its URL (a privacy officer's call, docs/consuming.md):
//   WEBHOOK_SECRET=whsec_... npm run example:webhook -- [--port 8090] [--max 10]
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8090' },
    max: { type: 'string', default: '0' }, // stop after this many new events (0: run until Ctrl-C)
  },
});
const secret = process.env['WEBHOOK_SECRET'];
if (!secret) throw new Error('set WEBHOOK_SECRET to the secret the subscription was created with');
const webhook = new Webhook(secret);

// In production a table with a unique index on the webhook-id, written in the same transaction as the handling.
const seen = new Set<string>();
let handled = 0;
const max = Number(values.max);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    // Verify the bytes as received: parsing and re-serialising the JSON first would break the signature.
    const body = Buffer.concat(chunks).toString('utf8');
    let event: { id: string; type: string; partitionkey: string; data: unknown };
    try {
      event = webhook.verify(body, req.headers as Record<string, string>) as typeof event;
    } catch (err) {
      res.writeHead(err instanceof WebhookVerificationError ? 401 : 400).end();
      return;
    }
    if (!seen.has(event.id)) {
      seen.add(event.id);
      handled++;
      // Ids only in logs, never the person's data.
      process.stdout.write(`${event.type} id=${event.id} subject=${event.partitionkey}\n`);
    }
    res.writeHead(204).end();
    if (max > 0 && handled >= max) server.close();
  });
});
server.listen(Number(values.port), '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${values.port}/\n`));
