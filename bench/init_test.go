package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestInitIsLight builds cmd/minimal, runs it with GODEBUG=inittrace=1 and
// checks that dynantic's own packages do next to nothing when the program
// starts: at most a few hundred small allocations in all (the expression
// placeholders), so a Lambda cold start pays for nothing it does not use.
// The clock times are logged, not asserted.
func TestInitIsLight(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	bin := filepath.Join(t.TempDir(), "minimal")
	build := exec.Command("go", "build", "-o", bin, "./cmd/minimal")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/minimal: %v\n%s", err, out)
	}
	run := exec.Command(bin)
	// Open needs credentials (it fails fast without them); static ones make no request.
	run.Env = append(os.Environ(), "GODEBUG=inittrace=1", "AWS_REGION=us-east-1", "MINIMAL_RUN=",
		"AWS_ACCESS_KEY_ID=bench", "AWS_SECRET_ACCESS_KEY=bench", "AWS_PROFILE=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("minimal: %v\n%s", err, out)
	}
	inits := parseInitTrace(string(out))
	if len(inits) == 0 {
		t.Fatalf("no init trace in the output:\n%s", out)
	}
	var bytes, allocs int
	seen := 0
	for _, in := range inits {
		if strings.HasPrefix(in.pkg, "github.com/dynantic/dynantic") {
			t.Logf("%s: %s clock, %d bytes, %d allocs", in.pkg, in.clock, in.bytes, in.allocs)
			bytes += in.bytes
			allocs += in.allocs
			seen++
		}
	}
	if seen == 0 {
		t.Fatal("no dynantic package in the init trace")
	}
	if allocs > 200 || bytes > 8<<10 {
		t.Errorf("dynantic's packages allocate %d bytes in %d allocations at init; want at most 8 KiB in 200", bytes, allocs)
	}
}

type initLine struct {
	pkg, clock    string
	bytes, allocs int
}

var initRE = regexp.MustCompile(`^init (\S+) @\S+ ms, (\S+ ms) clock, (\d+) bytes, (\d+) allocs`)

func parseInitTrace(out string) []initLine {
	var lines []initLine
	for _, l := range strings.Split(out, "\n") {
		m := initRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		b, _ := strconv.Atoi(m[3])
		a, _ := strconv.Atoi(m[4])
		lines = append(lines, initLine{pkg: m[1], clock: m[2], bytes: b, allocs: a})
	}
	return lines
}
