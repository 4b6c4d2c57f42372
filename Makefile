# Developer entry points. `make test` runs every test, starting the local cluster it needs.
SHELL := /bin/bash
MVN ?= mvn -B -ntp
CRD := crds/mcpservers.mooring.dev-v1.yml
# Any image with a Java 17+ runtime; the default is built locally from Debian packages (hack/base-image.sh).
BASE_IMAGE ?= mooring/jre-base:17
TAG ?= dev

.PHONY: build crds demo test unit-test peers images cluster-up cluster-down cluster-status run clean bench-proxy bench-scale bench-rollouts

build:
	$(MVN) package -DskipTests

## Regenerates the committed CRD from the Java API, and the chart's copy (the build fails while either is stale).
crds:
	$(MVN) -pl operator package -DskipTests
	cp operator/target/kubernetes/mcpservers.mooring.dev-v1.yml $(CRD)
	cp $(CRD) helm/mooring/files/crds/

## Brings up the local cluster, builds and imports the images, installs the operator and the quick start.
demo:
	TAG=$(TAG) hack/demo.sh

## mooring/operator, mooring/mcp-server, mooring/proxy, the stateless example mooring/mcp-stateless and the official-SDK
## test servers mooring/mcp-peers, built on BASE_IMAGE by the Docker engine (started if needed), and imported into the
## local cluster's node when it runs; skipped when the images were built from the sources as they are.
images:
	TAG=$(TAG) BASE_IMAGE=$(BASE_IMAGE) MVN="$(MVN)" hack/images.sh

## Unit tests only: no cluster needed.
unit-test:
	$(MVN) test

## The official MCP TypeScript SDK peers that tests use as independent clients and servers.
peers:
	npm ci --prefix server-image/peers --no-audit --no-fund

## Every test: unit tests, the tests against a real API server and real processes, and the end-to-end tests
## on the local cluster's node (or on the cluster MOORING_KUBECONFIG names; see hack/test.sh).
test: peers
	TAG=$(TAG) MVN="$(MVN)" hack/test.sh

## The rollout tests with their comparison sides (not part of `make test`; about 25 min): the same rollouts without
## the proxy, without the pre-traffic gate and with session handoff off, printed side by side with Mooring's.
bench-rollouts: peers
	TAG=$(TAG) MVN="$(MVN)" MOORING_BENCH_ROLLOUTS=true hack/test.sh

## The Mooring proxy's cost (not part of `make test`): latency and throughput against the same upstream reached
## directly, in one run, with the proxy's RSS, CPU and start time, beside the goals.
bench-proxy:
	$(MVN) -pl proxy -am package -DskipTests
	node hack/bench-proxy/bench.mjs 'proxy/target/mooring-proxy.jar:proxy/target/lib/*' proxy/jvm.options

## What the operator costs at 500 McpServers (not part of `make test`; ~35 min, restarts the local cluster): convergence,
## API requests and writes, RSS, CPU and reconcile times, beside applying the same objects directly and beside
## ToolHive's operator, on kwok's simulated nodes. Builds kwok and thv-operator from their Go modules.
bench-scale:
	hack/bench-scale/run.sh

cluster-up:
	hack/cluster.sh up >/dev/null

cluster-down:
	hack/cluster.sh down

cluster-status:
	hack/cluster.sh status

## Runs the operator on this machine against the cluster KUBECONFIG names (the local one by default).
run: build
	export KUBECONFIG=$${KUBECONFIG:-$$(hack/cluster.sh env | sed -n 's/^export KUBECONFIG=//p')}; \
	  kubectl apply --server-side -f $(CRD) && java -jar operator/target/quarkus-app/quarkus-run.jar

clean:
	$(MVN) clean
