package dynantic_test

import (
	"go/ast"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestDocComments checks that every exported identifier of the public
// packages (the root package and dynamotest) has a doc comment: top-level
// functions, types, constants and variables, methods of exported types, and
// the exported fields of exported struct types. A trailing line comment
// counts for a field or a constant, as godoc shows it. Methods of interfaces
// (API mirrors the SDK client's) are not checked.
func TestDocComments(t *testing.T) {
	for _, dir := range []string{".", "dynamotest"} {
		missing := undocumented(t, dir)
		sort.Strings(missing)
		for _, m := range missing {
			t.Errorf("%s: no doc comment", m)
		}
	}
}

// TestDocHeadings checks that every "# Heading" line of the package
// comments is a heading in godoc (it needs a blank line before and after).
func TestDocHeadings(t *testing.T) {
	for _, dir := range []string{".", "dynamotest"} {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, filepath.Join(dir, "doc.go"), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		text := f.Doc.Text()
		headings := map[string]bool{}
		for _, b := range new(comment.Parser).Parse(text).Content {
			if h, ok := b.(*comment.Heading); ok {
				var sb strings.Builder
				for _, x := range h.Text {
					if p, ok := x.(comment.Plain); ok {
						sb.WriteString(string(p))
					}
				}
				headings[sb.String()] = true
			}
		}
		for _, line := range strings.Split(text, "\n") {
			if h, ok := strings.CutPrefix(line, "# "); ok && !headings[h] {
				t.Errorf("%s/doc.go: %q is not a heading in godoc (a blank comment line must come before and after it)", dir, line)
			}
		}
		if len(headings) == 0 {
			t.Errorf("%s/doc.go: no headings found", dir)
		}
	}
}

// undocumented parses the non-test Go files of dir and lists the exported
// identifiers without a doc comment, as "file:line: name".
func undocumented(t *testing.T, dir string) []string {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	report := func(pos token.Pos, name string) {
		p := fset.Position(pos)
		out = append(out, p.Filename+":"+strconv.Itoa(p.Line)+": "+name)
	}
	exportedTypes := map[string]bool{}
	var files []*ast.File
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, s := range g.Specs {
					if ts := s.(*ast.TypeSpec); ts.Name.IsExported() {
						exportedTypes[ts.Name.Name] = true
					}
				}
			}
		}
	}
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				name := d.Name.Name
				if d.Recv != nil {
					recv := receiverType(d.Recv.List[0].Type)
					if !exportedTypes[recv] {
						continue // not in godoc
					}
					name = recv + "." + name
				}
				if d.Doc == nil {
					report(d.Pos(), name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						if s.Doc == nil && (d.Doc == nil || len(d.Specs) > 1) {
							report(s.Pos(), s.Name.Name)
						}
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, fld := range st.Fields.List {
								for _, n := range fld.Names {
									if n.IsExported() && fld.Doc == nil && fld.Comment == nil {
										report(n.Pos(), s.Name.Name+"."+n.Name)
									}
								}
							}
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() && s.Doc == nil && s.Comment == nil && (d.Doc == nil || len(d.Specs) > 1) {
								report(n.Pos(), n.Name)
							}
						}
					}
				}
			}
		}
	}
	return out
}

// receiverType returns the name of a method's receiver type: T for T, *T,
// T[P] and *T[P].
func receiverType(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}
