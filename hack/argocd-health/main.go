// Command argocd-health runs Argo CD health checks kept in the layout of Argo CD's resource_customizations
// (health.lua, health_test.yaml, testdata/) through Argo CD's own Lua VM, the code that evaluates them in a
// real Argo CD, and fails when any case's status or message differs from what health_test.yaml expects.
//
// With a second argument, an argocd-cm manifest, it also checks that the health check installed there is
// health.lua verbatim.
//
// Usage: go run . DIR [ARGOCD_CM_YAML]
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/argoproj/argo-cd/v2/util/lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

type healthTests struct {
	Tests []struct {
		HealthStatus struct {
			Status  string `json:"status"`
			Message string `json:"message"`
		} `json:"healthStatus"`
		InputPath string `json:"inputPath"`
	} `json:"tests"`
}

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: argocd-health DIR [ARGOCD_CM_YAML] (DIR holds health.lua and health_test.yaml)")
		os.Exit(2)
	}
	dir := os.Args[1]
	script := mustRead(filepath.Join(dir, "health.lua"))
	if len(os.Args) == 3 {
		checkConfigMap(os.Args[2], dir, script)
	}
	var tests healthTests
	if err := yaml.Unmarshal([]byte(mustRead(filepath.Join(dir, "health_test.yaml"))), &tests); err != nil {
		fail("health_test.yaml: %v", err)
	}
	if len(tests.Tests) == 0 {
		fail("health_test.yaml has no tests")
	}
	failures := 0
	for _, test := range tests.Tests {
		obj := &unstructured.Unstructured{}
		if err := yaml.Unmarshal([]byte(mustRead(filepath.Join(dir, test.InputPath))), &obj.Object); err != nil {
			fail("%s: %v", test.InputPath, err)
		}
		vm := lua.VM{}
		status, err := vm.ExecuteHealthLua(obj, script)
		switch {
		case err != nil:
			failures++
			fmt.Printf("FAIL %s: %v\n", test.InputPath, err)
		case string(status.Status) != test.HealthStatus.Status || status.Message != test.HealthStatus.Message:
			failures++
			fmt.Printf("FAIL %s:\n  want %s %q\n  got  %s %q\n", test.InputPath, test.HealthStatus.Status, test.HealthStatus.Message, status.Status, status.Message)
		default:
			fmt.Printf("ok   %s: %s\n", test.InputPath, status.Status)
		}
	}
	fmt.Printf("argocd-health: %d of %d cases passed through Argo CD's Lua VM\n", len(tests.Tests)-failures, len(tests.Tests))
	if failures > 0 {
		os.Exit(1)
	}
}

// checkConfigMap fails unless the argocd-cm manifest installs script for the group and kind DIR names.
func checkConfigMap(path, dir, script string) {
	var cm struct {
		Data map[string]string `json:"data"`
	}
	if err := yaml.Unmarshal([]byte(mustRead(path)), &cm); err != nil {
		fail("%s: %v", path, err)
	}
	kind := filepath.Base(dir)
	group := filepath.Base(filepath.Dir(dir))
	key := "resource.customizations.health." + group + "_" + kind
	if cm.Data[key] != script {
		fail("%s: data[%q] is not %s verbatim; copy it again", path, key, filepath.Join(dir, "health.lua"))
	}
	fmt.Printf("ok   %s installs %s\n", path, key)
}

func mustRead(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	return string(data)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "argocd-health: "+format+"\n", args...)
	os.Exit(1)
}
