package static

import (
	"testing"

	"go.uber.org/goleak"
)

// Run starts no goroutines of its own, but the tests run it in one each;
// every test must stop it before it ends.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
