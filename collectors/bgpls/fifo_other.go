//go:build !unix

package bgpls

import "errors"

// Without FIFOs the tap is unavailable; the collector warns and runs
// without the TLVs GoBGP drops.
func mkfifo(string) error { return errors.New("no fifos on this system") }
