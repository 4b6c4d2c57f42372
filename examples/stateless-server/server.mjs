// A stateless MCP server (protocol revision 2026-07-28), built with the official TypeScript SDK: no
// initialize, no Mcp-Session-Id, so any replica can answer any request. Mooring's verification reports
// sessionIssuing=false for it, and `session.affinity: Auto` then leaves the Service without affinity.
//
// The drain contract Mooring relies on: /health answers 503 once SIGTERM arrived, requests in flight finish,
// answers carry `Connection: close` so clients move on, and the process exits by DRAIN_TIMEOUT_MS.
import { createServer } from 'node:http';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import * as z from 'zod';

const port = Number(process.env.MCP_PORT ?? 3000);
const drainTimeoutMs = Number(process.env.DRAIN_TIMEOUT_MS ?? 25000);
let draining = false;

function tools() {
  const server = new McpServer({ name: 'mooring-stateless-example', version: '1.0.0' });
  server.registerTool('echo', {
    description: 'Returns the text it was given.',
    inputSchema: z.object({ text: z.string() }),
  }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
  server.registerTool('add', {
    description: 'Adds two numbers.',
    inputSchema: z.object({ a: z.number(), b: z.number() }),
  }, async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }));
  return server;
}

// legacy: 'reject' serves only the stateless revision; clients of older revisions get a clear error.
const mcp = toNodeHandler(createMcpHandler(tools, { legacy: 'reject' }));

const http = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(draining ? 503 : 200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: draining ? 'draining' : 'serving' }));
    return;
  }
  if (req.url.startsWith('/mcp')) {
    if (draining) res.setHeader('connection', 'close');
    return mcp(req, res);
  }
  res.writeHead(404).end();
});

http.listen(port, '0.0.0.0', () => console.log(JSON.stringify({ msg: 'listening', port })));

process.on('SIGTERM', () => {
  draining = true;
  console.log(JSON.stringify({ msg: 'draining', timeoutMs: drainTimeoutMs }));
  http.close(() => process.exit(0));
  http.closeIdleConnections();
  setTimeout(() => {
    console.log(JSON.stringify({ msg: 'drain deadline reached' }));
    process.exit(1);
  }, drainTimeoutMs).unref();
});
