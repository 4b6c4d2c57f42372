// Cluster DNS for the local cluster: CoreDNS with only the plugins the Corefile in hack/node.sh uses (DNS for Services and pods, nothing forwarded: there is no outside resolver), so the
// build stays small (the full coredns binary compiles every cloud provider's SDK). This is CoreDNS's documented
// way to build with a chosen plugin set.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
)

// Order matters: it is the order in which a query passes the plugins of a server block.
var directives = []string{"bind", "health", "errors", "cache", "loadbalance", "kubernetes"}

func init() {
	dnsserver.Directives = directives
}

func main() {
	coremain.Run()
}
