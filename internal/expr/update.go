package expr

import (
	"errors"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ActionKind is the clause an update action belongs to.
type ActionKind uint8

// The clauses of an update expression, in the order they are written.
const (
	ActSet    ActionKind = iota + 1 // SET path = value
	ActRemove                       // REMOVE path
	ActAdd                          // ADD path :v (number or set)
	ActDelete                       // DELETE path :v (set)
)

var actionNames = [...]string{ActSet: "SET", ActRemove: "REMOVE", ActAdd: "ADD", ActDelete: "DELETE"}

// String is the clause keyword ("SET", "REMOVE", "ADD", "DELETE"), or
// "ActionKind(n)" for an unknown value.
func (k ActionKind) String() string {
	if k > 0 && int(k) < len(actionNames) {
		return actionNames[k]
	}
	return "ActionKind(" + strconv.Itoa(int(k)) + ")"
}

// SetFn is how a SET action computes its value from its operands A and B.
type SetFn uint8

// The value forms of a SET action
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html).
const (
	SetValue      SetFn = iota // path = A
	SetPlus                    // path = A + B
	SetMinus                   // path = A - B
	SetListAppend              // path = list_append(A, B)
)

// UpdateOperand is an operand of an update action: an attribute path, an
// attribute value already encoded by the caller, or, when both Path and
// IfNotExists are set, if_not_exists(Path, IfNotExists): the attribute's
// value, or IfNotExists when the item lacks it. Value excludes the other two.
type UpdateOperand struct {
	Path        Path
	Value       types.AttributeValue
	IfNotExists types.AttributeValue
}

// Action is one action of an update expression. Path is the attribute it
// writes. SET actions compute their value from A (and B, for the binary
// forms) according to Fn; ADD and DELETE take their value from A.Value;
// REMOVE takes no operand.
type Action struct {
	// Kind and Fn are next to each other so that they share one word: an
	// Action is 144 bytes instead of 152 (an Update's four fit in 576).
	Kind ActionKind
	Fn   SetFn
	Path Path
	A, B UpdateOperand
}

// Sentinel errors of an *UpdateError, besides ErrEmptyPath and
// ErrInvalidPath; match them with errors.Is.
var (
	// ErrNoActions means an update without any action.
	ErrNoActions = errors.New("no update actions")
	// ErrUnknownAction means an action whose Kind or Fn is not one of the
	// constants.
	ErrUnknownAction = errors.New("unknown update action")
	// ErrOverlap means two actions write the same path, or one writes a path
	// inside the other's (a and a.b, a and a[1]), or the paths disagree on
	// whether a step is a map key or a list index (a.b and a[0]). DynamoDB
	// rejects all of these.
	ErrOverlap = errors.New("paths overlap")
	// ErrOperand means an operand with neither a path nor a value, or with
	// both, an IfNotExists without a path, an ADD or DELETE without a value,
	// or an operand where the action takes none.
	ErrOperand = errors.New("invalid operand")
)

// UpdateError reports an update action that cannot be compiled: its clause,
// its path, the rule it broke and, for ErrOverlap, the other path.
type UpdateError struct {
	Kind  ActionKind
	Path  Path
	Other Path // the path it overlaps (ErrOverlap only)
	Err   error
}

// Error renders the error as `invalid update: SET "a.b": paths overlap ("a")`.
func (e *UpdateError) Error() string {
	var b strings.Builder
	b.WriteString("invalid update")
	if e.Kind != 0 {
		b.WriteString(": ")
		b.WriteString(e.Kind.String())
	}
	if len(e.Path) > 0 {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.Path.String()))
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if len(e.Other) > 0 {
		b.WriteString(" (")
		b.WriteString(strconv.Quote(e.Other.String()))
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the sentinel describing the rule that was broken.
func (e *UpdateError) Unwrap() error { return e.Err }

// Overlap reports whether two target paths may not appear in the same update
// expression: equal paths, one a prefix of the other, or paths that use the
// same step once as a map key and once as a list index.
func Overlap(p, q Path) bool {
	n := min(len(p), len(q))
	for i := 0; i < n; i++ {
		a, b := p[i], q[i]
		if a.IsIndex != b.IsIndex {
			return true // a.b vs a[0]: the same step seen as map and list
		}
		if a != b {
			return false
		}
	}
	return true
}

// Update compiles actions into an UpdateExpression, registering names and
// values in the same Builder as the request's other expressions (so a
// condition compiled into it shares placeholders). Clauses come in the order
// SET, REMOVE, ADD, DELETE; within a clause actions keep their order in
// actions; placeholders are assigned in text order. The same input always
// yields the same text.
//
// Errors: an *UpdateError (errors.Is ErrNoActions, ErrUnknownAction,
// ErrEmptyPath, ErrInvalidPath, ErrOverlap or ErrOperand). On error the
// Builder is left exactly as it was before the call.
func (b *Builder) Update(actions []Action) (string, error) {
	var w strings.Builder
	if err := b.AppendUpdate(&w, actions, 0); err != nil {
		return "", err
	}
	return w.String(), nil
}

// AppendUpdate is Update writing the text to the end of w, after growing w
// by its size plus reserve bytes (room for a condition written next into the
// same buffer, see AppendCond and CondSize). Errors as Update; on error
// nothing is registered and w is unchanged.
func (b *Builder) AppendUpdate(w *strings.Builder, actions []Action, reserve int) error {
	if len(actions) == 0 {
		return &UpdateError{Err: ErrNoActions}
	}
	size := 0
	var counts [len(actionNames)]int
	for i := range actions {
		a := &actions[i]
		if err := checkAction(a); err != nil {
			return err
		}
		for j := 0; j < i; j++ {
			if Overlap(actions[j].Path, a.Path) {
				return &UpdateError{Kind: a.Kind, Path: a.Path, Other: actions[j].Path, Err: ErrOverlap}
			}
		}
		counts[a.Kind]++
		size += 8 + 4*(len(a.Path)+len(a.A.Path)+len(a.B.Path))
	}
	w.Grow(size + 24 + reserve)
	start := w.Len()
	for kind := ActSet; kind <= ActDelete; kind++ {
		if counts[kind] == 0 {
			continue
		}
		if w.Len() > start {
			w.WriteByte(' ')
		}
		w.WriteString(actionNames[kind])
		first := true
		for i := range actions {
			a := &actions[i]
			if a.Kind != kind {
				continue
			}
			if first {
				w.WriteByte(' ')
				first = false
			} else {
				w.WriteString(", ")
			}
			b.writeAction(w, a)
		}
	}
	return nil
}

// checkAction validates one action before anything is registered, so that
// rendering cannot fail half-way.
func checkAction(a *Action) error {
	fail := func(err error) error { return &UpdateError{Kind: a.Kind, Path: a.Path, Err: err} }
	if a.Kind == 0 || a.Kind > ActDelete {
		return fail(ErrUnknownAction)
	}
	if !a.Path.valid() {
		if len(a.Path) == 0 {
			return fail(ErrEmptyPath)
		}
		return fail(ErrInvalidPath)
	}
	switch a.Kind {
	case ActRemove:
		if !a.A.isZero() || !a.B.isZero() {
			return fail(ErrOperand)
		}
		return nil
	case ActAdd, ActDelete:
		if a.A.Value == nil || a.A.Path != nil || a.A.IfNotExists != nil || !a.B.isZero() {
			return fail(ErrOperand)
		}
		return nil
	}
	if err := checkOperand(a.A); err != nil {
		return fail(err)
	}
	switch a.Fn {
	case SetValue:
		if !a.B.isZero() {
			return fail(ErrOperand)
		}
		return nil
	case SetPlus, SetMinus, SetListAppend:
	default:
		return fail(ErrUnknownAction)
	}
	if err := checkOperand(a.B); err != nil {
		return fail(err)
	}
	return nil
}

func (o UpdateOperand) isZero() bool { return o.Path == nil && o.Value == nil && o.IfNotExists == nil }

func checkOperand(o UpdateOperand) error {
	switch {
	case o.Value != nil && o.Path == nil && o.IfNotExists == nil:
		return nil
	case o.Value == nil && o.Path != nil:
		if !o.Path.valid() {
			return ErrInvalidPath
		}
		return nil
	}
	return ErrOperand
}

// writeAction writes one checked action (without its clause keyword).
func (b *Builder) writeAction(w *strings.Builder, a *Action) {
	b.writePath(w, a.Path)
	switch a.Kind {
	case ActRemove:
		return
	case ActAdd, ActDelete:
		w.WriteByte(' ')
		b.writeOperand(w, a.A)
		return
	}
	w.WriteString(" = ")
	switch a.Fn {
	case SetValue:
		b.writeOperand(w, a.A)
	case SetPlus, SetMinus:
		b.writeOperand(w, a.A)
		if a.Fn == SetPlus {
			w.WriteString(" + ")
		} else {
			w.WriteString(" - ")
		}
		b.writeOperand(w, a.B)
	case SetListAppend:
		w.WriteString("list_append(")
		b.writeOperand(w, a.A)
		w.WriteString(", ")
		b.writeOperand(w, a.B)
		w.WriteByte(')')
	}
}

func (b *Builder) writeOperand(w *strings.Builder, o UpdateOperand) {
	switch {
	case o.Value != nil:
		writePlaceholder(w, valuePH, ":v", b.addValue(o.Value))
	case o.IfNotExists != nil:
		w.WriteString("if_not_exists(")
		b.writePath(w, o.Path)
		w.WriteString(", ")
		writePlaceholder(w, valuePH, ":v", b.addValue(o.IfNotExists))
		w.WriteByte(')')
	default:
		b.writePath(w, o.Path)
	}
}
