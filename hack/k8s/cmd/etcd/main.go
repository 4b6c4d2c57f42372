// Command etcd is etcd's own entry point, built at the version Kubernetes itself is tested with,
// because Debian's etcd 3.4 is older than what kube-apiserver 1.34 supports.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
