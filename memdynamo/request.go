package memdynamo

import (
	"sort"
	"strconv"
	"time"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// decodeRequest reads a request body, calling member for each top-level member that is not null
// (DynamoDB treats a null member as absent). member must consume the value. It returns the first
// syntax or type error as a SerializationException.
func decodeRequest(body []byte, member func(r *wire.Reader, name string)) *wire.Error {
	r := wire.NewReader(body)
	if r.Peek() == wire.TokEOF {
		return wire.Serialization("Unexpected end of input")
	}
	r.Members(func(k []byte) { member(r, string(k)) })
	r.End()
	return r.Error()
}

// firstErr keeps the first validation error found while decoding.
type firstErr struct{ err *wire.Error }

func (f *firstErr) set(err *wire.Error) {
	if f.err == nil && err != nil {
		f.err = err
	}
}

// readStrings reads a JSON array of strings (null elements skipped).
func readStrings(r *wire.Reader) []string {
	out := []string{}
	if !r.BeginArray() {
		return nil
	}
	for r.NextElem() {
		if r.Null() {
			continue
		}
		out = append(out, r.String())
	}
	return out
}

// readNames reads ExpressionAttributeNames: a JSON object of strings.
func readNames(r *wire.Reader) map[string]string {
	out := map[string]string{}
	r.Members(func(k []byte) {
		name := string(k)
		out[name] = r.String()
	})
	return out
}

// readValues reads ExpressionAttributeValues; an invalid value's error is wrapped as DynamoDB
// does: "ExpressionAttributeValues contains invalid value: <why> for key <name>".
func readValues(r *wire.Reader, fe *firstErr) map[string]value.Value {
	out := map[string]value.Value{}
	if !r.BeginObject() {
		return nil
	}
	for {
		k, ok := r.NextKey()
		if !ok {
			break
		}
		name := string(k)
		v, err := value.ReadJSON(r, value.MaxValueDepth)
		if err != nil {
			if err.Type == "ValidationException" {
				fe.set(wire.Validation("ExpressionAttributeValues contains invalid value: " + err.Message + " for key " + name))
			}
			continue
		}
		out[name] = v
	}
	return out
}

// readItem reads an item (or key) map, keeping its first validation error in fe.
func readItem(r *wire.Reader, fe *firstErr) value.Item {
	item, err := value.ReadItemJSON(r, value.MaxItemDepth)
	if err != nil {
		if err.Type == "ValidationException" {
			fe.set(err)
		}
		return nil
	}
	if item == nil {
		item = value.Item{}
	}
	return item
}

// appendTime appends a DynamoDB timestamp: epoch seconds with milliseconds.
func appendTime(dst []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	dst = strconv.AppendInt(dst, ms/1000, 10)
	dst = append(dst, '.')
	frac := ms % 1000
	if frac < 0 {
		frac += 1000
	}
	dst = append(dst, byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	return dst
}

// enumError is Coral's message for a member outside its enum.
func enumError(val, member, set string) *wire.Error {
	return wire.Validation("1 validation error detected: Value '" + val + "' at '" + member + "' failed to satisfy constraint: Member must satisfy enum value set: [" + set + "]")
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
