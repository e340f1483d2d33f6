// Package expression parses and evaluates DynamoDB's expression languages for the embedded
// engine: ConditionExpression, FilterExpression, KeyConditionExpression, ProjectionExpression and
// UpdateExpression, with DynamoDB's grammar, reserved words, placeholder rules, limits and error
// wording (measured against DynamoDB Local 3.3.1).
//
// # Use from an operation
//
// One Context per request holds its ExpressionAttributeNames and ExpressionAttributeValues and
// records which placeholders the expressions used:
//
//	ctx, err := expression.NewContext(req.Names, req.Values) // key syntax, empty names
//	cond, err := ctx.Condition(expression.ConditionExpression, req.ConditionExpression)
//	upd, err := ctx.Update(req.UpdateExpression)
//	err = ctx.CheckUnused() // after every expression of the request is parsed
//
// Parse each expression of a request once, in DynamoDB's order, and stop at the first error:
//   - UpdateItem: UpdateExpression, then ConditionExpression, then CheckUnused.
//   - Query: FilterExpression, ProjectionExpression, KeyConditionExpression, then CheckUnused,
//     then KeyCondition.Match (its structural and schema errors come after the unused check),
//     then the refusal of key attributes in the filter (Condition.Attributes).
//   - Scan: FilterExpression, ProjectionExpression, CheckUnused.
//   - PutItem, DeleteItem, ConditionCheck: ConditionExpression, CheckUnused.
//   - GetItem, BatchGetItem, TransactGetItems: ProjectionExpression, CheckUnused.
//
// NewContext checks the maps themselves (key syntax and length, empty or oversized names). A
// malformed AttributeValue in ExpressionAttributeValues is reported with InvalidValueError's
// wording; ValidNameKey and ValidValueKey tell the key syntax NewContext enforces.
//
// # Results
//
//   - Condition.Eval(item) reports whether an item (nil or empty for a missing one) satisfies a
//     condition. It never fails: comparisons and functions over missing attributes or mismatched
//     types are false (<> is true), as in DynamoDB.
//   - Projection.Apply(item) returns the projected parts of an item: nested map paths, list
//     elements kept in order and compacted, missing paths left out.
//   - Update.Apply(item, keys...) returns the updated item (item itself is not modified; pass the
//     key attributes alone when there is no stored item). The update's paths are Update.Paths and
//     its top-level attributes Update.Attributes; Update.Changed().Apply(old or new item) gives
//     DynamoDB's documented UPDATED_OLD / UPDATED_NEW (the updated paths only), while
//     Update.Changed().ApplyWhole(...) gives DynamoDB Local's (whole top-level attributes).
//   - KeyCondition.Match(schema) checks a key condition against a table's or index's key schema
//     (including multi-attribute GSI keys) and returns the conditions on its HASH and RANGE
//     attributes (KeyPart: name, KeyOp, values).
//
// Every error is a *wire.Error of type ValidationException carrying DynamoDB's message, e.g.
// "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"= \"" or
// "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}".
//
// # Fidelity notes
//
// The package reproduces which error DynamoDB reports first when an expression has several: the
// syntax error at the token DynamoDB's parser stops at (with its "near" text), then tree errors
// (reserved words, functions, list indexes, a section used twice), then validation in post-order
// (placeholders, operand types and counts, limits), then path overlaps; at run time an update
// walks its paths in DynamoDB's order. Placeholder lists in messages follow the iteration order of
// Java's HashMap, as DynamoDB's do, and the "path two" of an overlap error is the path DynamoDB
// Local names. testdata/local.json holds DynamoDB Local's answers to about 4,000 expressions,
// which TestLocalGoldens replays.
//
// Where DynamoDB Local departs from DynamoDB's documentation the package follows the
// documentation: CONVERT is a reserved word, and size() of a string counts UTF-8 bytes (Local
// counts UTF-16 code units). Numbers in BETWEEN messages are printed canonically (Local prints them
// as sent), and several malformed placeholder keys are reported in text order (Local: request
// order).
package expression
