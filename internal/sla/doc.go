// Package sla keeps the service-level clocks of complaints: which clocks a
// case gets (policies), when they start, pause, resume and settle (an
// outbox handler that follows the case's events), and the warnings,
// breaches and escalations when they run low or out (durable timers fired
// by a scheduler).
//
// Everything a clock is lives in the case's history: each change of a
// clock is a deadline event on the case, and the handler derives the
// clocks from the history and the recorded deadlines, so it is idempotent.
// Timers live in the database (store.Timer); a scheduler on any node fires
// each exactly once, recording the firing's events in the same
// transaction. docs/sla.md describes the policy format and the rules.
package sla
