package bench

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// TestGate is the correctness gate: run.sh runs it before any benchmark, and
// every benchmark checks it too (see gated).
func TestGate(t *testing.T) {
	if err := Gate(Impls()); err != nil {
		t.Fatal(err)
	}
}

// TestGateCatchesDifferences proves the gate fails for an implementation
// that drops an attribute, decodes wrongly, or sends a different request.
func TestGateCatchesDifferences(t *testing.T) {
	broken := Hand()
	broken.Name = "broken"
	broken.Medium.Encode = func(v *Medium) (Item, error) {
		m, err := HandEncodeMedium(v)
		delete(m, "email")
		return m, err
	}
	broken.Large.Decode = func(m Item, v *Large) error {
		err := HandDecodeLarge(m, v)
		v.Lines[3].Qty++
		return err
	}
	broken.Bind = func(c API) Ops {
		ops := handOps(c)
		ops.Save = func(ctx context.Context, v *Medium) error {
			item, _ := broken.Medium.Encode(v)
			_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: &tableMedium, Item: item})
			return err
		}
		ops.CondDelete = func(ctx context.Context) error { // the condition is lost
			_, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &tableMedium, Key: handKey()})
			return err
		}
		update := ops.Update
		ops.Update = func(ctx context.Context) error { // ADD 2 instead of 1
			saved := attrAge
			defer func() { attrAge = saved }()
			attrAge = "agex"
			return update(ctx)
		}
		return ops
	}
	err := Gate([]Impl{Hand(), broken})
	if err == nil {
		t.Fatal("the gate passed a broken implementation")
	}
	for _, want := range []string{
		"broken: encode Medium", "broken: decode Large", "broken: DeleteItem condition",
		"broken: UpdateItem update", "broken: end-to-end Save sent",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the gate missed %q; it said:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "hand:") {
		t.Errorf("the gate blamed the floor:\n%v", err)
	}
}
