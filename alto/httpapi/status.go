package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
)

// SetStatus installs the source of GET /status: a JSON view of the
// daemon's parts (collectors, peers, targets, the topology store, the
// maps). Call it before Run. Without it /status answers 404.
func (s *Server) SetStatus(f func() any) { s.status.Store(&f) }

// getStatus serves the status document for operators and dashboards.
func (s *Server) getStatus(c *gin.Context) {
	f := s.status.Load()
	if f == nil {
		writePlain(c, http.StatusNotFound, "no status source")
		return
	}
	b, err := json.MarshalIndent((*f)(), "", "  ")
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/json", append(b, '\n'))
}
