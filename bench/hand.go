package bench

import (
	"errors"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Item is one DynamoDB item.
type Item = map[string]types.AttributeValue

// The hand-written implementation: what a careful programmer writes for each
// model without reflection, using only strconv and time. It is the floor
// every library is measured against.

// TimeLayout is the fixed-width UTC form dynantic stores times in; for the
// sample times it is also their RFC 3339 form.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

var errType = errors.New("hand: attribute of the wrong type")

func handS(s string) *types.AttributeValueMemberS { return &types.AttributeValueMemberS{Value: s} }

func handN(s string) *types.AttributeValueMemberN { return &types.AttributeValueMemberN{Value: s} }

func handFloat(f float64, bits int) *types.AttributeValueMemberN {
	return handN(strconv.FormatFloat(f, 'f', -1, bits))
}

func handTime(t time.Time) *types.AttributeValueMemberS {
	var buf [len(TimeLayout)]byte
	return handS(string(t.UTC().AppendFormat(buf[:0], TimeLayout)))
}

func getS(m Item, name string, dst *string) error {
	switch a := m[name].(type) {
	case *types.AttributeValueMemberS:
		*dst = a.Value
	case nil:
	default:
		return errType
	}
	return nil
}

func getN(m Item, name string) (string, bool, error) {
	switch a := m[name].(type) {
	case *types.AttributeValueMemberN:
		return a.Value, true, nil
	case nil:
		return "", false, nil
	default:
		return "", false, errType
	}
}

func getInt(m Item, name string, bits int) (int64, error) {
	s, ok, err := getN(m, name)
	if !ok || err != nil {
		return 0, err
	}
	return strconv.ParseInt(s, 10, bits)
}

func getFloat(m Item, name string, bits int) (float64, error) {
	s, ok, err := getN(m, name)
	if !ok || err != nil {
		return 0, err
	}
	return strconv.ParseFloat(s, bits)
}

func getBool(m Item, name string, dst *bool) error {
	switch a := m[name].(type) {
	case *types.AttributeValueMemberBOOL:
		*dst = a.Value
	case nil:
	default:
		return errType
	}
	return nil
}

func getTime(m Item, name string, dst *time.Time) error {
	switch a := m[name].(type) {
	case *types.AttributeValueMemberS:
		t, err := time.Parse(time.RFC3339Nano, a.Value)
		if err != nil {
			return err
		}
		*dst = t.UTC()
	case nil:
	default:
		return errType
	}
	return nil
}

// HandEncodeSmall encodes v by hand.
func HandEncodeSmall(v *Small) (Item, error) {
	return Item{
		"id":     handS(v.ID),
		"name":   handS(v.Name),
		"count":  handN(strconv.Itoa(v.Count)),
		"active": &types.AttributeValueMemberBOOL{Value: v.Active},
	}, nil
}

// HandDecodeSmall decodes m into v by hand.
func HandDecodeSmall(m Item, v *Small) error {
	if err := getS(m, "id", &v.ID); err != nil {
		return err
	}
	if err := getS(m, "name", &v.Name); err != nil {
		return err
	}
	n, err := getInt(m, "count", 0)
	if err != nil {
		return err
	}
	v.Count = int(n)
	return getBool(m, "active", &v.Active)
}

// HandEncodeMedium encodes v by hand.
func HandEncodeMedium(v *Medium) (Item, error) {
	m := make(Item, 18)
	m["id"] = handS(v.ID)
	m["sk"] = handS(v.SK)
	m["name"] = handS(v.Name)
	if v.Email != "" {
		m["email"] = handS(v.Email)
	}
	m["age"] = handN(strconv.Itoa(v.Age))
	m["score"] = handFloat(v.Score, 64)
	m["small"] = handN(strconv.FormatInt(int64(v.Small), 10))
	m["big"] = handN(strconv.FormatUint(v.Big, 10))
	m["ratio"] = handFloat(float64(v.Ratio), 32)
	m["active"] = &types.AttributeValueMemberBOOL{Value: v.Active}
	m["version"] = handN(strconv.FormatInt(v.Version, 10))
	m["created"] = handTime(v.Created)
	if !v.Expires.IsZero() {
		m["expires"] = handN(strconv.FormatInt(v.Expires.Unix(), 10))
	}
	if len(v.Tags) > 0 {
		m["tags"] = &types.AttributeValueMemberSS{Value: append([]string(nil), v.Tags...)}
	}
	if v.Items != nil {
		l := make([]types.AttributeValue, len(v.Items))
		for i, it := range v.Items {
			l[i] = handS(it)
		}
		m["items"] = &types.AttributeValueMemberL{Value: l}
	}
	if v.Attrs != nil {
		am := make(Item, len(v.Attrs))
		for k, x := range v.Attrs {
			am[k] = handS(x)
		}
		m["attrs"] = &types.AttributeValueMemberM{Value: am}
	}
	m["address"] = &types.AttributeValueMemberM{Value: Item{
		"street": handS(v.Address.Street),
		"city":   handS(v.Address.City),
		"zip":    handN(strconv.Itoa(v.Address.Zip)),
	}}
	if v.Manager != nil {
		m["manager"] = handS(*v.Manager)
	}
	return m, nil
}

// HandDecodeMedium decodes m into v by hand.
func HandDecodeMedium(m Item, v *Medium) error {
	for _, f := range [...]struct {
		name string
		dst  *string
	}{{"id", &v.ID}, {"sk", &v.SK}, {"name", &v.Name}, {"email", &v.Email}} {
		if err := getS(m, f.name, f.dst); err != nil {
			return err
		}
	}
	n, err := getInt(m, "age", 0)
	if err != nil {
		return err
	}
	v.Age = int(n)
	if v.Score, err = getFloat(m, "score", 64); err != nil {
		return err
	}
	if n, err = getInt(m, "small", 8); err != nil {
		return err
	}
	v.Small = int8(n)
	if s, ok, err := getN(m, "big"); err != nil {
		return err
	} else if ok {
		if v.Big, err = strconv.ParseUint(s, 10, 64); err != nil {
			return err
		}
	}
	f, err := getFloat(m, "ratio", 32)
	if err != nil {
		return err
	}
	v.Ratio = float32(f)
	if err := getBool(m, "active", &v.Active); err != nil {
		return err
	}
	if v.Version, err = getInt(m, "version", 64); err != nil {
		return err
	}
	if err := getTime(m, "created", &v.Created); err != nil {
		return err
	}
	if s, ok, err := getN(m, "expires"); err != nil {
		return err
	} else if ok {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return err
		}
		v.Expires = time.Unix(sec, 0).UTC()
	}
	switch a := m["tags"].(type) {
	case *types.AttributeValueMemberSS:
		v.Tags = append(make([]string, 0, len(a.Value)), a.Value...)
	case nil:
	default:
		return errType
	}
	switch a := m["items"].(type) {
	case *types.AttributeValueMemberL:
		v.Items = make([]string, len(a.Value))
		for i, x := range a.Value {
			s, ok := x.(*types.AttributeValueMemberS)
			if !ok {
				return errType
			}
			v.Items[i] = s.Value
		}
	case nil:
	default:
		return errType
	}
	switch a := m["attrs"].(type) {
	case *types.AttributeValueMemberM:
		v.Attrs = make(map[string]string, len(a.Value))
		for k, x := range a.Value {
			s, ok := x.(*types.AttributeValueMemberS)
			if !ok {
				return errType
			}
			v.Attrs[k] = s.Value
		}
	case nil:
	default:
		return errType
	}
	switch a := m["address"].(type) {
	case *types.AttributeValueMemberM:
		if err := getS(a.Value, "street", &v.Address.Street); err != nil {
			return err
		}
		if err := getS(a.Value, "city", &v.Address.City); err != nil {
			return err
		}
		z, err := getInt(a.Value, "zip", 0)
		if err != nil {
			return err
		}
		v.Address.Zip = int(z)
	case nil:
	default:
		return errType
	}
	switch a := m["manager"].(type) {
	case *types.AttributeValueMemberS:
		s := a.Value
		v.Manager = &s
	case nil:
	default:
		return errType
	}
	return nil
}

func handEncodeLine(l *Line) types.AttributeValue {
	return &types.AttributeValueMemberM{Value: Item{
		"sku":   handS(l.SKU),
		"name":  handS(l.Name),
		"qty":   handN(strconv.Itoa(l.Qty)),
		"price": handFloat(l.Price, 64),
		"gift":  &types.AttributeValueMemberBOOL{Value: l.Gift},
	}}
}

// HandEncodeLarge encodes v by hand.
func HandEncodeLarge(v *Large) (Item, error) {
	m := make(Item, 6)
	m["id"] = handS(v.ID)
	m["customer"] = handS(v.Customer)
	m["status"] = handS(v.Status)
	m["placed"] = handTime(v.Placed)
	m["total"] = handFloat(v.Total, 64)
	if v.Lines != nil {
		l := make([]types.AttributeValue, len(v.Lines))
		for i := range v.Lines {
			l[i] = handEncodeLine(&v.Lines[i])
		}
		m["lines"] = &types.AttributeValueMemberL{Value: l}
	}
	return m, nil
}

// HandDecodeLarge decodes m into v by hand.
func HandDecodeLarge(m Item, v *Large) error {
	if err := getS(m, "id", &v.ID); err != nil {
		return err
	}
	if err := getS(m, "customer", &v.Customer); err != nil {
		return err
	}
	if err := getS(m, "status", &v.Status); err != nil {
		return err
	}
	if err := getTime(m, "placed", &v.Placed); err != nil {
		return err
	}
	var err error
	if v.Total, err = getFloat(m, "total", 64); err != nil {
		return err
	}
	switch a := m["lines"].(type) {
	case *types.AttributeValueMemberL:
		v.Lines = make([]Line, len(a.Value))
		for i, x := range a.Value {
			lm, ok := x.(*types.AttributeValueMemberM)
			if !ok {
				return errType
			}
			l := &v.Lines[i]
			if err := getS(lm.Value, "sku", &l.SKU); err != nil {
				return err
			}
			if err := getS(lm.Value, "name", &l.Name); err != nil {
				return err
			}
			q, err := getInt(lm.Value, "qty", 0)
			if err != nil {
				return err
			}
			l.Qty = int(q)
			if l.Price, err = getFloat(lm.Value, "price", 64); err != nil {
				return err
			}
			if err := getBool(lm.Value, "gift", &l.Gift); err != nil {
				return err
			}
		}
	case nil:
	default:
		return errType
	}
	return nil
}

// HandDecodePage decodes a page of items into a new slice by hand.
func HandDecodePage(items []Item) ([]Medium, error) {
	out := make([]Medium, len(items))
	for i, it := range items {
		if err := HandDecodeMedium(it, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
