// HTTP plumbing the session-keeping peer servers share; the MCP parts are the SDKs'.
export async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
}

export function jsonRpcError(res, status, code, message) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }));
}

// What a framework such as Express does for a handler that throws: a request whose body cannot be read or parsed
// (a client that went away mid-body, malformed JSON) gets an error answer, and the process keeps serving everyone
// else. Node.js ends the process on an unhandled rejection, which would make any client able to restart the server.
export function answeringErrors(handler) {
  return (req, res) => handler(req, res).catch((error) => {
    if (res.headersSent) {
      res.destroy();
    } else {
      jsonRpcError(res, 400, -32700, `Parse error: ${String(error?.message ?? error).slice(0, 200)}`);
    }
  });
}
