// make bench-proxy: the Mooring proxy's cost, measured against the same upstream reached directly, in one run.
// Upstream: the official TypeScript SDK's stateless MCP server, in its own process. Client: Node.js keep-alive
// connections sending tools/call (2026-07-28), the same client for both paths, taking turns.
//   1. fixed rate (open loop, 500 calls/s by default): added p50/p99 latency;
//   2. saturation (closed loop, 32 connections): throughput through the proxy as a share of direct;
//   3. the proxy's JVM: time until /ready answers 200, RSS (peak), CPU seconds used.
// Prints a table and the goals next to the figures (p50 +1 ms, p99 +3 ms, >= 90% throughput, RSS < 96 MiB, ready < 2 s).
// Usage: node hack/bench-proxy/bench.mjs PROXY_CLASSPATH JVM_OPTIONS_FILE [RATE] [SECONDS]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const [classpath, jvmOptions, rateArg = '500', secondsArg = '10'] = process.argv.slice(2);
if (!classpath || !jvmOptions) {
  console.error('usage: node bench.mjs PROXY_CLASSPATH JVM_OPTIONS_FILE [RATE] [SECONDS]');
  process.exit(2);
}
const RATE = Number(rateArg);
const SECONDS = Number(secondsArg);
const SATURATION_CONNECTIONS = 32;
const UPSTREAM_PORT = 3911;
const PROXY_PORT = 3912;
const ADMIN_PORT = 3913;
const BODY = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'bench' },
  _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'bench-proxy', version: '1.0.0' } } } });
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(BODY),
  'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' };

// The official TypeScript SDK's stateless server (2026-07-28): what a Mooring user runs, not a stub.
function sdkUpstream() {
  return spawn(process.execPath, [new URL('../../server-image/peers/stateless-server.mjs', import.meta.url).pathname, String(UPSTREAM_PORT)],
    { stdio: ['ignore', 'ignore', 'inherit'] });
}

// A server that only echoes JSON-RPC: almost free, so the proxy's own ceiling shows (on 2 cores, the client, the
// proxy and this server share them).
function minimalUpstream() {
  const code = `
    const server = require('node:http').createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const call = JSON.parse(Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: call.id, result: { content: [{ type: 'text', text: 'bench' }] } }));
      });
    });
    server.keepAliveTimeout = 60000;
    server.listen(${UPSTREAM_PORT}, '127.0.0.1');
  `;
  return spawn(process.execPath, ['-e', code], { stdio: 'inherit' });
}

function waitForPort(port, deadlineMs) {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(); });
      socket.on('error', () => (performance.now() - start > deadlineMs ? reject(new Error(`nothing listens on ${port}`)) : setTimeout(attempt, 20)));
    };
    attempt();
  });
}

async function waitFor(url, deadlineMs) {
  const start = performance.now();
  while (performance.now() - start < deadlineMs) {
    const ok = await new Promise((resolve) => {
      http.get(url, (res) => { res.resume(); resolve(res.statusCode === 200); }).on('error', () => resolve(false));
    });
    if (ok) return performance.now() - start;
    await sleep(10);
  }
  throw new Error(`${url} did not answer 200 within ${deadlineMs} ms`);
}

function call(agent, port) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = http.request({ agent, host: '127.0.0.1', port, path: '/mcp', method: 'POST',
      headers: HEADERS }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - start) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(BODY);
  });
}

async function fixedRate(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latencies = [];
  let errors = 0;
  const pending = [];
  const interval = 1000 / RATE;
  const start = performance.now();
  for (let i = 0; i < RATE * SECONDS; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(call(agent, port).then((ms) => latencies.push(ms), () => errors++));
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { calls: latencies.length, errors, p50: at(0.5), p99: at(0.99), rate: latencies.length / ((performance.now() - start) / 1000) };
}

async function saturation(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: SATURATION_CONNECTIONS });
  let calls = 0;
  let errors = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: SATURATION_CONNECTIONS }, async () => {
    while (performance.now() < end) {
      try { await call(agent, port); calls++; } catch { errors++; }
    }
  }));
  agent.destroy();
  return { calls, errors, perSecond: calls / SECONDS };
}

function procStat(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(status.match(new RegExp(`${name}:\\s+(\\d+)`))[1]);
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssMiB: kb('VmRSS') / 1024, peakRssMiB: kb('VmHWM') / 1024, cpuSeconds: ticks / 100 };
}

async function measure(title, startUpstream) {
  const server = startUpstream();
  const proxy = spawn('java', [`@${jvmOptions}`, '-cp', classpath, 'dev.mooring.proxy.Main'], {
    env: { ...process.env, MOORING_PROXY_LISTEN_PORT: String(PROXY_PORT), MOORING_PROXY_ADMIN_PORT: String(ADMIN_PORT),
      MOORING_PROXY_UPSTREAM_PORT: String(UPSTREAM_PORT) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForPort(UPSTREAM_PORT, 10_000);
    const readyMs = await waitFor(`http://127.0.0.1:${ADMIN_PORT}/ready`, 20_000);
    const idle = procStat(proxy.pid);
    // Warm both paths (the JIT, the pools) before anything counts.
    await fixedRate(PROXY_PORT);
    await fixedRate(UPSTREAM_PORT);
    const cpuBefore = procStat(proxy.pid).cpuSeconds;
    const direct = await fixedRate(UPSTREAM_PORT);
    const proxied = await fixedRate(PROXY_PORT);
    const cpuAtRate = procStat(proxy.pid).cpuSeconds - cpuBefore;
    const directMax = await saturation(UPSTREAM_PORT);
    const proxiedMax = await saturation(PROXY_PORT);
    const after = procStat(proxy.pid);

    const ms = (v) => `${v.toFixed(2)} ms`;
    const verdict = (ok) => (ok ? 'met' : 'MISSED');
    const rows = [
      ['', 'direct', 'through the proxy', 'difference', 'goal', ''],
      [`p50 at ${RATE}/s`, ms(direct.p50), ms(proxied.p50), `+${ms(proxied.p50 - direct.p50)}`, '+1 ms', verdict(proxied.p50 - direct.p50 <= 1)],
      [`p99 at ${RATE}/s`, ms(direct.p99), ms(proxied.p99), `+${ms(proxied.p99 - direct.p99)}`, '+3 ms', verdict(proxied.p99 - direct.p99 <= 3)],
      ['errors', String(direct.errors + directMax.errors), String(proxied.errors + proxiedMax.errors), '', '0', verdict(proxied.errors + proxiedMax.errors === 0)],
      [`calls/s, ${SATURATION_CONNECTIONS} connections`, directMax.perSecond.toFixed(0), proxiedMax.perSecond.toFixed(0),
        `${(100 * proxiedMax.perSecond / directMax.perSecond).toFixed(1)}%`, '>= 90%', verdict(proxiedMax.perSecond >= 0.9 * directMax.perSecond)],
      ['proxy RSS idle / peak', '', `${idle.rssMiB.toFixed(1)} / ${after.peakRssMiB.toFixed(1)} MiB`, '', '< 96 MiB', verdict(after.peakRssMiB < 96)],
      [`proxy CPU at ${RATE}/s`, '', `${(cpuAtRate / SECONDS).toFixed(3)} cores`, '', '', ''],
      ['proxy CPU, whole run', '', `${after.cpuSeconds.toFixed(1)} s`, '', '', ''],
      ['proxy ready after start', '', `${readyMs.toFixed(0)} ms`, '', '< 2000 ms', verdict(readyMs < 2000)],
    ];
    console.log(`\n${title}`);
    for (const row of rows) console.log(row.map((cell, i) => String(cell).padEnd([26, 12, 22, 12, 10, 6][i])).join(' | '));
  } finally {
    proxy.kill('SIGTERM');
    server.kill('SIGTERM');
    await sleep(500);
  }
}

console.log(`bench-proxy: ${new Date().toISOString()}, ${SECONDS} s per measurement, client: Node.js keep-alive connections, tools/call`);
await measure('upstream: the official TypeScript SDK stateless MCP server (the goals apply here)', sdkUpstream);
await measure('upstream: a bare JSON-RPC echo (the proxy\'s own ceiling: client, proxy and server share 2 cores)', minimalUpstream);
