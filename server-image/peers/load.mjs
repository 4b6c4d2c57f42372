// Load the way an agent host makes it: the official TypeScript SDK client, one Client per worker, calling a tool
// in a loop. Any error of any kind is a failed call, after which the worker connects a new Client; nothing here
// retries. Runs until SIGTERM (or stdin closes), then prints one JSON line with the counts.
//   node load.mjs URL [WORKERS] [TOOL] [ARGUMENTS_JSON] [SDK]
// SDK: v2 (@modelcontextprotocol/client, the default; it negotiates 2026-07-28 with server/discover and falls back
// to initialize) or v1 (@modelcontextprotocol/sdk, 2025 revisions only).
import * as v2 from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, workersArg = '4', tool = 'echo', argsJson = '{"text":"load"}', sdk = 'v2'] = process.argv.slice(2);
if (!url || !['v1', 'v2'].includes(sdk)) {
  console.error('usage: node load.mjs URL [WORKERS] [TOOL] [ARGUMENTS_JSON] [v1|v2]');
  process.exit(2);
}
const workers = Number(workersArg);
const args = JSON.parse(argsJson);
const THINK_MS = 20;
// A new Client after a failure, but not in a hot loop: an agent host would not reconnect faster either.
const RECONNECT_MS = 100;
const figures = { sdk, workers, calls: 0, succeeded: 0, failed: 0, sessionsEndedWith404: 0, connects: 0, progressNotifications: 0, errors: {}, firstFailures: [] };
// Every call asks for progress, so a tool that reports it answers over an SSE stream that stays open meanwhile.
const onprogress = () => { figures.progressNotifications++; };
let running = true;
const warmed = new Set();

function failed(error) {
  figures.failed++;
  // The SDK's HTTP errors carry the status in their data; its messages do not always say it.
  // v1's StreamableHTTPError carries it as its code.
  const status = error?.data?.status ?? error?.status ?? (sdk === 'v1' && error?.code >= 400 && error?.code < 600 ? error.code : undefined);
  // fetch's own TypeError says only "fetch failed": what failed is in its cause (a reset, a refusal, a close).
  const cause = error?.cause ? ` (${[error.cause.code, error.cause.message].filter(Boolean).join(': ')})` : '';
  const text = `${status ? `HTTP ${status}: ` : ''}${String(error?.message ?? error)}${cause}`.slice(0, 200);
  if (status === 404 || /\bHTTP 404\b/.test(text)) {
    figures.sessionsEndedWith404++;
  }
  figures.errors[text] = (figures.errors[text] ?? 0) + 1;
  // When: to line a failure up with the rollout's events and the proxies' drain lines.
  if (figures.firstFailures.length < 20) {
    figures.firstFailures.push(`${new Date().toISOString()} ${text}`);
  }
}

async function connect(worker) {
  const info = { name: `mooring-load-${worker}`, version: '1.0.0' };
  figures.connects++;
  if (sdk === 'v1') {
    const client = new V1Client(info);
    await client.connect(new V1Transport(new URL(url)));
    return client;
  }
  const client = new v2.Client(info, { versionNegotiation: { mode: 'auto' } });
  await client.connect(new v2.StreamableHTTPClientTransport(new URL(url)));
  return client;
}

async function work(worker) {
  let client = null;
  while (running) {
    figures.calls++;
    try {
      client ??= await connect(worker);
      const params = { name: tool, arguments: args };
      // The two SDKs differ here: v1 takes a result schema before the options.
      const result = await (sdk === 'v1' ? client.callTool(params, undefined, { onprogress }) : client.callTool(params, { onprogress }));
      if (result.isError) {
        throw new Error(`tool error: ${JSON.stringify(result.content).slice(0, 150)}`);
      }
      figures.succeeded++;
      if (!warmed.has(worker)) {
        warmed.add(worker);
        if (warmed.size === workers) {
          process.stdout.write('{"warm":true}\n');
        }
      }
      await new Promise((resolve) => setTimeout(resolve, THINK_MS));
    } catch (error) {
      failed(error);
      await client?.close().catch(() => {});
      client = null;
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  }
  await client?.close().catch(() => {});
}

const stop = () => { running = false; };
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
await Promise.all(Array.from({ length: workers }, (_, i) => work(i)));
process.stdout.write(JSON.stringify(figures) + '\n');
process.exit(0);
