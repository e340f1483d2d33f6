package lambdaevents_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/lambdaevents"
)

// unmarshal parses a record as the Lambda runtime does; ok is false when
// aws-lambda-go refuses it, or panics on it (its BS parser does on a
// non-string member): such an event never reaches a handler.
func unmarshal(data []byte) (rec events.DynamoDBEventRecord, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return rec, json.Unmarshal(data, &rec) == nil
}

// FuzzDecode: any record the Lambda runtime can parse decodes into a
// change or a *RecordError naming it, never a panic.
func FuzzDecode(f *testing.F) {
	for _, rec := range parse(f, event).Records {
		b, err := json.Marshal(rec)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"eventID":"x","eventName":"INSERT","dynamodb":{"Keys":{"customer_id":{"S":"c"},"order_id":{"N":"1"}},"NewImage":{"customer_id":{"S":"c"},"order_id":{"N":"1"},"lines":{"L":[{"M":{"qty":{"N":"1e400"}}}]},"note":{"BS":["AA=="]}},"StreamViewType":"NEW_IMAGE"}}`))
	tbl := orders(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, ok := unmarshal(data)
		if !ok {
			return
		}
		c, err := lambdaevents.Decode(tbl, rec)
		if err != nil {
			var re *dynantic.RecordError
			if !errors.As(err, &re) || re.EventID != rec.EventID {
				t.Fatalf("%v is not a *RecordError naming %q", err, rec.EventID)
			}
			return
		}
		if (c.Old != nil) != (rec.Change.OldImage != nil) || (c.New != nil) != (rec.Change.NewImage != nil) {
			t.Fatalf("images: Old %v New %v from %s", c.Old, c.New, data)
		}
	})
}
