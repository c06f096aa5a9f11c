package gnmi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/keepalive"
)

// maxRecvMsgSize allows large JSON containers from chatty targets.
const maxRecvMsgSize = 64 << 20

// tlsConfig builds the client TLS configuration, reading the files now so
// that renewed certificates apply on the next connection. It returns nil
// for plaintext.
func (t TLSConfig) tlsConfig() (*tls.Config, error) {
	if t.Insecure {
		return nil, nil
	}
	tc := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ServerName:         t.ServerName,
		InsecureSkipVerify: t.SkipVerify, //nolint:gosec // an explicit, documented lab option
	}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("tls.ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("tls.ca_file %s: no PEM certificates", t.CAFile)
		}
		tc.RootCAs = pool
	}
	if t.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("tls.cert_file: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// credentials holds a target's username and password for gRPC metadata.
type userPass struct {
	username, password string
	secure             bool
}

// GetRequestMetadata sends the de-facto gNMI credential metadata.
func (c userPass) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"username": c.username, "password": c.password}, nil
}

// RequireTransportSecurity is false for plaintext targets, which the
// operator chose explicitly with tls.insecure; grpc would refuse to send
// the metadata otherwise.
func (c userPass) RequireTransportSecurity() bool { return c.secure }

// readSecret reads a credential file, dropping the trailing newline that
// editors and kubectl leave.
func readSecret(path, field string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", field, err)
	}
	b = bytes.TrimRight(b, "\r\n")
	if len(b) == 0 {
		return "", fmt.Errorf("%s %s: empty", field, path)
	}
	return string(b), nil
}

// credentials reads the target's credentials; ok is false when none are
// configured.
func (t TargetConfig) credentials() (up userPass, ok bool, err error) {
	if t.UsernameFile == "" {
		return userPass{}, false, nil
	}
	u, err1 := readSecret(t.UsernameFile, "username_file")
	p, err2 := readSecret(t.PasswordFile, "password_file")
	if err := errors.Join(err1, err2); err != nil {
		return userPass{}, false, err
	}
	return userPass{username: u, password: p, secure: !t.TLS.Insecure}, true, nil
}

// dialOptions builds the gRPC options for a target, reading its files.
func (c *Collector) dialOptions(t TargetConfig) ([]grpc.DialOption, error) {
	tc, err := t.TLS.tlsConfig()
	if err != nil {
		return nil, err
	}
	opts := []grpc.DialOption{
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxRecvMsgSize)),
		// Pings on an idle connection more often than the server's
		// enforcement minimum (5 minutes by default in grpc-go) earn a
		// GOAWAY "too_many_pings"; a streaming SAMPLE subscription is never
		// idle, so these pings only guard quiet ON_CHANGE streams.
		grpc.WithKeepaliveParams(keepalive.ClientParameters{
			Time:    c.cfg.KeepaliveTime,
			Timeout: c.cfg.KeepaliveTimeout,
		}),
	}
	if tc != nil {
		opts = append(opts, grpc.WithTransportCredentials(credentials.NewTLS(tc)))
	} else {
		opts = append(opts, grpc.WithTransportCredentials(insecure.NewCredentials()))
	}
	up, ok, err := t.credentials()
	if err != nil {
		return nil, err
	}
	if ok {
		opts = append(opts, grpc.WithPerRPCCredentials(up))
	}
	return opts, nil
}
