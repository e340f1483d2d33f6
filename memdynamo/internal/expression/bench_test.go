package expression

import (
	"testing"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
)

// The parse benchmarks measure what one request pays: a new Context, the expression parsed and
// validated, the unused check.

var benchNames = map[string]string{"#pk": "pk", "#v": "version", "#s": "status"}

func benchValues() map[string]value.Value {
	return map[string]value.Value{":v": num("3"), ":one": num("1"), ":s": value.S("active"),
		":now": num("1700000000"), ":tags": value.SS("a", "b")}
}

func BenchmarkParseCondition(b *testing.B) {
	names, values := map[string]string{"#pk": "pk", "#v": "version"}, map[string]value.Value{":v": num("3")}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ctx, _ := NewContext(names, values)
		if _, err := ctx.Condition(ConditionExpression, "attribute_exists(#pk) AND #v = :v"); err != nil {
			b.Fatal(err)
		}
		if err := ctx.CheckUnused(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseUpdate(b *testing.B) {
	values := benchValues()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ctx, _ := NewContext(benchNames, values)
		if _, err := ctx.Update("SET #v = #v + :one, #s = :s, updated = :now ADD tags :tags REMOVE draft"); err != nil {
			b.Fatal(err)
		}
		if _, err := ctx.Condition(ConditionExpression, "attribute_exists(#pk) AND #v = :v"); err != nil {
			b.Fatal(err)
		}
		if err := ctx.CheckUnused(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseKeyCondition(b *testing.B) {
	values := map[string]value.Value{":p": value.S("user#1"), ":lo": value.S("order#2024"), ":hi": value.S("order#2025")}
	schema := keySchemas["hashrange"]
	schema.Range[0].Type = value.KindS
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ctx, _ := NewContext(nil, values)
		k, err := ctx.KeyCondition("pk = :p AND sk BETWEEN :lo AND :hi")
		if err != nil {
			b.Fatal(err)
		}
		if err := ctx.CheckUnused(); err != nil {
			b.Fatal(err)
		}
		if _, _, err := k.Match(schema); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseProjection(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ctx, _ := NewContext(nil, nil)
		if _, err := ctx.Projection("pk, sk, title, author.given, tags[0]"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvalCondition(b *testing.B) {
	fixture := decodeItem(b, []byte(fixtureJSON))
	ctx, _ := NewContext(nil, map[string]value.Value{":n": num("3"), ":s": value.S("he")})
	c, err := ctx.Condition(FilterExpression, "n > :n AND begins_with(s, :s) AND attribute_exists(m.b.c)")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !c.Eval(fixture) {
			b.Fatal("false")
		}
	}
}

func BenchmarkApplyUpdate(b *testing.B) {
	fixture := decodeItem(b, []byte(fixtureJSON))
	ctx, _ := NewContext(nil, map[string]value.Value{":one": num("1"), ":s": value.S("x")})
	u, err := ctx.Update("SET n = n + :one, s = :s, m.b.c = :s REMOVE t")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := u.Apply(fixture, "pk"); err != nil {
			b.Fatal(err)
		}
	}
}
