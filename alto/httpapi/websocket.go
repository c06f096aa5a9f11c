package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/coder/websocket"
	"github.com/gin-gonic/gin"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/alto/updates"
)

// getUpdateWebSocket serves the WebSocket extension of the update stream
// service. The client's first message is an update stream request, as it
// would POST to the SSE service; every message after that is from the
// server and mirrors one SSE event: {"event": <SSE event field>, "data":
// <event data>}. Stream control goes to the control URI of the first
// event, over HTTP, exactly as for SSE. Keep-alives are WebSocket pings.
func (s *Server) getUpdateWebSocket(c *gin.Context) {
	r, ok := s.resources[c.Param("id")]
	if !ok || r.Kind != alto.KindUpdateWebSocket {
		writePlain(c, http.StatusNotFound, "no such update stream service")
		return
	}
	conn, err := websocket.Accept(c.Writer, c.Request, nil)
	if err != nil {
		s.logger.Debug("websocket handshake failed", "err", err)
		return // Accept has answered
	}
	defer conn.CloseNow()
	conn.SetReadLimit(s.cfg.MaxBodyBytes)
	ctx := c.Request.Context()

	rctx, cancel := context.WithTimeout(ctx, s.cfg.Updates.KeepAlive)
	typ, body, err := conn.Read(rctx)
	cancel()
	if err != nil || typ != websocket.MessageText {
		conn.Close(websocket.StatusPolicyViolation, "the first message must be an update stream request")
		return
	}
	st, err := s.hub.Open(r.ID, body, remoteAddr(c.Request))
	if err != nil {
		s.refuseWebSocket(ctx, conn, err)
		return
	}
	defer st.Close()
	// The client sends nothing more; reading handles its pongs and close.
	ctx = conn.CloseRead(ctx)

	timeout := s.cfg.Updates.WriteTimeout
	var buf []byte
	send := func(evs []updates.Event) error {
		for _, ev := range evs {
			buf = ev.AppendWebSocket(buf[:0])
			wctx, cancel := context.WithTimeout(ctx, timeout)
			err := conn.Write(wctx, websocket.MessageText, buf)
			cancel()
			if err != nil {
				return err
			}
		}
		if cap(buf) > 1<<20 {
			buf = nil // do not pin a large map's worth of memory per client
		}
		return nil
	}
	keepAlive := func() error {
		pctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return conn.Ping(pctx)
	}
	uri := s.controlURI(st)
	if err := send([]updates.Event{updates.ControlEvent(updates.Control{ControlURI: &uri})}); err != nil {
		return
	}
	s.pump(ctx, st, send, keepAlive)
	conn.Close(websocket.StatusNormalClosure, "update stream ended")
}

// refuseWebSocket sends the error an SSE client would get as its HTTP
// response, as an application/alto-error+json message, and closes.
func (s *Server) refuseWebSocket(ctx context.Context, conn *websocket.Conn, err error) {
	data := errorJSON(err)
	if data == nil {
		status := statusFor(err)
		if errors.Is(err, updates.ErrTooManyStreams) || errors.Is(err, updates.ErrNotRunning) {
			status = http.StatusServiceUnavailable
		}
		conn.Close(websocket.StatusTryAgainLater, http.StatusText(status))
		return
	}
	msg := updates.Event{MediaType: alto.MediaTypeError, Data: data}.AppendWebSocket(nil)
	wctx, cancel := context.WithTimeout(ctx, s.cfg.Updates.WriteTimeout)
	defer cancel()
	_ = conn.Write(wctx, websocket.MessageText, msg)
	conn.Close(websocket.StatusPolicyViolation, "update stream request refused")
}
