package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/altosdn/altosdn/alto"
)

// pathPropMap is where both property maps are served: the full map by
// GET, the filtered one by POST, each under its own resource ID.
const pathPropMap = "/propmap/"

// The cost calendars need no routes of their own: their resources are a
// filtered cost map and an endpoint cost service, served under /filtered/
// and /endpointcost/ like the others.

func (s *Server) propertyMapRoutes(r *gin.Engine) {
	r.GET(pathPropMap+":id", s.getPropertyMap)
	r.HEAD(pathPropMap+":id", s.getPropertyMap)
	r.POST(pathPropMap+":id", s.postPropertyMap)
}

// getPropertyMap serves the full property map (RFC 9240 §7).
func (s *Server) getPropertyMap(c *gin.Context) {
	r, ok := s.resources[c.Param("id")]
	if !ok || r.Kind != alto.KindPropertyMap {
		writePlain(c, http.StatusNotFound, "no such property map")
		return
	}
	maps := s.maps.Current()
	if maps == nil {
		writeNotReady(c)
		return
	}
	enc, err := maps.PropertyMap()
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.writeEncoded(c, enc, maps)
}

// postPropertyMap serves the filtered property map (RFC 9240 §8), with
// the checks of the other POST resources.
func (s *Server) postPropertyMap(c *gin.Context) {
	r, body, maps, ok := s.readQuery(c, alto.KindFilteredPropertyMap)
	if !ok {
		return
	}
	out, err := maps.FilteredPropertyMap(r, body, s.altoCfg.Limits)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, r.MediaType, out)
}
