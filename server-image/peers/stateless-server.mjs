// An MCP 2026-07-28 server: stateless, no initialize, no session id; answers server/discover.
import { createServer } from 'node:http';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { peerServer, portFromArgs } from './tools.mjs';

const port = portFromArgs();
const handler = createMcpHandler(() => peerServer('ts-sdk-stateless'), { legacy: 'reject' });
const node = toNodeHandler(handler);
createServer((req, res) => {
  if (req.url.startsWith('/mcp')) return node(req, res);
  res.writeHead(404).end();
}).listen(port, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${port}`));
