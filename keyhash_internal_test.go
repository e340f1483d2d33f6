package dynantic

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TestKeyHash checks the debug log's key_hash: stable within a process,
// not the plain SHA-256 of the key (which can be reversed by trying likely
// keys), and keyed per process (another process hashes the same key
// differently).
func TestKeyHash(t *testing.T) {
	key := map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "user-1"}}
	h := hashKey(key)
	if len(h) != 16 {
		t.Fatalf("hashKey = %q, want 16 hex digits", h)
	}
	if again := hashKey(key); again != h {
		t.Fatalf("hashKey is not stable within a process: %q, then %q", h, again)
	}
	sum := sha256.Sum256([]byte(renderItem(key)))
	if plain := hex.EncodeToString(sum[:8]); h == plain {
		t.Fatalf("hashKey = %q, the unkeyed SHA-256 prefix of the key", h)
	}
	other := map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "user-2"}}
	if hashKey(other) == h {
		t.Fatal("two keys have the same hash")
	}

	if testing.Short() {
		return
	}
	seen := map[string]bool{h: true}
	for range 2 {
		child := exec.Command(os.Args[0], "-test.run=^TestKeyHashChild$")
		// The child needs no server: an endpoint that is never called keeps
		// dynamotest.Main from starting one.
		child.Env = append(os.Environ(), "DYNANTIC_KEY_HASH_CHILD=1", "AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:1")
		out, err := child.Output()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		_, ch, ok := strings.Cut(string(out), "key_hash=")
		ch, _, _ = strings.Cut(ch, "\n")
		if !ok || len(ch) != 16 {
			t.Fatalf("child printed no hash:\n%s", out)
		}
		if seen[ch] {
			t.Fatalf("two processes hashed the key alike (%s): the hash key is not per process", ch)
		}
		seen[ch] = true
	}
}

// TestKeyHashChild prints the hash of the key of TestKeyHash when run as
// its child.
func TestKeyHashChild(t *testing.T) {
	if os.Getenv("DYNANTIC_KEY_HASH_CHILD") == "" {
		t.Skip("run by TestKeyHash")
	}
	key := map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "user-1"}}
	os.Stdout.WriteString("key_hash=" + hashKey(key) + "\n")
}
