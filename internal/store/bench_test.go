package store_test

import (
	"testing"
	"time"

	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

// BenchmarkCreateCase measures concurrent case creation (one case, its
// event, its outbox row and two transaction index rows per operation).
// sqlite-tx-per-write turns group commit off for comparison.
func BenchmarkCreateCase(b *testing.B) {
	type variant struct {
		name, backend string
		maxBatch      int
		linger        time.Duration
	}
	for _, v := range []variant{
		{"sqlite", "sqlite", 0, 0},
		{"sqlite-tx-per-write", "sqlite", 1, 0},
		{"sqlite-linger-200us", "sqlite", 0, 200 * time.Microsecond},
		{"postgres", "postgres", 0, 0},
	} {
		b.Run(v.name, func(b *testing.B) {
			s := storetest.Open(b, v.backend)
			if v.maxBatch > 0 {
				store.SetMaxBatch(s, v.maxBatch)
			}
			store.SetLinger(s, v.linger)
			d := newDraft(withEvidence)
			b.SetParallelism(16) // requests wait on I/O; a server runs many at once
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					c, e := open(b, d, t0)
					if err := s.CreateCase(ctx, c, e, nil); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "cases/s")
			if batches, writes := store.WriterStats(s); batches > 0 {
				b.ReportMetric(float64(writes)/float64(batches), "writes/tx")
			}
		})
	}
}
