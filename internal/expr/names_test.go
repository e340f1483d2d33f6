package expr

import (
	"maps"
	"strconv"
	"strings"
	"testing"
)

func namesOf(names ...string) *Builder {
	b := &Builder{}
	for _, n := range names {
		b.Name(NamePath(n))
	}
	return b
}

func TestSharedNames(t *testing.T) {
	a := namesOf("shared_a", "shared_b").SharedNames()
	if want := map[string]string{"#n0": "shared_a", "#n1": "shared_b"}; !maps.Equal(a, want) {
		t.Fatalf("SharedNames = %v, want %v", a, want)
	}
	// The same names, as strings built at run time: the same map.
	b := namesOf(strings.Clone("shared_a"), strings.Clone("shared_b")).SharedNames()
	if len(a) != len(b) || !sameMap(a, b) {
		t.Errorf("the same names did not share the map")
	}
	// Another order, another list: equal content is never confused.
	c := namesOf("shared_b", "shared_a").SharedNames()
	if sameMap(a, c) || c["#n0"] != "shared_b" {
		t.Errorf("another order shared the map: %v", c)
	}
	// "ab","c" and "a","bc" are different lists.
	d := namesOf("ab", "c").SharedNames()
	e := namesOf("a", "bc").SharedNames()
	if d["#n0"] != "ab" || e["#n0"] != "a" || e["#n1"] != "bc" {
		t.Errorf("SharedNames mixed up lists: %v %v", d, e)
	}
	if m := (&Builder{}).SharedNames(); m != nil {
		t.Errorf("no names: %v, want nil", m)
	}
	// More names than the cache holds: a new map each time, still right.
	many := make([]string, fewNames+1)
	for i := range many {
		many[i] = "m" + strconv.Itoa(i)
	}
	f, g := namesOf(many...).SharedNames(), namesOf(many...).SharedNames()
	if len(f) != len(many) || f["#n8"] != "m8" || sameMap(f, g) {
		t.Errorf("%d names: %v (shared: %v)", len(many), f, sameMap(f, g))
	}
}

// sameMap reports whether a and b are the same map (not only equal).
func sameMap(a, b map[string]string) bool {
	if a == nil || b == nil {
		return false
	}
	a["#probe"] = "x"
	_, same := b["#probe"]
	delete(a, "#probe")
	return same
}

// TestSharedNamesCollision fills every slot with other lists and checks that
// each answer still matches its own names.
func TestSharedNamesCollision(t *testing.T) {
	for i := range 4 * sharedSlots {
		n := "c" + strconv.Itoa(i)
		m := namesOf(n, "x").SharedNames()
		if m["#n0"] != n || m["#n1"] != "x" || len(m) != 2 {
			t.Fatalf("list %d: %v", i, m)
		}
	}
}

// TestSharedNamesConcurrent is for the race detector: requests of many
// goroutines share and replace entries.
func TestSharedNamesConcurrent(t *testing.T) {
	done := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 200 {
				n := "g" + strconv.Itoa((g+i)%7)
				if m := namesOf(n, "y").SharedNames(); m["#n0"] != n || m["#n1"] != "y" {
					t.Errorf("%s: %v", n, m)
					return
				}
			}
		}()
	}
	for range 4 {
		<-done
	}
}

func TestSharedNamesAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts are checked in full runs")
	}
	b := namesOf("alloc_a", "alloc_b", "alloc_c")
	b.SharedNames()
	if n := testing.AllocsPerRun(100, func() { b.SharedNames() }); n != 0 {
		t.Errorf("a cached list: %v allocs, want 0", n)
	}
}
