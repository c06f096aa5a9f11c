package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/altosdn/altosdn/alto"
)

// Paths of the resources. Resource IDs are valid URL path segments as they
// are (RFC 7285's ResourceID alphabet has no reserved characters but ':' and
// '@', which RFC 3986 allows in a segment).
const (
	pathDirectory    = "/directory"
	pathNetworkMap   = "/networkmap/"
	pathCostMap      = "/costmap/"
	pathFiltered     = "/filtered/"
	pathEndpointProp = "/endpointprop/"
	pathEndpointCost = "/endpointcost/"
	pathPathVector   = "/pathvector/"
	pathUpdates      = "/updates/"
	// A stream's control URI is pathStreamControl + the stream's ID.
	pathStreamControl = "/updates-control/"
	pathWebSocket     = "/updates-ws/"
)

func resourcePath(r alto.Resource) string {
	switch r.Kind {
	case alto.KindNetworkMap:
		return pathNetworkMap + r.ID
	case alto.KindCostMap:
		return pathCostMap + r.ID
	case alto.KindFilteredNetworkMap, alto.KindFilteredCostMap:
		return pathFiltered + r.ID
	case alto.KindEndpointProp:
		return pathEndpointProp + r.ID
	case alto.KindEndpointCost:
		return pathEndpointCost + r.ID
	case alto.KindPathVectorCostMap, alto.KindPathVectorEndpointCost:
		return pathPathVector + r.ID
	case alto.KindUpdateStream:
		return pathUpdates + r.ID
	case alto.KindStreamControl:
		return pathStreamControl + r.ID
	case alto.KindUpdateWebSocket:
		return pathWebSocket + r.ID
	case alto.KindPropertyMap, alto.KindFilteredPropertyMap:
		return pathPropMap + r.ID
	}
	panic("httpapi: resource kind without a path") // a programming error, caught by tests
}

func (s *Server) routes() *gin.Engine {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	r.Use(s.recovery(), s.accessLog())

	get := func(path string, h gin.HandlerFunc) {
		r.GET(path, h)
		r.HEAD(path, h)
	}
	get(pathDirectory, s.getDirectory)
	get(pathNetworkMap+":id", s.getNetworkMap)
	get(pathCostMap+":id", s.getCostMap)
	r.POST(pathFiltered+":id", s.postFiltered)
	r.POST(pathEndpointProp+":id", s.postQuery(alto.KindEndpointProp))
	r.POST(pathEndpointCost+":id", s.postQuery(alto.KindEndpointCost))
	r.POST(pathPathVector+":id", s.postPathVector)
	r.POST(pathUpdates+":id", s.postUpdateStream)
	r.POST(pathStreamControl+":id", s.postStreamControl)
	r.GET(pathWebSocket+":id", s.getUpdateWebSocket)
	s.propertyMapRoutes(r)
	get("/status", s.getStatus)
	get("/healthz", s.healthz)
	get("/readyz", s.readyz)

	r.NoRoute(func(c *gin.Context) { writePlain(c, http.StatusNotFound, "no such resource") })
	r.NoMethod(func(c *gin.Context) { writePlain(c, http.StatusMethodNotAllowed, "method not allowed") })
	return r
}

// postPathVector serves both path vector kinds under one path prefix.
func (s *Server) postPathVector(c *gin.Context) {
	kind := alto.KindPathVectorEndpointCost
	if r, ok := s.resources[c.Param("id")]; ok && r.Kind == alto.KindPathVectorCostMap {
		kind = alto.KindPathVectorCostMap
	}
	s.postQuery(kind)(c)
}

// postFiltered serves both filtered kinds under one path prefix.
func (s *Server) postFiltered(c *gin.Context) {
	kind := alto.KindFilteredCostMap
	if r, ok := s.resources[c.Param("id")]; ok && r.Kind == alto.KindFilteredNetworkMap {
		kind = alto.KindFilteredNetworkMap
	}
	s.postQuery(kind)(c)
}

func (s *Server) getDirectory(c *gin.Context) {
	s.writeEncoded(c, s.directory, nil)
}

func (s *Server) getNetworkMap(c *gin.Context) {
	r, ok := s.resources[c.Param("id")]
	if !ok || r.Kind != alto.KindNetworkMap {
		writePlain(c, http.StatusNotFound, "no such network map")
		return
	}
	maps := s.maps.Current()
	if maps == nil {
		writeNotReady(c)
		return
	}
	s.writeEncoded(c, maps.NetworkMap.Response, maps)
}

func (s *Server) getCostMap(c *gin.Context) {
	r, ok := s.resources[c.Param("id")]
	if !ok || r.Kind != alto.KindCostMap {
		writePlain(c, http.StatusNotFound, "no such cost map")
		return
	}
	maps := s.maps.Current()
	if maps == nil {
		writeNotReady(c)
		return
	}
	cm, ok := maps.CostMap(r.ID)
	if !ok {
		writePlain(c, http.StatusNotFound, "no such cost map")
		return
	}
	s.writeEncoded(c, cm.Response, maps)
}

func (s *Server) healthz(c *gin.Context) {
	writePlain(c, http.StatusOK, "ok")
}

// readyz is true once maps exist, the sources have delivered their initial
// topology, and the server is not draining.
func (s *Server) readyz(c *gin.Context) {
	switch {
	case s.draining.Load():
		writePlain(c, http.StatusServiceUnavailable, "draining")
	case s.maps.Current() == nil:
		writePlain(c, http.StatusServiceUnavailable, "no maps computed yet")
	case !s.ready():
		writePlain(c, http.StatusServiceUnavailable, "topology sources not ready")
	default:
		writePlain(c, http.StatusOK, "ready")
	}
}
