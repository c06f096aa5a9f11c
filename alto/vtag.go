package alto

import (
	"crypto/sha256"
	"encoding/hex"
)

// VersionTag identifies one version of a resource (RFC 7285 §10.3).
type VersionTag struct {
	ResourceID string `json:"resource-id"`
	Tag        string `json:"tag"`
}

// contentTag hashes content into a tag of 40 hex characters. SHA-256 is
// used, cut to 160 bits: far below the 64-character limit and, unlike a
// seeded hash, the same on every replica.
func contentTag(content []byte) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:20])
}
