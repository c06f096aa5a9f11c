// Package e2e runs the real altod and altoctl binaries: it builds them once,
// starts the daemon on a free port with a temporary config, and checks what a
// client sees over HTTP, down to a clean exit on SIGTERM.
package e2e
