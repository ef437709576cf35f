package complaint

import (
	"encoding/json"
	"fmt"
)

// Apply folds one event into the case. It is the only code that changes a
// Case, so the state is always the fold of the history. Apply checks that
// the event is the next one in the chain; it does not re-check business
// rules (the command that made the event did).
func (c *Case) Apply(e Event) error {
	if e.Seq != c.Version+1 {
		return fmt.Errorf("complaint: event %d applied to a case at version %d", e.Seq, c.Version)
	}
	if e.PrevHash != c.LastHash {
		return fmt.Errorf("complaint: event %d does not chain to the case's last event", e.Seq)
	}
	if err := c.applyData(e); err != nil {
		return fmt.Errorf("complaint: applying %s event %d: %w", e.Kind, e.Seq, err)
	}
	c.Version = e.Seq
	c.LastHash = e.Hash
	c.UpdatedAt = e.At
	return nil
}

func (c *Case) applyData(e Event) error {
	if ok, err := c.applyExtension(e); ok {
		return err
	}
	switch e.Kind {
	case KindCreated:
		var created Case
		if err := json.Unmarshal(e.After, &created); err != nil {
			return err
		}
		created.ID = c.ID
		*c = created
	case KindStatusChanged:
		var to Status
		if err := json.Unmarshal(e.After, &to); err != nil {
			return err
		}
		c.Status = to
		switch to {
		case StatusResolved:
			c.ResolvedAt = e.At
		case StatusClosed:
			c.ClosedAt = e.At
		}
	case KindStageChanged:
		return json.Unmarshal(e.After, &c.Stage)
	case KindAssigned:
		var a Assignment
		if err := json.Unmarshal(e.After, &a); err != nil {
			return err
		}
		c.Team, c.AssigneeID, c.AssigneeName = a.Team, a.AssigneeID, a.AssigneeName
	case KindClassified:
		var cl Classification
		if err := json.Unmarshal(e.After, &cl); err != nil {
			return err
		}
		c.Category, c.Severity, c.Priority = cl.Category, cl.Severity, cl.Priority
	case KindTransactionLinked:
		var t Transaction
		if err := json.Unmarshal(e.After, &t); err != nil {
			return err
		}
		c.Transactions = append(c.Transactions, t)
	case KindAttachmentAdded:
		var a Attachment
		if err := json.Unmarshal(e.After, &a); err != nil {
			return err
		}
		c.Attachments = append(c.Attachments, a)
	case KindMessage, KindNote:
		// Messages and notes are history only; they change no field.
	default:
		return fmt.Errorf("unknown event kind %q", e.Kind)
	}
	return nil
}

func unmarshal(raw []byte, v any) error { return json.Unmarshal(raw, v) }

// Replay rebuilds a case from its complete history.
func Replay(id int64, events []Event) (*Case, error) {
	c := &Case{ID: id}
	for _, e := range events {
		if err := c.Apply(e); err != nil {
			return nil, err
		}
	}
	return c, nil
}
