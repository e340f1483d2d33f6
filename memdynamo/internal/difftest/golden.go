package difftest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// Recorded names the server the goldens come from.
const Recorded = "DynamoDB Local 3.3.1"

// Golden is the recorded run of one scenario against DynamoDB Local.
type Golden struct {
	Scenario string       `json:"scenario"` // the scenario's name
	About    string       `json:"about"`    // what it covers
	Recorded string       `json:"recorded"` // the server it was recorded from
	Steps    []GoldenStep `json:"steps"`    // one per step, in order
}

// GoldenStep is one request and DynamoDB Local's canonical answer.
type GoldenStep struct {
	N        int             `json:"n"`                // step number, from 1
	Op       string          `json:"op"`               // operation
	Note     string          `json:"note,omitempty"`   // what the step checks
	Target   string          `json:"target,omitempty"` // only when not DynamoDB_20120810.<op>
	Request  json.RawMessage `json:"request"`          // CanonRequest of the body
	Status   int             `json:"status"`           // HTTP status
	Type     string          `json:"type,omitempty"`   // short error name
	Response json.RawMessage `json:"response"`         // canonical answer
	CRC      string          `json:"crc32,omitempty"`  // "" when ok, else what was wrong
	// Documented is DynamoDB's documented answer when Local differs (the
	// engine is checked against it), with the reason.
	Documented string `json:"documented,omitempty"`
}

// Canon returns the recorded answer.
func (g GoldenStep) Canon() Canon {
	return Canon{Status: g.Status, Type: g.Type, Body: g.Response}
}

// Result is one step's answer from a target.
type Result struct {
	Canon Canon  // the canonical answer
	CRC   string // see Response.CRC
}

// Run sends every step of s to t, in order, signed with the scenario's
// access key, and returns the canonical answers. runID replaces "$RUN" in
// request bodies (idempotency tokens must differ between runs on one live
// server). With clean, Run first deletes every table in the scenario's
// namespace, so a live server that ran the scenario before (or was
// interrupted) starts empty; these requests are not part of the results.
func Run(ctx context.Context, t Target, s *Scenario, runID string, clean bool) ([]Result, error) {
	access := s.AccessKey()
	if s.FreshDB {
		access += runID
	}
	if clean {
		if err := dropAll(ctx, t, access); err != nil {
			return nil, fmt.Errorf("scenario %s: cleaning up before the run: %w", s.Name, err)
		}
	}
	out := make([]Result, len(s.Steps))
	var lek json.RawMessage // the previous answer's LastEvaluatedKey
	vars := map[string]string{}
	var streams []streamAnswer
	for i, st := range s.Steps {
		body := st.Body
		if bytes.Contains(body, []byte("$RUN")) {
			body = bytes.ReplaceAll(body, []byte("$RUN"), []byte(runID))
		}
		if st.Derive != nil {
			st.Derive(vars)
		}
		if bytes.Contains(body, []byte("${")) {
			var missing string
			if body, missing = substitute(body, vars); missing != "" {
				out[i] = Result{Canon: Canon{Body: marshal(NoVar + missing)}, CRC: "ok"}
				continue
			}
		}
		if st.FromLEK {
			if len(lek) == 0 || string(lek) == "null" {
				// The read ended on the previous page: nothing to ask.
				out[i] = Result{Canon: Canon{Body: marshal(NoPage)}, CRC: "ok"}
				continue
			}
			body = withLEK(body, lek)
		}
		req, err := Request(ctx, t, access, st.TargetHeader(), body)
		if err != nil {
			return nil, err
		}
		res, err := t.RoundTrip(req)
		if err != nil {
			return nil, fmt.Errorf("scenario %s step %d (%s): %w", s.Name, i+1, st.Op, err)
		}
		for deadline := time.Now().Add(st.Settle); st.Settle > 0 && !settled(res) && time.Now().Before(deadline); {
			time.Sleep(100 * time.Millisecond)
			if req, err = Request(ctx, t, access, st.TargetHeader(), body); err != nil {
				return nil, err
			}
			if res, err = t.RoundTrip(req); err != nil {
				return nil, fmt.Errorf("scenario %s step %d (%s): %w", s.Name, i+1, st.Op, err)
			}
		}
		capture(vars, st.Keep, res.Body)
		var page struct{ LastEvaluatedKey json.RawMessage }
		_ = json.Unmarshal(res.Body, &page)
		lek = page.LastEvaluatedKey
		if isStreamAnswer(res.Body) { // canonicalised once the whole run is known
			streams = append(streams, streamAnswer{step: i, sent: body, res: res})
			continue
		}
		out[i] = Result{Canon: Canonicalize(st.Op, res.Status, res.Body, st.Opts), CRC: res.CRC()}
	}
	canonStreams(s, out, streams)
	return out, nil
}

// settled reports whether a DescribeTable answer shows no index being
// created, updated or deleted.
func settled(res *Response) bool {
	var d struct {
		Table struct {
			GlobalSecondaryIndexes []struct{ IndexStatus string }
		}
	}
	if res.Status != 200 || json.Unmarshal(res.Body, &d) != nil {
		return true
	}
	for _, g := range d.Table.GlobalSecondaryIndexes {
		if g.IndexStatus != "" && g.IndexStatus != "ACTIVE" {
			return false
		}
	}
	return true
}

// NoPage is the recorded answer of a step that continues from a
// LastEvaluatedKey when the previous page had none: no request is sent.
const NoPage = "no request: the previous page had no LastEvaluatedKey"

// withLEK replaces the "$LEK" ExclusiveStartKey of body with lek, or drops
// it when lek is empty.
func withLEK(body, lek json.RawMessage) []byte {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return body
	}
	if len(lek) == 0 || string(lek) == "null" {
		delete(m, "ExclusiveStartKey")
	} else {
		m["ExclusiveStartKey"] = lek
	}
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return out
}

// dropAll deletes every table visible with access.
func dropAll(ctx context.Context, t Target, access string) error {
	call := func(op string, body any) (map[string]any, error) {
		req, err := Request(ctx, t, access, TargetPrefix+op, marshal(body))
		if err != nil {
			return nil, err
		}
		res, err := t.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		_ = json.Unmarshal(res.Body, &m)
		if res.Status != 200 {
			return nil, fmt.Errorf("%s: %d %s", op, res.Status, res.Body)
		}
		return m, nil
	}
	for {
		m, err := call("ListTables", M{})
		if err != nil {
			return err
		}
		names, _ := m["TableNames"].([]any)
		if len(names) == 0 {
			return nil
		}
		for _, n := range names {
			if _, err := call("DeleteTable", M{"TableName": n}); err != nil {
				return err
			}
		}
	}
}

// Record builds the golden of s from a run's results.
func Record(s *Scenario, results []Result) *Golden {
	g := &Golden{Scenario: s.Name, About: s.About, Recorded: Recorded}
	for i, st := range s.Steps {
		r := results[i]
		gs := GoldenStep{
			N: i + 1, Op: st.Op, Note: st.Note, Request: stepRequest(st),
			Status: r.Canon.Status, Type: r.Canon.Type, Response: r.Canon.Body,
		}
		if st.TargetHeader() != TargetPrefix+st.Op {
			gs.Target = st.TargetHeader()
			if gs.Target == "" {
				gs.Target = "(none)"
			}
		}
		if r.CRC != "ok" {
			gs.CRC = r.CRC
		}
		if st.Doc != nil {
			gs.Documented = st.Doc.String() + " — " + st.Doc.Reason
		}
		g.Steps = append(g.Steps, gs)
	}
	return g
}

// stepRequest is the request as the golden keeps it (computed once per
// step: scenarios are shared).
func stepRequest(st *Step) json.RawMessage {
	st.canonOnce.Do(func() {
		if st.Raw {
			st.canonReq = marshal(Abbreviate(string(st.Body)))
			return
		}
		st.canonReq = CanonRequest(st.Body)
	})
	return st.canonReq
}

// Marshal renders g one field per line, requests and answers as compact
// JSON, so that a re-recording diffs line by line.
func (g *Golden) Marshal() []byte {
	var b bytes.Buffer
	str := func(s string) string { return string(marshal(s)) }
	fmt.Fprintf(&b, "{\n  \"scenario\": %s,\n  \"about\": %s,\n  \"recorded\": %s,\n  \"steps\": [", str(g.Scenario), str(g.About), str(g.Recorded))
	for i, s := range g.Steps {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n    {\n      \"n\": %d,\n      \"op\": %s,\n", s.N, str(s.Op))
		if s.Note != "" {
			fmt.Fprintf(&b, "      \"note\": %s,\n", str(s.Note))
		}
		if s.Target != "" {
			fmt.Fprintf(&b, "      \"target\": %s,\n", str(s.Target))
		}
		fmt.Fprintf(&b, "      \"request\": %s,\n      \"status\": %d,\n", s.Request, s.Status)
		if s.Type != "" {
			fmt.Fprintf(&b, "      \"type\": %s,\n", str(s.Type))
		}
		if s.CRC != "" {
			fmt.Fprintf(&b, "      \"crc32\": %s,\n", str(s.CRC))
		}
		if s.Documented != "" {
			fmt.Fprintf(&b, "      \"documented\": %s,\n", str(s.Documented))
		}
		fmt.Fprintf(&b, "      \"response\": %s\n    }", s.Response)
	}
	b.WriteString("\n  ]\n}\n")
	return b.Bytes()
}

// ReadGolden reads a golden file.
func ReadGolden(path string) (*Golden, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var g Golden
	if err := json.Unmarshal(data, &g); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &g, nil
}

// Diff is one step whose answer is not the expected one.
type Diff struct {
	N    int    // step number, from 1 (the last step of a merged group)
	Step *Step  // the step
	Want string // the expected answer, rendered
	Got  string // the answer, rendered
}

// Mode selects what a run is compared with.
type Mode int

const (
	// Engine compares the engine with the goldens, or with the documented
	// answer for known differences, and requires a correct x-amz-crc32 on
	// every response.
	Engine Mode = iota
	// Live compares a live DynamoDB Local with the goldens, to catch stale
	// goldens.
	Live
)

// Stale reports why g does not belong to s (steps added, removed or
// changed since it was recorded), or "" when it does.
func Stale(s *Scenario, g *Golden) string {
	if g.Scenario != s.Name {
		return fmt.Sprintf("golden is for scenario %q", g.Scenario)
	}
	if len(g.Steps) != len(s.Steps) {
		return fmt.Sprintf("golden has %d steps, scenario has %d", len(g.Steps), len(s.Steps))
	}
	for i, st := range s.Steps {
		gs := g.Steps[i]
		if gs.Op != st.Op || !bytes.Equal(compact(gs.Request), stepRequest(st)) {
			return fmt.Sprintf("step %d (%s) changed since the golden was recorded", i+1, st.Op)
		}
	}
	return ""
}

func compact(b []byte) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return b
	}
	return buf.Bytes()
}

// Compare returns the steps whose results differ from the golden g under
// mode m. g must not be Stale.
func Compare(s *Scenario, g *Golden, results []Result, m Mode) []Diff {
	var diffs []Diff
	groups := map[string][]int{} // group → step indexes
	for i, st := range s.Steps {
		if st.Group != "" {
			groups[st.Group] = append(groups[st.Group], i)
		}
	}
	for i, st := range s.Steps {
		gs, r := g.Steps[i], results[i]
		want := gs.Canon()
		if st.Group != "" {
			idx := groups[st.Group]
			if i != idx[len(idx)-1] {
				continue // compared with the group's last step
			}
			var ws, rs []Canon
			var limits []int
			for _, j := range idx {
				ws = append(ws, g.Steps[j].Canon())
				rs = append(rs, results[j].Canon)
				limits = append(limits, limitOf(s.Steps[j]))
				if results[j].CRC != r.CRC && results[j].CRC != "ok" {
					r.CRC = results[j].CRC
				}
			}
			want, r.Canon = merge(ws, limits), merge(rs, limits)
		}
		var wantS string
		ok := true
		ignored := false
		if m == Engine && st.Doc != nil && len(st.Doc.Ignore) > 0 {
			w, g := without(want, st.Doc.Ignore), without(r.Canon, st.Doc.Ignore)
			ok = w.Equal(g)
			wantS = describe(w)
			ignored = true
		} else if m == Engine && st.Doc != nil {
			ok = st.Doc.Matches(r.Canon)
			wantS = "documented " + st.Doc.String() + " (DynamoDB Local: " + describe(want) + ")"
		} else {
			ok = want.Equal(r.Canon)
			wantS = describe(want)
		}
		gotS := describe(r.Canon)
		if ignored {
			gotS = describe(without(r.Canon, st.Doc.Ignore))
		}
		if wantS != gotS {
			wantS, gotS = focus(wantS, gotS)
		}
		if ignored {
			wantS = "(" + strings.Join(st.Doc.Ignore, ", ") + " left out) " + wantS
		}
		wantS, gotS = clip(wantS, 700), clip(gotS, 700)
		switch {
		case m == Engine && r.CRC != "ok":
			ok = false
			gotS += " [x-amz-crc32 " + r.CRC + "]"
		case m == Live && r.CRC != orOK(gs.CRC):
			ok = false
			gotS += " [x-amz-crc32 " + r.CRC + ", golden " + orOK(gs.CRC) + "]"
		}
		if !ok {
			diffs = append(diffs, Diff{N: i + 1, Step: st, Want: wantS, Got: gotS})
		}
	}
	return diffs
}

// limitOf returns the Limit of a step's request, or 0.
func limitOf(st *Step) int {
	var r struct{ Limit int }
	_ = json.Unmarshal(st.Body, &r)
	return r.Limit
}

// merge combines the answers of a group of Query/Scan steps: their items
// (sorted), counts (summed), errors, whether the last page had a
// LastEvaluatedKey, and how many pages returned more items than their
// Limit. The number of pages is not compared: where a server splits a scan
// into segments is its own choice.
func merge(cs []Canon, limits []int) Canon {
	var items []any
	var count, scanned float64
	var errs []any
	more := false
	overLimit := 0
	for i, c := range cs {
		if c.Status == 0 && string(c.Body) == string(marshal(NoPage)) {
			continue
		}
		var page struct {
			Items            []any
			Count            float64
			ScannedCount     float64
			LastEvaluatedKey any
		}
		if c.Status != 200 || json.Unmarshal(c.Body, &page) != nil {
			errs = append(errs, describe(c))
			continue
		}
		items = append(items, page.Items...)
		if limits[i] > 0 && page.Count > float64(limits[i]) {
			overLimit++
		}
		count += page.Count
		scanned += page.ScannedCount
		more = page.LastEvaluatedKey != nil
	}
	sortList(any(items))
	body := M{"PagesOverLimit": overLimit, "Items": items, "Count": count, "ScannedCount": scanned, "LastHasLastEvaluatedKey": more}
	if items == nil {
		body["Items"] = L{}
	}
	if errs != nil {
		body["Errors"] = errs
	}
	return Canon{Status: 200, Body: marshal(canonValue(body))}
}

// without returns c with the named fields removed from its body, at any
// depth.
func without(c Canon, fields []string) Canon {
	var v any
	if json.Unmarshal(c.Body, &v) != nil {
		return c
	}
	drop := map[string]bool{}
	for _, f := range fields {
		drop[f] = true
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if drop[k] {
					delete(v, k)
					continue
				}
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	c.Body = marshal(v)
	return c
}

func orOK(s string) string {
	if s == "" {
		return "ok"
	}
	return s
}

// focus shortens two long renderings that share a prefix so the first
// difference shows: both keep 120 bytes before it.
func focus(want, got string) (string, string) {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	if i < 500 {
		return want, got
	}
	cut := i - 120
	for cut > 0 && !utf8Start(want[:cut]) {
		cut--
	}
	return want[:40] + " …" + want[cut:], got[:40] + " …" + got[cut:]
}

// describe renders an answer on one line.
func describe(c Canon) string {
	s := fmt.Sprintf("%d", c.Status)
	if c.Type != "" {
		s += " " + c.Type
	}
	return s + " " + string(c.Body)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("…(%d more bytes)", len(s)-n)
}

// String renders d for a test log: the step, its request, want and got.
func (d Diff) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "step %d %s", d.N, d.Step.Op)
	if d.Step.Note != "" {
		fmt.Fprintf(&b, " (%s)", d.Step.Note)
	}
	fmt.Fprintf(&b, "\n    request: %s\n    want:    %s\n    got:     %s", clip(string(stepRequest(d.Step)), 700), d.Want, d.Got)
	return b.String()
}
