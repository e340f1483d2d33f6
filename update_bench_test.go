package dynantic

import "testing"

type benchUser struct {
	UserID     string `dynamo:"user_id,pk"`
	Email      string `dynamo:"email,sk" validate:"email"`
	LoginCount int    `dynamo:"login_count"`
	Status     string `dynamo:"status" validate:"omitempty,oneof=active inactive"`
	Stock      int    `dynamo:"stock" validate:"gte=0"`
	Temp       string `dynamo:"temp"`
	Rating     int    `dynamo:"rating"`
	Deleted    bool   `dynamo:"deleted"`
}

// BenchmarkUpdateRequest builds a whole UpdateItem input through the public
// builder (model checks, tag validation, encoding, expression, condition),
// without sending it.
func BenchmarkUpdateRequest(b *testing.B) {
	tbl := MustTable[benchUser](New(nil), WithTableName("bench_users"))
	cond := Attr("rating").Gte(8).And(Attr("deleted").NotExists())
	key := Key("user-123", "john@example.com")
	b.ReportAllocs()
	for b.Loop() {
		u := tbl.Update(key).Set("status", "active").Set("stock", Attr("stock").Minus(1)).
			Add("login_count", 1).Remove("temp").If(cond)
		if _, _, err := u.u.request(); err != nil {
			b.Fatal(err)
		}
	}
}
