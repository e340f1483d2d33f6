package dynantic_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestExamplesSelfContained checks that every godoc example of the package
// can be copied into a main package as it is: it writes each example's body
// as func main of a package of its own, with only the imports the body uses,
// and type-checks them all with go vet. An example that leans on a helper,
// a type or a variable of the tests does not compile there.
func TestExamplesSelfContained(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet on a generated package per example")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	files, err := filepath.Glob("example_*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "example_test.go")
	// Inside the module (so that its packages resolve), under testdata (so
	// that ./... never sees it).
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("testdata", "selfcontained-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.RemoveAll(dir)
		os.Remove("testdata") // only if empty
	})

	n := 0
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Example") {
				continue
			}
			body := src[fset.Position(fn.Body.Pos()).Offset:fset.Position(fn.Body.End()).Offset]
			var imports []string
			for _, spec := range f.Imports {
				p, _ := strconv.Unquote(spec.Path.Value)
				local := path.Base(p)
				if spec.Name != nil {
					local = spec.Name.Name
				}
				if uses(fn.Body, local) {
					if spec.Name != nil {
						imports = append(imports, "\t"+spec.Name.Name+" "+spec.Path.Value)
					} else {
						imports = append(imports, "\t"+spec.Path.Value)
					}
				}
			}
			prog := "package main\n\nimport (\n" + strings.Join(imports, "\n") + "\n)\n\nfunc main() " + string(body) + "\n"
			pkg := filepath.Join(dir, fn.Name.Name)
			if err := os.Mkdir(pkg, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(pkg, "main.go"), []byte(prog), 0o644); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	if n < 24 {
		t.Fatalf("found %d examples, want at least 24: are the files still named example_*_test.go?", n)
	}
	out, err := exec.Command(goBin, "vet", "./"+filepath.ToSlash(dir)+"/...").CombinedOutput()
	if err != nil {
		t.Fatalf("%d examples copied into main packages: go vet failed (%v):\n%s", n, err, out)
	}
}

// uses reports whether body refers to the package imported as name.
func uses(body *ast.BlockStmt, name string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == name {
				found = true
			}
		}
		return !found
	})
	return found
}
