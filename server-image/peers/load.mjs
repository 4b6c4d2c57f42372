// Load the way an agent host makes it: the official TypeScript SDK client, one Client per worker, calling a tool
// in a loop. Any error of any kind is a failed call, after which the worker connects a new Client; nothing here
// retries. Runs until SIGTERM (or stdin closes), then prints one JSON line with the counts.
//   node load.mjs URL [WORKERS] [TOOL] [ARGUMENTS_JSON]
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const [url, workersArg = '4', tool = 'echo', argsJson = '{"text":"load"}'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node load.mjs URL [WORKERS] [TOOL] [ARGUMENTS_JSON]');
  process.exit(2);
}
const workers = Number(workersArg);
const args = JSON.parse(argsJson);
const THINK_MS = 20;
// A new Client after a failure, but not in a hot loop: an agent host would not reconnect faster either.
const RECONNECT_MS = 100;
const figures = { workers, calls: 0, succeeded: 0, failed: 0, sessionsEndedWith404: 0, connects: 0, errors: {} };
let running = true;

function failed(error) {
  figures.failed++;
  // The SDK's HTTP errors carry the status in their data; its messages do not always say it.
  const status = error?.data?.status ?? error?.status;
  const text = `${status ? `HTTP ${status}: ` : ''}${String(error?.message ?? error)}`.slice(0, 200);
  if (status === 404 || /\bHTTP 404\b/.test(text)) {
    figures.sessionsEndedWith404++;
  }
  figures.errors[text] = (figures.errors[text] ?? 0) + 1;
}

async function connect(worker) {
  const client = new Client({ name: `mooring-load-${worker}`, version: '1.0.0' });
  figures.connects++;
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

async function work(worker) {
  let client = null;
  while (running) {
    figures.calls++;
    try {
      client ??= await connect(worker);
      const result = await client.callTool({ name: tool, arguments: args });
      if (result.isError) {
        throw new Error(`tool error: ${JSON.stringify(result.content).slice(0, 150)}`);
      }
      figures.succeeded++;
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
