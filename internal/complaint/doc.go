// Package complaint is the domain model of redress: a complaint case, the
// append-only events that are its history, and the lifecycle rules.
//
// A case's current state is never edited directly. Commands on a Case (such
// as Transition or Reply) check the rules and return Events; Apply folds an
// event into the state. The stored state is therefore always the fold of
// the stored events, and Replay proves it.
//
// The package depends on the standard library only: no storage, no HTTP.
package complaint
