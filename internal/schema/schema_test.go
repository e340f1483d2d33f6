package schema

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

//lint:file-ignore U1000 good.unexported is never used: the model must skip it

type good struct {
	ID         string     `dynamo:"id,pk"`
	Sort       int64      `dynamo:"sort,sk"`
	Cat        string     `dynamo:"cat,gsi_pk=ByCat,gsi_pk=ByCat2"`
	Pub        time.Time  `dynamo:"pub,gsi_sk=ByCat,lsi_sk=ByPub"`
	Kind       string     `dynamo:"type,discriminator"`
	V          int        `dynamo:"v,version"`
	C          time.Time  `dynamo:"c,created"`
	U          *time.Time `dynamo:"u,updated,unixtime"`
	Exp        int64      `dynamo:"exp,ttl"`
	Tags       []string   `dynamo:"tags,set,omitempty"`
	Skip       string     `dynamo:"-"`
	Untagged   bool
	unexported int //lint:ignore U1000 an untagged unexported field is skipped
	Embedded
	Named Embedded `dynamo:"named"`
}

type Embedded struct {
	Inner string `dynamo:"inner"`
}

func TestBuildGood(t *testing.T) {
	m, err := Build(reflect.TypeFor[good]())
	if err != nil {
		t.Fatal(err)
	}
	if m.PK.Name != "id" || m.SK.Name != "sort" {
		t.Fatalf("keys: %s %s", m.PK.Name, m.SK.Name)
	}
	var names []string
	for _, ix := range m.Indexes {
		sk := ""
		if len(ix.SK) > 0 {
			sk = ix.SK[0].Name
		}
		names = append(names, ix.Name+":"+ix.PK[0].Name+"/"+sk+":"+map[bool]string{true: "L", false: "G"}[ix.Local])
	}
	if got, want := strings.Join(names, " "), "ByCat:cat/pub:G ByCat2:cat/:G ByPub:id/pub:L"; got != want {
		t.Fatalf("indexes = %q, want %q", got, want)
	}
	if m.Discriminator.Name != "type" || m.Version.Name != "v" || m.Created.Name != "c" || m.Updated.Name != "u" || m.TTL.Name != "exp" {
		t.Fatal("special fields not found")
	}
	if m.Field("Untagged") == nil || m.Field("inner") == nil || m.Field("named") == nil {
		t.Fatal("untagged, embedded or named-embedded field missing")
	}
	if m.Field("Skip") != nil || m.Field("unexported") != nil {
		t.Fatal("skipped field present")
	}
	if !m.Field("cat").Opts.OmitEmpty || m.Field("id").Opts.OmitEmpty {
		t.Fatal("secondary index keys are sparse (omitempty); table keys are not")
	}
	inner := m.Field("inner")
	if want := reflect.TypeFor[good]().Field(13).Offset; inner.Offset != want || inner.ViaPtr {
		t.Fatalf("embedded offset %d, want %d", inner.Offset, want)
	}
}

type ptrEmbed struct {
	ID string `dynamo:"id,pk"`
	*Embedded
}

func TestEmbeddedPointer(t *testing.T) {
	m, err := Build(reflect.TypeFor[ptrEmbed]())
	if err != nil {
		t.Fatal(err)
	}
	if f := m.Field("inner"); f == nil || !f.ViaPtr || len(f.Index) != 2 {
		t.Fatalf("inner: %+v", f)
	}
}

type (
	noPK struct {
		Name string `dynamo:"name"`
	}
	twoPK struct {
		A string `dynamo:"a,pk"`
		B string `dynamo:"b,pk"`
	}
	gsiSKOnly struct {
		A string `dynamo:"a,pk"`
		B string `dynamo:"b,gsi_sk=Idx"`
	}
	boolKey struct {
		A bool `dynamo:"a,pk"`
	}
	mapKey struct {
		A map[string]string `dynamo:"a,pk"`
	}
	dupNames struct {
		A string `dynamo:"a,pk"`
		B string `dynamo:"a"`
	}
	dupEmbedded struct {
		A string `dynamo:"inner,pk"`
		Embedded
	}
	badOpt struct {
		A string `dynamo:"a,pk,primary"`
	}
	lsiNoSK struct {
		A string `dynamo:"a,pk"`
		B string `dynamo:"b,lsi_sk=ByB"`
	}
	badVersion struct {
		A string `dynamo:"a,pk"`
		V string `dynamo:"v,version"`
	}
	badTTL struct {
		A string `dynamo:"a,pk"`
		T string `dynamo:"t,ttl"`
	}
	badIndexName struct {
		A string `dynamo:"a,pk"`
		B string `dynamo:"b,gsi_pk=X"`
	}
	omitKey struct {
		A string `dynamo:"a,pk,omitempty"`
	}
	ptrKey struct {
		A *string `dynamo:"a,pk"`
	}
	twoDisc struct {
		A string `dynamo:"a,pk"`
		B string `dynamo:"b,discriminator"`
		C string `dynamo:"c,discriminator"`
	}
	gsiNoName struct {
		A string `dynamo:"a,pk"`
		B string `dynamo:"b,gsi_pk"`
	}
	autoInt struct {
		A int `dynamo:"a,pk,auto"`
	}
	unixString struct {
		A string `dynamo:"a,pk"`
		B string `dynamo:"b,unixtime"`
	}
)

func TestBuildErrors(t *testing.T) {
	cases := []struct {
		typ   reflect.Type
		field string
		msg   string
	}{
		{reflect.TypeFor[noPK](), "", "no partition key"},
		{reflect.TypeFor[twoPK](), "B", "second pk"},
		{reflect.TypeFor[gsiSKOnly](), "B", "without a gsi_pk=Idx"},
		{reflect.TypeFor[boolKey](), "A", "unsupported key type bool"},
		{reflect.TypeFor[mapKey](), "A", "unsupported key type"},
		{reflect.TypeFor[dupNames](), "B", `duplicate attribute name "a"`},
		{reflect.TypeFor[dupEmbedded](), "Inner", `duplicate attribute name "inner"`},
		{reflect.TypeFor[badOpt](), "A", `unknown tag option "primary"`},
		{reflect.TypeFor[lsiNoSK](), "B", "needs the table to have a sort key"},
		{reflect.TypeFor[badVersion](), "V", "version field must be an integer"},
		{reflect.TypeFor[badTTL](), "T", "ttl field must be"},
		{reflect.TypeFor[badIndexName](), "B", "invalid index name"},
		{reflect.TypeFor[omitKey](), "A", "cannot be omitempty"},
		{reflect.TypeFor[ptrKey](), "A", "unsupported key type"},
		{reflect.TypeFor[twoDisc](), "C", "second discriminator"},
		{reflect.TypeFor[gsiNoName](), "B", "needs an index name"},
		{reflect.TypeFor[autoInt](), "A", "auto needs a string"},
		{reflect.TypeFor[unixString](), "B", "unixtime needs"},
		{reflect.TypeFor[int](), "", "must be a struct"},
	}
	for _, c := range cases {
		t.Run(c.typ.String(), func(t *testing.T) {
			_, err := Build(c.typ)
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want *Error", err)
			}
			if se.Field != c.field || !strings.Contains(se.Msg, c.msg) {
				t.Fatalf("got field %q msg %q, want field %q msg containing %q", se.Field, se.Msg, c.field, c.msg)
			}
			if !strings.Contains(err.Error(), se.Model) {
				t.Fatalf("message %q does not name the model", err)
			}
		})
	}
}

func TestParseTag(t *testing.T) {
	tag, msg := ParseTag("name,pk,gsi_pk=A,gsi_sk=B,omitempty")
	if msg != "" || tag.Name != "name" || !tag.Opts.PK || !tag.Opts.OmitEmpty ||
		!reflect.DeepEqual(tag.Opts.GSIPK, []IndexRef{{"A", 0}}) || !reflect.DeepEqual(tag.Opts.GSISK, []IndexRef{{"B", 0}}) {
		t.Fatalf("%+v %q", tag, msg)
	}
	for _, bad := range []string{"a,pk,pk", "a,,pk", "a,pk=1", "a,lsi_sk="} {
		if _, msg := ParseTag(bad); msg == "" {
			t.Errorf("ParseTag(%q) accepted", bad)
		}
	}
}

func TestMultiAttributeIndex(t *testing.T) {
	type multi struct {
		ID string `dynamo:"id,pk"`
		B  int    `dynamo:"b,gsi_pk=ByAB:2,gsi_sk=ByC"`
		A  string `dynamo:"a,gsi_pk=ByAB:1,gsi_pk=ByC"`
		D  string `dynamo:"d,gsi_sk=ByAB:2"`
		C  string `dynamo:"c,gsi_sk=ByAB:1"`
	}
	m, err := Build(reflect.TypeFor[multi]())
	if err != nil {
		t.Fatal(err)
	}
	names := func(fs []*Field) (out []string) {
		for _, f := range fs {
			out = append(out, f.Name)
		}
		return out
	}
	ab := m.Index("ByAB")
	if got := names(ab.PK); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Fatalf("ByAB partition %v", got)
	}
	if got := names(ab.SK); !reflect.DeepEqual(got, []string{"c", "d"}) {
		t.Fatalf("ByAB sort %v", got)
	}
	if !ab.Multi() || m.Index("ByC").Multi() || ab.Projection != ProjectAll || !ab.KeyOf("d") || ab.KeyOf("id") {
		t.Fatalf("ByAB %+v", ab)
	}
	if !ab.Projects(m, "anything") {
		t.Fatal("ALL projects everything")
	}
	ab.Projection, ab.Include = ProjectInclude, []string{"x"}
	if !ab.Projects(m, "x") || !ab.Projects(m, "id") || !ab.Projects(m, "c") || ab.Projects(m, "y") {
		t.Fatal("INCLUDE projects the keys and its attributes only")
	}
	tag, msg := ParseTag("a,gsi_pk=ByAB:3,gsi_sk=X,lsi_sk=L")
	if msg != "" || !reflect.DeepEqual(tag.Opts.GSIPK, []IndexRef{{"ByAB", 3}}) || !reflect.DeepEqual(tag.Opts.GSISK, []IndexRef{{"X", 0}}) {
		t.Fatalf("ParseTag: %+v %q", tag, msg)
	}
	for _, bad := range []string{"a,gsi_pk=X:0", "a,gsi_pk=X:", "a,gsi_pk=:1", "a,gsi_sk=X:-1", "a,gsi_pk=X:two"} {
		if _, msg := ParseTag(bad); !strings.Contains(msg, "position") {
			t.Errorf("ParseTag(%q): %q", bad, msg)
		}
	}
}
