package difftest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Config is how [Test] runs the suite.
type Config struct {
	// Dir holds the goldens, one <scenario>.json each.
	Dir string
	// Engine returns a fresh engine; each scenario gets its own. Nil skips
	// the engine replay.
	Engine func() http.Handler
	// Live is the base URL of a DynamoDB Local to record from (Update) or
	// to re-check the goldens against; "" for none.
	Live string
	// Update records the goldens from Live before the engine replay.
	Update bool
	// MaxDiffs bounds the differences printed per scenario (0: 15).
	MaxDiffs int
	// Scenarios to run; nil means All().
	Scenarios []*Scenario
}

// liveSlots bounds the scenarios run at once against a live server.
const liveSlots = 4

// Test runs the differential suite as one subtest per scenario:
//   - with Update, it replays each scenario against Live and writes its
//     golden;
//   - else with Live, it replays each scenario against Live and fails when
//     an answer differs from the golden (the golden is stale);
//   - then it replays each scenario against a fresh Engine and fails on
//     every step whose answer differs from the golden (or, for a known
//     difference, from DynamoDB's documented answer), and on any response
//     without a correct x-amz-crc32 header.
//
// The parent test logs a summary: steps compared and steps differing.
func Test(t *testing.T, cfg Config) {
	scenarios := cfg.Scenarios
	if scenarios == nil {
		scenarios = All()
	}
	if cfg.Update && cfg.Live == "" {
		t.Fatal("recording goldens needs a live DynamoDB Local")
	}
	if cfg.MaxDiffs == 0 {
		cfg.MaxDiffs = 15
	}
	var (
		mu                                       sync.Mutex
		steps, engineDiffs, liveDiffs, docs, ran int
		failed                                   []string
	)
	slots := make(chan struct{}, liveSlots)
	runID := newRunID()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case cfg.Update:
			t.Logf("recorded %d scenarios, %d steps (%d with a documented difference)", ran, steps, docs)
		case cfg.Live != "":
			t.Logf("live re-check: %d of %d steps differ from the goldens", liveDiffs, steps)
		}
		if cfg.Engine != nil {
			which := strings.Join(failed, " ")
			if which == "" {
				which = "none"
			}
			t.Logf("engine: %d of %d steps differ (%d scenarios; differing: %s)", engineDiffs, steps, ran, which)
		}
	})
	for _, s := range scenarios {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(cfg.Dir, s.Name+".json")
			var g *Golden
			if cfg.Live != "" {
				slots <- struct{}{}
				results, err := Run(context.Background(), URL(cfg.Live), s, runID, true)
				<-slots
				if err != nil {
					t.Fatalf("live: %v", err)
				}
				if cfg.Update {
					g = Record(s, results)
					if err := os.WriteFile(path, g.Marshal(), 0o644); err != nil {
						t.Fatal(err)
					}
				} else {
					g = readFresh(t, s, path)
					d := Compare(s, g, results, Live)
					report(t, "live DynamoDB Local differs from the golden (re-record with -update-goldens)", d, cfg.MaxDiffs)
					mu.Lock()
					liveDiffs += len(d)
					mu.Unlock()
				}
			} else {
				g = readFresh(t, s, path)
			}
			mu.Lock()
			ran++
			steps += len(s.Steps)
			for _, st := range s.Steps {
				if st.Doc != nil {
					docs++
				}
			}
			mu.Unlock()
			if cfg.Engine == nil {
				return
			}
			engine := cfg.Engine()
			if c, ok := engine.(io.Closer); ok {
				defer c.Close()
			}
			results, err := Run(context.Background(), Handler(recovering{engine}), s, "engine", false)
			if err != nil {
				t.Fatalf("engine: %v", err)
			}
			d := Compare(s, g, results, Engine)
			report(t, "engine differs", d, cfg.MaxDiffs)
			mu.Lock()
			engineDiffs += len(d)
			if len(d) > 0 {
				failed = append(failed, fmt.Sprintf("%s(%d)", s.Name, len(d)))
			}
			mu.Unlock()
		})
	}
}

// readFresh reads the golden of s and fails t if it is missing or stale.
func readFresh(t *testing.T, s *Scenario, path string) *Golden {
	t.Helper()
	g, err := ReadGolden(path)
	if err != nil {
		t.Fatalf("%v (record the goldens with -update-goldens and a DynamoDB Local)", err)
	}
	if why := Stale(s, g); why != "" {
		t.Fatalf("%s: %s; re-record with -update-goldens", path, why)
	}
	return g
}

// report logs up to max differences and fails t if there are any.
func report(t *testing.T, what string, diffs []Diff, max int) {
	t.Helper()
	if len(diffs) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s on %d steps:", what, len(diffs))
	for i, d := range diffs {
		if i == max {
			fmt.Fprintf(&b, "\n  … and %d more (raise -diff-max to see them)", len(diffs)-max)
			break
		}
		b.WriteString("\n  " + d.String())
	}
	t.Error(b.String())
}

// recovering turns a panic in the engine into a 500 answer naming it, so
// one broken step shows up as a difference instead of ending the run.
type recovering struct{ h http.Handler }

func (r recovering) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			w.WriteHeader(599)
			fmt.Fprintf(w, "engine panicked: %v", p)
		}
	}()
	r.h.ServeHTTP(w, req)
}

// newRunID returns a random id for "$RUN" in live runs.
func newRunID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
