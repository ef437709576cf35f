package complaint

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// EventKind names what happened to a case.
type EventKind string

// The kinds of event. Each documents what its Before and After hold.
const (
	// KindCreated: After is the Case as opened.
	KindCreated EventKind = "created"
	// KindStatusChanged: Before and After are Status strings; Body is the reason.
	KindStatusChanged EventKind = "status_changed"
	// KindStageChanged: Before and After are Stage strings; Body is the reason.
	KindStageChanged EventKind = "stage_changed"
	// KindMessage: a message on the public thread; Body is its text.
	KindMessage EventKind = "message"
	// KindNote: an internal note; Body is its text.
	KindNote EventKind = "note"
	// KindAssigned: Before and After are Assignment values.
	KindAssigned EventKind = "assigned"
	// KindClassified: Before and After are Classification values.
	KindClassified EventKind = "classified"
	// KindTransactionLinked: After is the Transaction snapshot.
	KindTransactionLinked EventKind = "transaction_linked"
	// KindAttachmentAdded: After is the Attachment.
	KindAttachmentAdded EventKind = "attachment_added"
)

// Actor is who caused an event.
type Actor struct {
	ID   int64  `json:"id,omitempty"` // user id; 0 for the system
	Role Role   `json:"role"`
	Name string `json:"name"`
}

// System is the actor of automatic changes.
var System = Actor{Role: RoleSystem, Name: "redress"}

// Event is one append-only entry in a case's history.
type Event struct {
	ID         int64           `json:"id"` // global order, set by the store
	CaseID     int64           `json:"-"`
	CaseRef    string          `json:"case_ref"`
	Seq        int64           `json:"seq"` // 1, 2, 3, … within the case
	At         time.Time       `json:"at"`
	Actor      Actor           `json:"actor"`
	Kind       EventKind       `json:"kind"`
	Visibility Visibility      `json:"visibility"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
	Body       string          `json:"body,omitempty"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

// Assignment is who holds a case.
type Assignment struct {
	Team         string `json:"team"`
	AssigneeID   int64  `json:"assignee_id,omitempty"`
	AssigneeName string `json:"assignee_name,omitempty"`
	// Reason says why the case went to this assignee (set by automatic
	// routing; empty for a person's assignment).
	Reason string `json:"reason,omitempty"`
}

// Classification is what a case is about and how urgent it is.
type Classification struct {
	Category string   `json:"category"`
	Severity Severity `json:"severity"`
	Priority Priority `json:"priority"`
}

// hashedEvent is the canonical content of an event for hashing: every field
// that means something, in a fixed order, excluding the hash itself and the
// store-assigned global id.
type hashedEvent struct {
	CaseRef    string          `json:"case_ref"`
	Seq        int64           `json:"seq"`
	At         string          `json:"at"`
	Actor      Actor           `json:"actor"`
	Kind       EventKind       `json:"kind"`
	Visibility Visibility      `json:"visibility"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
	Body       string          `json:"body,omitempty"`
	PrevHash   string          `json:"prev_hash"`
}

// ComputeHash returns the hex SHA-256 of the event's canonical content,
// which includes PrevHash: the events of a case form a hash chain that a
// tamper-evident log can anchor.
func (e *Event) ComputeHash() string {
	canon := hashedEvent{
		CaseRef: e.CaseRef, Seq: e.Seq, At: e.At.UTC().Format(time.RFC3339Nano), Actor: e.Actor,
		Kind: e.Kind, Visibility: e.Visibility, Before: compactJSON(e.Before), After: compactJSON(e.After),
		Body: e.Body, PrevHash: e.PrevHash,
	}
	b, err := json.Marshal(canon)
	if err != nil {
		panic("complaint: hashing an event: " + err.Error()) // only raw JSON can fail, and it was compacted
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func compactJSON(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return json.RawMessage(fmt.Sprintf("%q", raw))
	}
	return buf.Bytes()
}

// VerifyChain checks that events are the complete, untampered history of
// one case: sequence numbers 1..n, each chained to the previous hash, and
// each hash matching its content.
func VerifyChain(events []Event) error {
	prev := ""
	for i, e := range events {
		if e.Seq != int64(i+1) {
			return fmt.Errorf("event %d has sequence number %d", i+1, e.Seq)
		}
		if e.PrevHash != prev {
			return fmt.Errorf("event %d does not chain to event %d", e.Seq, e.Seq-1)
		}
		if e.ComputeHash() != e.Hash {
			return fmt.Errorf("event %d has been altered: its hash does not match its content", e.Seq)
		}
		prev = e.Hash
	}
	return nil
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("complaint: encoding event data: " + err.Error())
	}
	return b
}
