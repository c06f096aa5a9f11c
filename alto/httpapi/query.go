package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/netip"

	"github.com/gin-gonic/gin"

	"github.com/altosdn/altosdn/alto"
)

// readQuery does what every POST resource does first: it finds the
// resource, checks the request's Content-Type (415) and Accept (406),
// reads the body within the size limit (413) and takes the current maps
// (503 before the first). On any failure it has answered and returns false.
func (s *Server) readQuery(c *gin.Context, kind alto.ResourceKind) (alto.Resource, []byte, *alto.Maps, bool) {
	r, ok := s.resources[c.Param("id")]
	if !ok || r.Kind != kind {
		writePlain(c, http.StatusNotFound, "no such resource")
		return r, nil, nil, false
	}
	ct, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || ct != r.Accepts {
		writePlain(c, http.StatusUnsupportedMediaType, "the request body must be "+r.Accepts)
		return r, nil, nil, false
	}
	if !acceptable(c.Request.Header.Values("Accept"), r.MediaType) {
		writePlain(c, http.StatusNotAcceptable, "this resource answers only with "+r.MediaType)
		return r, nil, nil, false
	}
	body, ok := s.readBody(c)
	if !ok {
		return r, nil, nil, false
	}
	maps := s.maps.Current()
	if maps == nil {
		writeNotReady(c)
		return r, nil, nil, false
	}
	return r, body, maps, true
}

// readBody reads a request body within MaxBodyBytes.
func (s *Server) readBody(c *gin.Context) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writePlain(c, http.StatusRequestEntityTooLarge, "request body over the limit")
			return nil, false
		}
		writePlain(c, http.StatusBadRequest, "could not read the request body")
		return nil, false
	}
	return body, true
}

// postQuery serves the POST resources of one kind and hands the body to
// the maps.
func (s *Server) postQuery(kind alto.ResourceKind) gin.HandlerFunc {
	return func(c *gin.Context) {
		r, body, maps, ok := s.readQuery(c, kind)
		if !ok {
			return
		}
		var err error
		limits := s.altoCfg.Limits
		var out []byte
		switch kind {
		case alto.KindFilteredNetworkMap:
			out, err = maps.FilteredNetworkMap(body, limits)
		case alto.KindFilteredCostMap:
			out, err = maps.FilteredCostMap(r, body, limits)
		case alto.KindEndpointProp:
			out, err = maps.EndpointProperties(r, body, limits)
		case alto.KindEndpointCost:
			out, err = maps.EndpointCost(r, body, remoteAddr(c.Request), limits)
		case alto.KindPathVectorCostMap, alto.KindPathVectorEndpointCost:
			s.writePathVector(c, maps, r, body)
			return
		}
		if err != nil {
			s.writeError(c, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusOK, r.MediaType, out)
	}
}

// remoteAddr is the peer address of the connection. Forwarding headers are
// not trusted: a client could claim any address with them.
func remoteAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

// writePathVector answers a path vector request with its multipart body.
func (s *Server) writePathVector(c *gin.Context, maps *alto.Maps, r alto.Resource, body []byte) {
	var mp alto.Multipart
	var err error
	expose := s.altoCfg.PathVector.ExposeLinkNames
	if r.Kind == alto.KindPathVectorCostMap {
		mp, err = maps.PathVectorCostMap(r, body, s.altoCfg.Limits, expose)
	} else {
		mp, err = maps.PathVectorEndpointCost(r, body, remoteAddr(c.Request), s.altoCfg.Limits, expose)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, mp.ContentType, mp.Body)
}
