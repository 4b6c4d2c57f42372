// Test server (b): an MCP 2025 Streamable HTTP server on the official TypeScript SDK v1 with sessions
// (Mcp-Session-Id), as most servers in the wild are: no health endpoint and no SIGTERM handler (Node.js exits at
// once). Tools: echo, add, wait {ms}, and progress {seconds}, which streams a progress notification every 500 ms
// over SSE before it answers. HIDE_TOOLS=add,wait leaves those out: a revision whose tool list changed.
// FAIL_LIVEZ_ONCE=true adds a /livez that fails in the pod's first container (http.mjs).
import { createServer } from 'node:http';
import { answeringErrors, jsonRpcError, livenessFailingOnce, readJson } from './http.mjs';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const port = Number(process.env.MCP_PORT ?? 3000);
const sessions = new Map();
const hidden = new Set((process.env.HIDE_TOOLS ?? '').split(',').filter(Boolean));

function server() {
  const mcp = new McpServer({ name: 'ts-sdk-v1-stateful', version: '1.0.0' });
  const registerTool = mcp.registerTool.bind(mcp);
  mcp.registerTool = (name, ...rest) => (hidden.has(name) ? undefined : registerTool(name, ...rest));
  mcp.registerTool('echo', { description: 'Returns the text it was given.', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }));
  mcp.registerTool('add', { description: 'Adds two numbers.', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }));
  mcp.registerTool('wait', { description: 'Answers after ms milliseconds.', inputSchema: { ms: z.number() } },
    async ({ ms }) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { content: [{ type: 'text', text: `waited ${ms} ms` }] };
    });
  mcp.registerTool('progress', { description: 'Reports progress every 500 ms for the given seconds, then answers.', inputSchema: { seconds: z.number() } },
    async ({ seconds }, extra) => {
      const steps = seconds * 2;
      for (let step = 1; step <= steps; step++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const progressToken = extra._meta?.progressToken;
        if (progressToken !== undefined) {
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: step, total: steps } });
        }
      }
      return { content: [{ type: 'text', text: `progressed ${steps} steps` }] };
    });
  return mcp;
}

const livez = livenessFailingOnce();

createServer(answeringErrors(async (req, res) => {
  if (livez !== null && req.url === '/livez') return res.writeHead(livez ? 200 : 500).end();
  if (!req.url.startsWith('/mcp')) return res.writeHead(404).end();
  const sessionId = req.headers['mcp-session-id'];
  const body = req.method === 'POST' ? await readJson(req) : undefined;
  let transport = sessionId ? sessions.get(sessionId) : undefined;
  if (!transport) {
    if (sessionId) {
      return jsonRpcError(res, 404, -32001, 'Session not found');
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return jsonRpcError(res, 400, -32000, 'Bad Request: no valid session');
    }
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => sessions.set(id, transport),
    });
    transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
    await server().connect(transport);
  }
  await transport.handleRequest(req, res, body);
})).listen(port, '0.0.0.0', () => console.log(JSON.stringify({ msg: 'listening', port })));
