// Package route decides who works on a complaint: it matches waiting cases
// to agents by skills (category, language, channel, team), availability
// (online and on shift) and capacity, gives the case to the least-loaded
// qualified agent with equal agents taking turns, drains a queue in order of
// urgency, and moves cases away from agents who left or are overloaded.
//
// Every decision comes with its reasons: an English sentence a supervisor
// can read and the machine-readable facts behind it (how many agents
// qualified, how many were skipped and why), so the web layer can render
// them in other languages.
//
// The package is pure: no storage, no HTTP. A Router holds an in-memory
// mirror of the roster (agents, their open-case counts, the round-robin
// turn) and an index that keeps decisions fast; the desk keeps it in step
// with the store. docs/routing.md states the rules.
package route
