package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// accessLog logs each request once it is served.
func (s *Server) accessLog() gin.HandlerFunc {
	level := slog.LevelDebug
	if s.cfg.AccessLog {
		level = slog.LevelInfo
	}
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		s.logger.Log(c.Request.Context(), level, "http request",
			"method", c.Request.Method, "path", c.Request.URL.Path, "status", c.Writer.Status(),
			"bytes", c.Writer.Size(), "duration", time.Since(start), "remote", c.ClientIP())
	}
}

// recovery turns a handler panic into a 500 and an error log. No input is
// meant to panic a handler; this keeps one bug from killing the daemon.
func (s *Server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger.Error("http handler panicked", "path", c.Request.URL.Path, "panic", v)
				c.Abort()
				writePlain(c, http.StatusInternalServerError, "internal error")
			}
		}()
		c.Next()
	}
}
