// An MCP 2025-11-25 server over Streamable HTTP with sessions: initialize hands out an Mcp-Session-Id.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { isInitializeRequest } from '@modelcontextprotocol/server';
import { peerServer, portFromArgs } from './tools.mjs';

const port = portFromArgs();
const sessions = new Map();

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
}

createServer(async (req, res) => {
  if (!req.url.startsWith('/mcp')) return res.writeHead(404).end();
  const sessionId = req.headers['mcp-session-id'];
  const body = req.method === 'POST' ? await readJson(req) : undefined;
  let transport = sessionId ? sessions.get(sessionId) : undefined;
  if (!transport) {
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Bad Request: no valid session' } }));
    }
    transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => sessions.set(id, transport),
    });
    transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
    await peerServer('ts-sdk-stateful').connect(transport);
  }
  await transport.handleRequest(req, res, body);
}).listen(port, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${port}`));
