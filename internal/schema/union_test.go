package schema

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

type uBase struct {
	ID   string `dynamo:"id,pk"`
	Type string `dynamo:"type,discriminator"`
}

type uA struct {
	uBase
	Name  string    `dynamo:"name"`
	Owner string    `dynamo:"owner,gsi_pk=ByOwner"`
	Exp   time.Time `dynamo:"exp,ttl"`
}

type uB struct {
	uBase
	Name  int    `dynamo:"name"` // same attribute, other type: the first wins
	Owner string `dynamo:"owner,gsi_pk=ByOwner"`
	Age   int    `dynamo:"age,gsi_sk=ByAge"`
	Group string `dynamo:"grp,gsi_pk=ByAge"`
}

type uBadIndex struct {
	uBase
	Owner int `dynamo:"owner,gsi_pk=ByOwner"`
}

type uBadTTL struct {
	uBase
	Gone int64 `dynamo:"gone,ttl"`
}

func mustBuild(t *testing.T, typ reflect.Type) *Model {
	t.Helper()
	m, err := Build(typ)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestUnion(t *testing.T) {
	base := mustBuild(t, reflect.TypeFor[uBase]())
	a, b := mustBuild(t, reflect.TypeFor[uA]()), mustBuild(t, reflect.TypeFor[uB]())
	u, err := Union(base, []*Model{a, b})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range u.Fields {
		names = append(names, f.Name)
	}
	if want := []string{"id", "type", "name", "owner", "exp", "age", "grp"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("fields %v, want %v", names, want)
	}
	if u.Field("name").Type.Kind() != reflect.String || u.PK.Name != "id" || u.SK != nil || u.Discriminator.Name != "type" || u.TTL.Name != "exp" {
		t.Fatalf("union: %+v", u)
	}
	if len(u.Indexes) != 2 || u.Indexes[0].Name != "ByAge" || u.Indexes[1].Name != "ByOwner" || u.Index("ByAge").SK[0].Name != "age" {
		t.Fatalf("indexes: %+v", u.Indexes)
	}
	for _, bad := range []struct {
		m    *Model
		want string
	}{
		{mustBuild(t, reflect.TypeFor[uBadIndex]()), "index ByOwner is declared differently by uA (GSI owner S) and uBadIndex (GSI owner N)"},
		{mustBuild(t, reflect.TypeFor[uBadTTL]()), "variants disagree on the ttl attribute: uA uses exp, uBadTTL uses gone"},
	} {
		_, err := Union(base, []*Model{a, bad.m})
		var se *Error
		if !errors.As(err, &se) || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("got %v, want %q", err, bad.want)
		}
	}
}
