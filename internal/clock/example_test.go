package clock_test

import (
	"fmt"
	"time"

	"github.com/redress-project/redress/internal/clock"
)

// A complaint received on the afternoon before National Day 2025, with a
// 16-business-hour response target and a pause while the customer is asked
// for documents.
func ExampleCalendar_Due() {
	cn, err := clock.Lookup("cn")
	if err != nil {
		panic(err)
	}
	start := time.Date(2025, 9, 30, 14, 0, 0, 0, cn.Location())
	spec, err := clock.ParseSpec("16bh")
	if err != nil {
		panic(err)
	}
	pause, err := clock.ParseInterval("2025-09-30T16:00:00+08:00/2025-10-09T11:00:00+08:00")
	if err != nil {
		panic(err)
	}

	due, err := cn.Due(start, spec, []clock.Interval{pause})
	if err != nil {
		panic(err)
	}
	fmt.Println("due:", due.Format(time.RFC3339))

	// 2 h before the pause, 09:00-11:00 inside it, 7 h after it by 18:00.
	used, err := cn.WorkingTimeBetween(start, time.Date(2025, 10, 9, 18, 0, 0, 0, cn.Location()), []clock.Interval{pause})
	if err != nil {
		panic(err)
	}
	fmt.Printf("used by Oct 9 18:00: %v of 16h\n", used)
	// Output:
	// due: 2025-10-10T16:00:00+08:00
	// used by Oct 9 18:00: 9h0m0s of 16h
}
