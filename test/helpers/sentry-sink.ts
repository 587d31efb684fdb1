import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface SentrySink {
  readonly dsn: string;
  /** Every event item received, parsed. */
  readonly events: Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Every raw body received, decompressed. */
  readonly raw: string[];
  stop(): Promise<void>;
}

/** A loopback endpoint that speaks enough of Sentry's envelope API to record what the real SDK sends. */
export async function startSentrySink(): Promise<SentrySink> {
  const events: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const text = body.toString('utf8');
      raw.push(text);
      const lines = text.split('\n').filter(Boolean);
      for (let i = 1; i < lines.length; i += 2) {
        const header = JSON.parse(lines[i]!) as { type: string };
        if (header.type === 'event') events.push(JSON.parse(lines[i + 1]!));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { dsn: `http://publickey@127.0.0.1:${port}/1`, events, raw, stop: () => new Promise((r) => server.close(() => r())) };
}
