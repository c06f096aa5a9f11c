package bgpls_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/bgpls/speaker"
)

// The password file reaches GoBGP's TCP MD5 (RFC 2385) set-up: a speaker
// with the same password gets a session.
func TestTCPMD5Password(t *testing.T) {
	pw := filepath.Join(t.TempDir(), "peer.md5")
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config(t)
	addr := loopback(t)
	peerFor(&cfg, addr, 65001)
	cfg.Peers[0].PasswordFile = pw
	h := start(t, cfg)
	h.speakWith(t, addr, 65001, speaker.Topology{Nodes: square().Nodes[:1]}, withGR,
		func(c *speaker.Config) { c.Password = "s3cret" })
	waitFor(t, 20*time.Second, "a node over an MD5-signed session", h.graphHas(1, 0, 0))
}
