package main

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSSEReader(t *testing.T) {
	in := ": keep-alive\r\n" +
		"event: application/alto-updatestreamcontrol+json\r\n" +
		"data: {\"control-uri\":\r\n" +
		"data: \"https://alto.example.com/updates/streams/2718281828459\"}\r\n" +
		"\r\n" +
		"event: ignored\n\n" + // an event without data
		"event: application/merge-patch+json,routing\n" +
		"data:{\"cost-map\": {\"PID2\" : {\"PID3\" : 31}}}\n" +
		"id: 7\n" +
		"\n" +
		"data: last\n" // cut before its blank line
	r := newSSEReader(strings.NewReader(in))
	var got []sseEvent
	for {
		ev, err := r.next()
		if err != nil {
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("final error = %v; want ErrUnexpectedEOF for the cut event", err)
			}
			break
		}
		got = append(got, ev)
	}
	want := []sseEvent{
		{Type: "application/alto-updatestreamcontrol+json", Data: []byte("{\"control-uri\":\n\"https://alto.example.com/updates/streams/2718281828459\"}")},
		{Type: "application/merge-patch+json,routing", Data: []byte(`{"cost-map": {"PID2" : {"PID3" : 31}}}`)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// An RFC 8895 server that is not altod: the client finds the stream in the
// directory, asks for the resources it uses, and shows each event.
func TestWatchSSE(t *testing.T) {
	var gotBody, gotType, gotAccept string
	mux := http.NewServeMux()
	mux.HandleFunc("/ird", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/alto-directory+json")
		io.WriteString(w, `{"meta":{"default-alto-network-map":"my-network-map",
  "cost-types":{"num-rc":{"cost-mode":"numerical","cost-metric":"routingcost"}}},
 "resources":{
  "my-network-map":{"uri":"/nm","media-type":"application/alto-networkmap+json"},
  "my-routingcost-map":{"uri":"/cm","media-type":"application/alto-costmap+json","capabilities":{"cost-type-names":["num-rc"]},"uses":["my-network-map"]},
  "my-filter":{"uri":"/fm","media-type":"application/alto-networkmap+json","accepts":"application/alto-networkmapfilter+json","uses":["my-network-map"]},
  "update-my-costs":{"uri":"/updates/costs","media-type":"text/event-stream","accepts":"application/alto-updatestreamparams+json",
    "uses":["my-network-map","my-routingcost-map","my-filter"],
    "capabilities":{"incremental-change-media-types":{"my-routingcost-map":"application/merge-patch+json"}}}}}`)
	})
	mux.HandleFunc("/updates/costs", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody, gotType, gotAccept = string(b), r.Header.Get("Content-Type"), r.Header.Get("Accept")
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, `event: application/alto-updatestreamcontrol+json
data: {"control-uri":
data: "https://alto.example.com/updates/streams/2718281828459"}

event: application/alto-networkmap+json,my-network-map
data: {"meta":{"vtag":{"resource-id":"my-network-map","tag":"da65eca2eb7a10ce8b059740b0b2e3f8eb1d4785"}},
data:  "network-map":{"PID1":{"ipv4":["192.0.2.0/24"]}}}

: keep-alive

event: application/alto-costmap+json,my-routingcost-map
data: {"meta":{"dependent-vtags":[{"resource-id":"my-network-map","tag":"da65eca2eb7a10ce8b059740b0b2e3f8eb1d4785"}],
data: "cost-type":{"cost-mode":"numerical","cost-metric":"routingcost"}},"cost-map":{"PID1":{"PID1":1}}}

event: application/merge-patch+json,my-routingcost-map
data: {"cost-map":{"PID1":{"PID1":2}}}

event: application/alto-updatestreamcontrol+json
data: {"stopped":["my-routingcost-map"]}

`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	out, stderr, err := runCLI(t, "-server", srv.URL+"/ird", "watch", "-via", "sse")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	golden(t, "sse-watch", out)
	want := `{"add":{"my-network-map":{"incremental-changes":true,"resource-id":"my-network-map"},"my-routingcost-map":{"incremental-changes":true,"resource-id":"my-routingcost-map"}}}`
	if gotBody != want || gotType != "application/alto-updatestreamparams+json" || !strings.HasPrefix(gotAccept, "text/event-stream") {
		t.Errorf("stream request: %s %q %q", gotBody, gotType, gotAccept)
	}

	out, _, err = runCLI(t, "-server", srv.URL+"/ird", "watch", "-via", "sse", "-count", "2", "-o", "json",
		"-resources", "my-routingcost-map", "-incremental=false")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "sse-watch-json", out)
	if want := `{"add":{"my-routingcost-map":{"incremental-changes":false,"resource-id":"my-routingcost-map"}}}`; gotBody != want {
		t.Errorf("stream request %s; want %s", gotBody, want)
	}
}
