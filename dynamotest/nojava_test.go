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
// else, so java is missing. With nothing selected, everything runs on the
// in-process engine, under CI too. With DYNANTIC_BACKEND=ddblocal no
// server can start: without CI its tests that need the server skip, the
// others pass, and the example is not run (an example cannot skip itself);
// under CI=true the run fails.
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
	run := func(ci, backend string) (string, error) {
		cmd := exec.Command(goBin, "test", "-count=1", "-v", "./testdata/nojava")
		var env []string
		for _, kv := range os.Environ() {
			k, _, _ := strings.Cut(kv, "=")
			switch k {
			case "PATH", "CI", "AWS_ENDPOINT_URL_DYNAMODB", "DYNANTIC_BACKEND", "GOFLAGS":
				continue
			}
			env = append(env, kv)
		}
		cmd.Env = append(env, "PATH="+bin, "CGO_ENABLED=0", "CI="+ci, "DYNANTIC_BACKEND="+backend)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	for _, ci := range []string{"", "true"} {
		out, err := run(ci, "")
		if err != nil {
			t.Fatalf("the engine, without java, CI=%q: go test failed (%v):\n%s", ci, err, out)
		}
		for _, want := range []string{"reached DynamoDB", "--- PASS: TestNeedsServer", "--- PASS: TestPlain", "--- PASS: ExampleSharedClient"} {
			if !strings.Contains(out, want) {
				t.Errorf("the engine, CI=%q: output lacks %q:\n%s", ci, want, out)
			}
		}
	}

	out, err := run("", "ddblocal")
	if err != nil {
		t.Fatalf("ddblocal without java and CI: go test failed (%v):\n%s", err, out)
	}
	for _, want := range []string{"--- SKIP: TestNeedsServer", "--- PASS: TestPlain", "java not found"} {
		if !strings.Contains(out, want) {
			t.Errorf("ddblocal: output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ExampleSharedClient") || strings.Contains(out, "reached DynamoDB") {
		t.Errorf("ddblocal: a test or example that needs DynamoDB ran:\n%s", out)
	}

	out, err = run("true", "ddblocal")
	if err == nil {
		t.Fatalf("ddblocal without java, CI=true: go test passed; want a failure:\n%s", out)
	}
	if !strings.Contains(out, "CI is set") || strings.Contains(out, "--- SKIP") {
		t.Errorf("ddblocal, CI=true: want a failure saying CI is set, no skipped test:\n%s", out)
	}
}
