package dynamotest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWithoutJava runs a package whose tests and example need DynamoDB
// (testdata/nojava) with "go test" on a PATH that holds go and nothing
// else, so java is missing and no server can start. Without CI its tests
// that need the server skip, the others pass, and the example is not run
// (an example cannot skip itself); under CI=true the run fails.
func TestWithoutJava(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs another test binary")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	bin := t.TempDir()
	if err := os.Symlink(goBin, filepath.Join(bin, "go")); err != nil {
		t.Fatal(err)
	}
	run := func(ci string) (string, error) {
		cmd := exec.Command(goBin, "test", "-count=1", "-v", "./testdata/nojava")
		var env []string
		for _, kv := range os.Environ() {
			k, _, _ := strings.Cut(kv, "=")
			switch k {
			case "PATH", "CI", "AWS_ENDPOINT_URL_DYNAMODB", "GOFLAGS":
				continue
			}
			env = append(env, kv)
		}
		cmd.Env = append(env, "PATH="+bin, "CGO_ENABLED=0", "CI="+ci)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	out, err := run("")
	if err != nil {
		t.Fatalf("without java and CI, go test failed (%v):\n%s", err, out)
	}
	for _, want := range []string{"--- SKIP: TestNeedsServer", "--- PASS: TestPlain", "java not found"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ExampleSharedClient") || strings.Contains(out, "reached DynamoDB") {
		t.Errorf("a test or example that needs DynamoDB ran:\n%s", out)
	}

	out, err = run("true")
	if err == nil {
		t.Fatalf("without java, CI=true: go test passed; want a failure:\n%s", out)
	}
	if !strings.Contains(out, "CI is set") || strings.Contains(out, "--- SKIP") {
		t.Errorf("CI=true: want a failure saying CI is set, no skipped test:\n%s", out)
	}
}
