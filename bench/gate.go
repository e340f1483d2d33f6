package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Gate checks that every implementation does the same work before any of
// them is timed: each encodes the samples to the same items, decodes the
// same items to the same values, and sends equivalent requests (same key,
// item, and expressions that mean the same once their placeholders are
// substituted), both to Fake and through the real SDK client over Canned.
// It returns every difference found, joined.
func Gate(impls []Impl) error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	hand := Hand()

	checkCodec(hand.Small, func(i Impl) Codec[Small] { return i.Small }, SampleSmall(), impls, fail, "Small")
	checkCodec(hand.Medium, func(i Impl) Codec[Medium] { return i.Medium }, SampleMedium(), impls, fail, "Medium")
	checkCodec(hand.Large, func(i Impl) Codec[Large] { return i.Large }, SampleLarge(), impls, fail, "Large")

	item, _ := HandEncodeMedium(ptr(SampleMedium()))
	page := make([]Item, PageSize)
	for i, v := range SamplePage() {
		page[i], _ = HandEncodeMedium(&v)
	}
	ctx := context.Background()

	// Requests through Fake: compare the inputs the client receives.
	var ref *Fake
	for _, impl := range impls {
		f := NewFake(item, page)
		ops := impl.Bind(f)
		if v, err := ops.Get(ctx); err != nil || !sameValue(*v, SampleMedium()) {
			fail("%s: Get: got %+v, %v", impl.Name, v, err)
		}
		if err := ops.Save(ctx, ptr(SampleMedium())); err != nil {
			fail("%s: Save: %v", impl.Name, err)
		}
		if got, err := ops.RunQuery(ctx); err != nil || !sameValue(got, SamplePage()) {
			fail("%s: Query: %d items, %v (or different values)", impl.Name, len(got), err)
		}
		if err := ops.Update(ctx); err != nil {
			fail("%s: Update: %v", impl.Name, err)
		}
		if err := ops.CondDelete(ctx); err != nil {
			fail("%s: CondDelete: %v", impl.Name, err)
		}
		if f.LastGet == nil || f.LastPut == nil || f.LastQuery == nil || f.LastUpdate == nil || f.LastDelete == nil {
			fail("%s: a request did not reach the client", impl.Name)
			continue
		}
		if ref == nil {
			ref = f
			continue
		}
		same := func(what string, got, want any) {
			if !reflect.DeepEqual(got, want) {
				fail("%s: %s:\n  got  %v\n  want %v", impl.Name, what, got, want)
			}
		}
		same("GetItem key", dumpItem(f.LastGet.Key), dumpItem(ref.LastGet.Key))
		same("PutItem item", dumpItem(f.LastPut.Item), dumpItem(ref.LastPut.Item))
		same("PutItem condition", f.LastPut.ConditionExpression, ref.LastPut.ConditionExpression)
		same("Query key condition", canonKeyCond(f.LastQuery), canonKeyCond(ref.LastQuery))
		u, ru := f.LastUpdate, ref.LastUpdate
		same("UpdateItem key", dumpItem(u.Key), dumpItem(ru.Key))
		same("UpdateItem update",
			canonUpdate(u.UpdateExpression, u.ExpressionAttributeNames, u.ExpressionAttributeValues),
			canonUpdate(ru.UpdateExpression, ru.ExpressionAttributeNames, ru.ExpressionAttributeValues))
		same("UpdateItem condition",
			canonCond(u.ConditionExpression, u.ExpressionAttributeNames, u.ExpressionAttributeValues),
			canonCond(ru.ConditionExpression, ru.ExpressionAttributeNames, ru.ExpressionAttributeValues))
		d, rd := f.LastDelete, ref.LastDelete
		same("DeleteItem key", dumpItem(d.Key), dumpItem(rd.Key))
		same("DeleteItem condition",
			canonCond(d.ConditionExpression, d.ExpressionAttributeNames, d.ExpressionAttributeValues),
			canonCond(rd.ConditionExpression, rd.ExpressionAttributeNames, rd.ExpressionAttributeValues))
	}

	// End to end through the real client: the same values come back, and
	// the same item goes out on the wire.
	canned := NewCanned(item, page[:E2EQuerySize], true)
	client := NewClient(canned)
	var refPut any
	for _, impl := range impls {
		ops := impl.Bind(client)
		if v, err := ops.Get(ctx); err != nil || !sameValue(*v, SampleMedium()) {
			fail("%s: end-to-end Get: got %+v, %v", impl.Name, v, err)
		}
		if got, err := ops.RunQuery(ctx); err != nil || !sameValue(got, SamplePage()[:E2EQuerySize]) {
			fail("%s: end-to-end Query: %d items, %v (or different values)", impl.Name, len(got), err)
		}
		if got, err := ops.RunBatchGet(ctx); err != nil || !sameValue(got, SamplePage()[:E2EQuerySize]) {
			fail("%s: end-to-end BatchGet: %d items, %v (or different values)", impl.Name, len(got), err)
		}
		if err := ops.Save(ctx, ptr(SampleMedium())); err != nil {
			fail("%s: end-to-end Save: %v", impl.Name, err)
			continue
		}
		var body struct{ Item any }
		if err := json.Unmarshal(canned.LastRequest("PutItem"), &body); err != nil || body.Item == nil {
			fail("%s: end-to-end Save: request body %q: %v", impl.Name, canned.LastRequest("PutItem"), err)
			continue
		}
		if refPut == nil {
			refPut = body.Item
		} else if !reflect.DeepEqual(body.Item, refPut) {
			fail("%s: end-to-end Save sent %v, want %v", impl.Name, body.Item, refPut)
		}
	}
	return errors.Join(errs...)
}

// E2EQuerySize is the number of items of the end-to-end Query row.
const E2EQuerySize = 100

func ptr[T any](v T) *T { return &v }

func checkCodec[T any](hand Codec[T], get func(Impl) Codec[T], sample T, impls []Impl, fail func(string, ...any), model string) {
	want, err := hand.Encode(&sample)
	if err != nil {
		fail("hand: encode %s: %v", model, err)
		return
	}
	for _, impl := range impls {
		c := get(impl)
		got, err := c.Encode(&sample)
		if err != nil {
			fail("%s: encode %s: %v", impl.Name, model, err)
		} else if g, w := dumpItem(got), dumpItem(want); g != w {
			fail("%s: encode %s: %s", impl.Name, model, firstDiff(g, w))
		}
		var v T
		if err := c.Decode(want, &v); err != nil {
			fail("%s: decode %s: %v", impl.Name, model, err)
		} else if !sameValue(v, sample) {
			fail("%s: decode %s: %s", impl.Name, model, firstDiff(fmt.Sprintf("%+v", v), fmt.Sprintf("%+v", sample)))
		}
	}
}

// sameValue compares decoded values, with times compared as instants (the
// SDK decodes epoch seconds into local time).
func sameValue(a, b any) bool {
	return reflect.DeepEqual(utcTimes(reflect.ValueOf(a)), utcTimes(reflect.ValueOf(b)))
}

// utcTimes returns a copy of v with every time.Time in UTC, as an any.
func utcTimes(v reflect.Value) any {
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	fixTimes(c)
	return c.Interface()
}

func fixTimes(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(v.Interface().(time.Time).UTC()))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			fixTimes(v.Field(i))
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		v.Set(c)
		for i := 0; i < v.Len(); i++ {
			fixTimes(v.Index(i))
		}
	}
}

// firstDiff shows where two renderings first differ.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-30)
	cut := func(s string) string { return s[min(from, len(s)):min(i+40, len(s))] }
	return fmt.Sprintf("differs at byte %d:\n  got  ...%s...\n  want ...%s...", i, cut(got), cut(want))
}

var timeType = reflect.TypeFor[time.Time]()

// dumpItem renders an item deterministically (maps sorted by key).
func dumpItem(m Item) string {
	var b strings.Builder
	dumpMap(&b, m)
	return b.String()
}

func dumpMap(b *strings.Builder, m Item) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(b, "%q:", k)
		dumpAV(b, m[k])
	}
	b.WriteByte('}')
}

func dumpAV(b *strings.Builder, av types.AttributeValue) {
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		fmt.Fprintf(b, "S%q", v.Value)
	case *types.AttributeValueMemberN:
		fmt.Fprintf(b, "N%s", v.Value)
	case *types.AttributeValueMemberB:
		fmt.Fprintf(b, "B%x", v.Value)
	case *types.AttributeValueMemberBOOL:
		fmt.Fprintf(b, "BOOL%v", v.Value)
	case *types.AttributeValueMemberNULL:
		b.WriteString("NULL")
	case *types.AttributeValueMemberSS:
		fmt.Fprintf(b, "SS%q", v.Value)
	case *types.AttributeValueMemberNS:
		fmt.Fprintf(b, "NS%v", v.Value)
	case *types.AttributeValueMemberBS:
		fmt.Fprintf(b, "BS%x", v.Value)
	case *types.AttributeValueMemberL:
		b.WriteString("L[")
		for i, x := range v.Value {
			if i > 0 {
				b.WriteByte(' ')
			}
			dumpAV(b, x)
		}
		b.WriteByte(']')
	case *types.AttributeValueMemberM:
		b.WriteString("M")
		dumpMap(b, v.Value)
	default:
		fmt.Fprintf(b, "%T", av)
	}
}

var placeholderRE = regexp.MustCompile(`[#:][A-Za-z0-9_]+`)

// substitute replaces the placeholders of an expression with the names and
// values behind them.
func substitute(s *string, names map[string]string, values Item) string {
	if s == nil {
		return ""
	}
	return placeholderRE.ReplaceAllStringFunc(*s, func(p string) string {
		if p[0] == '#' {
			if n, ok := names[p]; ok {
				return n
			}
		} else if v, ok := values[p]; ok {
			var b strings.Builder
			dumpAV(&b, v)
			return b.String()
		}
		return "?" + p
	})
}

// canonCond renders a condition with its placeholders substituted and
// without spaces or parentheses, which the peers place differently.
func canonCond(s *string, names map[string]string, values Item) string {
	return strings.NewReplacer(" ", "", "\n", "", "(", "", ")", "").Replace(substitute(s, names, values))
}

// canonKeyCond renders a query's key condition like canonCond, from either
// KeyConditionExpression or the legacy KeyConditions (which guregu sends).
func canonKeyCond(q *dynamodb.QueryInput) string {
	if q.KeyConditionExpression != nil || len(q.KeyConditions) == 0 {
		return canonCond(q.KeyConditionExpression, q.ExpressionAttributeNames, q.ExpressionAttributeValues)
	}
	ops := map[types.ComparisonOperator]string{types.ComparisonOperatorEq: "="}
	var parts []string
	for name, c := range q.KeyConditions {
		var b strings.Builder
		b.WriteString(name)
		if op, ok := ops[c.ComparisonOperator]; ok {
			b.WriteString(op)
		} else {
			b.WriteString(string(c.ComparisonOperator))
		}
		for _, v := range c.AttributeValueList {
			dumpAV(&b, v)
		}
		parts = append(parts, b.String())
	}
	sort.Strings(parts)
	return strings.Join(parts, "AND")
}

// canonUpdate renders an update expression as its sorted actions, with
// placeholders substituted.
func canonUpdate(s *string, names map[string]string, values Item) []string {
	var actions []string
	section := ""
	for _, f := range strings.Fields(strings.ReplaceAll(substitute(s, names, values), ",", " , ")) {
		switch f {
		case "SET", "REMOVE", "ADD", "DELETE":
			section = f
			actions = append(actions, section)
		case ",":
			actions = append(actions, section)
		default:
			if len(actions) == 0 {
				actions = append(actions, "?")
			}
			actions[len(actions)-1] += " " + f
		}
	}
	sort.Strings(actions)
	return actions
}
