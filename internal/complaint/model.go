package complaint

import "time"

// Case is one complaint and everything known about it now. It is the fold
// of its events (see Apply); never set its fields directly outside Apply.
type Case struct {
	ID           int64         `json:"-"`
	Ref          string        `json:"ref"`
	Customer     Customer      `json:"customer"`
	Channel      Channel       `json:"channel"`
	Language     string        `json:"language"`
	Subject      string        `json:"subject"`
	Description  string        `json:"description"`
	Category     string        `json:"category"`
	Severity     Severity      `json:"severity"`
	Priority     Priority      `json:"priority"`
	Status       Status        `json:"status"`
	Stage        Stage         `json:"stage"`
	Team         string        `json:"team"`
	AssigneeID   int64         `json:"assignee_id,omitempty"`
	AssigneeName string        `json:"assignee_name,omitempty"`
	MerchantID   string        `json:"merchant_id,omitempty"`
	Transactions []Transaction `json:"transactions"`
	Attachments  []Attachment  `json:"attachments"`
	// ExternalRef is the reference a referring body (a regulator, a
	// consumer association) or a channel gave the complaint.
	ExternalRef string      `json:"external_ref,omitempty"`
	Deadlines   []Deadline  `json:"deadlines"`
	Assessment  *Assessment `json:"assessment,omitempty"`
	Repeats     int         `json:"repeats,omitempty"`
	Tasks       []Task      `json:"tasks"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
	ResolvedAt  time.Time   `json:"resolved_at,omitzero"`
	ClosedAt    time.Time   `json:"closed_at,omitzero"`
	// Version is the sequence number of the last event applied.
	Version int64 `json:"version"`
	// LastHash is the hash of the last event applied; the next event chains to it.
	LastHash string `json:"-"`
}

// Customer is the person who complains, as known to the payment platform.
type Customer struct {
	ID    string `json:"id,omitempty"` // the customer's id on the platform
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Transaction is a payment the complaint concerns, kept as evidence the way
// it looked when it was linked.
type Transaction struct {
	ID           string    `json:"id"` // the platform's transaction id
	Time         time.Time `json:"time"`
	Amount       Money     `json:"amount"`
	Counterparty string    `json:"counterparty,omitempty"`
	MerchantID   string    `json:"merchant_id,omitempty"`
	Status       string    `json:"status,omitempty"`
}

// Attachment is metadata of a file the customer or staff attached.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256,omitempty"`
}

// Merchants returns every merchant the case names, without repeats. A
// merchant user may see a case that names it.
func (c *Case) Merchants() []string {
	var ids []string
	add := func(id string) {
		if id != "" && !contains(ids, id) {
			ids = append(ids, id)
		}
	}
	add(c.MerchantID)
	for _, t := range c.Transactions {
		add(t.MerchantID)
	}
	return ids
}

// AtStake is the total amount of the linked transactions in currency cur.
func (c *Case) AtStake(cur string) int64 {
	var sum int64
	for _, t := range c.Transactions {
		if t.Amount.Currency == cur {
			sum += t.Amount.Minor
		}
	}
	return sum
}
