package expr

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func pv(p string) UpdateOperand               { return UpdateOperand{Path: mustPath(p)} }
func av(v types.AttributeValue) UpdateOperand { return UpdateOperand{Value: v} }
func strs(ss ...string) *types.AttributeValueMemberSS {
	return &types.AttributeValueMemberSS{Value: ss}
}
func list(vs ...types.AttributeValue) *types.AttributeValueMemberL {
	return &types.AttributeValueMemberL{Value: vs}
}

func set(p string, v types.AttributeValue) Action {
	return Action{Kind: ActSet, Path: mustPath(p), A: av(v)}
}
func setFn(p string, fn SetFn, a, b UpdateOperand) Action {
	return Action{Kind: ActSet, Path: mustPath(p), Fn: fn, A: a, B: b}
}
func ifNotExists(p string, v types.AttributeValue) UpdateOperand {
	return UpdateOperand{Path: mustPath(p), IfNotExists: v}
}
func remove(p string) Action { return Action{Kind: ActRemove, Path: mustPath(p)} }
func add(p string, v types.AttributeValue) Action {
	return Action{Kind: ActAdd, Path: mustPath(p), A: av(v)}
}
func del(p string, v types.AttributeValue) Action {
	return Action{Kind: ActDelete, Path: mustPath(p), A: av(v)}
}

// TestUpdateGolden compiles update actions, each case through ONE Builder:
// the update first, then (when given) a condition, as a request does. It
// checks the exact texts, names and values.
func TestUpdateGolden(t *testing.T) {
	tests := []struct {
		name    string
		actions []Action
		cond    *Cond
		want    []string
		names   names
		values  values
	}{
		{"set", []Action{set("a", num("1"))}, nil,
			[]string{"SET #n0 = :v0"}, names{"#n0": "a"}, values{":v0": num("1")}},
		{"set if not exists", []Action{setFn("a", SetValue, ifNotExists("a", str("x")), UpdateOperand{})}, nil,
			[]string{"SET #n0 = if_not_exists(#n0, :v0)"}, names{"#n0": "a"}, values{":v0": str("x")}},
		{"plus", []Action{setFn("stock", SetPlus, pv("stock"), av(num("5")))}, nil,
			[]string{"SET #n0 = #n0 + :v0"}, names{"#n0": "stock"}, values{":v0": num("5")}},
		{"minus", []Action{setFn("stock", SetMinus, pv("stock"), av(num("1")))}, nil,
			[]string{"SET #n0 = #n0 - :v0"}, names{"#n0": "stock"}, values{":v0": num("1")}},
		{"minus from another attribute", []Action{setFn("left", SetMinus, pv("total"), pv("used"))}, nil,
			[]string{"SET #n0 = #n1 - #n2"}, names{"#n0": "left", "#n1": "total", "#n2": "used"}, nil},
		{"value minus attribute", []Action{setFn("neg", SetMinus, av(num("0")), pv("x"))}, nil,
			[]string{"SET #n0 = :v0 - #n1"}, names{"#n0": "neg", "#n1": "x"}, values{":v0": num("0")}},
		{"append", []Action{setFn("l", SetListAppend, pv("l"), av(list(str("x"))))}, nil,
			[]string{"SET #n0 = list_append(#n0, :v0)"}, names{"#n0": "l"}, values{":v0": list(str("x"))}},
		{"prepend", []Action{setFn("l", SetListAppend, av(list(str("x"))), pv("l"))}, nil,
			[]string{"SET #n0 = list_append(:v0, #n0)"}, names{"#n0": "l"}, values{":v0": list(str("x"))}},
		{"append to a list that may not exist", []Action{setFn("l", SetListAppend, ifNotExists("l", list()), av(list(num("1"))))}, nil,
			[]string{"SET #n0 = list_append(if_not_exists(#n0, :v0), :v1)"}, names{"#n0": "l"}, values{":v0": list(), ":v1": list(num("1"))}},
		{"counter from another attribute or zero", []Action{setFn("c", SetPlus, ifNotExists("d.e", num("0")), av(num("2")))}, nil,
			[]string{"SET #n0 = if_not_exists(#n1.#n2, :v0) + :v1"}, names{"#n0": "c", "#n1": "d", "#n2": "e"}, values{":v0": num("0"), ":v1": num("2")}},
		{"copy", []Action{setFn("a", SetValue, pv("b.c"), UpdateOperand{})}, nil,
			[]string{"SET #n0 = #n1.#n2"}, names{"#n0": "a", "#n1": "b", "#n2": "c"}, nil},
		{"remove", []Action{remove("a")}, nil,
			[]string{"REMOVE #n0"}, names{"#n0": "a"}, nil},
		{"remove list element", []Action{remove("a[3]")}, nil,
			[]string{"REMOVE #n0[3]"}, names{"#n0": "a"}, nil},
		{"add number", []Action{add("n", num("1"))}, nil,
			[]string{"ADD #n0 :v0"}, names{"#n0": "n"}, values{":v0": num("1")}},
		{"add set", []Action{add("tags", strs("x", "y"))}, nil,
			[]string{"ADD #n0 :v0"}, names{"#n0": "tags"}, values{":v0": strs("x", "y")}},
		{"delete", []Action{del("tags", strs("x"))}, nil,
			[]string{"DELETE #n0 :v0"}, names{"#n0": "tags"}, values{":v0": strs("x")}},
		{"nested paths and reserved words", []Action{set("name", str("n")), set("a.size[2].status", num("2"))}, nil,
			[]string{"SET #n0 = :v0, #n1.#n2[2].#n3 = :v1"},
			names{"#n0": "name", "#n1": "a", "#n2": "size", "#n3": "status"}, values{":v0": str("n"), ":v1": num("2")}},
		{"several actions per clause keep their order", []Action{remove("z"), set("b", num("1")), remove("y"), set("a", num("2"))}, nil,
			[]string{"SET #n0 = :v0, #n1 = :v1 REMOVE #n2, #n3"},
			names{"#n0": "b", "#n1": "a", "#n2": "z", "#n3": "y"}, values{":v0": num("1"), ":v1": num("2")}},
		{"all clauses in fixed order", []Action{
			del("d", strs("x")), add("c", num("1")), remove("r"), set("s", str("v")),
		}, nil,
			[]string{"SET #n0 = :v0 REMOVE #n1 ADD #n2 :v1 DELETE #n3 :v2"},
			names{"#n0": "s", "#n1": "r", "#n2": "c", "#n3": "d"},
			values{":v0": str("v"), ":v1": num("1"), ":v2": strs("x")}},
		{"the seed's update", []Action{add("login_count", num("1")), set("status", str("active"))}, nil,
			[]string{"SET #n0 = :v0 ADD #n1 :v1"}, names{"#n0": "status", "#n1": "login_count"},
			values{":v0": str("active"), ":v1": num("1")}},
		{"sibling list elements", []Action{set("a[1]", num("1")), set("a[2]", num("2")), remove("a[0]")}, nil,
			[]string{"SET #n0[1] = :v0, #n0[2] = :v1 REMOVE #n0[0]"}, names{"#n0": "a"}, values{":v0": num("1"), ":v1": num("2")}},
		{"sibling map keys", []Action{set("a.b", num("1")), set("a.c", num("2")), set("ab", num("3"))}, nil,
			[]string{"SET #n0.#n1 = :v0, #n0.#n2 = :v1, #n3 = :v2"},
			names{"#n0": "a", "#n1": "b", "#n2": "c", "#n3": "ab"}, values{":v0": num("1"), ":v1": num("2"), ":v2": num("3")}},
		{"dotted name via NamePath", []Action{{Kind: ActSet, Path: NamePath("a.b"), A: av(num("1"))}, set("a.b", num("2"))}, nil,
			[]string{"SET #n0 = :v0, #n1.#n2 = :v1"}, names{"#n0": "a.b", "#n1": "a", "#n2": "b"}, values{":v0": num("1"), ":v1": num("2")}},
		{"update then condition share placeholders", []Action{
			set("status", str("active")), add("version", num("1")),
		}, and(eq("status", "new"), leaf(OpEq, attr("version"), val(3))),
			[]string{"SET #n0 = :v0 ADD #n1 :v1", "#n0 = :v2 AND #n1 = :v3"},
			names{"#n0": "status", "#n1": "version"},
			values{":v0": str("active"), ":v1": num("1"), ":v2": str("new"), ":v3": num("3")}},
		{"condition names new attributes after the update's", []Action{remove("a")}, leaf(OpExists, attr("b")),
			[]string{"REMOVE #n0", "attribute_exists(#n1)"}, names{"#n0": "a", "#n1": "b"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			compile := func() ([]string, *Builder) {
				b := &Builder{Encode: testEncode}
				s, err := b.Update(tt.actions)
				if err != nil {
					t.Fatalf("Update: %v", err)
				}
				got := []string{s}
				if tt.cond != nil {
					c, err := b.Cond(tt.cond)
					if err != nil {
						t.Fatalf("Cond: %v", err)
					}
					got = append(got, c)
				}
				return got, b
			}
			got, b := compile()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("text:\n got %q\nwant %q", got, tt.want)
			}
			if n := b.Names(); !reflect.DeepEqual(n, tt.names) {
				t.Errorf("names:\n got %v\nwant %v", n, tt.names)
			}
			if v := b.Values(); !reflect.DeepEqual(v, tt.values) {
				t.Errorf("values:\n got %#v\nwant %#v", v, tt.values)
			}
			// Deterministic: a fresh Builder yields the same again.
			again, b2 := compile()
			if !reflect.DeepEqual(again, got) || !reflect.DeepEqual(b2.Names(), b.Names()) || !reflect.DeepEqual(b2.Values(), b.Values()) {
				t.Errorf("second compile differs: %q", again)
			}
		})
	}
}

func TestOverlap(t *testing.T) {
	tests := []struct {
		p, q string
		want bool
	}{
		{"a", "a", true},
		{"a", "a.b", true},
		{"a.b", "a", true},
		{"a", "a[1]", true},
		{"a[1]", "a", true},
		{"a[1]", "a[1].b", true},
		{"a.b", "a[0]", true}, // map key vs list index on the same attribute
		{"a[0]", "a.b", true},
		{"a.b.c", "a.b[2]", true},
		{"a[1]", "a[2]", false},
		{"a.b", "a.c", false},
		{"a", "ab", false},
		{"a", "b", false},
		{"a[1].x", "a[2].x", false},
		{"a.b[1]", "a.b[10]", false},
	}
	for _, tt := range tests {
		if got := Overlap(mustPath(tt.p), mustPath(tt.q)); got != tt.want {
			t.Errorf("Overlap(%s, %s) = %v, want %v", tt.p, tt.q, got, tt.want)
		}
	}
	if Overlap(NamePath("a.b"), mustPath("a.b")) {
		t.Error(`the attribute named "a.b" overlaps the path a.b`)
	}
}

func TestUpdateErrors(t *testing.T) {
	tests := []struct {
		name    string
		actions []Action
		want    error
		path    string // the offending action's path
		other   string // for ErrOverlap
	}{
		{name: "no actions", actions: nil, want: ErrNoActions},
		{name: "same path twice", actions: []Action{set("a", num("1")), add("a", num("1"))}, want: ErrOverlap, path: "a", other: "a"},
		{name: "parent then child", actions: []Action{set("a", num("1")), set("a.b", num("1"))}, want: ErrOverlap, path: "a.b", other: "a"},
		{name: "child then parent", actions: []Action{remove("x"), set("a.b", num("1")), remove("a")}, want: ErrOverlap, path: "a", other: "a.b"},
		{name: "element and list", actions: []Action{set("a[1]", num("1")), remove("a")}, want: ErrOverlap, path: "a", other: "a[1]"},
		{name: "map key and index", actions: []Action{set("a.b", num("1")), set("a[0]", num("1"))}, want: ErrOverlap, path: "a[0]", other: "a.b"},
		{name: "remove twice", actions: []Action{remove("a"), remove("a")}, want: ErrOverlap, path: "a", other: "a"},
		{name: "zero kind", actions: []Action{{Path: mustPath("a"), A: av(num("1"))}}, want: ErrUnknownAction, path: "a"},
		{name: "unknown kind", actions: []Action{{Kind: 9, Path: mustPath("a")}}, want: ErrUnknownAction, path: "a"},
		{name: "unknown fn", actions: []Action{{Kind: ActSet, Fn: 9, Path: mustPath("a"), A: av(num("1")), B: av(num("1"))}}, want: ErrUnknownAction, path: "a"},
		{name: "empty path", actions: []Action{{Kind: ActRemove}}, want: ErrEmptyPath},
		{name: "index first", actions: []Action{{Kind: ActRemove, Path: Path{index(0)}}}, want: ErrInvalidPath},
		{name: "empty name", actions: []Action{{Kind: ActSet, Path: NamePath(""), A: av(num("1"))}}, want: ErrInvalidPath},
		{name: "negative index", actions: []Action{{Kind: ActRemove, Path: Path{name("a"), index(-1)}}}, want: ErrInvalidPath, path: "a[-1]"},
		{name: "set without operand", actions: []Action{{Kind: ActSet, Path: mustPath("a")}}, want: ErrOperand, path: "a"},
		{name: "operand with path and value", actions: []Action{{Kind: ActSet, Path: mustPath("a"), A: UpdateOperand{Path: mustPath("b"), Value: num("1")}}}, want: ErrOperand, path: "a"},
		{name: "set value with second operand", actions: []Action{{Kind: ActSet, Path: mustPath("a"), A: av(num("1")), B: av(num("1"))}}, want: ErrOperand, path: "a"},
		{name: "plus without second operand", actions: []Action{setFn("a", SetPlus, pv("a"), UpdateOperand{})}, want: ErrOperand, path: "a"},
		{name: "if_not_exists without a path", actions: []Action{setFn("a", SetValue, UpdateOperand{IfNotExists: num("1")}, UpdateOperand{})}, want: ErrOperand, path: "a"},
		{name: "if_not_exists with a value", actions: []Action{setFn("a", SetValue, UpdateOperand{Path: mustPath("a"), Value: num("1"), IfNotExists: num("1")}, UpdateOperand{})}, want: ErrOperand, path: "a"},
		{name: "add with if_not_exists", actions: []Action{{Kind: ActAdd, Path: mustPath("a"), A: UpdateOperand{Value: num("1"), IfNotExists: num("1")}}}, want: ErrOperand, path: "a"},
		{name: "remove with if_not_exists", actions: []Action{{Kind: ActRemove, Path: mustPath("a"), A: UpdateOperand{IfNotExists: num("1")}}}, want: ErrOperand, path: "a"},
		{name: "invalid source path", actions: []Action{setFn("a", SetPlus, UpdateOperand{Path: Path{index(1)}}, av(num("1")))}, want: ErrInvalidPath, path: "a"},
		{name: "remove with operand", actions: []Action{{Kind: ActRemove, Path: mustPath("a"), A: av(num("1"))}}, want: ErrOperand, path: "a"},
		{name: "add without value", actions: []Action{{Kind: ActAdd, Path: mustPath("a")}}, want: ErrOperand, path: "a"},
		{name: "add of a path", actions: []Action{{Kind: ActAdd, Path: mustPath("a"), A: pv("b")}}, want: ErrOperand, path: "a"},
		{name: "delete with two operands", actions: []Action{{Kind: ActDelete, Path: mustPath("a"), A: av(strs("x")), B: av(strs("y"))}}, want: ErrOperand, path: "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Builder{Encode: testEncode}
			b.Name(mustPath("pre"))
			b.Value(num("0"))
			got, err := b.Update(tt.actions)
			if err == nil || got != "" {
				t.Fatalf("Update = %q, %v; want error %v", got, err, tt.want)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want errors.Is %v", err, tt.want)
			}
			var ue *UpdateError
			if !errors.As(err, &ue) {
				t.Fatalf("error %T, want *UpdateError", err)
			}
			if tt.path != "" && ue.Path.String() != tt.path {
				t.Errorf("Path = %q, want %q", ue.Path, tt.path)
			}
			if ue.Other.String() != tt.other {
				t.Errorf("Other = %q, want %q", ue.Other, tt.other)
			}
			if n, v := b.Names(), b.Values(); len(n) != 1 || len(v) != 1 {
				t.Errorf("a failed Update registered names %v, values %v", n, v)
			}
		})
	}
}

func TestUpdateErrorText(t *testing.T) {
	b := Builder{}
	_, err := b.Update([]Action{set("a", num("1")), set("a.b", num("2"))})
	if want := `invalid update: SET "a.b": paths overlap ("a")`; err == nil || err.Error() != want {
		t.Errorf("error text %q, want %q", err, want)
	}
	_, err = b.Update(nil)
	if want := "invalid update: no update actions"; err == nil || err.Error() != want {
		t.Errorf("error text %q, want %q", err, want)
	}
	if s := ActionKind(7).String(); s != "ActionKind(7)" {
		t.Errorf("unknown kind renders as %q", s)
	}
}

// TestUpdateMany goes past the precomputed placeholders.
func TestUpdateMany(t *testing.T) {
	const n = 80
	actions := make([]Action, n)
	var want strings.Builder
	want.WriteString("SET ")
	for i := range actions {
		actions[i] = set("a"+strconv.Itoa(i), num(strconv.Itoa(i)))
		if i > 0 {
			want.WriteString(", ")
		}
		want.WriteString("#n" + strconv.Itoa(i) + " = :v" + strconv.Itoa(i))
	}
	var b Builder
	got, err := b.Update(actions)
	if err != nil || got != want.String() {
		t.Fatalf("Update = %q, %v\nwant %q", got, err, want.String())
	}
	if len(b.Names()) != n || len(b.Values()) != n || b.Names()["#n79"] != "a79" {
		t.Errorf("names/values after %d actions: %d, %d", n, len(b.Names()), len(b.Values()))
	}
}

func FuzzUpdatePaths(f *testing.F) {
	f.Add("a", "a.b")
	f.Add("a[1]", "a[2]")
	f.Add("x.y", "x[0]")
	f.Fuzz(func(t *testing.T, p, q string) {
		pp, err1 := ParsePath(p)
		qp, err2 := ParsePath(q)
		if err1 != nil || err2 != nil {
			return
		}
		var b Builder
		s, err := b.Update([]Action{set(p, num("1")), remove(q)})
		if Overlap(pp, qp) != Overlap(qp, pp) {
			t.Fatalf("Overlap is not symmetric for %q, %q", p, q)
		}
		if Overlap(pp, qp) {
			if !errors.Is(err, ErrOverlap) {
				t.Fatalf("overlapping %q, %q compiled to %q, %v", p, q, s, err)
			}
			return
		}
		if err != nil || !strings.HasPrefix(s, "SET ") || !strings.Contains(s, " REMOVE ") {
			t.Fatalf("Update(%q, %q) = %q, %v", p, q, s, err)
		}
	})
}
