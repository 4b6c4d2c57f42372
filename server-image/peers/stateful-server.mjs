// An MCP 2025-11-25 server over Streamable HTTP with sessions: initialize hands out an Mcp-Session-Id.
import { createServer } from 'node:http';
import { answeringErrors, jsonRpcError, readJson } from './http.mjs';
import { randomUUID } from 'node:crypto';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { isInitializeRequest } from '@modelcontextprotocol/server';
import { peerServer, portFromArgs } from './tools.mjs';

const port = portFromArgs();
const sessions = new Map();

createServer(answeringErrors(async (req, res) => {
  if (!req.url.startsWith('/mcp')) return res.writeHead(404).end();
  const sessionId = req.headers['mcp-session-id'];
  const body = req.method === 'POST' ? await readJson(req) : undefined;
  let transport = sessionId ? sessions.get(sessionId) : undefined;
  if (!transport) {
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return jsonRpcError(res, 400, -32000, 'Bad Request: no valid session');
    }
    transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => sessions.set(id, transport),
    });
    transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
    await peerServer('ts-sdk-stateful').connect(transport);
  }
  await transport.handleRequest(req, res, body);
})).listen(port, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${port}`));
