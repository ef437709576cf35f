package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/redress-project/redress/internal/api"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

// metrics holds the server's Prometheus registry. Each server has its own,
// so tests can run several servers in one process.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	routes   *http.ServeMux // matches API requests to their route pattern
}

func newMetrics(st *store.Store) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "redress_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
		routes: http.NewServeMux(),
	}
	for _, rt := range api.Routes() {
		m.routes.Handle(rt.Method+" "+rt.Pattern, http.NotFoundHandler())
	}
	m.registry.MustRegister(m.requests, m.latency, casesCollector{st},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

func (m *metrics) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		route := m.route(r)
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(rec.code())).Inc()
		m.latency.WithLabelValues(route, r.Method).Observe(time.Since(start).Seconds())
	})
}

// route names the request for metrics without unbounded label values: an
// API route's pattern, else the first path segment of known areas.
func (m *metrics) route(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		if _, pattern := m.routes.Handler(r); pattern != "" {
			_, path, _ := strings.Cut(pattern, " ")
			return path
		}
		return "/api/other"
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch first {
	case "", "healthz", "readyz", "metrics", "login", "logout", "my", "console", "merchant", "static", "prefs":
		return "/" + first
	}
	return "/other"
}

// casesCollector reports open work by status, read from the store at each
// scrape.
type casesCollector struct{ store *store.Store }

var casesDesc = prometheus.NewDesc("redress_cases", "Complaint cases by status.", []string{"status"}, nil)

func (c casesCollector) Describe(ch chan<- *prometheus.Desc) { ch <- casesDesc }

func (c casesCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.store.CountCasesByStatus(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(casesDesc, err)
		return
	}
	for _, s := range complaint.Statuses {
		ch <- prometheus.MustNewConstMetric(casesDesc, prometheus.GaugeValue, float64(counts[s]), string(s))
	}
}
