// Test server (a): a stateless MCP 2026-07-28 server on the official TypeScript SDK v2 whose SIGTERM handler does
// what most drain guides advise: from then on every request gets 503, and the process exits a few seconds later.
// No health endpoint of its own beyond /health answering 200 until SIGTERM. Tools: echo, add, wait {ms}.
import { createServer } from 'node:http';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { peerServer, registerWait } from './tools.mjs';

const port = Number(process.env.MCP_PORT ?? 3000);
let terminating = false;
const mcp = toNodeHandler(createMcpHandler(() => registerWait(peerServer('ts-sdk-stateless-503')), { legacy: 'reject' }));

createServer((req, res) => {
  if (terminating) return res.writeHead(503, { 'content-type': 'text/plain' }).end('shutting down');
  if (req.url === '/health') return res.writeHead(200).end('ok');
  if (req.url.startsWith('/mcp')) return mcp(req, res);
  res.writeHead(404).end();
}).listen(port, '0.0.0.0', () => console.log(JSON.stringify({ msg: 'listening', port })));

process.on('SIGTERM', () => {
  terminating = true;
  console.log(JSON.stringify({ msg: 'SIGTERM: answering 503 from now on' }));
  setTimeout(() => process.exit(0), 3000).unref();
});
