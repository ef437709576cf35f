package route_test

import (
	"fmt"
	"time"

	"github.com/redress-project/redress/internal/clock"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/route"
)

// A refunds team of four on mainland China office hours, one of them away,
// routes a Traditional Chinese complaint and a Simplified Chinese one; then
// the absent agent returns, another leaves, and her case moves.
func ExampleRouter_Assign() {
	cn, err := clock.Lookup("cn")
	if err != nil {
		panic(err)
	}
	office := route.Shift{Calendar: cn}
	hans := route.Skills{Languages: []string{"zh-Hans"}}
	both := route.Skills{Languages: []string{"zh-Hans", "zh-Hant"}}
	refunds := route.Team{ID: "refunds", Name: "Refunds", Skills: route.Skills{Categories: []string{"refund"}}}
	r, err := route.NewRouter([]route.Team{refunds}, []route.Agent{
		{ID: 1, Name: "李娜", Team: "refunds", Skills: hans, Capacity: 10, Load: 3, Availability: route.Online, Shift: office},
		{ID: 2, Name: "王芳", Team: "refunds", Skills: both, Capacity: 10, Load: 6, Availability: route.Online, Shift: office},
		{ID: 3, Name: "张伟", Team: "refunds", Skills: hans, Capacity: 5, Load: 5, Availability: route.Online, Shift: office},
		{ID: 4, Name: "陈静", Team: "refunds", Skills: both, Capacity: 10, Load: 0, Availability: route.Away, Shift: office},
	})
	if err != nil {
		panic(err)
	}
	// Thursday 9 October 2025, 10:00 in Shanghai: a working day.
	now := time.Date(2025, 10, 9, 10, 0, 0, 0, cn.Location())
	hant := route.Item{CaseRef: "CP-2025-A", Team: "refunds", Category: "refund", Language: "zh-Hant",
		Channel: "app", Priority: complaint.PriorityP2, CreatedAt: now.Add(-time.Hour)}
	fmt.Println(r.Assign(hant, now).Reason)

	simplified := hant
	simplified.CaseRef, simplified.Language = "CP-2025-B", "zh-Hans"
	fmt.Println(r.Assign(simplified, now).Reason)

	// 陈静 is back, 王芳 goes away; her cases move.
	if err := r.SetAvailability(4, route.Online); err != nil {
		panic(err)
	}
	if err := r.SetAvailability(2, route.Away); err != nil {
		panic(err)
	}
	hant.AssigneeID = 2
	moves, _ := r.Rebalance([]route.Item{hant}, now)
	for _, m := range moves {
		fmt.Println(m.Reason)
	}
	// Output:
	// 王芳: speaks zh-Hant, handles refund, takes app, in team refunds, 6/10 open — the only available agent (2 qualify; skipped: 1 away)
	// 李娜: speaks zh-Hans, handles refund, takes app, in team refunds, 3/10 open — least loaded of 2 available agents (4 qualify; skipped: 1 away, 1 at capacity)
	// from 王芳 (away) to 陈静: speaks zh-Hant, handles refund, takes app, in team refunds, 0/10 open — the only available agent (2 qualify; skipped: 1 away)
}
