// The tools both peer servers offer, so one schema hash describes either of them.
import { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';

export function peerServer(name) {
  const server = new McpServer({ name, version: '1.0.0' });
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

// wait {ms}: a call that takes as long as a real tool, for rollout tests (kept out of peerServer's schema hash).
export function registerWait(server) {
  server.registerTool('wait', {
    description: 'Answers after ms milliseconds.',
    inputSchema: z.object({ ms: z.number() }),
  }, async ({ ms }) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { content: [{ type: 'text', text: `waited ${ms} ms` }] };
  });
  return server;
}

export function portFromArgs() {
  const port = Number(process.argv[2]);
  if (!Number.isInteger(port) || port <= 0) {
    console.error(`usage: node ${process.argv[1]} PORT`);
    process.exit(2);
  }
  return port;
}
