# Developer entry points. `make test` runs every test, starting the local cluster it needs.
SHELL := /bin/bash
MVN ?= mvn -B -ntp
CRD := crds/mcpservers.mooring.dev-v1.yml

.PHONY: build crds test unit-test peers cluster-up cluster-down cluster-status run clean

build:
	$(MVN) package -DskipTests

## Regenerates the committed CRD from the Java API (the build fails while the committed copy is stale).
crds:
	$(MVN) -pl operator package -DskipTests
	cp operator/target/kubernetes/mcpservers.mooring.dev-v1.yml $(CRD)

## Unit tests only: no cluster needed.
unit-test:
	$(MVN) test

## The official MCP TypeScript SDK peers that tests use as independent clients and servers.
peers:
	npm ci --prefix server-image/peers --no-audit --no-fund

## Every test: unit tests, then the tests against the local cluster's real API server and real processes.
test: cluster-up peers
	eval "$$(hack/cluster.sh env)" && $(MVN) verify

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
