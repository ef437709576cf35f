//go:build unix

package route

import (
	"syscall"
	"testing"
	"time"
)

// reportCPU starts counting the process's CPU time; the returned function
// reports it per op as cpu-ns/op. On a shared machine, wall-clock ns/op
// includes time spent waiting for a core; CPU time does not.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
