package dynantic_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/go-playground/validator/v10"

	"github.com/dynantic/dynantic"
)

func TestLogging(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, dynantic.WithLogger(logger))
	products := newTable[Product](t, e)
	ctx := context.Background()
	if err := products.Save(ctx, sampleProduct("secret-id-42")); err != nil {
		t.Fatal(err)
	}
	if _, err := products.Get(ctx, dynantic.Key("secret-id-42")); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"op=PutItem", "op=GetItem", "table=" + products.Name(), "duration=", "key_hash="} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "secret-id-42") || strings.Contains(out, "Widget") {
		t.Fatalf("log reveals key or item values:\n%s", out)
	}

	buf.Reset()
	e2 := newEnv(t, dynantic.WithLogger(logger), dynantic.WithUnsafeLogValues())
	products2 := dynantic.MustTable[Product](e2.db, dynantic.WithTableName(products.Name()))
	if err := products2.Save(ctx, sampleProduct("secret-id-42")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "secret-id-42") || !strings.Contains(buf.String(), "Widget") {
		t.Fatalf("unsafe log lacks values:\n%s", buf.String())
	}
}

// TestLogKeyHashAcrossDBs: two DBs of one process log the same key_hash for
// the same key (the hash key is made once per process), and another key gets
// another hash.
func TestLogKeyHashAcrossDBs(t *testing.T) {
	t.Parallel()
	var buf1, buf2 bytes.Buffer
	debug := &slog.HandlerOptions{Level: slog.LevelDebug}
	e := newEnv(t)
	products := newTable[Product](t, e)
	ctx := context.Background()
	hashes := func(buf *bytes.Buffer, ids ...string) []string {
		db := dynantic.New(e.client, dynantic.WithLogger(slog.New(slog.NewTextHandler(buf, debug))))
		tbl := dynantic.MustTable[Product](db, dynantic.WithTableName(products.Name()))
		var out []string
		for _, id := range ids {
			buf.Reset()
			if _, err := tbl.Get(ctx, dynantic.Key(id)); !errors.Is(err, dynantic.ErrNotFound) {
				t.Fatalf("Get: %v", err)
			}
			_, h, ok := strings.Cut(buf.String(), "key_hash=")
			h, _, _ = strings.Cut(h, " ")
			if !ok || h == "" {
				t.Fatalf("no key_hash in the log:\n%s", buf.String())
			}
			out = append(out, h)
		}
		return out
	}
	one := hashes(&buf1, "user-1", "user-2")
	two := hashes(&buf2, "user-1")
	if one[0] != two[0] {
		t.Errorf("two DBs hash one key differently: %s and %s", one[0], two[0])
	}
	if one[0] == one[1] {
		t.Errorf("two keys have the same key_hash %s", one[0])
	}
}

func TestOpenHonoursEndpointVariable(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", backendURL(t)) // skips (or fails under CI) without DynamoDB
	t.Setenv("AWS_ACCESS_KEY_ID", "local")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	ctx := context.Background()
	db, err := dynantic.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	products := dynantic.MustTable[Product](db, dynantic.WithTableName(tableName(t)))
	if err := products.CreateTable(ctx); err != nil {
		t.Fatal(err)
	}
	defer products.DeleteTable(ctx)
	if err := products.Save(ctx, sampleProduct("o1")); err != nil {
		t.Fatal(err)
	}
	if _, err := products.Get(ctx, dynantic.Key("o1")); err != nil {
		t.Fatal(err)
	}
}

type noKey struct {
	Name string `dynamo:"name"`
}

type unnamed struct {
	ID string `dynamo:"id,pk"`
}

func TestSchemaErrorsAtHandle(t *testing.T) {
	db := dynantic.New(nil)
	_, err := dynantic.NewTable[noKey](db, dynantic.WithTableName("t_nokey"))
	var se *dynantic.SchemaError
	if !errors.As(err, &se) || se.Model != "noKey" || !strings.Contains(err.Error(), "no partition key") {
		t.Fatalf("got %v", err)
	}
	_, err = dynantic.NewTable[unnamed](db)
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "no table name") {
		t.Fatalf("got %v", err)
	}
	defer func() {
		r := recover()
		if err, ok := r.(error); !ok || !errors.As(err, &se) {
			t.Fatalf("MustTable panicked with %v, want *SchemaError", r)
		}
	}()
	dynantic.MustTable[noKey](db, dynantic.WithTableName("t_nokey"))
}

type badField struct {
	ID string   `dynamo:"id,pk"`
	C  chan int `dynamo:"c"`
}

func TestUnsupportedFieldType(t *testing.T) {
	_, err := dynantic.NewTable[badField](dynantic.New(nil), dynantic.WithTableName("bad_field"))
	var se *dynantic.SchemaError
	if !errors.As(err, &se) || se.Field != "C" {
		t.Fatalf("got %v, want *SchemaError naming field C", err)
	}
}

type sku struct {
	ID   string `dynamo:"id,pk"`
	Code string `dynamo:"code" validate:"sku"`
}

func TestCustomValidator(t *testing.T) {
	t.Parallel()
	v := validator.New()
	if err := v.RegisterValidation("sku", func(fl validator.FieldLevel) bool {
		return strings.HasPrefix(fl.Field().String(), "SKU-")
	}); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, dynantic.WithValidator(v))
	skus := newTable[sku](t, e)
	ctx := context.Background()
	noRequests(t, e, func() {
		err := skus.Save(ctx, &sku{ID: "1", Code: "X-1"})
		var ve *dynantic.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Tag != "sku" || ve.Fields[0].Attribute != "code" {
			t.Fatalf("got %v", err)
		}
	})
	if err := skus.Save(ctx, &sku{ID: "1", Code: "SKU-1"}); err != nil {
		t.Fatal(err)
	}

	// Any other error from a custom validator is reported as is.
	e2 := newEnv(t, dynantic.WithValidator(rejectAll{}))
	skus2 := dynantic.MustTable[sku](e2.db, dynantic.WithTableName(skus.Name()))
	noRequests(t, e2, func() {
		err := skus2.Save(ctx, &sku{ID: "2", Code: "SKU-2"})
		var ve *dynantic.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), "closed for writes") {
			t.Fatalf("got %v", err)
		}
	})
}

type rejectAll struct{}

func (rejectAll) Struct(any) error { return errors.New("closed for writes") }
