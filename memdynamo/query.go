package memdynamo

import "github.com/dynantic/dynantic/memdynamo/internal/wire"

func (e *Engine) query(body []byte) ([]byte, *wire.Error) {
	in, err := decodeReadIn(body)
	if err != nil {
		return nil, err
	}
	_, _, err = e.validateRead(in, true)
	if err != nil {
		return nil, err
	}
	return nil, wire.Validation("memdynamo: Query is not supported yet")
}
