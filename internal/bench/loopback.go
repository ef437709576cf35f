package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrNotLoopback is returned for a target that is not on this machine's
// loopback interface.
var ErrNotLoopback = errors.New("only loopback addresses (127.0.0.0/8, ::1, localhost) may be benchmarked")

// CheckLoopback checks that raw is an http(s) URL whose host resolves only
// to loopback addresses, and returns it without a trailing slash.
func CheckLoopback(ctx context.Context, raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("invalid URL %q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("invalid URL %q: want http://host:port", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("invalid URL %q: want only scheme, host, port and path", raw)
	}
	if _, err := loopbackIPs(ctx, u.Hostname()); err != nil {
		return "", err
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// loopbackIPs resolves host and returns its addresses if every one of them
// is a loopback address.
func loopbackIPs(ctx context.Context, host string) ([]net.IP, error) {
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return nil, fmt.Errorf("%w: %s is not one", ErrNotLoopback, host)
		}
		return []net.IP{ip}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot resolve %s: %v", ErrNotLoopback, host, err)
	}
	ips := make([]net.IP, 0, len(addrs))
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return nil, fmt.Errorf("%w: %s resolves to %s", ErrNotLoopback, host, a.IP)
		}
		ips = append(ips, a.IP)
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("%w: %s resolves to nothing", ErrNotLoopback, host)
	}
	return ips, nil
}

// loopbackClient returns an HTTP client that keeps a connection per worker
// alive, follows no redirects, and checks every address it dials, so that
// neither a redirect nor a changed DNS answer can send load elsewhere.
func loopbackClient(concurrency int) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			ips, err := loopbackIPs(ctx, host)
			if err != nil {
				return nil, err
			}
			return dialer.DialContext(ctx, network, net.JoinHostPort(ips[0].String(), port))
		},
		Proxy:               nil, // never through a proxy: the target is this machine
		MaxIdleConns:        concurrency,
		MaxIdleConnsPerHost: concurrency,
		MaxConnsPerHost:     concurrency,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{
		Transport:     transport,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
