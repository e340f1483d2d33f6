package dynantic

import "encoding/base64"

// SealCursor makes a cursor for q from a hand-written body (version, flags,
// key attributes), adding the tag an unsigned cursor carries: what a client
// that knows the format can forge without the DB's secret.
func SealCursor[T any](q *Query[T], body []byte) (string, error) {
	rq, err := q.r.compile(false)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(append(body, rq.digest(body)...)), nil
}
