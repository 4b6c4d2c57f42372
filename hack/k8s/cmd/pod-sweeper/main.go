// pod-sweeper stops and removes every pod sandbox of one containerd through its CRI API, the way the kubelet
// would: the CNI plugins release the pod's address and veth, and containerd unmounts its rootfs and shm and
// deletes its network namespace. hack/node.sh runs it on `down`, after the kubelet has stopped, because the
// CRI tools (crictl) are not available from the module proxy here.
//
// Usage: pod-sweeper unix:///run/mooring/containerd.sock
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: pod-sweeper unix:///path/to/containerd.sock")
		os.Exit(2)
	}
	if err := sweep(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "pod-sweeper:", err)
		os.Exit(1)
	}
}

func sweep(endpoint string) error {
	conn, err := grpc.NewClient(endpoint, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	runtime := runtimeapi.NewRuntimeServiceClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pods, err := runtime.ListPodSandbox(ctx, &runtimeapi.ListPodSandboxRequest{})
	if err != nil {
		return fmt.Errorf("listing pod sandboxes: %w", err)
	}
	for _, pod := range pods.Items {
		name := pod.Metadata.Namespace + "/" + pod.Metadata.Name
		if _, err := runtime.StopPodSandbox(ctx, &runtimeapi.StopPodSandboxRequest{PodSandboxId: pod.Id}); err != nil {
			return fmt.Errorf("stopping %s: %w", name, err)
		}
		if _, err := runtime.RemovePodSandbox(ctx, &runtimeapi.RemovePodSandboxRequest{PodSandboxId: pod.Id}); err != nil {
			return fmt.Errorf("removing %s: %w", name, err)
		}
	}
	fmt.Printf("removed %d pod sandboxes\n", len(pods.Items))
	return nil
}
