package topology_test

import (
	"testing"

	"github.com/altosdn/altosdn/topology"
)

func TestNodeKeyBGPLSID(t *testing.T) {
	tests := []struct {
		name string
		key  topology.NodeKey
		want topology.NodeID
	}{
		{"absent keeps the old form", topology.NodeKey{Protocol: topology.ProtocolOSPFv2, AS: 1, RouterID: "10.0.0.1"}, "ospfv2/0/1//10.0.0.1"},
		{"set is appended", topology.NodeKey{Protocol: topology.ProtocolISISL2, Instance: 2, AS: 3352, RouterID: "1921.6825.2240", BGPLSID: 178}, "isis-l2/2/3352//1921.6825.2240/ls=178"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.key.ID(); got != tt.want {
				t.Errorf("ID() = %q; want %q", got, tt.want)
			}
		})
	}
}
