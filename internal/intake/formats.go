package intake

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/intake/records"
)

// Kind is what an import file holds.
type Kind string

// The kinds of import. Each complaint kind's file format is in
// docs/intake.md.
const (
	KindEmail     Kind = "eml"       // one RFC 5322 message per file
	KindHotline   Kind = "hotline"   // hotline call records
	KindChat      Kind = "chat"      // chat transcripts
	KindSocial    Kind = "social"    // social media posts
	KindReferrals Kind = "referrals" // referrals from regulators and consumer associations
	KindLedger    Kind = "ledger"    // the platform's ledger export (transaction evidence)
)

// Kinds lists the kinds of import.
var Kinds = []Kind{KindEmail, KindHotline, KindChat, KindSocial, KindReferrals, KindLedger}

// columns are the CSV columns each kind must have.
var columns = map[Kind]records.Columns{
	KindHotline:   {Required: []string{"call_id", "started_at", "caller_phone"}, AnyOf: [][]string{{"summary", "transcript"}}},
	KindChat:      {Required: []string{"session_id", "at", "from", "text"}},
	KindSocial:    {Required: []string{"platform", "post_id", "posted_at", "text"}, AnyOf: [][]string{{"author_name", "author_handle"}}},
	KindReferrals: {Required: []string{"body_type", "body_name", "reference", "received_at", "customer_name", "description"}},
}

// idList is a list of ids, given in JSON as an array of strings or as one
// string separated like a CSV field.
type idList []string

func (l *idList) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = records.SplitIDs(s)
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return errors.New("transaction_ids must be an array of strings (or one string of ids separated by semicolons)")
	}
	*l = list
	return nil
}

// turn is one utterance of a call or a chat.
type turn struct {
	At      string `json:"at"`
	Speaker string `json:"speaker"`
	From    string `json:"from"` // chat's name for the speaker
	Text    string `json:"text"`
	clock   string // a time of day alone, from a CSV transcript line
}

func (t turn) who() string {
	if t.Speaker != "" {
		return strings.TrimSpace(t.Speaker)
	}
	return strings.TrimSpace(t.From)
}

// customerSpeakers are the names under which the customer speaks.
var customerSpeakers = []string{"customer", "caller", "user", "client", "客户", "用户", "来电人", "顾客"}

func isCustomer(who string) bool {
	who = strings.ToLower(strings.TrimSpace(who))
	return contains(customerSpeakers, who)
}

// transcript formats turns as lines "[15:04:05] speaker: text" (times in
// China Standard Time) and returns the customer's own words apart.
func transcript(turns []turn) (text, customerWords string, err error) {
	var b, cw strings.Builder
	for i, t := range turns {
		body := strings.TrimSpace(t.Text)
		if body == "" {
			continue
		}
		who := t.who()
		if who == "" {
			who = "?"
		}
		if strings.TrimSpace(t.At) != "" {
			at, err := records.ParseTime(t.At)
			if err != nil {
				return "", "", fmt.Errorf("turn %d: at: %v", i+1, err)
			}
			fmt.Fprintf(&b, "[%s] ", at.In(records.ChinaTime).Format("15:04:05"))
		} else if t.clock != "" {
			fmt.Fprintf(&b, "[%s] ", t.clock)
		}
		fmt.Fprintf(&b, "%s: %s\n", fitLine(who, 40), body)
		if isCustomer(who) {
			cw.WriteString(body)
			cw.WriteByte('\n')
		}
	}
	return b.String(), cw.String(), nil
}

// parseTranscript reads a CSV transcript field: one turn per line,
// "speaker: text", optionally with a leading "[hh:mm:ss] ".
func parseTranscript(s string) []turn {
	var turns []turn
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		clock := ""
		if strings.HasPrefix(line, "[") {
			if end := strings.IndexByte(line, ']'); end > 0 && end < 24 {
				clock, line = fitLine(line[1:end], 20), strings.TrimSpace(line[end+1:])
			}
		}
		who, text, ok := cutSpeaker(line)
		if !ok {
			turns = append(turns, turn{Text: line, clock: clock})
			continue
		}
		turns = append(turns, turn{Speaker: who, Text: text, clock: clock})
	}
	return turns
}

func cutSpeaker(line string) (who, text string, ok bool) {
	i := strings.IndexAny(line, ":：")
	if i <= 0 || i > 40 {
		return "", line, false
	}
	sep := ":"
	if strings.HasPrefix(line[i:], "：") {
		sep = "："
	}
	return strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+len(sep):]), true
}

// need returns an error naming a required field that is empty.
func need(fields ...[2]string) error {
	for _, f := range fields {
		if strings.TrimSpace(f[1]) == "" {
			return &complaint.ValidationError{Code: complaint.CodeRequired, Field: f[0], Message: f[0] + " is required"}
		}
	}
	return nil
}

func fieldTime(field, s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, &complaint.ValidationError{Code: complaint.CodeRequired, Field: field, Message: field + " is required"}
	}
	t, err := records.ParseTime(s)
	if err != nil {
		return time.Time{}, &complaint.ValidationError{Code: complaint.CodeInvalid, Field: field, Message: err.Error()}
	}
	return t, nil
}

// --- hotline ---

type hotlineRecord struct {
	CallID         string `json:"call_id"`
	StartedAt      string `json:"started_at"`
	EndedAt        string `json:"ended_at"`
	CallerPhone    string `json:"caller_phone"`
	CustomerID     string `json:"customer_id"`
	CustomerName   string `json:"customer_name"`
	CustomerEmail  string `json:"customer_email"`
	Agent          string `json:"agent"`
	Subject        string `json:"subject"`
	Summary        string `json:"summary"`
	TransactionIDs idList `json:"transaction_ids"`
	MerchantID     string `json:"merchant_id"`
	Language       string `json:"language"`
	Turns          []turn `json:"turns"`
	Transcript     string `json:"transcript"`
}

// DecodeHotline turns one hotline call record into a message.
func DecodeHotline(rec records.Record, format records.Format) (Message, error) {
	var h hotlineRecord
	if format == records.CSV {
		h = hotlineRecord{CallID: rec.Get("call_id"), StartedAt: rec.Get("started_at"), EndedAt: rec.Get("ended_at"),
			CallerPhone: rec.Get("caller_phone"), CustomerID: rec.Get("customer_id"), CustomerName: rec.Get("customer_name"),
			CustomerEmail: rec.Get("customer_email"), Agent: rec.Get("agent"), Subject: rec.Get("subject"),
			Summary: rec.Get("summary"), TransactionIDs: records.SplitIDs(rec.Get("transaction_ids")),
			MerchantID: rec.Get("merchant_id"), Language: rec.Get("language"), Transcript: rec.Fields["transcript"]}
	} else if err := records.Unmarshal(rec.Raw, &h); err != nil {
		return Message{}, err
	}
	if err := need([2]string{"call_id", h.CallID}); err != nil {
		return Message{}, err
	}
	started, err := fieldTime("started_at", h.StartedAt)
	if err != nil {
		return Message{}, err
	}
	if h.CallerPhone == "" && h.CustomerID == "" && h.CustomerEmail == "" {
		return Message{}, &complaint.ValidationError{Code: complaint.CodeRequired, Field: "caller_phone",
			Message: "the caller cannot be identified: caller_phone, customer_id and customer_email are all empty"}
	}
	turns := h.Turns
	if len(turns) == 0 && strings.TrimSpace(h.Transcript) != "" {
		turns = parseTranscript(h.Transcript)
	}
	lines, words, err := transcript(turns)
	if err != nil {
		return Message{}, err
	}
	summary := strings.TrimSpace(h.Summary)
	if summary == "" && lines == "" {
		return Message{}, &complaint.ValidationError{Code: complaint.CodeRequired, Field: "summary",
			Message: "the call has neither a summary nor a transcript"}
	}
	var desc strings.Builder
	desc.WriteString(summary)
	if lines != "" {
		if desc.Len() > 0 {
			desc.WriteString("\n\n")
		}
		fmt.Fprintf(&desc, "Transcript of call %s (%s CST", h.CallID, started.In(records.ChinaTime).Format("2006-01-02 15:04"))
		if h.Agent != "" {
			fmt.Fprintf(&desc, ", agent %s", fitLine(h.Agent, 60))
		}
		desc.WriteString("):\n")
		desc.WriteString(lines)
	}
	subject := h.Subject
	for _, s := range []string{summary, words} {
		if subject == "" {
			subject = subjectFrom(s)
		}
	}
	if subject == "" {
		subject = "Hotline call " + h.CallID
	}
	name := firstNonEmpty(h.CustomerName, h.CallerPhone, h.CustomerID, h.CustomerEmail)
	return Message{
		Channel:    complaint.ChannelHotline,
		SourceID:   h.CallID,
		ReceivedAt: started,
		Payload:    rec.Raw,
		Draft: complaint.Draft{
			Customer:    complaint.Customer{ID: h.CustomerID, Name: fitLine(name, complaint.MaxName), Email: h.CustomerEmail, Phone: h.CallerPhone},
			Language:    h.Language,
			Subject:     fitLine(subject, complaint.MaxSubject),
			Description: fitText(desc.String(), complaint.MaxDescription),
			MerchantID:  h.MerchantID,
		},
		TransactionIDs: h.TransactionIDs,
		MatchText:      strings.TrimSpace(h.Subject + "\n" + summary + "\n" + words),
	}, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// --- chat ---

type chatRecord struct {
	SessionID      string `json:"session_id"`
	StartedAt      string `json:"started_at"`
	Platform       string `json:"platform"`
	CustomerID     string `json:"customer_id"`
	CustomerName   string `json:"customer_name"`
	CustomerPhone  string `json:"customer_phone"`
	CustomerEmail  string `json:"customer_email"`
	Subject        string `json:"subject"`
	TransactionIDs idList `json:"transaction_ids"`
	MerchantID     string `json:"merchant_id"`
	Language       string `json:"language"`
	Messages       []turn `json:"messages"`
}

// DecodeChat turns one chat session (JSON) into a message.
func DecodeChat(rec records.Record) (Message, error) {
	var c chatRecord
	if err := records.Unmarshal(rec.Raw, &c); err != nil {
		return Message{}, err
	}
	return c.message(rec.Raw)
}

func (c chatRecord) message(raw []byte) (Message, error) {
	if err := need([2]string{"session_id", c.SessionID}); err != nil {
		return Message{}, err
	}
	startAt := c.StartedAt
	if strings.TrimSpace(startAt) == "" && len(c.Messages) > 0 {
		startAt = c.Messages[0].At
	}
	started, err := fieldTime("started_at", startAt)
	if err != nil {
		return Message{}, err
	}
	lines, words, err := transcript(c.Messages)
	if err != nil {
		return Message{}, err
	}
	if strings.TrimSpace(words) == "" {
		return Message{}, &complaint.ValidationError{Code: complaint.CodeRequired, Field: "messages",
			Message: "the chat has no message from the customer"}
	}
	if c.CustomerID == "" && c.CustomerEmail == "" && c.CustomerPhone == "" {
		return Message{}, &complaint.ValidationError{Code: complaint.CodeRequired, Field: "customer_id",
			Message: "the customer cannot be identified: customer_id, customer_email and customer_phone are all empty"}
	}
	where := "chat"
	if p := strings.TrimSpace(c.Platform); p != "" {
		where = fitLine(p, 40) + " chat"
	}
	desc := fmt.Sprintf("Transcript of %s session %s (%s CST):\n%s", where, c.SessionID, started.In(records.ChinaTime).Format("2006-01-02 15:04"), lines)
	subject := firstNonEmpty(c.Subject, subjectFrom(words), "Chat session "+c.SessionID)
	name := firstNonEmpty(c.CustomerName, c.CustomerID, c.CustomerEmail, c.CustomerPhone)
	return Message{
		Channel:    complaint.ChannelChat,
		SourceID:   c.SessionID,
		ReceivedAt: started,
		Payload:    raw,
		Draft: complaint.Draft{
			Customer:    complaint.Customer{ID: c.CustomerID, Name: fitLine(name, complaint.MaxName), Email: c.CustomerEmail, Phone: c.CustomerPhone},
			Language:    c.Language,
			Subject:     fitLine(subject, complaint.MaxSubject),
			Description: fitText(desc, complaint.MaxDescription),
			MerchantID:  c.MerchantID,
		},
		TransactionIDs: c.TransactionIDs,
		MatchText:      strings.TrimSpace(c.Subject + "\n" + words),
	}, nil
}

// chatGroup gathers the rows of one chat session in a CSV file (one row
// per message, the rows of a session together).
type chatGroup struct {
	index, line int
	rec         chatRecord
	rows        []json.RawMessage
	bad         error // a row of the session that could not be read
}

// add puts a row into the group.
func (g *chatGroup) add(rec records.Record) {
	c := &g.rec
	set := func(dst *string, col string) {
		if *dst == "" {
			*dst = rec.Get(col)
		}
	}
	set(&c.SessionID, "session_id")
	set(&c.Platform, "platform")
	set(&c.CustomerID, "customer_id")
	set(&c.CustomerName, "customer_name")
	set(&c.CustomerPhone, "customer_phone")
	set(&c.CustomerEmail, "customer_email")
	set(&c.Subject, "subject")
	set(&c.MerchantID, "merchant_id")
	set(&c.Language, "language")
	for _, id := range records.SplitIDs(rec.Get("transaction_ids")) {
		if !contains(c.TransactionIDs, id) {
			c.TransactionIDs = append(c.TransactionIDs, id)
		}
	}
	if c.StartedAt == "" {
		c.StartedAt = rec.Get("at")
	}
	c.Messages = append(c.Messages, turn{At: rec.Get("at"), From: rec.Get("from"), Text: rec.Fields["text"]})
	g.rows = append(g.rows, rec.Raw)
}

func (g *chatGroup) message() (Message, error) {
	if g.bad != nil {
		return Message{}, fmt.Errorf("session %s is not imported: %w", g.rec.SessionID, g.bad)
	}
	raw, err := json.Marshal(g.rows) // the session's rows, as a JSON array of row objects
	if err != nil {
		return Message{}, err
	}
	return g.rec.message(raw)
}

// --- social ---

type socialRecord struct {
	Platform       string `json:"platform"`
	PostID         string `json:"post_id"`
	URL            string `json:"url"`
	PostedAt       string `json:"posted_at"`
	AuthorHandle   string `json:"author_handle"`
	AuthorName     string `json:"author_name"`
	AuthorID       string `json:"author_id"`
	Text           string `json:"text"`
	CustomerID     string `json:"customer_id"`
	CustomerPhone  string `json:"customer_phone"`
	CustomerEmail  string `json:"customer_email"`
	TransactionIDs idList `json:"transaction_ids"`
	MerchantID     string `json:"merchant_id"`
	Language       string `json:"language"`
	Media          []struct {
		Name        string `json:"name"`
		ContentType string `json:"content_type"`
		Size        int64  `json:"size"`
		SHA256      string `json:"sha256"`
	} `json:"media"`
}

// DecodeSocial turns one social media post into a message.
func DecodeSocial(rec records.Record, format records.Format) (Message, error) {
	var p socialRecord
	if format == records.CSV {
		p = socialRecord{Platform: rec.Get("platform"), PostID: rec.Get("post_id"), URL: rec.Get("url"),
			PostedAt: rec.Get("posted_at"), AuthorHandle: rec.Get("author_handle"), AuthorName: rec.Get("author_name"),
			AuthorID: rec.Get("author_id"), Text: rec.Fields["text"], CustomerID: rec.Get("customer_id"),
			CustomerPhone: rec.Get("customer_phone"), CustomerEmail: rec.Get("customer_email"),
			TransactionIDs: records.SplitIDs(rec.Get("transaction_ids")), MerchantID: rec.Get("merchant_id"), Language: rec.Get("language")}
	} else if err := records.Unmarshal(rec.Raw, &p); err != nil {
		return Message{}, err
	}
	if err := need([2]string{"platform", p.Platform}, [2]string{"post_id", p.PostID}, [2]string{"text", p.Text}); err != nil {
		return Message{}, err
	}
	posted, err := fieldTime("posted_at", p.PostedAt)
	if err != nil {
		return Message{}, err
	}
	name := firstNonEmpty(p.AuthorName, p.AuthorHandle)
	if name == "" {
		return Message{}, &complaint.ValidationError{Code: complaint.CodeRequired, Field: "author_name", Message: "the post has neither author_name nor author_handle"}
	}
	platform := strings.ToLower(fitLine(p.Platform, 40))
	by := firstNonEmpty(p.AuthorHandle, p.AuthorName)
	if p.AuthorID != "" {
		by += " (" + p.AuthorID + ")"
	}
	source := fmt.Sprintf("Posted on %s by %s", platform, by)
	if p.URL != "" {
		source += ": " + fitLine(p.URL, 500)
	}
	text := strings.TrimSpace(p.Text)
	d := complaint.Draft{
		Customer:    complaint.Customer{ID: p.CustomerID, Name: fitLine(name, complaint.MaxName), Email: p.CustomerEmail, Phone: p.CustomerPhone},
		Language:    p.Language,
		Subject:     fitLine(firstNonEmpty(subjectFrom(text), "Post "+p.PostID), complaint.MaxSubject),
		Description: fitText(text+"\n\n"+source, complaint.MaxDescription),
		MerchantID:  p.MerchantID,
	}
	for i, m := range p.Media {
		if i == complaint.MaxAttachments {
			break
		}
		d.Attachments = append(d.Attachments, complaint.Attachment{Name: fitLine(firstNonEmpty(m.Name, fmt.Sprintf("media-%d", i+1)), complaint.MaxShortText),
			ContentType: fitLine(firstNonEmpty(m.ContentType, "application/octet-stream"), complaint.MaxShortText), Size: m.Size, SHA256: m.SHA256})
	}
	return Message{
		Channel:        complaint.ChannelSocial,
		SourceID:       platform + "/" + p.PostID,
		ReceivedAt:     posted,
		Payload:        rec.Raw,
		Draft:          d,
		TransactionIDs: p.TransactionIDs,
		MatchText:      text,
	}, nil
}

// --- referrals ---

type referralRecord struct {
	BodyType       string `json:"body_type"`
	BodyName       string `json:"body_name"`
	Reference      string `json:"reference"`
	ReceivedAt     string `json:"received_at"`
	RespondBy      string `json:"respond_by"`
	CustomerID     string `json:"customer_id"`
	CustomerName   string `json:"customer_name"`
	CustomerPhone  string `json:"customer_phone"`
	CustomerEmail  string `json:"customer_email"`
	Subject        string `json:"subject"`
	Description    string `json:"description"`
	TransactionIDs idList `json:"transaction_ids"`
	MerchantID     string `json:"merchant_id"`
	Language       string `json:"language"`
}

// RegulatorDeadline is the name of the deadline a referring body sets.
const RegulatorDeadline = "regulator"

// DecodeReferral turns one referral from a regulator or a consumer
// association into a message.
func DecodeReferral(rec records.Record, format records.Format) (Message, error) {
	var r referralRecord
	if format == records.CSV {
		r = referralRecord{BodyType: rec.Get("body_type"), BodyName: rec.Get("body_name"), Reference: rec.Get("reference"),
			ReceivedAt: rec.Get("received_at"), RespondBy: rec.Get("respond_by"), CustomerID: rec.Get("customer_id"),
			CustomerName: rec.Get("customer_name"), CustomerPhone: rec.Get("customer_phone"), CustomerEmail: rec.Get("customer_email"),
			Subject: rec.Get("subject"), Description: rec.Fields["description"], TransactionIDs: records.SplitIDs(rec.Get("transaction_ids")),
			MerchantID: rec.Get("merchant_id"), Language: rec.Get("language")}
	} else if err := records.Unmarshal(rec.Raw, &r); err != nil {
		return Message{}, err
	}
	if err := need([2]string{"body_type", r.BodyType}, [2]string{"body_name", r.BodyName}, [2]string{"reference", r.Reference},
		[2]string{"customer_name", r.CustomerName}, [2]string{"description", r.Description}); err != nil {
		return Message{}, err
	}
	var ch complaint.Channel
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(r.BodyType), "-", "_")) {
	case "regulator":
		ch = complaint.ChannelRegulator
	case "consumer_association":
		ch = complaint.ChannelConsumerAssociation
	default:
		return Message{}, &complaint.ValidationError{Code: complaint.CodeInvalid, Field: "body_type",
			Message: fmt.Sprintf("body_type %q must be regulator or consumer_association", cut(r.BodyType, 40))}
	}
	received, err := fieldTime("received_at", r.ReceivedAt)
	if err != nil {
		return Message{}, err
	}
	ref := strings.TrimSpace(r.Reference)
	body := fitLine(r.BodyName, 100)
	var dl *complaint.Deadline
	footer := fmt.Sprintf("Referred by %s, reference %s.", body, ref)
	if strings.TrimSpace(r.RespondBy) != "" {
		due, err := records.ParseDeadline(r.RespondBy)
		if err != nil {
			return Message{}, &complaint.ValidationError{Code: complaint.CodeInvalid, Field: "respond_by", Message: err.Error()}
		}
		dl = &complaint.Deadline{Name: RegulatorDeadline, Spec: fitLine(body+" "+ref, complaint.MaxShortText), Due: due, State: complaint.DeadlineRunning}
		footer = fmt.Sprintf("Referred by %s, reference %s; the answer is due by %s CST.", body, ref, due.In(records.ChinaTime).Format("2006-01-02 15:04"))
	}
	d := complaint.Draft{
		Customer:    complaint.Customer{ID: r.CustomerID, Name: fitLine(r.CustomerName, complaint.MaxName), Email: r.CustomerEmail, Phone: r.CustomerPhone},
		Language:    r.Language,
		Subject:     fitLine(firstNonEmpty(r.Subject, subjectFrom(r.Description)), complaint.MaxSubject),
		Description: fitText(strings.TrimSpace(r.Description)+"\n\n"+footer, complaint.MaxDescription),
		Stage:       complaint.StageExternalReferral,
		MerchantID:  r.MerchantID,
		ExternalRef: ref,
	}
	if ch == complaint.ChannelRegulator {
		d.Priority = complaint.PriorityP2
	}
	return Message{
		Channel:        ch,
		SourceID:       strings.ToLower(body) + "/" + ref,
		ReceivedAt:     received,
		Payload:        rec.Raw,
		Draft:          d,
		TransactionIDs: r.TransactionIDs,
		MatchText:      strings.TrimSpace(r.Subject + "\n" + r.Description),
		Deadline:       dl,
	}, nil
}
