// make bench-scale: what Mooring costs at 500 MCP servers, side by side in one run with creating the same objects
// directly and with ToolHive's operator. The local control plane is real; the nodes and pods are kwok's (the real
// node is cordoned meanwhile), so 500 servers x 2 replicas fit on this machine. Verification is off (kwok pods run
// nothing), the proxy on. Phases:
//   1. Mooring: 500 McpServers applied at once, time until all are Ready; then 5 minutes idle;
//   2. a spec change (an env var) applied to all 500 at once, time until every server serves the new revision;
//   3. direct: every object Mooring rendered in phase 1 (Deployments, Services, PodDisruptionBudgets,
//      NetworkPolicies, the check ConfigMaps and session key Secrets), applied to a fresh namespace, time until
//      every Deployment is available;
//   4. ToolHive: 500 equivalent MCPServers, time until all report Running; then 5 minutes idle.
// The API server's audit log gives each operator's requests and writes; /proc its RSS and CPU seconds; its own
// metrics the reconcile durations. Prints one table; writes the raw figures as JSON.
// Usage: node hack/bench-scale/bench.mjs KWOK KWOK_STAGES THV_OPERATOR TOOLHIVE_MODULE_DIR OUT_JSON [SERVERS] [IDLE_SECONDS]
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, openSync, readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const [kwokBin, kwokStages, thvBin, toolhiveDir, outJson, serversArg = '500', idleArg = '300'] = process.argv.slice(2);
if (!kwokBin || !kwokStages || !thvBin || !toolhiveDir || !outJson) {
  console.error('usage: node bench.mjs KWOK KWOK_STAGES THV_OPERATOR TOOLHIVE_MODULE_DIR OUT_JSON [SERVERS] [IDLE_SECONDS]');
  process.exit(2);
}
const SERVERS = Number(serversArg);
// BENCH_ONLY=mooring: phases 1 and 2 alone, to measure a change to the operator against the last full run.
const MOORING_ONLY = process.env.BENCH_ONLY === 'mooring';
const IDLE_SECONDS = Number(idleArg);
const REPLICAS = 2;
const FAKE_NODES = 4;
const CONVERGE_LIMIT_MS = 30 * 60_000;
const state = process.env.MOORING_CLUSTER_DIR || join(process.env.HOME, '.local/state/mooring/cluster');
const kubeconfig = join(state, 'kubeconfig');
const auditDir = join(state, 'logs');
const kubectlBin = process.env.KUBECTL;
const work = mkdtempSync(join(tmpdir(), 'bench-scale-'));
const NODE = 'mooring-node';
const MOORING_USER_GROUP = 'system:serviceaccount:mooring-system:';
const TOOLHIVE_NS = 'toolhive-system';
const TOOLHIVE_USER = `system:serviceaccount:${TOOLHIVE_NS}:toolhive-operator`;
const THV_METRICS = '127.0.0.1:18080';

function kubectl(args, input) {
  return execFileSync(kubectlBin, ['--kubeconfig', kubeconfig, ...args],
    { input, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'inherit'] });
}
const json = (args) => JSON.parse(kubectl([...args, '-o', 'json']));
const log = (...a) => console.error(new Date().toISOString().slice(11, 19), ...a);
const docs = (objects) => objects.map((o) => JSON.stringify(o)).join('\n---\n');
const applyAll = (objects, manager) => kubectl(['apply', '--server-side', '--force-conflicts', `--field-manager=${manager}`, '-f', '-'], docs(objects));

// ---- the cluster: kwok's nodes, the real node cordoned ----
function fakeNodes() {
  const nodes = [];
  for (let i = 0; i < FAKE_NODES; i++) {
    nodes.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: `kwok-${i}`,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { type: 'kwok', 'kubernetes.io/hostname': `kwok-${i}`, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
    status: { allocatable: { cpu: '1000', memory: '4Ti', pods: '1000' }, capacity: { cpu: '1000', memory: '4Ti', pods: '1000' } } });
  }
  return nodes;
}

// kwok logs every pod it plays to stderr, which goes to a file: through a pipe, kwok would stop whenever this
// script waits on a synchronous kubectl (a namespace deletion), and its nodes would go NotReady meanwhile.
function startKwok() {
  const logFile = join(work, 'kwok.log');
  const kwok = spawn(kwokBin, ['--kubeconfig', kubeconfig, '--config', kwokStages, '--manage-all-nodes=false',
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake', '--cidr=10.250.0.0/16', '--node-ip=10.250.255.254'],
  { stdio: ['ignore', 'ignore', openSync(logFile, 'w')] });
  kwok.on('exit', (code, signal) => {
    if (!kwok.stopping) {
      console.error(readFileSync(logFile, 'utf8').slice(-20000));
      log(`kwok exited (${code ?? signal}); its log: ${logFile}`);
      process.exit(1);
    }
  });
  return kwok;
}

// ---- measuring a process: RSS and CPU from /proc ----
const TICKS = 100;
function procSample(pid) {
  try {
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return { rss, cpu: (Number(stat[11]) + Number(stat[12])) / TICKS };
  } catch {
    return null;
  }
}

// A process's RSS and CPU; when it is replaced (a container restart), `find` names the new one, whose CPU adds on.
class ProcessWatch {
  constructor(pid, find = () => null) {
    this.pid = pid; this.find = find; this.cpuBefore = 0; this.replaced = 0; this.peakRss = 0;
    this.timer = setInterval(() => this.sample(), 1000); this.sample();
  }
  sample() {
    let s = procSample(this.pid);
    if (!s && this.last) {
      const next = this.find();
      if (next && next !== this.pid) { this.cpuBefore += this.last.cpu; this.pid = next; this.replaced++; s = procSample(next); }
    }
    if (s) { this.last = { rss: s.rss, cpu: s.cpu }; this.peakRss = Math.max(this.peakRss, s.rss); }
    return this.last ? { rss: this.last.rss, cpu: this.cpuBefore + this.last.cpu } : null;
  }
  window() {
    const start = this.sample(); this.peakRss = start.rss; const replacedBefore = this.replaced;
    return { start, end: () => { const end = this.sample(); return { cpuSeconds: end.cpu - start.cpu, peakRssMiB: this.peakRss / 2 ** 20, endRssMiB: end.rss / 2 ** 20, restarts: this.replaced - replacedBefore }; } };
  }
  stop() { clearInterval(this.timer); }
}

// The operator's JVM on the node: the process whose environment names its pod.
function mooringOperatorPid() {
  const pod = json(['-n', 'mooring-system', 'get', 'pods', '-l', 'app.kubernetes.io/name=mooring-operator']).items
    .find((p) => p.status.phase === 'Running' && !p.metadata.deletionTimestamp);
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (env.includes(`HOSTNAME=${pod.metadata.name}\0`) && cmd.startsWith('java')) return { pid: Number(pid), pod };
    } catch { /* gone */ }
  }
  throw new Error(`no process of pod ${pod.metadata.name}`);
}

// ---- the audit log: requests and writes of one user between two instants ----
const WRITES = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
async function audit(userMatches, from, to) {
  const result = { requests: 0, writes: 0, leaseWrites: 0, byVerb: {}, writesBy: {} };
  for (const file of readdirSync(auditDir).filter((f) => f.startsWith('audit')).map((f) => join(auditDir, f))) {
    for await (const line of createInterface({ input: createReadStream(file) })) {
      if (!line.includes('serviceaccount')) continue;
      const e = JSON.parse(line);
      if (e.stage !== 'ResponseComplete' || !userMatches(e.user.username)) continue;
      const at = Date.parse(e.stageTimestamp);
      if (at < from || at > to) continue;
      result.requests++;
      if (WRITES.has(e.verb)) result.writes++;
      // Leader election renews its lease every 2 s, busy or idle: counted apart from writes to what it manages.
      if (WRITES.has(e.verb) && e.objectRef?.resource === 'leases') result.leaseWrites++;
      const key = `${e.verb} ${e.objectRef?.resource ?? e.requestURI}${e.objectRef?.subresource ? '/' + e.objectRef.subresource : ''}`;
      result.byVerb[key] = (result.byVerb[key] ?? 0) + 1;
      if (WRITES.has(e.verb)) result.writesBy[key] = (result.writesBy[key] ?? 0) + 1;
    }
  }
  return result;
}

// ---- percentiles from a Prometheus histogram ----
function histogram(text, name, labels = '') {
  const buckets = new Map();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`) || !line.includes(labels)) continue;
    const le = /le="([^"]+)"/.exec(line)[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + value);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]);
}
function percentile(buckets, q) {
  const total = buckets.at(-1)?.[1] ?? 0;
  if (!total) return null;
  let previousBound = 0; let previousCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= q * total) {
      if (bound === Infinity) return previousBound;
      return previousBound + (bound - previousBound) * ((q * total - previousCount) / Math.max(count - previousCount, 1));
    }
    previousBound = bound; previousCount = count;
  }
  return previousBound;
}
const minus = (after, before) => after.map(([bound, count]) => [bound, count - (before.find(([b]) => b === bound)?.[1] ?? 0)]);

async function metricsText(url) {
  const response = await fetch(url);
  return response.text();
}

// ---- waiting, with the peak of surge pods seen on the way ----
async function until(what, check, everyMs = 2000) {
  const started = Date.now();
  for (;;) {
    const done = await check();
    if (done) return (Date.now() - started) / 1000;
    if (Date.now() - started > CONVERGE_LIMIT_MS) throw new Error(`${what}: not done after ${CONVERGE_LIMIT_MS / 60000} min`);
    await sleep(everyMs);
  }
}
function podCount(namespace) {
  return kubectl(['-n', namespace, 'get', 'pods', '--no-headers', '-o', 'custom-columns=N:.metadata.name']).split('\n').filter(Boolean).length;
}
function namespace(name) {
  kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=true', '--timeout=10m']);
  kubectl(['create', 'namespace', name]);
}

// ---- the servers ----
const names = Array.from({ length: SERVERS }, (_, i) => `server-${String(i).padStart(3, '0')}`);
function mcpServer(name, ns, change) {
  return { apiVersion: 'mooring.dev/v1alpha1', kind: 'McpServer', metadata: { name, namespace: ns },
    spec: { image: 'mooring/mcp-server:dev', replicas: REPLICAS, health: { path: '/health' }, verification: { enabled: false },
      env: change ? [{ name: 'BENCH_CHANGE', value: '1' }] : undefined } };
}
function toolhiveServer(name, ns) {
  return { apiVersion: 'toolhive.stacklok.dev/v1beta1', kind: 'MCPServer', metadata: { name, namespace: ns },
    spec: { image: 'mooring/mcp-server:dev', transport: 'streamable-http', mcpPort: 3000, proxyPort: 8080, replicas: REPLICAS } };
}
// ToolHive's proxy runner, in the pod the operator deploys, creates the server's StatefulSet, and the operator
// reports a server Ready only once that exists. kwok runs no process, so the bench plays the runner's part: once
// a server's proxy Deployment is available, the StatefulSet the runner would create (its requests are the
// bench's, not counted as the operator's).
function playProxyRunners(ns) {
  const have = new Set(json(['-n', ns, 'get', 'statefulsets']).items.map((s) => s.metadata.name));
  const wanted = json(['-n', ns, 'get', 'deployments']).items
    .filter((d) => d.status?.availableReplicas > 0 && !have.has(d.metadata.name))
    .map((d) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: d.metadata.name, namespace: ns, labels: { toolhive: 'true', app: 'mcpserver', 'toolhive-name': d.metadata.name } },
      spec: { replicas: 1, serviceName: d.metadata.name, selector: { matchLabels: { app: 'mcpserver-backend', 'toolhive-name': d.metadata.name } },
        template: { metadata: { labels: { app: 'mcpserver-backend', 'toolhive-name': d.metadata.name } },
          spec: { containers: [{ name: 'mcp', image: 'mooring/mcp-server:dev' }] } } } }));
  if (wanted.length) applyAll(wanted, 'bench-proxy-runner');
}
const condition = (o, type) => o.status?.conditions?.find((c) => c.type === type);
const isTrue = (o, type) => condition(o, type)?.status === 'True';
function deploymentsAvailable(ns, count) {
  const items = json(['-n', ns, 'get', 'deployments']).items;
  return items.length >= count && items.every((d) => d.status?.observedGeneration >= d.metadata.generation
    && d.status?.updatedReplicas === d.spec.replicas && d.status?.availableReplicas === d.spec.replicas
    && (d.status?.replicas ?? 0) === d.spec.replicas);
}

// Mooring's rendered children, as one would write them by hand: without what the API server or Mooring's
// ownership adds.
function asDirect(object, ns) {
  const { metadata, status, ...content } = structuredClone(object);
  const copy = { ...content, metadata: { name: metadata.name, namespace: ns, labels: metadata.labels } };
  if (object.kind === 'Service') { delete copy.spec.clusterIP; delete copy.spec.clusterIPs; }
  return copy;
}
const RENDERED = ['deployments', 'services', 'poddisruptionbudgets', 'networkpolicies', 'configmaps', 'secrets'];

async function operatorPhase(label, { applyServers, ready, watch, metrics, user, mass }) {
  const figures = { label };
  const converge = watch.window();
  const beforeMetrics = metrics ? histogram(await metricsText(metrics.url), metrics.histogram, metrics.labels) : null;
  const from = Date.now();
  applyServers();
  figures.convergeSeconds = await until(`${label}: all ready`, ready);
  const to = Date.now();
  Object.assign(figures, { converge: converge.end(), convergeAudit: await audit(user, from, to) });
  if (metrics) {
    const reconciles = minus(histogram(await metricsText(metrics.url), metrics.histogram, metrics.labels), beforeMetrics);
    figures.reconcile = { count: reconciles.at(-1)?.[1], p50ms: percentile(reconciles, 0.5) * 1000, p99ms: percentile(reconciles, 0.99) * 1000 };
  }
  log(`${label}: converged in ${figures.convergeSeconds.toFixed(1)} s; idle for ${IDLE_SECONDS} s`);
  const idle = watch.window();
  const idleFrom = Date.now();
  await sleep(IDLE_SECONDS * 1000);
  const idleTo = Date.now();
  Object.assign(figures, { idle: idle.end(), idleAudit: await audit(user, idleFrom, idleTo) });
  if (mass) figures.mass = await mass();
  return figures;
}

async function main() {
  const started = new Date();
  const results = { date: started.toISOString(), machine: `${cpus().length} cores (${cpus()[0].model}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    servers: SERVERS, replicas: REPLICAS, phases: {} };
  applyAll(fakeNodes(), 'bench-scale');
  const kwok = startKwok();
  kubectl(['cordon', NODE]);
  try {
    await until('kwok nodes Ready', () => json(['get', 'nodes', '-l', 'type=kwok']).items.filter((n) => isTrue(n, 'Ready')).length === FAKE_NODES);

    // 1 and 2: Mooring
    const mooring = mooringOperatorPid();
    const mooringWatch = new ProcessWatch(mooring.pid, () => { try { return mooringOperatorPid().pid; } catch { return null; } });
    const mooringUser = (u) => u.startsWith(MOORING_USER_GROUP);
    const ns = 'bench-mooring';
    namespace(ns);
    results.phases.mooring = await operatorPhase('Mooring', {
      applyServers: () => applyAll(names.map((n) => mcpServer(n, ns, false)), 'bench-user'),
      ready: () => json(['-n', ns, 'get', 'mcps']).items.filter((s) => isTrue(s, 'Ready')).length === SERVERS,
      watch: mooringWatch, user: mooringUser,
      metrics: { url: `http://${mooring.pod.status.podIP}:8080/q/metrics`, histogram: 'mooring_reconcile_seconds' },
      mass: async () => {
        const before = Object.fromEntries(json(['-n', ns, 'get', 'mcps']).items.map((s) => [s.metadata.name, s.status.revision]));
        const window = mooringWatch.window();
        const from = Date.now();
        let peakSurge = 0;
        applyAll(names.map((n) => mcpServer(n, ns, true)), 'bench-user');
        const seconds = await until('Mooring: all on the new revision', () => {
          peakSurge = Math.max(peakSurge, podCount(ns) - SERVERS * REPLICAS);
          const servers = json(['-n', ns, 'get', 'mcps']).items;
          return servers.every((s) => s.status?.revision !== before[s.metadata.name] && isTrue(s, 'Ready')
            && s.status?.observedGeneration === s.metadata.generation) && deploymentsAvailable(ns, SERVERS);
        });
        const failed = json(['-n', ns, 'get', 'mcps']).items.filter((s) => isTrue(s, 'Degraded')).map((s) => `${s.metadata.name}: ${condition(s, 'Degraded').message}`);
        return { seconds, peakSurgePods: peakSurge, degraded: failed, ...window.end(), audit: await audit(mooringUser, from, Date.now()) };
      },
    });
    mooringWatch.stop();
    if (!MOORING_ONLY) {
      results.phases.direct = await directPhase(ns);
      // 4: ToolHive
      results.phases.toolhive = await toolhive();
    }
  } finally {
    kubectl(['uncordon', NODE]);
    kubectl(['delete', 'nodes', '-l', 'type=kwok', '--wait=false']);
    kwok.stopping = true;
    kwok.kill();
  }
  writeFileSync(outJson, JSON.stringify(results, null, 2) + '\n');
  print(results);
}

// 3: direct, from what Mooring rendered in phase 1 (then Mooring's namespace goes)
async function directPhase(ns) {
  const rendered = RENDERED.flatMap((kind) => json(['-n', ns, 'get', kind, '-l', 'app.kubernetes.io/managed-by=mooring']).items);
  kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=15m']);
  const direct = 'bench-direct';
  namespace(direct);
  const from = Date.now();
  applyAll(rendered.map((o) => asDirect(o, direct)), 'bench-user');
  const applied = (Date.now() - from) / 1000;
  const seconds = applied + await until('direct: all available', () => deploymentsAvailable(direct, SERVERS));
  log(`direct: ${rendered.length} objects available in ${seconds.toFixed(1)} s`);
  kubectl(['delete', 'namespace', direct, '--wait=true', '--timeout=15m']);
  return { label: 'direct', convergeSeconds: seconds, applySeconds: applied, objects: rendered.length };
}

async function toolhive() {
  const crds = join(toolhiveDir, 'deploy/charts/operator-crds');
  kubectl(['apply', '--server-side', '-f', join(crds, 'files/crds')]);
  namespace(TOOLHIVE_NS);
  const rbac = execFileSync(process.env.HELM, ['template', 'toolhive-operator', join(toolhiveDir, 'deploy/charts/operator'), '--namespace', TOOLHIVE_NS],
    { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wanted = new Set(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
  const objects = rbac.split(/^---$/m).filter((d) => d.trim()).map((d) => d);
  kubectl(['apply', '--server-side', '-n', TOOLHIVE_NS, '-f', '-'], objects.filter((d) => wanted.has(/^kind:\s*(\S+)/m.exec(d)?.[1])).join('\n---\n'));
  const token = kubectl(['-n', TOOLHIVE_NS, 'create', 'token', 'toolhive-operator', '--duration=4h']).trim();
  const config = JSON.parse(kubectl(['config', 'view', '--raw', '-o', 'json']));
  config.users = [{ name: 'toolhive-operator', user: { token } }];
  config.contexts[0].context.user = 'toolhive-operator';
  const thvConfig = join(work, 'toolhive.kubeconfig');
  writeFileSync(thvConfig, JSON.stringify(config));
  const thv = spawn(thvBin, [`--metrics-bind-address=${THV_METRICS}`, '--health-probe-bind-address=127.0.0.1:18081'],
    // The environment its chart gives it (deploy/charts/operator), but for the runner image: kwok runs none.
    { env: { ...process.env, KUBECONFIG: thvConfig, POD_NAMESPACE: TOOLHIVE_NS, GOMEMLIMIT: '110MiB', GOGC: '75',
      UNSTRUCTURED_LOGS: 'false', TOOLHIVE_USE_CONFIGMAP: 'true', ENABLE_EXPERIMENTAL_FEATURES: 'false',
      TOOLHIVE_ENABLE_STORAGE_VERSION_MIGRATOR: 'true', TOOLHIVE_RUNNER_IMAGE: 'mooring/proxy:dev', TOOLHIVE_PROXY_HOST: '0.0.0.0' },
    stdio: ['ignore', 'ignore', openSync(join(work, 'thv-operator.log'), 'w')] });
  try {
    await until('ToolHive operator metrics', async () => { try { await metricsText(`http://${THV_METRICS}/metrics`); return true; } catch { return false; } }, 500);
    const ns = 'bench-toolhive';
    namespace(ns);
    const watch = new ProcessWatch(thv.pid);
    const figures = await operatorPhase('ToolHive', {
      applyServers: () => applyAll(names.map((n) => toolhiveServer(n, ns)), 'bench-user'),
      ready: () => {
        playProxyRunners(ns);
        return json(['-n', ns, 'get', 'mcpservers.toolhive.stacklok.dev']).items.filter((s) => s.status?.phase === 'Ready').length === SERVERS;
      },
      watch, user: (u) => u === TOOLHIVE_USER,
      metrics: { url: `http://${THV_METRICS}/metrics`, histogram: 'controller_runtime_reconcile_time_seconds', labels: 'controller="mcpserver"' },
    });
    watch.stop();
    kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=15m']);
    return figures;
  } catch (e) {
    console.error(readFileSync(join(work, 'thv-operator.log'), 'utf8').slice(-20000));
    throw e;
  } finally {
    thv.kill();
  }
}

const idleWrites = (a) => `${a.requests} / ${a.writes - a.leaseWrites}${a.leaseWrites ? ` (+${a.leaseWrites} lease)` : ''}`;

const phases = (o) => [o.converge, o.idle, o.mass].filter(Boolean);
const peak = (o) => Math.max(...phases(o).map((p) => p.peakRssMiB));
const restarts = (o) => phases(o).reduce((sum, p) => sum + (p.restarts ?? 0), 0);

function print(r) {
  const { mooring, direct, toolhive } = r.phases;
  const f = (n, d = 1) => (n == null || Number.isNaN(n) ? '-' : n.toFixed(d));
  const rows = [
    ['convergence (s)', f(direct?.convergeSeconds), f(mooring.convergeSeconds), f(toolhive?.convergeSeconds)],
    ['  ratio to direct', direct ? '1.0' : '-', f(mooring.convergeSeconds / direct?.convergeSeconds, 2), f(toolhive?.convergeSeconds / direct?.convergeSeconds, 2)],
    ['requests / writes converging', '-', `${mooring.convergeAudit.requests} / ${mooring.convergeAudit.writes}`, toolhive ? `${toolhive.convergeAudit.requests} / ${toolhive.convergeAudit.writes}` : '-'],
    [`requests / writes idle ${IDLE_SECONDS} s`, '-', idleWrites(mooring.idleAudit), toolhive ? idleWrites(toolhive.idleAudit) : '-'],
    ['RSS peak / idle (MiB)', '-', `${f(peak(mooring), 0)} / ${f(mooring.idle.endRssMiB, 0)}`, toolhive ? `${f(peak(toolhive), 0)} / ${f(toolhive.idle.endRssMiB, 0)}` : '-'],
    ['operator restarts', '-', String(restarts(mooring)), toolhive ? String(restarts(toolhive)) : '-'],
    ['CPU s converging / idle', '-', `${f(mooring.converge.cpuSeconds)} / ${f(mooring.idle.cpuSeconds)}`, toolhive ? `${f(toolhive.converge.cpuSeconds)} / ${f(toolhive.idle.cpuSeconds)}` : '-'],
    ['reconcile p50 / p99 (ms)', '-', `${f(mooring.reconcile?.p50ms)} / ${f(mooring.reconcile?.p99ms)}`, toolhive ? `${f(toolhive.reconcile?.p50ms)} / ${f(toolhive.reconcile?.p99ms)}` : '-'],
    ['mass change (s), peak surge pods', '-', `${f(mooring.mass.seconds)}, ${mooring.mass.peakSurgePods}`, '-'],
  ];
  console.log(`\n${r.servers} servers x ${r.replicas} replicas on kwok nodes, ${r.date}, ${r.machine}\n`);
  console.log(['', 'direct', 'Mooring', 'ToolHive'].map((h, i) => i ? h.padStart(22) : h.padEnd(34)).join(''));
  for (const row of rows) console.log(row.map((c, i) => i ? String(c).padStart(22) : c.padEnd(34)).join(''));
  console.log(`\nwrites while idle: Mooring ${JSON.stringify(mooring.idleAudit.writesBy)}; ToolHive ${JSON.stringify(toolhive?.idleAudit.writesBy ?? {})}`);
  console.log(`\ngoals: convergence <= 1.2x direct (${f(mooring.convergeSeconds / direct?.convergeSeconds, 2)}x); 0 writes idle (${mooring.idleAudit.writes - mooring.idleAudit.leaseWrites} besides leader election's lease); RSS < 256 MiB (${f(peak(mooring), 0)}, ${restarts(mooring)} restarts); mass change without errors (${mooring.mass.degraded.length} degraded)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
