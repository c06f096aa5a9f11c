package gnmi

import (
	"os/exec"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// Run starts a goroutine per target and gRPC starts its own per connection;
// every test stops its collectors and targets before it ends, so none may
// be left. No ignore options are needed: grpc-go's goroutines end with
// their ClientConn or Server.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestNoGlog guards the promise that nothing here links glog, which writes
// log files into the temp directory of every process that links it. Test
// binaries carry no module list, so ask the go command.
func TestNoGlog(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(goBin, "list", "-deps", "-test", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	pkgs := strings.Fields(string(out))
	if !strings.Contains(string(out), "google.golang.org/grpc\n") {
		t.Fatalf("go list printed no grpc among %d packages: the check proves nothing", len(pkgs))
	}
	for _, p := range pkgs {
		if strings.Contains(p, "glog") || strings.Contains(p, "openconfig/ygot") {
			t.Errorf("%s is linked; glog writes log files", p)
		}
	}
}
