package codec

import (
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Decoding without attribute values: a decoder that reads DynamoDB's JSON
// itself (the library's wire decoder) hands each top-level attribute to its
// field here. Scalar members whose decoding is the field's parse of their
// text (DecodeS, DecodeN, DecodeBOOL) skip the attribute value; any other
// member goes through DecodeAV, the field's own decoder. Either way the
// field ends up as Plan.Decode would leave it, and errors are the field
// decoder's, without the model and path (a caller that gets one decodes the
// item again through Plan.Decode for the full error).

// MaxDirectFields is the most fields a plan may have for a direct decoder to
// track which fields it has seen (one bit each).
const MaxDirectFields = 64

// Pos is the field's index in its plan's Fields.
func (f *FieldCodec) Pos() int { return f.pos }

// ptr returns the field in the struct at v, allocating embedded pointers
// on the way (as decoding does).
func (f *FieldCodec) ptr(v unsafe.Pointer) unsafe.Pointer {
	if f.ViaPtr {
		return f.reach(v, true)
	}
	return unsafe.Add(v, f.Offset)
}

// DecodeS decodes an S member of text s into the field of the struct at v,
// and reports false (doing nothing) when the field does not decode an S by
// its text.
func (f *FieldCodec) DecodeS(s string, v unsafe.Pointer) (bool, error) {
	if f.codec.textDec != textS {
		return false, nil
	}
	return true, f.codec.parse(s, f.ptr(v))
}

// DecodeN is DecodeS for an N member.
func (f *FieldCodec) DecodeN(s string, v unsafe.Pointer) (bool, error) {
	if f.codec.textDec != textN {
		return false, nil
	}
	return true, f.codec.parse(s, f.ptr(v))
}

// DecodeBOOL is DecodeS for a BOOL member.
func (f *FieldCodec) DecodeBOOL(b bool, v unsafe.Pointer) bool {
	if f.codec.textDec != textBOOL {
		return false
	}
	*(*bool)(f.ptr(v)) = b
	return true
}

// DecodeAV decodes av (not nil) into the field of the struct at v with the
// field's decoder.
func (f *FieldCodec) DecodeAV(av types.AttributeValue, v unsafe.Pointer) error {
	return f.codec.dec(av, f.ptr(v))
}
