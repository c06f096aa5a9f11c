package gnmi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/collectortest"
	"github.com/altosdn/altosdn/collectors/gnmi/target"
	"github.com/altosdn/altosdn/topology"
)

// pki is a throw-away CA with a server and a client certificate, written
// to PEM files the collector's configuration can name.
type pki struct {
	caFile, certFile, keyFile string // client side
	serverCert                tls.Certificate
	pool                      *x509.CertPool // trusts the CA
}

// newPKI generates a CA and certificates with ECDSA P-256 (fast enough to
// make in each test). The server certificate is valid for 127.0.0.1.
func newPKI(t *testing.T, cn string) *pki {
	t.Helper()
	dir := t.TempDir()
	caKey := newKey(t)
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	must(t, err)
	ca, err := x509.ParseCertificate(caDER)
	must(t, err)
	issue := func(serial int64, usage x509.ExtKeyUsage, ips []net.IP) ([]byte, *ecdsa.PrivateKey) {
		key := newKey(t)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject:      pkix.Name{CommonName: cn + " leaf"},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
			IPAddresses:  ips,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		must(t, err)
		return der, key
	}
	srvDER, srvKey := issue(2, x509.ExtKeyUsageServerAuth, []net.IP{net.ParseIP("127.0.0.1")})
	cliDER, cliKey := issue(3, x509.ExtKeyUsageClientAuth, nil)

	p := &pki{pool: x509.NewCertPool()}
	p.pool.AddCert(ca)
	p.serverCert = tls.Certificate{Certificate: [][]byte{srvDER}, PrivateKey: srvKey}
	write := func(name, typ string, der []byte) string {
		path := filepath.Join(dir, name)
		must(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600))
		return path
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(cliKey)
	must(t, err)
	p.caFile = write("ca.pem", "CERTIFICATE", caDER)
	p.certFile = write("client.pem", "CERTIFICATE", cliDER)
	p.keyFile = write("client.key", "PRIVATE KEY", keyDER)
	return p
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	return k
}

func TestCollectorTLSAndAuth(t *testing.T) {
	good, other := newPKI(t, "test CA"), newPKI(t, "other CA")
	user := writeSecret(t, "user", "altod\n") // the trailing newline of editors
	pass := writeSecret(t, "pass", "s3cret\n")
	wrong := writeSecret(t, "wrong", "guess")

	serverTLS := func(mutual bool) *tls.Config {
		c := &tls.Config{Certificates: []tls.Certificate{good.serverCert}, MinVersion: tls.VersionTLS12}
		if mutual {
			c.ClientAuth, c.ClientCAs = tls.RequireAndVerifyClientCert, good.pool
		}
		return c
	}
	tests := []struct {
		name    string
		target  target.Config
		client  func(*TargetConfig)
		wantErr string // "" means accepted
	}{
		{"tls with ca", target.Config{TLS: serverTLS(false)},
			func(c *TargetConfig) { c.TLS = TLSConfig{CAFile: good.caFile} }, ""},
		{"tls with wrong ca", target.Config{TLS: serverTLS(false)},
			func(c *TargetConfig) { c.TLS = TLSConfig{CAFile: other.caFile} }, "certificate"},
		{"tls with system roots", target.Config{TLS: serverTLS(false)},
			func(c *TargetConfig) { c.TLS = TLSConfig{} }, "certificate"},
		{"tls skip verify", target.Config{TLS: serverTLS(false)},
			func(c *TargetConfig) { c.TLS = TLSConfig{SkipVerify: true} }, ""},
		{"plaintext client against tls", target.Config{TLS: serverTLS(false)},
			func(c *TargetConfig) { c.TLS = TLSConfig{Insecure: true} }, "Unavailable"},
		{"mutual tls", target.Config{TLS: serverTLS(true)},
			func(c *TargetConfig) {
				c.TLS = TLSConfig{CAFile: good.caFile, CertFile: good.certFile, KeyFile: good.keyFile}
			}, ""},
		{"mutual tls without client cert", target.Config{TLS: serverTLS(true)},
			func(c *TargetConfig) { c.TLS = TLSConfig{CAFile: good.caFile} }, "Unavailable"},
		{"mutual tls with foreign client cert", target.Config{TLS: serverTLS(true)},
			func(c *TargetConfig) {
				c.TLS = TLSConfig{CAFile: good.caFile, CertFile: other.certFile, KeyFile: other.keyFile}
			}, "Unavailable"},
		{"tls and password", target.Config{TLS: serverTLS(false), Username: "altod", Password: "s3cret"},
			func(c *TargetConfig) {
				c.TLS = TLSConfig{CAFile: good.caFile}
				c.UsernameFile, c.PasswordFile = user, pass
			}, ""},
		{"wrong password", target.Config{TLS: serverTLS(false), Username: "altod", Password: "s3cret"},
			func(c *TargetConfig) {
				c.TLS = TLSConfig{CAFile: good.caFile}
				c.UsernameFile, c.PasswordFile = user, wrong
			}, "Unauthenticated"},
		{"no credentials", target.Config{TLS: serverTLS(false), Username: "altod", Password: "s3cret"},
			func(c *TargetConfig) { c.TLS = TLSConfig{CAFile: good.caFile} }, "Unauthenticated"},
		{"plaintext and password", target.Config{Username: "altod", Password: "s3cret"},
			func(c *TargetConfig) { c.UsernameFile, c.PasswordFile = user, pass }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := r1Target(t, tc.target)
			cfg := plainTarget("r1", tg.Addr())
			tc.client(&cfg)
			base := baseTopology()
			h := startHarness(t, fastConfig(cfg), &base)
			// Ready comes after the first sync or the first failure.
			collectortest.WaitFor(t, "Ready", h.c.Ready)
			if tc.wantErr == "" {
				h.waitRate(link12.ID, 4e9)
				if st := h.item(0); !st.Up || st.LastError != "" {
					t.Errorf("status = %+v", st)
				}
				return
			}
			collectortest.WaitFor(t, "the failure in Status", func() bool { return h.item(0).LastError != "" })
			st := h.item(0)
			if st.Up || !strings.Contains(st.LastError, tc.wantErr) {
				t.Errorf("status = %+v, want an error containing %q", st, tc.wantErr)
			}
			if tg.Subscribers() != 0 {
				t.Error("a rejected client holds a subscription")
			}
			if _, ok := h.metric(link12.ID, topology.MetricUtilizedBandwidth); ok {
				t.Error("a rejected target produced an overlay")
			}
			if !strings.Contains(h.logs.String(), "gnmi target unavailable, retrying") {
				t.Error("the failure was not logged")
			}
		})
	}
}
