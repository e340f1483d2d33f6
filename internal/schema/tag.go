// Package schema turns a Go struct type and its `dynamo` tags into a model:
// the attributes, their options, the primary key, the secondary indexes and
// the special fields. It is built once per type, when a table handle is made.
package schema

import (
	"strconv"
	"strings"
)

// Options are the parsed options of one `dynamo` tag.
type Options struct {
	PK, SK        bool
	GSIPK, GSISK  []IndexRef // the GSIs this attribute keys (an attribute may key several)
	LSISK         []IndexRef
	Discriminator bool
	OmitEmpty     bool
	Set           bool
	UnixTime      bool
	Version       bool
	Created       bool
	Updated       bool
	TTL           bool
	Auto          bool
}

// IndexRef names the secondary index an attribute keys, and its position in
// a multi-attribute key: gsi_pk=ByRegion:2 is {ByRegion, 2}; Pos is 0 when the
// tag gives none (gsi_pk=ByRegion).
type IndexRef struct {
	Name string
	Pos  int
}

// Tag is a parsed `dynamo:"name,opt,opt=value"` tag.
type Tag struct {
	Name string // "" when the tag gives no name
	Skip bool   // dynamo:"-"
	Opts Options
}

// ParseTag parses the value of a `dynamo` struct tag. It returns a plain
// message on error; the caller wraps it with the model and field.
func ParseTag(s string) (Tag, string) {
	if s == "-" {
		return Tag{Skip: true}, ""
	}
	var t Tag
	name, rest, _ := strings.Cut(s, ",")
	t.Name = name
	for rest != "" {
		var opt string
		opt, rest, _ = strings.Cut(rest, ",")
		key, val, hasVal := strings.Cut(opt, "=")
		key = strings.TrimSpace(key)
		val = strings.TrimSpace(val)
		indexOpt := key == "gsi_pk" || key == "gsi_sk" || key == "lsi_sk"
		if indexOpt && (!hasVal || val == "") {
			return t, "tag option " + key + " needs an index name (" + key + "=IndexName)"
		}
		if !indexOpt && hasVal {
			return t, "tag option " + key + " takes no value"
		}
		var ref IndexRef
		if indexOpt {
			name, pos, hasPos := strings.Cut(val, ":")
			ref.Name = name
			if hasPos {
				n, err := strconv.Atoi(pos)
				if err != nil || n < 1 || name == "" {
					return t, "tag option " + key + "=" + val + ": the position after the colon must be a number from 1 (" + key + "=IndexName:1, " + key + "=IndexName:2, ...)"
				}
				ref.Pos = n
			}
		}
		var flag *bool
		switch key {
		case "pk":
			flag = &t.Opts.PK
		case "sk":
			flag = &t.Opts.SK
		case "gsi_pk":
			t.Opts.GSIPK = append(t.Opts.GSIPK, ref)
		case "gsi_sk":
			t.Opts.GSISK = append(t.Opts.GSISK, ref)
		case "lsi_sk":
			t.Opts.LSISK = append(t.Opts.LSISK, ref)
		case "discriminator":
			flag = &t.Opts.Discriminator
		case "omitempty":
			flag = &t.Opts.OmitEmpty
		case "set":
			flag = &t.Opts.Set
		case "unixtime":
			flag = &t.Opts.UnixTime
		case "version":
			flag = &t.Opts.Version
		case "created":
			flag = &t.Opts.Created
		case "updated":
			flag = &t.Opts.Updated
		case "ttl":
			flag = &t.Opts.TTL
		case "auto":
			flag = &t.Opts.Auto
		case "":
			return t, "empty tag option"
		default:
			return t, "unknown tag option " + strconv.Quote(key)
		}
		if flag != nil {
			if *flag {
				return t, "tag option " + key + " given twice"
			}
			*flag = true
		}
	}
	return t, ""
}

// IsKey reports whether the options make the attribute part of the table's
// or an index's key.
func (o *Options) IsKey() bool {
	return o.PK || o.SK || len(o.GSIPK) > 0 || len(o.GSISK) > 0 || len(o.LSISK) > 0
}
