// The official TypeScript client against any MCP server: connect, list tools, call echo. Prints one JSON line.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const url = process.argv[2];
if (!url) {
  console.error('usage: node client.mjs URL');
  process.exit(2);
}
const client = new Client({ name: 'ts-sdk-client', version: '1.0.0' });
try {
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const { tools } = await client.listTools();
  const call = await client.callTool({ name: 'echo', arguments: { text: 'from the TypeScript SDK' } });
  console.log(JSON.stringify({
    ok: true,
    server: client.getServerVersion(),
    protocolVersion: client.getNegotiatedProtocolVersion?.() ?? null,
    tools: tools.map((t) => t.name),
    echo: call.content?.[0]?.text ?? null,
  }));
  await client.close();
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e?.message ?? e) }));
  process.exit(1);
}
