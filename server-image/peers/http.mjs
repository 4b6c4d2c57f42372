// HTTP plumbing the session-keeping peer servers share; the MCP parts are the SDKs'.
import { openSync, closeSync } from 'node:fs';
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

// FAIL_LIVEZ_ONCE=true: GET /livez answers 500 in a pod's first container and 200 once the kubelet has restarted it
// (the mark is a file in /tmp, an emptyDir the pod keeps across restarts): a container restart on demand, from a
// server that starts in a second where a JVM can take more than its startup allowance on a loaded node. Null when
// not asked for: the server then has no /livez, as most servers have none.
export function livenessFailingOnce() {
  if (process.env.FAIL_LIVEZ_ONCE !== 'true') return null;
  try {
    closeSync(openSync('/tmp/mooring-fault-livez-failed', 'wx'));
    return false;
  } catch (error) {
    if (error.code === 'EEXIST') return true;
    throw error;
  }
}
