package difftest

import (
	"os"
	"testing"
)

// TestLiveRecord is a development hook: with DIFFTEST_LIVE set to a DynamoDB
// Local URL it records the goldens without the engine.
func TestLiveRecord(t *testing.T) {
	u := os.Getenv("DIFFTEST_LIVE")
	if u == "" {
		t.Skip("DIFFTEST_LIVE not set")
	}
	Test(t, Config{Dir: "../../testdata/diff", Live: u, Update: os.Getenv("DIFFTEST_UPDATE") != ""})
}
