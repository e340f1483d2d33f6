package dynantic

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/expr"
)

// This file recognises a conditional write's own earlier attempt. The SDK
// retries a request whose answer was lost (a 5xx, a reset connection)
// inside one call. When DynamoDB had applied the lost attempt, the retry
// fails its condition against the item that attempt stored, and the
// caller would be told "conflict" or "already exists" about its own write.

// ErrUnknownOutcome matches the error of an Update with Version whose
// outcome cannot be known: an attempt went unanswered (the SDK retried it),
// the retry failed its condition, and the stored item is what the update
// would have produced as far as can be checked, but one of its actions (an
// Add, a Plus, an Append, ...) has a result that cannot be checked, or
// Return asked for the old values, which were lost with the answer. The
// update may or may not have been applied: read the item before deciding
// what to do. It is not a version conflict: retrying the update blindly
// could apply it twice.
var ErrUnknownOutcome = errors.New("dynantic: outcome unknown: an attempt went unanswered and the write may or may not have been applied")

// unknownOutcome is the error of an UpdateItem whose outcome cannot be
// known; it unwraps to the SDK's error as well.
func (t *table) unknownOutcome(err error) error {
	return &OpError{Op: "UpdateItem", Table: t.name, Err: fmt.Errorf("%w: %w", ErrUnknownOutcome, err)}
}

// attemptWatch is a per-call HTTP client around the SDK's: it counts the
// attempts of one call whose outcome is unknown. It is installed only on
// conditional writes that can recognise their own write.
type attemptWatch struct {
	next      dynamodb.HTTPClient
	uncertain int // attempts not answered with a 4xx
	opts      [1]func(*dynamodb.Options)
}

func newAttemptWatch() *attemptWatch {
	a := &attemptWatch{}
	a.opts[0] = a.install
	return a
}

// options returns the per-call options that install a (none for nil).
func (a *attemptWatch) options() []func(*dynamodb.Options) {
	if a == nil {
		return nil
	}
	return a.opts[:]
}

func (a *attemptWatch) install(o *dynamodb.Options) {
	if o.HTTPClient != nil {
		a.next, o.HTTPClient = o.HTTPClient, a
	}
}

// Do sends one attempt. Only a 4xx answer says for certain that DynamoDB
// did not apply it; the SDK retries a 2xx only when its body could not be
// read.
func (a *attemptWatch) Do(r *http.Request) (*http.Response, error) {
	resp, err := a.next.Do(r)
	if err != nil || resp.StatusCode < 400 || resp.StatusCode >= 500 {
		a.uncertain++
	}
	return resp, err
}

// storedAfterRetry returns the stored item that came back with a failed
// condition (ALL_OLD; nil when there is none), when an earlier attempt of
// the same call had an unknown outcome: only then can the failure be the
// call's own write.
func (a *attemptWatch) storedAfterRetry(err error) (map[string]types.AttributeValue, bool) {
	var ccf *types.ConditionalCheckFailedException
	if a == nil || a.uncertain == 0 || !errors.As(err, &ccf) {
		return nil, false
	}
	return ccf.Item, true
}

// ownPut reports whether a put whose condition failed after an unanswered
// attempt finds exactly the item it sent: then that attempt stored it.
func (a *attemptWatch) ownPut(err error, sent map[string]types.AttributeValue) bool {
	stored, ok := a.storedAfterRetry(err)
	return ok && equalItem(stored, sent)
}

// updateOutcome classifies an Update with Version whose condition failed
// after an unanswered attempt, from the stored item: updateConflict (it is
// not what this update makes of version expected, or the version is not
// expected+1), updateOwn (it is, for every action: this update's lost
// attempt stored it) or updateUnknown (every action that can be checked
// matches, but some cannot be).
type updateOutcome int

const (
	updateConflict updateOutcome = iota
	updateOwn
	updateUnknown
)

// ownUpdate looks at a versioned update that failed with err after an
// unanswered attempt. When that attempt applied this update, it returns
// what the update returns (the stored item is the item it made, which is
// what ALL_NEW returns); when that cannot be told, an error matching
// ErrUnknownOutcome; otherwise nil, nil: the failure stands.
func (c *updateCore) ownUpdate(watch *attemptWatch, err error, actions []expr.Action) (*dynamodb.UpdateItemOutput, error) {
	stored, retried := watch.storedAfterRetry(err)
	if !retried {
		return nil, nil
	}
	switch c.t.classifyUpdate(stored, actions, c.check.expected) {
	case updateConflict:
		return nil, nil
	case updateUnknown:
		return nil, c.t.unknownOutcome(err)
	}
	out := &dynamodb.UpdateItemOutput{}
	switch c.ret {
	case ReturnAllOld, ReturnUpdatedOld: // lost with the answer
		return nil, c.t.unknownOutcome(err)
	case ReturnAllNew:
		out.Attributes = stored
	case ReturnUpdatedNew: // the top-level attributes the actions wrote
		out.Attributes = make(map[string]types.AttributeValue, len(actions))
		for _, a := range actions {
			if v, ok := stored[a.Path.Top()]; ok {
				out.Attributes[a.Path.Top()] = v
			}
		}
	}
	return out, nil
}

// classifyUpdate checks the actions of a versioned update (with the
// library's own stamps) against the stored item.
func (t *table) classifyUpdate(stored map[string]types.AttributeValue, actions []expr.Action, expected int64) updateOutcome {
	n, ok := stored[t.special.version.Name].(*types.AttributeValueMemberN)
	if !ok || n.Value != strconv.FormatInt(expected+1, 10) {
		return updateConflict
	}
	out := updateOwn
	for i := range actions {
		a := &actions[i]
		v, found := lookupPath(stored, a.Path)
		switch {
		case slices.ContainsFunc(a.Path, func(e expr.PathElem) bool { return e.IsIndex }):
			// A list element: REMOVE shifts the elements after it, and SET
			// past the end appends; the result cannot be looked up.
			out = updateUnknown
		case a.Kind == expr.ActRemove:
			if found {
				return updateConflict
			}
		case a.Kind == expr.ActSet && a.Fn == expr.SetValue && a.A.Value != nil:
			if !found || !equalAV(v, a.A.Value) {
				return updateConflict
			}
		case a.Kind == expr.ActSet && a.Fn == expr.SetValue && a.A.IfNotExists != nil && slices.Equal(a.A.Path, a.Path):
			if !found { // if_not_exists(p, v) leaves p set either way
				return updateConflict
			}
		case a.Kind == expr.ActAdd && len(a.Path) == 1 && a.Path[0].Name == t.special.version.Name:
			// Checked above.
		default:
			out = updateUnknown // a result computed from the old item
		}
	}
	return out
}

// lookupPath finds the value at a document path in an item.
func lookupPath(item map[string]types.AttributeValue, p expr.Path) (types.AttributeValue, bool) {
	var cur types.AttributeValue = &types.AttributeValueMemberM{Value: item}
	for _, e := range p {
		switch c := cur.(type) {
		case *types.AttributeValueMemberM:
			if e.IsIndex {
				return nil, false
			}
			v, ok := c.Value[e.Name]
			if !ok {
				return nil, false
			}
			cur = v
		case *types.AttributeValueMemberL:
			if !e.IsIndex || e.Index < 0 || e.Index >= len(c.Value) {
				return nil, false
			}
			cur = c.Value[e.Index]
		default:
			return nil, false
		}
	}
	return cur, true
}

// equalItem reports whether two items hold the same attributes and values
// as DynamoDB compares them (numbers by value, sets in any order).
func equalItem(a, b map[string]types.AttributeValue) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !equalAV(v, w) {
			return false
		}
	}
	return true
}

// equalAV reports whether two attribute values are equal as DynamoDB sees
// them: numbers by value (DynamoDB returns them normalized), set members in
// any order.
func equalAV(a, b types.AttributeValue) bool {
	switch x := a.(type) {
	case *types.AttributeValueMemberS, *types.AttributeValueMemberN, *types.AttributeValueMemberB:
		return sameScalar(a, b)
	case *types.AttributeValueMemberBOOL:
		y, ok := b.(*types.AttributeValueMemberBOOL)
		return ok && x.Value == y.Value
	case *types.AttributeValueMemberNULL:
		_, ok := b.(*types.AttributeValueMemberNULL)
		return ok
	case *types.AttributeValueMemberSS:
		y, ok := b.(*types.AttributeValueMemberSS)
		return ok && equalSet(x.Value, y.Value, func(s string) string { return s })
	case *types.AttributeValueMemberNS:
		y, ok := b.(*types.AttributeValueMemberNS)
		return ok && equalSet(x.Value, y.Value, func(s string) string { return string(codec.AppendCanonicalNumber(nil, s)) })
	case *types.AttributeValueMemberBS:
		y, ok := b.(*types.AttributeValueMemberBS)
		return ok && equalSet(x.Value, y.Value, func(b []byte) string { return string(b) })
	case *types.AttributeValueMemberL:
		y, ok := b.(*types.AttributeValueMemberL)
		return ok && slices.EqualFunc(x.Value, y.Value, equalAV)
	case *types.AttributeValueMemberM:
		y, ok := b.(*types.AttributeValueMemberM)
		return ok && equalItem(x.Value, y.Value)
	}
	return false
}

// equalSet compares two sets by their members' canonical forms.
func equalSet[E any](a, b []E, canon func(E) string) bool {
	if len(a) != len(b) {
		return false
	}
	members := make(map[string]int, len(a))
	for _, e := range a {
		members[canon(e)]++
	}
	for _, e := range b {
		k := canon(e)
		if members[k] == 0 {
			return false
		}
		members[k]--
	}
	return true
}
